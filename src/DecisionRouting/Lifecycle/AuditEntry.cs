using System;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using NodaTime;
using NodaTime.Text;

namespace DecisionRouting.Lifecycle
{
    /// <summary>
    /// One trigger fired at a case, accepted or refused: who, when, what, from and to, why not, and the hash of the
    /// rule set the plan came from. Entries form one hash chain across the store: each hash covers the entry's fields
    /// and the previous entry's hash, so changing, removing or reordering any entry is detected by
    /// <see cref="AuditChain"/>.
    /// </summary>
    public sealed record AuditEntry
    {
        /// <summary>The hash before the first entry.</summary>
        public const string Genesis = "0000000000000000000000000000000000000000000000000000000000000000";

        /// <summary>The entry's place in the chain, from 1; 0 until a store appends it.</summary>
        public long Sequence { get; init; }

        /// <summary>The case acted on.</summary>
        public required string CaseId { get; init; }

        /// <summary>When the act happened, as the actor gave it.</summary>
        public required Instant At { get; init; }

        /// <summary>When it was recorded (the clock), so back-dated entries show.</summary>
        public required Instant RecordedAt { get; init; }

        /// <summary>Who acted.</summary>
        public required string Actor { get; init; }

        /// <summary>The roles they acted in, comma-separated.</summary>
        public required string Roles { get; init; }

        /// <summary>The trigger (<see cref="CaseTrigger"/> name, or <c>Create</c>).</summary>
        public required string Trigger { get; init; }

        /// <summary>The step, for <see cref="CaseTrigger.CompleteStep"/>.</summary>
        public string? Step { get; init; }

        /// <summary>The state before.</summary>
        public required CaseState From { get; init; }

        /// <summary>The state after (the same as <see cref="From"/> when refused).</summary>
        public required CaseState To { get; init; }

        /// <summary>Whether the trigger was accepted.</summary>
        public required bool Accepted { get; init; }

        /// <summary>Why it was refused, or a note on what was done (a new decision date).</summary>
        public string? Detail { get; init; }

        /// <summary>The hash of the rule set the case's plan came from.</summary>
        public required string RuleSetHash { get; init; }

        /// <summary>The previous entry's hash (<see cref="Genesis"/> for the first).</summary>
        public string PreviousHash { get; init; } = string.Empty;

        /// <summary>This entry's hash.</summary>
        public string Hash { get; init; } = string.Empty;

        /// <summary>This entry placed in the chain at <paramref name="sequence"/> after <paramref name="previousHash"/>, with its hash computed.</summary>
        public AuditEntry ChainedAfter(long sequence, string previousHash)
        {
            var placed = this with { Sequence = sequence, PreviousHash = previousHash };
            return placed with { Hash = placed.ComputeHash() };
        }

        /// <summary>The hash this entry must carry, from its fields and the previous hash.</summary>
        public string ComputeHash()
        {
            // Unit separators between fields, so no two different entries share a canonical form.
            var canonical = string.Join(
                "\u001f",
                Sequence.ToString(CultureInfo.InvariantCulture),
                CaseId,
                InstantPattern.ExtendedIso.Format(At),
                InstantPattern.ExtendedIso.Format(RecordedAt),
                Actor,
                Roles,
                Trigger,
                Step ?? string.Empty,
                From.ToString(),
                To.ToString(),
                Accepted ? "1" : "0",
                Detail ?? string.Empty,
                RuleSetHash,
                PreviousHash);
            return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(canonical))).ToLowerInvariant();
        }
    }
}
