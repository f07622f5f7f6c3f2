using System;
using System.Collections.Generic;
using System.Linq;
using DecisionRouting.Calendar;
using DecisionRouting.Proposals;
using DecisionRouting.RuleSets;
using DecisionRouting.Workflows;

namespace DecisionRouting.Routing
{
    /// <summary>
    /// Routes proposals through a rule set: evaluates every entry workflow (by default with delegates compiled once per
    /// rule set; <see cref="RoutingEvaluation.RulesEngine"/> opts into RulesEngine's own evaluator, the reference the
    /// compiled path is tested against), collects the steps the matched rules require, orders and dates them.
    /// Stateless; safe to use from many threads at once.
    /// </summary>
    public sealed class Router
    {
        private const string ClockOption = "RoutingOptions.Clock";

        private readonly RuleSet _ruleSet;
        private readonly RoutingOptions _options;

        /// <summary>Creates a router over a loaded rule set, dating plans with the shipped calendar and the system clock.</summary>
        public Router(RuleSet ruleSet)
            : this(ruleSet, new RoutingOptions())
        {
        }

        /// <summary>Creates a router over a loaded rule set with the given calendar and clock.</summary>
        public Router(RuleSet ruleSet, RoutingOptions options)
        {
            _ruleSet = ruleSet ?? throw new ArgumentNullException(nameof(ruleSet));
            _options = options ?? throw new ArgumentNullException(nameof(options));
        }

        /// <summary>The rule set this router uses.</summary>
        public RuleSet RuleSet => _ruleSet;

        /// <summary>
        /// Routes one proposal. A rule that reads a value the proposal does not give is undecided, and a rule that
        /// fails is not evaluated: either way the plan says so in <see cref="RoutingPlan.Incomplete"/> and
        /// <see cref="RoutingPlan.IsComplete"/> is false.
        /// </summary>
        /// <exception cref="InvalidProposalException">The proposal gives a declared attribute a value of the wrong type, or omits a required one (DR0036); has a date outside the supported range (DR0067); or has a text longer than <see cref="Expressions.ProposalLimits.MaxTextLength"/> characters or a list or map with more than <see cref="Expressions.ProposalLimits.MaxEntries"/> entries (DR0080, naming the field).</exception>
        /// <exception cref="RoutingTimeBudgetExceededException">Evaluating the rules took longer than <see cref="RoutingOptions.TimeBudget"/>; evaluation is stopped when the budget runs out, not after.</exception>
        /// <exception cref="RoutingFaultException">Evaluation ran out of memory or stack; no plan is made.</exception>
        /// <exception cref="ArgumentOutOfRangeException"><see cref="RoutingOptions.Clock"/> says today is outside the supported range of dates (<see cref="Text.SupportedDates"/>, 1900-01-01 to 2199-12-31); the parameter named is <c>RoutingOptions.Clock</c>. Checked before anything is evaluated.</exception>
        public RoutingPlan Route(Proposal proposal)
        {
            if (proposal is null)
            {
                throw new ArgumentNullException(nameof(proposal));
            }

            // "Today" dates the plan; a clock outside the range would overflow date arithmetic, so refuse it first.
            GovernanceCalendar.SupportedNow(_options.Clock, ClockOption);

            var matched = new List<MatchedRule>();
            var warnings = new List<PlanWarning>();
            var incomplete = new List<IncompleteRule>();
            var check = _ruleSet.CheckProposal(proposal);
            if (check.Any(d => d.IsError))
            {
                throw new InvalidProposalException(proposal.Id, check.Where(d => d.IsError).ToList());
            }

            foreach (var undeclared in check)
            {
                warnings.Add(new PlanWarning(PlanWarningKind.UndeclaredAttribute, undeclared.Message));
            }

            WhenNoExecutiveModel(proposal, warnings, incomplete);
            var started = _options.Clock.GetTimestamp();
            using (EvaluationGuard.Enter(proposal.Id, _ruleSet.Name, _options.Clock, _options.TimeBudget, started))
            {
                try
                {
                    if (_options.Evaluation == RoutingEvaluation.Compiled)
                    {
                        EvaluateCompiled(proposal, matched, warnings, incomplete);
                        EvaluationGuard.ThrowIfFaulted();
                        CheckBudget(proposal, started, _ruleSet.EntryWorkflowNames.LastOrDefault() ?? string.Empty);
                    }
                    else
                    {
                        EvaluateWithRulesEngine(proposal, matched, warnings, incomplete, started);
                    }
                }
                catch (Exception e) when (EvaluationGuard.IsFault(e) && e is not RoutingTimeBudgetExceededException and not RoutingFaultException)
                {
                    // Out of memory or stack: never a rule outcome, never a plan missing a step.
                    throw EvaluationGuard.Wrap(e);
                }
            }

            var ordered = StepOrdering.Order(matched, _ruleSet, proposal, warnings);
            if (ordered.Count == 0)
            {
                warnings.Add(new PlanWarning(PlanWarningKind.NothingRequired, "No rule requires any step for this proposal; check the proposal's attributes and that the rule set covers its kind"));
            }

            var today = GovernanceCalendar.Today(_options.Clock);
            var scheduled = PlanSchedule.Apply(ordered, proposal, _ruleSet, _options.Calendar, today, warnings);
            // Without the decision step the plan has nothing to date the decision, its call-in or its effect from;
            // saying nothing would let a reader take the plan as whole.
            var missing = scheduled.DecisionStep is null && ordered.Count > 0;
            if (missing)
            {
                warnings.Add(new PlanWarning(
                    PlanWarningKind.NoDecisionStep,
                    $"No required step is the decision of the decision-maker ({proposal.DecisionMaker}): no rule in '{_ruleSet.Name}' gives it an approval or recommendation, so the plan cannot date the decision, its call-in or when it takes effect"
                    + (proposal.DecisionMaker == DecisionMaker.Officer ? string.Empty : "; the plan is incomplete until the rule set covers this decision-maker")));
            }

            var plan = new RoutingPlan(proposal, _ruleSet.Name, _ruleSet.Hash, matched, scheduled.Steps, warnings)
            {
                DecisionStepMissing = missing && proposal.DecisionMaker != DecisionMaker.Officer,
                AsOf = today,
                DecisionStep = scheduled.DecisionStep,
                EffectiveFrom = scheduled.EffectiveFrom,
                UrgencyRoutes = scheduled.UrgencyRoutes,
                Incomplete = incomplete,
            };

            // A plan that contradicts itself must say so, loudly, rather than be trusted.
            plan.Contradictions = PlanConsistency.Check(plan, _options.Calendar);
            warnings.AddRange(plan.Contradictions.Select(c => new PlanWarning(PlanWarningKind.Contradiction, PlanContradiction.WarningPrefix + c.Message, Step: c.Step)));
            return plan;
        }

        /// <summary>
        /// A rule set whose executive model is a dated timeline with no entry for the decision date cannot say who may
        /// decide (cabinet or committees, key decisions and call-in or none), so every rule that turns on it is in doubt:
        /// the plan says so and is incomplete, rather than routing as if the model were known.
        /// </summary>
        private void WhenNoExecutiveModel(Proposal proposal, List<PlanWarning> warnings, List<IncompleteRule> incomplete)
        {
            if (_ruleSet.ExecutiveModelTimeline is not { } timeline || _ruleSet.ExecutiveModelOn(proposal.IntendedDecisionDate) is not null)
            {
                return;
            }

            var day = EffectivePeriod.Day(proposal.IntendedDecisionDate);
            var known = string.Join("; ", timeline.Select(e => $"{e.Model} {e.Period.Describe()}"));
            var message = $"Rule set '{_ruleSet.Name}' declares no executive model on {day}, the intended decision date (its timeline: {known}), so whether the council has a cabinet, key decisions and call-in cannot be told; add the model that held to 'executiveModel' in ruleset.json";
            warnings.Add(new PlanWarning(PlanWarningKind.NoExecutiveModel, message));
            incomplete.Add(new IncompleteRule("ruleset.json", "executiveModel", IncompleteRuleKind.Undecided, $"the executive model on {day}", message, Array.Empty<string>()));
        }

        private void EvaluateCompiled(Proposal proposal, List<MatchedRule> matched, List<PlanWarning> warnings, List<IncompleteRule> incomplete)
        {
            var compiled = _ruleSet.Compiled;
            var results = Buffers.Rent(compiled.RuleCount);
            try
            {
                compiled.Evaluate(proposal, _ruleSet.ParametersFor(proposal.IntendedDecisionDate), results.Matched, results.Errors);
                var index = 0;
                foreach (var (workflow, rules) in compiled.Workflows)
                {
                    foreach (var rule in rules)
                    {
                        Collect(proposal, workflow, rule, results.Matched[index], results.Errors[index], matched, warnings, incomplete);
                        index++;
                    }
                }
            }
            finally
            {
                Buffers.Return(results);
            }
        }

        private void EvaluateWithRulesEngine(Proposal proposal, List<MatchedRule> matched, List<PlanWarning> warnings, List<IncompleteRule> incomplete, long started)
        {
            var inputs = _ruleSet.Inputs(proposal);
            foreach (var workflow in _ruleSet.EntryWorkflowNames)
            {
                // RulesEngine's execution is synchronous under its ValueTask; blocking here costs nothing. It catches every
                // exception into the rule's result, so a fault it swallowed is raised here, before any result is read.
                EvaluationGuard.InWorkflow(workflow);
                var results = _ruleSet.Engine.ExecuteAllRulesAsync(workflow, inputs).AsTask().GetAwaiter().GetResult();
                EvaluationGuard.ThrowIfFaulted();
                foreach (var result in results)
                {
                    Collect(proposal, workflow, _ruleSet.TopLevelRules[(workflow, result.Rule.RuleName)], result.IsSuccess, FirstError(result), matched, warnings, incomplete);
                }

                CheckBudget(proposal, started, workflow);
            }
        }

        /// <summary>
        /// The first error anywhere in a rule's result tree, depth first. RulesEngine evaluates every child of a nested
        /// rule and keeps a child's error on the child, combining it as "no match"; an error must not be swallowed by its
        /// parent's And/Or, so it makes the whole top-level rule undecided (a missing value) or not evaluated, as the
        /// compiled evaluator does.
        /// </summary>
        private static string? FirstError(RulesEngine.Models.RuleResultTree result)
        {
            if (!string.IsNullOrEmpty(result.ExceptionMessage))
            {
                return result.ExceptionMessage;
            }

            foreach (var child in result.ChildResults ?? Enumerable.Empty<RulesEngine.Models.RuleResultTree>())
            {
                if (FirstError(child) is { } error)
                {
                    return error;
                }
            }

            return null;
        }

        /// <summary>
        /// Turns one top-level rule's outcome into the plan, on both evaluation paths alike, so they cannot disagree on
        /// dated law. A rule whose <c>effective</c> period does not hold on its date does not match, whatever its
        /// expression gave; one judged on an attribute the proposal does not give is undecided, unless its expression
        /// already rules it out (false and anything is false).
        /// </summary>
        private void Collect(Proposal proposal, string workflow, RuleDefinition definition, bool isMatch, string? exceptionMessage, List<MatchedRule> matched, List<PlanWarning> warnings, List<IncompleteRule> incomplete)
        {
            var steps = definition.Governance?.Steps ?? Array.Empty<string>();
            var effective = definition.Governance?.Effective;
            var judgedOn = EffectiveDates.JudgedOn(effective, proposal);
            if (effective is not null)
            {
                if (judgedOn is { } day && !effective.Contains(day))
                {
                    return;
                }

                var failed = !string.IsNullOrEmpty(exceptionMessage) && ProposalValueMissingException.FindIn(exceptionMessage) is null;
                if (judgedOn is null && (isMatch || !string.IsNullOrEmpty(exceptionMessage)) && !failed)
                {
                    incomplete.Add(new IncompleteRule(workflow, definition.Name, IncompleteRuleKind.Undecided, EffectiveDates.Missing(effective), $"Rule '{definition.Name}' is undecided: its law is in force {effective.Describe()}, judged on {effective.JudgedAgainst}, which the proposal does not give", steps));
                    return;
                }
            }

            if (!string.IsNullOrEmpty(exceptionMessage))
            {
                // An outcome that could not be worked out is neither a match nor a non-match: the plan says so.
                var missing = ProposalValueMissingException.FindIn(exceptionMessage);
                incomplete.Add(missing is null
                    ? new IncompleteRule(workflow, definition.Name, IncompleteRuleKind.NotEvaluated, null, $"Rule '{definition.Name}' could not be evaluated: {exceptionMessage}", steps)
                    : new IncompleteRule(workflow, definition.Name, IncompleteRuleKind.Undecided, missing, $"Rule '{definition.Name}' is undecided: the proposal gives no value for {missing}", steps));
                return;
            }

            if (isMatch)
            {
                matched.Add(ToMatched(workflow, definition, warnings));
                WarnOfStepsNotInForce(definition, steps, judgedOn!.Value, effective, warnings);
            }
        }

        /// <summary>
        /// A matched rule that requires a step whose law is not in force on the rule's date: the rule or the step is
        /// dated wrongly. The plan keeps the step (leaving it out could drop a requirement) and says so. The loader
        /// catches this between two dated periods (DR0053); this catches rules dated only by their expressions.
        /// </summary>
        private void WarnOfStepsNotInForce(RuleDefinition definition, IReadOnlyList<string> steps, NodaTime.LocalDate day, EffectivePeriod? effective, List<PlanWarning> warnings)
        {
            foreach (var id in steps)
            {
                if (_ruleSet.Steps.TryGetValue(id, out var step) && step.Effective is { } period && !period.Contains(day))
                {
                    warnings.Add(new PlanWarning(
                        PlanWarningKind.StepNotInForce,
                        $"Rule '{definition.Name}' requires step '{id}' ({step.Name}), whose law is in force only {period.Describe()}, but the rule is judged on {EffectivePeriod.Day(day)} ({effective?.JudgedAgainst ?? "the intended decision date"}); check the dates of the rule and the step",
                        definition.Name,
                        id));
                }
            }
        }

        /// <summary>The allow-list bounds one rule; this bounds a very large rule set.</summary>
        private void CheckBudget(Proposal proposal, long started, string workflow)
        {
            var elapsed = _options.Clock.GetElapsedTime(started);
            if (elapsed > _options.TimeBudget)
            {
                throw new RoutingTimeBudgetExceededException(proposal.Id, _ruleSet.Name, _options.TimeBudget, elapsed, workflow);
            }
        }

        private static MatchedRule ToMatched(string workflow, RuleDefinition rule, List<PlanWarning> warnings)
        {
            var governance = rule.Governance;
            if (governance?.Warning is { } warning)
            {
                warnings.Add(new PlanWarning(PlanWarningKind.RuleWarning, warning, rule.Name));
            }

            if (governance?.Verify == true)
            {
                warnings.Add(new PlanWarning(PlanWarningKind.UnverifiedSource, $"Rule '{rule.Name}' relies on a source not yet checked against the primary text: {governance.Source}", rule.Name));
            }

            return new MatchedRule(workflow, rule.Name, governance?.Source, governance?.Reason, governance?.Verify ?? false, governance?.Steps ?? Array.Empty<string>());
        }
    }
}
