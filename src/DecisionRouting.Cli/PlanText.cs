using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using DecisionRouting.Routing;
using NodaTime;

namespace DecisionRouting.Cli
{
    /// <summary>A routing plan in words, for governance officers.</summary>
    internal static class PlanText
    {
        public static string Write(RoutingPlan plan)
        {
            var p = plan.Proposal;
            var text = new StringBuilder();
            text.Append("Routing plan: ").Append(p.Title).Append('\n');
            text.Append("  proposal ").Append(p.Id).Append(" · decision by ").Append(p.DecisionMaker)
                .Append(" on ").Append(p.IntendedDecisionDate.ToString("d MMMM uuuu", null))
                .Append(" · rule set ").Append(plan.RuleSetName).Append(" (").Append(plan.RuleSetHash.Substring(0, 12)).Append(")\n");
            if (!plan.IsComplete)
            {
                // First thing read, so nobody relies on the steps below without knowing they may be short.
                text.Append('\n').Append(Banner(plan)).Append('\n');
            }

            if (plan.EffectiveFrom is { } effective)
            {
                text.Append("  effective from ").Append(When(effective)).Append('\n');
            }

            if (plan.DecisionDate < plan.AsOf)
            {
                text.Append("  the decision date has passed: dates are shown as they fell\n");
            }

            foreach (var route in plan.UrgencyRoutes)
            {
                text.Append("  urgency route: ").Append(route.Instead).Append(" instead of ").Append(route.Impracticable).Append(" (").Append(route.Reason).Append(")\n");
            }

            foreach (var stage in plan.Stages)
            {
                text.Append('\n').Append("Stage ").Append(stage[0].Stage)
                    .Append(stage.Count > 1 ? " (these can run in parallel)" : string.Empty).Append('\n');
                foreach (var step in stage)
                {
                    text.Append("  ").Append(step.Step.Name).Append("  [").Append(step.Id).Append(", ").Append(step.Step.Kind).Append("]\n");
                    if ((step.Body?.Name ?? step.Role?.Name) is { } by)
                    {
                        text.Append("      by: ").Append(by).Append('\n');
                    }

                    if (step.Step.Duration is { } duration)
                    {
                        text.Append("      period: ").Append(duration).Append('\n');
                    }

                    if (step.Timing is { } timing && Dates(timing) is { Length: > 0 } dates)
                    {
                        text.Append("      dates: ").Append(dates).Append('\n');
                    }

                    if (step.After.Count > 0)
                    {
                        text.Append("      after: ").Append(string.Join(", ", step.After)).Append('\n');
                    }

                    foreach (var rule in step.RequiredBy)
                    {
                        text.Append("      because: ").Append(rule.Reason ?? rule.Rule).Append('\n');
                        text.Append("        source: ").Append(rule.Source ?? "(none cited)").Append(rule.Verify && rule.Source?.Contains("verify", System.StringComparison.OrdinalIgnoreCase) != true ? " (verify)" : string.Empty).Append('\n');
                    }
                }
            }

            text.Append('\n').Append("Rules matched (").Append(plan.MatchedRules.Count).Append(")\n");
            foreach (var rule in plan.MatchedRules)
            {
                text.Append("  ").Append(rule.Workflow).Append('/').Append(rule.Rule).Append(": ").Append(rule.Source ?? "(no source)").Append('\n');
            }

            if (plan.Warnings.Count > 0)
            {
                text.Append('\n').Append("Warnings (").Append(plan.Warnings.Count).Append(")\n");
                foreach (var warning in plan.Warnings)
                {
                    text.Append("  ! ").Append(warning.Message).Append('\n');
                }
            }

            if (!plan.IsComplete)
            {
                text.Append('\n').Append(Banner(plan)).Append('\n');
                text.Append(Reasons(plan));
            }

            return text.ToString();
        }

        /// <summary>The one-line warning that the plan is incomplete.</summary>
        public static string Banner(RoutingPlan plan) =>
            $"!! INCOMPLETE PLAN: {Count(plan, IncompleteRuleKind.Undecided)} rule(s) undecided, {Count(plan, IncompleteRuleKind.NotEvaluated)} not evaluated{(plan.Contradictions.Count > 0 ? $" and {plan.Contradictions.Count} contradiction(s)" : string.Empty)}{(plan.DecisionStepMissing ? ", no decision step" : string.Empty)}; the plan may lack required steps or carry wrong dates. Do not rely on it until the reasons below are resolved.";

        /// <summary>Each undecided or failed rule, what it lacked, and the steps it would require.</summary>
        public static string Reasons(RoutingPlan plan)
        {
            var text = new StringBuilder();
            text.Append("Incomplete (").Append(plan.Incomplete.Count + plan.Contradictions.Count + (plan.DecisionStepMissing ? 1 : 0)).Append(")\n");
            foreach (var rule in plan.Incomplete)
            {
                text.Append("  ? ").Append(rule.Workflow).Append('/').Append(rule.Rule).Append(": ")
                    .Append(rule.Kind == IncompleteRuleKind.Undecided ? "undecided, the proposal gives no value for " + rule.MissingValue : "not evaluated, " + rule.Message)
                    .Append('\n');
                if (rule.Steps.Count > 0)
                {
                    text.Append("      would require: ").Append(string.Join(", ", rule.Steps)).Append('\n');
                }
            }

            foreach (var contradiction in plan.Contradictions)
            {
                text.Append("  ? contradiction (").Append(contradiction.Check).Append("): ").Append(contradiction.Message).Append('\n');
            }

            if (plan.DecisionStepMissing)
            {
                text.Append("  ? no decision step: no rule gives the decision-maker (").Append(plan.Proposal.DecisionMaker).Append(") its decision, so the plan cannot date the decision or when it takes effect\n");
            }

            return text.ToString();
        }

        private static int Count(RoutingPlan plan, IncompleteRuleKind kind) => plan.Incomplete.Count(r => r.Kind == kind);

        private static string Dates(StepTiming timing)
        {
            if (timing.EarliestStart is { } day && timing.LatestDate == day)
            {
                return "on " + Day(day);
            }

            var parts = new List<string>();
            if (timing.LatestStart is { } latestStart)
            {
                parts.Add("start by " + Day(latestStart));
            }

            if (timing.LatestDate is { } latest)
            {
                parts.Add("by " + Day(latest));
            }

            if (timing.EarliestStart is { } start)
            {
                parts.Add("from " + Day(start));
            }

            if (timing.Closes is { } closes)
            {
                parts.Add("closes " + When(closes));
            }
            else if (timing.EarliestEnd is { } end)
            {
                parts.Add("to " + Day(end));
            }

            return string.Join(", ", parts) + (timing.FromSchedule ? " (dates from the proposal)" : string.Empty);
        }

        private static string Day(LocalDate date) => date.ToString("ddd d MMM uuuu", CultureInfo.InvariantCulture);

        private static string When(ZonedDateTime time) =>
            time.TimeOfDay == LocalTime.Midnight
                ? "the start of " + Day(time.Date)
                : time.ToString("HH:mm", CultureInfo.InvariantCulture) + " on " + Day(time.Date);
    }
}
