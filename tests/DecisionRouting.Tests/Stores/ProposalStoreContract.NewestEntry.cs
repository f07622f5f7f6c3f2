using System;
using System.Linq;
using System.Threading.Tasks;
using DecisionRouting.Lifecycle;
using DecisionRouting.Stores;
using DecisionRouting.Tests.Support;

namespace DecisionRouting.Tests.Stores;

/// <summary>
/// Status and fire act only on the document the case's newest audit entry commits to, and only when that entry is
/// genuine and is the one the row names (issue 14 §7; BREAKER14e N1, N2). Each attack here is one an attacker with write
/// access can make without the key; before, each was accepted by status and fire and then taken into the trail.
/// </summary>
public abstract partial class ProposalStoreContract
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_row_with_no_document_hash_does_not_turn_the_document_check_off(bool keyed)
    {
        var key = keyed ? Key : null;
        var store = NewStore(key);
        var lifecycle = await BuildTwoCasesAsync(store);
        var anchor = await AuditChain.HeadAsync(store);
        var history = await store.HistoryAsync("alpha");

        // One UPDATE on cases, no trigger touched: a document crediting Ann's sign-off to Mal, and no recorded hash.
        await ExecuteAsync(store, "UPDATE cases SET document = REPLACE(document, 'Ann', 'Mal'), chain_doc_hash = NULL WHERE id = 'alpha'");

        var status = await Assert.ThrowsAsync<CorruptCaseException>(() => store.FindAsync("alpha"));
        var fire = await Assert.ThrowsAsync<CorruptCaseException>(() => lifecycle.FireAsync("alpha", TriggerRequest.Complete("role-1-step-0", new Actor("Bo", "role-1"))));
        var refusal = await Assert.ThrowsAsync<CorruptCaseException>(() => store.AppendAsync(RefusalOf(history[^1])));
        var verify = await AuditChain.VerifyAsync(store, new AuditVerifyOptions { Key = key, Anchor = anchor });

        Assert.StartsWith("Case 'alpha' is damaged: its document is not the one its newest audit entry records ('", status.Message, StringComparison.Ordinal);
        Assert.Contains("; the row's chain_doc_hash says NULL): the document was changed outside the lifecycle", status.Message, StringComparison.Ordinal);
        Assert.Equal(status.Message, fire.Message);
        Assert.Contains("chain_doc_hash", refusal.Message, StringComparison.Ordinal);
        Assert.Equal(history.Count, (await store.HistoryAsync("alpha")).Count);
        Assert.False(verify.IsIntact);
        Assert.Contains(verify.Problems, p => p.Contains("(column chain_doc_hash) as NULL", StringComparison.Ordinal) && p.Contains("status and fire refuse the case", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_genuine_document_with_no_recorded_hash_is_refused_in_the_words_verify_uses()
    {
        var store = NewStore();
        await BuildTwoCasesAsync(store);
        var trail = (await store.HistoryAsync("alpha"))[^1].CaseDocumentHash;
        await ExecuteAsync(store, "UPDATE cases SET chain_doc_hash = NULL WHERE id = 'alpha'");

        var status = await Assert.ThrowsAsync<CorruptCaseException>(() => store.FindAsync("alpha"));

        Assert.StartsWith($"Case 'alpha''s row records the document hash of its newest audit entry (column chain_doc_hash) as NULL, but that entry recorded {trail}", status.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_document_hash_written_into_the_newest_entry_is_refused_by_that_entrys_own_hash(bool keyed)
    {
        var key = keyed ? Key : null;
        var store = NewStore(key);
        var lifecycle = await BuildTwoCasesAsync(store);
        var forged = (await QueryTextAsync(store, "SELECT document FROM cases WHERE id = 'alpha'")).Replace("Ann", "Mal", StringComparison.Ordinal);
        var forgedHash = AuditEntry.HashDocument(forged);

        // Triggers dropped: the newest entry, the row and its document all say the forged document, but the entry's
        // hash is not recomputed (with a key it cannot be; without one, a full recompute is an anchor's to find).
        await TamperAsync(store, $"UPDATE audit SET case_doc_hash = '{forgedHash}' WHERE seq = (SELECT MAX(seq) FROM audit WHERE case_id = 'alpha'); UPDATE cases SET document = {Literal(forged)}, chain_doc_hash = '{forgedHash}' WHERE id = 'alpha'");

        var status = await Assert.ThrowsAsync<CorruptCaseException>(() => store.FindAsync("alpha"));
        var fire = await Assert.ThrowsAsync<CorruptCaseException>(() => lifecycle.FireAsync("alpha", TriggerRequest.Complete("role-1-step-0", new Actor("Bo", "role-1"))));

        Assert.Equal($"Case 'alpha''s history is damaged: Audit entry 6 does not carry the hash its fields give{(keyed ? " under the audit key" : string.Empty)}: it was changed or forged by hand", status.Message);
        Assert.Equal(status.Message, fire.Message);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_case_row_rolled_back_to_an_earlier_entry_is_refused(bool keyed)
    {
        var store = NewStore(keyed ? Key : null);
        var lifecycle = new ProposalLifecycle(store);
        await lifecycle.CreateAsync(Plans.Parallel(2, 2), Clerk, "alpha");
        var (document, version, length, hash, documentHash, updatedAt) = await CaseRowAsync(store, "alpha");
        await lifecycle.FireAsync("alpha", new TriggerRequest(CaseTrigger.Start, Clerk));
        await lifecycle.FireAsync("alpha", new TriggerRequest(CaseTrigger.Withdraw, Clerk));

        // Every column put back as it was after Create (kept by the attacker); no entry touched.
        await ExecuteAsync(store, $"UPDATE cases SET document = {Literal(document)}, state = 'Draft', version = {version}, chain_seq = {length}, chain_hash = {Literal(hash)}, chain_doc_hash = {Literal(documentHash)}, updated_at = {Literal(updatedAt)} WHERE id = 'alpha'");

        var status = await Assert.ThrowsAsync<CorruptCaseException>(() => store.FindAsync("alpha"));
        var start = await Assert.ThrowsAsync<CorruptCaseException>(() => lifecycle.FireAsync("alpha", new TriggerRequest(CaseTrigger.Start, Clerk)));

        Assert.StartsWith($"Case 'alpha' is damaged: its row records its newest audit entry as its entry 1 ({hash[..12]}), but its newest entry is audit entry 3, its entry 3 (", status.Message, StringComparison.Ordinal);
        Assert.Contains("the row was rolled back or changed outside the lifecycle", status.Message, StringComparison.Ordinal);
        Assert.Equal(status.Message, start.Message);
        Assert.Equal("3", await QueryTextAsync(store, "SELECT CAST(COUNT(*) AS TEXT) FROM audit WHERE case_id = 'alpha'"));
    }

    [Fact]
    public async Task A_case_whose_entries_were_all_removed_is_refused()
    {
        var store = NewStore();
        await BuildTwoCasesAsync(store);
        await TamperAsync(store, $"DELETE FROM audit WHERE case_id = 'alpha'; UPDATE cases SET chain_seq = 0, chain_hash = '{AuditEntry.Genesis}', chain_doc_hash = NULL WHERE id = 'alpha'");

        var status = await Assert.ThrowsAsync<CorruptCaseException>(() => store.FindAsync("alpha"));

        Assert.StartsWith("Case 'alpha' has no audit trail: no audit entry is found for it", status.Message, StringComparison.Ordinal);
    }

    /// <summary>A refusal following <paramref name="newest"/>, as any caller of the store can append.</summary>
    private static AuditEntry RefusalOf(AuditEntry newest) => new()
    {
        CaseId = newest.CaseId,
        At = newest.At,
        RecordedAt = newest.RecordedAt,
        Actor = "Eve",
        Roles = "role-1",
        Trigger = "CompleteStep",
        Step = "role-0-step-1",
        From = newest.To,
        To = newest.To,
        Accepted = false,
        Detail = "refused: role",
        RuleSetHash = newest.RuleSetHash,
    };
}
