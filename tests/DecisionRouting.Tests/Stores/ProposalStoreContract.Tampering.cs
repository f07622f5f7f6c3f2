using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using DecisionRouting.Lifecycle;
using DecisionRouting.Stores;
using DecisionRouting.Tests.Support;

namespace DecisionRouting.Tests.Stores;

/// <summary>
/// Tampering by someone with write access to the database (issue 14 §7), schema versions and read-only stores (§9), on
/// every store. The attacker here drops the triggers and, where the attack needs it, recomputes hashes with the public
/// algorithm, exactly as they could; each test states what each audit mode detects.
/// </summary>
public abstract partial class ProposalStoreContract
{
    private static readonly AuditKey Key = new(Encoding.UTF8.GetBytes("a test key that is long enough for HMAC-SHA256 use"));

    /// <summary>A new, empty store whose entries are hashed with <paramref name="key"/>.</summary>
    protected abstract IProposalStore NewStore(AuditKey? key);

    /// <summary>Another store object on the same database as <paramref name="store"/> (an app restarting), optionally read-only.</summary>
    protected abstract IProposalStore Reopen(IProposalStore store, AuditKey? key = null, bool readOnly = false);

    /// <summary>A store in the version 1 schema (store-wide chain) holding the entries of the fixture written by the old CLI.</summary>
    protected abstract Task<IProposalStore> FormatOneStoreAsync();

    [Fact]
    public async Task Changing_an_entry_and_recomputing_everything_passes_plain_verify_but_not_an_earlier_head()
    {
        var store = NewStore();
        await BuildTwoCasesAsync(store);
        var anchor = await AuditChain.HeadAsync(store);

        // Drop the triggers, change who signed off, recompute every hash and every case's chain head.
        await RewriteAsync(store, entries => entries.Select(e => e.Actor == "Ann" ? e with { Actor = "Mallory" } : e).ToList());

        var plain = await AuditChain.VerifyAsync(store);
        var anchored = await AuditChain.VerifyAsync(store, new AuditVerifyOptions { Anchor = anchor });

        // Plain SHA-256 needs no secret, so a full recompute is consistent: only an anchor or a key can tell.
        Assert.True(plain.IsIntact, string.Join("\n", plain.Problems));
        Assert.Contains("Mallory", (await store.HistoryAsync("alpha")).Select(e => e.Actor));
        Assert.False(anchored.IsIntact);
        Assert.Contains(anchored.Problems, p => p.Contains("does not extend the anchor", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Recomputing_a_keyed_trail_without_the_key_is_detected(bool keepKeyId)
    {
        var store = NewStore(Key);
        await BuildTwoCasesAsync(store);
        Assert.True((await AuditChain.VerifyAsync(store, new AuditVerifyOptions { Key = Key })).IsIntact);

        await RewriteAsync(store, entries => entries.Select(e => e.Actor == "Ann" ? e with { Actor = "Mallory" } : e).ToList(), keepKeyId);
        var result = await AuditChain.VerifyAsync(store, new AuditVerifyOptions { Key = Key });

        Assert.False(result.IsIntact);
        Assert.Contains(result.Problems, p => keepKeyId
            ? p.Contains("was changed after it was written", StringComparison.Ordinal)
            : p.Contains("is not keyed although a key was given", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_keyed_trail_verified_without_the_key_or_with_another_says_so()
    {
        var store = NewStore(Key);
        await BuildTwoCasesAsync(store);
        var other = new AuditKey(Encoding.UTF8.GetBytes("another key, also long enough for HMAC-SHA256 use"));

        var without = await AuditChain.VerifyAsync(store);
        var wrong = await AuditChain.VerifyAsync(store, new AuditVerifyOptions { Key = other });

        Assert.Contains(without.Problems, p => p.Contains("entries are keyed (HMAC-SHA256) and no key was given", StringComparison.Ordinal));
        Assert.Contains(wrong.Problems, p => p.Contains($"was hashed with the audit key {Key.Id}, not the one given ({other.Id})", StringComparison.Ordinal));
        Assert.All((await store.HistoryAsync("alpha")).Select(e => e.KeyId), id => Assert.Equal(Key.Id, id));
    }

    [Fact]
    public async Task Deleting_the_tail_and_rolling_the_case_back_is_detected_only_against_an_earlier_head()
    {
        var store = NewStore();
        var lifecycle = await BuildTwoCasesAsync(store);
        var (document, version, length, hash, documentHash, updatedAt) = await CaseRowAsync(store, "alpha");
        await lifecycle.FireAsync("alpha", TriggerRequest.Complete("role-0-step-1", new Actor("Ann", "role-0")));
        await lifecycle.FireAsync("alpha", TriggerRequest.Complete("role-0-step-1", new Actor("Eve", "role-1")));
        var anchor = await AuditChain.HeadAsync(store);

        // Remove alpha's last two entries and put its row back as it was before them (the attacker kept a copy).
        var last = (await store.HistoryAsync("alpha")).TakeLast(2).Select(e => e.Sequence).ToList();
        await TamperAsync(store, $"DELETE FROM audit WHERE seq IN ({last[0]}, {last[1]}); UPDATE cases SET document = {Literal(document)}, version = {version}, chain_seq = {length}, chain_hash = {Literal(hash)}, chain_doc_hash = {Literal(documentHash)}, updated_at = {Literal(updatedAt)} WHERE id = 'alpha'");

        var plain = await AuditChain.VerifyAsync(store);
        var keyed = await AuditChain.VerifyAsync(store, new AuditVerifyOptions { Anchor = anchor });

        Assert.True(plain.IsIntact, string.Join("\n", plain.Problems));
        Assert.Single((await store.FindAsync("alpha"))!.Completed);
        Assert.Contains(keyed.Problems, p => p.Contains("does not extend the anchor", StringComparison.Ordinal) && p.Contains("entries were removed", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(1, "row records its newest audit entry as its entry 5")]
    [InlineData(2, "row records its newest audit entry as its entry 5")]
    public async Task Deleting_the_tail_without_rolling_the_row_back_is_detected_by_plain_verify(int removed, string expected)
    {
        var store = NewStore();
        var lifecycle = await BuildTwoCasesAsync(store);

        // The newest entry is a refusal: it leaves the document as it was, so only the row's chain head shows it went.
        var refused = await lifecycle.FireAsync("alpha", TriggerRequest.Complete("role-0-step-1", new Actor("Eve", "role-1")));
        Assert.False(refused.Accepted);
        var last = (await store.HistoryAsync("alpha")).TakeLast(removed).Select(e => e.Sequence.ToString(CultureInfo.InvariantCulture));
        await TamperAsync(store, $"DELETE FROM audit WHERE seq IN ({string.Join(", ", last)})");

        var result = await AuditChain.VerifyAsync(store);

        Assert.Contains(result.Problems, p => p.Contains("Case 'alpha''s " + expected, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Emptying_the_trail_and_resetting_the_head_is_detected_and_so_is_emptying_the_store_against_an_earlier_head()
    {
        var store = NewStore();
        await BuildTwoCasesAsync(store);
        var anchor = await AuditChain.HeadAsync(store);

        await TamperAsync(store, $"DELETE FROM audit; UPDATE audit_head SET seq = 0, hash = '{AuditEntry.Genesis}'");
        var trailGone = await AuditChain.VerifyAsync(store);
        await TamperAsync(store, "DELETE FROM cases");
        var allGone = await AuditChain.VerifyAsync(store);
        var anchored = await AuditChain.VerifyAsync(store, new AuditVerifyOptions { Anchor = anchor });

        Assert.Contains("Case 'alpha' has no audit trail: its row was added outside the lifecycle", trailGone.Problems);
        Assert.Contains("Case 'beta' has no audit trail: its row was added outside the lifecycle", trailGone.Problems);

        // An empty store is consistent with itself; only the head published before tells it once held a trail.
        Assert.True(allGone.IsIntact);
        Assert.Contains(anchored.Problems, p => p.Contains($"the anchor covers {anchor.Entries} entries up to entry {anchor.Sequence}, but the trail has 0 of them", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("UPDATE cases SET document = REPLACE(document, 'Ann', 'Mal') WHERE id = 'alpha'", "Case 'alpha' was changed outside the lifecycle: its stored document hashes to")]
    [InlineData("UPDATE cases SET document = REPLACE(document, '\"state\":\"InProgress\"', '\"state\":\"Effective\"') WHERE id = 'beta'", "Case 'beta' was changed outside the lifecycle")]
    [InlineData("DELETE FROM cases WHERE id = 'beta'", "Case 'beta' has 4 audit entries but no case row: the case was deleted outside the lifecycle")]
    [InlineData("INSERT INTO cases (id, proposal_id, rule_set_hash, state, version, document, updated_at) SELECT 'gamma', proposal_id, rule_set_hash, state, version, REPLACE(document, '\"alpha\"', '\"gamma\"'), updated_at FROM cases WHERE id = 'alpha'", "Case 'gamma' has no audit trail: its row was added outside the lifecycle")]
    [InlineData("UPDATE cases SET chain_hash = 'ffff' WHERE id = 'alpha'", "Case 'alpha''s row records its newest audit entry as its entry 4 (ffff)")]
    public async Task A_case_row_that_disagrees_with_its_trail_is_detected(string sql, string expected)
    {
        var store = NewStore();
        await BuildTwoCasesAsync(store);
        Assert.True((await AuditChain.VerifyAsync(store)).IsIntact);

        // No trigger guards the cases table: this needs no more access than an UPDATE.
        await ExecuteAsync(store, sql);
        var result = await AuditChain.VerifyAsync(store);

        Assert.Contains(result.Problems, p => p.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_row_edited_before_a_refusal_is_refused_and_stays_detected()
    {
        var store = NewStore();
        var lifecycle = await BuildTwoCasesAsync(store);
        await ExecuteAsync(store, "UPDATE cases SET document = REPLACE(document, 'Ann', 'Mal') WHERE id = 'alpha'");
        var eve = TriggerRequest.Complete("role-0-step-1", new Actor("Eve", "role-1"));

        // As edited, the document is not the one the case's newest entry recorded: fire refuses the case before
        // writing anything, so no entry can take the edit in.
        var damaged = await Assert.ThrowsAsync<CorruptCaseException>(() => lifecycle.FireAsync("alpha", eve));

        // Someone who also recomputes the row's chain_doc_hash (a plain SHA-256 of the document, no key) gains nothing:
        // the document is checked against the newest entry itself, which they cannot rewrite unseen.
        var edited = await QueryTextAsync(store, "SELECT document FROM cases WHERE id = 'alpha'");
        await ExecuteAsync(store, $"UPDATE cases SET chain_doc_hash = '{AuditEntry.HashDocument(edited)}' WHERE id = 'alpha'");
        var stillDamaged = await Assert.ThrowsAsync<CorruptCaseException>(() => lifecycle.FireAsync("alpha", eve));

        // A refusal written straight to the store (as any caller of IProposalStore can) is refused too: the row's
        // chain_doc_hash is not the one the trail left, so nothing is chained onto the row, and verify still finds the edit.
        var newest = (await store.HistoryAsync("alpha"))[^1];
        var refusal = await Assert.ThrowsAsync<CorruptCaseException>(() => store.AppendAsync(RefusalOf(newest)));
        var result = await AuditChain.VerifyAsync(store);

        Assert.StartsWith("Case 'alpha' is damaged: its document is not the one its newest audit entry records ('", damaged.Message, StringComparison.Ordinal);
        Assert.Contains($"; the row's chain_doc_hash says '{AuditEntry.HashDocument(edited)}'): the document was changed outside the lifecycle", stillDamaged.Message, StringComparison.Ordinal);
        Assert.StartsWith($"Case 'alpha''s row records the document hash of its newest audit entry (column chain_doc_hash) as {AuditEntry.HashDocument(edited)}, but that entry recorded {newest.CaseDocumentHash}", refusal.Message, StringComparison.Ordinal);
        Assert.Equal(newest.Sequence, (await store.HistoryAsync("alpha"))[^1].Sequence);
        Assert.Contains(result.Problems, p => p.Contains("Case 'alpha' was changed outside the lifecycle", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Heads_taken_while_writers_run_are_all_extended_by_the_finished_trail()
    {
        const int Writers = 4, Steps = 12;
        var store = NewStore();
        var lifecycle = new ProposalLifecycle(store);
        var plan = Plans.Parallel(1, Steps);
        for (var w = 0; w < Writers; w++)
        {
            await lifecycle.CreateAsync(plan, Clerk, $"w-{w}");
            await lifecycle.FireAsync($"w-{w}", new TriggerRequest(CaseTrigger.Start, Clerk));
        }

        var heads = new List<AuditHead>();
        var writers = Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
        {
            for (var s = 0; s < Steps; s++)
            {
                await lifecycle.FireAsync($"w-{w}", TriggerRequest.Complete($"role-0-step-{s}", new Actor("Ann", "role-0")));
            }
        })).ToList();
        while (writers.Any(w => !w.IsCompleted))
        {
            heads.Add(await AuditChain.HeadAsync(store));
        }

        await Task.WhenAll(writers);
        heads.Add(await AuditChain.HeadAsync(store));

        Assert.Equal(Writers * (2 + Steps), heads[^1].Entries);
        foreach (var head in heads)
        {
            var result = await AuditChain.VerifyAsync(store, new AuditVerifyOptions { Anchor = head });
            Assert.True(result.IsIntact, $"{head}: {string.Join("; ", result.Problems)}");
        }
    }

    [Fact]
    public async Task An_old_format_store_verifies_is_migrated_by_its_first_write_and_is_extended()
    {
        var store = await FormatOneStoreAsync();
        var before = await AuditChain.VerifyAsync(store);
        var anchor = await AuditChain.HeadAsync(store);
        var lifecycle = new ProposalLifecycle(store);

        var accepted = await lifecycle.FireAsync(FixtureCase, TriggerRequest.Complete("legal-sign-off", new Actor("Mo", "monitoring-officer")) with { At = At("2013-06-03T11:00:00Z") });
        var refused = await lifecycle.FireAsync(FixtureCase, TriggerRequest.Complete("legal-sign-off", new Actor("Mo", "hr-lead")) with { At = At("2013-06-03T11:05:00Z") });
        var after = await AuditChain.VerifyAsync(Reopen(store), new AuditVerifyOptions { Anchor = anchor });
        var history = await store.HistoryAsync(FixtureCase);

        Assert.True(before.IsIntact, string.Join("\n", before.Problems));
        Assert.Equal(6, before.Entries);
        Assert.Equal(2, before.CasesNotCovered);
        Assert.True(accepted.Accepted && !refused.Accepted);
        Assert.True(after.IsIntact, string.Join("\n", after.Problems));
        Assert.Equal(8, after.Entries);
        Assert.Equal(1, after.CasesNotCovered);

        // Nothing lost: the four format 1 entries are as written, and the case's chain carries on from the last of them.
        Assert.Equal(new long?[] { null, null, null, null, 5, 6 }, history.Select(e => e.CaseSequence));
        Assert.Equal(history[3].Hash, history[4].PreviousHash);
        Assert.Equal(6L, (await store.HeadAsync()).Sequence);

        // And the format 1 part is still checked: changing an old entry is reported.
        await TamperAsync(store, "UPDATE audit SET actor = 'Mallory' WHERE seq = 3");
        Assert.Contains((await AuditChain.VerifyAsync(store)).Problems, p => p.Contains("Entry 3 (Start on case", StringComparison.Ordinal) && p.Contains("by Mallory) was changed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_store_with_a_newer_schema_is_refused_for_reading_and_writing_and_left_unchanged()
    {
        var store = NewStore();
        await BuildTwoCasesAsync(store);
        await ExecuteAsync(store, "UPDATE store_meta SET value = '3' WHERE name = 'schema_version'");
        var later = Reopen(store);
        var lifecycle = new ProposalLifecycle(later);

        var read = await Assert.ThrowsAsync<StoreSchemaTooNewException>(() => later.FindAsync("alpha"));
        var verify = await Assert.ThrowsAsync<StoreSchemaTooNewException>(() => AuditChain.VerifyAsync(later));
        await Assert.ThrowsAsync<StoreSchemaTooNewException>(() => lifecycle.CreateAsync(Plans.Parallel(1, 1), Clerk, "delta"));
        await Assert.ThrowsAsync<StoreSchemaTooNewException>(() => ((RelationalProposalStore)Reopen(store)).EnsureSchemaAsync());

        Assert.Contains("schema version 3, newer than this decision-routing understands (version 2); nothing was read or changed", read.Message);
        Assert.Equal((3, 2), (verify.Found, verify.Understood));
        await ExecuteAsync(store, "UPDATE store_meta SET value = '2' WHERE name = 'schema_version'");
        var unchanged = await AuditChain.VerifyAsync(Reopen(store));
        Assert.True(unchanged.IsIntact);
        Assert.Equal(8, unchanged.Entries);
        Assert.Null(await Reopen(store).FindAsync("delta"));
    }

    [Fact]
    public async Task A_read_only_store_is_read_and_verified_and_refuses_writes_clearly()
    {
        var store = NewStore();
        await BuildTwoCasesAsync(store);
        var readOnly = Reopen(store, readOnly: true);
        var lifecycle = new ProposalLifecycle(readOnly);

        var status = await lifecycle.StatusAsync("alpha");
        var history = await lifecycle.HistoryAsync("alpha");
        var verified = await AuditChain.VerifyAsync(readOnly);
        var head = await AuditChain.HeadAsync(readOnly);
        var fire = await Assert.ThrowsAsync<StoreReadOnlyException>(() => lifecycle.FireAsync("alpha", TriggerRequest.Complete("role-0-step-1", new Actor("Ann", "role-0"))));
        var refusal = await Assert.ThrowsAsync<StoreReadOnlyException>(() => lifecycle.FireAsync("alpha", TriggerRequest.Complete("role-0-step-1", new Actor("Eve", "role-1"))));
        await Assert.ThrowsAsync<StoreReadOnlyException>(() => lifecycle.CreateAsync(Plans.Parallel(1, 1), Clerk, "delta"));

        Assert.Equal(CaseState.InProgress, status.Case.State);
        Assert.Equal(4, history.Count);
        Assert.True(verified.IsIntact, string.Join("\n", verified.Problems));
        Assert.Equal(8, head.Entries);
        Assert.Contains("can only be read (read-only file or session); nothing was changed", fire.Message);
        Assert.Contains("can only be read", refusal.Message);
        Assert.Equal(8, (await AuditChain.VerifyAsync(store)).Entries);
    }

    private const string FixtureCase = "croydon-2013-integrated-commissioning-unit";

    private static NodaTime.Instant At(string instant) => NodaTime.Text.InstantPattern.ExtendedIso.Parse(instant).Value;

    /// <summary>Two cases: alpha (Create, Start, a sign-off by Ann, a refusal) and beta (Create, Start, two sign-offs by Bo); 8 entries.</summary>
    protected static async Task<ProposalLifecycle> BuildTwoCasesAsync(IProposalStore store)
    {
        var lifecycle = new ProposalLifecycle(store);
        await lifecycle.CreateAsync(Plans.Parallel(2, 2), Clerk, "alpha");
        await lifecycle.CreateAsync(Plans.Parallel(2, 2), Clerk, "beta");
        await lifecycle.FireAsync("alpha", new TriggerRequest(CaseTrigger.Start, Clerk));
        await lifecycle.FireAsync("beta", new TriggerRequest(CaseTrigger.Start, Clerk));
        await lifecycle.FireAsync("alpha", TriggerRequest.Complete("role-0-step-0", new Actor("Ann", "role-0")));
        var refused = await lifecycle.FireAsync("alpha", TriggerRequest.Complete("role-1-step-0", new Actor("Eve", "role-0")));
        Assert.False(refused.Accepted);
        var accepted = await lifecycle.FireAsync("beta", TriggerRequest.Complete("role-1-step-0", new Actor("Bo", "role-1")));
        var again = await lifecycle.FireAsync("beta", TriggerRequest.Complete("role-1-step-1", new Actor("Bo", "role-1")));
        Assert.True(accepted.Accepted && again.Accepted);
        return lifecycle;
    }

    /// <summary>What an attacker keeps a copy of to roll a case row back: every column the lifecycle writes.</summary>
    private async Task<(string Document, long Version, long Length, string Hash, string DocumentHash, string UpdatedAt)> CaseRowAsync(IProposalStore store, string id)
    {
        var found = (await store.FindAsync(id))!;
        var history = await store.HistoryAsync(id);
        var updatedAt = NodaTime.Text.InstantPattern.ExtendedIso.Format(history.Last(e => e.Accepted).RecordedAt);
        return (CaseJson.Write(found), found.Version, history.Count, history[^1].Hash, history[^1].CaseDocumentHash!, updatedAt);
    }

    /// <summary>
    /// What an attacker with write access does: drop the triggers, rewrite the entries, recompute every case's chain with
    /// plain SHA-256 (they have no key) and set each case row's chain head to match.
    /// </summary>
    private async Task RewriteAsync(IProposalStore store, Func<List<AuditEntry>, List<AuditEntry>> change, bool keepKeyId = false)
    {
        var entries = new List<AuditEntry>();
        await foreach (var entry in store.ReadAuditAsync())
        {
            entries.Add(entry);
        }

        var sql = new StringBuilder("DELETE FROM audit; ");
        var heads = new Dictionary<string, AuditEntry>(StringComparer.Ordinal);
        foreach (var entry in change(entries))
        {
            var previous = heads.TryGetValue(entry.CaseId, out var before) ? before : null;
            var chained = entry.ChainedInCase(entry.Sequence, (previous?.CaseSequence ?? 0) + 1, previous?.Hash ?? AuditEntry.Genesis, entry.CaseDocumentHash!, key: null);
            if (keepKeyId)
            {
                chained = chained with { KeyId = entry.KeyId };
            }

            heads[entry.CaseId] = chained;
            sql.Append(CultureInfo.InvariantCulture, $"INSERT INTO audit (seq, case_id, at, recorded_at, actor, roles, trigger_name, step, from_state, to_state, accepted, detail, rule_set_hash, previous_hash, hash, case_seq, case_doc_hash, key_id) VALUES ({chained.Sequence}, {Literal(chained.CaseId)}, {Literal(NodaTime.Text.InstantPattern.ExtendedIso.Format(chained.At))}, {Literal(NodaTime.Text.InstantPattern.ExtendedIso.Format(chained.RecordedAt))}, {Literal(chained.Actor)}, {Literal(chained.Roles)}, {Literal(chained.Trigger)}, {Literal(chained.Step)}, {Literal(chained.From.ToString())}, {Literal(chained.To.ToString())}, {(chained.Accepted ? 1 : 0)}, {Literal(chained.Detail)}, {Literal(chained.RuleSetHash)}, {Literal(chained.PreviousHash)}, {Literal(chained.Hash)}, {chained.CaseSequence}, {Literal(chained.CaseDocumentHash)}, {Literal(chained.KeyId)}); ");
        }

        foreach (var (caseId, head) in heads)
        {
            sql.Append(CultureInfo.InvariantCulture, $"UPDATE cases SET chain_seq = {head.CaseSequence}, chain_hash = {Literal(head.Hash)} WHERE id = {Literal(caseId)}; ");
        }

        await TamperAsync(store, sql.ToString());
    }

    private static string Literal(string? value) => value is null ? "NULL" : "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";
}
