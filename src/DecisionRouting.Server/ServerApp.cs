using System;
using System.IO;
using System.Text.Json.Serialization;
using DecisionRouting.Hosting;
using DecisionRouting.Lifecycle;
using DecisionRouting.Serialization;
using DecisionRouting.Server.Endpoints;
using DecisionRouting.Server.Identity;
using DecisionRouting.Stores;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace DecisionRouting.Server
{
    /// <summary>
    /// The reference service: DecisionRouting over HTTP for case-management systems in any language, and the officers'
    /// page. Everything DecisionRouting is registered through <c>AddDecisionRouting</c>; this class adds HTTP only.
    /// </summary>
    public static class ServerApp
    {
        /// <summary>The configuration section the service reads (<c>DecisionRouting:RulesPath</c>, …).</summary>
        public const string Section = "DecisionRouting";

        /// <summary>
        /// Builds the service from command-line <paramref name="args"/> (and appsettings, environment variables), ready
        /// to run. <paramref name="configure"/> runs last, before the app is built: a host adds its authentication scheme
        /// there, or replaces <see cref="IRoleResolver"/>.
        /// </summary>
        /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">Only when the host starts: the options are wrong.</exception>
        public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
        {
            // The content root is the service's own folder (appsettings, wwwroot, the shipped rules and, by default, the
            // SQLite file), wherever it is started from; --contentRoot or ASPNETCORE_CONTENTROOT choose another.
            var builder = WebApplication.CreateBuilder(new WebApplicationOptions
            {
                Args = args,
                ApplicationName = typeof(ServerApp).Assembly.GetName().Name,
                ContentRootPath = ChosenContentRoot(args) ? null : AppContext.BaseDirectory,
            });
            var settings = ServerSettings.Read(builder.Configuration.GetSection(Section));

            // Read now, not when the options are first resolved, so a bad key file stops the service before it serves.
            var auditKey = settings.ReadAuditKey(builder.Environment.ContentRootPath);

            builder.Services.AddDecisionRouting(o =>
            {
                o.RulesPath = settings.RulesPath;
                o.WatchRules = settings.WatchRules;
                o.SqlitePath = settings.SqlitePath;
                o.AuditKey = auditKey;
                if (settings.PostgreSqlConnectionString is { } postgreSql)
                {
                    o.UsePostgreSql(postgreSql);
                }
            });
            builder.Services.AddHealthChecks().AddDecisionRoutingHealthChecks();
            builder.Services.ConfigureHttpJsonOptions(o =>
            {
                o.SerializerOptions.ConfigureForDecisionRouting();

                // Requests are read as strictly as proposals are (DR0021): a repeated property is refused rather than
                // taken last-wins, which a proxy or log reading the first would see differently from what was audited;
                // and a number must be a JSON number, not a string holding one (the web defaults allow both).
                o.SerializerOptions.AllowDuplicateProperties = false;
                o.SerializerOptions.NumberHandling = JsonNumberHandling.Strict;
            });
            builder.Services.AddSingleton(settings);
            builder.Services.AddSingleton<GraphRenderer>();

            // Errors: ProblemDetails (RFC 9457) everywhere, and never an exception's text or stack in a response.
            builder.Services.AddProblemDetails();
            builder.Services.AddExceptionHandler<ProblemExceptionHandler>();

            // Roles come from the authenticated identity; the development header exists only when asked for in Development.
            var authentication = builder.Services.AddAuthentication();
            if (DevelopmentRoleHeader.Allowed(builder.Environment, builder.Configuration.GetSection(Section)))
            {
                authentication.AddScheme<DevelopmentRoleHeaderOptions, DevelopmentRoleHeader>(DevelopmentRoleHeader.SchemeName, _ => { });
                builder.Services.Configure<Microsoft.AspNetCore.Authentication.AuthenticationOptions>(o => o.DefaultScheme ??= DevelopmentRoleHeader.SchemeName);
                builder.Services.AddSingleton(new DevelopmentRoleHeaderEnabled());
            }

            builder.Services.AddAuthorization();
            builder.Services.TryAddSingleton<IRoleResolver, ClaimsRoleResolver>();
            builder.Services.AddOpenApi();

            configure?.Invoke(builder);

            var app = builder.Build();
            app.UseExceptionHandler();
            app.UseStatusCodePages();
            app.UseDefaultFiles();
            app.UseStaticFiles();
            app.UseAuthentication();
            app.UseAuthorization();

            app.MapOpenApi();
            app.MapHealthChecks("/health");
            app.MapServerInfo();
            app.MapRules();
            app.MapRouting();
            app.MapCases();
            app.MapAudit();
            return app;
        }

        private static bool ChosenContentRoot(string[] args) =>
            !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("ASPNETCORE_CONTENTROOT"))
            || Array.Exists(args, a => a.StartsWith("--contentRoot", StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>The service's own settings, from the <c>DecisionRouting</c> configuration section.</summary>
    internal sealed record ServerSettings
    {
        /// <summary>The rule-set folder; default the England baseline copied beside the service.</summary>
        public required string RulesPath { get; init; }

        /// <summary>The folder holding the shipped rule sets: where a posted rule set's <c>extends</c> is looked up.</summary>
        public required string RulesRoot { get; init; }

        public bool WatchRules { get; init; }

        public string? SqlitePath { get; init; }

        public string? PostgreSqlConnectionString { get; init; }

        /// <summary>
        /// A file holding the audit key (base64, <c>openssl rand -base64 32</c>), absolute or relative to the content root;
        /// null for plain SHA-256 entries. Only the file's path is configured, never the key.
        /// </summary>
        public string? AuditKeyFile { get; init; }

        /// <summary>The <c>Retry-After</c> seconds sent with a 409 conflict.</summary>
        public int RetryAfterSeconds { get; init; } = 1;

        public static ServerSettings Read(IConfigurationSection section)
        {
            var shipped = Path.Combine(AppContext.BaseDirectory, "rules");
            return new ServerSettings
            {
                RulesPath = section["RulesPath"] is { Length: > 0 } rules ? rules : Path.Combine(shipped, "england"),
                RulesRoot = section["RulesRoot"] is { Length: > 0 } root ? root : shipped,
                WatchRules = section.GetValue<bool>("WatchRules"),
                SqlitePath = section["SqlitePath"] is { Length: > 0 } sqlite ? sqlite : null,
                PostgreSqlConnectionString = section["PostgreSqlConnectionString"] is { Length: > 0 } pg ? pg : null,
                RetryAfterSeconds = section.GetValue("RetryAfterSeconds", 1),
                AuditKeyFile = section["AuditKeyFile"] is { Length: > 0 } keyFile ? keyFile : null,
            };
        }

        /// <summary>The key <see cref="AuditKeyFile"/> holds, or null when none is configured.</summary>
        /// <exception cref="ServerConfigurationException">The file is missing, unreadable, or holds no usable key.</exception>
        public AuditKey? ReadAuditKey(string contentRoot)
        {
            if (AuditKeyFile is null)
            {
                return null;
            }

            var path = Path.GetFullPath(AuditKeyFile, contentRoot);
            try
            {
                return AuditKey.FromFile(path);
            }
            catch (Exception e) when (e is FormatException or IOException or UnauthorizedAccessException)
            {
                throw new ServerConfigurationException($"{ServerApp.Section}:AuditKeyFile ({path}): {(e is FileNotFoundException ? "no such file" : e.Message)}", e);
            }
        }
    }
}
