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
    private readonly string directory = Directory.CreateTempSubdirectory("dr-sqlite-").FullName;

    /// <inheritdoc/>
    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(directory, recursive: true);
    }

    /// <inheritdoc/>
    protected override IProposalStore NewStore() => new SqliteProposalStore(Path.Combine(directory, Guid.NewGuid().ToString("N") + ".db"));

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
