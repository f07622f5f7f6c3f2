namespace DecisionRouting.Routing
{
    /// <summary>
    /// Two parts of one plan that cannot both be true, such as a step dated before a step it must follow. The router
    /// finds them with its consistency checker; each is also a plan warning of kind
    /// <see cref="PlanWarningKind.Contradiction"/>. A plan with any is not to be relied on: report it as a fault.
    /// </summary>
    /// <param name="Check">Which check found it: one of the constants on this type, e.g. <c>before-predecessor</c>.</param>
    /// <param name="Message">What contradicts what, with the dates, in plain English.</param>
    /// <param name="Step">The step concerned, if one is.</param>
    public sealed record PlanContradiction(string Check, string Message, string? Step = null)
    {
        /// <summary>The plan takes an urgency route and also says the decision cannot be taken on the day.</summary>
        public const string UrgencyAndCannotBeTaken = "urgency-and-cannot-be-taken";

        /// <summary>An urgency route's replacement step is missing from the plan, or the step it replaces is still there.</summary>
        public const string UrgencyRouteMissing = "urgency-route-missing";

        /// <summary>A step is dated before a step it must follow is done.</summary>
        public const string BeforePredecessor = "before-predecessor";

        /// <summary>The decision step is not dated on the intended decision date.</summary>
        public const string DecisionStepOffDate = "decision-step-off-date";

        /// <summary>A step that follows the decision is dated before the decision.</summary>
        public const string AfterDecisionDatedBefore = "after-decision-dated-before";

        /// <summary>The decision takes effect before it is made.</summary>
        public const string EffectiveBeforeDecision = "effective-before-decision";

        /// <summary>The decision takes effect before a call-in window closes.</summary>
        public const string EffectiveBeforeCallInCloses = "effective-before-call-in-closes";

        /// <summary>A call-in window closes before the decision is made.</summary>
        public const string CallInClosesBeforeDecision = "call-in-closes-before-decision";

        /// <summary>A step ends before it starts.</summary>
        public const string EndsBeforeStart = "ends-before-start";

        /// <summary>A step's dates do not agree with its period (days, counting and anchor) in the catalogue.</summary>
        public const string OutsidePeriod = "outside-period";

        /// <summary>A notice's latest day has passed, yet the plan neither takes an urgency route nor says the date cannot be met.</summary>
        public const string LateNoticeUnremarked = "late-notice-unremarked";

        /// <summary>The text that starts every contradiction's plan warning, so that readers and tools can tell a fault in the plan from advice.</summary>
        public const string WarningPrefix = "CONTRADICTION in this plan (do not rely on it; report it): ";
    }
}
