using System;
using System.Collections.Generic;
using System.Linq;
using DecisionRouting.Diagnostics;
using DecisionRouting.Json;
using DecisionRouting.Text;
using DecisionRouting.Workflows;

namespace DecisionRouting.RuleSets
{
    /// <summary>
    /// How many rules the entry workflows hold once every injection is expanded, counted without expanding anything.
    /// Injection copies a workflow's rules into each place that injects it, so 22 workflows of two rules, each rule
    /// injecting the next, expand to four million rules: a rule set that validates in a blink would exhaust memory when
    /// loaded to route. The count is memoised per rule and per workflow, so it is linear in the files.
    /// </summary>
    internal static class InjectionExpansion
    {
        /// <summary>The most rules all entry workflows together may hold with their injections expanded.</summary>
        public const double MaxExpandedRules = 100_000;

        /// <summary>Reports DR0058, naming the chain of injections, when the expansion is over the bound; returns whether it is within it.</summary>
        public static bool Check(IReadOnlyList<WorkflowDefinition> workflows, DiagnosticBag diagnostics)
        {
            var counter = new Counter(workflows);
            var entries = WorkflowChecks.EntryWorkflows(workflows);
            var sizes = entries.Select(e => (Workflow: e, Size: counter.Workflow(e.Name))).ToList();
            var total = sizes.Sum(s => s.Size);
            if (total <= MaxExpandedRules)
            {
                return true;
            }

            var (worst, size) = sizes.OrderByDescending(s => s.Size).First();
            var (chain, at) = counter.HeaviestPath(worst);
            var message = chain.Count > 1
                ? $"Workflow injection expands entry workflow '{worst.Name}' to {Format(size)} rules through {string.Join(" → ", chain.Select(c => $"'{c}'"))} (each injection copies the injected rules into every place that injects them), and all entry workflows to {Format(total)}; the limit is {Format(MaxExpandedRules)}. Inject each workflow from one place, or list its rules once"
                : $"The entry workflows hold {Format(total)} rules ('{worst.Name}' {Format(size)}); the limit is {Format(MaxExpandedRules)}. Split the rule set";
            diagnostics.Report(DiagnosticDescriptors.InjectionTooLarge, at ?? worst.Location, message);
            return false;
        }

        private static string Format(double count) => Expressions.ExpressionCost.Steps(count);

        private sealed class Counter
        {
            private readonly Dictionary<string, WorkflowDefinition> _byName;
            private readonly Dictionary<string, double> _workflows = new(StringComparer.Ordinal);
            private readonly Dictionary<RuleDefinition, double> _rules = new();
            private readonly HashSet<string> _expanding = new(StringComparer.Ordinal);

            public Counter(IReadOnlyList<WorkflowDefinition> workflows)
            {
                _byName = new Dictionary<string, WorkflowDefinition>(StringComparer.Ordinal);
                foreach (var workflow in workflows)
                {
                    _byName[workflow.Name] = workflow;
                }
            }

            /// <summary>A workflow's rules with everything it injects, as the checks and both evaluators expand it (an upper bound).</summary>
            public double Workflow(string name)
            {
                if (_workflows.TryGetValue(name, out var known))
                {
                    return known;
                }

                if (!_byName.TryGetValue(name, out var workflow) || !_expanding.Add(name))
                {
                    return 0; // unknown (DR0014) or an injection cycle (DR0016), both reported elsewhere
                }

                var size = workflow.Rules.Sum(Rule) + workflow.WorkflowsToInject.Sum(Workflow);
                _expanding.Remove(name);
                _workflows[name] = size;
                return size;
            }

            private double Rule(RuleDefinition rule)
            {
                if (_rules.TryGetValue(rule, out var known))
                {
                    return known;
                }

                var size = 1 + rule.Rules.Sum(Rule) + rule.WorkflowsToInject.Sum(Workflow);
                _rules[rule] = size;
                return size;
            }

            /// <summary>The injections the bulk of the expansion comes through, from the entry, and the first of them to point at.</summary>
            public (List<string> Chain, SourceLocation? At) HeaviestPath(WorkflowDefinition entry)
            {
                var chain = new List<string> { entry.Name };
                SourceLocation? at = null;
                var current = entry;
                var seen = new HashSet<string>(StringComparer.Ordinal) { entry.Name };
                while (true)
                {
                    // Every injection in the workflow, at any depth of its nested rules, with what it brings.
                    var injections = current.InjectNodes.Select(n => (Node: n, Size: Workflow(n.Value)))
                        .Concat(WorkflowChecks.AllRules(current.Rules).SelectMany(r => r.InjectNodes.Select(n => (Node: n, Size: Workflow(n.Value)))))
                        .Where(i => _byName.ContainsKey(i.Node.Value) && !seen.Contains(i.Node.Value))
                        .OrderByDescending(i => i.Size)
                        .ToList();
                    if (injections.Count == 0)
                    {
                        return (chain, at);
                    }

                    var heaviest = injections[0].Node;
                    at ??= heaviest.Location;
                    chain.Add(heaviest.Value);
                    seen.Add(heaviest.Value);
                    current = _byName[heaviest.Value];
                    if (chain.Count > 12)
                    {
                        chain.Add("…");
                        return (chain, at);
                    }
                }
            }
        }
    }
}
