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

        /// <summary>
        /// The record of the decision (a JSON object in the shape of <c>schemas/decision-record.schema.json</c>: the
        /// decision, reasons, alternatives rejected, interests declared and dispensations), for the trigger that makes or
        /// remakes the decision: <see cref="CaseTrigger.CompleteStep"/> of the plan's decision step,
        /// <see cref="CaseTrigger.Reject"/> or <see cref="CaseTrigger.ConfirmDecision"/>. When the trigger is accepted it is
        /// kept with the case (<see cref="ProposalCase.DecisionRecords"/>) and its SHA-256 goes into the audit entry.
        /// The lifecycle checks it is one JSON object of at most <see cref="CaseDecisionRecord.MaxTextLength"/>
        /// characters; its properties are the caller's to check against the schema (the CLI does, with the reader
        /// <c>notice</c> uses). Null: no record (a notice then says loudly it was not made at decision time).
        /// </summary>
        public string? DecisionRecord { get; init; }

        /// <summary>Completes <paramref name="step"/>.</summary>
        public static TriggerRequest Complete(string step, Actor actor) => new(CaseTrigger.CompleteStep, actor) { Step = step };
    }
}
