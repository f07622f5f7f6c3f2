using System;
using System.IO;
using System.Threading.Tasks;
using DecisionRouting.Lifecycle;
using DecisionRouting.Stores;
using Microsoft.Data.Sqlite;

namespace DecisionRouting.Tests.Stores;

/// <summary>The store suite on a real SQLite file.</summary>
public sealed class SqliteProposalStoreTests : ProposalStoreContract, IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("dr-sqlite-").FullName;

    /// <inheritdoc/>
    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Reading_a_missing_file_leaves_no_file_or_folder_behind()
    {
        var path = Path.Combine(_directory, "typo", "cases.db");
        var store = new SqliteProposalStore(path);

        Assert.Null(await store.FindAsync("anything"));
        Assert.False(await store.ExistsAsync());
        Assert.Equal(0, (await AuditChain.VerifyAsync(store)).Entries);

        Assert.False(Directory.Exists(Path.GetDirectoryName(path)));
    }

    [Fact]
    public async Task An_empty_sqlite_file_is_not_a_store_and_checking_adds_no_tables()
    {
        var path = Path.Combine(_directory, "empty.db");
        File.WriteAllBytes(path, Array.Empty<byte>());
        var store = new SqliteProposalStore(path);

        Assert.False(await store.ExistsAsync());
        Assert.Null(await store.FindAsync("anything"));
        Assert.Equal(0, new FileInfo(path).Length);
    }

    /// <inheritdoc/>
    protected override IProposalStore NewStore() => NewStore(null);

    /// <inheritdoc/>
    protected override IProposalStore NewStore(AuditKey? key) => new SqliteProposalStore(Path.Combine(_directory, Guid.NewGuid().ToString("N") + ".db"), key);

    /// <inheritdoc/>
    protected override IProposalStore Reopen(IProposalStore store, AuditKey? key = null, bool readOnly = false) =>
        new SqliteProposalStore(((SqliteProposalStore)store).Path, key, readOnly);

    /// <inheritdoc/>
    protected override Task<IProposalStore> FormatOneStoreAsync()
    {
        var path = Path.Combine(_directory, "format1.db");
        File.Copy(FormatOneFixture, path);
        return Task.FromResult<IProposalStore>(new SqliteProposalStore(path));
    }

    /// <summary>A store written by the CLI before audit format 2 (commit 7264e0c): two cases, six entries, one refused.</summary>
    internal static string FormatOneFixture => Path.Combine(AppContext.BaseDirectory, "Fixtures", "stores", "format1-store.sqlite");

    /// <inheritdoc/>
    protected override Task TamperAsync(IProposalStore store, string sql) =>
        ExecuteAsync(store, "DROP TRIGGER IF EXISTS audit_no_update; DROP TRIGGER IF EXISTS audit_no_delete; " + sql);

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
    protected override (string Kind, string Target) WriterTarget(IProposalStore store) => ("sqlite", ((SqliteProposalStore)store).Path);

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
