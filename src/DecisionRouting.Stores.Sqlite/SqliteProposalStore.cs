using System;
using System.Collections.Generic;
using System.Data.Common;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DecisionRouting.Lifecycle;
using Microsoft.Data.Sqlite;

namespace DecisionRouting.Stores
{
    /// <summary>
    /// The embedded default: one SQLite file in WAL mode with full sync, so a committed transition survives a crash or
    /// power loss. Writers take the database's write lock when their transaction begins (BEGIN IMMEDIATE), so two
    /// processes sharing the file serialise instead of failing half-way. Reads use read-only connections, so a file
    /// that cannot be written (no write permission, read-only media) can still be read and verified; a write to it
    /// fails with <see cref="StoreReadOnlyException"/>.
    /// </summary>
    public sealed class SqliteProposalStore : RelationalProposalStore
    {
        private readonly string _connectionString;

        private readonly string _readConnectionString;

        /// <summary>
        /// A store in <paramref name="path"/>, created on first use. New audit entries are hashed with
        /// <paramref name="auditKey"/> (HMAC-SHA256) when one is given. With <paramref name="readOnly"/>, the file is
        /// only ever opened read-only: reads work, and every write throws <see cref="StoreReadOnlyException"/>.
        /// </summary>
        public SqliteProposalStore(string path, AuditKey? auditKey = null, bool readOnly = false)
            : base(auditKey)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(path);
            Path = System.IO.Path.GetFullPath(path);
            ReadOnly = readOnly;
            _connectionString = new SqliteConnectionStringBuilder
            {
                DataSource = Path,
                Mode = readOnly ? SqliteOpenMode.ReadOnly : SqliteOpenMode.ReadWriteCreate,
                Pooling = true,
                DefaultTimeout = 60,
            }.ToString();
            _readConnectionString = new SqliteConnectionStringBuilder(_connectionString) { Mode = SqliteOpenMode.ReadOnly }.ToString();
        }

        /// <summary>Whether the store was opened read-only.</summary>
        public bool ReadOnly { get; }

        /// <inheritdoc/>
        private protected override string Description => Path;

        /// <summary>The database file.</summary>
        public string Path { get; }

        /// <inheritdoc/>
        private protected override IReadOnlyList<string> SchemaStatements { get; } = new List<string>(Tables("INTEGER"))
        {
            // Append-only at the database too: changing the trail means dropping these first, which verify still catches.
            "CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END",
            "CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END",
            VoidTable,
            "CREATE TRIGGER IF NOT EXISTS audit_void_no_update BEFORE UPDATE ON audit_void BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END",
            "CREATE TRIGGER IF NOT EXISTS audit_void_no_delete BEFORE DELETE ON audit_void BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END",
        };

        /// <summary>
        /// Every object of the schema as decision-routing creates it, by name: its type, table and SQL text (SQLite keeps
        /// the text as written, without IF NOT EXISTS; ADD COLUMN appends the column to the table's text). Groups that
        /// are created together are present together or not at all: store_meta (version 2) and audit_void with its
        /// triggers (added at a store's next write).
        /// </summary>
        private static readonly (string Group, string Type, string Name, string Table, string?[] Sql)[] Expected = BuildExpected();

        private static (string Group, string Type, string Name, string Table, string?[] Sql)[] BuildExpected()
        {
            var tables = Tables("INTEGER");
            static string Strip(string sql) => sql.Replace(" IF NOT EXISTS", string.Empty, StringComparison.Ordinal);
            static string Widened(string sql, string[] columns) => Strip(sql)[..^1] + ", " + string.Join(", ", columns) + ")";
            static string Trigger(string name, string verb, string table) => $"CREATE TRIGGER {name} BEFORE {verb} ON {table} BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END";
            return
            [
                ("core", "table", "cases", "cases", [Strip(tables[0]), Widened(tables[0], FormatTwoCaseColumns)]),
                ("core", "index", "sqlite_autoindex_cases_1", "cases", [null]),
                ("core", "table", "audit", "audit", [Strip(tables[1]), Widened(tables[1], FormatTwoAuditColumns)]),
                ("core", "index", "sqlite_autoindex_audit_1", "audit", [null]),
                ("core", "index", "audit_by_case", "audit", [Strip(tables[2])]),
                ("core", "table", "audit_head", "audit_head", [Strip(tables[3])]),
                ("core", "trigger", "audit_no_update", "audit", [Trigger("audit_no_update", "UPDATE", "audit")]),
                ("core", "trigger", "audit_no_delete", "audit", [Trigger("audit_no_delete", "DELETE", "audit")]),
                ("store_meta", "table", "store_meta", "store_meta", [Strip(MetaTable)]),
                ("store_meta", "index", "sqlite_autoindex_store_meta_1", "store_meta", [null]),
                ("audit_void", "table", "audit_void", "audit_void", [Strip(VoidTable)]),
                ("audit_void", "index", "sqlite_autoindex_audit_void_1", "audit_void", [null]),
                ("audit_void", "trigger", "audit_void_no_update", "audit_void", [Trigger("audit_void_no_update", "UPDATE", "audit_void")]),
                ("audit_void", "trigger", "audit_void_no_delete", "audit_void", [Trigger("audit_void_no_delete", "DELETE", "audit_void")]),
            ];
        }

        /// <inheritdoc/>
        /// <remarks>
        /// Compares <c>sqlite_schema</c> with <see cref="Expected"/>: a view, a partial or extra index, an extra trigger or
        /// one changed or missing is named. (ANALYZE's statistics tables are allowed: they change plans, never results.)
        /// An index whose b-tree was swapped for another's (<c>PRAGMA writable_schema</c>) keeps its text; that is found
        /// by <see cref="CheckIntegrityAsync"/> in audit verify, and by history's own checks of each entry it shows.
        /// </remarks>
        private protected override async Task<IReadOnlyList<string>> CheckSchemaAsync(DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken)
        {
            var found = new Dictionary<string, (string Type, string Table, string? Sql)>(StringComparer.Ordinal);
            await using (var command = Command(connection, transaction, "SELECT type, name, tbl_name, sql FROM sqlite_schema"))
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    found[reader.GetString(1)] = (reader.GetString(0), reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3));
                }
            }

            var problems = new List<string>();
            foreach (var (name, (type, table, sql)) in found.OrderBy(f => f.Key, StringComparer.Ordinal))
            {
                var expected = Array.Find(Expected, e => string.Equals(e.Name, name, StringComparison.Ordinal));
                if (expected.Name is null)
                {
                    if (name is not ("sqlite_stat1" or "sqlite_stat4"))
                    {
                        problems.Add($"it has {type} '{name}' on {table}, which decision-routing never creates ({Shown(sql)})");
                    }
                }
                else if (!string.Equals(type, expected.Type, StringComparison.Ordinal) || !string.Equals(table, expected.Table, StringComparison.Ordinal) || !expected.Sql.Contains(sql))
                {
                    problems.Add($"{type} '{name}' on {table} is {Shown(sql)}, not the {expected.Type} decision-routing creates ({Shown(expected.Sql[^1])})");
                }
            }

            foreach (var group in Expected.GroupBy(e => e.Group))
            {
                var present = group.Where(e => found.ContainsKey(e.Name)).ToList();
                if ((group.Key == "core" || present.Count > 0) && present.Count < group.Count())
                {
                    foreach (var missing in group.Where(e => !found.ContainsKey(e.Name)))
                    {
                        problems.Add($"its {missing.Type} '{missing.Name}' on {missing.Table} is missing");
                    }
                }
            }

            return problems;

            static string Shown(string? sql) => sql is null ? "an index SQLite makes for a key" : StoredRow.Quote(sql);
        }

        /// <inheritdoc/>
        /// <remarks><c>PRAGMA integrity_check</c>: finds an index that does not hold exactly its table's rows, which is how a query by case (history) could be made to see other rows than verify's walk of the table.</remarks>
        private protected override async Task<IReadOnlyList<string>> CheckIntegrityAsync(DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken)
        {
            var problems = new List<string>();
            await using var command = Command(connection, transaction, "PRAGMA integrity_check(20)");
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var text = reader.IsDBNull(0) ? string.Empty : reader.GetString(0);
                foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Where(l => !string.Equals(l, "ok", StringComparison.Ordinal) && !l.StartsWith("***", StringComparison.Ordinal)))
                {
                    problems.Add($"The database file is damaged or was changed below SQL (PRAGMA integrity_check: {line}): queries by index can see other rows than the table holds. Restore the store from a backup");
                }
            }

            return problems;
        }

        /// <inheritdoc/>
        private protected override string AuditColumnExists => "SELECT count(*) FROM pragma_table_info('audit') WHERE name = @name";

        /// <inheritdoc/>
        private protected override string TableExists => "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = @name";

        /// <inheritdoc/>
        private protected override bool IsReadOnly(Exception exception) =>
            exception is SqliteException { SqliteErrorCode: 8 } // SQLITE_READONLY, and its extended codes share the primary code
            || (ReadOnly && exception is SqliteException);

        /// <inheritdoc/>
        /// <remarks>Any object of those names counts (a view too): the schema check then names what it is.</remarks>
        private protected override string CountTables => "SELECT count(*) FROM sqlite_master WHERE name IN ('cases', 'audit', 'audit_head')";

        /// <inheritdoc/>
        public override async Task<bool> ExistsAsync(CancellationToken cancellationToken = default) =>
            System.IO.File.Exists(Path) && await base.ExistsAsync(cancellationToken).ConfigureAwait(false);

        /// <inheritdoc/>
        private protected override async Task<DbConnection> OpenReadAsync(CancellationToken cancellationToken)
        {
            // Read-only and without the WAL pragma: reading must not create the file, its folder or a journal, and must
            // work on a file that cannot be written.
            try
            {
                return await OpenProbedAsync(_readConnectionString, cancellationToken).ConfigureAwait(false);
            }
            catch (SqliteException e) when (e.SqliteErrorCode is 8 or 14 && System.IO.File.Exists(Path))
            {
                // A WAL file needs its shared-memory file (-shm) even to be read. When there is none and the folder
                // cannot be written (a store copied to read-only media, a folder without write permission), nobody is
                // writing it now: open it as immutable, which needs neither.
                var immutable = new SqliteConnectionStringBuilder(_readConnectionString) { DataSource = new Uri(Path).AbsoluteUri + "?immutable=1" }.ToString();
                return await OpenProbedAsync(immutable, cancellationToken).ConfigureAwait(false);
            }
        }

        private static async Task<DbConnection> OpenProbedAsync(string connectionString, CancellationToken cancellationToken)
        {
            var connection = new SqliteConnection(connectionString);
            try
            {
                await connection.OpenAsync(cancellationToken).ConfigureAwait(false);

                // SQLite opens lazily; read the header now, so a file that cannot be read this way fails here.
                await using var probe = connection.CreateCommand();
                probe.CommandText = "PRAGMA schema_version";
                await probe.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
                return connection;
            }
            catch
            {
                await connection.DisposeAsync().ConfigureAwait(false);
                throw;
            }
        }

        /// <inheritdoc/>
        private protected override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
        {
            if (ReadOnly)
            {
                throw new StoreReadOnlyException(Path);
            }

            var directory = System.IO.Path.GetDirectoryName(Path);
            if (!string.IsNullOrEmpty(directory))
            {
                System.IO.Directory.CreateDirectory(directory);
            }

            var connection = new SqliteConnection(_connectionString);
            try
            {
                await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
                await using var pragma = connection.CreateCommand();

                // WAL persists in the file; synchronous and busy_timeout are per connection.
                pragma.CommandText = "PRAGMA busy_timeout = 60000; PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;";
                await pragma.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                return connection;
            }
            catch
            {
                await connection.DisposeAsync().ConfigureAwait(false);
                throw;
            }
        }

        /// <inheritdoc/>
        private protected override Task<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken cancellationToken) =>
            Task.FromResult<DbTransaction>(((SqliteConnection)connection).BeginTransaction(deferred: false));

        /// <inheritdoc/>
        private protected override Task<DbTransaction> BeginSnapshotAsync(DbConnection connection, CancellationToken cancellationToken) =>
            Task.FromResult<DbTransaction>(((SqliteConnection)connection).BeginTransaction(deferred: true));
    }
}
