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
        /// <summary>
        /// How many LocalParams deep an explanation nests inline. A LocalParam deeper still is shown with its value where
        /// it is read and defined once in the rule's <see cref="RuleExplanation.Terms"/>, so a chain of 5,000 terms is
        /// 5,000 short entries rather than one tree 5,000 levels deep (whose indentation alone grew as the square).
        /// GlobalParams are never nested: each is defined once per explanation in <see cref="StepExplanation.Terms"/>.
        /// </summary>
        internal const int InlineTermDepth = 6;

        private readonly RuleSet _ruleSet;
        private readonly Router _router;
        private readonly RoutingOptions _options;
        // The process's one parser: a parser of its own would scan every loaded assembly again (see SharedParser).
        private readonly RuleExpressionParser _parser = ExpressionEnvironment.SharedParser;
        private readonly IReadOnlyDictionary<string, WorkflowDefinition> _byName;
        private readonly InjectedWords _words;
        private readonly Dictionary<string, IReadOnlyList<RuleDefinition>> _injected = new(StringComparer.Ordinal);

        /// <summary>Creates an explainer over a loaded rule set, routing with the given options.</summary>
        public Explainer(RuleSet ruleSet, RoutingOptions? options = null)
        {
            _ruleSet = ruleSet ?? throw new ArgumentNullException(nameof(ruleSet));
            _options = options ?? new RoutingOptions();
            _router = new Router(ruleSet, _options);
            _byName = ruleSet.Definition.Workflows.ToDictionary(w => w.Name, StringComparer.Ordinal);
            _words = new InjectedWords(_byName);
        }

        /// <summary>Explains why <paramref name="stepId"/> is or is not on the proposal's route.</summary>
        /// <exception cref="ArgumentException">The rule set has no such step; the message suggests the closest.</exception>
        /// <exception cref="RoutingTimeBudgetExceededException">
        /// Routing, or re-evaluating the terms and conditions, took longer than <see cref="RoutingOptions.TimeBudget"/>
        /// (one budget for both, checked while terms are defined and conditions evaluated, so explaining stops at it);
        /// <see cref="RoutingTimeBudgetExceededException.Step"/> is the step, and the message says explaining stopped.
        /// </exception>
        /// <exception cref="RoutingFaultException">Routing or explaining ran out of memory or stack.</exception>
        /// <remarks>
        /// Each GlobalParam a condition reads is defined once per explanation, in <see cref="StepExplanation.Terms"/>, by
        /// its own conditions; every rule, and every other term, that reads it shows its value and refers to it by name.
        /// Each LocalParam is expanded once per rule (it belongs to one rule); a later use shows its value only. So an
        /// explanation is as large as the rules' expressions plus the terms' expressions, never rules × terms, however
        /// many rules share the terms or how the terms build on each other. Each term and condition is parsed with only the
        /// names its text uses, as routing parses it, so explaining costs what the texts cost, not terms × names.
        /// </remarks>
        public StepExplanation Explain(Proposal proposal, [StepReference] string stepId)
        {
            ArgumentNullException.ThrowIfNull(proposal);

            if (stepId is null || !_ruleSet.Steps.TryGetValue(stepId, out var step))
            {
                throw new ArgumentException($"Rule set '{_ruleSet.Name}' has no step '{stepId}'{NameSuggestions.DidYouMean(stepId ?? string.Empty, _ruleSet.Steps.Keys)}", nameof(stepId));
            }

            var started = _options.Clock.GetTimestamp();
            RoutingPlan plan;
            try
            {
                plan = _router.Route(proposal);
            }
            catch (RoutingTimeBudgetExceededException e)
            {
                // Routing's own words say "no plan was made"; the caller asked to explain, so say what stopped.
                throw RoutingTimeBudgetExceededException.WhileExplaining(e, stepId);
            }
            catch (RoutingFaultException e)
            {
                throw RoutingFaultException.WhileExplaining(e, stepId);
            }

            return EvaluationGuard.Run(proposal.Id, _ruleSet.Name, _options.Clock, _options.TimeBudget, started, () => Explain(proposal, stepId, step, plan), explaining: stepId);
        }

        private StepExplanation Explain(Proposal proposal, string stepId, DecisionRouting.Step step, RoutingPlan plan)
        {
            // The one question explaining asks of evaluation: which rules name the step, in what scope, with what outcome.
            var naming = _ruleSet.Evaluation.RulesNaming(stepId, proposal, plan);
            var values = new Values();
            var shared = new RuleWork(null);
            var rules = new List<RuleExplanation>();
            foreach (var workflow in naming.Workflows)
            {
                EvaluationGuard.InWorkflow(workflow.Workflow);
                var scope = Scope.For(naming.InputNames, naming.InputValues, values);
                foreach (var parameter in workflow.Globals)
                {
                    scope = scope.Define(parameter, _parser, workflow.Workflow);
                }

                foreach (var rule in workflow.Rules)
                {
                    rules.Add(ExplainRule(workflow.Workflow, rule.Rule, rule.Matched, scope, proposal, shared) with
                    {
                        Incomplete = rule.Incomplete,
                    });
                }
            }

            // The GlobalParams the rules read, each defined once, flat, in the order first read; defining one queues
            // the ones it reads. Two entry workflows may each define a term of one name: the later is labelled by workflow.
            var terms = new List<ConditionExplanation>();
            var labels = new HashSet<string>(StringComparer.Ordinal);
            while (shared.Deferred.Count > 0)
            {
                var (name, at) = shared.Deferred.Dequeue();
                var entry = at.Named(name)!;
                var (holds, error) = at.Evaluate(name, _parser, shared.Facts);
                var label = labels.Add(name) ? name : $"{name} (GlobalParam of workflow {entry.Workflow})";
                terms.Add(new ConditionExplanation(label, holds, Expand(entry, shared, depth: 0), error));
            }

            return new StepExplanation(step, plan.Find(stepId), rules)
            {
                Terms = terms,
                TermValues = shared.Facts.Distinct().ToList(),
            };
        }

        private RuleExplanation ExplainRule(string workflow, RuleDefinition rule, bool matched, Scope scope, Proposal proposal, RuleWork shared)
        {
            scope = scope.DefineAll(rule.LocalParams, _parser);
            var work = new RuleWork(shared);
            IReadOnlyList<ConditionExplanation> conditions;
            string joiner;
            if (Parts(rule, scope, work) is { } parts)
            {
                joiner = parts.Any ? "any" : "all";
                conditions = parts.Conditions;
            }
            else
            {
                (var texts, joiner) = ConditionText.Split(rule.Expression ?? "false");
                conditions = texts.Select(part => Condition(part, scope, work, expand: true, depth: 0)).ToList();
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

            // Terms too deep to nest inline, each defined once; defining one can find deeper ones, queued behind it.
            var terms = new List<ConditionExplanation>();
            while (work.Deferred.Count > 0)
            {
                var (name, at) = work.Deferred.Dequeue();
                var (holds, error) = at.Evaluate(name, _parser, work.Facts);
                terms.Add(new ConditionExplanation(name, holds, Expand(at.Named(name)!, work, depth: 0), error));
            }

            return new RuleExplanation(workflow, rule.Name, governance?.Source, governance?.Reason, matched, joiner, conditions, work.Facts.Distinct().ToList())
            {
                Terms = terms,
            };
        }

        /// <summary>
        /// The parts of a rule that has enabled child rules or injects workflows with enabled rules (null for a rule
        /// judged by its own expression), and whether any or all must hold: as the compiled evaluator combines them,
        /// its own children first, then each injected workflow's rules.
        /// </summary>
        private (IReadOnlyList<ConditionExplanation> Conditions, bool Any)? Parts(RuleDefinition rule, Scope scope, RuleWork work)
        {
            var children = rule.Rules.Where(r => r.Enabled).ToList();
            var injected = rule.WorkflowsToInject.Where(w => Injected(w).Count > 0).ToList();
            if (children.Count == 0 && injected.Count == 0)
            {
                return null;
            }

            var any = rule.Operator is "Or" or "OrElse";
            var parts = children.Select(child => Child(child, scope, work)).ToList();
            parts.AddRange(injected.Select(name => Inject(name, any, scope, work)));
            return (parts, any);
        }

        private ConditionExplanation Child(RuleDefinition child, Scope scope, RuleWork work)
        {
            System.Runtime.CompilerServices.RuntimeHelpers.EnsureSufficientExecutionStack();

            // A child's LocalParams are in scope for it and what it holds, as in routing (they were not defined here,
            // so a child reading its own LocalParam showed "cannot be evaluated on its own").
            scope = scope.DefineAll(child.LocalParams, _parser);
            if (Parts(child, scope, work) is { } parts)
            {
                return new ConditionExplanation($"{child.Name} ({(parts.Any ? "any" : "all")} of)", Combine(parts.Conditions, parts.Any), parts.Conditions);
            }

            var condition = Condition(child.Expression ?? "false", scope, work, expand: true, depth: 0);
            return condition with { Text = $"{child.Name}: {condition.Text}" };
        }

        /// <summary>
        /// An injected workflow as one part of the rule injecting it: its enabled rules (and those it injects in turn),
        /// any or all of them by the injecting rule's operator. Shown once per rule and scope; a later injection of the
        /// same workflow over the same terms shows its outcome only, as the compiled evaluator shares its delegate.
        /// </summary>
        private ConditionExplanation Inject(string name, bool any, Scope scope, RuleWork work)
        {
            EvaluationGuard.CheckBudget();
            var text = $"injected workflow {name} ({(any ? "any" : "all")} of its rules)";
            var key = $"{name}\0{any}\0{scope.KeyFor(_words.For(name))}";
            if (work.Injections.TryGetValue(key, out var shown))
            {
                return new ConditionExplanation($"{text}: as shown above", shown, Array.Empty<ConditionExplanation>());
            }

            var parts = Injected(name).Select(rule => Child(rule, scope, work)).ToList();
            var holds = Combine(parts, any);
            work.Injections[key] = holds;
            return new ConditionExplanation(text, holds, parts);
        }

        /// <summary>The enabled rules a workflow brings where it is injected (its own, then those it injects in turn), as routing takes them.</summary>
        private IReadOnlyList<RuleDefinition> Injected(string name)
        {
            if (!_injected.TryGetValue(name, out var rules))
            {
                rules = _byName.TryGetValue(name, out var workflow)
                    ? WorkflowChecks.InjectedRules(workflow, _byName).Where(r => r.Enabled).ToList()
                    : Array.Empty<RuleDefinition>();
                _injected[name] = rules;
            }

            return rules;
        }

        /// <summary>Any or all of the parts; null (cannot say) when one of them could not be evaluated.</summary>
        private static bool? Combine(IReadOnlyList<ConditionExplanation> parts, bool any) =>
            parts.All(p => p.Holds is not null) ? (any ? parts.Any(p => p.Holds == true) : parts.All(p => p.Holds == true)) : null;

        private ConditionExplanation Condition(string text, Scope scope, RuleWork work, bool expand, int depth)
        {
            System.Runtime.CompilerServices.RuntimeHelpers.EnsureSufficientExecutionStack();
            EvaluationGuard.CheckBudget();
            var (holds, error) = scope.Evaluate(text, _parser, work.Facts);
            var because = Array.Empty<ConditionExplanation>() as IReadOnlyList<ConditionExplanation>;
            var name = text.TrimStart('!', ' ');

            if (scope.Named(name) is { Definition: not null, Workflow: not null } global)
            {
                // A GlobalParam is defined once per explanation, in its list of terms, however many rules and terms
                // read it: defined per rule, 400 rules over a chain of 5,000 printed 173 MB.
                if (work.Shared.Defined.Add(global.Id))
                {
                    work.Shared.Deferred.Enqueue((name, scope));
                }
            }

            // A LocalParam is expanded once per rule: b = a && a over 22 terms would otherwise expand 2²² times.
            else if (expand && scope.Named(name) is { Definition: not null } term && work.Expanded.Add(name))
            {
                if (depth < InlineTermDepth)
                {
                    because = Expand(term, work, depth + 1);
                }
                else
                {
                    work.Deferred.Enqueue((name, scope));
                }
            }

            return new ConditionExplanation(text, holds, because, error);
        }

        /// <summary>The conditions a named term is defined by, each evaluated in the scope the term was defined in.</summary>
        private IReadOnlyList<ConditionExplanation> Expand(Entry term, RuleWork work, int depth)
        {
            var (parts, _) = ConditionText.Split(term.Definition!.Expression);
            return parts.Select(p => Condition(p, term.DefinedIn!, work, expand: parts.Count > 1, depth)).ToList();
        }

        /// <summary>
        /// What explaining one rule gathers: the values it read, the terms it expanded, and those left to define below;
        /// or, for <see cref="Shared"/>, what the explanation's GlobalParams gather.
        /// </summary>
        private sealed class RuleWork
        {
            public RuleWork(RuleWork? shared) => Shared = shared ?? this;

            /// <summary>The explanation's work for GlobalParams, shared by every rule (itself, for that work).</summary>
            public RuleWork Shared { get; }

            /// <summary>The GlobalParams defined, or queued to be, in this explanation (by <see cref="Entry.Id"/>).</summary>
            public HashSet<int> Defined { get; } = new();

            public List<Fact> Facts { get; } = new();

            public HashSet<string> Expanded { get; } = new(StringComparer.Ordinal);

            public Queue<(string Name, Scope Scope)> Deferred { get; } = new();

            public Dictionary<string, bool?> Injections { get; } = new(StringComparer.Ordinal);
        }

        /// <summary>
        /// What every scope of one explanation shares: each name's value by its parameter (a parameter is made once per
        /// definition, so it names one value), and each value read from the inputs, which do not change while explaining.
        /// </summary>
        private sealed class Values
        {
            public Dictionary<ParameterExpression, Entry> Entries { get; } = new();

            public Dictionary<string, string> Reads { get; } = new(StringComparer.Ordinal);

            /// <summary>Each condition's outcome and the values it read, by its text and the terms its words name (<see cref="Scope.KeyFor"/>).</summary>
            public Dictionary<string, (bool? Holds, string? Error, List<Fact> Facts)> Conditions { get; } = new(StringComparer.Ordinal);

            public int NextId { get; set; }
        }

        /// <summary>The names an expression can use and their values, growing as scoped parameters are defined.</summary>
        /// <remarks>
        /// Each named term is evaluated once, when it is defined, and later expressions read that value. The names are
        /// a <see cref="ParameterScope"/>, as routing's: defining one more shares the rest, and an expression is parsed
        /// with only the names its text uses, so a chain of n terms costs n, where copying the scope and parsing with
        /// every name cost n² (1,000 chained GlobalParams overran the 5 s budget). An expression is compiled as a
        /// function of one array holding the values, never as a delegate with one parameter per name: past 16 names
        /// .NET makes a delegate type for such a lambda in an assembly that cannot refer to the rule set's parameter
        /// type, which lives in a collectible assembly, and every term from the 14th on failed.
        /// </remarks>
        private sealed class Scope
        {
            private readonly ParameterScope _names;
            private readonly Values _values;

            private Scope(ParameterScope names, Values values)
            {
                _names = names;
                _values = values;
            }

            /// <summary>The scope holding only the inputs (<c>proposal</c>, <c>input1</c>, <c>parameters</c>) and their values.</summary>
            public static Scope For(IReadOnlyList<ParameterExpression> inputs, IReadOnlyList<object?> values, Values shared)
            {
                for (var i = 0; i < inputs.Count; i++)
                {
                    shared.Entries[inputs[i]] = new Entry(inputs[i], values[i], null, null, null);
                }

                var parametersType = inputs.FirstOrDefault(p => p.Name == ExpressionEnvironment.ParametersName)?.Type ?? typeof(object);
                return new Scope(new ParameterScope(inputs.ToArray(), parametersType), shared);
            }

            /// <summary>The entry <paramref name="name"/> names in this scope (an input, or the latest term of that name); null when none.</summary>
            public Entry? Named(string name)
            {
                foreach (var parameter in _names.For(name))
                {
                    if (parameter.Name == name && _values.Entries.TryGetValue(parameter, out var entry))
                    {
                        return entry;
                    }
                }

                return null;
            }

            /// <summary>A key naming which values the words name here: equal keys, same values (for sharing an injected workflow's outcome).</summary>
            public string KeyFor(IEnumerable<string> words)
            {
                var ids = new List<int>();
                foreach (var word in words)
                {
                    if (Named(word) is { Definition: not null } entry)
                    {
                        ids.Add(entry.Id);
                    }
                }

                ids.Sort();
                return string.Join(",", ids);
            }

            /// <summary>This scope with each of <paramref name="definitions"/> defined in turn.</summary>
            public Scope DefineAll(IReadOnlyList<ScopedParameterDefinition> definitions, RuleExpressionParser parser)
            {
                var scope = this;
                foreach (var definition in definitions)
                {
                    scope = scope.Define(definition, parser);
                }

                return scope;
            }

            /// <summary>
            /// Adds a named term with its value. A term that cannot be evaluated keeps why, and every expression that
            /// reads it reports that reason (an undecided term leaves what reads it undecided, as in routing), rather
            /// than reading a default value in its place. The budget is checked for every term: a long chain of terms
            /// stops at the budget, not after all of them.
            /// </summary>
            /// <param name="definition">The term.</param>
            /// <param name="parser">The parser routing uses.</param>
            /// <param name="workflow">For a GlobalParam, its workflow; null for a LocalParam.</param>
            public Scope Define(ScopedParameterDefinition definition, RuleExpressionParser parser, string? workflow = null)
            {
                EvaluationGuard.CheckBudget();
                object? value = null;
                var type = typeof(object);
                string? error;
                if (TryParse(definition.Expression, out var body, out error))
                {
                    type = body!.Type;
                    value = Invoke(body, out error);
                }

                var parameter = Expression.Parameter(type, definition.Name);
                _values.Entries[parameter] = new Entry(parameter, value, definition, error, this) { Id = ++_values.NextId, Workflow = workflow };
                return new Scope(_names.Define(parameter), _values);
            }

            public (bool? Holds, string? Error) Evaluate(string text, RuleExpressionParser parser, List<Fact> facts)
            {
                // A term named alone (most of a chain's conditions) is its value: nothing to parse, compile or read.
                if (Named(text.Trim()) is { Definition: not null } term)
                {
                    var error = term.Error is null ? null : ReadError(term);
                    return term.Value is bool held && error is null ? (held, null) : (null, error ?? "the condition is not true or false");
                }

                // The same text over the same values has the same outcome: a chain whose every term reads
                // proposal.AllWards evaluates it once, not once per term.
                var key = text + "\0" + KeyFor(ExpressionText.Words(text));
                if (_values.Conditions.TryGetValue(key, out var known))
                {
                    facts.AddRange(known.Facts);
                    return (known.Holds, known.Error);
                }

                var read = new List<Fact>();
                (bool? Holds, string? Error) outcome;
                if (!TryParse(text, out var body, out var parseError))
                {
                    outcome = (null, parseError);
                }
                else
                {
                    CollectFacts(body!, text.TrimStart('!', ' '), read);
                    var value = Invoke(body!, out var evaluationError);
                    outcome = value is bool b ? (b, null) : (null, evaluationError ?? "the condition is not true or false");
                }

                _values.Conditions[key] = (outcome.Holds, outcome.Error, read);
                facts.AddRange(read);
                return outcome;
            }

            private bool TryParse(string text, out Expression? body, out string? error)
            {
                body = null;
                error = null;
                try
                {
                    // Only the names the text uses, as routing parses it (ParameterScope.For): the same tree, at the text's cost.
                    body = EvaluationGuard.Instrument(ParsedExpressions.ParseBody(text, _names.For(text)));
                    return true;
                }
                catch (Exception e) when (e is System.Linq.Dynamic.Core.Exceptions.ParseException or InvalidOperationException or ArgumentException or NotSupportedException)
                {
                    // The text does not parse on its own (a condition split out of a larger expression): say so.
                    error = $"cannot be evaluated on its own: {e.Message}";
                    return false;
                }
            }

            /// <summary>Why an expression reading <paramref name="failed"/>, a term with no value, has none either.</summary>
            private static string ReadError(Entry failed) =>
                failed.Error!.StartsWith("undecided:", StringComparison.Ordinal)
                    ? failed.Error
                    : $"reads {failed.Parameter.Name}, which could not be evaluated: {failed.Error}";

            /// <summary>Evaluates a parsed expression over the scope's values; null with <paramref name="error"/> set when it cannot.</summary>
            private object? Invoke(Expression body, out string? error)
            {
                error = null;
                var reads = ReadNames(body);
                if (reads.FirstOrDefault(e => e.Error is not null) is { } failed)
                {
                    // A term it reads has no value: the same reason holds for this expression.
                    error = ReadError(failed);
                    return null;
                }

                try
                {
                    return Compile(body, reads)(reads.Select(e => e.Value).ToArray());
                }
                catch (Exception e) when (!HostFaults.IsFault(e))
                {
                    // The interpreter may hand a called member's exception back wrapped (reflection): read its cause.
                    error = HostFaults.Cause(e) switch
                    {
                        // Not an error: the proposal does not say, and a condition that needs it is undecided.
                        ProposalValueMissingException missing => $"undecided: the proposal gives no value for {missing.Value}",

                        // The expression's own error, as routing reports it for the rule.
                        var cause => $"evaluation failed: {cause.Message}",
                    };
                    return null;
                }
            }

            /// <summary>
            /// <c>values => body</c>, where the names the body reads become variables set from <c>values</c>
            /// (<see cref="ScopeValues"/>): one delegate type, <see cref="Func{T, TResult}"/>, whatever the number of names in scope.
            /// Interpreted, not compiled to IL: each is run once, and emitting and JIT-compiling a method per term and
            /// condition was most of explaining's cost (5,000 chained terms: 5.1 s of CPU compiled, 2.0 s interpreted,
            /// routing and loading included). Values and errors are the same; the routing delegates stay compiled.
            /// </summary>
            private static Func<object?[], object?> Compile(Expression body, IReadOnlyList<Entry> reads)
            {
                var values = Expression.Parameter(typeof(object[]), "values");
                var block = new List<Expression>(ScopeValues.Unpack(values, reads.Select(e => e.Parameter).ToList()));
                block.Add(Expression.Convert(body, typeof(object)));
                return Expression.Lambda<Func<object?[], object?>>(Expression.Block(typeof(object), reads.Select(e => e.Parameter), block), values).Compile(preferInterpretation: true);
            }

            /// <summary>The scope's entries an expression reads (a lambda's own parameters are not entries).</summary>
            private List<Entry> ReadNames(Expression body)
            {
                var used = new HashSet<ParameterExpression>();
                new ParameterFinder(used).Visit(body);
                var reads = new List<Entry>();
                foreach (var parameter in used)
                {
                    if (_values.Entries.TryGetValue(parameter, out var entry))
                    {
                        reads.Add(entry);
                    }
                }

                return reads;
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
                    // The inputs do not change while explaining: a value read once is the same for every condition.
                    var described = Describe(read);
                    if (!_values.Reads.TryGetValue(described, out var shown))
                    {
                        var value = Invoke(read, out var error);
                        shown = error is null ? Format(value) : error.StartsWith("undecided:", StringComparison.Ordinal) ? "(not given by the proposal)" : $"(could not be read: {error})";
                        _values.Reads[described] = shown;
                    }

                    facts.Add(new Fact(described, shown));
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

        /// <summary>
        /// A name in scope: its parameter, its value, the term that defines it (null for the inputs), why it has no
        /// value, and the scope it was defined in (its own definition is explained there).
        /// </summary>
        private sealed record Entry(ParameterExpression Parameter, object? Value, ScopedParameterDefinition? Definition, string? Error, Scope? DefinedIn)
        {
            /// <summary>One number per definition in the explanation (0 for the inputs).</summary>
            public int Id { get; init; }

            /// <summary>For a GlobalParam, the workflow defining it (null for a LocalParam or an input).</summary>
            public string? Workflow { get; init; }
        }

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
