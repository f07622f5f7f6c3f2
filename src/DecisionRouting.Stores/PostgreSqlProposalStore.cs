using System;
using System.Collections.Generic;
using System.Data;
using System.Data.Common;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Npgsql;

namespace DecisionRouting.Stores
{
    /// <summary>
    /// Shared state for several app instances: PostgreSQL through Npgsql. Case rows are updated only from the version
    /// read; the audit head row is locked (FOR UPDATE) for the append, so the chain follows commit order.
    /// </summary>
    public sealed class PostgreSqlProposalStore : RelationalProposalStore, IAsyncDisposable, IDisposable
    {
        private readonly NpgsqlDataSource dataSource;

        /// <summary>A store on the database <paramref name="connectionString"/> names; tables are created on first use.</summary>
        public PostgreSqlProposalStore(string connectionString)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
            dataSource = NpgsqlDataSource.Create(connectionString);
        }

        /// <inheritdoc/>
        protected override IReadOnlyList<string> SchemaStatements { get; } = new List<string>
        {
            // Concurrent first uses from several instances would race on CREATE TABLE; one at a time.
            "SELECT pg_advisory_xact_lock(7508245)",
        }.Concat(Tables("INTEGER")).Concat(new[]
        {
            "CREATE OR REPLACE FUNCTION decision_routing_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'the audit trail is append-only'; END $$",
            "DROP TRIGGER IF EXISTS audit_append_only ON audit",
            "CREATE TRIGGER audit_append_only BEFORE UPDATE OR DELETE ON audit FOR EACH ROW EXECUTE FUNCTION decision_routing_audit_append_only()",
        }).ToList();

        /// <inheritdoc/>
        protected override string LockHeadRow => " FOR UPDATE";

        /// <inheritdoc/>
        protected override string CountTables =>
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name IN ('cases', 'audit', 'audit_head')";

        /// <inheritdoc/>
        public override async Task<bool> ExistsAsync(CancellationToken cancellationToken = default)
        {
            try
            {
                return await base.ExistsAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InvalidCatalogName)
            {
                // The database itself does not exist.
                return false;
            }
        }

        /// <inheritdoc/>
        public ValueTask DisposeAsync() => dataSource.DisposeAsync();

        /// <inheritdoc/>
        public void Dispose() => dataSource.Dispose();

        /// <inheritdoc/>
        protected override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken) =>
            await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);

        /// <inheritdoc/>
        protected override async Task<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken cancellationToken) =>
            await ((NpgsqlConnection)connection).BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken).ConfigureAwait(false);
    }
}
