using System.Collections.Generic;

namespace DecisionRouting.Workflows
{
    /// <summary>
    /// Our metadata on a RulesEngine rule, read from its <c>Properties</c>: the steps the rule requires when it
    /// matches, where the requirement comes from, and why, in words an officer can check.
    /// </summary>
    public sealed record RuleGovernance
    {
        /// <summary>Ids of the steps the rule requires.</summary>
        public IReadOnlyList<string> Steps { get; init; } = System.Array.Empty<string>();

        /// <summary>The statute and section, or constitution and paragraph.</summary>
        public string? Source { get; init; }

        /// <summary>Why the rule requires its steps, in plain English.</summary>
        public string? Reason { get; init; }

        /// <summary>True where the source has not been checked against the primary legal text.</summary>
        public bool Verify { get; init; }

        /// <summary>A warning to put on the plan when the rule matches (e.g. a seed that contradicts the law).</summary>
        public string? Warning { get; init; }

        /// <summary>
        /// The period the rule's law is in force for (<c>effective</c>), or null when it is always in force. A rule out of
        /// force on its date does not match, whatever its expression says.
        /// </summary>
        public EffectivePeriod? Effective { get; init; }

        /// <summary>
        /// The requirement this rule is one version of (<c>requirement</c>, e.g. <c>tulrca-s188-consultation</c>): versions
        /// of one requirement differ by <see cref="Effective"/>, and the loader checks they neither overlap nor leave gaps.
        /// </summary>
        public string? Requirement { get; init; }

        /// <summary>The day the rule's law was last checked against the primary text (<c>checked</c>), if recorded.</summary>
        public NodaTime.LocalDate? Checked { get; init; }
    }
}
