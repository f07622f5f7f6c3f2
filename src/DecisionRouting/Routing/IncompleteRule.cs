using System.Collections.Generic;

namespace DecisionRouting.Routing
{
    /// <summary>Why a rule's outcome is not in the plan.</summary>
    public enum IncompleteRuleKind
    {
        /// <summary>The rule reads a value the proposal does not give (an optional attribute, a schedule date); it is neither true nor false.</summary>
        Undecided,

        /// <summary>Evaluating the rule (or a global parameter its workflow evaluates first) failed for another reason.</summary>
        NotEvaluated,
    }

    /// <summary>
    /// A rule whose outcome the plan cannot give, so the plan may lack the steps it would require
    /// (<see cref="RoutingPlan.IsComplete"/> is false).
    /// </summary>
    /// <param name="Workflow">The entry workflow.</param>
    /// <param name="Rule">The top-level rule.</param>
    /// <param name="Kind">Undecided (a value is missing) or not evaluated (an error).</param>
    /// <param name="MissingValue">For an undecided rule, the value it lacked in words, e.g. <c>attribute 'localSpendCap'</c>; otherwise null.</param>
    /// <param name="Message">What happened, in plain English (for a rule not evaluated, the error).</param>
    /// <param name="Steps">The steps the rule requires when it matches: the steps the plan may be missing.</param>
    public sealed record IncompleteRule(string Workflow, string Rule, IncompleteRuleKind Kind, string? MissingValue, string Message, IReadOnlyList<string> Steps);
}
