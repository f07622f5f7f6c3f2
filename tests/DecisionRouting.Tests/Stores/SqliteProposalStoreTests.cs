using System;
using System.IO;
using System.Threading.Tasks;
using DecisionRouting.Lifecycle;
using DecisionRouting.Stores;
using DecisionRouting.Tests.Support;
using Microsoft.Data.Sqlite;

namespace DecisionRouting.Tests.Stores;

/// <summary>The store suite on a real SQLite file.</summary>
public sealed class SqliteProposalStoreTests : ProposalStoreContract, IDisposable
{
    private readonly TempCaseStore _store = new("dr-sqlite-");

    /// <inheritdoc/>
    public void Dispose() => _store.Dispose();

    [Fact]
    public async Task Reading_a_missing_file_leaves_no_file_or_folder_behind()
    {
        var path = Path.Combine(_store.Folder, "typo", "cases.db");
        var store = new SqliteProposalStore(path);

        Assert.Null(await store.FindAsync("anything"));
        Assert.False(await store.ExistsAsync());
        Assert.Equal(0, (await AuditChain.VerifyAsync(store)).Entries);

        Assert.False(Directory.Exists(Path.GetDirectoryName(path)));
    }

    [Fact]
    public async Task An_empty_sqlite_file_is_not_a_store_and_checking_adds_no_tables()
    {
        var path = Path.Combine(_store.Folder, "empty.db");
        File.WriteAllBytes(path, Array.Empty<byte>());
        var store = new SqliteProposalStore(path);

        Assert.False(await store.ExistsAsync());
        Assert.Null(await store.FindAsync("anything"));
        Assert.Equal(0, new FileInfo(path).Length);
    }

    /// <inheritdoc/>
    protected override IProposalStore NewStore() => NewStore(null);

    /// <inheritdoc/>
    protected override IProposalStore NewStore(AuditKey? key) => new SqliteProposalStore(Path.Combine(_store.Folder, Guid.NewGuid().ToString("N") + ".db"), key);

    /// <inheritdoc/>
    protected override IProposalStore Reopen(IProposalStore store, AuditKey? key = null, bool readOnly = false) =>
        new SqliteProposalStore(((SqliteProposalStore)store).Path, key, readOnly);

    /// <inheritdoc/>
    protected override Task<IProposalStore> FormatOneStoreAsync()
    {
        var path = Path.Combine(_store.Folder, "format1.db");
        File.Copy(FormatOneFixture, path);
        return Task.FromResult<IProposalStore>(new SqliteProposalStore(path));
    }

    /// <summary>A store written by the CLI before audit format 2 (commit 7264e0c): two cases, six entries, one refused.</summary>
    internal static string FormatOneFixture => Path.Combine(AppContext.BaseDirectory, "Fixtures", "stores", "format1-store.sqlite");

    /// <inheritdoc/>
    protected override Task TamperAsync(IProposalStore store, string sql) =>
        // As an attacker with write access would: drop the append-only triggers, change the rows, put the triggers back
        // (a store without them is refused as altered, which would hide what the row checks report).
        ExecuteAsync(store, "DROP TRIGGER IF EXISTS audit_no_update; DROP TRIGGER IF EXISTS audit_no_delete; " + sql + "; CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END; CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END");

    /// <inheritdoc/>
    protected override async Task ExecuteAsync(IProposalStore store, string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={((SqliteProposalStore)store).Path}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    /// <inheritdoc/>
    protected override async Task<string> QueryTextAsync(IProposalStore store, string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={((SqliteProposalStore)store).Path}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (string)(await command.ExecuteScalarAsync())!;
    }

    /// <inheritdoc/>
    protected override (string Kind, string Target) WriterTarget(IProposalStore store) => ("sqlite", ((SqliteProposalStore)store).Path);

    /// <summary>
    /// F5 (third tester): with the triggers dropped, an entry's case_id re-typed as a BLOB read back as the same text, so
    /// it hashed the same and verify said intact, while history's WHERE case_id = @id (text) skipped it.
    /// </summary>
    [Fact]
    public async Task An_entry_whose_case_id_is_retyped_as_a_blob_is_reported_by_verify_and_stops_history()
    {
        var store = NewStore();
        await BuildTwoCasesAsync(store);
        Assert.True((await AuditChain.VerifyAsync(store)).IsIntact);

        await TamperAsync(store, "UPDATE audit SET case_id = CAST(case_id AS BLOB) WHERE seq = 3");
        var result = await AuditChain.VerifyAsync(store);
        var history = await Assert.ThrowsAsync<CorruptCaseException>(() => store.HistoryAsync("alpha"));

        Assert.Equal(
            "Audit entry 3: column case_id holds a BLOB ('alpha'), but decision-routing only writes text there: the row was changed by hand, and SQL comparing that column no longer sees the value that is read and hashed (a query by it, such as 'proposal history' by case_id, can miss the row). Restore the store from a backup",
            Assert.Single(result.Problems));
        Assert.Equal("Case 'alpha''s history is damaged: its row records a chain of 4 audit entries, but the entries found for it are its entries 1, 3, 4: entries were removed or hidden by hand (a re-typed or changed case_id)", history.Message);
    }

    /// <summary>Siblings of F5: any column of any table holding a value of another storage type than the store writes.</summary>
    [Theory]
    [InlineData("UPDATE audit SET seq = 3.5 WHERE seq = 3", "Audit entry 3.5: column seq holds a real number (3.5), but decision-routing only writes an integer there")]
    [InlineData("UPDATE audit SET at = CAST(at AS BLOB) WHERE seq = 3", "Audit entry 3: column at holds a BLOB ('")]
    [InlineData("UPDATE audit SET hash = CAST(hash AS BLOB) WHERE seq = 3", "Audit entry 3: column hash holds a BLOB ('")]
    [InlineData("UPDATE audit SET case_seq = 'two' WHERE seq = 3", "Audit entry 3: column case_seq holds text (two), but decision-routing only writes an integer there")]
    [InlineData("UPDATE audit SET key_id = CAST('' AS BLOB) WHERE seq = 3", "Audit entry 3: column key_id holds a BLOB ('')")]
    [InlineData("UPDATE cases SET version = 2.5 WHERE id = 'alpha'", "Case 'alpha''s row (table cases): column version holds a real number (2.5), but decision-routing only writes an integer there")]
    [InlineData("UPDATE cases SET chain_hash = CAST(chain_hash AS BLOB) WHERE id = 'alpha'", "Case 'alpha''s row (table cases): column chain_hash holds a BLOB ('")]
    [InlineData("UPDATE audit_head SET hash = CAST(hash AS BLOB)", "The store-wide chain's head row (table audit_head): column hash holds a BLOB ('")]
    [InlineData("UPDATE store_meta SET value = CAST(value AS BLOB) WHERE name = 'audit_format2_from'", "store_meta row 'audit_format2_from': column value holds a BLOB ('")]
    // NodaTime's parser stops at a NUL, so this read as the untouched time; only SQLite text can hold one.
    [InlineData("UPDATE audit SET at = at || char(0) || 'x' WHERE seq = 3", "Audit entry 3: column at holds '")]
    public async Task A_value_of_another_storage_type_is_reported_by_verify(string sql, string expected)
    {
        var store = NewStore();
        await BuildTwoCasesAsync(store);

        await TamperAsync(store, sql);
        var result = await AuditChain.VerifyAsync(store);

        Assert.Contains(result.Problems, p => p.StartsWith(expected, StringComparison.Ordinal) && p.EndsWith("Restore the store from a backup", StringComparison.Ordinal));
    }

    /// <summary>
    /// A store_meta name re-typed as a BLOB: every other command reads the schema version by name, misses it and refuses
    /// the store as hand-edited; verify, which read all rows by position, said intact. It now names the row.
    /// </summary>
    [Fact]
    public async Task A_store_meta_name_retyped_as_a_blob_is_reported_by_verify_as_other_commands_refuse_the_store()
    {
        var store = NewStore();
        await BuildTwoCasesAsync(store);

        await ExecuteAsync(store, "UPDATE store_meta SET name = CAST(name AS BLOB) WHERE name = 'schema_version'");
        var reopened = Reopen(store);
        var result = await AuditChain.VerifyAsync(reopened);

        await Assert.ThrowsAsync<DecisionRouting.Stores.StoreMetaTamperedException>(() => reopened.FindAsync("alpha"));
        Assert.Contains(result.Problems, p => p.StartsWith("store_meta row 'schema_version': column name holds a BLOB ('schema_version')", StringComparison.Ordinal));
    }

    /// <summary>
    /// A case row's id re-typed as a BLOB: the key no longer matches it, so the case looked absent and could be created
    /// again beside it. Finding it now names the damage; verify names both rows.
    /// </summary>
    [Fact]
    public async Task A_case_id_retyped_as_a_blob_is_not_mistaken_for_no_case_and_a_second_row_is_reported()
    {
        var store = NewStore();
        await BuildTwoCasesAsync(store);

        await ExecuteAsync(store, "UPDATE cases SET id = CAST(id AS BLOB) WHERE id = 'alpha'");
        var found = await Assert.ThrowsAsync<CorruptCaseException>(() => store.FindAsync("alpha"));
        await new ProposalLifecycle(store).CreateAsync(Plans.Parallel(1, 1), new Actor("Mallory", "democratic-services"), "alpha");
        var result = await AuditChain.VerifyAsync(store);

        Assert.StartsWith("Case 'alpha''s row (table cases): column id holds a BLOB ('alpha'), but decision-routing only writes text there", found.Message);
        Assert.Contains(found.Message, result.Problems);
        Assert.Contains(result.Problems, p => p.StartsWith("Case 'alpha' has more than one row", StringComparison.Ordinal));
    }

    /// <summary>The writers read the row's chain head the way verify does: no entry is chained onto a damaged one.</summary>
    [Fact]
    public async Task A_write_onto_a_case_row_whose_chain_head_is_retyped_is_refused_and_adds_nothing()
    {
        var store = NewStore();
        var lifecycle = await BuildTwoCasesAsync(store);
        await ExecuteAsync(store, "UPDATE cases SET chain_hash = CAST(chain_hash AS BLOB) WHERE id = 'alpha'");

        var accepted = await Assert.ThrowsAsync<CorruptCaseException>(() => lifecycle.FireAsync("alpha", TriggerRequest.Complete("role-1-step-0", new Actor("Bo", "role-1"))));
        var refused = await Assert.ThrowsAsync<CorruptCaseException>(() => lifecycle.FireAsync("alpha", TriggerRequest.Complete("role-1-step-0", new Actor("Eve", "role-0"))));
        var result = await AuditChain.VerifyAsync(store);

        Assert.StartsWith("Case 'alpha''s row (table cases): column chain_hash holds a BLOB ('", accepted.Message);
        Assert.Equal(accepted.Message, refused.Message);
        Assert.Contains(accepted.Message, result.Problems);
        Assert.Equal(8, result.Entries);
    }

    [Fact]
    public async Task The_file_is_in_WAL_mode()
    {
        var store = (SqliteProposalStore)NewStore();
        await store.EnsureSchemaAsync();
        await using var connection = new SqliteConnection($"Data Source={store.Path}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode";
        Assert.Equal("wal", (string?)await command.ExecuteScalarAsync());
    }
}
