using System.Collections.Concurrent;
using System.Threading.Tasks;
using DecisionRouting.Lifecycle;
using DecisionRouting.Stores;
using DecisionRouting.Tests.Support;
using Npgsql;

namespace DecisionRouting.Tests.Stores;

/// <summary>The store suite on a real PostgreSQL server (scripts/postgres.sh), a fresh database per store.</summary>
public sealed class PostgreSqlProposalStoreTests : ProposalStoreContract
{
    private static readonly ConcurrentDictionary<IProposalStore, string> Connections = new();

    /// <inheritdoc/>
    protected override IProposalStore NewStore()
    {
        var connection = PostgresServer.NewDatabase();
        var store = new PostgreSqlProposalStore(connection);
        Connections[store] = connection;
        return store;
    }

    /// <inheritdoc/>
    protected override Task TamperAsync(IProposalStore store, string sql) =>
        ExecuteAsync(store, "ALTER TABLE audit DISABLE TRIGGER audit_append_only; " + sql);

    /// <inheritdoc/>
    protected override async Task ExecuteAsync(IProposalStore store, string sql)
    {
        await using var connection = new NpgsqlConnection(Connections[store]);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <inheritdoc/>
    protected override (string Kind, string Target) WriterTarget(IProposalStore store) => ("postgres", Connections[store]);
}
