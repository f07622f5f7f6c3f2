using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Claims;
using Microsoft.Extensions.Configuration;

namespace DecisionRouting.Server.Identity
{
    /// <summary>
    /// The default <see cref="IRoleResolver"/>: the actor's name is the identity's name (claim <c>name</c> or
    /// <see cref="ClaimTypes.Name"/>), and its roles are the values of the role claims (<c>DecisionRouting:Roles:ClaimType</c>,
    /// default <see cref="ClaimTypes.Role"/> and <c>role</c>), each mapped through <c>DecisionRouting:Roles:Map</c>
    /// (<c>"Map": { "Finance.Director": "s151-officer", "Legal.Head": "monitoring-officer,clerk-to-cabinet" }</c>).
    /// With a map, a claim it does not name gives no role, so an identity provider's unrelated groups never become
    /// governance roles; with no map, each claim value is taken as a DecisionRouting role id as it is.
    /// </summary>
    public sealed class ClaimsRoleResolver : IRoleResolver
    {
        private readonly string[] _claimTypes;
        private readonly Dictionary<string, string[]>? _map;

        /// <summary>Reads the claim type and map from configuration.</summary>
        public ClaimsRoleResolver(IConfiguration configuration)
        {
            ArgumentNullException.ThrowIfNull(configuration);
            var section = configuration.GetSection($"{ServerApp.Section}:Roles");
            _claimTypes = section["ClaimType"] is { Length: > 0 } type ? new[] { type } : new[] { ClaimTypes.Role, "role" };
            var map = section.GetSection("Map").GetChildren().ToList();
            _map = map.Count == 0
                ? null
                : map.ToDictionary(
                    c => c.Key,
                    c => (c.Value ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
                    StringComparer.Ordinal);
        }

        /// <inheritdoc />
        public ResolvedActor? Resolve(ClaimsPrincipal user)
        {
            ArgumentNullException.ThrowIfNull(user);
            if (user.Identity is not { IsAuthenticated: true } identity)
            {
                return null;
            }

            var name = identity.Name ?? user.FindFirst("name")?.Value ?? user.FindFirst(ClaimTypes.NameIdentifier)?.Value ?? "(unnamed)";
            var values = user.Claims.Where(c => _claimTypes.Contains(c.Type, StringComparer.Ordinal)).Select(c => c.Value);
            var roles = _map is null
                ? values
                : values.SelectMany(v => _map.TryGetValue(v, out var mapped) ? mapped : Array.Empty<string>());
            return new ResolvedActor(name, roles.Where(r => r.Length > 0).Distinct(StringComparer.Ordinal).ToList());
        }
    }
}
