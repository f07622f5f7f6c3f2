using System;
using System.Collections.Generic;
using System.Linq;
using System.Linq.Expressions;
using DecisionRouting.Expressions;
using DecisionRouting.Proposals;
using DecisionRouting.Workflows;
using RulesEngine.ExpressionBuilders;

namespace DecisionRouting.Routing
{
    /// <summary>
    /// A rule set's expressions, parsed once with RulesEngine's own parser and compiled into one delegate per entry
    /// workflow. Evaluating a proposal writes each top-level rule's outcome into arrays the caller owns: no result
    /// trees, no async state machines, no dictionaries. RulesEngine semantics are kept: global and local parameters
    /// are evaluated before the rules that see them, every child of a nested rule is evaluated and they combine with
    /// And/Or. An exception anywhere in a rule (or, in a global parameter, in every rule of the workflow) is recorded
    /// for that top-level rule; the router then lists the rule as undecided or not evaluated, never as a non-match.
    /// </summary>
    internal sealed class CompiledRuleSet
    {
        private readonly Workflow[] _workflows;

        private CompiledRuleSet(Workflow[] workflows)
        {
            _workflows = workflows;
            RuleCount = workflows.Sum(w => w.Rules.Count);
            Workflows = workflows.Select(w => (w.Name, w.Rules)).ToArray();
        }

        /// <summary>How many top-level rules there are across the entry workflows: the length of the result arrays.</summary>
        public int RuleCount { get; }

        /// <summary>The entry workflows in evaluation order, each with its top-level rules in order.</summary>
        public IReadOnlyList<(string Name, IReadOnlyList<RuleDefinition> Rules)> Workflows { get; }

        public static CompiledRuleSet Compile(
            IEnumerable<(string Name, IReadOnlyList<ScopedParameterDefinition> Globals, IReadOnlyList<RuleDefinition> Rules)> workflows,
            IReadOnlyDictionary<string, WorkflowDefinition> byName,
            ExpressionEnvironment environment,
            ParsedExpressions parsed)
        {
            // Workflows compile independently, so on every core; one parser each, since the parser keeps caches.
            var compiled = workflows.AsParallel().AsOrdered()
                .Select(w => new Workflow(w.Name, w.Rules, CompileWorkflow(w.Globals, w.Rules, byName, environment, new Parser(new RuleExpressionParser(ExpressionEnvironment.Settings), parsed))))
                .ToArray();
            return new CompiledRuleSet(compiled);
        }

        /// <summary>Evaluates every top-level rule: <paramref name="matched"/>[i] is whether rule i matched, <paramref name="errors"/>[i] why it could not be evaluated.</summary>
        public void Evaluate(Proposal proposal, object parameters, bool[] matched, string?[] errors)
        {
            var offset = 0;
            foreach (var workflow in _workflows)
            {
                EvaluationGuard.InWorkflow(workflow.Name);
                workflow.Evaluate(proposal, parameters, matched, errors, offset);
                offset += workflow.Rules.Count;
            }
        }

        private static Action<Proposal, object, bool[], string?[], int> CompileWorkflow(
            IReadOnlyList<ScopedParameterDefinition> globals,
            IReadOnlyList<RuleDefinition> rules,
            IReadOnlyDictionary<string, WorkflowDefinition> byName,
            ExpressionEnvironment environment,
            Parser parser)
        {
            var proposalArgument = Expression.Parameter(typeof(Proposal), "proposalArgument");
            var parametersArgument = Expression.Parameter(typeof(object), "parametersArgument");
            var matched = Expression.Parameter(typeof(bool[]), "matched");
            var errors = Expression.Parameter(typeof(string[]), "errors");
            var offset = Expression.Parameter(typeof(int), "offset");

            var inputs = environment.ParameterExpressions();
            var variables = new List<ParameterExpression>(inputs);
            var body = new List<Expression>
            {
                Expression.Assign(inputs[0], proposalArgument),
                Expression.Assign(inputs[1], proposalArgument),
                Expression.Assign(inputs[2], Expression.Convert(parametersArgument, inputs[2].Type)),
            };

            var scope = new ParameterScope(inputs, environment.ParametersType);
            foreach (var global in globals)
            {
                var value = Parse(parser, global.Expression, scope);
                var variable = parser.Parsed.Canonical(global.Name, value.Type);
                scope = scope.Define(variable);
                variables.Add(variable);
                body.Add(Tick);
                body.Add(Expression.Assign(variable, value));
            }

            for (var i = 0; i < rules.Count; i++)
            {
                var index = Expression.Add(offset, Expression.Constant(i));
                var exception = Expression.Variable(typeof(Exception), "exception");
                body.Add(Tick);
                body.Add(Expression.TryCatch(
                    Expression.Block(typeof(void), Expression.Assign(Expression.ArrayAccess(matched, index), RuleBody(rules[i], scope, byName, parser))),
                    Expression.Catch(
                        exception,
                        Expression.Block(
                            typeof(void),
                            Expression.Assign(Expression.ArrayAccess(matched, index), Expression.Constant(false)),
                            Expression.Assign(Expression.ArrayAccess(errors, index), Message(rules[i].Name, exception))),
                        NotFault(exception))));
            }

            // A global parameter that throws fails every rule of the workflow, as in RulesEngine.
            var failure = Expression.Variable(typeof(Exception), "failure");
            var guarded = Expression.TryCatch(
                Expression.Block(typeof(void), variables, body),
                Expression.Catch(
                    failure,
                    Expression.Call(typeof(CompiledRuleSet).GetMethod(nameof(FailAll), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!, matched, errors, offset, Expression.Constant(rules.Count), Expression.Property(failure, nameof(Exception.Message))),
                    NotFault(failure)));
            return Expression.Lambda<Action<Proposal, object, bool[], string?[], int>>(guarded, proposalArgument, parametersArgument, matched, errors, offset).Compile();
        }

        /// <summary>A budget check: evaluation stops when the deadline passes, not after it.</summary>
        private static readonly Expression Tick = Expression.Call(EvaluationGuard.TickMethod);

        /// <summary>
        /// The filter on every catch: a rule's own error makes it undecided or not evaluated, but a fault of the host
        /// (out of memory or stack, the time budget) passes through and stops routing.
        /// </summary>
        private static Expression NotFault(ParameterExpression exception) => Expression.Call(EvaluationGuard.IsNotFaultMethod, exception);

        private static Expression RuleBody(RuleDefinition rule, ParameterScope scope, IReadOnlyDictionary<string, WorkflowDefinition> byName, Parser parser)
        {
            // Nesting and injection recurse here; the expansion is bounded at load (DR0058), and this keeps a deep one a clear error.
            System.Runtime.CompilerServices.RuntimeHelpers.EnsureSufficientExecutionStack();
            var variables = new List<ParameterExpression>();
            var body = new List<Expression>();
            foreach (var local in rule.LocalParams)
            {
                var value = Parse(parser, local.Expression, scope);
                var variable = parser.Parsed.Canonical(local.Name, value.Type);
                scope = scope.Define(variable);
                variables.Add(variable);
                body.Add(Expression.Assign(variable, value));
            }

            var children = rule.Rules.Where(r => r.Enabled)
                .Concat(rule.WorkflowsToInject.SelectMany(w => RuleSets.WorkflowChecks.InjectedRules(byName[w], byName).Where(r => r.Enabled)))
                .ToList();
            if (children.Count == 0)
            {
                body.Add(Parse(parser, rule.Expression ?? "false", scope));
            }
            else
            {
                // RulesEngine evaluates every child (its default NestedRuleExecutionMode.All) and keeps a child's error
                // on the child, combining it as "no match". Here too every child runs; then the first error is raised
                // for the whole rule, so a missing value makes it undecided and any other error makes it not
                // evaluated, never a silent "no match" (the router reads RulesEngine's child errors the same way).
                var any = rule.Operator is "Or" or "OrElse";
                var first = Expression.Variable(typeof(Exception), "firstChildError");
                variables.Add(first);

                // Compiled block variables are hoisted and keep their value between entries: start every rule afresh.
                body.Add(Expression.Assign(first, Expression.Constant(null, typeof(Exception))));
                var outcomes = new List<ParameterExpression>();
                for (var i = 0; i < children.Count; i++)
                {
                    var outcome = Expression.Variable(typeof(bool), $"child{i}");
                    var error = Expression.Variable(typeof(Exception), $"childError{i}");
                    variables.Add(outcome);
                    outcomes.Add(outcome);
                    body.Add(Expression.TryCatch(
                        Expression.Block(typeof(void), Expression.Assign(outcome, RuleBody(children[i], scope, byName, parser))),
                        Expression.Catch(
                            error,
                            Expression.Block(
                                typeof(void),
                                Expression.IfThen(
                                    Expression.Equal(first, Expression.Constant(null, typeof(Exception))),
                                    Expression.Assign(first, error)),
                                Expression.Assign(outcome, Expression.Constant(false))),
                            NotFault(error))));
                }

                body.Add(Expression.IfThen(Expression.NotEqual(first, Expression.Constant(null, typeof(Exception))), Expression.Throw(first)));
                var combined = outcomes.Select(o => (Expression)o)
                    .Aggregate((left, right) => any ? Expression.Or(left, right) : Expression.And(left, right));
                body.Add(combined);
            }

            return Expression.Block(typeof(bool), variables, body);
        }

        private static Expression Parse(Parser parser, string text, ParameterScope scope)
        {
            var body = EvaluationGuard.Instrument(parser.Parsed.Parse(parser.Expressions, text, scope));
            return body.Type == typeof(bool) || body.Type != typeof(object) ? body : Expression.Convert(body, typeof(bool));
        }

        private static Expression Message(string rule, ParameterExpression exception) =>
            Expression.Call(typeof(string).GetMethod(nameof(string.Concat), new[] { typeof(string), typeof(string) })!, Expression.Constant($"Error while executing rule {rule}: "), Expression.Property(exception, nameof(Exception.Message)));

        private static void FailAll(bool[] matched, string?[] errors, int offset, int count, string message)
        {
            for (var i = offset; i < offset + count; i++)
            {
                matched[i] = false;
                errors[i] = "Error while evaluating the workflow's global parameters: " + message;
            }
        }

        /// <summary>A parser for one workflow (the parser keeps caches, so one per thread) and the shared parsed trees.</summary>
        private sealed record Parser(RuleExpressionParser Expressions, ParsedExpressions Parsed);

        private sealed record Workflow(string Name, IReadOnlyList<RuleDefinition> Rules, Action<Proposal, object, bool[], string?[], int> Evaluate);
    }
}
