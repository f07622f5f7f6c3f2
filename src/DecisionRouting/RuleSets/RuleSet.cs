using System;
using System.Collections.Generic;
using System.Linq;
using DecisionRouting.Diagnostics;
using DecisionRouting.Evaluation;
using DecisionRouting.Expressions;
using DecisionRouting.Proposals;
using DecisionRouting.Routing;

namespace DecisionRouting.RuleSets
{
    /// <summary>
    /// A loaded, checked rule set, ready to route proposals. Immutable after loading and safe to share between
    /// threads: load once, route many times.
    /// </summary>
    public sealed class RuleSet
    {
        private RuleSet(RuleSetDefinition definition, RulesEngineExpressionChecker? checker)
        {
            Definition = definition;
            Evaluation = new RuleEvaluation(definition, checker);
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

        /// <summary>
        /// How the rules are evaluated, behind one seam: the compiled delegates and RulesEngine, the parameters in force
        /// on a day, and the rules naming a step for the explainer. Built at load; nothing else reaches past it.
        /// </summary>
        internal RuleEvaluation Evaluation { get; }

        /// <summary>
        /// The rule set's executive model as a dated timeline (<c>"executiveModel": [ { "model", "from", "until" } ]</c>),
        /// in date order; null when it declares one model for all time, or none.
        /// </summary>
        public IReadOnlyList<ExecutiveModelPeriod>? ExecutiveModelTimeline => Evaluation.ExecutiveModelTimeline;

        /// <summary>
        /// The executive model the rule set declares on <paramref name="day"/> (a proposal's intended decision date):
        /// <c>LeaderAndCabinet</c>, <c>MayorAndCabinet</c> or <c>CommitteeSystem</c>; null when it declares none, or
        /// its timeline has no entry for that day.
        /// </summary>
        public string? ExecutiveModelOn(NodaTime.LocalDate day) => Evaluation.ExecutiveModelOn(day);

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
            catch (Exception e) when (HostFaults.IsFault(e))
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
            catch (Exception e) when (HostFaults.IsFault(e))
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
            catch (Exception e) when (HostFaults.IsFault(e))
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

        /// <summary>
        /// Which rules <paramref name="proposal"/> matches, and which cannot be decided, without building a plan: for
        /// callers who need matches, not dates (register-wide impact analysis). Allocates a new result; to match many
        /// proposals, reuse one with <see cref="Match(Proposal, RuleMatches)"/>. Same rules, errors and options as
        /// <see cref="Router.Route"/> with default <see cref="RoutingOptions"/>.
        /// </summary>
        /// <returns>The matched and incomplete rules, as <see cref="RoutingPlan.MatchedRules"/> and <see cref="RoutingPlan.Incomplete"/> would list them.</returns>
        /// <exception cref="ArgumentNullException"><paramref name="proposal"/> is null.</exception>
        /// <exception cref="InvalidProposalException">As <see cref="Router.Route"/>: the proposal fails <see cref="CheckProposal"/> with an error.</exception>
        /// <exception cref="RoutingTimeBudgetExceededException">Evaluating took longer than the default <see cref="RoutingOptions.TimeBudget"/> (5 s).</exception>
        /// <exception cref="RoutingFaultException">Evaluation ran out of memory or stack.</exception>
        public RuleMatches Match(Proposal proposal)
        {
            var result = new RuleMatches();
            Match(proposal, result, RoutingOptions.Default);
            return result;
        }

        /// <summary>
        /// <see cref="Match(Proposal)"/> into <paramref name="result"/>, which is emptied first and reused: with the
        /// compiled evaluator (the default) and a proposal with no attributes or schedule, no memory is allocated once
        /// <paramref name="result"/> has grown, unless a rule is incomplete. This method is thread-safe; a
        /// <see cref="RuleMatches"/> is not: give each thread its own.
        /// </summary>
        /// <param name="proposal">The proposal; its rules see it as <c>proposal</c> and <c>input1</c>, as in routing.</param>
        /// <param name="result">Receives the matched and incomplete rules, in evaluation order; left empty if this throws.</param>
        /// <exception cref="ArgumentNullException"><paramref name="proposal"/> or <paramref name="result"/> is null.</exception>
        /// <exception cref="InvalidOperationException"><paramref name="result"/> is being filled by another call at the same time.</exception>
        /// <exception cref="InvalidProposalException">As <see cref="Router.Route"/>: the proposal fails <see cref="CheckProposal"/> with an error.</exception>
        /// <exception cref="RoutingTimeBudgetExceededException">Evaluating took longer than the default <see cref="RoutingOptions.TimeBudget"/> (5 s).</exception>
        /// <exception cref="RoutingFaultException">Evaluation ran out of memory or stack.</exception>
        public void Match(Proposal proposal, RuleMatches result) => Match(proposal, result, RoutingOptions.Default);

        /// <summary>
        /// <see cref="Match(Proposal, RuleMatches)"/> with <paramref name="options"/>: its
        /// <see cref="RoutingOptions.Evaluation"/> (the compiled delegates or RulesEngine, which allocates),
        /// <see cref="RoutingOptions.TimeBudget"/> and <see cref="RoutingOptions.Clock"/> (which times the budget) apply
        /// as in routing; its calendar is not used, since nothing is dated.
        /// </summary>
        /// <param name="proposal">The proposal; its rules see it as <c>proposal</c> and <c>input1</c>, as in routing.</param>
        /// <param name="result">Receives the matched and incomplete rules, in evaluation order; left empty if this throws.</param>
        /// <param name="options">How to evaluate, as for a <see cref="Router"/>.</param>
        /// <exception cref="ArgumentNullException"><paramref name="proposal"/>, <paramref name="result"/> or <paramref name="options"/> is null.</exception>
        /// <exception cref="InvalidOperationException"><paramref name="result"/> is being filled by another call at the same time.</exception>
        /// <exception cref="InvalidProposalException">As <see cref="Router.Route"/>: the proposal fails <see cref="CheckProposal"/> with an error.</exception>
        /// <exception cref="RoutingTimeBudgetExceededException">Evaluating took longer than <see cref="RoutingOptions.TimeBudget"/>; evaluation is stopped when the budget runs out, not after.</exception>
        /// <exception cref="RoutingFaultException">Evaluation ran out of memory or stack.</exception>
        public void Match(Proposal proposal, RuleMatches result, RoutingOptions options)
        {
            ArgumentNullException.ThrowIfNull(proposal);
            ArgumentNullException.ThrowIfNull(result);
            ArgumentNullException.ThrowIfNull(options);
            var outcomes = result.Begin(this);
            var succeeded = false;
            try
            {
                // The same refusal as routing's; the full check allocates, so a proposal that certainly passes skips it.
                if (!Evaluation.CertainlyPassesCheck(proposal) && CheckProposal(proposal) is { Count: > 0 } check && check.Any(d => d.IsError))
                {
                    throw new InvalidProposalException(proposal.Id, check.Where(d => d.IsError).ToList());
                }

                Evaluation.EvaluateInto(proposal, options, outcomes);
                succeeded = true;
            }
            finally
            {
                result.End(this, proposal, succeeded);
            }
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
