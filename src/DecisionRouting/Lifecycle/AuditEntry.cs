using System;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Serialization;
using NodaTime;
using NodaTime.Text;

namespace DecisionRouting.Lifecycle
{
    /// <summary>
    /// One trigger fired at a case, accepted or refused: who, when, what, from and to, why not, the hash of the rule set
    /// the plan came from, and (format 2) the hash of the case document the entry left behind.
    /// <para>
    /// Format 2 entries (<see cref="CaseSequence"/> set) form one hash chain per case: each hash covers the entry's
    /// fields, its store-wide <see cref="Sequence"/>, its place in the case's chain, the case document's hash and the
    /// previous entry of the same case; with an <see cref="AuditKey"/> it is an HMAC. Format 1 entries (written before
    /// format 2; <see cref="CaseSequence"/> null) form one chain across the store. <see cref="AuditChain"/> checks both.
    /// </para>
    /// </summary>
    [JsonConverter(typeof(Serialization.AuditEntryConverter))]
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

        /// <summary>
        /// Format 2: the entry's place in its case's chain, from 1 (the case's first entry, <c>Create</c>). Null for a
        /// format 1 entry, which was chained across the whole store.
        /// </summary>
        public long? CaseSequence { get; init; }

        /// <summary>
        /// Format 2: the SHA-256 (lower-case hex) of the case document (<see cref="CaseJson.Write"/>, UTF-8) as this entry
        /// left it: the new document for an accepted trigger, the unchanged one for a refusal. So the trail covers the
        /// case: a case row that disagrees with its newest entry was changed outside the lifecycle. Null for format 1.
        /// </summary>
        public string? CaseDocumentHash { get; init; }

        /// <summary>The <see cref="AuditKey.Id"/> of the key whose HMAC is <see cref="Hash"/>; null when the hash is plain SHA-256.</summary>
        public string? KeyId { get; init; }

        /// <summary>1 for an entry chained across the store (written before format 2), 2 for an entry chained within its case.</summary>
        public int Format => CaseSequence is null ? 1 : 2;

        /// <summary>The SHA-256 (lower-case hex) of a case document's UTF-8 text, as <see cref="CaseDocumentHash"/> records it.</summary>
        public static string HashDocument(string document)
        {
            ArgumentNullException.ThrowIfNull(document);

            // Documents run to tens of KB and are hashed on every write and by verify: encode in pooled chunks, so the
            // memory used does not grow with the document, and no length (however damaged the store) overflows a count.
            const int Chunk = 16 * 1024;
            var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(Chunk));
            try
            {
                using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
                var encoder = Encoding.UTF8.GetEncoder();
                for (var start = 0; start < document.Length || start == 0; start += Chunk)
                {
                    var chars = document.AsSpan(start, Math.Min(Chunk, document.Length - start));
                    var length = encoder.GetBytes(chars, buffer, flush: start + Chunk >= document.Length);
                    hash.AppendData(buffer, 0, length);
                }

                return Convert.ToHexString(hash.GetHashAndReset()).ToLowerInvariant();
            }
            finally
            {
                System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
            }
        }

        /// <summary>Format 1: this entry placed in the store-wide chain at <paramref name="sequence"/> after <paramref name="previousHash"/>, with its hash computed.</summary>
        public AuditEntry ChainedAfter(long sequence, string previousHash)
        {
            var placed = this with { Sequence = sequence, PreviousHash = previousHash, CaseSequence = null, CaseDocumentHash = null, KeyId = null };
            return placed with { Hash = placed.ComputeHash() };
        }

        /// <summary>
        /// Format 2: this entry placed at store-wide <paramref name="sequence"/> and at <paramref name="caseSequence"/> in
        /// its case's chain after <paramref name="previousHash"/> (the case's previous entry, or <see cref="Genesis"/>),
        /// committing to the case document hash <paramref name="caseDocumentHash"/>; hashed with HMAC-SHA256 under
        /// <paramref name="key"/> when one is given, else SHA-256.
        /// </summary>
        public AuditEntry ChainedInCase(long sequence, long caseSequence, string previousHash, string caseDocumentHash, AuditKey? key)
        {
            ArgumentNullException.ThrowIfNull(previousHash);
            ArgumentNullException.ThrowIfNull(caseDocumentHash);
            var placed = this with { Sequence = sequence, CaseSequence = caseSequence, PreviousHash = previousHash, CaseDocumentHash = caseDocumentHash, KeyId = key?.Id };
            return placed with { Hash = placed.ComputeHash(key) };
        }

        /// <summary>
        /// The hash this entry must carry. Format 1: SHA-256 of its fields and the previous hash. Format 2: SHA-256, or
        /// with <paramref name="key"/> HMAC-SHA256, of its fields, sequences, case document hash, key id and previous hash.
        /// </summary>
        public string ComputeHash(AuditKey? key)
        {
            if (CaseSequence is not { } caseSequence)
            {
                return ComputeHash();
            }

            // Each field is length-prefixed, so no text in a field (not even a separator) can move a boundary: two
            // different entries never share a canonical form. Format 1 joined fields with U+001F, which an actor name
            // or detail containing U+001F could shift.
            var canonical = new StringBuilder("decision-routing audit entry/2");
            foreach (var field in new string?[]
            {
                Sequence.ToString(CultureInfo.InvariantCulture),
                caseSequence.ToString(CultureInfo.InvariantCulture),
                CaseId,
                InstantPattern.ExtendedIso.Format(At),
                InstantPattern.ExtendedIso.Format(RecordedAt),
                Actor,
                Roles,
                Trigger,
                Step,
                From.ToString(),
                To.ToString(),
                Accepted ? "1" : "0",
                Detail,
                RuleSetHash,
                CaseDocumentHash,
                KeyId,
                PreviousHash,
            })
            {
                // A missing value ("-") differs from an empty one ("0:").
                if (field is null)
                {
                    canonical.Append("|-");
                }
                else
                {
                    canonical.Append('|').Append(field.Length.ToString(CultureInfo.InvariantCulture)).Append(':').Append(field);
                }
            }

            var bytes = Encoding.UTF8.GetBytes(canonical.ToString());
            return key is null ? Convert.ToHexString(SHA256.HashData(bytes)).ToLowerInvariant() : key.Hash(bytes);
        }

        /// <summary>The hash a format 1 entry must carry, from its fields and the previous hash (SHA-256, never keyed).</summary>
        public string ComputeHash()
        {
            if (CaseSequence is not null)
            {
                return ComputeHash(null);
            }

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
