using System;
using System.Collections.Generic;
using System.Data;
using System.Data.Common;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DecisionRouting.Lifecycle;
using Npgsql;

namespace DecisionRouting.Stores
{
    /// <summary>
    /// Shared state for several app instances: PostgreSQL through Npgsql. Case rows are updated only from the version
    /// read, and that row lock orders the case's audit chain, so commits on different cases run in parallel. Store-wide
    /// sequences come from a sequence taken under a ROW EXCLUSIVE lock on the audit table, so that taking a head (SHARE
    /// lock) waits for every entry already numbered to commit.
    /// </summary>
    public sealed class PostgreSqlProposalStore : RelationalProposalStore, IAsyncDisposable, IDisposable
    {
        private readonly NpgsqlDataSource _dataSource;

        private const long SealLock = 7508246;

        private readonly string _database;

        /// <summary>
        /// A store on the database <paramref name="connectionString"/> names; tables are created on first use. New audit
        /// entries are hashed with <paramref name="auditKey"/> (HMAC-SHA256) when one is given.
        /// </summary>
        public PostgreSqlProposalStore(string connectionString, AuditKey? auditKey = null)
            : base(auditKey)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
            _dataSource = NpgsqlDataSource.Create(connectionString);
            _database = new NpgsqlConnectionStringBuilder(connectionString).Database ?? "(default)";
        }

        /// <inheritdoc/>
        private protected override string Description => $"PostgreSQL database '{_database}'";

        /// <inheritdoc/>
        private protected override string? SchemaLockStatement => "SELECT pg_advisory_xact_lock(7508245)";

        /// <inheritdoc/>
        private protected override IReadOnlyList<string> MigrationToTwoStatements { get; } = new[]
        {
            "CREATE SEQUENCE IF NOT EXISTS audit_sequence",
            "SELECT setval('audit_sequence', (SELECT COALESCE(MAX(seq), 0) FROM audit) + 1, false)",
        };

        /// <inheritdoc/>
        private protected override IReadOnlyList<string> SchemaStatements { get; } = Tables("INTEGER").Concat(new[]
        {
            "CREATE OR REPLACE FUNCTION decision_routing_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'the audit trail is append-only'; END $$",
            "DROP TRIGGER IF EXISTS audit_append_only ON audit",
            "CREATE TRIGGER audit_append_only BEFORE UPDATE OR DELETE ON audit FOR EACH ROW EXECUTE FUNCTION decision_routing_audit_append_only()",
            VoidTable,
            "DROP TRIGGER IF EXISTS audit_void_append_only ON audit_void",
            "CREATE TRIGGER audit_void_append_only BEFORE UPDATE OR DELETE ON audit_void FOR EACH ROW EXECUTE FUNCTION decision_routing_audit_append_only()",
        }).ToList();

        /// <inheritdoc/>
        private protected override bool NumbersSurviveRollback => true;

        /// <inheritdoc/>
        private protected override string? SealStatement => $"SELECT pg_advisory_xact_lock({SealLock})";

        /// <inheritdoc/>
        private protected override string LockRow => " FOR UPDATE";

        /// <inheritdoc/>
        /// <remarks>
        /// The store's names as unqualified SQL resolves them (search_path): each must be a plain table (not a view,
        /// foreign or partitioned table) in the store's schema, without row-level security, policies or rules, and the
        /// only triggers on them the append-only ones, enabled. The catalogue is read; no table is.
        /// </remarks>
        private protected override async Task<IReadOnlyList<string>> CheckSchemaAsync(DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken)
        {
            var problems = new List<string>();
            const string Names = "ARRAY['cases', 'audit', 'audit_head', 'store_meta', 'audit_void']";
            await using (var command = Command(
                connection,
                transaction,
                $"SELECT t.name, c.relkind::text, n.nspname, current_schema(), c.relrowsecurity OR c.relforcerowsecurity FROM unnest({Names}) AS t(name) JOIN pg_class c ON c.oid = to_regclass(t.name) JOIN pg_namespace n ON n.oid = c.relnamespace ORDER BY t.name"))
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    var (name, kind, schema, current) = (reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3));
                    if (kind != "r")
                    {
                        problems.Add($"'{name}' is {Kind(kind)}, not the table decision-routing creates");
                    }

                    if (!string.Equals(schema, current, StringComparison.Ordinal))
                    {
                        problems.Add($"'{name}' resolves to {schema}.{name}, not the store's own schema {current}: another object shadows it on the search path");
                    }

                    if (reader.GetBoolean(4))
                    {
                        problems.Add($"table '{name}' has row-level security enabled, which can hide rows from some queries");
                    }
                }
            }

            await using (var command = Command(connection, transaction, $"SELECT tablename, rulename FROM pg_rules WHERE schemaname = current_schema() AND tablename = ANY({Names}) ORDER BY 1, 2"))
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    problems.Add($"table '{reader.GetString(0)}' has rule '{reader.GetString(1)}', which rewrites queries on it");
                }
            }

            await using (var command = Command(connection, transaction, $"SELECT tablename, policyname FROM pg_policies WHERE schemaname = current_schema() AND tablename = ANY({Names}) ORDER BY 1, 2"))
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    problems.Add($"table '{reader.GetString(0)}' has row-level security policy '{reader.GetString(1)}'");
                }
            }

            var triggers = new List<string>();
            await using (var command = Command(
                connection,
                transaction,
                $"SELECT c.relname, t.tgname, t.tgenabled::text FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid WHERE NOT t.tgisinternal AND c.relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = current_schema()) AND c.relname = ANY({Names}) ORDER BY 1, 2"))
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    var (table, name, enabled) = (reader.GetString(0), reader.GetString(1), reader.GetString(2));
                    if (!((table, name) is ("audit", "audit_append_only") or ("audit_void", "audit_void_append_only")))
                    {
                        problems.Add($"table '{table}' has trigger '{name}', which decision-routing never creates");
                    }
                    else if (enabled != "O")
                    {
                        problems.Add($"trigger '{name}' on '{table}' is disabled or set to fire only in some sessions ({enabled})");
                    }

                    triggers.Add(name);
                }
            }

            if (!triggers.Contains("audit_append_only"))
            {
                problems.Add("trigger 'audit_append_only' on 'audit' is missing");
            }

            return problems;

            static string Kind(string kind) => kind switch
            {
                "v" => "a view",
                "m" => "a materialized view",
                "f" => "a foreign table",
                "p" => "a partitioned table",
                _ => $"a relation of kind '{kind}'",
            };
        }

        /// <inheritdoc/>
        private protected override string AuditColumnExists => "SELECT count(*) FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = 'audit' AND column_name = @name";

        /// <inheritdoc/>
        private protected override string TableExists => "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = @name";

        /// <inheritdoc/>
        private protected override bool IsReadOnly(Exception exception) =>
            exception is PostgresException { SqlState: PostgresErrorCodes.ReadOnlySqlTransaction or PostgresErrorCodes.InsufficientPrivilege };

        /// <inheritdoc/>
        private protected override async Task<long> NextSequenceAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
        {
            // A shared hold on the seal lock before the number, kept to commit: a head taken meanwhile (which wants the
            // lock exclusively) waits until this entry commits or rolls back, so every number at or below the head's
            // sequence is settled when it is taken. Writers share it, so they do not wait for each other.
            await using var command = Command(connection, transaction, $"SELECT nextval('audit_sequence') FROM (SELECT pg_advisory_xact_lock_shared({SealLock})) AS sealed");
            return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
        }

        /// <inheritdoc/>
        private protected override async Task<long> ReadSealedSequenceAsync(CancellationToken cancellationToken)
        {
            await using var connection = await OpenReadAsync(cancellationToken).ConfigureAwait(false);
            await using var transaction = await ((NpgsqlConnection)connection).BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken).ConfigureAwait(false);

            // Exclusive: waits for every writer holding a number, and makes new ones wait until the maximum is read (an
            // advisory lock, so a read-only session can take it too). The maximum is read by a later statement, whose
            // snapshot sees all of them committed.
            await using (var seal = Command(connection, transaction, $"SELECT pg_advisory_xact_lock({SealLock})"))
            {
                await seal.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await using var command = Command(connection, transaction, "SELECT COALESCE(MAX(seq), 0) FROM audit");
            var sealedAt = Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return sealedAt;
        }

        /// <inheritdoc/>
        private protected override async Task<DbTransaction> BeginSnapshotAsync(DbConnection connection, CancellationToken cancellationToken) =>
            await ((NpgsqlConnection)connection).BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken).ConfigureAwait(false);

        /// <inheritdoc/>
        private protected override string CountTables =>
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
        public ValueTask DisposeAsync() => _dataSource.DisposeAsync();

        /// <inheritdoc/>
        public void Dispose() => _dataSource.Dispose();

        /// <inheritdoc/>
        private protected override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken) =>
            await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);

        /// <inheritdoc/>
        private protected override async Task<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken cancellationToken) =>
            await ((NpgsqlConnection)connection).BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken).ConfigureAwait(false);
    }
}
