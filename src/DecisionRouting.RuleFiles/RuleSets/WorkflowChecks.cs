using System.Collections.Generic;
using System.Linq;
using DecisionRouting.Diagnostics;
using DecisionRouting.Json;
using DecisionRouting.Text;
using DecisionRouting.Workflows;

namespace DecisionRouting.RuleSets
{
    /// <summary>Checks across all workflows of a chain: names, injections, step references and expressions.</summary>
    internal static class WorkflowChecks
    {
        /// <summary>Drops later workflows that reuse a name (reporting them) and returns the rest.</summary>
        public static IReadOnlyList<WorkflowDefinition> Deduplicate(IEnumerable<WorkflowDefinition> workflows, DiagnosticBag diagnostics)
        {
            var byName = new Dictionary<string, WorkflowDefinition>();
            var result = new List<WorkflowDefinition>();
            foreach (var workflow in workflows)
            {
                if (byName.TryGetValue(workflow.Name, out var first))
                {
                    diagnostics.Report(DiagnosticDescriptors.DuplicateWorkflowName, workflow.Location, workflow.Name, first.Location);
                    continue;
                }

                byName.Add(workflow.Name, workflow);
                result.Add(workflow);
            }

            return result;
        }

        public static void CheckRules(IReadOnlyList<WorkflowDefinition> workflows, IReadOnlyDictionary<string, Step> steps, DiagnosticBag diagnostics)
        {
            var names = workflows.Select(w => w.Name).ToList();
            foreach (var workflow in workflows)
            {
                CheckInjections(workflow.InjectNodes, names, diagnostics);
                CheckSiblings(workflow.Rules, workflow.Name, diagnostics);
                foreach (var rule in AllRules(workflow.Rules))
                {
                    CheckInjections(rule.InjectNodes, names, diagnostics);
                    for (var i = 0; i < rule.StepNodes.Count; i++)
                    {
                        var step = rule.StepNodes[i];
                        if (!steps.ContainsKey(step.Value))
                        {
                            diagnostics.Report(DiagnosticDescriptors.UnknownStep, step.Location, step.Value, NameSuggestions.DidYouMean(step.Value, steps.Keys));
                        }
                    }

                    CheckSiblings(rule.Rules, workflow.Name, diagnostics);
                }
            }

            CheckInjectionCycles(workflows, diagnostics);
            CheckInjectedRuleNames(workflows, diagnostics);
        }

        /// <summary>
        /// Workflow injection appends the injected workflows' rules, so their names must not collide with the
        /// injecting workflow's (RulesEngine throws on duplicate names at execution).
        /// </summary>
        private static void CheckInjectedRuleNames(IReadOnlyList<WorkflowDefinition> workflows, DiagnosticBag diagnostics)
        {
            var byName = workflows.ToDictionary(w => w.Name);
            foreach (var workflow in workflows.Where(w => w.WorkflowsToInject.Count > 0))
            {
                var seen = workflow.Rules.GroupBy(r => r.Name).ToDictionary(g => g.Key, g => g.First().Location);
                var visited = new HashSet<string> { workflow.Name };
                var pending = new Queue<string>(workflow.WorkflowsToInject);
                while (pending.Count > 0)
                {
                    if (!byName.TryGetValue(pending.Dequeue(), out var injected) || !visited.Add(injected.Name))
                    {
                        continue;
                    }

                    foreach (var rule in injected.Rules)
                    {
                        if (seen.TryGetValue(rule.Name, out var first))
                        {
                            diagnostics.Report(DiagnosticDescriptors.DuplicateRuleName, rule.Location, rule.Name, workflow.Name + " (with the workflows it injects)", first);
                        }
                        else
                        {
                            seen.Add(rule.Name, rule.Location);
                        }
                    }

                    foreach (var next in injected.WorkflowsToInject)
                    {
                        pending.Enqueue(next);
                    }
                }
            }
        }

        /// <summary>The workflows no other workflow injects: these are what a proposal is routed through.</summary>
        public static IReadOnlyList<WorkflowDefinition> EntryWorkflows(IReadOnlyList<WorkflowDefinition> workflows)
        {
            var injected = new HashSet<string>(workflows.SelectMany(InjectedBy));
            return workflows.Where(w => !injected.Contains(w.Name)).ToList();
        }

        public static IEnumerable<RuleDefinition> AllRules(IReadOnlyList<RuleDefinition> rules)
        {
            // By index, and no nested iterator for a rule without children (most rules): each cost an allocation per rule
            // on every walk, and several checks walk every rule.
            for (var i = 0; i < rules.Count; i++)
            {
                var rule = rules[i];
                yield return rule;
                if (rule.Rules.Count == 0)
                {
                    continue;
                }

                foreach (var child in AllRules(rule.Rules))
                {
                    yield return child;
                }
            }
        }

        /// <summary>
        /// The rules a workflow contributes where it is injected: its own, then those of the workflows it injects in
        /// turn, as RulesEngine appends them (each workflow once; a cycle is DR0016).
        /// </summary>
        public static IReadOnlyList<RuleDefinition> InjectedRules(WorkflowDefinition workflow, IReadOnlyDictionary<string, WorkflowDefinition> byName)
        {
            var result = new List<RuleDefinition>();
            var seen = new HashSet<string>();
            Collect(workflow);
            return result;

            void Collect(WorkflowDefinition w)
            {
                if (!seen.Add(w.Name))
                {
                    return;
                }

                result.AddRange(w.Rules);
                foreach (var name in w.WorkflowsToInject)
                {
                    if (byName.TryGetValue(name, out var next))
                    {
                        Collect(next);
                    }
                }
            }
        }

        private static IEnumerable<string> InjectedBy(WorkflowDefinition workflow) =>
            workflow.WorkflowsToInject.Concat(AllRules(workflow.Rules).SelectMany(r => r.WorkflowsToInject));

        private static void CheckInjections(IReadOnlyList<JsonString> nodes, IReadOnlyList<string> names, DiagnosticBag diagnostics)
        {
            foreach (var node in nodes)
            {
                if (!names.Contains(node.Value))
                {
                    diagnostics.Report(DiagnosticDescriptors.UnknownWorkflow, node.Location, node.Value, NameSuggestions.DidYouMean(node.Value, names));
                }
            }
        }

        private static void CheckSiblings(IReadOnlyList<RuleDefinition> rules, string workflow, DiagnosticBag diagnostics)
        {
            // Called for every rule's children, nearly always none: no dictionary where no name can repeat.
            if (rules.Count < 2)
            {
                return;
            }

            var seen = new Dictionary<string, SourceLocation>();
            foreach (var rule in rules)
            {
                if (seen.TryGetValue(rule.Name, out var first))
                {
                    diagnostics.Report(DiagnosticDescriptors.DuplicateRuleName, rule.Location, rule.Name, workflow, first);
                }
                else
                {
                    seen.Add(rule.Name, rule.Location);
                }
            }
        }

        private static void CheckInjectionCycles(IReadOnlyList<WorkflowDefinition> workflows, DiagnosticBag diagnostics)
        {
            var byName = workflows.ToDictionary(w => w.Name);
            var edges = workflows.ToDictionary(
                w => w.Name,
                w => (IReadOnlyList<string>)InjectedBy(w).Where(byName.ContainsKey).Distinct().ToList());
            foreach (var cycle in new StepGraph(edges, workflows.Select(w => w.Name)).FindCycles())
            {
                var from = byName[cycle[cycle.Count - 2]];
                var target = cycle[cycle.Count - 1];
                var node = from.InjectNodes.Concat(AllRules(from.Rules).SelectMany(r => r.InjectNodes)).First(n => n.Value == target);
                diagnostics.Report(DiagnosticDescriptors.WorkflowInjectionCycle, node.Location, string.Join(" → ", cycle.Select(c => $"'{c}'")));
            }
        }
    }
}
