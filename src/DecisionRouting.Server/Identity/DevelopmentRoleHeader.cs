using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Claims;
using System.Text.Encodings.Web;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DecisionRouting.Server.Identity
{
    /// <summary>
    /// Development only: an authentication scheme that believes the request's <c>X-DecisionRouting-Role</c> header
    /// (roles, comma-separated) and <c>X-DecisionRouting-Actor</c> header (the name). Anyone can send a header, so it is
    /// registered only when the environment is Development <em>and</em> <c>DecisionRouting:DevelopmentRoleHeader:Enabled</c>
    /// is true; in any other environment the setting is ignored, the scheme does not exist, and the headers are
    /// ordinary unread headers (requests needing an identity get 401).
    /// </summary>
    internal sealed class DevelopmentRoleHeader : AuthenticationHandler<DevelopmentRoleHeaderOptions>
    {
        public const string SchemeName = "DecisionRouting.DevelopmentRoleHeader";
        public const string RoleHeader = "X-DecisionRouting-Role";
        public const string ActorHeader = "X-DecisionRouting-Actor";

        public DevelopmentRoleHeader(IOptionsMonitor<DevelopmentRoleHeaderOptions> options, ILoggerFactory logger, UrlEncoder encoder)
            : base(options, logger, encoder)
        {
        }

        /// <summary>Whether the scheme may be registered: Development and the setting on, nothing else.</summary>
        public static bool Allowed(IHostEnvironment environment, IConfigurationSection section) =>
            environment.IsDevelopment() && section.GetValue<bool>("DevelopmentRoleHeader:Enabled");

        protected override Task<AuthenticateResult> HandleAuthenticateAsync()
        {
            var roles = Request.Headers[RoleHeader].SelectMany(v => (v ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();
            if (roles.Count == 0)
            {
                return Task.FromResult(AuthenticateResult.NoResult());
            }

            var name = Request.Headers[ActorHeader].FirstOrDefault() is { Length: > 0 } given ? given : "development user";
            var claims = new List<Claim> { new(ClaimTypes.Name, name) };
            claims.AddRange(roles.Select(r => new Claim(ClaimTypes.Role, r)));
            var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName));
            return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName)));
        }
    }

    /// <summary>No options: the scheme has nothing to configure.</summary>
    internal sealed class DevelopmentRoleHeaderOptions : AuthenticationSchemeOptions
    {
    }

    /// <summary>Registered only when the development header scheme is: what <c>/api/server</c> reports to the page.</summary>
    internal sealed class DevelopmentRoleHeaderEnabled
    {
    }
}
