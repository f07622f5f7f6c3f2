using System;
using System.Collections.Generic;
using System.Linq;

namespace DecisionRouting.Lifecycle
{
    /// <summary>Someone acting on a case, with the roles they act in.</summary>
    /// <param name="Name">Who they are, as the audit trail records them.</param>
    /// <param name="Roles">
    /// The roles they act in: catalogue role ids (<c>s151-officer</c>, <c>monitoring-officer</c>, <c>hr-lead</c>,
    /// <c>scrutiny-chair</c>) or a body's clerk (<c>clerk-to-cabinet</c>, <c>clerk-to-icb-board</c>); see
    /// <see cref="StepRoles"/>.
    /// </param>
    public sealed record Actor(string Name, IReadOnlyList<string> Roles)
    {
        /// <summary>An actor in one role.</summary>
        public Actor(string name, string role)
            : this(name, new[] { role })
        {
        }

        /// <summary>Whether the actor holds any of <paramref name="roles"/>.</summary>
        public bool HoldsAny(IEnumerable<string> roles) => roles.Any(r => Roles.Contains(r, StringComparer.Ordinal));

        /// <summary>The roles as one line, for messages and the audit trail.</summary>
        public string RoleList => Roles.Count == 0 ? "(no role)" : string.Join(", ", Roles);
    }
}
