using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using DecisionRouting.RuleSets;
using DecisionRouting.Workflows;

namespace DecisionRouting.Documentation
{
    /// <summary>
    /// Writes the law-status document (<c>docs/law-status.md</c>): for every rule and step of every rule set, its source,
    /// whether that source has been checked against the primary text, the day it was last checked, and the period it is
    /// in force for; each requirement's timeline; and, at the top, how many rules are still marked <c>verify: true</c>.
    /// Output depends only on the rule files, so a test can tell when the document is stale.
    /// </summary>
    internal static class LawStatus
    {
        /// <summary>The rule set whose unverified rules the document counts first: the statutory baseline.</summary>
        public const string Baseline = "england";

        /// <summary>The law-status document for the given rule sets, in the order given.</summary>
        public static string Write(IEnumerable<RuleSetDefinition> ruleSets)
        {
            ArgumentNullException.ThrowIfNull(ruleSets);

            var sets = ruleSets.ToList();
            var unverified = sets.SelectMany(s => OwnRules(s).Where(r => r.Rule.Governance?.Verify == true).Select(r => (Set: s.Name, r.Workflow, r.Rule))).ToList();
            var text = new StringBuilder();
            text.Append("# Law status\n\n");
            text.Append("Generated from the rule files by `decision-routing catalogue rules --law-status --output docs/law-status.md`; do not edit by hand. ");
            text.Append("For each rule and step: the source it cites, whether that source has been checked against the primary legal text, the day it was last checked (`checked`), and the period its law is in force for (`effective`; from inclusive, until exclusive, shown here as the last day in force). ");
            text.Append("**Unverified** means the rule says `verify: true` (a step: its source says \"verify\"): its source names exactly what to check. **Checked** means the law was read on the day shown. **Not recorded** means the source is cited but no check is recorded.\n\n");
            text.Append("**Rules marked `verify: true`: ").Append(unverified.Count).Append(" in all; ")
                .Append(unverified.Count(u => u.Set == Baseline)).Append(" in the England baseline (`").Append(Baseline).Append("`).**\n\n");
            text.Append("| Rule set | Rules | Unverified | Checked | Not recorded |\n|---|---|---|---|---|\n");
            foreach (var set in sets)
            {
                var rules = OwnRules(set).Select(r => r.Rule).ToList();
                text.Append("| ").Append(set.Name).Append(" | ").Append(rules.Count)
                    .Append(" | ").Append(rules.Count(r => State(r) == "**unverified**"))
                    .Append(" | ").Append(rules.Count(r => State(r) == "checked"))
                    .Append(" | ").Append(rules.Count(r => State(r) == "not recorded")).Append(" |\n");
            }

            if (unverified.Count > 0)
            {
                text.Append("\n## Unverified rules and what to check\n\n| Rule | Rule set | What to check (its source) |\n|---|---|---|\n");
                foreach (var (set, workflow, rule) in unverified)
                {
                    text.Append("| ").Append(Cell($"{workflow}/{rule.Name}")).Append(" | ").Append(set)
                        .Append(" | ").Append(Cell(rule.Governance?.Source ?? "(none cited)")).Append(" |\n");
                }
            }

            foreach (var set in sets)
            {
                WriteRuleSet(text, set);
            }

            return text.ToString();
        }

        private static void WriteRuleSet(StringBuilder text, RuleSetDefinition ruleSet)
        {
            var layer = ruleSet.Name;
            text.Append("\n## ").Append(layer).Append('\n');
            var rules = OwnRules(ruleSet).ToList();
            if (rules.Count > 0)
            {
                text.Append("\n| Rule | In force | Source | State | Last checked |\n|---|---|---|---|---|\n");
                foreach (var (workflow, rule) in rules)
                {
                    var governance = rule.Governance;
                    text.Append("| ").Append(Cell($"{workflow}/{rule.Name}"))
                        .Append(" | ").Append(Cell(InForce(governance?.Effective)))
                        .Append(" | ").Append(Cell(governance?.Source ?? "(none cited)"))
                        .Append(" | ").Append(State(rule))
                        .Append(" | ").Append(Checked(governance?.Checked)).Append(" |\n");
                }
            }

            var steps = ruleSet.Steps.Values.Where(s => ruleSet.StepOrigins.TryGetValue(s.Id, out var origin) && origin == layer).ToList();
            if (steps.Count > 0)
            {
                text.Append("\n| Step | In force | Source | State | Last checked |\n|---|---|---|---|---|\n");
                foreach (var step in steps)
                {
                    text.Append("| `").Append(step.Id).Append("` | ").Append(Cell(InForce(step.Effective)))
                        .Append(" | ").Append(Cell(step.Source ?? "(none cited)"))
                        .Append(" | ").Append(State(step))
                        .Append(" | ").Append(Checked(step.Checked)).Append(" |\n");
                }
            }

            var requirements = LawTimeline.Requirements(ruleSet, layer);
            if (requirements.Count > 0)
            {
                text.Append("\n| Requirement | Timeline (latest first) |\n|---|---|\n");
                foreach (var (requirement, versions) in requirements)
                {
                    text.Append("| `").Append(requirement).Append("` | ").Append(Cell(LawTimeline.Describe(versions, ruleSet))).Append(" |\n");
                }
            }
        }

        /// <summary>The enabled top-level rules the rule set itself defines (not those it inherits), in file order.</summary>
        private static IEnumerable<(string Workflow, RuleDefinition Rule)> OwnRules(RuleSetDefinition ruleSet) =>
            ruleSet.Workflows.Where(w => w.RuleSet == ruleSet.Name).SelectMany(w => w.Rules.Where(r => r.Enabled).Select(r => (w.Name, r)));

        private static string State(RuleDefinition rule) =>
            rule.Governance?.Verify == true ? "**unverified**" : rule.Governance?.Checked is not null ? "checked" : "not recorded";

        private static string State(Step step) =>
            step.Source is null ? "no source"
            : step.Source.IndexOf("verify", StringComparison.OrdinalIgnoreCase) >= 0 ? "**unverified**"
            : step.Checked is not null ? "checked"
            : "not recorded";

        private static string InForce(EffectivePeriod? effective) =>
            effective is null ? "always" : effective.Describe() + (effective.On is null ? string.Empty : $" (on attribute '{effective.On}')");

        private static string Checked(NodaTime.LocalDate? day) => day is { } d ? Text.DateText.Iso.Format(d) : "—";

        /// <summary>A table cell: line breaks as spaces (a line break would end the table row), other controls shown visibly.</summary>
        private static string Cell(string value) => MarkdownText.Cell(value);
    }
}
