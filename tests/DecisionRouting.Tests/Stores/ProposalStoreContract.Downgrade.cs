using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using DecisionRouting.Lifecycle;
using DecisionRouting.Tests.Support;

namespace DecisionRouting.Tests.Stores;

/// <summary>
/// The two ways to hide tampering an adversarial review found (issue 14 §7, breaker D1 and D2), and their siblings, on
/// every store: rewriting a trail as old-format or unkeyed entries (a downgrade), and removing whole cases, which leave
/// every remaining chain intact but the store-wide sequence with a gap.
/// </summary>
public abstract partial class ProposalStoreContract
{
    [Fact]
    public async Task A_keyed_trail_rewritten_as_format_1_with_a_forged_actor_and_an_edited_case_is_refused_with_and_without_the_key()
    {
        // D1 as the breaker did it: every entry rewritten as format 1 (plain store-wide SHA-256 chain, no case sequence,
        // no document hash, no key id), the Start entry's actor forged, a case row edited, the chain heads reset.
        var store = NewStore(Key);
        await BuildTwoCasesAsync(store);
        await DowngradeAsync(store, _ => true, e => e.Trigger == "Start" ? e with { Actor = "MALLORY" } : e);
        await ExecuteAsync(store, "UPDATE cases SET document = REPLACE(document, 'Ann', 'Mal') WHERE id = 'alpha'");

        var keyed = await AuditChain.VerifyAsync(store, new AuditVerifyOptions { Key = Key });
        var plain = await AuditChain.VerifyAsync(store);

        Assert.False(keyed.IsIntact);
        Assert.Contains(keyed.Problems, p => p.StartsWith("Entry 1 (Create on case 'alpha' by Clerk) is in audit format 1", StringComparison.Ordinal)
            && p.Contains("but the store moved to format 2 from entry 1 (as the key mark records)", StringComparison.Ordinal)
            && p.Contains("(a downgrade)", StringComparison.Ordinal));
        Assert.Contains(keyed.Problems, p => p.StartsWith("Entry 3 (Start on case 'alpha' by MALLORY) is in audit format 1", StringComparison.Ordinal));
        Assert.Contains("3 more entries after those are in format 1 too (rewritten as old-format entries)", keyed.Problems);
        Assert.False(plain.IsIntact);
        Assert.Contains(plain.Problems, p => p.Contains("but the store moved to format 2 from entry 1:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_downgrade_that_also_removes_the_stores_records_is_still_refused()
    {
        var store = NewStore(Key);
        await BuildTwoCasesAsync(store);
        await DowngradeAsync(store, _ => true, e => e);

        // Remove the format 2 starting point and the key mark too: with the key, no entry may then be unkeyed; without it,
        // a version 2 store whose every entry is format 1 gives itself away.
        await TamperAsync(store, $"DELETE FROM store_meta WHERE name IN ('{AuditStoreMarks.FormatTwoFromName}', '{AuditStoreMarks.KeyMarkName}')");
        var keyed = await AuditChain.VerifyAsync(store, new AuditVerifyOptions { Key = Key });
        var plain = await AuditChain.VerifyAsync(store);

        // And with store_meta itself gone, the audit table's format 2 columns still say what the store is.
        await TamperAsync(store, "DROP TABLE store_meta");
        var metaGone = await AuditChain.VerifyAsync(Reopen(store), new AuditVerifyOptions { Key = Key });

        // Last, drop the format 2 columns too: the store now looks exactly like version 1. Without the key that is one more
        // recompute, which plain SHA-256 cannot catch; with the key, unkeyed entries still give it away.
        await TamperAsync(store, "ALTER TABLE audit DROP COLUMN case_seq; ALTER TABLE audit DROP COLUMN case_doc_hash; ALTER TABLE audit DROP COLUMN key_id");
        var looksOld = await AuditChain.VerifyAsync(Reopen(store), new AuditVerifyOptions { Key = Key });
        var looksOldPlain = await AuditChain.VerifyAsync(Reopen(store));

        Assert.Contains(looksOld.Problems, p => p.StartsWith("Entry 1 (", StringComparison.Ordinal) && p.Contains("is not keyed although a key was given", StringComparison.Ordinal));
        Assert.True(looksOldPlain.IsIntact, string.Join("\n", looksOldPlain.Problems));
        Assert.Contains(keyed.Problems, p => p.StartsWith("Entry 1 (Create on case 'alpha' by Clerk) is not keyed although a key was given and the store records no point before which entries may be unkeyed", StringComparison.Ordinal));
        Assert.Contains(plain.Problems, p => p.StartsWith("The store is at schema version 2 (store_meta), which writes only format 2 entries, yet all 8 entries are in format 1", StringComparison.Ordinal));
        Assert.Contains(metaGone.Problems, p => p.StartsWith("The store's schema record (table store_meta) is missing, but its audit table has the format 2 columns", StringComparison.Ordinal));
        Assert.Contains(metaGone.Problems, p => p.Contains("is not keyed although a key was given", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Downgrading_only_the_newest_entries_is_refused()
    {
        var store = NewStore(Key);
        await BuildTwoCasesAsync(store);

        // Only beta's two sign-offs (entries 7 and 8), the ones an attacker wants to change, rewritten as format 1.
        await DowngradeAsync(store, e => e.Sequence >= 7, e => e with { Actor = "Mallory" });
        var keyed = await AuditChain.VerifyAsync(store, new AuditVerifyOptions { Key = Key });
        var plain = await AuditChain.VerifyAsync(store);

        Assert.Contains(keyed.Problems, p => p.StartsWith("Entry 7 (CompleteStep role-1-step-0 on case 'beta' by Mallory) is in audit format 1", StringComparison.Ordinal));
        Assert.Contains(keyed.Problems, p => p.StartsWith("Entry 8 (CompleteStep role-1-step-1 on case 'beta' by Mallory) is in audit format 1", StringComparison.Ordinal));
        Assert.Contains(plain.Problems, p => p.StartsWith("Entry 7 (", StringComparison.Ordinal) && p.Contains("(a downgrade)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Unkeyed_entries_in_a_keyed_store_are_refused_and_the_key_mark_cannot_be_moved()
    {
        var store = NewStore(Key);
        await BuildTwoCasesAsync(store);
        var mark = (await store.ReadMarksAsync()).Meta![AuditStoreMarks.KeyMarkName];

        // Rewrite every entry in format 2 with plain SHA-256 (no key id), then move the mark so that all of them fall
        // before the keyed point, which someone without the key can only do by editing the text.
        await RewriteAsync(store, entries => entries.Select(e => e.Actor == "Ann" ? e with { Actor = "Mallory" } : e).ToList());
        var unkeyed = await AuditChain.VerifyAsync(store, new AuditVerifyOptions { Key = Key });
        var plainUnkeyed = await AuditChain.VerifyAsync(store);
        var moved = AuditKeyMark.TryParse(mark)! with { KeyedFrom = 100 };
        await TamperAsync(store, $"UPDATE store_meta SET value = {Literal(moved.ToString())} WHERE name = '{AuditStoreMarks.KeyMarkName}'");
        var afterMove = await AuditChain.VerifyAsync(store, new AuditVerifyOptions { Key = Key });

        Assert.StartsWith($"1;{Key.Id};1;1;", mark, StringComparison.Ordinal);
        Assert.Contains(unkeyed.Problems, p => p.StartsWith("Entry 1 (Create on case 'alpha' by Clerk) is not keyed although a key was given (the store records, under the key, that it was keyed from entry 1)", StringComparison.Ordinal));
        Assert.Contains("3 more entries after those are not keyed either", unkeyed.Problems);

        // Without the key the mark cannot be checked, but it still says the store was keyed.
        Assert.Contains(plainUnkeyed.Problems, p => p.StartsWith("Entry 1 (Create on case 'alpha' by Clerk) is not keyed although the store records it was keyed from entry 1 (its key mark, which only the key can check)", StringComparison.Ordinal));
        Assert.Contains(afterMove.Problems, p => p.StartsWith("The store's key mark (store_meta audit_key_mark) does not verify under the key", StringComparison.Ordinal));
        Assert.Contains(afterMove.Problems, p => p.Contains("is not keyed although a key was given", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Entries_keyed_with_two_keys_are_refused()
    {
        var store = NewStore(Key);
        await BuildTwoCasesAsync(store);
        var other = new AuditKey(Encoding.UTF8.GetBytes("another key, also long enough for HMAC-SHA256 use"));
        await new ProposalLifecycle(Reopen(store, other)).FireAsync("beta", TriggerRequest.Complete("role-0-step-0", new Actor("Ann", "role-0")));

        var keyed = await AuditChain.VerifyAsync(store, new AuditVerifyOptions { Key = Key });
        var plain = await AuditChain.VerifyAsync(store);

        Assert.Contains(keyed.Problems, p => p.StartsWith($"Entry 9 was hashed with the audit key {other.Id}, not the one given ({Key.Id})", StringComparison.Ordinal));
        Assert.Contains(plain.Problems, p => p.StartsWith("Entries are keyed with 2 different audit keys", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_format_2_entry_that_commits_to_no_document_is_refused()
    {
        var store = NewStore();
        await BuildTwoCasesAsync(store);

        // Drop beta's newest entry's document hash and recompute (plain): its row would then be taken as it stands.
        await RewriteWithoutDocumentAsync(store, 8);
        await ExecuteAsync(store, "UPDATE cases SET document = REPLACE(document, 'Bo', 'Mal') WHERE id = 'beta'");
        var result = await AuditChain.VerifyAsync(store);

        Assert.Contains(result.Problems, p => p.StartsWith("Entry 8 (CompleteStep role-1-step-1 on case 'beta' by Bo) is in format 2 but commits to no case document", StringComparison.Ordinal));
        Assert.False(result.IsIntact);
    }

    [Fact]
    public async Task An_old_format_store_keyed_after_migration_verifies_with_the_key()
    {
        // Legitimate history: format 1 entries, then the app switched keying on. The format 1 entries precede the key mark.
        var old = await FormatOneStoreAsync();
        var store = Reopen(old, Key);
        var lifecycle = new ProposalLifecycle(store);
        await lifecycle.FireAsync(FixtureCase, TriggerRequest.Complete("legal-sign-off", new Actor("Mo", "monitoring-officer")) with { At = At("2013-06-03T11:00:00Z") });

        var keyed = await AuditChain.VerifyAsync(store, new AuditVerifyOptions { Key = Key });
        var marks = await store.ReadMarksAsync();

        Assert.True(keyed.IsIntact, string.Join("\n", keyed.Problems));
        Assert.Equal("7", marks.Meta![AuditStoreMarks.FormatTwoFromName]);
        Assert.StartsWith($"1;{Key.Id};7;7;", marks.Meta[AuditStoreMarks.KeyMarkName], StringComparison.Ordinal);

        // And rewriting the new entry as format 1 is refused, though entries before it may be format 1.
        await DowngradeAsync(store, e => e.Sequence == 7, e => e);
        Assert.Contains((await AuditChain.VerifyAsync(store, new AuditVerifyOptions { Key = Key })).Problems, p => p.StartsWith("Entry 7 (", StringComparison.Ordinal) && p.Contains("moved to format 2 from entry 7", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("middle", "Entries 3–4 are missing from the store-wide sequence")]
    [InlineData("first", "Entries 1–2 are missing from the store-wide sequence")]
    public async Task Deleting_a_whole_case_leaves_a_gap_that_verify_reports_in_every_mode(string which, string expected)
    {
        var store = NewStore(Key);
        await BuildThreeCasesInTurnAsync(store);

        await TamperAsync(store, $"DELETE FROM audit WHERE case_id = '{which}'; DELETE FROM cases WHERE id = '{which}'");
        var keyed = await AuditChain.VerifyAsync(store, new AuditVerifyOptions { Key = Key });
        var plain = await AuditChain.VerifyAsync(store);

        Assert.Contains(keyed.Problems, p => p.StartsWith(expected, StringComparison.Ordinal) && p.Contains("removing a whole case's trail and row leaves exactly this", StringComparison.Ordinal));
        Assert.Contains(plain.Problems, p => p.StartsWith(expected, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Deleting_the_last_case_is_caught_only_by_an_anchor()
    {
        var store = NewStore(Key);
        await BuildThreeCasesInTurnAsync(store);
        var anchor = await AuditChain.HeadAsync(store);

        // The newest case: nothing after it shows a gap, and no store-wide record counts cases (that would serialise
        // every commit), so only a head published before it vouches for it.
        await TamperAsync(store, "DELETE FROM audit WHERE case_id = 'last'; DELETE FROM cases WHERE id = 'last'");
        var keyed = await AuditChain.VerifyAsync(store, new AuditVerifyOptions { Key = Key });
        var anchored = await AuditChain.VerifyAsync(store, new AuditVerifyOptions { Key = Key, Anchor = anchor });

        Assert.True(keyed.IsIntact, string.Join("\n", keyed.Problems));
        Assert.Contains(anchored.Problems, p => p.Contains("the anchor covers 6 entries up to entry 6, but the trail has 4 of them and ends at entry 4", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Renumbering_entries_to_close_a_gap_or_swap_them_is_refused_with_the_key()
    {
        var store = NewStore(Key);
        await BuildThreeCasesInTurnAsync(store);

        // Delete the middle case and move the last one down to close the gap; then swap two entries of different cases.
        await TamperAsync(store, "DELETE FROM audit WHERE case_id = 'middle'; DELETE FROM cases WHERE id = 'middle'; UPDATE audit SET seq = seq - 2 WHERE case_id = 'last'");
        var closed = await AuditChain.VerifyAsync(store, new AuditVerifyOptions { Key = Key });
        await TamperAsync(store, "UPDATE audit SET seq = -1 WHERE seq = 2; UPDATE audit SET seq = 2 WHERE seq = 3; UPDATE audit SET seq = 3 WHERE seq = -1");
        var swapped = await AuditChain.VerifyAsync(store, new AuditVerifyOptions { Key = Key });

        Assert.DoesNotContain(closed.Problems, p => p.Contains("missing from the store-wide sequence", StringComparison.Ordinal));
        Assert.Contains(closed.Problems, p => p.StartsWith("Entry 3 (Create on case 'last' by Clerk) was changed after it was written", StringComparison.Ordinal));
        Assert.Contains(swapped.Problems, p => p.Contains("was changed after it was written", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_hand_edited_store_meta_is_reported_by_verify_and_stops_other_use_clearly()
    {
        var store = NewStore();
        await BuildTwoCasesAsync(store);

        await TamperAsync(store, "UPDATE store_meta SET value = 'two' WHERE name = 'schema_version'");
        var edited = await AuditChain.VerifyAsync(Reopen(store));
        var find = await Assert.ThrowsAsync<DecisionRouting.Stores.StoreMetaTamperedException>(() => Reopen(store).FindAsync("alpha"));
        await TamperAsync(store, $"UPDATE store_meta SET value = '2' WHERE name = 'schema_version'; UPDATE store_meta SET value = 'x' WHERE name = '{AuditStoreMarks.FormatTwoFromName}'");
        var from = await AuditChain.VerifyAsync(Reopen(store));

        Assert.Contains("The store's schema record (table store_meta) has schema_version 'two', but decision-routing only ever writes '2' there: store_meta was edited by hand", edited.Problems);
        Assert.Equal(8, edited.Entries);
        Assert.Contains("the store's schema record (table store_meta) has schema_version 'two', but decision-routing only ever writes '2' there (or a later version): store_meta was edited by hand; nothing was read or changed", find.Message);
        Assert.Contains($"The store's format 2 starting point (store_meta {AuditStoreMarks.FormatTwoFromName}) is 'x', which is not an entry number: store_meta was edited by hand", from.Problems);
    }

    /// <summary>Three cases made one after another, two entries each: first (1–2), middle (3–4), last (5–6).</summary>
    private static async Task BuildThreeCasesInTurnAsync(IProposalStore store)
    {
        var lifecycle = new ProposalLifecycle(store);
        foreach (var id in new[] { "first", "middle", "last" })
        {
            await lifecycle.CreateAsync(Plans.Parallel(2, 2), Clerk, id);
            await lifecycle.FireAsync(id, new TriggerRequest(CaseTrigger.Start, Clerk));
        }
    }

    /// <summary>
    /// What the breaker's downgrade does: the chosen entries (<paramref name="which"/>, changed by
    /// <paramref name="change"/>) rewritten as format 1 entries on one store-wide plain SHA-256 chain continuing the
    /// format 1 head, the head row moved to the last, and each case row's chain head set to match.
    /// </summary>
    private async Task DowngradeAsync(IProposalStore store, Func<AuditEntry, bool> which, Func<AuditEntry, AuditEntry> change)
    {
        var entries = new List<AuditEntry>();
        await foreach (var entry in store.ReadAuditAsync())
        {
            entries.Add(entry);
        }

        var (_, previous) = await store.HeadAsync();
        long headSeq = 0;
        var sql = new StringBuilder();
        var heads = new Dictionary<string, (long Length, string Hash)>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            var length = (heads.TryGetValue(entry.CaseId, out var h) ? h.Length : 0) + 1;
            if (!which(entry))
            {
                heads[entry.CaseId] = (length, entry.Hash);
                continue;
            }

            var rewritten = change(entry).ChainedAfter(entry.Sequence, previous);
            previous = rewritten.Hash;
            headSeq = rewritten.Sequence;
            heads[entry.CaseId] = (length, rewritten.Hash);
            sql.Append(CultureInfo.InvariantCulture, $"UPDATE audit SET actor = {Literal(rewritten.Actor)}, previous_hash = {Literal(rewritten.PreviousHash)}, hash = {Literal(rewritten.Hash)}, case_seq = NULL, case_doc_hash = NULL, key_id = NULL WHERE seq = {rewritten.Sequence}; ");
        }

        foreach (var (caseId, (length, hash)) in heads)
        {
            sql.Append(CultureInfo.InvariantCulture, $"UPDATE cases SET chain_seq = {length}, chain_hash = {Literal(hash)}, chain_doc_hash = NULL WHERE id = {Literal(caseId)}; ");
        }

        sql.Append(CultureInfo.InvariantCulture, $"UPDATE audit_head SET seq = {headSeq}, hash = {Literal(previous)}");
        await TamperAsync(store, sql.ToString());
    }

    /// <summary>Entry <paramref name="sequence"/> rewritten (plain SHA-256) with no case document hash, its row's head set to match.</summary>
    private async Task RewriteWithoutDocumentAsync(IProposalStore store, long sequence)
    {
        AuditEntry? target = null;
        await foreach (var entry in store.ReadAuditAsync())
        {
            if (entry.Sequence == sequence)
            {
                target = entry;
            }
        }

        var rewritten = target! with { CaseDocumentHash = null };
        rewritten = rewritten with { Hash = rewritten.ComputeHash(null) };
        await TamperAsync(store, $"UPDATE audit SET case_doc_hash = NULL, hash = {Literal(rewritten.Hash)} WHERE seq = {sequence}; UPDATE cases SET chain_hash = {Literal(rewritten.Hash)}, chain_doc_hash = NULL WHERE id = {Literal(rewritten.CaseId)}");
    }
}
