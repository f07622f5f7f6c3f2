using System.Collections.Generic;
using System.Text.Json.Serialization;
using NodaTime;

namespace DecisionRouting.Lifecycle
{
    /// <summary>What has happened to a case, what may happen next, and who may do it.</summary>
    [JsonConverter(typeof(Serialization.CaseStatusConverter))]
    public sealed record CaseStatus
    {
        /// <summary>The case as stored.</summary>
        public required ProposalCase Case { get; init; }

        /// <summary>The moment the status was worked out for.</summary>
        public required Instant At { get; init; }

        /// <summary>Triggers that may be fired now, by someone holding one of their roles.</summary>
        public required IReadOnlyList<PermittedTrigger> Permitted { get; init; }

        /// <summary>Triggers of the current state that may not be fired yet, with the reasons.</summary>
        public required IReadOnlyList<BlockedTrigger> Blocked { get; init; }

        /// <summary>Steps of the plan not yet complete.</summary>
        public required IReadOnlyList<string> Outstanding { get; init; }

        /// <summary>When the call-in period closes (or closed), once the decision is made and the period is known.</summary>
        public ZonedDateTime? CallInCloses { get; init; }
    }

    /// <summary>A trigger that may be fired now.</summary>
    /// <param name="Trigger">The trigger.</param>
    /// <param name="Step">The step it completes, if any.</param>
    /// <param name="Roles">Roles allowed to fire it.</param>
    public sealed record PermittedTrigger(CaseTrigger Trigger, string? Step, IReadOnlyList<string> Roles);

    /// <summary>A trigger that may not be fired yet.</summary>
    /// <param name="Trigger">The trigger.</param>
    /// <param name="Step">The step it would complete, if any.</param>
    /// <param name="Roles">Roles allowed to fire it once unblocked.</param>
    /// <param name="Reasons">Why not yet, in plain English.</param>
    public sealed record BlockedTrigger(CaseTrigger Trigger, string? Step, IReadOnlyList<string> Roles, IReadOnlyList<string> Reasons);

    /// <summary>The result of firing a trigger: accepted with the updated case, or refused with the reasons.</summary>
    /// <param name="Accepted">Whether the trigger was accepted.</param>
    /// <param name="Case">The case after the trigger (unchanged when refused).</param>
    /// <param name="Reasons">Why it was refused, in plain English; empty when accepted.</param>
    /// <param name="Audit">The audit entry recording it.</param>
    [JsonConverter(typeof(Serialization.FireOutcomeConverter))]
    public sealed record FireOutcome(bool Accepted, ProposalCase Case, IReadOnlyList<string> Reasons, AuditEntry Audit);
}
