using System;
using System.Collections.Generic;
using System.Linq;
using System.Linq.Expressions;
using System.Reflection;
using System.Runtime.CompilerServices;
using DecisionRouting.Expressions;
using DecisionRouting.Proposals;
using DecisionRouting.Routing;
using DecisionRouting.Workflows;

namespace DecisionRouting.Evaluation
{
    /// <summary>
    /// A rule set's expressions, parsed once with RulesEngine's own parser and compiled into one delegate per entry
    /// workflow. Evaluating a proposal writes each top-level rule's outcome into arrays the caller owns: no result
    /// trees, no async state machines, no dictionaries. RulesEngine semantics are kept: global and local parameters
    /// are evaluated before the rules that see them, every child of a nested rule is evaluated and they combine with
    /// And/Or. An exception anywhere in a rule (or, in a global parameter, in every rule of the workflow) is recorded
    /// for that top-level rule; <see cref="RuleOutcomes"/> then lists the rule as undecided or not evaluated, never as a non-match.
    /// </summary>
    internal sealed class CompiledRuleSet : IRuleEvaluator
    {
        private readonly Workflow[] _workflows;

        private CompiledRuleSet(Workflow[] workflows, int scopes)
        {
            _workflows = workflows;
            CompiledScopes = scopes;
            RuleCount = workflows.Sum(w => w.Rules.Count);
            Workflows = workflows.Select(w => (w.Name, w.Rules)).ToArray();
            IndexedRules = workflows.Sum(w => w.Index?.Count ?? 0);

            // A matched rule reads the same in every plan: built once here, so a match allocates nothing.
            _matchedRules = workflows.SelectMany(w => w.Rules.Select(r => RuleOutcomes.Matching(w.Name, r))).ToArray();

            // A rule with no dated law that neither matched nor failed adds nothing to the outcomes: skipped without a call.
            _undated = workflows.SelectMany(w => w.Rules.Select(r => r.Governance?.Effective is null)).ToArray();

            // ... and one that matched, raising no warning of its own, is just its shared MatchedRule.
            _quiet = workflows.SelectMany(w => w.Rules.Select(r => r.Governance is not { } g || (g.Warning is null && !g.Verify))).ToArray();
        }

        private readonly MatchedRule[] _matchedRules;

        /// <summary>
        /// Whether a workflow its comparison index decided alone, with no dated rule, adds its matches found by a
        /// vectorised search (true, the default) or rule by rule (false: the slow path tests compare plans with).
        /// </summary>
        internal bool ScanMatches { get; set; } = true;
        private readonly bool[] _undated;
        private readonly bool[] _quiet;

        /// <summary>How many top-level rules the workflows' <see cref="ComparisonIndex"/> decide, rather than their compiled delegates.</summary>
        public int IndexedRules { get; }

        /// <summary>Whether top-level rule <paramref name="index"/> (in evaluation order, as in the result arrays) is decided by its workflow's <see cref="ComparisonIndex"/>.</summary>
        public bool IsIndexed(int index)
        {
            foreach (var workflow in _workflows)
            {
                if (index < workflow.Rules.Count)
                {
                    return workflow.Index?.Decides(index) == true;
                }

                index -= workflow.Rules.Count;
            }

            return false;
        }

        /// <summary>How many top-level rules there are across the entry workflows: the length of the result arrays.</summary>
        public int RuleCount { get; }

        /// <summary>How many delegates were compiled for injected workflows, one per workflow and trimmed scope: what DR0070 bounds.</summary>
        public int CompiledScopes { get; }

        /// <summary>The entry workflows in evaluation order, each with its top-level rules in order.</summary>
        public IReadOnlyList<(string Name, IReadOnlyList<RuleDefinition> Rules)> Workflows { get; }

        public static CompiledRuleSet Compile(
            IEnumerable<(string Name, IReadOnlyList<ScopedParameterDefinition> Globals, IReadOnlyList<RuleDefinition> Rules)> workflows,
            IReadOnlyDictionary<string, WorkflowDefinition> byName,
            ExpressionEnvironment environment,
            ParsedExpressions parsed)
        {
            // Workflows compile independently, so on every core, with the process's one parser (see ExpressionEnvironment.SharedParser).
            try
            {
                var compiled = InOrder(workflows.ToArray(), w => (w.Name, w.Rules, Compiled: CompileWorkflow(w.Name, w.Globals, w.Rules, byName, environment, new Parser(parsed))));
                return new CompiledRuleSet(compiled.Select(w => new Workflow(w.Name, w.Rules, w.Compiled.Chunks, w.Compiled.Index, w.Compiled.Residual)).ToArray(), compiled.Sum(w => w.Compiled.Scopes))
                {
                    Chunks = compiled.SelectMany(w => w.Compiled.Chunks.Select(c => c.Info)).ToArray(),
                };
            }
            catch (AggregateException e) when (HostFaults.IsFault(e))
            {
                // PLINQ wraps what a worker threw; out of memory or stack is raised as itself, for the loader to name.
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(HostFaults.Cause(e)).Throw();
                throw;
            }
        }

        /// <summary>Evaluates every top-level rule: <paramref name="matched"/>[i] is whether rule i matched, <paramref name="errors"/>[i] why it could not be evaluated.</summary>
        public void Evaluate(Proposal proposal, object parameters, bool[] matched, string?[] errors) =>
            Evaluate(proposal, parameters, matched, errors, useIndex: true);

        /// <summary>
        /// <see cref="Evaluate(Proposal, object, bool[], string[])"/>, with <paramref name="useIndex"/> false evaluating
        /// every rule with the compiled delegates, as a proposal the index declines is: the oracle the index is tested against.
        /// </summary>
        internal void Evaluate(Proposal proposal, object parameters, bool[] matched, string?[] errors, bool useIndex) =>
            Evaluate(proposal, parameters, matched, errors, useIndex, default);

        /// <summary>
        /// Evaluates every top-level rule; <paramref name="indexOnly"/>[w], where given, says whether workflow w was
        /// decided by its <see cref="ComparisonIndex"/> alone: no compiled delegate ran, so none of its rules has an error.
        /// </summary>
        /// <returns>Whether any compiled delegate ran (and so may have written an error).</returns>
        private bool Evaluate(Proposal proposal, object parameters, bool[] matched, string?[] errors, bool useIndex, Span<bool> indexOnly)
        {
            var offset = 0;
            var anyChunk = false;
            for (var w = 0; w < _workflows.Length; w++)
            {
                var workflow = _workflows[w];
                EvaluationGuard.InWorkflow(workflow.Name);
                var decided = useIndex && workflow.Index is { } index && index.TryEvaluate(proposal, matched, offset);
                var chunks = decided ? workflow.Residual : workflow.Chunks;
                foreach (var chunk in chunks)
                {
                    chunk.Evaluate(proposal, parameters, matched, errors, offset);
                }

                anyChunk |= chunks.Length > 0;
                if (!indexOnly.IsEmpty)
                {
                    indexOnly[w] = decided && chunks.Length == 0;
                }

                offset += workflow.Rules.Count;
            }

            return anyChunk;
        }

        /// <summary>
        /// Evaluates every top-level rule into <paramref name="outcomes"/>, in evaluation order, with no delegate per
        /// rule and the shared <see cref="MatchedRule"/> of each; then throws if a host fault was swallowed or the
        /// time budget is spent. What routing and <see cref="RuleSets.RuleSet.Match(Proposal, RuleMatches)"/> call.
        /// </summary>
        public void Evaluate(Proposal proposal, object parameters, RuleOutcomes outcomes)
        {
            var results = Buffers.Rent(RuleCount);
            var errorsWritten = true;
            var indexOnly = _workflows.Length <= 128 ? stackalloc bool[_workflows.Length] : new bool[_workflows.Length];
            try
            {
                errorsWritten = Evaluate(proposal, parameters, results.Matched, results.Errors, useIndex: true, indexOnly);
                var index = 0;
                for (var w = 0; w < _workflows.Length; w++)
                {
                    var workflow = _workflows[w];
                    var rules = workflow.Rules;
                    if (ScanMatches && indexOnly[w] && workflow.AllUndated)
                    {
                        // No rule of this workflow has an error or dated law: only its matches add anything, and a
                        // vectorised search finds them, rather than a test of every rule (most of which did not match).
                        AddMatches(proposal, workflow, index, results.Matched, outcomes);
                        index += rules.Count;
                        continue;
                    }

                    for (var i = 0; i < rules.Count; i++, index++)
                    {
                        if (_undated[index] && results.Errors[index] is null)
                        {
                            if (!results.Matched[index])
                            {
                                continue;
                            }

                            if (_quiet[index] && outcomes.NoStepOutOfForce)
                            {
                                // What Add does for an undated match that warns of nothing, without its look-ups.
                                outcomes.Matched.Add(_matchedRules[index]);
                                continue;
                            }
                        }

                        outcomes.Add(proposal, workflow.Name, rules[i], results.Matched[index], results.Errors[index], _matchedRules[index]);
                    }
                }
            }
            finally
            {
                Buffers.Return(results, errorsWritten);
            }

            EvaluationGuard.ThrowIfFaulted();
            EvaluationGuard.CheckBudget();
        }

        /// <summary>
        /// The outcomes of <paramref name="workflow"/>'s rules (from <paramref name="offset"/> in the result arrays) when
        /// none has an error or dated law: exactly what the rule-by-rule loop adds for them, its matches in order.
        /// </summary>
        private void AddMatches(Proposal proposal, Workflow workflow, int offset, bool[] matched, RuleOutcomes outcomes)
        {
            var span = matched.AsSpan(offset, workflow.Rules.Count);
            var quietAll = outcomes.NoStepOutOfForce;
            for (var at = span.IndexOf(true); at >= 0;)
            {
                var index = offset + at;
                if (quietAll && _quiet[index])
                {
                    outcomes.Matched.Add(_matchedRules[index]);
                }
                else
                {
                    outcomes.Add(proposal, workflow.Name, workflow.Rules[at], isMatch: true, exceptionMessage: null, _matchedRules[index]);
                }

                var next = span[(at + 1)..].IndexOf(true);
                at = next < 0 ? -1 : at + 1 + next;
            }
        }

        /// <inheritdoc/>
        public void Evaluate(Proposal proposal, object parameters, RuleOutcome collect)
        {
            var results = Buffers.Rent(RuleCount);
            try
            {
                Evaluate(proposal, parameters, results.Matched, results.Errors);
                var index = 0;
                foreach (var (workflow, rules) in Workflows)
                {
                    foreach (var rule in rules)
                    {
                        collect(workflow, rule, results.Matched[index], results.Errors[index]);
                        index++;
                    }
                }
            }
            finally
            {
                Buffers.Return(results);
            }

            // The compiled catch blocks let a fault through, but one swallowed by code they call is raised here; the
            // budget is checked once more for the time spent after the last tick (in the last workflow evaluated).
            EvaluationGuard.ThrowIfFaulted();
            EvaluationGuard.CheckBudget();
        }

        /// <summary>
        /// The most top-level rules one compiled delegate holds. With <see cref="NodeBudgetPerChunk"/> it keeps every
        /// delegate well inside the JIT's limits: CoreCLR compiles a method unoptimised (MinOpts) past 60,000 bytes of IL,
        /// 20,000 IL instructions, 2,000 basic blocks, 2,000 locals or 8,000 local references (<c>DEFAULT_MIN_OPTS_*</c>
        /// in the JIT's compiler.cpp). A rule is a try/catch with a filter, so a few basic blocks and a local at least:
        /// 1,000 rules in one delegate were about 93 KB of IL.
        /// </summary>
        internal const int MaxRulesPerChunk = 100;

        /// <summary>
        /// The most expression nodes (rule bodies, plus <see cref="NodesPerRule"/> for each rule's guard) one delegate
        /// holds: about 11 KB of IL, a fifth of the IL limit (the peers' 1,000 rules are 21,733 nodes and compiled to about
        /// 93 KB of IL in one method: about 4.3 bytes a node).
        /// </summary>
        internal const int NodeBudgetPerChunk = 2_500;

        /// <summary>The nodes each rule's guard adds: the tick, the try/catch and its filter, the two stores.</summary>
        private const int NodesPerRule = 12;

        /// <summary>How each entry workflow was split into compiled delegates, in evaluation order.</summary>
        public IReadOnlyList<ChunkInfo> Chunks { get; private set; } = Array.Empty<ChunkInfo>();

        private static (Chunk[] Chunks, int Scopes, ComparisonIndex? Index, Chunk[] Residual) CompileWorkflow(
            string name,
            IReadOnlyList<ScopedParameterDefinition> globals,
            IReadOnlyList<RuleDefinition> rules,
            IReadOnlyDictionary<string, WorkflowDefinition> byName,
            ExpressionEnvironment environment,
            Parser parser)
        {
            var memo = Expression.Variable(typeof(InjectionOutcome[]), "injectionMemo");
            var builder = new Builder(byName, parser);
            var inputs = environment.ParameterExpressions();

            var globalVariables = new List<ParameterExpression>();
            var globalBody = new List<Expression>();
            var scope = new ParameterScope(inputs, environment.ParametersType);
            foreach (var global in globals)
            {
                var value = Parse(parser, global.Expression, scope);
                var variable = parser.Parsed.Canonical(global.Name, value.Type);
                scope = scope.Define(variable);
                globalVariables.Add(variable);
                globalBody.Add(Tick);
                globalBody.Add(Expression.Assign(variable, value));
            }

            var bodies = rules.Select(rule => builder.RuleBody(rule, scope, memo)).ToList();
            var sizes = bodies.Select(body => NodeCounter.Count(body) + NodesPerRule).ToArray();
            var globalNodes = globalBody.Sum(NodeCounter.Count);

            // One memo slot per injected workflow evaluated in the workflow's own scope, fresh for every evaluation.
            // A workflow that memoises nothing shares one empty array: evaluating it allocates nothing.
            var memoInit = Expression.Assign(memo, builder.MemoSlots == 0 ? Expression.Constant(Array.Empty<InjectionOutcome>()) : Expression.NewArrayBounds(typeof(InjectionOutcome), Expression.Constant(builder.MemoSlots)));

            // The rules the comparison index can decide are not compiled at load: the delegates of the whole workflow
            // (Chunks) are compiled on first need, for a proposal the index declines; the rest (Residual) at once. A
            // GlobalParam that throws fails every rule of its workflow, so a workflow with any is not indexed.
            var index = globals.Count == 0
                ? ComparisonIndex.Build(bodies, inputs.Where(i => i.Type == typeof(Proposal)).ToArray())
                : null;
            var all = Enumerable.Range(0, rules.Count).ToArray();
            var residual = index is null ? all : all.Where(i => !index.Decides(i)).ToArray();

            // The chunks compile independently: on every core, as workflows do.
            var chunks = Cut(all, lazy: index is not null);
            var residualChunks = index is null ? chunks : Cut(residual, lazy: false);
            return (chunks, builder.SharedCount, index, residualChunks);

            // A lazy chunk compiles nothing here (it keeps the closures that compile it on first need), so those are
            // made in a plain loop: PLINQ's set-up would cost more than the work, most of it JIT on a cold start.
            Chunk[] Cut(int[] positions, bool lazy)
            {
                if (positions.Length == 0)
                {
                    return Array.Empty<Chunk>();
                }

                var ranges = Partition(positions.Select(i => sizes[i]).ToArray(), globalNodes);
                Chunk Make((int Start, int Count, int Nodes, int Largest) range) => CompileChunk(
                    new ChunkInfo(name, positions[range.Start], range.Count, range.Nodes, range.Largest),
                    inputs, memo, memoInit, globalVariables, globalBody, rules, bodies, positions[range.Start..(range.Start + range.Count)], lazy);
                if (!lazy)
                {
                    return InOrder(ranges, Make);
                }

                var made = new Chunk[ranges.Count];
                for (var i = 0; i < made.Length; i++)
                {
                    made[i] = Make(ranges[i]);
                }

                return made;
            }
        }

        /// <summary>
        /// <paramref name="select"/> over <paramref name="items"/>, results in order: on every core (PLINQ) when there are
        /// several, inline when there is one, which spares a cold start PLINQ's set-up (a few hundred methods to JIT) for a
        /// rule set of one workflow. Either way an exception reaches the caller wrapped in an
        /// <see cref="AggregateException"/>, as PLINQ wraps it, so the callers' handling of faults is the same.
        /// </summary>
        private static TResult[] InOrder<TItem, TResult>(IReadOnlyList<TItem> items, Func<TItem, TResult> select)
        {
            if (items.Count > 1)
            {
                return items.AsParallel().AsOrdered().Select(select).ToArray();
            }

            var results = new TResult[items.Count];
            for (var i = 0; i < results.Length; i++)
            {
                try
                {
                    results[i] = select(items[i]);
                }
                catch (Exception e)
                {
                    throw new AggregateException(e);
                }
            }

            return results;
        }

        /// <summary>
        /// Splits a workflow's rules, in order, into runs within <see cref="MaxRulesPerChunk"/> and
        /// <see cref="NodeBudgetPerChunk"/> (a rule larger than the budget gets a chunk of its own). Every chunk evaluates
        /// the workflow's GlobalParams again, so a workflow whose GlobalParams are large is split less: the repeated
        /// GlobalParams never cost more than the rules.
        /// </summary>
        private static List<(int Start, int Count, int Nodes, int Largest)> Partition(int[] sizes, int globalNodes)
        {
            var total = sizes.Sum();
            var chunks = Math.Max(DivideRoundingUp(total, NodeBudgetPerChunk), DivideRoundingUp(sizes.Length, MaxRulesPerChunk));
            if (globalNodes > 0)
            {
                chunks = Math.Min(chunks, Math.Max(1, total / globalNodes));
            }

            var nodeLimit = DivideRoundingUp(total, Math.Max(1, chunks));
            var ruleLimit = DivideRoundingUp(sizes.Length, Math.Max(1, chunks));
            var ranges = new List<(int Start, int Count, int Nodes, int Largest)>();
            int start = 0, nodes = 0, largest = 0;
            for (var i = 0; i < sizes.Length; i++)
            {
                var count = i - start;
                if (count > 0 && (nodes + sizes[i] > nodeLimit || count >= ruleLimit))
                {
                    ranges.Add((start, count, nodes, largest));
                    (start, nodes, largest) = (i, 0, 0);
                }

                nodes += sizes[i];
                largest = Math.Max(largest, sizes[i]);
            }

            if (sizes.Length > start || ranges.Count == 0)
            {
                ranges.Add((start, sizes.Length - start, nodes, largest));
            }

            return ranges;

            static int DivideRoundingUp(int value, int by) => (value + by - 1) / by;
        }

        /// <summary>
        /// The delegates for the rules at <paramref name="positions"/> in the workflow, each writing its rule at
        /// <c>offset + position</c> (the caller passes the workflow's offset): the inputs, the memo, the workflow's
        /// GlobalParams, then each rule. Only the fast one is compiled here, unless <paramref name="lazy"/> (then on first
        /// use); the guarded one, with each rule in its own try/catch, is compiled the first time a rule of the chunk
        /// throws (see <see cref="Chunk"/>).
        /// </summary>
        private static Chunk CompileChunk(
            ChunkInfo info,
            IReadOnlyList<ParameterExpression> inputs,
            ParameterExpression memo,
            Expression memoInit,
            IReadOnlyList<ParameterExpression> globalVariables,
            IReadOnlyList<Expression> globalBody,
            IReadOnlyList<RuleDefinition> rules,
            IReadOnlyList<Expression> bodies,
            int[] positions,
            bool lazy)
        {
            var count = positions.Length;
            return new Chunk(info, lazy ? null : Build(guarded: false).Compile(), () => Build(guarded: false).Compile(), () => Build(guarded: true).Compile());

            Expression<Action<Proposal, object, bool[], string?[], int>> Build(bool guarded)
            {
                var proposalArgument = Expression.Parameter(typeof(Proposal), "proposalArgument");
                var parametersArgument = Expression.Parameter(typeof(object), "parametersArgument");
                var matched = Expression.Parameter(typeof(bool[]), "matched");
                var errors = Expression.Parameter(typeof(string[]), "errors");
                var offset = Expression.Parameter(typeof(int), "offset");

                var variables = new List<ParameterExpression>(inputs) { memo };
                variables.AddRange(globalVariables);
                var body = new List<Expression>
                {
                    Expression.Assign(inputs[0], proposalArgument),
                    Expression.Assign(inputs[1], proposalArgument),
                    Expression.Assign(inputs[2], Expression.Convert(parametersArgument, inputs[2].Type)),
                    memoInit,
                };
                body.AddRange(globalBody);

                for (var i = 0; i < count; i++)
                {
                    var index = Expression.Add(offset, Expression.Constant(positions[i]));
                    var store = Expression.Assign(Expression.ArrayAccess(matched, index), bodies[positions[i]]);
                    body.Add(Tick);
                    if (!guarded)
                    {
                        body.Add(store);
                        continue;
                    }

                    var exception = Expression.Variable(typeof(Exception), "exception");
                    body.Add(Expression.TryCatch(
                        Expression.Block(typeof(void), store),
                        Expression.Catch(
                            exception,
                            Expression.Block(
                                typeof(void),
                                Expression.Assign(Expression.ArrayAccess(matched, index), Expression.Constant(false)),
                                Expression.Assign(Expression.ArrayAccess(errors, index), Message(rules[positions[i]].Name, exception))),
                            NotFault(exception))));
                }

                if (!guarded)
                {
                    return Expression.Lambda<Action<Proposal, object, bool[], string?[], int>>(Expression.Block(typeof(void), variables, body), proposalArgument, parametersArgument, matched, errors, offset);
                }

                // A global parameter that throws fails every rule of the workflow, as in RulesEngine: every chunk evaluates
                // the GlobalParams, so each fails its own rules with the same message.
                var failure = Expression.Variable(typeof(Exception), "failure");
                var caught = Expression.TryCatch(
                    Expression.Block(typeof(void), variables, body),
                    Expression.Catch(
                        failure,
                        Expression.Call(typeof(CompiledRuleSet).GetMethod(nameof(FailAll), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!, matched, errors, offset, Expression.Constant(positions), Expression.Property(failure, nameof(Exception.Message))),
                        NotFault(failure)));
                return Expression.Lambda<Action<Proposal, object, bool[], string?[], int>>(caught, proposalArgument, parametersArgument, matched, errors, offset);
            }
        }

        /// <summary>Counts the nodes of an expression tree: the size estimate chunks are cut by.</summary>
        private sealed class NodeCounter : ExpressionVisitor
        {
            private int _count;

            public static int Count(Expression expression)
            {
                var counter = new NodeCounter();
                counter.Visit(expression);
                return counter._count;
            }

            public override Expression? Visit(Expression? node)
            {
                if (node is not null)
                {
                    _count++;
                }

                return base.Visit(node);
            }
        }

        /// <summary>A budget check: evaluation stops when the deadline passes, not after it.</summary>
        private static readonly Expression Tick = Expression.Call(EvaluationGuard.TickMethod);

        /// <summary>
        /// The filter on every catch: a rule's own error makes it undecided or not evaluated, but a fault of the host
        /// (out of memory or stack, the time budget) passes through and stops routing.
        /// </summary>
        private static Expression NotFault(ParameterExpression exception) => Expression.Call(EvaluationGuard.IsNotFaultMethod, exception);

        /// <summary>
        /// Compiles rule bodies, sharing injected workflows. Injection copies a workflow's rules into every rule that
        /// injects it, so a fan-out two wide and fifteen deep is 98,302 rules; compiled inline they made one method
        /// with as many exception handlers, and compiling it took more than a minute. Instead each injected workflow
        /// is compiled into a delegate of its own, once per scope it can see, which every rule that injects it calls.
        /// That scope is trimmed to the names the workflow's text (with everything it injects) contains: a LocalParam
        /// of the injecting rule that the injected rules never name cannot change them, and keeping it made every
        /// injecting rule with a LocalParam of its own name compile a copy of its own (12 s for a fan-out of 4,094).
        /// When the trimmed scope holds no LocalParam, its values are fixed for the whole evaluation, so the outcome
        /// is memoised too: compiling and evaluating are then linear in the distinct workflows, not in the expansion.
        /// When it holds one, the delegate runs at every injection, as RulesEngine would; the static bounds count
        /// those runs (DR0039, DR0058) and the distinct scopes compiled (DR0070, by the same words).
        /// </summary>
        private sealed class Builder
        {
            private static readonly MethodInfo EnsureStack = typeof(RuntimeHelpers).GetMethod(nameof(RuntimeHelpers.EnsureSufficientExecutionStack))!;
            private static readonly ConstructorInfo NewOutcome = typeof(InjectionOutcome).GetConstructors().Single();

            private readonly IReadOnlyDictionary<string, WorkflowDefinition> _byName;
            private readonly Parser _parser;
            private readonly Dictionary<(string Workflow, ScopeKey Scope, string PerRule), Func<object?[], InjectionOutcome?[], InjectionOutcome>> _shared = new();
            private readonly Dictionary<(string Workflow, ScopeKey Scope), int> _slots = new();
            private readonly Dictionary<string, IReadOnlyList<RuleDefinition>> _injected = new(StringComparer.Ordinal);
            private readonly RuleSets.InjectedWords _words;

            public Builder(IReadOnlyDictionary<string, WorkflowDefinition> byName, Parser parser)
            {
                _byName = byName;
                _parser = parser;
                _words = new RuleSets.InjectedWords(byName);
            }

            /// <summary>How many injected workflows are memoised: the length of the memo array.</summary>
            public int MemoSlots => _slots.Count;

            /// <summary>How many delegates were compiled for injected workflows: one per workflow and trimmed scope.</summary>
            public int SharedCount => _shared.Count;

            public Expression RuleBody(RuleDefinition rule, ParameterScope scope, ParameterExpression memo)
            {
                // Nesting and injection recurse here; the expansion is bounded at load (DR0058), and this keeps a deep one a clear error.
                RuntimeHelpers.EnsureSufficientExecutionStack();
                var variables = new List<ParameterExpression>();
                var body = new List<Expression>();
                foreach (var local in rule.LocalParams)
                {
                    var value = Parse(_parser, local.Expression, scope);
                    var variable = _parser.Parsed.Canonical(local.Name, value.Type);
                    scope = scope.Define(variable, perRule: true);
                    variables.Add(variable);
                    body.Add(Expression.Assign(variable, value));
                }

                var children = rule.Rules.Where(r => r.Enabled).ToList();
                var injected = rule.WorkflowsToInject.Where(w => Injected(w).Count > 0).ToList();
                if (children.Count == 0 && injected.Count == 0)
                {
                    body.Add(Parse(_parser, rule.Expression ?? "false", scope));
                    return Expression.Block(typeof(bool), variables, body);
                }

                // RulesEngine evaluates every child (its default NestedRuleExecutionMode.All) and keeps a child's error
                // on the child, combining it as "no match". Here too every child runs; then the first error is raised
                // for the whole rule, so a missing value makes it undecided and any other error makes it not
                // evaluated, never a silent "no match" (RulesEngineRuleSet reads RulesEngine's child errors the same way).
                // Own children come first, then each injected workflow's rules, as RulesEngine appends them.
                var any = rule.Operator is "Or" or "OrElse";
                var first = Expression.Variable(typeof(Exception), "firstChildError");
                variables.Add(first);

                // Compiled block variables are hoisted and keep their value between entries: start every rule afresh.
                body.Add(Expression.Assign(first, Expression.Constant(null, typeof(Exception))));
                var outcomes = new List<ParameterExpression>();
                for (var i = 0; i < children.Count; i++)
                {
                    var outcome = Expression.Variable(typeof(bool), $"child{i}");
                    variables.Add(outcome);
                    outcomes.Add(outcome);
                    body.Add(Guarded(outcome, RuleBody(children[i], scope, memo), first));
                }

                foreach (var name in injected)
                {
                    // A shared workflow reports its rules combined both ways, with their first error.
                    var result = Expression.Variable(typeof(InjectionOutcome), "injected");
                    var outcome = Expression.Variable(typeof(bool), $"child{outcomes.Count}");
                    variables.Add(result);
                    variables.Add(outcome);
                    outcomes.Add(outcome);
                    var error = Expression.Field(result, nameof(InjectionOutcome.Error));
                    body.Add(Expression.Assign(result, Inject(name, scope, memo)));
                    body.Add(Expression.IfThen(
                        Expression.AndAlso(Expression.Equal(first, Expression.Constant(null, typeof(Exception))), Expression.NotEqual(error, Expression.Constant(null, typeof(Exception)))),
                        Expression.Assign(first, error)));
                    body.Add(Expression.Assign(outcome, Expression.Field(result, any ? nameof(InjectionOutcome.Any) : nameof(InjectionOutcome.All))));
                }

                body.Add(Expression.IfThen(Expression.NotEqual(first, Expression.Constant(null, typeof(Exception))), Expression.Throw(first)));
                var combined = outcomes.Select(o => (Expression)o)
                    .Aggregate((left, right) => any ? Expression.Or(left, right) : Expression.And(left, right));
                body.Add(combined);
                return Expression.Block(typeof(bool), variables, body);
            }

            /// <summary>A child evaluated on its own: its error is kept (the first one) and it counts as not matching.</summary>
            private static Expression Guarded(ParameterExpression outcome, Expression value, ParameterExpression first)
            {
                var error = Expression.Variable(typeof(Exception), "childError");
                return Expression.TryCatch(
                    Expression.Block(typeof(void), Expression.Assign(outcome, value)),
                    Expression.Catch(
                        error,
                        Expression.Block(
                            typeof(void),
                            Expression.IfThen(Expression.Equal(first, Expression.Constant(null, typeof(Exception))), Expression.Assign(first, error)),
                            Expression.Assign(outcome, Expression.Constant(false))),
                        NotFault(error)));
            }

            /// <summary>The enabled rules a workflow brings where it is injected (its own, then those it injects in turn).</summary>
            private IReadOnlyList<RuleDefinition> Injected(string name)
            {
                if (!_injected.TryGetValue(name, out var rules))
                {
                    rules = RuleSets.WorkflowChecks.InjectedRules(_byName[name], _byName).Where(r => r.Enabled).ToList();
                    _injected[name] = rules;
                }

                return rules;
            }

            /// <summary>A call to the injected workflow's shared delegate for the scope its words trim to; memoised when that scope holds no LocalParam.</summary>
            private Expression Inject(string name, ParameterScope scope, ParameterExpression memo)
            {
                scope = scope.Only(_words.For(name));
                var names = scope.All();
                var perRule = string.Join("\0", scope.PerRuleNames());
                var key = (name, new ScopeKey(names), perRule);
                if (!_shared.TryGetValue(key, out var shared))
                {
                    shared = Share(name, scope);
                    _shared[key] = shared;
                }

                var values = ScopeValues.Pack(names);
                var call = Expression.Invoke(Expression.Constant(shared), values, memo);
                if (perRule.Length > 0)
                {
                    return call;
                }

                if (!_slots.TryGetValue((name, key.Item2), out var slot))
                {
                    slot = _slots.Count;
                    _slots[(name, key.Item2)] = slot;
                }

                var cell = Expression.ArrayAccess(memo, Expression.Constant(slot));
                return Expression.Coalesce(cell, Expression.Assign(cell, call));
            }

            private Func<object?[], InjectionOutcome?[], InjectionOutcome> Share(string name, ParameterScope scope)
            {
                var values = Expression.Parameter(typeof(object[]), "scopeValues");
                var memo = Expression.Parameter(typeof(InjectionOutcome[]), "injectionMemo");
                var first = Expression.Variable(typeof(Exception), "firstChildError");
                var any = Expression.Variable(typeof(bool), "any");
                var all = Expression.Variable(typeof(bool), "all");
                var names = scope.All();
                var variables = new List<ParameterExpression>(names) { first, any, all };
                var body = new List<Expression> { Tick, Expression.Call(EnsureStack) };
                body.AddRange(ScopeValues.Unpack(values, names));

                body.Add(Expression.Assign(first, Expression.Constant(null, typeof(Exception))));
                body.Add(Expression.Assign(any, Expression.Constant(false)));
                body.Add(Expression.Assign(all, Expression.Constant(true)));
                foreach (var rule in Injected(name))
                {
                    var outcome = Expression.Variable(typeof(bool), "child");
                    variables.Add(outcome);
                    body.Add(Guarded(outcome, RuleBody(rule, scope, memo), first));
                    body.Add(Expression.Assign(any, Expression.Or(any, outcome)));
                    body.Add(Expression.Assign(all, Expression.And(all, outcome)));
                }

                body.Add(Expression.New(NewOutcome, any, all, first));
                return Expression.Lambda<Func<object?[], InjectionOutcome?[], InjectionOutcome>>(Expression.Block(typeof(InjectionOutcome), variables, body), values, memo).Compile();
            }
        }

        /// <summary>A scope by the identity of its names, in order: two injections with the same scope share a delegate.</summary>
        private readonly struct ScopeKey : IEquatable<ScopeKey>
        {
            private readonly ParameterExpression[] _names;

            public ScopeKey(IEnumerable<ParameterExpression> names) => _names = names.ToArray();

            public bool Equals(ScopeKey other) =>
                _names.Length == other._names.Length && _names.Zip(other._names, (a, b) => ReferenceEquals(a, b)).All(same => same);

            public override bool Equals(object? obj) => obj is ScopeKey other && Equals(other);

            public override int GetHashCode()
            {
                var hash = new HashCode();
                foreach (var name in _names)
                {
                    hash.Add(RuntimeHelpers.GetHashCode(name));
                }

                return hash.ToHashCode();
            }
        }

        /// <summary>An injected workflow's rules evaluated together: whether any and whether all matched, and the first error among them.</summary>
        internal sealed class InjectionOutcome
        {
            public InjectionOutcome(bool any, bool all, Exception? error)
            {
                Any = any;
                All = all;
                Error = error;
            }

            /// <summary>Whether any rule matched (a rule with an error counts as not matching).</summary>
            public readonly bool Any;

            /// <summary>Whether every rule matched.</summary>
            public readonly bool All;

            /// <summary>The first rule's error, raised by the rule that injects the workflow.</summary>
            public readonly Exception? Error;
        }

        private static Expression Parse(Parser parser, string text, ParameterScope scope)
        {
            var body = EvaluationGuard.Instrument(parser.Parsed.Parse(text, scope));
            return body.Type == typeof(bool) || body.Type != typeof(object) ? body : Expression.Convert(body, typeof(bool));
        }

        private static Expression Message(string rule, ParameterExpression exception) =>
            Expression.Call(typeof(string).GetMethod(nameof(string.Concat), new[] { typeof(string), typeof(string) })!, Expression.Constant($"Error while executing rule {rule}: "), Expression.Property(exception, nameof(Exception.Message)));

        private static void FailAll(bool[] matched, string?[] errors, int offset, int[] positions, string message)
        {
            foreach (var position in positions)
            {
                matched[offset + position] = false;
                errors[offset + position] = "Error while evaluating the workflow's global parameters: " + message;
            }
        }

        /// <summary>The process's parser and the rule set's parsed trees.</summary>
        private sealed record Parser(ParsedExpressions Parsed);

        /// <summary>An entry workflow: its delegates over every rule, and, when an index decides some rules, the index and the delegates of the rest.</summary>
        private sealed record Workflow(string Name, IReadOnlyList<RuleDefinition> Rules, Chunk[] Chunks, ComparisonIndex? Index, Chunk[] Residual)
        {
            /// <summary>Whether no top-level rule of the workflow has an <c>effective</c> period (dated law).</summary>
            public bool AllUndated { get; } = Rules.All(r => r.Governance?.Effective is null);
        }

        /// <summary>
        /// One run of a workflow's rules, and its delegates. Compiling is most of a cold start, and a try/catch per rule
        /// doubled what the JIT spends on a chunk (it compiles these delegates fully optimised, at once). So a chunk
        /// first runs a delegate without them; if anything in it throws, it evaluates the chunk again with the guarded
        /// delegate (a try/catch per rule, and one around the GlobalParams), which is the only one whose outcomes are
        /// kept, and uses only that one from then on. Evaluating again is safe: rules are pure expressions (the
        /// allow-list), the memo and GlobalParams are set afresh at the start of each delegate, and every outcome of the
        /// chunk is written again. A host fault (out of memory or stack, the time budget) passes through both. The chunk
        /// keeps its expression trees until then.
        /// </summary>
        /// <remarks>
        /// Compiling the guarded delegate happens inside the route that first meets a throw, and its time is charged to
        /// that route's <see cref="Routing.RoutingOptions.TimeBudget"/>, checked as soon as it is compiled: the budget
        /// bounds how long a route takes, so work done during a route never goes uncounted. The compile is bounded (a
        /// chunk is at most <see cref="MaxRulesPerChunk"/> rules and <see cref="NodeBudgetPerChunk"/> nodes, the fast
        /// delegate of the same rules already compiled at load), so it cannot hang; a route whose budget it spends
        /// stops with <see cref="Routing.RoutingTimeBudgetExceededException"/>, and the next route uses the compiled
        /// delegate. A compile that fails is not kept, so it fails loudly again rather than leaving the chunk unguarded.
        /// </remarks>
        private sealed class Chunk
        {
            private readonly Func<Action<Proposal, object, bool[], string?[], int>> _compileFast;
            private volatile Action<Proposal, object, bool[], string?[], int>? _fast;
            private readonly Lazy<Action<Proposal, object, bool[], string?[], int>> _guarded;
            private volatile bool _throws;

            public Chunk(ChunkInfo info, Action<Proposal, object, bool[], string?[], int>? fast, Func<Action<Proposal, object, bool[], string?[], int>> compileFast, Func<Action<Proposal, object, bool[], string?[], int>> compileGuarded)
            {
                Info = info;
                // Compiled at load, or (for rules an index decides) on first need; like the guarded one, a failed compile is not kept.
                _fast = fast;
                _compileFast = compileFast;
                // Not ExecutionAndPublication: that would keep a fault thrown while compiling (out of memory) and raise it
                // on every later route. Two threads may both compile on a first throw; one delegate is kept.
                _guarded = new Lazy<Action<Proposal, object, bool[], string?[], int>>(compileGuarded, System.Threading.LazyThreadSafetyMode.PublicationOnly);
            }

            public ChunkInfo Info { get; }

            public void Evaluate(Proposal proposal, object parameters, bool[] matched, string?[] errors, int offset)
            {
                if (!_throws)
                {
                    var fast = _fast;
                    if (fast is null)
                    {
                        // A proposal the index declines pays for the compile, charged to its budget as the guarded compile is.
                        // Two threads may both compile; either delegate serves.
                        fast = _compileFast();
                        _fast = fast;
                        EvaluationGuard.CheckBudget();
                    }

                    try
                    {
                        fast(proposal, parameters, matched, errors, offset);
                        return;
                    }
                    catch (Exception e) when (EvaluationGuard.IsNotFault(e))
                    {
                        // A rule's own error: which one, and what the others give, is the guarded delegate's to say.
                        _throws = true;
                    }
                }

                if (!_guarded.IsValueCreated)
                {
                    // This route pays for the compile, and learns at once when the compile spent its budget.
                    var guarded = _guarded.Value;
                    EvaluationGuard.CheckBudget();
                    guarded(proposal, parameters, matched, errors, offset);
                    return;
                }

                _guarded.Value(proposal, parameters, matched, errors, offset);
            }
        }
    }

    /// <summary>One compiled delegate of an entry workflow (<see cref="CompiledRuleSet.Chunks"/>).</summary>
    /// <param name="Workflow">The entry workflow.</param>
    /// <param name="Start">The index of its first rule in the workflow.</param>
    /// <param name="Rules">How many top-level rules it evaluates.</param>
    /// <param name="Nodes">Its estimated size: the expression nodes of its rules and their guards, without the GlobalParams.</param>
    /// <param name="LargestRuleNodes">The estimated size of its largest rule.</param>
    internal sealed record ChunkInfo(string Workflow, int Start, int Rules, int Nodes, int LargestRuleNodes);
}
