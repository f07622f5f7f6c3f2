using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace DecisionRouting.Lifecycle
{
    /// <summary>Checks a store's audit trail: every hash recomputes, every link holds, no gap, and the head matches.</summary>
    public static class AuditChain
    {
        /// <summary>Verifies the whole chain in <paramref name="store"/>.</summary>
        public static async Task<AuditVerification> VerifyAsync(IProposalStore store, CancellationToken cancellationToken = default)
        {
            if (store is null)
            {
                throw new ArgumentNullException(nameof(store));
            }

            var problems = new List<string>();
            long expected = 1;
            var previous = AuditEntry.Genesis;
            await foreach (var entry in store.ReadAuditAsync(cancellationToken).ConfigureAwait(false))
            {
                if (entry.Sequence != expected)
                {
                    problems.Add(entry.Sequence > expected
                        ? $"Entries {expected}–{entry.Sequence - 1} are missing"
                        : $"Entry {entry.Sequence} is out of order (expected {expected})");
                }

                if (!string.Equals(entry.PreviousHash, previous, StringComparison.Ordinal))
                {
                    problems.Add($"Entry {entry.Sequence} does not follow the entry before it: its previous hash is {Short(entry.PreviousHash)}, the entry before hashes to {Short(previous)}");
                }

                var recomputed = entry.ComputeHash();
                if (!string.Equals(recomputed, entry.Hash, StringComparison.Ordinal))
                {
                    problems.Add($"Entry {entry.Sequence} ({entry.Trigger}{(entry.Step is null ? string.Empty : " " + entry.Step)} on case '{entry.CaseId}' by {entry.Actor}) was changed after it was written: its fields hash to {Short(recomputed)}, it records {Short(entry.Hash)}");
                }

                // Continue from the recorded hash, so one changed entry is reported once, not as a cascade.
                previous = entry.Hash;
                expected = entry.Sequence + 1;
            }

            var head = await store.HeadAsync(cancellationToken).ConfigureAwait(false);
            var count = expected - 1;
            if (head.Sequence != count || !string.Equals(head.Hash, previous, StringComparison.Ordinal))
            {
                problems.Add($"The chain's head records entry {head.Sequence} ({Short(head.Hash)}), but the trail ends at entry {count} ({Short(previous)}): entries were removed from the end, or the head was changed");
            }

            return new AuditVerification(count, problems);
        }

        private static string Short(string hash) => hash.Length > 12 ? hash[..12] : hash;
    }

    /// <summary>The result of <see cref="AuditChain.VerifyAsync"/>.</summary>
    /// <param name="Entries">How many entries were checked.</param>
    /// <param name="Problems">What is wrong, in plain English; empty when the chain is intact.</param>
    public sealed record AuditVerification(long Entries, IReadOnlyList<string> Problems)
    {
        /// <summary>Whether the chain is intact.</summary>
        public bool IsIntact => Problems.Count == 0;
    }
}
