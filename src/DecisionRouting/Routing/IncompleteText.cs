using System.Collections.Generic;
using System.Linq;

namespace DecisionRouting.Routing
{
    /// <summary>
    /// Why a plan is not complete, one line per reason: the wording the CLI's text plan and the plan diagrams share, so
    /// every rendering of an incomplete plan says the same thing about it.
    /// </summary>
    internal static class IncompleteText
    {
        /// <summary>The one-line warning every rendering of an incomplete plan starts with.</summary>
        public static string Banner(RoutingPlan plan) =>
            $"!! INCOMPLETE PLAN: {Count(plan, IncompleteRuleKind.Undecided)} rule(s) undecided, {Count(plan, IncompleteRuleKind.NotEvaluated)} not evaluated{(plan.Contradictions.Count > 0 ? $" and {plan.Contradictions.Count} contradiction(s)" : string.Empty)}{(plan.DecisionStepMissing ? ", no decision step" : string.Empty)}; the plan may lack required steps or carry wrong dates. Do not rely on it until the reasons below are resolved.";

        /// <summary>Each reason, with the rule it concerns: undecided and failed rules, contradictions, a missing decision step.</summary>
        public static IEnumerable<(IncompleteRule? Rule, string Text)> Reasons(RoutingPlan plan)
        {
            foreach (var rule in plan.Incomplete)
            {
                yield return (rule, $"{rule.Workflow}/{rule.Rule}: {(rule.Kind == IncompleteRuleKind.Undecided ? "undecided, the proposal gives no value for " + rule.MissingValue : "not evaluated, " + rule.Message)}");
            }

            foreach (var contradiction in plan.Contradictions)
            {
                yield return (null, $"contradiction ({contradiction.Check}): {contradiction.Message}");
            }

            if (plan.DecisionStepMissing)
            {
                yield return (null, $"no decision step: no rule gives the decision-maker ({plan.Proposal.DecisionMaker}) its decision, so the plan cannot date the decision or when it takes effect");
            }
        }

        private static int Count(RoutingPlan plan, IncompleteRuleKind kind) => plan.Incomplete.Count(r => r.Kind == kind);
    }
}
