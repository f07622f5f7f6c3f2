using System.Collections.Generic;
using System.Linq;
using DecisionRouting.Diagnostics;
using DecisionRouting.Workflows;
using NodaTime;

namespace DecisionRouting.RuleSets
{
    /// <summary>
    /// Checks on law dated as data (<c>effective</c>, <c>requirement</c>): what a period is judged against (DR0050),
    /// the versions of one requirement against each other (overlaps DR0051, gaps DR0052, not comparable DR0054), and
    /// each dated rule against the dated steps it requires (DR0053). Shared by the library, the CLI and the analyzer.
    /// </summary>
    internal static class EffectiveChecks
    {
        public static void Check(
            IReadOnlyList<WorkflowDefinition> workflows,
            IReadOnlyDictionary<string, Step> steps,
            IReadOnlyDictionary<string, RuleSetAttribute>? attributes,
            DiagnosticBag diagnostics)
        {
            var topLevel = workflows.SelectMany(w => w.Rules).ToList();
            foreach (var nested in workflows.SelectMany(w => w.Rules).SelectMany(r => WorkflowChecks.AllRules(r.Rules)))
            {
                // Only top-level rules contribute steps, so a period on a child would be silently ignored.
                if (nested.EffectiveLocation is { } location)
                {
                    diagnostics.Report(DiagnosticDescriptors.NestedRuleDated, location, "effective", nested.Name, "only a top-level rule is dated; put the period on the rule that contains it");
                }

                if (nested.RequirementNode is { } requirement)
                {
                    diagnostics.Report(DiagnosticDescriptors.NestedRuleDated, requirement.Location, "requirement", nested.Name, "only a top-level rule is a version of a requirement");
                }
            }

            var dated = topLevel.Where(r => r.Enabled && r.Governance?.Effective is not null).ToList();
            if (attributes is not null)
            {
                foreach (var rule in dated.Where(r => r.OnNode is not null))
                {
                    var on = rule.OnNode!;
                    if (!attributes.TryGetValue(on.Value, out var attribute))
                    {
                        diagnostics.Report(DiagnosticDescriptors.EffectiveOnNotDateAttribute, on.Location, rule.Name, on.Value, "is not declared", NameSuggestions.DidYouMean(on.Value, attributes.Values.Where(a => a.Kind == RuleSetAttributeKind.Date).Select(a => a.Name)));
                    }
                    else if (attribute.Kind != RuleSetAttributeKind.Date)
                    {
                        diagnostics.Report(DiagnosticDescriptors.EffectiveOnNotDateAttribute, on.Location, rule.Name, on.Value, $"is declared as {attribute.KindInWords}", string.Empty);
                    }
                }
            }

            foreach (var rule in dated)
            {
                var period = rule.Governance!.Effective!;
                foreach (var node in rule.StepNodes)
                {
                    if (steps.TryGetValue(node.Value, out var step) && step.Effective is { } stepPeriod && !stepPeriod.Covers(period))
                    {
                        diagnostics.Report(DiagnosticDescriptors.StepNotInForceForRule, node.Location, rule.Name, period.Describe(), step.Id, stepPeriod.Describe());
                    }
                }
            }

            foreach (var group in topLevel.Where(r => r.Enabled && r.Governance?.Requirement is not null).GroupBy(r => r.Governance!.Requirement!))
            {
                CheckVersions(group.Key, group.ToList(), diagnostics);
            }
        }

        private static void CheckVersions(string requirement, List<RuleDefinition> versions, DiagnosticBag diagnostics)
        {
            if (versions.Count < 2)
            {
                return;
            }

            var comparable = true;
            var first = versions.FirstOrDefault(v => v.Governance!.Effective is not null);
            foreach (var version in versions)
            {
                var effective = version.Governance!.Effective;
                if (effective is null)
                {
                    diagnostics.Report(DiagnosticDescriptors.RequirementVersionsNotComparable, version.RequirementNode!.Location, version.Name, requirement, "has no 'effective' period");
                    comparable = false;
                }
                else if (first is not null && effective.On != first.Governance!.Effective!.On)
                {
                    diagnostics.Report(DiagnosticDescriptors.RequirementVersionsNotComparable, version.EffectiveLocation!, version.Name, requirement, $"is judged against {effective.JudgedAgainst} while rule '{first.Name}' is judged against {first.Governance.Effective.JudgedAgainst}");
                    comparable = false;
                }
            }

            if (!comparable)
            {
                return;
            }

            // Sorted by start (no start first), each version is compared with the one reaching furthest so far: an
            // earlier end than its start is a gap, a later one an overlap.
            var ordered = versions.OrderBy(v => v.Governance!.Effective!.From ?? LocalDate.MinIsoValue).ToList();
            var reach = ordered[0];
            foreach (var next in ordered.Skip(1))
            {
                var reached = reach.Governance!.Effective!;
                var period = next.Governance!.Effective!;
                if (reached.Until is null || period.From is null || reached.Until.Value > period.From.Value)
                {
                    var both = new EffectivePeriod(Later(reached.From, period.From), Earlier(reached.Until, period.Until));
                    diagnostics.Report(DiagnosticDescriptors.RequirementVersionsOverlap, next.EffectiveLocation!, next.Name, reach.Name, reach.EffectiveLocation!, requirement, both.Describe());
                }
                else if (reached.Until.Value < period.From.Value)
                {
                    diagnostics.Report(DiagnosticDescriptors.RequirementVersionsGap, next.EffectiveLocation!, requirement, new EffectivePeriod(reached.Until, period.From).Describe(), reach.Name, next.Name);
                }

                if (reached.Until is not null && (period.Until is null || period.Until.Value > reached.Until.Value))
                {
                    reach = next;
                }
            }
        }

        private static LocalDate? Later(LocalDate? a, LocalDate? b) => a is null ? b : b is null ? a : LocalDate.Max(a.Value, b.Value);

        private static LocalDate? Earlier(LocalDate? a, LocalDate? b) => a is null ? b : b is null ? a : LocalDate.Min(a.Value, b.Value);
    }
}
