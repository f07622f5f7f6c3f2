namespace DecisionRouting.Lifecycle
{
    /// <summary>Where a proposal is on its route.</summary>
    public enum CaseState
    {
        /// <summary>Created from a plan; nothing done yet.</summary>
        Draft,

        /// <summary>Steps up to and including the decision are being completed, in dependency order.</summary>
        InProgress,

        /// <summary>Taken off the agenda; goes back to <see cref="InProgress"/> with a new decision date.</summary>
        Deferred,

        /// <summary>The decision is made; steps before the call-in period (publishing the decision) follow.</summary>
        Decided,

        /// <summary>The call-in period is running: the decision cannot be implemented until it ends.</summary>
        CallInWindow,

        /// <summary>Scrutiny has called the decision in and will decide what to do with it.</summary>
        CalledIn,

        /// <summary>Scrutiny referred the decision to full council as contrary to the budget or policy framework.</summary>
        ReferredToFullCouncil,

        /// <summary>The decision-maker reconsiders a decision referred back to it (once only).</summary>
        Reconsidering,

        /// <summary>The decision may be implemented; steps after it (agreements, reporting) are completed here.</summary>
        Effective,

        /// <summary>The decision-maker rejected the proposal.</summary>
        Rejected,

        /// <summary>The proposal was withdrawn before it took effect.</summary>
        Withdrawn,
    }
}
