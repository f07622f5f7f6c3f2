using System;
using System.Collections.Generic;
using DecisionRouting.Proposals;
using DecisionRouting.Routing;
using DecisionRouting.Workflows;

namespace DecisionRouting.Evaluation
{
    /// <summary>
    /// What evaluating a proposal's rules gives the plan: the rules it matched, the rules whose outcome it cannot give,
    /// and the warnings they raise, in evaluation order. Both evaluators feed <see cref="Add"/>, so they cannot
    /// disagree on dated law or on how an error reads.
    /// </summary>
    internal sealed class RuleOutcomes
    {
        private readonly bool _warn;
        private bool _anyStepDated = true;
        private IReadOnlyDictionary<string, Step> _steps;

        /// <summary>Starts an empty set of outcomes; <paramref name="steps"/> is the catalogue, to check the steps a matched rule requires are in force.</summary>
        public RuleOutcomes(IReadOnlyDictionary<string, Step> steps)
            : this(steps, warnings: true)
        {
        }

        /// <summary>
        /// Starts an empty set of outcomes; with <paramref name="warnings"/> false the plan-level warnings of matched
        /// rules (their own warning, an unverified source, a step not in force) are not raised: what
        /// <see cref="RuleMatches"/> keeps, which has no plan to put them in.
        /// </summary>
        public RuleOutcomes(IReadOnlyDictionary<string, Step> steps, bool warnings)
        {
            _steps = steps;
            _warn = warnings;
            Matched = new List<MatchedRule>();
            Incomplete = new List<IncompleteRule>();
            Warnings = new List<PlanWarning>();
        }

        private RuleOutcomes(RuleOutcomes outcomes)
        {
            _steps = outcomes._steps;
            _warn = outcomes._warn;
            _anyStepDated = outcomes._anyStepDated;
            Matched = new List<MatchedRule>(outcomes.Matched);
            Incomplete = new List<IncompleteRule>(outcomes.Incomplete);
            Warnings = new List<PlanWarning>(outcomes.Warnings);
        }

        /// <summary>
        /// A copy whose lists hold exactly these outcomes (one array each, of their size): what a plan keeps, while
        /// this instance is emptied and reused. Growing the lists from empty on every route cost more than the copy.
        /// </summary>
        public RuleOutcomes Copy() => new(this);

        /// <summary>Empties the outcomes for another proposal of a rule set with catalogue <paramref name="steps"/>, keeping the lists' capacity.</summary>
        public void Reset(IReadOnlyDictionary<string, Step> steps) => Reset(steps, anyStepDated: true);

        /// <summary>
        /// <see cref="Reset(IReadOnlyDictionary{string, Step})"/>, told whether any step of the catalogue has an
        /// <c>effective</c> period: when none has, no step can be out of force and matched rules skip the look-ups.
        /// </summary>
        public void Reset(IReadOnlyDictionary<string, Step> steps, bool anyStepDated)
        {
            _anyStepDated = anyStepDated;
            _steps = steps;
            Matched.Clear();
            Incomplete.Clear();
            Warnings.Clear();
        }

        /// <summary>
        /// Whether no matched rule can require a step out of force: warnings are not kept, or no catalogue step is dated.
        /// Then an undated match that warns of nothing itself adds only its <see cref="MatchedRule"/>.
        /// </summary>
        public bool NoStepOutOfForce => !_warn || !_anyStepDated;

        /// <summary>The rules the proposal matched, in evaluation order.</summary>
        public List<MatchedRule> Matched { get; }

        /// <summary>The rules (and the executive model) whose outcome the plan cannot give.</summary>
        public List<IncompleteRule> Incomplete { get; }

        /// <summary>The warnings evaluation raised, in order.</summary>
        public List<PlanWarning> Warnings { get; }

        /// <summary>
        /// Turns one top-level rule's outcome into the plan, on both evaluation paths alike, so they cannot disagree on
        /// dated law. A rule whose <c>effective</c> period does not hold on its date does not match, whatever its
        /// expression gave; one judged on an attribute the proposal does not give is undecided, unless its expression
        /// already rules it out (false and anything is false).
        /// </summary>
        /// <param name="proposal">The proposal evaluated.</param>
        /// <param name="workflow">The entry workflow.</param>
        /// <param name="definition">The top-level rule.</param>
        /// <param name="isMatch">Whether its expression matched.</param>
        /// <param name="exceptionMessage">Why it could not be evaluated; null or empty when it could.</param>
        /// <param name="matched">The rule as matched (<see cref="Matching"/>), when the evaluator built it once; null to build it here.</param>
        public void Add(Proposal proposal, string workflow, RuleDefinition definition, bool isMatch, string? exceptionMessage, MatchedRule? matched = null)
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
                    Incomplete.Add(new IncompleteRule(workflow, definition.Name, IncompleteRuleKind.Undecided, EffectiveDates.Missing(effective), $"Rule '{definition.Name}' is undecided: its law is in force {effective.Describe()}, judged on {effective.JudgedAgainst}, which the proposal does not give", steps));
                    return;
                }
            }

            if (!string.IsNullOrEmpty(exceptionMessage))
            {
                // An outcome that could not be worked out is neither a match nor a non-match: the plan says so.
                var missing = ProposalValueMissingException.FindIn(exceptionMessage);
                Incomplete.Add(missing is null
                    ? new IncompleteRule(workflow, definition.Name, IncompleteRuleKind.NotEvaluated, null, $"Rule '{definition.Name}' could not be evaluated: {exceptionMessage}", steps)
                    : new IncompleteRule(workflow, definition.Name, IncompleteRuleKind.Undecided, missing, $"Rule '{definition.Name}' is undecided: the proposal gives no value for {missing}", steps));
                return;
            }

            if (isMatch)
            {
                Matched.Add(matched ?? Matching(workflow, definition));
                if (_warn)
                {
                    WarnOfRule(definition, Warnings);
                    WarnOfStepsNotInForce(definition, steps, judgedOn!.Value, effective, Warnings);
                }
            }
        }

        /// <summary>
        /// A matched rule that requires a step whose law is not in force on the rule's date: the rule or the step is
        /// dated wrongly. The plan keeps the step (leaving it out could drop a requirement) and says so. The loader
        /// catches this between two dated periods (DR0053); this catches rules dated only by their expressions.
        /// </summary>
        private void WarnOfStepsNotInForce(RuleDefinition definition, IReadOnlyList<string> steps, NodaTime.LocalDate day, EffectivePeriod? effective, List<PlanWarning> warnings)
        {
            if (!_anyStepDated)
            {
                return;
            }

            // By index: a foreach over the interface allocated an enumerator for every matched rule of every route.
            for (var i = 0; i < steps.Count; i++)
            {
                var id = steps[i];
                if (_steps.TryGetValue(id, out var step) && step.Effective is { } period && !period.Contains(day))
                {
                    warnings.Add(new PlanWarning(
                        PlanWarningKind.StepNotInForce,
                        $"Rule '{definition.Name}' requires step '{id}' ({step.Name}), whose law is in force only {period.Describe()}, but the rule is judged on {EffectivePeriod.Day(day)} ({effective?.JudgedAgainst ?? "the intended decision date"}); check the dates of the rule and the step",
                        definition.Name,
                        id));
                }
            }
        }

        /// <summary>The rule as a plan lists it when it matches: immutable, so one instance serves every plan.</summary>
        public static MatchedRule Matching(string workflow, RuleDefinition rule)
        {
            var governance = rule.Governance;
            return new MatchedRule(workflow, rule.Name, governance?.Source, governance?.Reason, governance?.Verify ?? false, governance?.Steps ?? Array.Empty<string>());
        }

        /// <summary>The warnings a matched rule raises itself: its own, and a source not yet checked.</summary>
        private static void WarnOfRule(RuleDefinition rule, List<PlanWarning> warnings)
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
        }
    }
}
