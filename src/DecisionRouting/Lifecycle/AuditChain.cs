using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using NodaTime;

namespace DecisionRouting.Lifecycle
{
    /// <summary>
    /// Checks a store's audit trail and takes its head. What a check detects depends on what it is given (see
    /// docs/lifecycle.md, "What audit verify detects"):
    /// <list type="bullet">
    /// <item>Alone: any entry changed, removed from the middle of a chain, or moved, and any case row that disagrees
    /// with its newest entry, unless whoever did it also recomputed the hashes after it (anyone with write access to
    /// the database can, because plain SHA-256 needs no secret); removing the end of a case's trail together with
    /// rolling its row back is not detected.</item>
    /// <item>With a <see cref="AuditVerifyOptions.Key"/>: recomputing is no longer possible without the key, so every
    /// change to an entry or a case row is detected; removing the end of a case's trail with its row rolled back to an
    /// earlier document still is not.</item>
    /// <item>With an <see cref="AuditVerifyOptions.Anchor"/> (a head published earlier): anything up to the anchor,
    /// including removing the end of the trail and a full recompute, is detected.</item>
    /// </list>
    /// </summary>
    public static class AuditChain
    {
        /// <summary>Verifies the whole trail in <paramref name="store"/> with plain hashes and no anchor.</summary>
        public static Task<AuditVerification> VerifyAsync(IProposalStore store, CancellationToken cancellationToken = default) =>
            VerifyAsync(store, null, cancellationToken);

        /// <summary>
        /// Verifies the whole trail: every hash recomputes (under the key, if given), every chain links without gaps, the
        /// format 1 head row matches, every case row matches its newest entry, and (if given) the trail extends the anchor.
        /// </summary>
        public static async Task<AuditVerification> VerifyAsync(IProposalStore store, AuditVerifyOptions? options, CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(store);
            options ??= new AuditVerifyOptions();
            var key = options.Key;
            var anchor = options.Anchor;
            var problems = new List<string>();
            var chains = new Dictionary<string, CaseChain>(StringComparer.Ordinal);
            var anchored = new Dictionary<string, CaseChain>(StringComparer.Ordinal);
            var rows = new HashSet<string>(StringComparer.Ordinal);
            long formatOneExpected = 1, count = 0, last = 0, anchoredEntries = 0, keyedUnchecked = 0, uncovered = 0;
            var formatOnePrevious = AuditEntry.Genesis;
            var seenFormatTwo = false;

            var head = await store.ReadSnapshotAsync(
                entry =>
                {
                    count++;
                    if (entry.Sequence <= last)
                    {
                        problems.Add($"Entry {entry.Sequence} is out of order (it comes after entry {last})");
                    }

                    last = Math.Max(last, entry.Sequence);
                    if (!chains.TryGetValue(entry.CaseId, out var chain))
                    {
                        chains[entry.CaseId] = chain = new CaseChain();
                    }

                    if (entry.Format == 1)
                    {
                        CheckFormatOne(entry, problems, seenFormatTwo, ref formatOneExpected, ref formatOnePrevious);
                        chain.Length++;
                        chain.DocumentHash = null;
                    }
                    else
                    {
                        seenFormatTwo = true;
                        CheckFormatTwo(entry, chain, key, anchor, problems, ref keyedUnchecked);
                        chain.Length = entry.CaseSequence!.Value;
                        chain.DocumentHash = entry.CaseDocumentHash;
                    }

                    chain.Hash = entry.Hash;
                    chain.Last = entry.Sequence;
                    if (anchor is not null && entry.Sequence <= anchor.Sequence)
                    {
                        anchored[entry.CaseId] = new CaseChain { Length = chain.Length, Hash = chain.Hash };
                        anchoredEntries++;
                    }

                    return ValueTask.CompletedTask;
                },
                row =>
                {
                    rows.Add(row.Id);
                    if (!chains.TryGetValue(row.Id, out var chain))
                    {
                        problems.Add($"Case '{row.Id}' has no audit trail: its row was added outside the lifecycle");
                    }
                    else if (row.ChainLength is { } length && (length != chain.Length || !string.Equals(row.ChainHash, chain.Hash, StringComparison.Ordinal)))
                    {
                        // A refusal leaves the document as it was, so removing one from the end shows only here.
                        problems.Add($"Case '{row.Id}''s row records its newest audit entry as its entry {length} ({Short(row.ChainHash ?? string.Empty)}), but its trail ends at its entry {chain.Length} ({Short(chain.Hash)}): entries were removed from the end of its trail, or the row was changed");
                    }
                    else if (chain.DocumentHash is null)
                    {
                        // Written before format 2: no entry commits to the document yet; the case's next entry will.
                        uncovered++;
                    }
                    else if (!string.Equals(chain.DocumentHash, row.DocumentHash, StringComparison.Ordinal))
                    {
                        problems.Add($"Case '{row.Id}' was changed outside the lifecycle: its stored document hashes to {Short(row.DocumentHash)}, but its newest audit entry ({chain.Last}) recorded {Short(chain.DocumentHash)}");
                    }

                    return ValueTask.CompletedTask;
                },
                cancellationToken).ConfigureAwait(false);

            foreach (var (caseId, chain) in chains.Where(c => !rows.Contains(c.Key)).OrderBy(c => c.Key, StringComparer.Ordinal))
            {
                problems.Add($"Case '{caseId}' has {chain.Length} audit entries but no case row: the case was deleted outside the lifecycle");
            }

            var formatOneCount = formatOneExpected - 1;
            if (head.Sequence != formatOneCount || !string.Equals(head.Hash, formatOnePrevious, StringComparison.Ordinal))
            {
                problems.Add($"The store-wide chain's head records entry {head.Sequence} ({Short(head.Hash)}), but the format 1 trail ends at entry {formatOneCount} ({Short(formatOnePrevious)}): entries were removed from the end, or the head was changed");
            }

            if (keyedUnchecked > 0)
            {
                problems.Add($"{keyedUnchecked} entries are keyed (HMAC-SHA256) and no key was given, so their hashes were not checked: give the audit key to verify them");
            }

            if (anchor is not null)
            {
                CheckAnchor(anchor, anchored, anchoredEntries, last, problems);
            }

            return new AuditVerification(count, problems) { CasesNotCovered = uncovered, Anchored = anchor is not null };
        }

        /// <summary>
        /// Takes the trail's head at <see cref="IProposalStore.SealedSequenceAsync"/>: the root over every case chain's
        /// newest entry. It does not verify the trail; verify first, so that a head is never taken of a trail already
        /// tampered with.
        /// </summary>
        public static async Task<AuditHead> HeadAsync(IProposalStore store, TimeProvider? clock = null, CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(store);
            var sealedAt = await store.SealedSequenceAsync(cancellationToken).ConfigureAwait(false);
            var at = Instant.FromDateTimeOffset((clock ?? TimeProvider.System).GetUtcNow());
            var heads = new Dictionary<string, CaseChain>(StringComparer.Ordinal);
            long entries = 0;
            await store.ReadSnapshotAsync(
                entry =>
                {
                    if (entry.Sequence <= sealedAt)
                    {
                        entries++;
                        if (!heads.TryGetValue(entry.CaseId, out var chain))
                        {
                            heads[entry.CaseId] = chain = new CaseChain();
                        }

                        chain.Length = entry.CaseSequence ?? chain.Length + 1;
                        chain.Hash = entry.Hash;
                    }

                    return ValueTask.CompletedTask;
                },
                _ => ValueTask.CompletedTask,
                cancellationToken).ConfigureAwait(false);
            var root = AuditHead.ComputeRoot(sealedAt, entries, heads.Select(h => (h.Key, h.Value.Length, h.Value.Hash)));
            return new AuditHead(sealedAt, entries, heads.Count, root, at);
        }

        private static void CheckFormatOne(AuditEntry entry, List<string> problems, bool seenFormatTwo, ref long expected, ref string previous)
        {
            if (seenFormatTwo)
            {
                problems.Add($"Entry {entry.Sequence} is in the store-wide format 1 after format 2 entries: it was added outside the lifecycle");
            }

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
                problems.Add(Changed(entry, recomputed));
            }

            // Continue from the recorded hash, so one changed entry is reported once, not as a cascade.
            previous = entry.Hash;
            expected = entry.Sequence + 1;
        }

        private static void CheckFormatTwo(AuditEntry entry, CaseChain chain, AuditKey? key, AuditHead? anchor, List<string> problems, ref long keyedUnchecked)
        {
            var place = chain.Length + 1;
            var claimed = entry.CaseSequence!.Value;
            if (claimed != place)
            {
                problems.Add(claimed > place
                    ? $"Case '{entry.CaseId}' is missing its entries {place}–{claimed - 1} (before entry {entry.Sequence})"
                    : $"Entry {entry.Sequence} is out of order in case '{entry.CaseId}': it says it is the case's entry {claimed}, but {chain.Length} came before it");
            }

            if (!string.Equals(entry.PreviousHash, chain.Hash, StringComparison.Ordinal))
            {
                problems.Add($"Entry {entry.Sequence} does not follow case '{entry.CaseId}''s entry before it: its previous hash is {Short(entry.PreviousHash)}, the entry before hashes to {Short(chain.Hash)}");
            }

            if (entry.KeyId is { } keyId)
            {
                if (key is null)
                {
                    keyedUnchecked++;
                    return;
                }

                if (!string.Equals(keyId, key.Id, StringComparison.Ordinal))
                {
                    problems.Add($"Entry {entry.Sequence} was hashed with the audit key {keyId}, not the one given ({key.Id}): give the right key, or it was re-keyed");
                    return;
                }
            }
            else if (key is not null && (anchor is null || entry.Sequence > anchor.Sequence))
            {
                // Someone without the key can rewrite entries with plain SHA-256; with a key, an unkeyed entry is only
                // trusted where an anchor taken before keying was switched on vouches for it.
                problems.Add($"Entry {entry.Sequence} ({Describe(entry)}) is not keyed although a key was given: it was written without the key or rewritten by someone without it");
            }

            var recomputed = entry.ComputeHash(entry.KeyId is null ? null : key);
            if (!string.Equals(recomputed, entry.Hash, StringComparison.Ordinal))
            {
                problems.Add(Changed(entry, recomputed));
            }
        }

        private static void CheckAnchor(AuditHead anchor, Dictionary<string, CaseChain> anchored, long anchoredEntries, long last, List<string> problems)
        {
            var root = AuditHead.ComputeRoot(anchor.Sequence, anchoredEntries, anchored.Select(h => (h.Key, h.Value.Length, h.Value.Hash)));
            if (last < anchor.Sequence || anchoredEntries < anchor.Entries)
            {
                problems.Add($"The trail does not extend the anchor: the anchor covers {anchor.Entries} entries up to entry {anchor.Sequence}, but the trail has {anchoredEntries} of them and ends at entry {last}: entries were removed");
            }
            else if (!string.Equals(root, anchor.Root, StringComparison.Ordinal))
            {
                problems.Add($"The trail does not extend the anchor (entry {anchor.Sequence}, root {Short(anchor.Root)}): its entries up to there give root {Short(root)}, so something up to the anchor was changed, removed, added or recomputed");
            }
        }

        private static string Changed(AuditEntry entry, string recomputed) =>
            $"Entry {entry.Sequence} ({Describe(entry)}) was changed after it was written: its fields hash to {Short(recomputed)}, it records {Short(entry.Hash)}";

        private static string Describe(AuditEntry entry) =>
            $"{entry.Trigger}{(entry.Step is null ? string.Empty : " " + entry.Step)} on case '{entry.CaseId}' by {entry.Actor}";

        private static string Short(string hash) => hash.Length > 12 ? hash[..12] : hash;

        private sealed class CaseChain
        {
            public long Length { get; set; }

            public string Hash { get; set; } = AuditEntry.Genesis;

            public string? DocumentHash { get; set; }

            public long Last { get; set; }
        }
    }

    /// <summary>What <see cref="AuditChain.VerifyAsync(IProposalStore, AuditVerifyOptions?, CancellationToken)"/> checks with.</summary>
    public sealed record AuditVerifyOptions
    {
        /// <summary>
        /// The key the store's entries were hashed with (HMAC-SHA256), if any. With it, every format 2 entry after the
        /// anchor (or every one, without an anchor) must be keyed with it, and its HMAC must recompute.
        /// </summary>
        public AuditKey? Key { get; init; }

        /// <summary>A head published earlier (<see cref="AuditChain.HeadAsync"/>) that the trail must extend.</summary>
        public AuditHead? Anchor { get; init; }
    }

    /// <summary>The result of <see cref="AuditChain.VerifyAsync(IProposalStore, AuditVerifyOptions?, CancellationToken)"/>.</summary>
    /// <param name="Entries">How many entries were checked.</param>
    /// <param name="Problems">What is wrong, in plain English; empty when the trail is intact.</param>
    public sealed record AuditVerification(long Entries, IReadOnlyList<string> Problems)
    {
        /// <summary>Whether the trail is intact.</summary>
        public bool IsIntact => Problems.Count == 0;

        /// <summary>
        /// Cases whose entries all predate format 2, so no entry yet commits to their document: a change to their row is
        /// not detected until their next entry (which commits to the document as it then is).
        /// </summary>
        public long CasesNotCovered { get; init; }

        /// <summary>Whether the trail was checked against an anchor.</summary>
        public bool Anchored { get; init; }
    }
}
