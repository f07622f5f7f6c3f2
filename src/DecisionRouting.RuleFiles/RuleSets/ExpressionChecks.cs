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
        public static void Check(IReadOnlyList<WorkflowDefinition> workflows, IReadOnlyList<RuleSetParameter> parameters, IExpressionChecker checker, DiagnosticBag diagnostics)
        {
            // Workflows are independent, and compiling expressions is most of a load's cost: check them on every core,
            // each into its own bag, merged in workflow order so the output does not depend on scheduling.
            var bags = new DiagnosticBag[workflows.Count];
            System.Threading.Tasks.Parallel.For(0, workflows.Count, i =>
            {
                var bag = new DiagnosticBag();
                var scope = checker.CreateScope(parameters);
                foreach (var global in workflows[i].GlobalParams)
                {
                    scope = Define(scope, global, bag);
                }

                foreach (var rule in workflows[i].Rules)
                {
                    CheckRule(rule, scope, bag);
                }

                bags[i] = bag;
            });
            foreach (var bag in bags)
            {
                diagnostics.AddRange(bag.Items);
            }
        }

        private static void CheckRule(RuleDefinition rule, IExpressionScope scope, DiagnosticBag diagnostics)
        {
            foreach (var local in rule.LocalParams)
            {
                scope = Define(scope, local, diagnostics);
            }

            if (rule.ExpressionNode is { } expression && rule.Rules.Count == 0 && rule.WorkflowsToInject.Count == 0)
            {
                Report(ExpressionLimits.Check(expression.Value) ?? scope.CheckCondition(expression.Value), expression, diagnostics);
            }

            foreach (var child in rule.Rules)
            {
                CheckRule(child, scope, diagnostics);
            }
        }

        private static IExpressionScope Define(IExpressionScope scope, ScopedParameterDefinition parameter, DiagnosticBag diagnostics)
        {
            // An expression past the limits is never handed to a parser (deep nesting would overflow its stack); the
            // name is still defined so later expressions report their own mistakes, not a cascade.
            var tooComplex = ExpressionLimits.Check(parameter.Expression);
            var problem = scope.DefineParameter(parameter.Name, tooComplex is null ? parameter.Expression : "false", out var next);
            Report(tooComplex ?? problem, parameter.ExpressionNode, diagnostics);
            return next;
        }

        private static void Report(ExpressionProblem? problem, JsonString node, DiagnosticBag diagnostics)
        {
            if (problem is null)
            {
                return;
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
