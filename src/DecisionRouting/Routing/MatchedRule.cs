using System.Collections.Generic;

namespace DecisionRouting.Routing
{
    /// <summary>A rule the proposal matched: why steps are required, and on what authority.</summary>
    /// <param name="Workflow">The workflow holding the rule.</param>
    /// <param name="Rule">The rule's name.</param>
    /// <param name="Source">The statute and section, or constitution and paragraph, it cites.</param>
    /// <param name="Reason">Why, in plain English.</param>
    /// <param name="Verify">True where the source has not been checked against the primary text.</param>
    /// <param name="Steps">The steps it requires.</param>
    public sealed record MatchedRule(string Workflow, string Rule, string? Source, string? Reason, bool Verify, IReadOnlyList<string> Steps);
}
