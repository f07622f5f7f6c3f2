namespace DecisionRouting.Lifecycle
{
    /// <summary>What an actor asks a case to do.</summary>
    public enum CaseTrigger
    {
        /// <summary>Start work on the plan (Draft → InProgress).</summary>
        Start,

        /// <summary>Complete one step of the plan, named by the request's step.</summary>
        CompleteStep,

        /// <summary>Take the decision off the agenda, with a new intended decision date (InProgress → Deferred).</summary>
        Defer,

        /// <summary>Resume a deferred proposal (Deferred → InProgress).</summary>
        Resume,

        /// <summary>The decision-maker rejects the proposal (at the decision, or on reconsideration).</summary>
        Reject,

        /// <summary>Withdraw the proposal before it takes effect.</summary>
        Withdraw,

        /// <summary>Scrutiny calls the decision in, before the call-in period closes.</summary>
        CallIn,

        /// <summary>Record that the call-in period closed without a call-in (on or after its close).</summary>
        EndCallInPeriod,

        /// <summary>Scrutiny (or full council) takes no further action: the decision takes effect.</summary>
        NoFurtherAction,

        /// <summary>Scrutiny (or full council) refers the decision back to the decision-maker to reconsider, once.</summary>
        ReferBack,

        /// <summary>Scrutiny refers the decision to full council: only for decisions contrary to the budget or policy framework.</summary>
        ReferToFullCouncil,

        /// <summary>The decision-maker confirms (or amends) the decision on reconsideration: it takes effect.</summary>
        ConfirmDecision,

        /// <summary>
        /// Record when a step whose period runs from its start (a consultation) actually started, named by the
        /// request's step; its period then runs from that moment. The state does not change.
        /// </summary>
        StartStep,
    }
}
