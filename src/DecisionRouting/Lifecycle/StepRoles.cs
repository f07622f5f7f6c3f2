using System;
using System.Collections.Generic;

namespace DecisionRouting.Lifecycle
{
    /// <summary>
    /// Who may complete a step. A step an officer performs names its role in the catalogue (<c>s151-officer</c>); a
    /// body's step is recorded by the body's clerk or secretary, whose role is <c>clerk-to-</c> and the body id
    /// (<c>clerk-to-cabinet</c>, <c>clerk-to-icb-board</c>, <c>clerk-to-health-and-wellbeing-board</c>).
    /// </summary>
    public static class StepRoles
    {
        /// <summary>The prefix of a body clerk's role.</summary>
        public const string ClerkPrefix = "clerk-to-";

        /// <summary>The role of the clerk (or secretary) to a body.</summary>
        public static string ClerkTo(string bodyId) => ClerkPrefix + bodyId;

        /// <summary>The roles allowed to complete <paramref name="step"/>.</summary>
        public static IReadOnlyList<string> For(Step step)
        {
            ArgumentNullException.ThrowIfNull(step);

            var roles = new List<string>(2);
            if (step.Role is { } role)
            {
                roles.Add(role);
            }

            if (step.Body is { } body)
            {
                roles.Add(ClerkTo(body));
            }

            // A step with neither (only possible in hand-written catalogues) falls to democratic services.
            if (roles.Count == 0)
            {
                roles.Add("democratic-services");
            }

            return roles;
        }
    }
}
