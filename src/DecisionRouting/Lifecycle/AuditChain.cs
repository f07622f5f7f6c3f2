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
    /// <item>Voids (<see cref="AuditVoid"/>): a gap every number of which a valid void covers is not a problem, and
    /// each valid void is listed in <see cref="AuditVerification.Voids"/>. A void on a number that holds an entry, one
    /// whose hash does not recompute, one keyed with another key, and, with the key or the store's key mark, an unkeyed
    /// one (unless an anchor covers its number) is a problem, and covers nothing. Without a key anyone can compute a
    /// void; with one, nobody without it can.</item>
    /// <item>In every mode: whatever the store reports as damage while reading its snapshot (a value stored otherwise
    /// than it writes it, a case row column that disagrees with its document), and a case row whose record of its newest
    /// entry's document or of when it last changed disagrees with its trail.</item>
    /// <item>In every mode: a gap in the store-wide sequence not covered by voids (a whole case removed, unless it was the newest), an entry in
    /// format 1 at or after the point the store records it moved to format 2 (<see cref="AuditStoreMarks"/>), and a
    /// hand-edited <c>store_meta</c>. With the key, or while the store's key mark is there, an unkeyed entry at or after
    /// the first keyed one.</item>
    /// </list>
    /// </summary>
    public static class AuditChain
    {
        // RS0026: both overloads predate the pinned API and differ in a required parameter, so no call is ambiguous;
        // new overloads must not add optional parameters (docs/versioning.md).
#pragma warning disable RS0026
        /// <summary>Verifies the whole trail in <paramref name="store"/> with plain hashes and no anchor.</summary>
        public static Task<AuditVerification> VerifyAsync(IProposalStore store, CancellationToken cancellationToken = default) =>
            VerifyAsync(store, null, cancellationToken);

        /// <summary>
        /// Verifies the whole trail: every hash recomputes (under the key, if given), every chain links without gaps, the
        /// store-wide sequence has no gaps up to the sealed point, no entry is older in format or keying than the store
        /// records it became (<see cref="AuditStoreMarks"/>), the format 1 head row matches, every case row matches its
        /// newest entry, and (if given) the trail extends the anchor.
        /// </summary>
        public static async Task<AuditVerification> VerifyAsync(IProposalStore store, AuditVerifyOptions? options, CancellationToken cancellationToken = default)
#pragma warning restore RS0026
        {
            ArgumentNullException.ThrowIfNull(store);
            options ??= new AuditVerifyOptions();
            var key = options.Key;
            var anchor = options.Anchor;
            var problems = new List<string>();
            var chains = new Dictionary<string, CaseChain>(StringComparer.Ordinal);
            var anchored = new Dictionary<string, CaseChain>(StringComparer.Ordinal);
            var rows = new HashSet<string>(StringComparer.Ordinal);
            long count = 0, last = 0, anchoredEntries = 0, keyedUnchecked = 0, uncovered = 0, lastFormatOne = 0, formatTwoEntries = 0;
            var formatOnePrevious = AuditEntry.Genesis;
            var seenFormatTwo = false;
            var downgraded = new List<AuditEntry>();
            var unkeyed = new List<AuditEntry>();
            var keyIds = new SortedSet<string>(StringComparer.Ordinal);
            var gaps = new List<(long From, long To)>();

            // Every number at or below the sealed point has committed or never will, so a gap there is entries removed.
            // Taken before the snapshot; above it, a number may still be in flight (PostgreSQL numbers in parallel).
            var sealedAt = await store.SealedSequenceAsync(cancellationToken).ConfigureAwait(false);

            // Marks are written once and never changed by the lifecycle, so reading them beside the snapshot is safe.
            var marks = await ReadOrReportAsync(() => store.ReadMarksAsync(cancellationToken), AuditStoreMarks.None, problems).ConfigureAwait(false);
            var rules = StoreRules.From(marks, key, problems);

            var head = await store.ReadSnapshotAsync(
                entry =>
                {
                    count++;
                    if (entry.Sequence <= last)
                    {
                        problems.Add($"Entry {entry.Sequence} is out of order (it comes after entry {last})");
                    }
                    else if (entry.Sequence > last + 1)
                    {
                        // Every gap is kept, sealed or not, so that a void can be told from one on an entry; only those
                        // at or below the sealed point are reported, after the voids are read.
                        gaps.Add((last + 1, entry.Sequence - 1));
                    }

                    last = Math.Max(last, entry.Sequence);
                    if (!chains.TryGetValue(entry.CaseId, out var chain))
                    {
                        chains[entry.CaseId] = chain = new CaseChain();
                    }

                    if (entry.KeyId is { } id)
                    {
                        keyIds.Add(id);
                    }

                    var unkeyedHere = entry.KeyId is null && !rules.MayBeUnkeyed(entry.Sequence, anchor);
                    if (entry.Format == 1)
                    {
                        if (rules.FormatTwoFrom is { } from && entry.Sequence >= from)
                        {
                            // Rewritten as format 1 after the store moved to format 2: unkeyed and uncovered by design.
                            downgraded.Add(entry);
                            unkeyedHere = false;
                        }
                        else if (seenFormatTwo)
                        {
                            problems.Add($"Entry {entry.Sequence} is in the store-wide format 1 after format 2 entries: it was added outside the lifecycle");
                        }

                        CheckFormatOne(entry, problems, ref formatOnePrevious);
                        lastFormatOne = entry.Sequence;
                        chain.Length++;
                        chain.DocumentHash = null;
                    }
                    else
                    {
                        seenFormatTwo = true;
                        formatTwoEntries++;
                        CheckFormatTwo(entry, chain, key, problems, ref keyedUnchecked);
                        chain.Length = entry.CaseSequence!.Value;
                        chain.DocumentHash = entry.CaseDocumentHash;
                    }

                    if (unkeyedHere)
                    {
                        unkeyed.Add(entry);
                    }

                    chain.Hash = entry.Hash;
                    chain.Last = entry.Sequence;
                    if (entry.Accepted)
                    {
                        // Only an accepted trigger (or the creation) writes the case row; a refusal leaves it as it was.
                        chain.ChangedAt = entry.RecordedAt;
                        chain.Changed = entry.Sequence;
                    }

                    if (anchor is not null && entry.Sequence <= anchor.Sequence)
                    {
                        anchored[entry.CaseId] = new CaseChain { Length = chain.Length, Hash = chain.Hash };
                        anchoredEntries++;
                    }

                    return ValueTask.CompletedTask;
                },
                row =>
                {
                    if (!rows.Add(row.Id))
                    {
                        // Only possible when the id is stored as another type too (SQLite): the key does not see them as one.
                        problems.Add($"Case '{row.Id}' has more than one row: one was added outside the lifecycle, and which one a command finds depends on how it asks. Restore the store from a backup");
                    }

                    if (chains.TryGetValue(row.Id, out var known) && row.NotRead.Count == 0)
                    {
                        CheckRowColumns(row, known, problems);
                    }

                    CaseChain? chain = null;
                    if (row.NotRead.Count > 0)
                    {
                        // The store reported why (too large); a value it did not read is never hashed or compared, so
                        // the report cannot show a hash of nothing as if it were the document's.
                        var plural = row.NotRead.Count > 1;
                        problems.Add($"{(row.NotRead.Contains("id") ? "A case row" : $"Case '{row.Id}''s row")} was not checked against its audit trail: its column{(plural ? "s" : string.Empty)} {string.Join(", ", row.NotRead)} {(plural ? "were" : "was")} not read (see above), so {(plural ? "they were" : "it was")} neither hashed nor compared");
                    }
                    else if (!chains.TryGetValue(row.Id, out chain))
                    {
                        problems.Add($"Case '{row.Id}' has no audit trail: its row was added outside the lifecycle");
                    }
                    else if (row.ChainLength is { } length && (length != chain!.Length || !string.Equals(row.ChainHash, chain.Hash, StringComparison.Ordinal)))
                    {
                        // A refusal leaves the document as it was, so removing one from the end shows only here.
                        problems.Add($"Case '{row.Id}''s row records its newest audit entry as its entry {length} ({Short(row.ChainHash ?? string.Empty)}), but its trail ends at its entry {chain.Length} ({Short(chain.Hash)}): entries were removed from the end of its trail, or the row was changed");
                    }
                    else if (chain!.DocumentHash is null)
                    {
                        // Written before format 2: no entry commits to the document yet; the case's next entry will.
                        uncovered++;
                    }
                    else if (!string.Equals(chain.DocumentHash, row.DocumentHash, StringComparison.Ordinal))
                    {
                        problems.Add($"Case '{row.Id}' was changed outside the lifecycle: its stored document hashes to {Short(row.DocumentHash ?? "(not read)")}, but its newest audit entry ({chain.Last}) recorded {Short(chain.DocumentHash)}");
                    }

                    return ValueTask.CompletedTask;
                },
                damage =>
                {
                    problems.Add(damage);
                    return ValueTask.CompletedTask;
                },
                cancellationToken).ConfigureAwait(false);

            // Read after the snapshot: a write that failed records its void just after it rolls back, so this sees every
            // void for a gap the snapshot shows, or nearly; and no void can be for an entry committed since (the store
            // checks under the seal that the number holds no entry, and it never will).
            var voids = await ReadOrReportAsync(() => store.ReadVoidsAsync(cancellationToken), Array.Empty<AuditVoid>(), problems).ConfigureAwait(false);
            var listed = CheckVoids(voids, gaps, last, key, rules, anchor, problems, keyIds, out var covering, out var voidsUnchecked);
            foreach (var (from, to) in gaps.Where(g => g.From <= sealedAt))
            {
                foreach (var (a, b) in Uncovered(from, to, covering))
                {
                    problems.Add(Gap(a, b));
                }
            }

            if (voidsUnchecked > 0)
            {
                problems.Add($"{voidsUnchecked} voids are keyed (HMAC-SHA256) and no key was given, so they were not checked: give the audit key to verify them");
            }

            foreach (var (caseId, chain) in chains.Where(c => !rows.Contains(c.Key)).OrderBy(c => c.Key, StringComparer.Ordinal))
            {
                problems.Add($"Case '{caseId}' has {chain.Length} audit entries but no case row: the case was deleted outside the lifecycle");
            }

            if (head.Sequence != lastFormatOne || !string.Equals(head.Hash, formatOnePrevious, StringComparison.Ordinal))
            {
                problems.Add($"The store-wide chain's head records entry {head.Sequence} ({Short(head.Hash)}), but the format 1 trail ends at entry {lastFormatOne} ({Short(formatOnePrevious)}): entries were removed from the end, or the head was changed");
            }

            ReportEach(
                problems,
                downgraded,
                e => $"Entry {e.Sequence} ({Describe(e)}) is in audit format 1 (store-wide chain, not keyed, covering no case document), but the store moved to format 2 from entry {rules.FormatTwoFrom}{rules.FormatTwoSource}: it was rewritten as an old-format entry by someone with the database (a downgrade)",
                n => $"{n} more entries after those are in format 1 too (rewritten as old-format entries)");
            ReportEach(
                problems,
                unkeyed,
                e => $"Entry {e.Sequence} ({Describe(e)}) is not keyed although {(key is null ? "the store records it was keyed" : "a key was given")}{rules.KeyedSince}: it was written without the key or rewritten by someone without it",
                n => $"{n} more entries after those are not keyed either");

            if (count > 0 && formatTwoEntries == 0 && rules.ClaimsFormatTwo && rules.FormatTwoFrom is null && !rules.HasMark)
            {
                problems.Add($"The store is at schema version 2 (store_meta), which writes only format 2 entries, yet all {count} entries are in format 1 and no format 2 starting point is recorded: the whole trail was rewritten as old-format entries (a downgrade)");
            }

            if (keyedUnchecked > 0)
            {
                problems.Add($"{keyedUnchecked} entries are keyed (HMAC-SHA256) and no key was given, so their hashes were not checked: give the audit key to verify them");
            }

            if (keyIds.Count > 1)
            {
                problems.Add($"Entries are keyed with {keyIds.Count} different audit keys ({string.Join(", ", keyIds)}): a store is only ever keyed with one, so entries were copied in from elsewhere or re-keyed");
            }

            if (anchor is not null)
            {
                CheckAnchor(anchor, anchored, anchoredEntries, last, problems);
            }

            return new AuditVerification(count, problems) { CasesNotCovered = uncovered, Anchored = anchor is not null, Voids = listed };
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

                // Damage is verify's to report; a head is only taken of a trail that verified.
                _ => ValueTask.CompletedTask,
                cancellationToken).ConfigureAwait(false);
            var root = AuditHead.ComputeRoot(sealedAt, entries, heads.Select(h => (h.Key, h.Value.Length, h.Value.Hash)));
            return new AuditHead(sealedAt, entries, heads.Count, root, at);
        }

        /// <summary>
        /// The row's own record of its chain that the chain checks above do not read: the document hash the next refusal
        /// will commit to, and when the case last changed. Both are written only with an entry, so they must match it.
        /// </summary>
        private static void CheckRowColumns(StoredCase row, CaseChain chain, List<string> problems)
        {
            if (row.ChainLength is not null && !string.Equals(row.ChainDocumentHash, chain.DocumentHash, StringComparison.Ordinal))
            {
                problems.Add($"Case '{row.Id}''s row records the document hash of its newest audit entry (column chain_doc_hash) as {Shown(row.ChainDocumentHash)}, but that entry ({chain.Last}) recorded {Shown(chain.DocumentHash)}: the row was changed outside the lifecycle (status and fire refuse the case until it is put right). Set chain_doc_hash back to {(chain.DocumentHash is null ? "NULL" : $"'{chain.DocumentHash}'")} if nothing else is reported for the case; otherwise restore the store from a backup");
            }

            if (row.UpdatedAt is { } updated && chain.ChangedAt is { } changed && updated != changed)
            {
                var written = NodaTime.Text.InstantPattern.ExtendedIso.Format(changed);
                problems.Add($"Case '{row.Id}''s row says it last changed at {NodaTime.Text.InstantPattern.ExtendedIso.Format(updated)} (column updated_at), but its newest accepted audit entry ({chain.Changed}) was recorded at {written}: the row was changed outside the lifecycle. Set updated_at back to '{written}' if nothing else is reported for the case; otherwise restore the store from a backup");
            }

            static string Shown(string? hash) => hash is null ? "NULL" : Short(hash);
        }

        /// <summary>A read beside the snapshot; a row it cannot read is reported among the problems instead of ending the check.</summary>
        private static async Task<T> ReadOrReportAsync<T>(Func<Task<T>> read, T none, List<string> problems)
        {
            try
            {
                return await read().ConfigureAwait(false);
            }
            catch (CorruptCaseException e)
            {
                problems.Add(e.Message);
                return none;
            }
        }

        private static void CheckFormatOne(AuditEntry entry, List<string> problems, ref string previous)
        {
            if (entry.CaseDocumentHash is not null || entry.KeyId is not null)
            {
                problems.Add($"Entry {entry.Sequence} ({Describe(entry)}) has no place in a case's chain (case_seq is empty) yet carries format 2 fields (a case document hash or a key id): its case_seq was removed by hand");
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
        }

        private static void CheckFormatTwo(AuditEntry entry, CaseChain chain, AuditKey? key, List<string> problems, ref long keyedUnchecked)
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

            if (entry.CaseDocumentHash is null)
            {
                // The lifecycle always commits a format 2 entry to a document; without one, an edited case row goes unseen.
                problems.Add($"Entry {entry.Sequence} ({Describe(entry)}) is in format 2 but commits to no case document (case_doc_hash is empty): the commitment was removed by hand, so the case's row is not covered");
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

            var recomputed = entry.ComputeHash(entry.KeyId is null ? null : key);
            if (!string.Equals(recomputed, entry.Hash, StringComparison.Ordinal))
            {
                problems.Add(Changed(entry, recomputed));
            }
        }

        /// <summary>
        /// Checks every void: it must be on a number that holds no entry, and its hash must recompute (under the key when
        /// keyed). With a key, or a key mark, it must be keyed, unless an anchor covers its number (the anchor already
        /// vouches for every entry up to there). Returns the voids that verify; <paramref name="covering"/> gets their
        /// numbers, plus those of keyed voids that could not be checked without the key (already reported as unchecked).
        /// </summary>
        private static IReadOnlyList<AuditVoid> CheckVoids(IReadOnlyList<AuditVoid> voids, List<(long From, long To)> gaps, long last, AuditKey? key, StoreRules rules, AuditHead? anchor, List<string> problems, SortedSet<string> keyIds, out SortedSet<long> covering, out long notChecked)
        {
            covering = new SortedSet<long>();
            notChecked = 0;
            var valid = new List<AuditVoid>();
            foreach (var record in voids)
            {
                var described = $"The void for sequence {record.Sequence} ({record.Describe()})";
                if (record.Sequence < 1)
                {
                    problems.Add($"{described} is for no number the store gives: it was added by hand");
                    continue;
                }

                if (record.Sequence <= last && !gaps.Any(g => g.From <= record.Sequence && record.Sequence <= g.To))
                {
                    problems.Add($"{described} is on a number that holds an entry: a void only ever records a number taken and never committed, so it was added by hand");
                    continue;
                }

                if (record.KeyId is { } keyId)
                {
                    keyIds.Add(keyId);
                    if (key is null)
                    {
                        notChecked++;
                        covering.Add(record.Sequence);
                        continue;
                    }

                    if (!string.Equals(keyId, key.Id, StringComparison.Ordinal))
                    {
                        problems.Add($"{described} was hashed with the audit key {keyId}, not the one given ({key.Id}): give the right key, or it was forged");
                        continue;
                    }
                }
                else if (!rules.MayVoidUnkeyed(record.Sequence, anchor))
                {
                    problems.Add($"{described} is not keyed although {(key is null ? "the store records it was keyed" : "a key was given")}: only the key's holder can record a void, so it was forged by someone without the key (to hide a deletion)");
                    continue;
                }

                if (!string.Equals(record.ComputeHash(record.KeyId is null ? null : key), record.Hash, StringComparison.Ordinal))
                {
                    problems.Add($"{described} does not verify{(record.KeyId is null ? string.Empty : " under the key")}: it was changed or forged after it was written");
                    continue;
                }

                covering.Add(record.Sequence);
                valid.Add(record);
            }

            return valid;
        }

        /// <summary>The parts of <paramref name="from"/>–<paramref name="to"/> no void covers, as ranges.</summary>
        private static IEnumerable<(long From, long To)> Uncovered(long from, long to, SortedSet<long> covering)
        {
            var start = from;
            foreach (var number in covering.GetViewBetween(from, to))
            {
                if (number > start)
                {
                    yield return (start, number - 1);
                }

                start = number + 1;
            }

            if (start <= to)
            {
                yield return (start, to);
            }
        }

        /// <summary>The first few entries of one kind one by one, then how many more: a rewritten trail of thousands stays readable.</summary>
        private static void ReportEach(List<string> problems, List<AuditEntry> entries, Func<AuditEntry, string> one, Func<int, string> more)
        {
            const int Shown = 5;
            foreach (var entry in entries.Take(Shown))
            {
                problems.Add(one(entry));
            }

            if (entries.Count > Shown)
            {
                problems.Add(more(entries.Count - Shown));
            }
        }

        private static string Gap(long from, long to) =>
            (from == to ? $"Entry {from} is missing" : $"Entries {from}–{to} are missing")
            + " from the store-wide sequence, which the store numbers without gaps: deleted (removing a whole case's trail and row leaves exactly this), or, on PostgreSQL only, a writer that died between numbering an entry and committing it"
            + " and no void records it (if the application's log shows that writer dying, record it with 'decision-routing audit void')";

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

        /// <summary>What the store's marks require of its entries, checked once against the key.</summary>
        private sealed class StoreRules
        {
            public long? FormatTwoFrom { get; private init; }

            public string FormatTwoSource { get; private init; } = string.Empty;

            public bool ClaimsFormatTwo { get; private init; }

            public bool HasMark { get; private init; }

            public string KeyedSince { get; private init; } = string.Empty;

            private long? KeyedFrom { get; init; }

            private bool Keyed { get; init; }

            public static StoreRules From(AuditStoreMarks marks, AuditKey? key, List<string> problems)
            {
                var meta = marks.Meta;
                if (meta is null)
                {
                    if (marks.HasFormatTwoColumns)
                    {
                        problems.Add("The store's schema record (table store_meta) is missing, but its audit table has the format 2 columns (case_seq, case_doc_hash, key_id), which only version 2 adds: store_meta was deleted by hand, so the store's format 2 starting point and key mark are gone with it");
                    }

                    return new StoreRules { Keyed = key is not null };
                }

                meta.TryGetValue(AuditStoreMarks.SchemaVersionName, out var version);
                if (version != "2")
                {
                    problems.Add($"The store's schema record (table store_meta) has {(version is null ? "no schema_version row" : $"schema_version '{version}'")}, but decision-routing only ever writes '2' there: store_meta was edited by hand");
                }

                long? from = null;
                if (meta.TryGetValue(AuditStoreMarks.FormatTwoFromName, out var fromText))
                {
                    if (long.TryParse(fromText, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var parsed) && parsed >= 1)
                    {
                        from = parsed;
                    }
                    else
                    {
                        problems.Add($"The store's format 2 starting point (store_meta {AuditStoreMarks.FormatTwoFromName}) is '{fromText}', which is not an entry number: store_meta was edited by hand");
                    }
                }

                AuditKeyMark? mark = null;
                if (meta.TryGetValue(AuditStoreMarks.KeyMarkName, out var markText))
                {
                    mark = AuditKeyMark.TryParse(markText);
                    if (mark is null)
                    {
                        problems.Add($"The store's key mark (store_meta {AuditStoreMarks.KeyMarkName}) is not one decision-routing writes: store_meta was edited by hand");
                    }
                }

                var source = string.Empty;
                if (mark is not null && key is not null)
                {
                    if (!string.Equals(mark.KeyId, key.Id, StringComparison.Ordinal))
                    {
                        problems.Add($"The store records that its trail was keyed with the audit key {mark.KeyId}, not the one given ({key.Id}): give the right key");
                        mark = null;
                    }
                    else if (!mark.IsValidFor(key))
                    {
                        problems.Add($"The store's key mark (store_meta {AuditStoreMarks.KeyMarkName}) does not verify under the key: it was changed by someone without the key, to move the point from which entries must be keyed or in format 2");
                        mark = null;
                    }
                    else if (mark.FormatTwoFrom is { } marked)
                    {
                        // The mark is under the key, so it wins over the plain row.
                        if (from != marked)
                        {
                            problems.Add($"The store's format 2 starting point (store_meta {AuditStoreMarks.FormatTwoFromName}) is {(from is null ? "missing" : $"entry {from}")}, but the key mark records entry {marked}: store_meta was edited by hand");
                        }

                        from = marked;
                        source = " (as the key mark records)";
                    }
                }

                return new StoreRules
                {
                    FormatTwoFrom = from,
                    FormatTwoSource = source,
                    ClaimsFormatTwo = version == "2",
                    HasMark = mark is not null || markText is not null,
                    KeyedFrom = mark?.KeyedFrom,
                    Keyed = key is not null || mark is not null,
                    KeyedSince = mark is null
                        ? " and the store records no point before which entries may be unkeyed (no key mark; an anchor can vouch for older entries)"
                        : key is null
                            ? $" from entry {mark.KeyedFrom} (its key mark, which only the key can check)"
                            : $" (the store records, under the key, that it was keyed from entry {mark.KeyedFrom})",
                };
            }

            /// <summary>
            /// Whether an entry at <paramref name="sequence"/> may be unkeyed: always without a key or key mark; with
            /// them, only before the first keyed entry the mark records, or where an anchor vouches for it.
            /// </summary>
            public bool MayBeUnkeyed(long sequence, AuditHead? anchor) =>
                !Keyed
                || (anchor is not null && sequence <= anchor.Sequence)
                || (KeyedFrom is { } keyedFrom && sequence < keyedFrom);

            /// <summary>
            /// Whether a void on <paramref name="sequence"/> may be unkeyed: always without a key or key mark; with them,
            /// only where an anchor vouches for every entry. Unlike entries, not before the first keyed entry: a void
            /// there would let someone without the key hide a case deleted from the unkeyed part of the trail, which
            /// the sequence alone still catches. (A void written before the store was keyed needs an anchor taken
            /// before keying was switched on.)
            /// </summary>
            public bool MayVoidUnkeyed(long sequence, AuditHead? anchor) =>
                !Keyed || (anchor is not null && sequence <= anchor.Sequence);
        }

        private sealed class CaseChain
        {
            public long Length { get; set; }

            public string Hash { get; set; } = AuditEntry.Genesis;

            public string? DocumentHash { get; set; }

            public long Last { get; set; }

            public Instant? ChangedAt { get; set; }

            public long Changed { get; set; }
        }
    }

    /// <summary>What <see cref="AuditChain.VerifyAsync(IProposalStore, AuditVerifyOptions?, CancellationToken)"/> checks with.</summary>
    public sealed record AuditVerifyOptions
    {
        /// <summary>
        /// The key the store's entries were hashed with (HMAC-SHA256), if any. With it, every entry must be keyed with it
        /// and its HMAC must recompute, except entries the anchor covers and entries before the first keyed entry that
        /// the store's key mark (<see cref="AuditKeyMark"/>, checked under this key) records.
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

        /// <summary>
        /// The voids that verified (<see cref="AuditVoid"/>): numbers taken and never committed, which explain gaps in the
        /// store-wide sequence. Listed even when the trail is intact, because each is a claim to check against the
        /// application's log; in a store without a key, anyone with the database could have written one.
        /// </summary>
        public IReadOnlyList<AuditVoid> Voids { get; init; } = Array.Empty<AuditVoid>();
    }
}
