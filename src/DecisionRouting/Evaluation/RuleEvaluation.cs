using System;
using System.Collections.Generic;
using System.Linq;
using System.Linq.Expressions;
using DecisionRouting.Expressions;
using DecisionRouting.Proposals;
using DecisionRouting.Routing;
using DecisionRouting.RuleSets;
using DecisionRouting.Workflows;
using RulesEngine.Models;

namespace DecisionRouting.Evaluation
{
    /// <summary>
    /// How a rule set's rules are evaluated, behind one seam: <see cref="RuleSet"/> builds it at load and owns it. It
    /// lays out the entry workflows (their top-level rules, injected ones included, and the GlobalParams each sees),
    /// picks the rule-set parameters in force on a proposal's decision date, and evaluates with the compiled delegates
    /// (<see cref="CompiledRuleSet"/>, the default) or RulesEngine (<see cref="RulesEngineRuleSet"/>, the oracle).
    /// The router asks it one thing, <see cref="Evaluate"/>; the explainer another, <see cref="RulesNaming"/>.
    /// </summary>
    internal sealed class RuleEvaluation
    {
        private readonly RuleSetDefinition _definition;
        private readonly object _parameters;
        private readonly IReadOnlyList<(EffectivePeriod Period, object Instance)> _dated;
        private readonly object _noModel;
        private readonly IReadOnlyDictionary<string, WorkflowDefinition> _byName;
        private readonly ILookup<string, RuleDefinition> _rulesByWorkflow;
        private readonly IReadOnlyDictionary<string, IReadOnlyList<ScopedParameterDefinition>> _globalParams;

        public RuleEvaluation(RuleSetDefinition definition, RulesEngineExpressionChecker? checker)
        {
            _definition = definition;

            // Reuse what checking built: its parameters type and its parsed trees, so nothing is parsed twice.
            Environment = checker?.Environment ?? new ExpressionEnvironment(definition.Parameters.Values.ToList());
            var parsed = checker?.Parsed ?? new ParsedExpressions();
            _parameters = Environment.CreateParametersInstance();

            // A dated executive model gives one set of values per period, built once here so routing only picks one;
            // a day no period covers gets none, and the plan says it is incomplete.
            var timeline = definition.Parameters.Values.FirstOrDefault(p => p.Timeline is not null);
            ExecutiveModelTimeline = timeline?.Timeline;
            _dated = timeline?.Timeline!
                .Select(entry => (entry.Period, Environment.CreateParametersInstance(p => p.Timeline is null ? p.Value : entry.Model)))
                .ToList() ?? new List<(EffectivePeriod, object)>();
            _noModel = timeline is null ? _parameters : Environment.CreateParametersInstance(p => p.Timeline is null ? p.Value : null);
            var byName = definition.Workflows.ToDictionary(w => w.Name);
            _byName = byName;
            var topLevel = new Dictionary<(string Workflow, string Rule), RuleDefinition>();
            var globals = new Dictionary<string, IReadOnlyList<ScopedParameterDefinition>>();
            // Only names here: RulesEngine's model copies every injected rule into every place that injects it, so
            // it is built with the engine, on first use, not for every load (the compiled path shares them instead).
            foreach (var workflow in definition.EntryWorkflows)
            {
                RulesEngineRuleSet.ToRulesEngine(workflow, byName, topLevel, globals, build: false);
            }

            var withRules = new HashSet<string>(topLevel.Keys.Select(k => k.Workflow), StringComparer.Ordinal);
            EntryWorkflowNames = definition.EntryWorkflows.Select(w => w.Name).Where(withRules.Contains).ToList();
            _globalParams = globals;
            // Grouped once: filtering every rule per workflow cost workflows × rules (5,000 workflows of 10 rules, 250 million).
            _rulesByWorkflow = topLevel.ToLookup(r => r.Key.Workflow, r => r.Value, StringComparer.Ordinal);
            Compiled = CompiledRuleSet.Compile(
                EntryWorkflowNames.Select(name => (name, globals[name], (IReadOnlyList<RuleDefinition>)_rulesByWorkflow[name].ToList())),
                byName,
                Environment,
                parsed);
            RulesEngine = new RulesEngineRuleSet(definition, byName, EntryWorkflowNames, topLevel, Environment, p => ParametersFor(p.IntendedDecisionDate));
            _requiresAttributes = definition.Attributes.Values.Any(a => a.Required);
            _anyStepDated = definition.Steps.Values.Any(s => s.Effective is not null);
        }

        private readonly bool _requiresAttributes;
        private readonly bool _anyStepDated;

        /// <summary>The rules compiled to one delegate per entry workflow: what routing evaluates by default.</summary>
        public CompiledRuleSet Compiled { get; }

        /// <summary>RulesEngine over the same workflows, built on first use: the oracle.</summary>
        public RulesEngineRuleSet RulesEngine { get; }

        /// <summary>What expressions see: the parameters type and the input names.</summary>
        public ExpressionEnvironment Environment { get; }

        /// <summary>
        /// Readies <paramref name="evaluation"/> before any route: the compiled evaluator is built at load, so nothing
        /// is left to do; RulesEngine is checked against DR0081 and built here, where its unstoppable build is not
        /// charged to a route's budget. The router's second question, asked once, in its constructor.
        /// </summary>
        /// <exception cref="InvalidRuleSetException">RulesEngine was asked for and is over DR0081's bound.</exception>
        /// <exception cref="RoutingFaultException">Building RulesEngine ran out of memory or stack.</exception>
        public void Prepare(RoutingEvaluation evaluation)
        {
            if (evaluation == RoutingEvaluation.RulesEngine)
            {
                RulesEngine.Prepare();
            }
        }

        /// <summary>The entry workflows that have rules, in evaluation order.</summary>
        public IReadOnlyList<string> EntryWorkflowNames { get; }

        /// <summary>The executive model as a dated timeline, in date order; null when the rule set declares one model for all time, or none.</summary>
        public IReadOnlyList<ExecutiveModelPeriod>? ExecutiveModelTimeline { get; }

        /// <summary>
        /// The instance expressions read as <c>parameters</c> for a proposal decided on <paramref name="day"/>: the
        /// executive model is the one in force that day (null in <c>parameters.executiveModel</c> when none is).
        /// </summary>
        public object ParametersFor(NodaTime.LocalDate day)
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

        /// <summary>The RulesEngine inputs for one proposal (for the oracle and the benchmarks).</summary>
        public RuleParameter[] Inputs(Proposal proposal) => RulesEngine.Inputs(proposal);

        /// <summary>
        /// Evaluates every entry workflow's rules for <paramref name="proposal"/> with the evaluator
        /// <paramref name="options"/> names, within its time budget: the one way routing evaluates.
        /// </summary>
        /// <exception cref="RoutingTimeBudgetExceededException">Evaluation took longer than <see cref="RoutingOptions.TimeBudget"/>.</exception>
        /// <exception cref="RoutingFaultException">Evaluation ran out of memory or stack.</exception>
        /// <remarks>
        /// Evaluates into this thread's scratch outcomes and returns a copy of exactly their size: a plan keeps the copy,
        /// never the scratch, which is emptied after every call. The scratch is taken out while in use, so a nested
        /// call (or a call that throws) never shares it.
        /// </remarks>
        public RuleOutcomes Evaluate(Proposal proposal, RoutingOptions options)
        {
            var scratch = _threadOutcomes ?? new RuleOutcomes(_definition.Steps);
            _threadOutcomes = null;
            try
            {
                scratch.Reset(_definition.Steps, _anyStepDated);
                EvaluateInto(proposal, options, scratch);
                return scratch.Copy();
            }
            finally
            {
                scratch.Reset(NoSteps);
                _threadOutcomes = scratch;
            }
        }

        private static readonly IReadOnlyDictionary<string, Step> NoSteps = new Dictionary<string, Step>();

        [ThreadStatic]
        private static RuleOutcomes? _threadOutcomes;

        /// <summary>
        /// <see cref="Evaluate(Proposal, RoutingOptions)"/> into <paramref name="outcomes"/> (emptied by the caller):
        /// what <see cref="RuleSet.Match(Proposal, RuleMatches, RoutingOptions)"/> reuses, so that with the compiled
        /// evaluator nothing is allocated unless a rule is incomplete.
        /// </summary>
        public void EvaluateInto(Proposal proposal, RoutingOptions options, RuleOutcomes outcomes)
        {
            WhenNoExecutiveModel(proposal, outcomes);
            var started = options.Clock.GetTimestamp();
            EvaluationGuard.RunWithState(
                proposal.Id,
                _definition.Name,
                options.Clock,
                options.TimeBudget,
                started,
                (Evaluation: this, Proposal: proposal, Options: options, Outcomes: outcomes),
                static state =>
                {
                    var (evaluation, proposal, options, outcomes) = state;
                    var parameters = evaluation.ParametersFor(proposal.IntendedDecisionDate);
                    if (options.Evaluation == RoutingEvaluation.Compiled)
                    {
                        evaluation.Compiled.Evaluate(proposal, parameters, outcomes);
                    }
                    else
                    {
                        ByRulesEngine(evaluation.RulesEngine, proposal, parameters, outcomes);
                    }
                });
        }

        // Its own method: a closure captured in the lambda above would be allocated on every call, on either path.
        private static void ByRulesEngine(RulesEngineRuleSet rulesEngine, Proposal proposal, object parameters, RuleOutcomes outcomes) =>
            rulesEngine.Evaluate(proposal, parameters, (workflow, rule, isMatch, error) => outcomes.Add(proposal, workflow, rule, isMatch, error));

        /// <summary>
        /// Whether <paramref name="proposal"/> certainly passes <see cref="RuleSet.CheckProposal"/> with nothing to
        /// report, told without allocating: no attributes or schedule, every text and list within
        /// <see cref="ProposalLimits"/>, its decision date in range, and no attribute the rule set requires. False means
        /// only "check it": <see cref="RuleSet.Match(Proposal, RuleMatches, RoutingOptions)"/> then runs the full check,
        /// so the answer never differs from routing's.
        /// </summary>
        public bool CertainlyPassesCheck(Proposal proposal) => ProposalAttributeCheck.NothingToReport(proposal, _requiresAttributes);

        /// <summary>
        /// The explainer's one question: the top-level rules that require <paramref name="stepId"/>, by entry workflow
        /// in evaluation order, each workflow with the GlobalParams its rules can read, and each rule with whether
        /// <paramref name="plan"/> matched it or left it incomplete; and the inputs (names and values for
        /// <paramref name="proposal"/>) every expression is evaluated over.
        /// </summary>
        public RulesNamingStep RulesNaming(string stepId, Proposal proposal, RoutingPlan plan)
        {
            var words = new InjectedWords(_byName);
            var workflows = new List<WorkflowRulesNamingStep>();
            foreach (var workflow in EntryWorkflowNames)
            {
                var candidates = _rulesByWorkflow[workflow].Where(r => r.Governance?.Steps.Contains(stepId) == true).ToList();
                if (candidates.Count == 0)
                {
                    continue;
                }

                var rules = candidates
                    .Select(rule => new RuleInPlan(
                        rule,
                        plan.MatchedRules.Any(m => m.Workflow == workflow && m.Rule == rule.Name),
                        plan.Incomplete.FirstOrDefault(r => r.Workflow == workflow && r.Rule == rule.Name)))
                    .ToList();
                workflows.Add(new WorkflowRulesNamingStep(workflow, Read(_globalParams[workflow], candidates, words), rules));
            }

            return new RulesNamingStep(Environment.ParameterExpressions(), new object?[] { proposal, proposal, ParametersFor(proposal.IntendedDecisionDate) }, workflows);
        }

        /// <summary>
        /// The GlobalParams the candidate rules can read, directly or through one another, in their order. Each one
        /// defined is evaluated, so defining all of them made explaining a rule that reads none of a workflow's 400
        /// GlobalParams cost 400 compilations, and overrun the routing budget on a loaded machine. A GlobalParam can
        /// read only those before it, so one pass from the last finds every one needed.
        /// </summary>
        private static IReadOnlyList<ScopedParameterDefinition> Read(IReadOnlyList<ScopedParameterDefinition> globals, IReadOnlyList<RuleDefinition> candidates, InjectedWords words)
        {
            var needed = new HashSet<string>(StringComparer.Ordinal);
            foreach (var rule in candidates)
            {
                words.Collect(rule, needed);
            }

            var read = new List<ScopedParameterDefinition>();
            for (var i = globals.Count - 1; i >= 0; i--)
            {
                if (needed.Contains(globals[i].Name))
                {
                    read.Add(globals[i]);
                    needed.UnionWith(ExpressionText.Words(globals[i].Expression));
                }
            }

            read.Reverse();
            return read;
        }

        /// <summary>
        /// A rule set whose executive model is a dated timeline with no entry for the decision date cannot say who may
        /// decide (cabinet or committees, key decisions and call-in or none), so every rule that turns on it is in doubt:
        /// the plan says so and is incomplete, rather than routing as if the model were known.
        /// </summary>
        private void WhenNoExecutiveModel(Proposal proposal, RuleOutcomes outcomes)
        {
            if (ExecutiveModelTimeline is not { } timeline || ExecutiveModelOn(proposal.IntendedDecisionDate) is not null)
            {
                return;
            }

            var day = EffectivePeriod.Day(proposal.IntendedDecisionDate);
            var known = string.Join("; ", timeline.Select(e => $"{e.Model} {e.Period.Describe()}"));
            var message = $"Rule set '{_definition.Name}' declares no executive model on {day}, the intended decision date (its timeline: {known}), so whether the council has a cabinet, key decisions and call-in cannot be told; add the model that held to 'executiveModel' in ruleset.json";
            outcomes.Warnings.Add(new PlanWarning(PlanWarningKind.NoExecutiveModel, message));
            outcomes.Incomplete.Add(new IncompleteRule("ruleset.json", "executiveModel", IncompleteRuleKind.Undecided, $"the executive model on {day}", message, Array.Empty<string>()));
        }

        /// <summary>The executive model declared on <paramref name="day"/>; null when none is (the same answer as <see cref="RuleSet.ExecutiveModelOn"/>).</summary>
        public string? ExecutiveModelOn(NodaTime.LocalDate day) =>
            _definition.Parameters.TryGetValue("executiveModel", out var model) ? model.ValueOn(day) as string : null;
    }

    /// <summary>The explainer's answer (<see cref="RuleEvaluation.RulesNaming"/>).</summary>
    /// <param name="InputNames">The inputs expressions read (<c>proposal</c>, <c>input1</c>, <c>parameters</c>), as the parser binds them.</param>
    /// <param name="InputValues">Their values for the proposal, in the same order.</param>
    /// <param name="Workflows">The entry workflows with a rule requiring the step, in evaluation order.</param>
    internal sealed record RulesNamingStep(IReadOnlyList<ParameterExpression> InputNames, IReadOnlyList<object?> InputValues, IReadOnlyList<WorkflowRulesNamingStep> Workflows);

    /// <summary>One entry workflow's rules requiring the step, with the scope they are evaluated in.</summary>
    /// <param name="Workflow">The entry workflow.</param>
    /// <param name="Globals">The workflow's GlobalParams (injected workflows' included) that the rules can read, in evaluation order.</param>
    /// <param name="Rules">The top-level rules requiring the step, in evaluation order.</param>
    internal sealed record WorkflowRulesNamingStep(string Workflow, IReadOnlyList<ScopedParameterDefinition> Globals, IReadOnlyList<RuleInPlan> Rules);

    /// <summary>A top-level rule and what the plan made of it.</summary>
    /// <param name="Rule">The rule's definition.</param>
    /// <param name="Matched">Whether the plan lists it as matched.</param>
    /// <param name="Incomplete">Why the plan could not give its outcome, when it could not.</param>
    internal sealed record RuleInPlan(RuleDefinition Rule, bool Matched, IncompleteRule? Incomplete);
}
