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
    }
}
