using System;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using NodaTime;
using NodaTime.Text;

namespace DecisionRouting.Lifecycle
{
    /// <summary>
    /// A record that a store-wide sequence number was taken and never committed: a write that failed after numbering
    /// its entry (recorded by the store itself, <see cref="WriterOrigin"/>), or a writer that died there (recorded by an
    /// operator with <c>decision-routing audit void</c>, <see cref="OperatorOrigin"/>). It explains a gap in the
    /// sequence, which <see cref="AuditChain"/> would otherwise report as entries deleted. Hashed like a format 2 entry:
    /// HMAC-SHA256 under the store's <see cref="AuditKey"/> when it has one, so someone with only the database cannot
    /// forge a void to hide a deleted case in a keyed store; plain SHA-256 otherwise, which anyone can compute.
    /// </summary>
    /// <param name="Sequence">The store-wide sequence number that was not committed (1 or more).</param>
    /// <param name="RecordedAt">When the void was recorded.</param>
    /// <param name="Origin"><see cref="WriterOrigin"/> or <see cref="OperatorOrigin"/>.</param>
    /// <param name="Reason">Why: the failure the writer saw (exception type and message), or the operator's reason.</param>
    /// <param name="KeyId">The <see cref="AuditKey.Id"/> of the key whose HMAC is <see cref="Hash"/>; null when plain SHA-256.</param>
    /// <param name="Hash">SHA-256, or HMAC-SHA256 under the key, of the other fields (lower-case hex).</param>
    public sealed record AuditVoid(long Sequence, Instant RecordedAt, string Origin, string Reason, string? KeyId, string Hash)
    {
        /// <summary>Origin of a void the store recorded itself when a write failed after taking its number.</summary>
        public const string WriterOrigin = "writer";

        /// <summary>Origin of a void an operator recorded (<c>decision-routing audit void</c>) for a writer that died.</summary>
        public const string OperatorOrigin = "operator";

        /// <summary>The longest reason kept, in characters; a longer one is cut there.</summary>
        public const int MaxReasonLength = 2000;

        /// <summary>A void for <paramref name="sequence"/>, hashed under <paramref name="key"/> when one is given.</summary>
        /// <exception cref="ArgumentOutOfRangeException"><paramref name="sequence"/> is below 1.</exception>
        /// <exception cref="ArgumentException"><paramref name="origin"/> is not one of the two origins, or the reason is empty.</exception>
        public static AuditVoid Create(long sequence, Instant recordedAt, string origin, string reason, AuditKey? key)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(sequence, 1);
            ArgumentException.ThrowIfNullOrWhiteSpace(reason);
            if (origin is not (WriterOrigin or OperatorOrigin))
            {
                throw new ArgumentException($"A void's origin is '{WriterOrigin}' or '{OperatorOrigin}', not '{origin}'", nameof(origin));
            }

            var kept = reason.Length > MaxReasonLength ? reason[..MaxReasonLength] : reason;
            var placed = new AuditVoid(sequence, recordedAt, origin, kept, key?.Id, string.Empty);
            return placed with { Hash = placed.ComputeHash(key) };
        }

        /// <summary>
        /// The hash this void must carry: its fields length-prefixed (so no text in the reason can move a boundary) under a
        /// label of its own (so no entry's hash can be passed off as a void's), with <paramref name="key"/> as HMAC-SHA256.
        /// </summary>
        public string ComputeHash(AuditKey? key)
        {
            var canonical = new StringBuilder("decision-routing audit void/1");
            foreach (var field in new[] { Sequence.ToString(CultureInfo.InvariantCulture), InstantPattern.ExtendedIso.Format(RecordedAt), Origin, Reason, KeyId })
            {
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

        /// <summary>What the void says, for a listing: "writer failed: …" or "recorded by an operator: …".</summary>
        public string Describe() =>
            Origin == WriterOrigin ? $"writer failed: {Reason}" : Origin == OperatorOrigin ? $"recorded by an operator: {Reason}" : $"{Origin}: {Reason}";
    }
}
