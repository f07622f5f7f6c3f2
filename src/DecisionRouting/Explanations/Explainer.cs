using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Linq.Expressions;
using DecisionRouting.Diagnostics;
using DecisionRouting.Evaluation;
using DecisionRouting.Expressions;
using DecisionRouting.Proposals;
using DecisionRouting.References;
using DecisionRouting.Routing;
using DecisionRouting.RuleSets;
using DecisionRouting.Workflows;
using NodaTime;
using RulesEngine.ExpressionBuilders;

namespace DecisionRouting.Explanations
{
    /// <summary>
    /// Explains a routing: for one step, each rule that can require it, which of its conditions held for the proposal,
    /// and the values they read. Whether a rule matched is taken from routing itself; the conditions are evaluated
    /// again, one by one, with the same parser, parameters and values, to show why.
    /// </summary>
    public sealed class Explainer
    {
        private readonly RuleSet _ruleSet;
        private readonly Router _router;
        private readonly RoutingOptions _options;
        private readonly RuleExpressionParser _parser = new(ExpressionEnvironment.Settings);

        /// <summary>Creates an explainer over a loaded rule set, routing with the given options.</summary>
        public Explainer(RuleSet ruleSet, RoutingOptions? options = null)
        {
            _ruleSet = ruleSet ?? throw new ArgumentNullException(nameof(ruleSet));
            _options = options ?? new RoutingOptions();
            _router = new Router(ruleSet, _options);
        }

        /// <summary>Explains why <paramref name="stepId"/> is or is not on the proposal's route.</summary>
        /// <exception cref="ArgumentException">The rule set has no such step; the message suggests the closest.</exception>
        /// <exception cref="RoutingTimeBudgetExceededException">Routing, or re-evaluating the conditions, took longer than <see cref="RoutingOptions.TimeBudget"/> (one budget for both).</exception>
        /// <exception cref="RoutingFaultException">Evaluation ran out of memory or stack.</exception>
        /// <remarks>
        /// Each named term (a GlobalParam or LocalParam a condition uses) is expanded into its own conditions once per
        /// rule; a later use shows its value without expanding it again, so an explanation is never larger than the
        /// rule's expressions, however the terms build on each other.
        /// </remarks>
        public StepExplanation Explain(Proposal proposal, [StepReference] string stepId)
        {
            ArgumentNullException.ThrowIfNull(proposal);

            if (stepId is null || !_ruleSet.Steps.TryGetValue(stepId, out var step))
            {
                throw new ArgumentException($"Rule set '{_ruleSet.Name}' has no step '{stepId}'{NameSuggestions.DidYouMean(stepId ?? string.Empty, _ruleSet.Steps.Keys)}", nameof(stepId));
            }

            var started = _options.Clock.GetTimestamp();
            var plan = _router.Route(proposal);
            return EvaluationGuard.Run(proposal.Id, _ruleSet.Name, _options.Clock, _options.TimeBudget, started, () => Explain(proposal, stepId, step, plan));
        }

        private StepExplanation Explain(Proposal proposal, string stepId, DecisionRouting.Step step, RoutingPlan plan)
        {
            // The one question explaining asks of evaluation: which rules name the step, in what scope, with what outcome.
            var naming = _ruleSet.Evaluation.RulesNaming(stepId, proposal, plan);
            var rules = new List<RuleExplanation>();
            foreach (var workflow in naming.Workflows)
            {
                EvaluationGuard.InWorkflow(workflow.Workflow);
                var scope = Scope.For(naming.InputNames, naming.InputValues);
                foreach (var parameter in workflow.Globals)
                {
                    scope = scope.Define(parameter, _parser);
                }

                foreach (var rule in workflow.Rules)
                {
                    rules.Add(ExplainRule(workflow.Workflow, rule.Rule, rule.Matched, scope, proposal) with
                    {
                        Incomplete = rule.Incomplete,
                    });
                }
            }

            return new StepExplanation(step, plan.Find(stepId), rules);
        }

        private RuleExplanation ExplainRule(string workflow, RuleDefinition rule, bool matched, Scope scope, Proposal proposal)
        {
            foreach (var local in rule.LocalParams)
            {
                scope = scope.Define(local, _parser);
            }

            var facts = new List<Fact>();
            var expanded = new HashSet<string>(StringComparer.Ordinal);
            IReadOnlyList<ConditionExplanation> conditions;
            string joiner;
            if (rule.Rules.Count > 0)
            {
                joiner = rule.Operator is "Or" or "OrElse" ? "any" : "all";
                conditions = rule.Rules.Select(child => Child(child, scope, facts, expanded)).ToList();
            }
            else
            {
                (var parts, joiner) = ConditionText.Split(rule.Expression ?? "false");
                conditions = parts.Select(part => Condition(part, scope, facts, expand: true, expanded)).ToList();
            }

            var governance = rule.Governance;
            if (governance?.Effective is { } effective)
            {
                // The period is a condition like any other, and comes first: a rule out of force matches nothing.
                var day = EffectiveDates.JudgedOn(effective, proposal);
                var inForce = new ConditionExplanation(
                    day is { } d
                        ? $"in force on {EffectivePeriod.Day(d)} ({effective.JudgedAgainst}): effective {effective.Describe()}"
                        : $"in force on {effective.JudgedAgainst}, which the proposal does not give: effective {effective.Describe()}",
                    day is { } judged ? effective.Contains(judged) : null,
                    Array.Empty<ConditionExplanation>());
                if (joiner == "all")
                {
                    conditions = new[] { inForce }.Concat(conditions).ToList();
                }
                else
                {
                    // "In force and (any of …)": the alternatives keep their own group.
                    var holds = conditions.All(c => c.Holds is not null) ? (bool?)conditions.Any(c => c.Holds == true) : null;
                    conditions = new[] { inForce, new ConditionExplanation("any of", holds, conditions) };
                    joiner = "all";
                }
            }

            return new RuleExplanation(workflow, rule.Name, governance?.Source, governance?.Reason, matched, joiner, conditions, facts.Distinct().ToList());
        }

        private ConditionExplanation Child(RuleDefinition child, Scope scope, List<Fact> facts, HashSet<string> expanded)
        {
            System.Runtime.CompilerServices.RuntimeHelpers.EnsureSufficientExecutionStack();
            if (child.Rules.Count > 0)
            {
                var parts = child.Rules.Select(c => Child(c, scope, facts, expanded)).ToList();
                var any = child.Operator is "Or" or "OrElse";
                var holds = parts.All(p => p.Holds is not null) ? (bool?)(any ? parts.Any(p => p.Holds == true) : parts.All(p => p.Holds == true)) : null;
                return new ConditionExplanation($"{child.Name} ({(any ? "any" : "all")} of)", holds, parts);
            }

            var condition = Condition(child.Expression ?? "false", scope, facts, expand: true, expanded);
            return condition with { Text = $"{child.Name}: {condition.Text}" };
        }

        private ConditionExplanation Condition(string text, Scope scope, List<Fact> facts, bool expand, HashSet<string> expanded)
        {
            System.Runtime.CompilerServices.RuntimeHelpers.EnsureSufficientExecutionStack();
            EvaluationGuard.CheckBudget();
            var (holds, error) = scope.Evaluate(text, _parser, facts);
            var because = Array.Empty<ConditionExplanation>() as IReadOnlyList<ConditionExplanation>;
            var name = text.TrimStart('!', ' ');

            // A named term is expanded once per rule: b = a && a over 22 terms would otherwise expand 2²² times.
            if (expand && scope.Definition(name) is { } definition && expanded.Add(name))
            {
                var (parts, _) = ConditionText.Split(definition.Expression);
                because = parts.Select(p => Condition(p, scope.Before(name), facts, expand: parts.Count > 1, expanded)).ToList();
            }

            return new ConditionExplanation(text, holds, because, error);
        }

        /// <summary>The names an expression can use and their values, growing as scoped parameters are defined.</summary>
        /// <remarks>
        /// Each named term is evaluated once, when it is defined, and later expressions read that value. An expression
        /// is compiled as a function of one array holding the values, never as a delegate with one parameter per name:
        /// past 16 names .NET makes a delegate type for such a lambda in an assembly that cannot refer to the rule
        /// set's parameter type, which lives in a collectible assembly, and every term from the 14th on failed.
        /// </remarks>
        private sealed class Scope
        {
            private readonly IReadOnlyList<Entry> _entries;

            private Scope(IReadOnlyList<Entry> entries) => _entries = entries;

            /// <summary>The scope holding only the inputs (<c>proposal</c>, <c>input1</c>, <c>parameters</c>) and their values.</summary>
            public static Scope For(IReadOnlyList<ParameterExpression> inputs, IReadOnlyList<object?> values) =>
                new(inputs.Select((p, i) => new Entry(p, values[i], null, null)).ToList());

            public ScopedParameterDefinition? Definition(string name) => _entries.LastOrDefault(e => e.Parameter.Name == name)?.Definition;

            /// <summary>The scope a named parameter was defined in, so its own definition is evaluated as it was.</summary>
            public Scope Before(string name)
            {
                var index = _entries.ToList().FindLastIndex(e => e.Parameter.Name == name);
                return index < 0 ? this : new Scope(_entries.Take(index).ToList());
            }

            /// <summary>
            /// Adds a named term with its value. A term that cannot be evaluated keeps why, and every expression that
            /// reads it reports that reason (an undecided term leaves what reads it undecided, as in routing), rather
            /// than reading a default value in its place.
            /// </summary>
            public Scope Define(ScopedParameterDefinition definition, RuleExpressionParser parser)
            {
                object? value = null;
                var type = typeof(object);
                string? error;
                if (TryParse(definition.Expression, parser, out var body, out error))
                {
                    type = body!.Type;
                    value = Invoke(body, out error);
                }

                var entries = _entries.Where(e => e.Parameter.Name != definition.Name).ToList();
                entries.Add(new Entry(Expression.Parameter(type, definition.Name), value, definition, error));
                return new Scope(entries);
            }

            public (bool? Holds, string? Error) Evaluate(string text, RuleExpressionParser parser, List<Fact> facts)
            {
                if (!TryParse(text, parser, out var body, out var error))
                {
                    return (null, error);
                }

                CollectFacts(body!, text.TrimStart('!', ' '), facts);
                var value = Invoke(body!, out error);
                return value is bool b ? (b, null) : (null, error ?? "the condition is not true or false");
            }

            private bool TryParse(string text, RuleExpressionParser parser, out Expression? body, out string? error)
            {
                body = null;
                error = null;
                try
                {
                    body = EvaluationGuard.Instrument(ParsedExpressions.ParseBody(parser, text, _entries.Select(e => e.Parameter).ToArray()));
                    return true;
                }
                catch (Exception e) when (e is System.Linq.Dynamic.Core.Exceptions.ParseException or InvalidOperationException or ArgumentException or NotSupportedException)
                {
                    // The text does not parse on its own (a condition split out of a larger expression): say so.
                    error = $"cannot be evaluated on its own: {e.Message}";
                    return false;
                }
            }

            /// <summary>Evaluates a parsed expression over the scope's values; null with <paramref name="error"/> set when it cannot.</summary>
            private object? Invoke(Expression body, out string? error)
            {
                error = null;
                var reads = ReadNames(body);
                if (reads.FirstOrDefault(e => e.Error is not null) is { } failed)
                {
                    // A term it reads has no value: the same reason holds for this expression.
                    error = failed.Error!.StartsWith("undecided:", StringComparison.Ordinal)
                        ? failed.Error
                        : $"reads {failed.Parameter.Name}, which could not be evaluated: {failed.Error}";
                    return null;
                }

                try
                {
                    return Compile(body, reads)(reads.Select(e => e.Value).ToArray());
                }
                catch (ProposalValueMissingException missing)
                {
                    // Not an error: the proposal does not say, and a condition that needs it is undecided.
                    error = $"undecided: the proposal gives no value for {missing.Value}";
                    return null;
                }
                catch (Exception e) when (!EvaluationGuard.IsFault(e))
                {
                    // The expression's own error, as routing reports it for the rule.
                    error = $"evaluation failed: {e.Message}";
                    return null;
                }
            }

            /// <summary>
            /// <c>values => body</c>, where the names the body reads become variables set from <c>values</c>
            /// (<see cref="ScopeValues"/>): one delegate type, <see cref="Func{T, TResult}"/>, whatever the number of names in scope.
            /// </summary>
            private static Func<object?[], object?> Compile(Expression body, IReadOnlyList<Entry> reads)
            {
                var values = Expression.Parameter(typeof(object[]), "values");
                var block = new List<Expression>(ScopeValues.Unpack(values, reads.Select(e => e.Parameter).ToList()));
                block.Add(Expression.Convert(body, typeof(object)));
                return Expression.Lambda<Func<object?[], object?>>(Expression.Block(typeof(object), reads.Select(e => e.Parameter), block), values).Compile();
            }

            /// <summary>The scope's entries an expression reads, in scope order.</summary>
            private List<Entry> ReadNames(Expression body)
            {
                var used = new HashSet<ParameterExpression>();
                new ParameterFinder(used).Visit(body);
                return _entries.Where(e => used.Contains(e.Parameter)).ToList();
            }

            /// <summary>
            /// Every value read from the proposal or the rule-set parameters, outermost reads only, and the value of every
            /// named term the expression reads (unless the expression is that term alone: it is then the condition).
            /// </summary>
            private void CollectFacts(Expression body, string bareName, List<Fact> facts)
            {
                var reads = new List<Expression>();
                new ReadFinder(reads).Visit(body);
                foreach (var read in reads)
                {
                    var value = Invoke(read, out var error);
                    facts.Add(new Fact(Describe(read), error is null ? Format(value) : error.StartsWith("undecided:", StringComparison.Ordinal) ? "(not given by the proposal)" : $"(could not be read: {error})"));
                }

                foreach (var term in ReadNames(body).Where(e => e.Definition is not null && e.Parameter.Name != bareName))
                {
                    facts.Add(new Fact(term.Parameter.Name!, term.Error is null ? Literal(term.Value) : term.Error.StartsWith("undecided:", StringComparison.Ordinal) ? "(undecided: not given by the proposal)" : $"(could not be evaluated: {term.Error})"));
                }
            }

            private static string Describe(Expression read) => read switch
            {
                MemberExpression member => $"{Describe(member.Expression!)}.{member.Member.Name}",
                MethodCallExpression call => $"{Describe(call.Object!)}.{call.Method.Name}({string.Join(", ", call.Arguments.Select(a => a is ConstantExpression c ? Literal(c.Value) : a.ToString()))})",
                ParameterExpression parameter => parameter.Name!,
                _ => read.ToString(),
            };

            private static string Literal(object? value) => value is string s ? $"\"{s}\"" : Format(value);

            private static string Format(object? value) => value switch
            {
                null => "null",
                bool b => b ? "true" : "false",
                LocalDate d => Text.DateText.Iso.Format(d),
                IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
                System.Collections.IEnumerable items and not string => "[" + string.Join(", ", items.Cast<object?>().Select(Format)) + "]",
                _ => value.ToString() ?? string.Empty,
            };
        }

        /// <summary>A name in scope: its parameter, its value, the term that defines it (null for the inputs), and why it has no value.</summary>
        private sealed record Entry(ParameterExpression Parameter, object? Value, ScopedParameterDefinition? Definition, string? Error);

        /// <summary>Collects every parameter an expression refers to (the lambdas' own included; only the scope's are kept).</summary>
        private sealed class ParameterFinder : ExpressionVisitor
        {
            private readonly HashSet<ParameterExpression> _found;

            public ParameterFinder(HashSet<ParameterExpression> found) => _found = found;

            protected override Expression VisitParameter(ParameterExpression node)
            {
                _found.Add(node);
                return node;
            }
        }

        /// <summary>Finds the outermost reads of <c>proposal</c>, <c>input1</c> and <c>parameters</c> in an expression tree.</summary>
        private sealed class ReadFinder : ExpressionVisitor
        {
            private static readonly HashSet<string> Roots = new() { ExpressionEnvironment.ProposalName, ExpressionEnvironment.DefaultInputName, ExpressionEnvironment.ParametersName };
            private readonly List<Expression> _reads;

            public ReadFinder(List<Expression> reads) => _reads = reads;

            protected override Expression VisitMember(MemberExpression node) => Take(node) ? node : base.VisitMember(node);

            protected override Expression VisitMethodCall(MethodCallExpression node) =>
                node.Object is not null && node.Arguments.All(a => a is ConstantExpression) && Take(node) ? node : base.VisitMethodCall(node);

            private bool Take(Expression node)
            {
                var root = node;
                while (root is MemberExpression or MethodCallExpression)
                {
                    root = root is MemberExpression m ? m.Expression! : ((MethodCallExpression)root).Object!;
                    if (root is null)
                    {
                        return false;
                    }
                }

                if (root is ParameterExpression p && Roots.Contains(p.Name!) && !ReferenceEquals(root, node) && IsValue(node.Type))
                {
                    _reads.Add(node);
                    return true;
                }

                return false;
            }

            private static bool IsValue(Type type) =>
                type.IsPrimitive || type.IsEnum || type == typeof(decimal) || type == typeof(string) || type == typeof(LocalDate)
                || (Nullable.GetUnderlyingType(type) is { } inner && IsValue(inner))
                || (type != typeof(string) && typeof(System.Collections.IEnumerable).IsAssignableFrom(type) && type.IsGenericType && IsValue(type.GetGenericArguments()[0]));
        }
    }
}
