using System;
using System.Collections.Generic;
using System.Threading;
using DecisionRouting.Calendar;
using DecisionRouting.Diagnostics;
using DecisionRouting.Proposals;
using DecisionRouting.RuleSets;
using DecisionRouting.Telemetry;

namespace DecisionRouting.Routing
{
    /// <summary>
    /// Routes proposals through a rule set: asks the rule set which rules the proposal matches (by default with
    /// delegates compiled once per rule set; <see cref="RoutingEvaluation.RulesEngine"/> opts into RulesEngine's own
    /// evaluator, the reference the compiled path is tested against), then orders and dates the steps they require.
    /// Stateless; safe to use from many threads at once.
    /// </summary>
    public sealed class Router
    {
        private const string ClockOption = "RoutingOptions.Clock";

        private readonly RuleSet _ruleSet;
        private readonly RoutingOptions _options;
        private readonly string?[] _noDecisionStep = new string?[Enum.GetValues<DecisionMaker>().Length];

        /// <summary>Creates a router over a loaded rule set, dating plans with the shipped calendar and the system clock.</summary>
        public Router(RuleSet ruleSet)
            : this(ruleSet, new RoutingOptions())
        {
        }

        /// <summary>Creates a router over a loaded rule set with the given calendar, clock and evaluator.</summary>
        /// <remarks>
        /// With <see cref="RoutingEvaluation.RulesEngine"/> the RulesEngine evaluator is built here (once per rule set,
        /// shared by every router over it), not in the first route: RulesEngine gives no way to stop its build, so it is
        /// bounded up front (DR0081) and not charged to a route's <see cref="RoutingOptions.TimeBudget"/>.
        /// </remarks>
        /// <exception cref="InvalidRuleSetException"><see cref="RoutingEvaluation.RulesEngine"/> was asked for and building it over this rule set would cost more than its bound (DR0081, at the costliest entry workflow); the compiled evaluator routes the rule set.</exception>
        /// <exception cref="RoutingFaultException">Building the RulesEngine evaluator ran out of memory or stack.</exception>
        public Router(RuleSet ruleSet, RoutingOptions options)
        {
            _ruleSet = ruleSet ?? throw new ArgumentNullException(nameof(ruleSet));
            _options = options ?? throw new ArgumentNullException(nameof(options));
            ruleSet.Evaluation.Prepare(options.Evaluation);
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
            // The public entry point is observed (activity, metrics, log: docs/observability.md); routing is below.
            var observed = RouteObservation.Start(_ruleSet, proposal, _options.Logger);
            try
            {
                return observed.Routed(RouteUnobserved(proposal));
            }
            catch (Exception e)
            {
                observed.Failed(e);
                throw;
            }
        }

        private RoutingPlan RouteUnobserved(Proposal proposal)
        {
            ArgumentNullException.ThrowIfNull(proposal);

            // "Today" dates the plan; a clock outside the range would overflow date arithmetic, so refuse it first.
            // One reading of the clock both checks it and dates the plan.
            var now = GovernanceCalendar.SupportedNow(_options.Clock, ClockOption);

            var warnings = new List<PlanWarning>();
            var check = _ruleSet.CheckProposal(proposal);
            List<RuleDiagnostic>? errors = null;
            for (var i = 0; i < check.Count; i++)
            {
                if (check[i].IsError)
                {
                    (errors ??= new List<RuleDiagnostic>()).Add(check[i]);
                }
            }

            if (errors is not null)
            {
                throw new InvalidProposalException(proposal.Id, errors);
            }

            for (var i = 0; i < check.Count; i++)
            {
                warnings.Add(new PlanWarning(PlanWarningKind.UndeclaredAttribute, check[i].Message));
            }

            // Which rules match is the rule set's to say, with the evaluator the options name; the router orders and dates.
            var outcomes = _ruleSet.Evaluation.Evaluate(proposal, _options);
            var matched = outcomes.Matched;
            var incomplete = outcomes.Incomplete;
            warnings.AddRange(outcomes.Warnings);

            var ordered = StepOrdering.Order(matched, _ruleSet, proposal, warnings);
            if (ordered.Count == 0)
            {
                warnings.Add(new PlanWarning(PlanWarningKind.NothingRequired, "No rule requires any step for this proposal; check the proposal's attributes and that the rule set covers its kind"));
            }

            var today = GovernanceCalendar.DateInLondon(now);
            var scheduled = PlanSchedule.Apply(ordered, proposal, _ruleSet, _options.Calendar, today, warnings);
            // Without the decision step the plan has nothing to date the decision, its call-in or its effect from;
            // saying nothing would let a reader take the plan as whole.
            var missing = scheduled.DecisionStep is null && ordered.Count > 0;
            if (missing)
            {
                warnings.Add(new PlanWarning(PlanWarningKind.NoDecisionStep, NoDecisionStepMessage(proposal.DecisionMaker)));
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
            for (var i = 0; i < plan.Contradictions.Count; i++)
            {
                var contradiction = plan.Contradictions[i];
                warnings.Add(new PlanWarning(PlanWarningKind.Contradiction, PlanContradiction.WarningPrefix + contradiction.Message, Step: contradiction.Step));
            }

            return plan;
        }

        /// <summary>
        /// The <see cref="PlanWarningKind.NoDecisionStep"/> text, which depends only on the rule set and the
        /// decision-maker: formatted once per decision-maker and router (a racing thread formats the same text).
        /// </summary>
        private string NoDecisionStepMessage(DecisionMaker maker)
        {
            var slot = (uint)maker < (uint)_noDecisionStep.Length ? (int)maker : -1;
            if (slot >= 0 && Volatile.Read(ref _noDecisionStep[slot]) is { } cached)
            {
                return cached;
            }

            var message = $"No required step is the decision of the decision-maker ({maker}): no rule in '{_ruleSet.Name}' gives it an approval or recommendation, so the plan cannot date the decision, its call-in or when it takes effect"
                + (maker == DecisionMaker.Officer ? string.Empty : "; the plan is incomplete until the rule set covers this decision-maker");
            if (slot >= 0)
            {
                Volatile.Write(ref _noDecisionStep[slot], message);
            }

            return message;
        }
    }
}
