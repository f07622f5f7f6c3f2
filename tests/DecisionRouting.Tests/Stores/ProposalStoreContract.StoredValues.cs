using System;
using System.Linq;
using System.Threading.Tasks;
using DecisionRouting.Lifecycle;

namespace DecisionRouting.Tests.Stores;

/// <summary>
/// Whatever a command reads, audit verify checks, the same way (third tester, F5 and F6): every column of a case row
/// against its document and its trail, values stored otherwise than the store writes them, and an entry moved out of
/// its case's history. On every store; the storage-type tampering only SQLite allows is in SqliteProposalStoreTests.
/// </summary>
public abstract partial class ProposalStoreContract
{
    /// <summary>
    /// F6: the columns beside the document were not checked, so status and fire refused the case as damaged while verify
    /// said intact. Each column is now named by both, in the same words.
    /// </summary>
    [Theory]
    [InlineData("version = 99", "Case 'alpha' is damaged: its row's column version is 99, but its document says 2", true)]
    [InlineData("state = 'Decided'", "Case 'alpha' is damaged: its row's column state is 'Decided', but its document says 'InProgress'", true)]
    [InlineData("state = ' InProgress'", "Case 'alpha' is damaged: its row's column state is ' InProgress', but its document says 'InProgress'", true)]
    [InlineData("proposal_id = 'evil'", "Case 'alpha' is damaged: its row's column proposal_id is 'evil', but its document says", true)]
    [InlineData("rule_set_hash = 'x'", "Case 'alpha' is damaged: its row's column rule_set_hash is 'x', but its document says", true)]
    [InlineData("updated_at = 'garbage'", "Case 'alpha''s row (table cases): column updated_at holds 'garbage', which is not a time", true)]
    [InlineData("updated_at = '2001-01-01T00:00:00Z'", "Case 'alpha''s row says it last changed at 2001-01-01T00:00:00Z (column updated_at), but its newest accepted audit entry (5) was recorded at", false)]
    [InlineData("chain_doc_hash = 'ffff'", "Case 'alpha''s row records the document hash of its newest audit entry (column chain_doc_hash) as ffff, but that entry (6) recorded", false)]
    public async Task A_case_row_column_that_disagrees_is_reported_by_verify_as_status_refuses_it(string set, string expected, bool statusRefuses)
    {
        var store = NewStore();
        var lifecycle = await BuildTwoCasesAsync(store);
        Assert.True((await AuditChain.VerifyAsync(store)).IsIntact);

        // The cases table has no trigger: an UPDATE is all it takes.
        await ExecuteAsync(store, $"UPDATE cases SET {set} WHERE id = 'alpha'");
        var result = await AuditChain.VerifyAsync(store);

        Assert.False(result.IsIntact);
        Assert.Contains(result.Problems, p => p.StartsWith(expected, StringComparison.Ordinal) && p.Contains("restore the store from a backup", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(result.Problems, p => p.Contains("'beta'", StringComparison.Ordinal));
        if (statusRefuses)
        {
            var refused = await Assert.ThrowsAsync<CorruptCaseException>(() => lifecycle.StatusAsync("alpha"));
            Assert.StartsWith(expected, refused.Message, StringComparison.Ordinal);
            Assert.Contains(refused.Message, result.Problems);
        }
        else
        {
            // Only the trail knows these, so verify tells the whole story; status reads the case only if its document is
            // the one the newest entry recorded and the row's chain_doc_hash says so too, and refuses it otherwise, in
            // verify's words (verify also names the entry's number, which status does not look up).
            if (set.StartsWith("chain_doc_hash", StringComparison.Ordinal))
            {
                var refused = await Assert.ThrowsAsync<CorruptCaseException>(() => lifecycle.StatusAsync("alpha"));
                Assert.StartsWith("Case 'alpha''s row records the document hash of its newest audit entry (column chain_doc_hash) as ffff, but that entry recorded ", refused.Message, StringComparison.Ordinal);
            }
            else
            {
                Assert.Equal(CaseState.InProgress, (await lifecycle.StatusAsync("alpha")).Case.State);
            }
        }
    }

    [Fact]
    public async Task The_tester_row_edit_names_every_column_it_changed()
    {
        var store = NewStore();
        await BuildTwoCasesAsync(store);

        await ExecuteAsync(store, "UPDATE cases SET version = 99, state = 'Decided', proposal_id = 'evil', rule_set_hash = 'x', updated_at = 'garbage' WHERE id = 'alpha'");
        var result = await AuditChain.VerifyAsync(store);

        foreach (var column in new[] { "column version is 99", "column state is 'Decided'", "column proposal_id is 'evil'", "column rule_set_hash is 'x'", "column updated_at holds 'garbage'" })
        {
            Assert.Contains(result.Problems, p => p.Contains(column, StringComparison.Ordinal));
        }
    }

    /// <summary>
    /// Values a parser accepts but the store never writes: they read (and hash) as what they mean, while SQL comparing
    /// the column sees something else (a query for InProgress entries would miss the first; one for accepted = 1, the second).
    /// </summary>
    [Theory]
    [InlineData("to_state = ' ' || to_state", "Audit entry 5: column to_state holds ' InProgress', which is not a case state")]
    [InlineData("from_state = '1'", "Audit entry 5: column from_state holds '1', which is not a case state")]
    [InlineData("accepted = 2", "Audit entry 5: column accepted holds 2, which reads as true but is not what decision-routing writes (0 or 1)")]
    [InlineData("at = SUBSTR(at, 1, 19) || '.000000000Z'", "Audit entry 5: column at holds '")]
    public async Task An_entry_value_not_as_the_store_writes_it_is_reported_by_verify_and_refused_by_history(string set, string expected)
    {
        var store = NewStore();
        await BuildTwoCasesAsync(store);

        await TamperAsync(store, $"UPDATE audit SET {set} WHERE seq = 5");
        var result = await AuditChain.VerifyAsync(store);
        var history = await Assert.ThrowsAsync<CorruptCaseException>(() => store.HistoryAsync("alpha"));

        Assert.Contains(result.Problems, p => p.StartsWith(expected, StringComparison.Ordinal) && p.EndsWith("Restore the store from a backup", StringComparison.Ordinal));
        Assert.StartsWith(expected, history.Message, StringComparison.Ordinal);

        // The other case is untouched and still reads.
        Assert.Equal(4, (await store.HistoryAsync("beta")).Count);
    }

    /// <summary>Siblings of F5: an entry moved out of its case by a case_id that only looks the same. History stops, verify names it.</summary>
    [Theory]
    [InlineData("alpha ")]
    [InlineData("ALPHA")]
    [InlineData("beta")]
    public async Task An_entry_moved_to_another_case_id_is_missed_by_no_one(string movedTo)
    {
        var store = NewStore();
        await BuildTwoCasesAsync(store);

        // Alpha's entries are 1, 3, 5 and 6; its third (5, Ann's sign-off) goes.
        await TamperAsync(store, $"UPDATE audit SET case_id = '{movedTo}' WHERE seq = 5");
        var result = await AuditChain.VerifyAsync(store);
        var history = await Assert.ThrowsAsync<CorruptCaseException>(() => store.HistoryAsync("alpha"));

        Assert.Contains(result.Problems, p => p.StartsWith("Entry 5 (CompleteStep role-0-step-0 on case", StringComparison.Ordinal) && p.Contains("was changed after it was written", StringComparison.Ordinal));
        Assert.Contains("Case 'alpha' is missing its entries 3–3 (before entry 6)", result.Problems);
        Assert.Equal("Case 'alpha''s history is damaged: its row records a chain of 4 audit entries, but the entries found for it are its entries 1, 2, 4: entries were removed or hidden by hand (a re-typed or changed case_id)", history.Message);
        if (movedTo != "beta")
        {
            Assert.Contains(result.Problems, p => p.StartsWith($"Case '{movedTo}' has ", StringComparison.Ordinal) && p.EndsWith("but no case row: the case was deleted outside the lifecycle", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task History_stops_when_the_newest_entries_of_a_case_are_gone_and_its_row_still_counts_them()
    {
        var store = NewStore();
        await BuildTwoCasesAsync(store);

        await TamperAsync(store, "DELETE FROM audit WHERE seq = 6");
        var history = await Assert.ThrowsAsync<CorruptCaseException>(() => store.HistoryAsync("alpha"));
        var result = await AuditChain.VerifyAsync(store);

        Assert.Equal("Case 'alpha''s history is damaged: its row records a chain of 4 audit entries, but the entries found for it are its entries 1, 2, 3: entries were removed or hidden by hand (a re-typed or changed case_id)", history.Message);
        Assert.Contains(result.Problems, p => p.StartsWith("Case 'alpha''s row records its newest audit entry as its entry 4", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_untouched_store_reads_and_verifies_with_every_value_checked()
    {
        var store = NewStore();
        var lifecycle = await BuildTwoCasesAsync(store);
        var accepted = await lifecycle.FireAsync("alpha", TriggerRequest.Complete("role-1-step-0", new Actor("Bo", "role-1")));

        var result = await AuditChain.VerifyAsync(store);

        Assert.True(accepted.Accepted);
        Assert.True(result.IsIntact, string.Join("\n", result.Problems));
        Assert.Equal(9, result.Entries);
        Assert.Equal(new long?[] { 1, 2, 3, 4, 5 }, (await store.HistoryAsync("alpha")).Select(e => e.CaseSequence));
        Assert.Equal(3, (await lifecycle.StatusAsync("alpha")).Case.Version);
    }
}
