namespace DecisionRouting
{
    /// <summary>What a step's period is measured from, and so which date the plan computes for it.</summary>
    public enum PeriodAnchor
    {
        /// <summary>
        /// The period runs from when the step starts (consultations, HR1): the plan gives its earliest end. The default
        /// for every kind except notices and call-in.
        /// </summary>
        FromStart,

        /// <summary>
        /// The step must happen this period before the decision (notices): the plan gives the latest date to do it.
        /// The default for notices.
        /// </summary>
        BeforeDecision,

        /// <summary>
        /// The period runs from the day the decision is made (call-in): the plan gives when it closes. The default for
        /// call-in.
        /// </summary>
        AfterDecision,
    }
}
