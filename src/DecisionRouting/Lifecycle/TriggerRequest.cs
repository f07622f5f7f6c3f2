using NodaTime;

namespace DecisionRouting.Lifecycle
{
    /// <summary>An actor asking a case to do something.</summary>
    /// <param name="Trigger">What they ask.</param>
    /// <param name="Actor">Who asks, in which roles.</param>
    public sealed record TriggerRequest(CaseTrigger Trigger, Actor Actor)
    {
        /// <summary>The step, for <see cref="CaseTrigger.CompleteStep"/>.</summary>
        public string? Step { get; init; }

        /// <summary>When it happened; the clock's now when not given (recording a meeting held earlier).</summary>
        public Instant? At { get; init; }

        /// <summary>The new intended decision date, for <see cref="CaseTrigger.Defer"/>.</summary>
        public LocalDate? NewDecisionDate { get; init; }

        /// <summary>
        /// The case version the actor saw (<see cref="ProposalCase.Version"/> of the status they acted on), or null not to
        /// check. When given and the case has moved on, nothing is fired or audited and
        /// <see cref="CaseConflictException"/> is thrown: the actor decided on a view of the case that is no longer true.
        /// Without it, only changes made between the lifecycle's own read and its save are caught.
        /// </summary>
        public long? ExpectedVersion { get; init; }

        /// <summary>Completes <paramref name="step"/>.</summary>
        public static TriggerRequest Complete(string step, Actor actor) => new(CaseTrigger.CompleteStep, actor) { Step = step };
    }
}
