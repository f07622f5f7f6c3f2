using System.Collections.Generic;
using System.Linq;
using DecisionRouting.Diagnostics;
using DecisionRouting.Expressions;
using DecisionRouting.Json;
using DecisionRouting.Workflows;

namespace DecisionRouting.RuleSets
{
    /// <summary>
    /// Compiles every expression of every workflow at load, through the given checker, and reports problems at
    /// their position inside the JSON string.
    /// </summary>
    internal static class ExpressionChecks
    {
        /// <summary>
        /// The scoping rule for injection, RulesEngine's: an injected workflow's rules run in the scope of the workflow
        /// that routes them, so they see its GlobalParams (and, injected by a rule, that rule's LocalParams), never
        /// their own workflow's (refused as DR0038). Each entry workflow is therefore checked with its injections
        /// expanded, exactly as both evaluators run it; a rule reached from several entries is checked in each scope.
        /// </summary>
        public static void Check(IReadOnlyList<WorkflowDefinition> workflows, IReadOnlyList<RuleSetParameter> parameters, IExpressionChecker checker, DiagnosticBag diagnostics)
        {
            var byName = workflows.ToDictionary(w => w.Name);
            var injected = ParameterNameChecks.InjectedBy(workflows);
            // Asked once per workflow before the parallel loop: one walk up the chain per injected workflow cost n²/2 on a chain of n.
            var entries = new ParameterNameChecks.EntryWorkflows(byName, injected);
            var unreachable = new HashSet<string>(workflows.Where(w => injected.ContainsKey(w.Name) && entries.For(w.Name).Count == 0).Select(w => w.Name));
            var costs = ExpressionCost.Scope.Create(parameters.Select(p => (p.Name, p.Kind == RuleSetParameterKind.Text, (double)(p.Value as string ?? string.Empty).Length)));

            // Workflows are independent, and compiling expressions is most of a load's cost: check them on every core,
            // each into its own bag, merged in workflow order so the output does not depend on scheduling.
            var bags = new DiagnosticBag[workflows.Count];
            var totals = new Walk?[workflows.Count];
            System.Threading.Tasks.Parallel.For(0, workflows.Count, i =>
            {
                var bag = new DiagnosticBag();
                bags[i] = bag;
                var workflow = workflows[i];
                if (injected.ContainsKey(workflow.Name))
                {
                    // Checked where it is injected. Its own GlobalParams are never evaluated (DR0038), so they
                    // are only checked when it is unreachable from any entry (an injection cycle, DR0016).
                    if (unreachable.Contains(workflow.Name))
                    {
                        CheckWorkflow(workflow, checker.CreateScope(parameters), new Walk(bag, costs), byName, new HashSet<string>());
                    }

                    return;
                }

                var walk = new Walk(bag, costs);
                CheckWorkflow(workflow, checker.CreateScope(parameters), walk, byName, new HashSet<string>());
                totals[i] = walk;
            });

            // A rule injected into several entries is checked once per scope; the same finding is reported once.
            var reported = new HashSet<(string, int, string, string)>();
            foreach (var bag in bags)
            {
                diagnostics.AddRange(bag.Items.Where(d => reported.Add((d.Location.Path, d.Location.Start, d.Id, d.Message))));
            }

            // Each expression within its budget can still add up: every rule of every entry workflow runs per route.
            var total = totals.Sum(t => t?.Total ?? 0);
            // An expression already over a bound is the root cause; the sum it inflates is not reported on top of it.
            var overBound = new[] { DiagnosticDescriptors.ExpressionTooCostly.Id, DiagnosticDescriptors.ExpressionTextTooLarge.Id };
            if (total > ExpressionCost.MaxStepsPerRoute && !diagnostics.Items.Any(d => overBound.Contains(d.Id)))
            {
                var worst = Enumerable.Range(0, workflows.Count).Where(i => totals[i] is not null).OrderByDescending(i => totals[i]!.Total).First();
                var walk = totals[worst]!;
                diagnostics.Report(
                    DiagnosticDescriptors.ExpressionTooCostly,
                    workflows[worst].Location,
                    $"Routing one proposal through this rule set may cost {ExpressionCost.Steps(total)} steps for a proposal at its limits, {ExpressionCost.Steps(walk.Total)} of them in workflow '{workflows[worst].Name}' ({walk.Rules} rules with their injections, each evaluating the workflow's GlobalParams as RulesEngine does; costliest '{walk.Costliest}'{ExpressionCost.Through(walk.CostliestChain)}); the limit is {ExpressionCost.Steps(ExpressionCost.MaxStepsPerRoute)}. Move shared work into cheaper GlobalParams, or split the rule set");
            }
        }

        /// <summary>One entry workflow's walk: its diagnostics, and what its expressions cost together.</summary>
        private sealed class Walk
        {
            public Walk(DiagnosticBag bag, ExpressionCost.Scope costs)
            {
                Bag = bag;
                Costs = costs;
            }

            public DiagnosticBag Bag { get; }

            /// <summary>The cost scope at the workflow's start: inputs and rule-set parameters.</summary>
            public ExpressionCost.Scope Costs { get; }

            /// <summary>What the workflow's GlobalParams cost together (paid again by every rule under RulesEngine).</summary>
            public double Globals { get; set; }

            public double Total { get; set; }

            public int Rules { get; set; }

            /// <summary>What each injected workflow cost, by the scope it was checked in (identical scopes are the same object).</summary>
            public Dictionary<(string Workflow, IExpressionScope Scope, ExpressionCost.Scope Costs), (double Total, int Rules)> Injected { get; } = new();

            public string Costliest { get; set; } = string.Empty;

            public IReadOnlyList<string> CostliestChain { get; set; } = System.Array.Empty<string>();

            private double _costliest = -1;

            public void Count(string name, ExpressionCost.Value? value, bool rule)
            {
                var cost = value?.Work + value?.Walk ?? 0;
                Total += cost + (rule ? Globals : 0);
                Rules += rule ? 1 : 0;
                if (cost > _costliest && value is not null)
                {
                    _costliest = cost;
                    Costliest = name;
                    CostliestChain = value.Chain;
                }
            }
        }

        private static void CheckWorkflow(WorkflowDefinition workflow, IExpressionScope scope, Walk walk, IReadOnlyDictionary<string, WorkflowDefinition> byName, HashSet<string> expanding)
        {
            var costs = walk.Costs;
            foreach (var global in workflow.GlobalParams)
            {
                (scope, costs) = Define(scope, costs, global, walk, rule: false);
            }

            // Under RulesEngine every rule evaluates the GlobalParams again; count them per rule, as the worst case.
            walk.Globals = walk.Total;
            walk.Total = 0;
            CheckRules(workflow, scope, costs, walk, byName, expanding);
        }

        /// <summary>The workflow's rules, then the rules of the workflows it injects, all in the given scope.</summary>
        private static void CheckRules(WorkflowDefinition workflow, IExpressionScope scope, ExpressionCost.Scope costs, Walk walk, IReadOnlyDictionary<string, WorkflowDefinition> byName, HashSet<string> expanding)
        {
            if (!expanding.Add(workflow.Name))
            {
                return; // an injection cycle (DR0016)
            }

            foreach (var rule in workflow.Rules)
            {
                CheckRule(rule, scope, costs, walk, byName, expanding, topLevel: true);
            }

            foreach (var name in workflow.WorkflowsToInject)
            {
                if (byName.TryGetValue(name, out var target))
                {
                    CheckRules(target, scope, costs, walk, byName, expanding);
                }
            }

            expanding.Remove(workflow.Name);
        }

        /// <summary>
        /// An injected workflow's rules, checked once per scope: injected again in the same scope they find the same
        /// problems (reported once anyway) and cost the same, so the walk adds that cost again without repeating
        /// itself. The cost still counts every injection, so the bound stays the expansion's; only checking it is
        /// linear in the distinct workflows rather than exponential in the depth of a fan-out.
        /// </summary>
        private static void CheckInjected(WorkflowDefinition target, IExpressionScope scope, ExpressionCost.Scope costs, Walk walk, IReadOnlyDictionary<string, WorkflowDefinition> byName, HashSet<string> expanding)
        {
            var key = (target.Name, scope, costs);
            if (walk.Injected.TryGetValue(key, out var known))
            {
                walk.Total += known.Total;
                walk.Rules += known.Rules;
                return;
            }

            var (total, rules) = (walk.Total, walk.Rules);
            CheckRules(target, scope, costs, walk, byName, expanding);
            walk.Injected[key] = (walk.Total - total, walk.Rules - rules);
        }

        private static void CheckRule(RuleDefinition rule, IExpressionScope scope, ExpressionCost.Scope costs, Walk walk, IReadOnlyDictionary<string, WorkflowDefinition> byName, HashSet<string> expanding, bool topLevel = false)
        {
            var before = walk.Total;
            foreach (var local in rule.LocalParams)
            {
                (scope, costs) = Define(scope, costs, local, walk, rule: false);
            }

            if (rule.ExpressionNode is { } expression && rule.Rules.Count == 0 && rule.WorkflowsToInject.Count == 0)
            {
                var problem = ExpressionLimits.Check(expression.Value) ?? scope.CheckCondition(expression.Value);
                ExpressionCost.Value? value = null;
                problem ??= costs.Check(expression.Value, out value);
                Report(problem, expression, walk.Bag);
                ExecutiveModels.CheckComparisons(expression, walk.Bag);
                walk.Count(rule.Name, value, rule: false);
            }

            foreach (var child in rule.Rules)
            {
                CheckRule(child, scope, costs, walk, byName, expanding);
            }

            // Injected by a rule, a workflow's rules (and those it injects in turn) become that rule's children.
            foreach (var name in rule.WorkflowsToInject)
            {
                if (byName.TryGetValue(name, out var target))
                {
                    CheckInjected(target, scope, costs, walk, byName, expanding);
                }
            }

            if (topLevel)
            {
                // A top-level rule is one evaluation under RulesEngine, GlobalParams included.
                walk.Total += walk.Globals;
                walk.Rules++;
            }
        }

        private static (IExpressionScope Scope, ExpressionCost.Scope Costs) Define(IExpressionScope scope, ExpressionCost.Scope costs, ScopedParameterDefinition parameter, Walk walk, bool rule)
        {
            // An expression past the limits is never handed to a parser (deep nesting would overflow its stack); the
            // name is still defined so later expressions report their own mistakes, not a cascade.
            var tooComplex = ExpressionLimits.Check(parameter.Expression);
            var problem = scope.DefineParameter(parameter.Name, tooComplex is null ? parameter.Expression : "false", out var next);
            ExpressionCost.Value? value = null;
            if (tooComplex is null && problem is null)
            {
                problem = costs.Check(parameter.Expression, out value);
            }

            Report(tooComplex ?? problem, parameter.ExpressionNode, walk.Bag);
            ExecutiveModels.CheckComparisons(parameter.ExpressionNode, walk.Bag);
            walk.Count(parameter.Name, value, rule);

            // A parameter over its bound is the root cause: what is built on it is not reported again.
            var over = problem?.Kind is ExpressionProblemKind.TooCostly or ExpressionProblemKind.TooLarge;
            return (next, costs.Define(parameter.Name, value, refused: over));
        }

        private static void Report(ExpressionProblem? problem, JsonString node, DiagnosticBag diagnostics)
        {
            if (problem is null)
            {
                return;
            }

            foreach (var more in problem.More)
            {
                Report(more, node, diagnostics);
            }

            // A problem at the very end ("expected ')'") is shown at the closing quote, where the text runs out.
            var location = node.Value.Length == 0
                ? node.Location
                : node.LocateInValue(System.Math.Min(System.Math.Max(0, problem.Position), node.Value.Length), System.Math.Max(1, problem.Length));
            if (problem.Kind == ExpressionProblemKind.UnknownMember)
            {
                // DR0010's message has a second argument, the "did you mean" suggestion (already in the message here).
                diagnostics.Report(DiagnosticDescriptors.UnknownMember, location, problem.Message, string.Empty);
                return;
            }

            var descriptor = problem.Kind switch
            {
                ExpressionProblemKind.NotBoolean => DiagnosticDescriptors.ExpressionNotBoolean,
                ExpressionProblemKind.NotAllowed => DiagnosticDescriptors.ExpressionNotAllowed,
                ExpressionProblemKind.TooComplex => DiagnosticDescriptors.ExpressionTooComplex,
                ExpressionProblemKind.TooCostly => DiagnosticDescriptors.ExpressionTooCostly,
                ExpressionProblemKind.TooLarge => DiagnosticDescriptors.ExpressionTextTooLarge,
                ExpressionProblemKind.UnboundedFormat => DiagnosticDescriptors.UnboundedFormat,
                _ => DiagnosticDescriptors.ExpressionSyntax,
            };
            diagnostics.Report(descriptor, location, problem.Message);
        }
    }
}
