using System;
using System.Collections.Generic;
using System.Data;
using System.Data.Common;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using DecisionRouting.Lifecycle;
using NodaTime.Text;

namespace DecisionRouting.Stores
{
    /// <summary>
    /// The SQL both stores share. A case change and its audit entry commit in one transaction; the case row is updated
    /// only from the version the caller read; the audit head row serialises appends so the chain follows commit order.
    /// </summary>
    public abstract class RelationalProposalStore : IProposalStore
    {
        private const string AuditColumns = "seq, case_id, at, recorded_at, actor, roles, trigger_name, step, from_state, to_state, accepted, detail, rule_set_hash, previous_hash, hash";

        private readonly SemaphoreSlim schemaGate = new(1, 1);
        private volatile bool schemaReady;

        /// <summary>Opens a connection, configured for this store.</summary>
        protected abstract Task<DbConnection> OpenAsync(CancellationToken cancellationToken);

        /// <summary>Starts a write transaction that excludes other writers where the database needs it to (SQLite: IMMEDIATE).</summary>
        protected abstract Task<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken cancellationToken);

        /// <summary>The statements that create the schema if it is missing; run in one write transaction.</summary>
        protected abstract IReadOnlyList<string> SchemaStatements { get; }

        /// <summary>Appended to the head query to lock the head row until commit (PostgreSQL: FOR UPDATE).</summary>
        protected virtual string LockHeadRow => string.Empty;

        /// <summary>
        /// A query giving how many of the store's three tables (<c>cases</c>, <c>audit</c>, <c>audit_head</c>) exist,
        /// without creating anything.
        /// </summary>
        protected abstract string CountTables { get; }

        /// <summary>
        /// Whether the store exists: the database is there and holds the case tables. Creates nothing, so a command that
        /// only reads can say "no such store" instead of creating an empty one and reporting on it. Reads on a store
        /// that does not exist find nothing and create nothing; only writes create it.
        /// </summary>
        /// <exception cref="System.Data.Common.DbException">The database cannot be read (not a database, no access).</exception>
        public virtual async Task<bool> ExistsAsync(CancellationToken cancellationToken = default)
        {
            if (schemaReady)
            {
                return true;
            }

            await using var connection = await OpenToCheckAsync(cancellationToken).ConfigureAwait(false);
            await using var command = Command(connection, null, CountTables);
            var tables = Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
            return tables == 3;
        }

        /// <summary>Opens a connection for <see cref="ExistsAsync"/>; it must not create or change the database.</summary>
        protected virtual Task<DbConnection> OpenToCheckAsync(CancellationToken cancellationToken) => OpenAsync(cancellationToken);

        /// <inheritdoc/>
        public async Task<AuditEntry> CreateAsync(ProposalCase proposalCase, AuditEntry created, CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(proposalCase);
            ArgumentNullException.ThrowIfNull(created);
            return await WriteAsync(
                async (connection, transaction) =>
                {
                    var inserted = await ExecuteAsync(
                        connection,
                        transaction,
                        "INSERT INTO cases (id, proposal_id, rule_set_hash, state, version, document, updated_at) VALUES (@id, @proposal, @hash, @state, @version, @document, @updated) ON CONFLICT (id) DO NOTHING",
                        cancellationToken,
                        ("@id", proposalCase.Id),
                        ("@proposal", proposalCase.Plan.ProposalId),
                        ("@hash", proposalCase.Plan.RuleSetHash),
                        ("@state", proposalCase.State.ToString()),
                        ("@version", proposalCase.Version),
                        ("@document", CaseJson.Write(proposalCase)),
                        ("@updated", InstantPattern.ExtendedIso.Format(created.RecordedAt))).ConfigureAwait(false);
                    if (inserted == 0)
                    {
                        throw new CaseAlreadyExistsException(proposalCase.Id);
                    }
                },
                created,
                cancellationToken).ConfigureAwait(false);
        }

        /// <inheritdoc/>
        public async Task<ProposalCase?> FindAsync(string caseId, CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(caseId);
            if (!await ExistsAsync(cancellationToken).ConfigureAwait(false))
            {
                return null;
            }

            await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var command = Command(connection, null, "SELECT document, version FROM cases WHERE id = @id", ("@id", caseId));
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                return null;
            }

            var read = CaseJson.Read(reader.GetString(0));
            var version = reader.GetInt64(1);
            if (read.Version != version || read.Id != caseId)
            {
                throw new CorruptCaseException($"Case '{caseId}' is damaged: its row says version {version}, its document says case '{read.Id}' version {read.Version}");
            }

            return read;
        }

        /// <inheritdoc/>
        public async Task<AuditEntry> SaveAsync(ProposalCase updated, long expectedVersion, AuditEntry entry, CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(updated);
            ArgumentNullException.ThrowIfNull(entry);
            if (updated.Version != expectedVersion + 1)
            {
                throw new ArgumentException($"The updated case must be version {expectedVersion + 1}, one on from the version read", nameof(updated));
            }

            return await WriteAsync(
                async (connection, transaction) =>
                {
                    var changed = await ExecuteAsync(
                        connection,
                        transaction,
                        "UPDATE cases SET state = @state, version = @version, document = @document, updated_at = @updated WHERE id = @id AND version = @expected",
                        cancellationToken,
                        ("@state", updated.State.ToString()),
                        ("@version", updated.Version),
                        ("@document", CaseJson.Write(updated)),
                        ("@updated", InstantPattern.ExtendedIso.Format(entry.RecordedAt)),
                        ("@id", updated.Id),
                        ("@expected", expectedVersion)).ConfigureAwait(false);
                    if (changed == 0)
                    {
                        throw new CaseConflictException(updated.Id, expectedVersion);
                    }
                },
                entry,
                cancellationToken).ConfigureAwait(false);
        }

        /// <inheritdoc/>
        public Task<AuditEntry> AppendAsync(AuditEntry entry, CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(entry);
            return WriteAsync((_, _) => Task.CompletedTask, entry, cancellationToken);
        }

        /// <inheritdoc/>
        public async Task<IReadOnlyList<AuditEntry>> HistoryAsync(string caseId, CancellationToken cancellationToken = default)
        {
            var entries = new List<AuditEntry>();
            await foreach (var entry in ReadAsync($"SELECT {AuditColumns} FROM audit WHERE case_id = @id ORDER BY seq", cancellationToken, ("@id", caseId)).ConfigureAwait(false))
            {
                entries.Add(entry);
            }

            return entries;
        }

        /// <inheritdoc/>
        public IAsyncEnumerable<AuditEntry> ReadAuditAsync(CancellationToken cancellationToken = default) =>
            ReadAsync($"SELECT {AuditColumns} FROM audit ORDER BY seq", cancellationToken);

        /// <inheritdoc/>
        public async Task<(long Sequence, string Hash)> HeadAsync(CancellationToken cancellationToken = default)
        {
            if (!await ExistsAsync(cancellationToken).ConfigureAwait(false))
            {
                return (0, AuditEntry.Genesis);
            }

            await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
            return await ReadHeadAsync(connection, null, string.Empty, cancellationToken).ConfigureAwait(false);
        }

        /// <summary>Creates the schema if it is missing (once per store object).</summary>
        public async Task EnsureSchemaAsync(CancellationToken cancellationToken = default)
        {
            if (schemaReady)
            {
                return;
            }

            await schemaGate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                if (schemaReady)
                {
                    return;
                }

                await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
                await using var transaction = await BeginWriteAsync(connection, cancellationToken).ConfigureAwait(false);
                foreach (var statement in SchemaStatements)
                {
                    await ExecuteAsync(connection, transaction, statement, cancellationToken).ConfigureAwait(false);
                }

                await ExecuteAsync(
                    connection,
                    transaction,
                    "INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, @genesis) ON CONFLICT (id) DO NOTHING",
                    cancellationToken,
                    ("@genesis", AuditEntry.Genesis)).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                schemaReady = true;
            }
            finally
            {
                schemaGate.Release();
            }
        }

        /// <summary>The tables, in the dialect's types.</summary>
        protected static IReadOnlyList<string> Tables(string booleanType) => new[]
        {
            "CREATE TABLE IF NOT EXISTS cases (id TEXT PRIMARY KEY, proposal_id TEXT NOT NULL, rule_set_hash TEXT NOT NULL, state TEXT NOT NULL, version BIGINT NOT NULL, document TEXT NOT NULL, updated_at TEXT NOT NULL)",
            $"CREATE TABLE IF NOT EXISTS audit (seq BIGINT PRIMARY KEY, case_id TEXT NOT NULL, at TEXT NOT NULL, recorded_at TEXT NOT NULL, actor TEXT NOT NULL, roles TEXT NOT NULL, trigger_name TEXT NOT NULL, step TEXT, from_state TEXT NOT NULL, to_state TEXT NOT NULL, accepted {booleanType} NOT NULL, detail TEXT, rule_set_hash TEXT NOT NULL, previous_hash TEXT NOT NULL, hash TEXT NOT NULL)",
            "CREATE INDEX IF NOT EXISTS audit_by_case ON audit (case_id, seq)",
            "CREATE TABLE IF NOT EXISTS audit_head (id INTEGER PRIMARY KEY CHECK (id = 1), seq BIGINT NOT NULL, hash TEXT NOT NULL)",
        };

        private async Task<AuditEntry> WriteAsync(Func<DbConnection, DbTransaction, Task> change, AuditEntry entry, CancellationToken cancellationToken)
        {
            await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
            await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var transaction = await BeginWriteAsync(connection, cancellationToken).ConfigureAwait(false);

            // The case first, then the head: the head lock is held only for the append, not while waiting on a case row.
            await change(connection, transaction).ConfigureAwait(false);
            var (sequence, previous) = await ReadHeadAsync(connection, transaction, LockHeadRow, cancellationToken).ConfigureAwait(false);
            var chained = entry.ChainedAfter(sequence + 1, previous);
            await ExecuteAsync(
                connection,
                transaction,
                $"INSERT INTO audit ({AuditColumns}) VALUES (@seq, @case, @at, @recorded, @actor, @roles, @trigger, @step, @from, @to, @accepted, @detail, @hash, @previous, @entryHash)",
                cancellationToken,
                ("@seq", chained.Sequence),
                ("@case", chained.CaseId),
                ("@at", InstantPattern.ExtendedIso.Format(chained.At)),
                ("@recorded", InstantPattern.ExtendedIso.Format(chained.RecordedAt)),
                ("@actor", chained.Actor),
                ("@roles", chained.Roles),
                ("@trigger", chained.Trigger),
                ("@step", chained.Step),
                ("@from", chained.From.ToString()),
                ("@to", chained.To.ToString()),
                ("@accepted", chained.Accepted ? 1 : 0),
                ("@detail", chained.Detail),
                ("@hash", chained.RuleSetHash),
                ("@previous", chained.PreviousHash),
                ("@entryHash", chained.Hash)).ConfigureAwait(false);
            await ExecuteAsync(connection, transaction, "UPDATE audit_head SET seq = @seq, hash = @hash WHERE id = 1", cancellationToken, ("@seq", chained.Sequence), ("@hash", chained.Hash)).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return chained;
        }

        private static async Task<(long, string)> ReadHeadAsync(DbConnection connection, DbTransaction? transaction, string suffix, CancellationToken cancellationToken)
        {
            await using var command = Command(connection, transaction, "SELECT seq, hash FROM audit_head WHERE id = 1" + suffix);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                throw new CorruptCaseException("The audit trail's head row is missing: the store was damaged by hand");
            }

            return (reader.GetInt64(0), reader.GetString(1));
        }

        private async IAsyncEnumerable<AuditEntry> ReadAsync(string sql, [EnumeratorCancellation] CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
        {
            if (!await ExistsAsync(cancellationToken).ConfigureAwait(false))
            {
                yield break;
            }

            await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var command = Command(connection, null, sql, parameters);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                yield return ReadEntry(reader);
            }
        }

        private static AuditEntry ReadEntry(DbDataReader r)
        {
            try
            {
                return new AuditEntry
                {
                    Sequence = r.GetInt64(0),
                    CaseId = r.GetString(1),
                    At = InstantPattern.ExtendedIso.Parse(r.GetString(2)).GetValueOrThrow(),
                    RecordedAt = InstantPattern.ExtendedIso.Parse(r.GetString(3)).GetValueOrThrow(),
                    Actor = r.GetString(4),
                    Roles = r.GetString(5),
                    Trigger = r.GetString(6),
                    Step = r.IsDBNull(7) ? null : r.GetString(7),
                    From = Enum.Parse<CaseState>(r.GetString(8)),
                    To = Enum.Parse<CaseState>(r.GetString(9)),
                    Accepted = Convert.ToInt64(r.GetValue(10), System.Globalization.CultureInfo.InvariantCulture) != 0,
                    Detail = r.IsDBNull(11) ? null : r.GetString(11),
                    RuleSetHash = r.GetString(12),
                    PreviousHash = r.GetString(13),
                    Hash = r.GetString(14),
                };
            }
            catch (Exception e) when (e is FormatException or ArgumentException or InvalidCastException or NodaTime.Text.UnparsableValueException)
            {
                throw new CorruptCaseException($"Audit entry {SafeSequence(r)} cannot be read ({e.Message}): the row was changed by hand", e);
            }
        }

        private static string SafeSequence(DbDataReader r) => r.IsDBNull(0) ? "?" : Convert.ToString(r.GetValue(0), System.Globalization.CultureInfo.InvariantCulture) ?? "?";

        private static async Task<int> ExecuteAsync(DbConnection connection, DbTransaction? transaction, string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
        {
            await using var command = Command(connection, transaction, sql, parameters);
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        private static DbCommand Command(DbConnection connection, DbTransaction? transaction, string sql, params (string Name, object? Value)[] parameters)
        {
            var command = connection.CreateCommand();
            command.CommandText = sql;
            command.Transaction = transaction;
            foreach (var (name, value) in parameters)
            {
                var parameter = command.CreateParameter();
                parameter.ParameterName = name;
                parameter.Value = value ?? DBNull.Value;
                if (value is string)
                {
                    parameter.DbType = DbType.String;
                }

                command.Parameters.Add(parameter);
            }

            return command;
        }
    }
}
