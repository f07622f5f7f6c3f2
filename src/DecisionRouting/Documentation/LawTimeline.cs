using System;
using System.Collections.Generic;
using System.Linq;
using DecisionRouting.RuleSets;
using DecisionRouting.Workflows;

namespace DecisionRouting.Documentation
{
    /// <summary>
    /// A requirement's versions in words, latest first, for the rules catalogue and the law-status document: e.g.
    /// "from 6 Apr 2013: `CollectiveRedundancies100OrMore` (`collective-consultation-45` 45 calendar days …); before
    /// 6 Apr 2013: `…Before6April2013` (`collective-consultation-90` 90 calendar days …)".
    /// </summary>
    internal static class LawTimeline
    {
        /// <summary>Every requirement with at least one version defined in <paramref name="layer"/>, by name, with all its versions in the chain.</summary>
        public static IReadOnlyList<(string Requirement, IReadOnlyList<RuleDefinition> Versions)> Requirements(RuleSetDefinition ruleSet, string layer)
        {
            var rules = ruleSet.Workflows.SelectMany(w => w.Rules.Select(r => (w.RuleSet, Rule: r)))
                .Where(x => x.Rule.Enabled && x.Rule.Governance?.Requirement is not null)
                .ToList();
            return rules.GroupBy(x => x.Rule.Governance!.Requirement!, StringComparer.Ordinal)
                .Where(g => g.Any(x => x.RuleSet == layer))
                .OrderBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => (g.Key, (IReadOnlyList<RuleDefinition>)g.Select(x => x.Rule).ToList()))
                .ToList();
        }

        /// <summary>The versions in words, latest first; each with its period, rule and the periods of the steps it requires.</summary>
        public static string Describe(IEnumerable<RuleDefinition> versions, RuleSetDefinition ruleSet)
        {
            var ordered = versions
                .OrderByDescending(v => v.Governance?.Effective?.From ?? NodaTime.LocalDate.MinIsoValue)
                .ThenByDescending(v => v.Governance?.Effective?.Until ?? NodaTime.LocalDate.MaxIsoValue);
            var judged = versions.Select(v => v.Governance?.Effective?.On).FirstOrDefault(o => o is not null);
            var parts = ordered.Select(v => $"{v.Governance?.Effective?.Describe() ?? "undated"}: `{v.Name}`{Steps(v, ruleSet)}");
            return string.Join("; ", parts) + (judged is null ? string.Empty : $" (judged on attribute '{judged}')");
        }

        private static string Steps(RuleDefinition rule, RuleSetDefinition ruleSet)
        {
            var steps = (rule.Governance?.Steps ?? Array.Empty<string>())
                .Select(id => ruleSet.Steps.TryGetValue(id, out var step) && step.Duration is { } duration ? $"`{id}` {duration.Days} {Counting(duration.Counting)}" : $"`{id}`")
                .ToList();
            return steps.Count == 0 ? string.Empty : $" ({string.Join(", ", steps)})";
        }

        private static string Counting(DayCounting counting) => counting switch
        {
            DayCounting.CalendarDays => "days",
            DayCounting.WorkingDays => "working days",
            DayCounting.ClearCalendarDays => "clear days",
            _ => "clear working days",
        };
    }
}
