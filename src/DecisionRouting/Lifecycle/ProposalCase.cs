using System;
using System.Collections.Generic;
using NodaTime;

namespace DecisionRouting.Lifecycle
{
    /// <summary>
    /// A proposal's progress along its frozen plan, as stored: its state, which steps are complete, and a version for
    /// optimistic concurrency. Immutable: each accepted trigger gives a new case one version on.
    /// </summary>
    public sealed record ProposalCase
    {
        /// <summary>The case id (the proposal's id unless the app chose another).</summary>
        public required string Id { get; init; }

        /// <summary>The plan the case follows.</summary>
        public required CasePlan Plan { get; init; }

        /// <summary>Where the case is.</summary>
        public CaseState State { get; init; } = CaseState.Draft;

        /// <summary>Completed steps: when, and by whom.</summary>
        public IReadOnlyDictionary<string, StepCompletion> Completed { get; init; } = new Dictionary<string, StepCompletion>(StringComparer.Ordinal);

        /// <summary>The date the decision is now intended for (moved by <see cref="CaseTrigger.Defer"/>).</summary>
        public required LocalDate DecisionDate { get; init; }

        /// <summary>
        /// Steps whose start was recorded (<see cref="CaseTrigger.StartStep"/>): when, and by whom. A consultation's
        /// period runs from here.
        /// </summary>
        public IReadOnlyDictionary<string, StepCompletion> Started { get; init; } = new Dictionary<string, StepCompletion>(StringComparer.Ordinal);

        /// <summary>When work on the plan started.</summary>
        public Instant? StartedAt { get; init; }

        /// <summary>When the decision was made, once it has been.</summary>
        public Instant? DecidedAt { get; init; }

        /// <summary>Whether the decision has already been referred back once (it cannot be again).</summary>
        public bool Reconsidered { get; init; }

        /// <summary>
        /// The records of the decision given with the triggers that made it (<see cref="TriggerRequest.DecisionRecord"/>),
        /// oldest first: the decision, then a rejection or a confirmation on reconsideration. Empty for a case decided
        /// without one, and for cases stored before records were kept.
        /// </summary>
        public IReadOnlyList<CaseDecisionRecord> DecisionRecords { get; init; } = Array.Empty<CaseDecisionRecord>();

        /// <summary>Incremented by every accepted trigger; a store refuses a save from a stale version.</summary>
        public long Version { get; init; }

        /// <summary>A new case in <see cref="CaseState.Draft"/> for a plan.</summary>
        public static ProposalCase For(CasePlan plan, string? id = null)
        {
            ArgumentNullException.ThrowIfNull(plan);

            return new ProposalCase { Id = id ?? plan.ProposalId, Plan = plan, DecisionDate = plan.IntendedDecisionDate };
        }

        /// <summary>Whether the step is complete.</summary>
        public bool IsComplete(string stepId) => Completed.ContainsKey(stepId);
    }

    /// <summary>When a step was completed (or started) and by whom.</summary>
    /// <param name="At">When it happened (as the actor recorded it).</param>
    /// <param name="By">Who completed (or started) it.</param>
    public sealed record StepCompletion(Instant At, string By);
}
