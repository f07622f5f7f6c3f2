using System;
using System.Collections.Generic;
using System.Linq;
using DecisionRouting.Diagnostics;
using DecisionRouting.Expressions;
using DecisionRouting.Proposals;
using DecisionRouting.Routing;
using DecisionRouting.Workflows;
using RulesEngine.Models;

namespace DecisionRouting.RuleSets
{
    /// <summary>
    /// A loaded, checked rule set, ready to route proposals. Immutable after loading and safe to share between
    /// threads: load once, route many times.
    /// </summary>
    public sealed class RuleSet
    {
        private readonly object _parameters;
        private readonly IReadOnlyList<(EffectivePeriod Period, object Instance)> _dated;
        private readonly object _noModel;
        private readonly Lazy<RulesEngine.RulesEngine> _engine;

        private RuleSet(RuleSetDefinition definition, RulesEngineExpressionChecker? checker)
        {
            Definition = definition;

            // Reuse what checking built: its parameters type and its parsed trees, so nothing is parsed twice.
            Environment = checker?.Environment ?? new ExpressionEnvironment(definition.Parameters.Values.ToList());
            var parsed = checker?.Parsed ?? new ParsedExpressions();
            _parameters = Environment.CreateParametersInstance();

            // A dated executive model gives one set of values per period, built once here so routing only picks one;
            // a day no period covers gets none, and the router says the plan is incomplete.
            var timeline = definition.Parameters.Values.FirstOrDefault(p => p.Timeline is not null);
            ExecutiveModelTimeline = timeline?.Timeline;
            _dated = timeline?.Timeline!
                .Select(entry => (entry.Period, Environment.CreateParametersInstance(p => p.Timeline is null ? p.Value : entry.Model)))
                .ToList() ?? new List<(EffectivePeriod, object)>();
            _noModel = timeline is null ? _parameters : Environment.CreateParametersInstance(p => p.Timeline is null ? p.Value : null);
            var byName = definition.Workflows.ToDictionary(w => w.Name);
            var topLevel = new Dictionary<(string Workflow, string Rule), RuleDefinition>();
            var globals = new Dictionary<string, IReadOnlyList<ScopedParameterDefinition>>();
            // Only names here: RulesEngine's model copies every injected rule into every place that injects it, so
            // it is built with the engine, on first use, not for every load (the compiled path shares them instead).
            foreach (var workflow in definition.EntryWorkflows)
            {
                ToRulesEngine(workflow, byName, topLevel, globals, build: false);
            }

            var withRules = new HashSet<string>(topLevel.Keys.Select(k => k.Workflow), StringComparer.Ordinal);
            EntryWorkflowNames = definition.EntryWorkflows.Select(w => w.Name).Where(withRules.Contains).ToList();
            TopLevelRules = topLevel;
            GlobalParams = globals;
            // Grouped once: filtering every rule per workflow cost workflows × rules (5,000 workflows of 10 rules, 250 million).
            var rulesByWorkflow = topLevel.ToLookup(r => r.Key.Workflow, r => r.Value, StringComparer.Ordinal);
            Compiled = CompiledRuleSet.Compile(
                EntryWorkflowNames.Select(name => (name, globals[name], (IReadOnlyList<RuleDefinition>)rulesByWorkflow[name].ToList())),
                byName,
                Environment,
                parsed);

            // RulesEngine is only the oracle now (RoutingEvaluation.RulesEngine, differential tests), so it is built,
            // and its lazy compilation forced, on first use rather than on every load.
            // PublicationOnly: a fault while building (out of memory) is not cached, so a later route can try again.
            _engine = new Lazy<RulesEngine.RulesEngine>(() =>
            {
                var workflows = definition.EntryWorkflows
                    .Where(w => EntryWorkflowNames.Contains(w.Name))
                    .Select(w => ToRulesEngine(w, byName, new Dictionary<(string, string), RuleDefinition>(), new Dictionary<string, IReadOnlyList<ScopedParameterDefinition>>(), build: true))
                    .ToArray();
                var engine = new RulesEngine.RulesEngine(workflows, ExpressionEnvironment.Settings);
                WarmUp(engine);
                return engine;
            }, System.Threading.LazyThreadSafetyMode.PublicationOnly);
        }

        /// <summary>Everything read from the files: catalogue, workflows, parameters, diagnostics.</summary>
        public RuleSetDefinition Definition { get; }

        /// <summary>The rule set's name.</summary>
        public string Name => Definition.Name;

        /// <summary>SHA-256 of every file in the chain; a plan records it so it can be traced to exact rules.</summary>
        public string Hash => Definition.Hash;

        /// <summary>Steps by id.</summary>
        public IReadOnlyDictionary<string, Step> Steps => Definition.Steps;

        /// <summary>Bodies by id.</summary>
        public IReadOnlyDictionary<string, Body> Bodies => Definition.Bodies;

        /// <summary>Roles by id.</summary>
        public IReadOnlyDictionary<string, Role> Roles => Definition.Roles;

        /// <summary>Warnings found while loading (errors prevent loading).</summary>
        public IReadOnlyList<RuleDiagnostic> Warnings => Definition.Diagnostics;

        internal RulesEngine.RulesEngine Engine => _engine.Value;

        /// <summary>The rules compiled to one delegate per entry workflow: what routing evaluates by default.</summary>
        internal CompiledRuleSet Compiled { get; }

        internal ExpressionEnvironment Environment { get; }

        internal IReadOnlyList<string> EntryWorkflowNames { get; }

        /// <summary>
        /// The definition behind each rule RulesEngine reports for an entry workflow, injected ones included, so the
        /// router reads governance metadata from exactly what was registered.
        /// </summary>
        internal IReadOnlyDictionary<(string Workflow, string Rule), RuleDefinition> TopLevelRules { get; }

        /// <summary>The global parameters each entry workflow sees, injected workflows' included, in evaluation order.</summary>
        internal IReadOnlyDictionary<string, IReadOnlyList<ScopedParameterDefinition>> GlobalParams { get; }

        /// <summary>
        /// The rule set's executive model as a dated timeline (<c>"executiveModel": [ { "model", "from", "until" } ]</c>),
        /// in date order; null when it declares one model for all time, or none.
        /// </summary>
        public IReadOnlyList<ExecutiveModelPeriod>? ExecutiveModelTimeline { get; }

        /// <summary>
        /// The executive model the rule set declares on <paramref name="day"/> (a proposal's intended decision date):
        /// <c>LeaderAndCabinet</c>, <c>MayorAndCabinet</c> or <c>CommitteeSystem</c>; null when it declares none, or
        /// its timeline has no entry for that day.
        /// </summary>
        public string? ExecutiveModelOn(NodaTime.LocalDate day) =>
            Definition.Parameters.TryGetValue("executiveModel", out var model) ? model.ValueOn(day) as string : null;

        /// <summary>
        /// The instance expressions read as <c>parameters</c> for a proposal decided on <paramref name="day"/>: the
        /// executive model is the one in force that day (null in <c>parameters.executiveModel</c> when none is).
        /// </summary>
        internal object ParametersFor(NodaTime.LocalDate day)
        {
            if (ExecutiveModelTimeline is null)
            {
                return _parameters;
            }

            foreach (var (period, instance) in _dated)
            {
                if (period.Contains(day))
                {
                    return instance;
                }
            }

            return _noModel;
        }

        /// <summary>Reads and checks a rule-set folder, returning every diagnostic, without building anything to route with.</summary>
        /// <exception cref="RoutingFaultException">Reading, checking or compiling ran out of memory or stack (however the runtime wrapped it); nothing is loaded.</exception>
        public static RuleSetDefinition Validate(string directory) => Validate(directory, RuleSetReadOptions.Default);

        /// <summary>
        /// <see cref="Validate(string)"/> with <paramref name="options"/>: the root <c>extends</c> and symbolic links must
        /// stay inside, whether absolute <c>extends</c> are allowed, and the file-size limit.
        /// </summary>
        /// <exception cref="RoutingFaultException">Reading, checking or compiling ran out of memory or stack (however the runtime wrapped it); nothing is loaded.</exception>
        public static RuleSetDefinition Validate(string directory, RuleSetReadOptions options)
        {
            ArgumentNullException.ThrowIfNull(options);
            try
            {
                return RuleSetReader.Read(directory, PhysicalFileSystem.For(directory, options), new RulesEngineExpressionChecker(), options);
            }
            catch (Exception e) when (EvaluationGuard.IsFault(e))
            {
                throw RoutingFaultException.Loading(directory, e);
            }
        }

        /// <summary>Loads a rule set, or returns the diagnostics that prevent it.</summary>
        /// <exception cref="RoutingFaultException">Reading, checking or compiling ran out of memory or stack (however the runtime wrapped it); nothing is loaded.</exception>
        public static RuleSetLoadResult TryLoad(string directory) => TryLoad(directory, RuleSetReadOptions.Default);

        /// <summary><see cref="TryLoad(string)"/> with <paramref name="options"/> (see <see cref="RuleSetReadOptions"/>).</summary>
        /// <exception cref="RoutingFaultException">Reading, checking or compiling ran out of memory or stack (however the runtime wrapped it); nothing is loaded.</exception>
        public static RuleSetLoadResult TryLoad(string directory, RuleSetReadOptions options)
        {
            ArgumentNullException.ThrowIfNull(options);
            return TryLoad(directory, PhysicalFileSystem.For(directory, options), options);
        }

        /// <summary>
        /// Loads the rule set in <paramref name="directory"/> from <paramref name="files"/> instead of the disk: rules
        /// kept in a database, in embedded resources or in memory. Every check runs as it does for a folder on disk, with
        /// the same diagnostics; <paramref name="directory"/> and every path <paramref name="files"/> is asked for are
        /// '/'-separated names in its own namespace (<c>extends</c> is resolved lexically against them).
        /// </summary>
        /// <param name="directory">The rule set's folder as <paramref name="files"/> names it, e.g. <c>rules/england-nhs</c>.</param>
        /// <param name="files">Where the files come from. Throwing <see cref="RuleFileRefusedException"/> from
        /// <see cref="IRuleSetFileSystem.ReadAllText"/> refuses one file, which is reported as DR0062 and read as absent.</param>
        /// <exception cref="RoutingFaultException">Reading, checking or compiling ran out of memory or stack (however the runtime wrapped it); nothing is loaded.</exception>
        public static RuleSetLoadResult TryLoad(string directory, IRuleSetFileSystem files) => TryLoad(directory, files, RuleSetReadOptions.Default);

        /// <summary>
        /// <see cref="TryLoad(string, IRuleSetFileSystem)"/> with <paramref name="options"/>. <see cref="RuleSetReadOptions.ExtendsRoot"/>
        /// and <see cref="RuleSetReadOptions.AllowAbsoluteExtends"/> apply to <c>extends</c> as written (DR0063), and the
        /// rule-set bounds (DR0059, DR0060) hold whatever the source; <see cref="RuleSetReadOptions.MaxFileBytes"/> and
        /// <see cref="RuleSetReadOptions.AllowHardLinks"/> are about the disk, so a non-disk <paramref name="files"/>
        /// enforces its own limits, refusing with <see cref="RuleFileRefusedException"/>.
        /// </summary>
        /// <exception cref="RoutingFaultException">Reading, checking or compiling ran out of memory or stack (however the runtime wrapped it); nothing is loaded.</exception>
        public static RuleSetLoadResult TryLoad(string directory, IRuleSetFileSystem files, RuleSetReadOptions options)
        {
            ArgumentNullException.ThrowIfNull(directory);
            ArgumentNullException.ThrowIfNull(files);
            ArgumentNullException.ThrowIfNull(options);
            var checker = new RulesEngineExpressionChecker();
            RuleSetDefinition definition;
            try
            {
                definition = RuleSetReader.Read(directory, files, checker, options);
            }
            catch (Exception e) when (EvaluationGuard.IsFault(e))
            {
                throw RoutingFaultException.Loading(directory, e);
            }

            return FromDefinition(definition, checker);
        }

        /// <summary>
        /// Builds a rule set from a checked definition (read from disk or elsewhere), or returns its diagnostics.
        /// Passing the checker that checked it lets compiling reuse its parsed expressions.
        /// </summary>
        internal static RuleSetLoadResult FromDefinition(RuleSetDefinition definition, RulesEngineExpressionChecker? checker = null)
        {
            if (definition.HasErrors)
            {
                return new RuleSetLoadResult(null, definition.Diagnostics);
            }

            try
            {
                return new RuleSetLoadResult(new RuleSet(definition, checker), definition.Diagnostics);
            }
            catch (Exception e) when (EvaluationGuard.IsFault(e))
            {
                // Compiling runs on every core (PLINQ), which wraps a fault in an AggregateException.
                throw RoutingFaultException.Loading(definition.Name, e);
            }
        }

        /// <summary>Loads a rule set, throwing <see cref="InvalidRuleSetException"/> with every diagnostic when it has errors.</summary>
        /// <exception cref="RoutingFaultException">Reading, checking or compiling ran out of memory or stack (however the runtime wrapped it); nothing is loaded.</exception>
        public static RuleSet Load(string directory) => Load(directory, RuleSetReadOptions.Default);

        /// <summary><see cref="Load(string)"/> with <paramref name="options"/> (see <see cref="RuleSetReadOptions"/>).</summary>
        /// <exception cref="RoutingFaultException">Reading, checking or compiling ran out of memory or stack (however the runtime wrapped it); nothing is loaded.</exception>
        public static RuleSet Load(string directory, RuleSetReadOptions options)
        {
            var result = TryLoad(directory, options);
            return result.RuleSet ?? throw new InvalidRuleSetException(directory, result.Diagnostics);
        }

        /// <summary>The proposal attributes the rules may read, declared in <c>ruleset.json</c> or inherited, by name.</summary>
        public IReadOnlyDictionary<string, RuleSetAttribute> Attributes => Definition.Attributes;

        /// <summary>
        /// Checks a proposal's attributes against the declarations: errors (DR0036) for a declared attribute of the
        /// wrong type or a required one left out, warnings (DR0035) for attributes the rule set does not declare.
        /// Positions are the proposal file's when it was read with <see cref="ProposalReader"/>.
        /// </summary>
        public IReadOnlyList<RuleDiagnostic> CheckProposal(Proposal proposal) =>
            ProposalAttributeCheck.Check(proposal ?? throw new ArgumentNullException(nameof(proposal)), Definition);

        internal RuleParameter[] Inputs(Proposal proposal) => Environment.Inputs(proposal, ParametersFor(proposal.IntendedDecisionDate));

        /// <summary>
        /// RulesEngine compiles lazily on first execution. Doing it here, once, means routing threads only read its
        /// caches, and a first route costs no more than any other.
        /// </summary>
        private void WarmUp(RulesEngine.RulesEngine engine)
        {
            var sample = new Proposal
            {
                Id = "warm-up",
                Title = "warm-up",
                DecisionMaker = DecisionMaker.Cabinet,
                IntendedDecisionDate = new NodaTime.LocalDate(2020, 1, 1),
                Kinds = new[] { ProposalKind.Mou },
            };
            foreach (var name in EntryWorkflowNames)
            {
                engine.ExecuteAllRulesAsync(name, Inputs(sample)).AsTask().GetAwaiter().GetResult();
            }
        }

        /// <summary>
        /// Maps a checked definition to RulesEngine's model. Injection is expanded here rather than left to
        /// RulesEngine, whose cache appends injected rules again on every execution. Without <paramref name="build"/>
        /// only the top-level rules and GlobalParams are recorded.
        /// </summary>
        private static Workflow ToRulesEngine(
            WorkflowDefinition workflow,
            IReadOnlyDictionary<string, WorkflowDefinition> byName,
            Dictionary<(string Workflow, string Rule), RuleDefinition> topLevel,
            Dictionary<string, IReadOnlyList<ScopedParameterDefinition>> globalsByWorkflow,
            bool build)
        {
            var rules = new List<Rule>();
            var globals = new List<ScopedParam>();
            var definitions = new List<ScopedParameterDefinition>();
            globalsByWorkflow[workflow.Name] = definitions;
            Collect(workflow, new HashSet<string>());
            return new Workflow { WorkflowName = workflow.Name, Rules = rules, GlobalParams = globals };

            void Collect(WorkflowDefinition w, HashSet<string> seen)
            {
                if (!seen.Add(w.Name))
                {
                    return;
                }

                // Only the entry workflow's GlobalParams are evaluated, as RulesEngine does: an injected workflow's
                // rules run in the scope of the workflow that routes them (its own GlobalParams are DR0038).
                if (w == workflow)
                {
                    definitions.AddRange(w.GlobalParams);
                    globals.AddRange(w.GlobalParams.Select(g => new ScopedParam { Name = g.Name, Expression = ExpressionNames.NormalizeKeywords(g.Expression) }));
                }

                foreach (var rule in w.Rules.Where(r => r.Enabled))
                {
                    // Names are unique across an injection chain: validation reports collisions as DR0005.
                    topLevel.Add((workflow.Name, rule.Name), rule);
                    if (build)
                    {
                        rules.Add(ToRule(rule, byName));
                    }
                }
                foreach (var injected in w.WorkflowsToInject)
                {
                    Collect(byName[injected], seen);
                }
            }
        }

        private static Rule ToRule(RuleDefinition rule, IReadOnlyDictionary<string, WorkflowDefinition> workflows)
        {
            var children = rule.Rules.Where(r => r.Enabled).Select(r => ToRule(r, workflows))
                .Concat(rule.WorkflowsToInject.SelectMany(w => WorkflowChecks.InjectedRules(workflows[w], workflows).Where(r => r.Enabled).Select(r => ToRule(r, workflows))))
                .ToList();
            return new Rule
            {
                RuleName = rule.Name,
                Expression = children.Count == 0 && rule.Expression is { } text ? ExpressionNames.NormalizeKeywords(text) : null,
                Operator = children.Count == 0 ? null : rule.Operator,
                Rules = children.Count == 0 ? null : children,
                LocalParams = rule.LocalParams.Select(p => new ScopedParam { Name = p.Name, Expression = ExpressionNames.NormalizeKeywords(p.Expression) }).ToList(),

                // Not passed on: RulesEngine copies ErrorMessage into ExceptionMessage when a rule simply does not
                // match, and the router reads ExceptionMessage as "this rule threw". Routing never uses it.
                ErrorMessage = null,
                SuccessEvent = rule.SuccessEvent,
                Enabled = true,
                RuleExpressionType = RuleExpressionType.LambdaExpression,
                Properties = rule.Properties.ToDictionary(p => p.Key, p => p.Value!),
            };
        }
    }

    /// <summary>The outcome of <see cref="RuleSet.TryLoad(string)"/>.</summary>
    /// <param name="RuleSet">The rule set, when it has no errors.</param>
    /// <param name="Diagnostics">Every diagnostic found, errors and warnings, in file and position order.</param>
    public sealed record RuleSetLoadResult(RuleSet? RuleSet, IReadOnlyList<RuleDiagnostic> Diagnostics)
    {
        /// <summary>Whether the rule set loaded.</summary>
        public bool Succeeded => RuleSet is not null;
    }
}
