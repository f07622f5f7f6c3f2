using System.Collections.Concurrent;
using System.Linq;
using System.Threading.Tasks;
using DecisionRouting.Lifecycle;
using DecisionRouting.Stores;
using DecisionRouting.Tests.Support;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace DecisionRouting.Tests.Stores;

/// <summary>The store suite on a real PostgreSQL server (scripts/postgres.sh), a fresh database per store.</summary>
public sealed class PostgreSqlProposalStoreTests : ProposalStoreContract, IAsyncLifetime
{
    private static readonly ConcurrentDictionary<IProposalStore, string> Connections = new();

    // The stores this test opened: disposed at its end, so their pools close their connections at once rather than
    // holding them (and the dictionary holding the stores) for the rest of the suite.
    private readonly ConcurrentBag<PostgreSqlProposalStore> _opened = new();

    /// <inheritdoc/>
    public Task InitializeAsync() => Task.CompletedTask;

    /// <summary>Disposes every store the test opened (closing its pool's connections) and forgets their connection strings.</summary>
    public async Task DisposeAsync()
    {
        foreach (var store in _opened)
        {
            Connections.TryRemove(store, out _);
            await store.DisposeAsync();
        }
    }

    /// <inheritdoc/>
    protected override IProposalStore NewStore() => NewStore(null);

    /// <inheritdoc/>
    protected override IProposalStore NewStore(AuditKey? key) => Open(PostgresServer.NewDatabase(), key);

    /// <inheritdoc/>
    protected override IProposalStore Reopen(IProposalStore store, AuditKey? key = null, bool readOnly = false)
    {
        var connection = Connections[store];
        var reopened = Open(readOnly ? new NpgsqlConnectionStringBuilder(connection) { Options = "-c default_transaction_read_only=on" }.ToString() : connection, key);

        // Tampering through the reopened store goes to the same database, with full rights.
        Connections[reopened] = connection;
        return reopened;
    }

    /// <inheritdoc/>
    protected override async Task<IProposalStore> FormatOneStoreAsync()
    {
        // The schema version 1 code created exactly this; the rows are the fixture's, written by that code.
        var connection = PostgresServer.NewDatabase();
        var schema = new[]
        {
            "CREATE TABLE cases (id TEXT PRIMARY KEY, proposal_id TEXT NOT NULL, rule_set_hash TEXT NOT NULL, state TEXT NOT NULL, version BIGINT NOT NULL, document TEXT NOT NULL, updated_at TEXT NOT NULL)",
            "CREATE TABLE audit (seq BIGINT PRIMARY KEY, case_id TEXT NOT NULL, at TEXT NOT NULL, recorded_at TEXT NOT NULL, actor TEXT NOT NULL, roles TEXT NOT NULL, trigger_name TEXT NOT NULL, step TEXT, from_state TEXT NOT NULL, to_state TEXT NOT NULL, accepted INTEGER NOT NULL, detail TEXT, rule_set_hash TEXT NOT NULL, previous_hash TEXT NOT NULL, hash TEXT NOT NULL)",
            "CREATE INDEX audit_by_case ON audit (case_id, seq)",
            "CREATE TABLE audit_head (id INTEGER PRIMARY KEY CHECK (id = 1), seq BIGINT NOT NULL, hash TEXT NOT NULL)",
            "CREATE OR REPLACE FUNCTION decision_routing_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'the audit trail is append-only'; END $$",
            "CREATE TRIGGER audit_append_only BEFORE UPDATE OR DELETE ON audit FOR EACH ROW EXECUTE FUNCTION decision_routing_audit_append_only()",
        };
        await using var target = new NpgsqlConnection(connection);
        await target.OpenAsync();
        foreach (var statement in schema)
        {
            await new NpgsqlCommand(statement, target).ExecuteNonQueryAsync();
        }

        await using var source = new SqliteConnection($"Data Source={SqliteProposalStoreTests.FormatOneFixture};Mode=ReadOnly");
        await source.OpenAsync();
        foreach (var table in new[] { "cases", "audit", "audit_head" })
        {
            await using var read = source.CreateCommand();
            read.CommandText = $"SELECT * FROM {table}";
            await using var rows = await read.ExecuteReaderAsync();
            while (await rows.ReadAsync())
            {
                var names = Enumerable.Range(0, rows.FieldCount).Select(rows.GetName).ToList();
                await using var insert = new NpgsqlCommand($"INSERT INTO {table} ({string.Join(", ", names)}) VALUES ({string.Join(", ", names.Select(n => "@" + n))})", target);
                foreach (var name in names)
                {
                    var value = rows[name];
                    insert.Parameters.AddWithValue(name, value is long number && name is "accepted" or "id" ? (int)number : value);
                }

                await insert.ExecuteNonQueryAsync();
            }
        }

        return Open(connection, null);
    }

    /// <summary>
    /// Fourth tester's tamper_pg_view.sh / tamper_pg_cases.sh (H1) and siblings: objects that make a query by case see
    /// other rows than verify's scan are refused by every reader, by name, and reported by verify.
    /// </summary>
    [Theory]
    [InlineData("ALTER TABLE audit RENAME TO audit_t; CREATE VIEW audit AS SELECT * FROM audit_t", "'audit' is a view, not the table decision-routing creates")]
    [InlineData("ALTER TABLE cases RENAME TO cases_t; CREATE VIEW cases AS SELECT * FROM cases_t", "'cases' is a view, not the table decision-routing creates")]
    [InlineData("CREATE RULE hide AS ON INSERT TO audit DO ALSO NOTIFY x", "table 'audit' has rule 'hide', which rewrites queries on it")]
    [InlineData("ALTER TABLE audit ENABLE ROW LEVEL SECURITY; CREATE POLICY only_some ON audit USING (seq <> 1)", "table 'audit' has row-level security policy 'only_some'")]
    [InlineData("CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$; CREATE TRIGGER extra BEFORE INSERT ON cases FOR EACH ROW EXECUTE FUNCTION f()", "table 'cases' has trigger 'extra', which decision-routing never creates")]
    [InlineData("ALTER TABLE audit DISABLE TRIGGER audit_append_only", "trigger 'audit_append_only' on 'audit' is disabled")]
    public async Task An_altered_schema_is_refused_by_history_and_status_and_reported_by_verify(string sql, string expected)
    {
        var store = NewStore();
        await BuildTwoCasesAsync(store);
        await ExecuteAsync(store, sql);
        var reopened = Reopen(store);

        var history = await Assert.ThrowsAsync<StoreMetaTamperedException>(() => reopened.HistoryAsync("alpha"));
        var status = await Assert.ThrowsAsync<StoreMetaTamperedException>(() => Reopen(store).FindAsync("alpha"));
        var verify = await AuditChain.VerifyAsync(Reopen(store));

        Assert.Contains("The store's schema is not what decision-routing creates (changed by hand): ", history.Message, System.StringComparison.Ordinal);
        Assert.Contains(expected, history.Message, System.StringComparison.Ordinal);
        Assert.Contains(expected, status.Message, System.StringComparison.Ordinal);
        Assert.False(verify.IsIntact);
        Assert.Contains(verify.Problems, p => p.Contains(expected, System.StringComparison.Ordinal));
    }

    private PostgreSqlProposalStore Open(string connection, AuditKey? key)
    {
        var store = new PostgreSqlProposalStore(connection, key);
        Connections[store] = connection;
        _opened.Add(store);
        return store;
    }

    /// <inheritdoc/>
    protected override Task TamperAsync(IProposalStore store, string sql) =>
        ExecuteAsync(store, "ALTER TABLE audit DISABLE TRIGGER audit_append_only; " + sql + "; DO $$ BEGIN IF EXISTS (SELECT 1 FROM pg_trigger WHERE tgname = 'audit_append_only') THEN ALTER TABLE audit ENABLE TRIGGER audit_append_only; END IF; END $$");

    /// <inheritdoc/>
    protected override async Task ExecuteAsync(IProposalStore store, string sql)
    {
        await using var connection = new NpgsqlConnection(Connections[store]);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <inheritdoc/>
    protected override async Task<string> QueryTextAsync(IProposalStore store, string sql)
    {
        await using var connection = new NpgsqlConnection(Connections[store]);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (string)(await command.ExecuteScalarAsync())!;
    }

    /// <inheritdoc/>
    protected override (string Kind, string Target) WriterTarget(IProposalStore store) => ("postgres", Connections[store]);
}
