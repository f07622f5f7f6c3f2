using System;
using System.Collections.Generic;
using System.Data.Common;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Data.Sqlite;

namespace DecisionRouting.Stores
{
    /// <summary>
    /// The embedded default: one SQLite file in WAL mode with full sync, so a committed transition survives a crash or
    /// power loss. Writers take the database's write lock when their transaction begins (BEGIN IMMEDIATE), so two
    /// processes sharing the file serialise instead of failing half-way.
    /// </summary>
    public sealed class SqliteProposalStore : RelationalProposalStore
    {
        private readonly string connectionString;

        /// <summary>A store in <paramref name="path"/>, created on first use.</summary>
        public SqliteProposalStore(string path)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(path);
            Path = System.IO.Path.GetFullPath(path);
            connectionString = new SqliteConnectionStringBuilder
            {
                DataSource = Path,
                Mode = SqliteOpenMode.ReadWriteCreate,
                Pooling = true,
                DefaultTimeout = 60,
            }.ToString();
        }

        /// <summary>The database file.</summary>
        public string Path { get; }

        /// <inheritdoc/>
        protected override IReadOnlyList<string> SchemaStatements { get; } = new List<string>(Tables("INTEGER"))
        {
            // Append-only at the database too: changing the trail means dropping these first, which verify still catches.
            "CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END",
            "CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END",
        };

        /// <inheritdoc/>
        protected override string CountTables => "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN ('cases', 'audit', 'audit_head')";

        /// <inheritdoc/>
        public override async Task<bool> ExistsAsync(CancellationToken cancellationToken = default) =>
            System.IO.File.Exists(Path) && await base.ExistsAsync(cancellationToken).ConfigureAwait(false);

        /// <inheritdoc/>
        protected override async Task<DbConnection> OpenToCheckAsync(CancellationToken cancellationToken)
        {
            // Read-only and without the WAL pragma: checking must not create the file, its folder or a journal.
            var connection = new SqliteConnection(new SqliteConnectionStringBuilder(connectionString) { Mode = SqliteOpenMode.ReadOnly }.ToString());
            try
            {
                await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
                return connection;
            }
            catch
            {
                await connection.DisposeAsync().ConfigureAwait(false);
                throw;
            }
        }

        /// <inheritdoc/>
        protected override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
        {
            var directory = System.IO.Path.GetDirectoryName(Path);
            if (!string.IsNullOrEmpty(directory))
            {
                System.IO.Directory.CreateDirectory(directory);
            }

            var connection = new SqliteConnection(connectionString);
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
        protected override Task<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken cancellationToken) =>
            Task.FromResult<DbTransaction>(((SqliteConnection)connection).BeginTransaction(deferred: false));
    }
}
