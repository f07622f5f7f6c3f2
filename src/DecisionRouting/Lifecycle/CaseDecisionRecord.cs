using System;
using NodaTime;

namespace DecisionRouting.Lifecycle
{
    /// <summary>
    /// The record of a decision (what was decided, the reasons, the alternatives rejected, the interests declared and
    /// dispensations: SI 2012/2089 reg 12(2), reg 13), given with the trigger that made the decision
    /// (<see cref="TriggerRequest.DecisionRecord"/>) and kept with the case. Its SHA-256 is written into that trigger's
    /// audit entry (<see cref="AuditEntry.Detail"/>), and the case document every later entry commits to holds its
    /// text, so a record changed after the decision fails <see cref="AuditChain"/>'s check of the case row.
    /// </summary>
    /// <param name="Trigger">The trigger it was given with: <c>CompleteStep</c> (of the decision step), <c>Reject</c> or <c>ConfirmDecision</c>.</param>
    /// <param name="At">When that trigger happened, as the actor gave it.</param>
    /// <param name="By">Who fired it.</param>
    /// <param name="Sha256">The SHA-256 (lower-case hex) of <paramref name="Text"/> as UTF-8, as the audit entry records it.</param>
    /// <param name="Text">The record as given: a JSON object in the shape of <c>schemas/decision-record.schema.json</c>.</param>
    public sealed record CaseDecisionRecord(string Trigger, Instant At, string By, string Sha256, string Text)
    {
        /// <summary>The longest record text accepted, in characters (1 MiB): a record is a few paragraphs, and it is hashed on every write of its case.</summary>
        public const int MaxTextLength = 1024 * 1024;

        /// <summary>The words before the record's hash in its audit entry's <see cref="AuditEntry.Detail"/>.</summary>
        public const string DetailPrefix = "Decision record SHA-256 ";

        /// <summary>The audit detail naming this record's hash.</summary>
        public string Detail => DetailPrefix + Sha256;

        /// <summary>Whether <paramref name="entry"/> is the accepted entry that recorded this record (its trigger, time and hash).</summary>
        public bool IsRecordedBy(AuditEntry entry)
        {
            ArgumentNullException.ThrowIfNull(entry);
            return entry.Accepted
                && string.Equals(entry.Trigger, Trigger, StringComparison.Ordinal)
                && entry.At == At
                && entry.Detail is { } detail
                && detail.Contains(Detail, StringComparison.Ordinal);
        }
    }
}
