using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using DecisionRouting.RuleSets;
using DecisionRouting.Workflows;

namespace DecisionRouting.Documentation
{
    /// <summary>
    /// Writes the rules catalogue (<c>docs/rules-catalogue.md</c>): per rule set, its parameters, the steps it adds or
    /// changes, and one table of rule, trigger in words, steps and source, so governance officers can review the rules
    /// without reading JSON. Output depends only on the rule files, so a test can tell when the document is stale.
    /// </summary>
    internal static class RulesCatalogue
    {
        /// <summary>The catalogue for the given rule sets, in the order given.</summary>
        public static string Write(IEnumerable<RuleSetDefinition> ruleSets)
        {
            ArgumentNullException.ThrowIfNull(ruleSets);

            var text = new StringBuilder();
            text.Append("# Rules catalogue\n\n");
            text.Append("Generated from the rule files by `decision-routing catalogue rules --output docs/rules-catalogue.md`; do not edit by hand. ");
            text.Append("Each rule set lists only what it adds to the one it extends. Triggers are the rule expressions in words: the expression in the rule file is the authority. ");
            text.Append("Sources marked **(verify)** have not been checked against the primary legal text.\n");
            foreach (var ruleSet in ruleSets)
            {
                WriteRuleSet(text, ruleSet);
            }

            return text.ToString();
        }

        private static void WriteRuleSet(StringBuilder text, RuleSetDefinition ruleSet)
        {
            var layer = ruleSet.Layers[ruleSet.Layers.Count - 1];
            text.Append("\n## ").Append(layer.Name).Append('\n');
            if (layer.Title is not null)
            {
                text.Append('\n').Append(Cell(layer.Title)).Append(".\n");
            }

            if (layer.Extends is not null)
            {
                text.Append("\nExtends `").Append(ruleSet.Layers[ruleSet.Layers.Count - 2].Name).Append("`.\n");
            }

            // Which parameters hold money is read from the whole rule set, base included: a partnership's
            // keyDecisionThreshold is compared with spend only in the England baseline's expressions.
            var money = TriggerWords.MoneyParameters(Expressions(ruleSet));
            var parameters = ruleSet.Parameters.Values.Where(p => p.RuleSet == layer.Name).ToList();
            if (parameters.Count > 0)
            {
                text.Append("\n| Parameter | Value | Source |\n|---|---|---|\n");
                foreach (var parameter in parameters)
                {
                    text.Append("| `").Append(parameter.Name).Append("` | ").Append(Cell(parameter.Timeline is { } timeline
                        ? string.Join("; ", timeline.Select(e => $"{e.Model} {e.Period.Describe()}"))
                        : TriggerWords.ValueOf(parameter, money)))
                        .Append(" | ").Append(Cell(parameter.Source ?? string.Empty)).Append(" |\n");
                }
            }

            var steps = ruleSet.Steps.Values.Where(s => ruleSet.StepOrigins.TryGetValue(s.Id, out var origin) && origin == layer.Name).ToList();
            if (steps.Count > 0)
            {
                text.Append("\n| Step | What | Period | Source |\n|---|---|---|---|\n");
                foreach (var step in steps)
                {
                    var what = step.Effective is { } stepPeriod ? $"{step.Name} (in force {stepPeriod.Describe()})" : step.Name;
                    text.Append("| `").Append(step.Id).Append("` | ").Append(Cell(what)).Append(" | ").Append(Cell(step.Duration?.ToString() ?? string.Empty))
                        .Append(step.PeriodEndsBeforeDate is { } date ? $", before the proposal's `{date}`" : string.Empty)
                        .Append(" | ").Append(Cell(BoldVerify(step.Source ?? string.Empty))).Append(" |\n");
                }
            }

            var workflows = ruleSet.Workflows.Where(w => w.RuleSet == layer.Name).ToList();
            var terms = workflows.SelectMany(w => w.GlobalParams).ToList();
            if (terms.Count > 0)
            {
                text.Append("\n| Term | Means |\n|---|---|\n");
                foreach (var term in terms)
                {
                    text.Append("| ").Append(TriggerWords.Words(term.Name)).Append(" | ").Append(Cell(TriggerWords.DescribeTerm(term.Expression, ruleSet.Parameters, money))).Append(" |\n");
                }
            }

            var byName = ruleSet.Workflows.ToDictionary(w => w.Name, StringComparer.Ordinal);
            text.Append("\n| Rule | Trigger | Steps | Source |\n|---|---|---|---|\n");
            foreach (var workflow in workflows)
            {
                foreach (var rule in workflow.Rules.Where(r => r.Enabled))
                {
                    var governance = rule.Governance;
                    var verify = governance?.Verify == true && governance.Source?.IndexOf("verify", StringComparison.OrdinalIgnoreCase) < 0 ? " **(verify)**" : string.Empty;
                    text.Append("| ").Append(Cell($"{workflow.Name}/{rule.Name}"))
                        .Append(" | ").Append(Cell(Trigger(rule, ruleSet, byName, money) + InForce(governance?.Effective)))
                        .Append(" | ").Append(string.Join(", ", (governance?.Steps ?? Array.Empty<string>()).Select(s => $"`{s}`")))
                        .Append(" | ").Append(Cell(BoldVerify(governance?.Source ?? "(none cited)")))
                        .Append(verify).Append(" |\n");
                }
            }

            var requirements = LawTimeline.Requirements(ruleSet, layer.Name);
            if (requirements.Count > 0)
            {
                text.Append("\n| Requirement | Timeline (latest first) |\n|---|---|\n");
                foreach (var (requirement, versions) in requirements)
                {
                    text.Append("| `").Append(requirement).Append("` | ").Append(Cell(LawTimeline.Describe(versions, ruleSet))).Append(" |\n");
                }
            }
        }

        /// <summary>A dated rule's period, after its trigger: "; in force from 6 Apr 2013 (on attribute 'x')".</summary>
        internal static string InForce(EffectivePeriod? effective) =>
            effective is null ? string.Empty : $"; in force {effective.Describe()}" + (effective.On is null ? string.Empty : $" (judged on attribute '{effective.On}')");

        /// <summary>
        /// What a rule depends on, as the evaluator judges it: a rule with enabled child rules or injected workflows
        /// that have enabled rules is judged by those (any or all by its operator; its own expression, if any, is not
        /// read), otherwise by its expression. Its expression's absence was shown as "false", which a reviewer reads as
        /// "never applies" of a rule that applies whenever its injected workflow does.
        /// </summary>
        private static string Trigger(RuleDefinition rule, RuleSetDefinition ruleSet, IReadOnlyDictionary<string, WorkflowDefinition> byName, IReadOnlyCollection<string> money)
        {
            var children = rule.Rules.Where(r => r.Enabled).ToList();
            var injected = rule.WorkflowsToInject
                .Where(name => byName.TryGetValue(name, out var workflow) && WorkflowChecks.InjectedRules(workflow, byName).Any(r => r.Enabled))
                .ToList();
            if (children.Count == 0 && injected.Count == 0)
            {
                return rule.Expression is { } expression
                    ? TriggerWords.Describe(expression, ruleSet.Parameters, money)
                    : "never: no expression, no enabled child rules, no injected workflow with enabled rules";
            }

            var any = rule.Operator is "Or" or "OrElse";
            var parts = children.Select(r => "(" + Trigger(r, ruleSet, byName, money) + ")")
                .Concat(injected.Select(name => $"workflow {name} ({(any ? "any" : "all")} of its rules)"))
                .ToList();
            return parts.Count == 1 ? parts[0] : string.Join(any ? " or " : " and ", parts);
        }

        /// <summary>Every expression of the rule set, all layers: named terms, rules, nested rules and their local terms.</summary>
        private static IEnumerable<string> Expressions(RuleSetDefinition ruleSet)
        {
            IEnumerable<string> Of(RuleDefinition rule) =>
                new[] { rule.Expression ?? string.Empty }.Concat(rule.LocalParams.Select(p => p.Expression)).Concat(rule.Rules.SelectMany(Of));

            return ruleSet.Workflows.SelectMany(w => w.GlobalParams.Select(p => p.Expression).Concat(w.Rules.SelectMany(Of)));
        }

        /// <summary>Bolds each bracketed remark that asks for verification, e.g. "(verify numbering)".</summary>
        private static string BoldVerify(string source) =>
            System.Text.RegularExpressions.Regex.Replace(source, @"\([^()]*\bverify\b[^()]*\)", m => $"**{m.Value}**");

        /// <summary>A table cell: line breaks as spaces (a line break would end the table row), other controls shown visibly.</summary>
        private static string Cell(string value) => MarkdownText.Cell(value);
    }
}
