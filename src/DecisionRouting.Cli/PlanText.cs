using System.Text;
using DecisionRouting.Routing;
using DecisionRouting.Text;

namespace DecisionRouting.Cli
{
    /// <summary>
    /// A routing plan in words, for governance officers. Every line is written through <see cref="Fields"/>, so a title,
    /// name, reason or warning holding a line feed stays on its own line.
    /// </summary>
    internal static class PlanText
    {
        public static string Write(RoutingPlan plan)
        {
            var p = plan.Proposal;
            var text = new StringBuilder();
            text.Line($"Routing plan: {p.Title}");
            text.Line($"  proposal {p.Id} · decision by {p.DecisionMaker} on {DateText.Long.Format(p.IntendedDecisionDate)} · rule set {plan.RuleSetName} ({plan.RuleSetHash.Substring(0, 12)})");
            if (!plan.IsComplete)
            {
                // First thing read, so nobody relies on the steps below without knowing they may be short.
                text.Append('\n').Line($"{Banner(plan)}");
            }

            if (plan.EffectiveFrom is { } effective)
            {
                text.Line($"  effective from {StepTimingText.When(effective)}");
            }

            if (plan.DecisionDate < plan.AsOf)
            {
                text.Append("  the decision date has passed: dates are shown as they fell\n");
            }

            foreach (var route in plan.UrgencyRoutes)
            {
                text.Line($"  urgency route: {route.Instead} instead of {route.Impracticable} ({route.Reason})");
            }

            foreach (var stage in plan.Stages)
            {
                text.Append('\n').Line($"Stage {stage[0].Stage}{(stage.Count > 1 ? " (these can run in parallel)" : string.Empty)}");
                foreach (var step in stage)
                {
                    text.Line($"  {step.Step.Name}  [{step.Id}, {step.Step.Kind}]");
                    if ((step.Body?.Name ?? step.Role?.Name) is { } by)
                    {
                        text.Line($"      by: {by}");
                    }

                    if (step.Step.Duration is { } duration)
                    {
                        text.Line($"      period: {duration}");
                    }

                    if (step.Timing is { } timing && StepTimingText.Describe(timing) is { Length: > 0 } dates)
                    {
                        text.Line($"      dates: {dates}");
                    }

                    if (step.After.Count > 0)
                    {
                        text.Line($"      after: {string.Join(", ", step.After)}");
                    }

                    foreach (var rule in step.RequiredBy)
                    {
                        text.Line($"      because: {rule.Reason ?? rule.Rule}");
                        text.Line($"        source: {rule.Source ?? "(none cited)"}{(rule.Verify && rule.Source?.Contains("verify", System.StringComparison.OrdinalIgnoreCase) != true ? " (verify)" : string.Empty)}");
                    }
                }
            }

            text.Append('\n').Line($"Rules matched ({plan.MatchedRules.Count})");
            foreach (var rule in plan.MatchedRules)
            {
                text.Line($"  {rule.Workflow}/{rule.Rule}: {rule.Source ?? "(no source)"}");
            }

            if (plan.Warnings.Count > 0)
            {
                text.Append('\n').Line($"Warnings ({plan.Warnings.Count})");
                foreach (var warning in plan.Warnings)
                {
                    text.Line($"  ! {warning.Message}");
                }
            }

            if (!plan.IsComplete)
            {
                text.Append('\n').Line($"{Banner(plan)}");
                text.Append(Reasons(plan));
            }

            return text.ToString();
        }

        /// <summary>The one-line warning that the plan is incomplete (only counts: no value from the files).</summary>
        public static string Banner(RoutingPlan plan) => IncompleteText.Banner(plan);

        /// <summary>Each undecided or failed rule, what it lacked, and the steps it would require.</summary>
        public static string Reasons(RoutingPlan plan)
        {
            var text = new StringBuilder();
            text.Line($"Incomplete ({plan.Incomplete.Count + plan.Contradictions.Count + (plan.DecisionStepMissing ? 1 : 0)})");
            foreach (var (rule, reason) in IncompleteText.Reasons(plan))
            {
                text.Line($"  ? {reason}");
                if (rule is { Steps.Count: > 0 })
                {
                    text.Line($"      would require: {string.Join(", ", rule.Steps)}");
                }
            }

            return text.ToString();
        }
    }
}
