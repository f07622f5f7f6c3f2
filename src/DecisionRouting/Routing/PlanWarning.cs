namespace DecisionRouting.Routing
{
    /// <summary>Why a plan carries a warning.</summary>
    public enum PlanWarningKind
    {
        /// <summary>
        /// No longer raised: a rule that cannot be evaluated now makes the plan incomplete (<see cref="RoutingPlan.Incomplete"/>).
        /// Kept so the numbering of the other kinds does not change.
        /// </summary>
        RuleNotEvaluated,

        /// <summary>A matched rule carries a warning of its own.</summary>
        RuleWarning,

        /// <summary>A matched rule relies on a source not yet checked against the primary legal text.</summary>
        UnverifiedSource,

        /// <summary>A step is performed by a body that does not exist on the intended decision date.</summary>
        BodyNotInExistence,

        /// <summary>A date the proposal gives for a step disagrees with the step's period or order; the plan uses the given date.</summary>
        ScheduleDiscrepancy,

        /// <summary>A step's period cannot be met before the intended decision date and no urgency route is left.</summary>
        DateCannotBeMet,

        /// <summary>A notice's period can no longer be met, so the plan uses its urgency route instead.</summary>
        UrgencyRouteApplied,

        /// <summary>
        /// A required step needs a period the rule set does not set (e.g. the baseline's call-in window), or a period
        /// counted back from a proposal date (<c>periodEndsBeforeDate</c>) that the proposal does not give.
        /// </summary>
        PeriodNotSet,

        /// <summary>No rule matched, so the plan requires nothing; usually the proposal or the rule set is incomplete.</summary>
        NothingRequired,

        /// <summary>
        /// Two parts of the plan contradict each other (see <see cref="RoutingPlan.Contradictions"/>); the message starts
        /// with <see cref="PlanContradiction.WarningPrefix"/>. This is a fault in the router or the rule set, never advice.
        /// </summary>
        Contradiction,

        /// <summary>The proposal gives an attribute the rule set does not declare, so no rule reads it (DR0035; often a misspelling).</summary>
        UndeclaredAttribute,

        /// <summary>
        /// The plan requires steps but none of them is the decision-maker's decision (no rule gives the decision-maker
        /// an approval or recommendation), so the plan cannot date the decision, its call-in or when it takes effect.
        /// Unless the decision-maker is an officer, the plan is also incomplete (<see cref="RoutingPlan.DecisionStepMissing"/>).
        /// </summary>
        NoDecisionStep,

        /// <summary>
        /// A matched rule requires a step whose <c>effective</c> period does not include the day the rule is judged on;
        /// the plan keeps the step, but the rule or the step is dated wrongly.
        /// </summary>
        StepNotInForce,

        /// <summary>
        /// The rule set dates its executive model (<c>"executiveModel": [ { "model", "from", "until" } ]</c>) and no entry
        /// covers the intended decision date, so whether the council has a cabinet, key decisions and call-in is unknown;
        /// the plan is incomplete (<see cref="RoutingPlan.Incomplete"/> lists <c>executiveModel</c>).
        /// </summary>
        NoExecutiveModel,
    }

    /// <summary>Something an officer should look at before relying on the plan.</summary>
    /// <param name="Kind">Why the warning was raised.</param>
    /// <param name="Message">What to look at, in plain English.</param>
    /// <param name="Rule">The rule concerned, if any.</param>
    /// <param name="Step">The step concerned, if any.</param>
    public sealed record PlanWarning(PlanWarningKind Kind, string Message, string? Rule = null, string? Step = null);
}
