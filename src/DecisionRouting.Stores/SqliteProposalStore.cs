using System;
using System.Collections.Generic;
using System.Data.Common;
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

        /// <inheritdoc/>
        private protected override string AuditColumnExists => "SELECT count(*) FROM pragma_table_info('audit') WHERE name = @name";

        /// <inheritdoc/>
        private protected override string TableExists => "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = @name";

        /// <inheritdoc/>
        private protected override bool IsReadOnly(Exception exception) =>
            exception is SqliteException { SqliteErrorCode: 8 } // SQLITE_READONLY, and its extended codes share the primary code
            || (ReadOnly && exception is SqliteException);

        /// <inheritdoc/>
        private protected override string CountTables => "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN ('cases', 'audit', 'audit_head')";

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
