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

            // Workflows are independent, and compiling expressions is most of a load's cost: check them on every core,
            // each into its own bag, merged in workflow order so the output does not depend on scheduling.
            var bags = new DiagnosticBag[workflows.Count];
            System.Threading.Tasks.Parallel.For(0, workflows.Count, i =>
            {
                var bag = new DiagnosticBag();
                bags[i] = bag;
                var workflow = workflows[i];
                if (injected.ContainsKey(workflow.Name))
                {
                    // Checked where it is injected. Its own GlobalParams are never evaluated (DR0038), so they
                    // are only checked when it is unreachable from any entry (an injection cycle, DR0016).
                    if (ParameterNameChecks.RoutedBy(workflow.Name, byName, injected).Count == 0)
                    {
                        CheckWorkflow(workflow, checker.CreateScope(parameters), byName, bag, new HashSet<string>());
                    }

                    return;
                }

                CheckWorkflow(workflow, checker.CreateScope(parameters), byName, bag, new HashSet<string>());
            });

            // A rule injected into several entries is checked once per scope; the same finding is reported once.
            var reported = new HashSet<(string, int, string, string)>();
            foreach (var bag in bags)
            {
                diagnostics.AddRange(bag.Items.Where(d => reported.Add((d.Location.Path, d.Location.Start, d.Id, d.Message))));
            }
        }

        private static void CheckWorkflow(WorkflowDefinition workflow, IExpressionScope scope, IReadOnlyDictionary<string, WorkflowDefinition> byName, DiagnosticBag diagnostics, HashSet<string> expanding)
        {
            foreach (var global in workflow.GlobalParams)
            {
                scope = Define(scope, global, diagnostics);
            }

            CheckRules(workflow, scope, byName, diagnostics, expanding);
        }

        /// <summary>The workflow's rules, then the rules of the workflows it injects, all in the given scope.</summary>
        private static void CheckRules(WorkflowDefinition workflow, IExpressionScope scope, IReadOnlyDictionary<string, WorkflowDefinition> byName, DiagnosticBag diagnostics, HashSet<string> expanding)
        {
            if (!expanding.Add(workflow.Name))
            {
                return; // an injection cycle (DR0016)
            }

            foreach (var rule in workflow.Rules)
            {
                CheckRule(rule, scope, byName, diagnostics, expanding);
            }

            foreach (var name in workflow.WorkflowsToInject)
            {
                if (byName.TryGetValue(name, out var target))
                {
                    CheckRules(target, scope, byName, diagnostics, expanding);
                }
            }

            expanding.Remove(workflow.Name);
        }

        private static void CheckRule(RuleDefinition rule, IExpressionScope scope, IReadOnlyDictionary<string, WorkflowDefinition> byName, DiagnosticBag diagnostics, HashSet<string> expanding)
        {
            foreach (var local in rule.LocalParams)
            {
                scope = Define(scope, local, diagnostics);
            }

            if (rule.ExpressionNode is { } expression && rule.Rules.Count == 0 && rule.WorkflowsToInject.Count == 0)
            {
                Report(ExpressionLimits.Check(expression.Value) ?? scope.CheckCondition(expression.Value), expression, diagnostics);
                ExecutiveModels.CheckComparisons(expression, diagnostics);
            }

            foreach (var child in rule.Rules)
            {
                CheckRule(child, scope, byName, diagnostics, expanding);
            }

            // Injected by a rule, a workflow's rules (and those it injects in turn) become that rule's children.
            foreach (var name in rule.WorkflowsToInject)
            {
                if (byName.TryGetValue(name, out var target))
                {
                    CheckRules(target, scope, byName, diagnostics, expanding);
                }
            }
        }

        private static IExpressionScope Define(IExpressionScope scope, ScopedParameterDefinition parameter, DiagnosticBag diagnostics)
        {
            // An expression past the limits is never handed to a parser (deep nesting would overflow its stack); the
            // name is still defined so later expressions report their own mistakes, not a cascade.
            var tooComplex = ExpressionLimits.Check(parameter.Expression);
            var problem = scope.DefineParameter(parameter.Name, tooComplex is null ? parameter.Expression : "false", out var next);
            Report(tooComplex ?? problem, parameter.ExpressionNode, diagnostics);
            ExecutiveModels.CheckComparisons(parameter.ExpressionNode, diagnostics);
            return next;
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
            switch (problem.Kind)
            {
                case ExpressionProblemKind.UnknownMember:
                    diagnostics.Report(DiagnosticDescriptors.UnknownMember, location, problem.Message, string.Empty);
                    break;
                case ExpressionProblemKind.NotBoolean:
                    diagnostics.Report(DiagnosticDescriptors.ExpressionNotBoolean, location, problem.Message);
                    break;
                case ExpressionProblemKind.NotAllowed:
                    diagnostics.Report(DiagnosticDescriptors.ExpressionNotAllowed, location, problem.Message);
                    break;
                case ExpressionProblemKind.TooComplex:
                    diagnostics.Report(DiagnosticDescriptors.ExpressionTooComplex, location, problem.Message);
                    break;
                default:
                    diagnostics.Report(DiagnosticDescriptors.ExpressionSyntax, location, problem.Message);
                    break;
            }
        }
    }
}
