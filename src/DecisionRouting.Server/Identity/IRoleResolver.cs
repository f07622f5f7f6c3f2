using System.Collections.Generic;
using System.Security.Claims;

namespace DecisionRouting.Server.Identity
{
    /// <summary>
    /// Turns the authenticated identity of a request into the DecisionRouting actor: the name the audit trail records
    /// and the roles (<c>s151-officer</c>, <c>clerk-to-cabinet</c>, …) the lifecycle checks. The default,
    /// <see cref="ClaimsRoleResolver"/>, reads role claims through a configured mapping; register your own
    /// <see cref="IRoleResolver"/> (before or in <see cref="ServerApp.Build"/>'s configure callback) to read roles
    /// from anywhere else, such as a directory lookup.
    /// </summary>
    public interface IRoleResolver
    {
        /// <summary>
        /// The actor for <paramref name="user"/>, or null when the request carries no authenticated identity (the
        /// service then answers 401). An actor with no roles is answered 403 where a role is needed.
        /// </summary>
        ResolvedActor? Resolve(ClaimsPrincipal user);
    }

    /// <summary>Who is acting, as the identity says.</summary>
    /// <param name="Name">The name recorded in the audit trail.</param>
    /// <param name="Roles">DecisionRouting role ids, distinct, in the order the claims gave them.</param>
    public sealed record ResolvedActor(string Name, IReadOnlyList<string> Roles);
}
