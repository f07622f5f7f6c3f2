using System;
using System.Collections.Generic;
using System.Data;
using System.Data.Common;
using System.Globalization;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using DecisionRouting.Lifecycle;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NodaTime.Text;

namespace DecisionRouting.Stores
{
    /// <summary>
    /// The SQL both stores share. A case change and its audit entry commit in one transaction; the case row is updated
    /// only from the version the caller read, and that row lock also orders the case's audit chain, so commits on
    /// different cases run in parallel. Each entry commits to the case document it left.
    /// <para>
    /// Schema versions: 1 (no <c>store_meta</c> table) chained every entry across the store through the
    /// <c>audit_head</c> row; 2 chains entries per case. The first write by this code migrates a version 1 store to 2
    /// in one transaction, keeping every row (format 1 entries stay as written and still verify). Reading never
    /// migrates, so a read-only version 1 store can still be read and verified. A store whose version is newer than
    /// <see cref="SchemaVersion"/> is refused with <see cref="StoreSchemaTooNewException"/>.
    /// </para>
    /// </summary>
    public abstract class RelationalProposalStore : IProposalStore
    {
        /// <summary>The schema version this code reads and writes.</summary>
        public const int SchemaVersion = 2;

        private const string FormatOneColumns = "seq, case_id, at, recorded_at, actor, roles, trigger_name, step, from_state, to_state, accepted, detail, rule_set_hash, previous_hash, hash";
        private const string AuditColumns = FormatOneColumns + ", case_seq, case_doc_hash, key_id";

        /// <summary>Why a format 2 case is refused when its newest entry records no document hash, or its row records one while its trail has none (in the words history uses for a chain it cannot find whole).</summary>
        private static string NewestEntryNotFound(string caseId) =>
            $"Case {StoredRow.Quote(caseId)} is damaged: its row records its newest audit entry (chain_hash), but no entry found for it by its case_id is that entry, with a document hash: entries were removed or hidden by hand (a re-typed or changed case_id), or the row was changed";

        /// <summary>The text columns of an audit row, whose sizes are checked before they are read (<see cref="StoredRow.Guard"/>).</summary>
        private static readonly string[] AuditTextColumns = ["case_id", "at", "recorded_at", "actor", "roles", "trigger_name", "step", "from_state", "to_state", "detail", "rule_set_hash", "previous_hash", "hash", "case_doc_hash", "key_id"];

        private readonly SemaphoreSlim _schemaGate = new(1, 1);
        private readonly AuditKey? _auditKey;
        private volatile bool _schemaReady;
        private volatile bool _keyMarkWritten;
        private int _knownVersion;

        /// <summary>A store whose new entries are hashed with <paramref name="auditKey"/> (HMAC-SHA256), or plain SHA-256 when null.</summary>
        private protected RelationalProposalStore(AuditKey? auditKey = null)
        {
            _auditKey = auditKey;
        }

        /// <summary>
        /// Where the store logs: schema created or migrated (Information), a write refused because the store can only
        /// be read, and a sequence number lost to a failed write (Warning). Defaults to no logging.
        /// </summary>
        public ILogger Logger { get; init; } = NullLogger.Instance;

        /// <summary>What the store is, for messages: the file, or "PostgreSQL database 'x'".</summary>
        private protected abstract string Description { get; }

        /// <summary>Opens a connection for writing, configured for this store.</summary>
        private protected abstract Task<DbConnection> OpenAsync(CancellationToken cancellationToken);

        /// <summary>Opens a connection for reading; it must not create or change the database (SQLite: read-only mode).</summary>
        private protected virtual Task<DbConnection> OpenReadAsync(CancellationToken cancellationToken) => OpenAsync(cancellationToken);

        /// <summary>Starts a write transaction that excludes other writers where the database needs it to (SQLite: IMMEDIATE).</summary>
        private protected abstract Task<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken cancellationToken);

        /// <summary>Starts a read transaction that sees one consistent snapshot across statements.</summary>
        private protected abstract Task<DbTransaction> BeginSnapshotAsync(DbConnection connection, CancellationToken cancellationToken);

        /// <summary>The statements that create the version 1 schema if it is missing; run in one write transaction.</summary>
        private protected abstract IReadOnlyList<string> SchemaStatements { get; }

        /// <summary>A statement run first in the schema transaction so that concurrent first uses queue (PostgreSQL: an advisory lock); null if the write transaction already excludes them.</summary>
        private protected virtual string? SchemaLockStatement => null;

        /// <summary>Dialect statements run after the shared ones when migrating from version 1 to 2 (PostgreSQL: the entry sequence).</summary>
        private protected virtual IReadOnlyList<string> MigrationToTwoStatements => Array.Empty<string>();

        /// <summary>
        /// Whether a store-wide number taken by a transaction that rolls back is lost for good (PostgreSQL: a sequence),
        /// leaving a gap. When true, a write that fails after taking its number records an <see cref="AuditVoid"/> for
        /// it, and an operator may record one for a writer that died (<see cref="VoidAsync"/>). When false (SQLite: one
        /// more than the highest committed), the number is used again and there is never a gap to explain.
        /// </summary>
        private protected virtual bool NumbersSurviveRollback => false;

        /// <summary>
        /// A statement that, run in a write transaction, waits until every writer holding a number has committed or rolled
        /// back and keeps new ones from taking a number until commit (PostgreSQL: the seal lock, exclusively); null when
        /// the write transaction already excludes other writers (SQLite).
        /// </summary>
        private protected virtual string? SealStatement => null;

        /// <summary>Appended to a query to lock the rows read until commit (PostgreSQL: FOR UPDATE).</summary>
        private protected virtual string LockRow => string.Empty;

        /// <summary>
        /// A query giving how many of the store's three tables (<c>cases</c>, <c>audit</c>, <c>audit_head</c>) exist,
        /// without creating anything.
        /// </summary>
        private protected abstract string CountTables { get; }

        /// <summary>A query giving 1 when the table named by the parameter <c>@name</c> exists, 0 when not.</summary>
        private protected abstract string TableExists { get; }

        /// <summary>A query giving 1 when the <c>audit</c> table has the column named by the parameter <c>@name</c>, 0 when not (or no such table).</summary>
        private protected abstract string AuditColumnExists { get; }

        /// <summary>
        /// What in the store's schema is not what decision-routing creates (a table that is a view, an extra or changed
        /// index, trigger, rule or policy, a table shadowed by another of the same name), one sentence each; empty when
        /// it is as created. Reads the catalogue only, so it costs the same whatever the store holds.
        /// </summary>
        private protected abstract Task<IReadOnlyList<string>> CheckSchemaAsync(DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken);

        /// <summary>What the database's own consistency check finds wrong (SQLite: an index that does not match its table); empty by default. Run by audit verify only: it reads the whole database.</summary>
        private protected virtual Task<IReadOnlyList<string>> CheckIntegrityAsync(DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<string>>(Array.Empty<string>());

        /// <summary>How a schema problem is introduced, wherever it is reported.</summary>
        private const string SchemaChanged = "The store's schema is not what decision-routing creates (changed by hand)";

        /// <summary>Refuses a store whose schema is not as created (<see cref="CheckSchemaAsync"/>) with <see cref="StoreMetaTamperedException"/>.</summary>
        private async Task RefuseAlteredSchemaAsync(DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken)
        {
            var problems = await CheckSchemaAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
            if (problems.Count > 0)
            {
                throw new StoreMetaTamperedException(Description, $"{SchemaChanged}: {string.Join("; ", problems)}");
            }
        }

        /// <summary>
        /// Refuses to write a document reading would treat as damage (over <see cref="StoredRow.MaxTextBytes"/> of UTF-8),
        /// with <see cref="CaseDocumentTooLargeException"/>. Called before anything is written or numbered, so the
        /// transaction rolls back with no gap in the trail.
        /// </summary>
        private void RefuseOversizedDocument(string caseId, string document)
        {
            // Counted in chunks: a document of a billion characters would overflow a single count.
            const int Chunk = 1 << 20;
            var encoder = Encoding.UTF8.GetEncoder();
            long bytes = 0;
            for (var start = 0; start < document.Length; start += Chunk)
            {
                var length = Math.Min(Chunk, document.Length - start);
                bytes += encoder.GetByteCount(document.AsSpan(start, length), flush: start + length >= document.Length);
            }

            if (bytes > StoredRow.MaxTextBytes)
            {
                throw new CaseDocumentTooLargeException(Description, caseId, bytes, StoredRow.MaxTextBytes);
            }
        }

        /// <summary>Whether <paramref name="exception"/> says the database or session can only be read.</summary>
        private protected abstract bool IsReadOnly(Exception exception);

        /// <summary>
        /// Whether the store exists: the database is there and holds the case tables. Creates nothing, so a command that
        /// only reads can say "no such store" instead of creating an empty one and reporting on it. Reads on a store
        /// that does not exist find nothing and create nothing; only writes create it.
        /// </summary>
        /// <exception cref="System.Data.Common.DbException">The database cannot be read (not a database, no access).</exception>
        /// <exception cref="StoreSchemaTooNewException">The store was written by a newer version of decision-routing.</exception>
        /// <exception cref="StoreMetaTamperedException">The store's schema record (<c>store_meta</c>) was changed by hand.</exception>
        public virtual async Task<bool> ExistsAsync(CancellationToken cancellationToken = default)
        {
            // Version 1 is not remembered: another instance's first write may migrate the store at any time, and
            // reading it as version 1 after that would miss the format 2 columns.
            if (_schemaReady || _knownVersion >= 2)
            {
                return true;
            }

            await using var connection = await OpenReadAsync(cancellationToken).ConfigureAwait(false);
            await using (var command = Command(connection, null, CountTables))
            {
                var tables = Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
                if (tables != 3)
                {
                    return false;
                }
            }

            await RefuseAlteredSchemaAsync(connection, null, cancellationToken).ConfigureAwait(false);
            _knownVersion = await ReadVersionAsync(connection, null, cancellationToken).ConfigureAwait(false);
            return true;
        }

        /// <inheritdoc/>
        public async Task<AuditEntry> CreateAsync(ProposalCase proposalCase, AuditEntry created, CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(proposalCase);
            ArgumentNullException.ThrowIfNull(created);
            return await WriteAsync(
                async (connection, transaction) =>
                {
                    var document = CaseJson.Write(proposalCase);
                    RefuseOversizedDocument(proposalCase.Id, document);
                    var inserted = await ExecuteAsync(
                        connection,
                        transaction,
                        "INSERT INTO cases (id, proposal_id, rule_set_hash, state, version, document, updated_at, chain_seq, chain_hash, chain_doc_hash) VALUES (@id, @proposal, @hash, @state, @version, @document, @updated, 0, @genesis, NULL) ON CONFLICT (id) DO NOTHING",
                        cancellationToken,
                        ("@id", proposalCase.Id),
                        ("@proposal", proposalCase.Plan.ProposalId),
                        ("@hash", proposalCase.Plan.RuleSetHash),
                        ("@state", proposalCase.State.ToString()),
                        ("@version", proposalCase.Version),
                        ("@document", document),
                        ("@updated", InstantPattern.ExtendedIso.Format(created.RecordedAt)),
                        ("@genesis", AuditEntry.Genesis)).ConfigureAwait(false);
                    if (inserted == 0)
                    {
                        throw new CaseAlreadyExistsException(proposalCase.Id);
                    }

                    return (0L, AuditEntry.Genesis, AuditEntry.HashDocument(document));
                },
                created with { CaseId = proposalCase.Id },
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

            // One snapshot for the row and its newest entry, so a writer committing between the two reads is not taken
            // for damage.
            await using var connection = await OpenReadAsync(cancellationToken).ConfigureAwait(false);
            await using var transaction = await BeginSnapshotAsync(connection, cancellationToken).ConfigureAwait(false);
            var columns = _knownVersion >= 2 ? CaseRow.Columns + ", " + CaseRow.ChainColumns : CaseRow.Columns;
            var found = await FindRowAsync(connection, transaction, $"SELECT {CaseRow.Select(columns)} FROM cases WHERE id = @id", caseId, cancellationToken).ConfigureAwait(false);

            // Not found by the key: its id may be there stored as another type (SQLite keeps a BLOB in a TEXT key, and the
            // key does not match it), which would make the case look absent. Only a miss pays for this scan.
            found ??= await FindRowAsync(connection, transaction, $"SELECT {CaseRow.Select(columns)} FROM cases WHERE CAST(id AS TEXT) = @id", caseId, cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return found;
        }

        /// <summary>
        /// The case row <paramref name="sql"/> finds, read the way audit verify reads it (<see cref="CaseRow"/>): a case
        /// verify would call damaged is refused here, in the same words. In a format 2 store the document must also be the
        /// one the case's newest audit entry commits to, and that entry must be genuine (<see cref="CheckAgainstNewestAsync"/>).
        /// </summary>
        private async Task<ProposalCase?> FindRowAsync(DbConnection connection, DbTransaction transaction, string sql, string caseId, CancellationToken cancellationToken)
        {
            var problems = new List<string>();
            CaseRow row;
            await using (var command = Command(connection, transaction, sql, ("@id", caseId)))
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
            {
                if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    return null;
                }

                row = CaseRow.Read(reader, chainColumns: _knownVersion >= 2, problems);
            }

            if (problems.Count == 0 && _knownVersion >= 2)
            {
                await CheckAgainstNewestAsync(connection, transaction, row.Id, row.ChainLength ?? 0, row.ChainHash ?? string.Empty, row.ChainDocumentHash, AuditEntry.HashDocument(row.Document), problems, cancellationToken).ConfigureAwait(false);
            }

            if (problems.Count > 0 || row.Case is null)
            {
                throw new CorruptCaseException(string.Join("; ", problems));
            }

            return row.Case;
        }

        /// <summary>
        /// Checks a case row against the case's newest audit entry (the highest store sequence among its entries, found
        /// through the index on case_id and seq, so one entry is read) and returns the document hash that entry commits
        /// to: null for a case whose trail is still format 1 (written before the migration), whose document no entry
        /// covers. The row names its newest entry (chain_seq, chain_hash) and the document hash it recorded
        /// (chain_doc_hash), but anyone with an UPDATE on <c>cases</c> can change all three, so none is trusted: the entry
        /// itself must carry the hash its fields give (under the audit key when it was written with it), be the one the
        /// row names, and record <paramref name="documentHash"/> when that is given. A row with no document hash while its
        /// trail has one, or a trail that ends in a format 1 entry written after the store moved to format 2, is damage:
        /// either would otherwise turn the document check off.
        /// </summary>
        private async Task<string?> CheckAgainstNewestAsync(DbConnection connection, DbTransaction transaction, string caseId, long chainLength, string chainHash, string? rowDocumentHash, string? documentHash, List<string> problems, CancellationToken cancellationToken)
        {
            AuditEntry? newest = null;
            await using (var command = Command(connection, transaction, $"SELECT {StoredRow.Guard(AuditColumns, AuditTextColumns)} FROM audit WHERE case_id = @id ORDER BY seq DESC LIMIT 1", ("@id", caseId)))
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
            {
                if (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    newest = ReadEntryOrThrow(reader);
                }
            }

            var quoted = StoredRow.Quote(caseId);
            if (newest is null)
            {
                problems.Add($"Case {quoted} has no audit trail: no audit entry is found for it, so its document cannot be checked (its row was added outside the lifecycle, or its entries were removed or hidden by hand). Run 'decision-routing audit verify' and restore the store from a backup");
                return null;
            }

            if (newest.CaseSequence is null)
            {
                // A format 1 entry: only a case migrated from version 1 and not changed since may end in one.
                if (rowDocumentHash is not null)
                {
                    problems.Add(NewestEntryNotFound(caseId));
                }
                else if (await ReadFormatTwoFromAsync(connection, transaction, cancellationToken).ConfigureAwait(false) is var from && (from is null || newest.Sequence >= from))
                {
                    problems.Add($"Case {quoted} is damaged: its newest audit entry ({newest.Sequence.ToString(CultureInfo.InvariantCulture)}) has no place in the case's chain and commits to no document (format 1), but the store writes only format 2 entries from entry {from?.ToString(CultureInfo.InvariantCulture) ?? "(not recorded)"} on: the entry was rewritten by hand. Restore the store from a backup");
                }
                else if (!string.Equals(newest.Hash, chainHash, StringComparison.Ordinal))
                {
                    problems.Add(RowNotAtNewest(quoted, chainLength, chainHash, newest));
                }

                return null;
            }

            // The entry itself first: its hash (and key), then whether the row points at it.
            var keyedFrom = _auditKey is { } key ? await ReadKeyedFromAsync(connection, transaction, key, cancellationToken).ConfigureAwait(false) : null;
            CheckShownEntries(caseId, [newest], keyedFrom);
            if (newest.CaseSequence != chainLength || !string.Equals(newest.Hash, chainHash, StringComparison.Ordinal))
            {
                problems.Add(RowNotAtNewest(quoted, chainLength, chainHash, newest));
            }
            else if (newest.CaseDocumentHash is not { Length: 64 } trail)
            {
                problems.Add(NewestEntryNotFound(caseId));
            }
            else if (documentHash is not null && !string.Equals(trail, documentHash, StringComparison.Ordinal))
            {
                problems.Add($"Case {quoted} is damaged: its document is not the one its newest audit entry records ({StoredRow.Quote(trail)}{(string.Equals(trail, rowDocumentHash, StringComparison.Ordinal) ? string.Empty : $"; the row's chain_doc_hash says {(rowDocumentHash is null ? "NULL" : StoredRow.Quote(rowDocumentHash))}")}): the document was changed outside the lifecycle. Restore the store from a backup");
            }
            else if (!string.Equals(trail, rowDocumentHash, StringComparison.Ordinal))
            {
                // The document is genuine but the row's record of it is not: the same words as verify.
                problems.Add($"Case {quoted}'s row records the document hash of its newest audit entry (column chain_doc_hash) as {rowDocumentHash ?? "NULL"}, but that entry recorded {trail}: the row was changed outside the lifecycle. Set chain_doc_hash back to '{trail}' if audit verify reports nothing else for the case; otherwise restore the store from a backup");
            }
            else
            {
                return trail;
            }

            return null;

            static string RowNotAtNewest(string quoted, long length, string hash, AuditEntry newest) =>
                $"Case {quoted} is damaged: its row records its newest audit entry as its entry {length.ToString(CultureInfo.InvariantCulture)} ({(hash.Length > 12 ? hash[..12] : hash)}), but its newest entry is audit entry {newest.Sequence.ToString(CultureInfo.InvariantCulture)}, its entry {newest.CaseSequence?.ToString(CultureInfo.InvariantCulture) ?? "(format 1)"} ({(newest.Hash.Length > 12 ? newest.Hash[..12] : newest.Hash)}): the row was rolled back or changed outside the lifecycle, or entries were added by hand. Run 'decision-routing audit verify' and restore the store from a backup";
        }

        /// <summary>The store sequence from which every entry is format 2 (store_meta), or null when it is not recorded or not a number.</summary>
        private static async Task<long?> ReadFormatTwoFromAsync(DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken)
        {
            await using var command = Command(connection, transaction, $"SELECT CASE WHEN octet_length(value) > 64 THEN NULL ELSE value END FROM store_meta WHERE name = '{AuditStoreMarks.FormatTwoFromName}'");
            return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is string text
                && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var from)
                ? from
                : null;
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
                    // The version check takes the case row's lock, which also orders this case's chain: the chain head
                    // is read after it, so no other writer on this case can place an entry between.
                    var document = CaseJson.Write(updated);
                    RefuseOversizedDocument(updated.Id, document);
                    await using var command = Command(
                        connection,
                        transaction,
                        "UPDATE cases SET state = @state, version = @version, document = @document, updated_at = @updated WHERE id = @id AND version = @expected RETURNING chain_seq, chain_hash",
                        ("@state", updated.State.ToString()),
                        ("@version", updated.Version),
                        ("@document", document),
                        ("@updated", InstantPattern.ExtendedIso.Format(entry.RecordedAt)),
                        ("@id", updated.Id),
                        ("@expected", expectedVersion));
                    await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                    if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        throw new CaseConflictException(updated.Id, expectedVersion);
                    }

                    // The chain head this entry links to, read as verify reads it: never chain onto a damaged row.
                    var problems = new List<string>();
                    var row = new StoredRow(reader, $"Case {StoredRow.Quote(updated.Id)}'s row (table cases)", problems);
                    var (length, previous) = (row.Integer(0), row.Text(1));
                    return problems.Count == 0
                        ? (length, previous, AuditEntry.HashDocument(document))
                        : throw new CorruptCaseException(string.Join("; ", problems));
                },
                entry with { CaseId = updated.Id },
                cancellationToken).ConfigureAwait(false);
        }

        /// <inheritdoc/>
        public Task<AuditEntry> AppendAsync(AuditEntry entry, CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(entry);
            return WriteAsync(
                async (connection, transaction) =>
                {
                    // A refusal leaves the case as it is, so the entry commits to the document the case's newest entry
                    // recorded, read from that entry (not from the row's chain_doc_hash, which an edit of the document
                    // could change with it, and a refusal would then take the edit into the trail), after checking that
                    // entry as status does; only a case whose trail is still format 1 (written before format 2) is
                    // hashed from its row.
                    var problems = new List<string>();
                    long length;
                    string previous;
                    string? rowDocumentHash, document;
                    await using (var command = Command(
                        connection,
                        transaction,
                        $"SELECT {StoredRow.Guard("chain_seq, chain_hash, chain_doc_hash, document", CaseRow.TextColumns)} FROM cases WHERE id = @id" + LockRow,
                        ("@id", entry.CaseId)))
                    await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
                    {
                        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                        {
                            throw new CaseNotFoundException(entry.CaseId);
                        }

                        var row = new StoredRow(reader, $"Case {StoredRow.Quote(entry.CaseId)}'s row (table cases)", problems);
                        (length, previous, rowDocumentHash, document) = (row.Integer(0), row.Text(1), row.OptionalText(2), row.OptionalText(3));
                    }

                    var documentHash = problems.Count == 0
                        ? await CheckAgainstNewestAsync(connection, transaction, entry.CaseId, length, previous, rowDocumentHash, null, problems, cancellationToken).ConfigureAwait(false)
                        : null;
                    if (problems.Count > 0)
                    {
                        // Never chain onto a damaged row; the same words as verify and status.
                        throw new CorruptCaseException(string.Join("; ", problems));
                    }

                    return (length, previous, documentHash ?? AuditEntry.HashDocument(document ?? string.Empty));
                },
                entry,
                cancellationToken);
        }

        /// <inheritdoc/>
        /// <remarks>
        /// The entries are found by their case_id column, so the case row's own record of its chain (how many entries,
        /// and the hash of the newest) is read in the same snapshot and must agree: an entry the query cannot see (its
        /// case_id re-typed or changed by hand) makes the history damaged, not silently shorter.
        /// </remarks>
        /// <exception cref="CorruptCaseException">An entry cannot be read as written, or the entries found are not the case's whole chain.</exception>
        public async Task<IReadOnlyList<AuditEntry>> HistoryAsync(string caseId, CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(caseId);
            var entries = new List<AuditEntry>();
            if (!await ExistsAsync(cancellationToken).ConfigureAwait(false))
            {
                return entries;
            }

            var chained = _knownVersion >= 2;
            await using var connection = await OpenReadAsync(cancellationToken).ConfigureAwait(false);
            await using var transaction = await BeginSnapshotAsync(connection, cancellationToken).ConfigureAwait(false);
            await using (var command = Command(connection, transaction, $"SELECT {StoredRow.Guard(SelectedColumns, AuditTextColumns)} FROM audit WHERE case_id = @id ORDER BY seq", ("@id", caseId)))
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    entries.Add(ReadEntryOrThrow(reader));
                }
            }

            if (chained)
            {
                await using var command = Command(connection, transaction, "SELECT id, chain_seq, chain_hash FROM cases WHERE id = @id", ("@id", caseId));
                await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                if (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    var problems = new List<string>();
                    var row = new StoredRow(reader, $"Case {StoredRow.Quote(caseId)}'s row (table cases)", problems);
                    var length = row.Integer(1);
                    var hash = row.Text(2);
                    if (problems.Count > 0)
                    {
                        throw new CorruptCaseException(string.Join("; ", problems));
                    }

                    // A format 2 entry knows where it sits in its case's chain; format 1 entries (before the migration) do not.
                    var placed = Enumerable.Range(0, entries.Count).All(i => entries[i].CaseSequence is not { } n || n == i + 1);
                    if (!placed || entries.Count != length || (entries.Count > 0 && !string.Equals(entries[^1].Hash, hash, StringComparison.Ordinal)))
                    {
                        var numbers = string.Join(", ", entries.Select(e => e.CaseSequence?.ToString(CultureInfo.InvariantCulture) ?? "(format 1)"));
                        throw new CorruptCaseException($"Case {StoredRow.Quote(caseId)}'s history is damaged: its row records a chain of {length} audit entries, but the entries found for it are its entries {(numbers.Length == 0 ? "(none)" : numbers)}{(placed && entries.Count == length ? ", ending in a hash the row does not record" : string.Empty)}: entries were removed or hidden by hand (a re-typed or changed case_id)");
                    }
                }
            }

            // After the count: an entry missing from the chain is named by its number above, more precisely than by the
            // broken link it leaves; what reaches here has the case's numbering, and each entry must be genuine.
            var keyedFrom = chained && _auditKey is { } key ? await ReadKeyedFromAsync(connection, transaction, key, cancellationToken).ConfigureAwait(false) : null;
            CheckShownEntries(caseId, entries, keyedFrom);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return entries;
        }

        /// <summary>
        /// What history shows is what verify checks: each entry found for <paramref name="caseId"/> must be that case's,
        /// carry the hash its fields give (under this store's key when it was written with it; an entry under another key
        /// cannot be checked without that key), and link to the entry before it in the case's chain. So a row that reaches
        /// the query some other way (an index or view changed by hand) is refused rather than shown.
        /// </summary>
        /// <param name="caseId">The case asked for.</param>
        /// <param name="entries">The entries found for it, in order.</param>
        /// <param name="keyedFrom">
        /// From the store's key mark, when it verifies under this store's key: the first store-wide sequence that must be
        /// keyed with it. An entry from there on that is unkeyed, or keyed with another key, was forged by someone without
        /// the key (an unkeyed hash anyone can compute), as verify reports too.
        /// </param>
        private void CheckShownEntries(string caseId, List<AuditEntry> entries, long? keyedFrom)
        {
            AuditEntry? before = null;
            foreach (var entry in entries)
            {
                var name = $"Audit entry {entry.Sequence.ToString(CultureInfo.InvariantCulture)}";
                if (!string.Equals(entry.CaseId, caseId, StringComparison.Ordinal))
                {
                    throw new CorruptCaseException($"Case {StoredRow.Quote(caseId)}'s history is damaged: {name} was found for it but records case {StoredRow.Quote(entry.CaseId)}: the store's indexes or tables were changed by hand");
                }

                if (keyedFrom is { } from && entry.Sequence >= from && !string.Equals(entry.KeyId, _auditKey!.Id, StringComparison.Ordinal))
                {
                    throw new CorruptCaseException($"Case {StoredRow.Quote(caseId)}'s history is damaged: {name} is {(entry.KeyId is null ? "not keyed" : $"keyed with audit key {entry.KeyId}")}, but the store records (under the audit key {_auditKey.Id}) that every entry from {from.ToString(CultureInfo.InvariantCulture)} on is keyed with it: it was forged by hand without the key");
                }

                var key = entry.KeyId is null ? null : _auditKey is { } k && string.Equals(k.Id, entry.KeyId, StringComparison.Ordinal) ? k : null;
                if ((entry.KeyId is null || key is not null) && !string.Equals(entry.ComputeHash(key), entry.Hash, StringComparison.Ordinal))
                {
                    throw new CorruptCaseException($"Case {StoredRow.Quote(caseId)}'s history is damaged: {name} does not carry the hash its fields give{(key is null ? string.Empty : " under the audit key")}: it was changed or forged by hand");
                }

                if (entry.CaseSequence is { } n)
                {
                    var previous = n == 1 ? AuditEntry.Genesis : before?.Hash;
                    if (previous is not null && !string.Equals(previous, entry.PreviousHash, StringComparison.Ordinal))
                    {
                        throw new CorruptCaseException($"Case {StoredRow.Quote(caseId)}'s history is damaged: {name} does not link to the entry before it in the case's chain: entries were changed, forged or hidden by hand");
                    }
                }

                before = entry;
            }
        }

        /// <summary>
        /// The first keyed sequence from the store's key mark (<see cref="AuditKeyMark"/>), when the mark is there and
        /// verifies under <paramref name="key"/>; null otherwise (no keyed entry written yet, or a mark verify reports). A
        /// mark is about 100 characters, so a value far longer is damage and is not read.
        /// </summary>
        private async Task<long?> ReadKeyedFromAsync(DbConnection connection, DbTransaction transaction, AuditKey key, CancellationToken cancellationToken)
        {
            await using var command = Command(connection, transaction, "SELECT CASE WHEN octet_length(value) > 4096 THEN NULL ELSE value END FROM store_meta WHERE name = @name", ("@name", AuditStoreMarks.KeyMarkName));
            return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is string text && AuditKeyMark.TryParse(text) is { } mark && mark.IsValidFor(key)
                ? mark.KeyedFrom
                : null;
        }

        /// <inheritdoc/>
        public IAsyncEnumerable<AuditEntry> ReadAuditAsync(CancellationToken cancellationToken = default) =>
            ReadAsync("ORDER BY seq", cancellationToken);

        /// <inheritdoc/>
        public async Task<(long Sequence, string Hash)> HeadAsync(CancellationToken cancellationToken = default)
        {
            if (!await ExistsAsync(cancellationToken).ConfigureAwait(false))
            {
                return (0, AuditEntry.Genesis);
            }

            await using var connection = await OpenReadAsync(cancellationToken).ConfigureAwait(false);
            var problems = new List<string>();
            var head = await ReadHeadAsync(connection, null, problems, cancellationToken).ConfigureAwait(false);
            return problems.Count == 0 ? head : throw new CorruptCaseException(string.Join("; ", problems));
        }

        /// <inheritdoc/>
        /// <remarks>
        /// Every row is read through <see cref="StoredRow"/>, as every other read is: a value of the wrong storage type or
        /// in a text this code never writes is damage, reported and still read as the readers read it, so the chain checks
        /// see what the commands see; a row that cannot be read at all is reported and left out. The rows of store_meta and
        /// audit_void are checked the same way here, because their own readers run outside the snapshot.
        /// </remarks>
        public async Task<(long Sequence, string Hash)> ReadSnapshotAsync(Func<AuditEntry, ValueTask> onEntry, Func<StoredCase, ValueTask> onCase, Func<string, ValueTask> onDamage, CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(onEntry);
            ArgumentNullException.ThrowIfNull(onCase);
            ArgumentNullException.ThrowIfNull(onDamage);
            if (!await ExistsForAuditAsync(cancellationToken).ConfigureAwait(false))
            {
                return (0, AuditEntry.Genesis);
            }

            await using var connection = await OpenReadAsync(cancellationToken).ConfigureAwait(false);
            await using var transaction = await BeginSnapshotAsync(connection, cancellationToken).ConfigureAwait(false);

            // The columns the tables have, not what store_meta says: a hand-edited store_meta is reported by the
            // verifier (ReadMarksAsync), and the trail is still read as it is.
            var probe = await ProbeSchemaAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
            var problems = new List<string>();

            // Verify reads through the tables; the commands read through indexes and by key. Both must see the same rows,
            // so the schema must be exactly what decision-routing creates, and (SQLite) every index must match its table.
            problems.AddRange((await CheckSchemaAsync(connection, transaction, cancellationToken).ConfigureAwait(false)).Select(p => $"{SchemaChanged}: {p}. Restore the store from a backup"));
            problems.AddRange(await CheckIntegrityAsync(connection, transaction, cancellationToken).ConfigureAwait(false));
            await ReportAsync(problems, onDamage).ConfigureAwait(false);
            var selected = probe.FormatTwoColumns ? AuditColumns : FormatOneColumns + ", NULL, NULL, NULL";
            await using (var command = Command(connection, transaction, $"SELECT {StoredRow.Guard(selected, AuditTextColumns)} FROM audit ORDER BY seq"))
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    var entry = ReadEntry(reader, problems);
                    await ReportAsync(problems, onDamage).ConfigureAwait(false);
                    if (entry is not null)
                    {
                        await onEntry(entry).ConfigureAwait(false);
                    }
                }
            }

            var columns = probe.FormatTwoColumns ? $"{CaseRow.Columns}, {CaseRow.ChainColumns}" : CaseRow.Columns;
            await using (var command = Command(connection, transaction, $"SELECT {CaseRow.Select(columns)} FROM cases ORDER BY id"))
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    var row = CaseRow.Read(reader, probe.FormatTwoColumns, problems);
                    await ReportAsync(problems, onDamage).ConfigureAwait(false);
                    // A column too large to read reads as empty: hashing it would give the hash of nothing, not of the
                    // document, so the case says which columns it did not read and verify compares none of them.
                    await onCase(new StoredCase(row.Id, row.NotRead.Contains("document") ? null : AuditEntry.HashDocument(row.Document), row.ChainLength, row.ChainHash)
                    {
                        ChainDocumentHash = row.ChainDocumentHash,
                        UpdatedAt = row.UpdatedAt,
                        NotRead = row.NotRead,
                    }).ConfigureAwait(false);
                }
            }

            var head = await ReadHeadAsync(connection, transaction, problems, cancellationToken).ConfigureAwait(false);
            if (probe.MetaExists)
            {
                await CheckRowsAsync(connection, transaction, "SELECT name, value FROM store_meta ORDER BY name", "store_meta row", row => { _ = row.Text(0); _ = row.Text(1); }, problems, cancellationToken).ConfigureAwait(false);
            }

            if (await TableExistsAsync(connection, transaction, "audit_void", cancellationToken).ConfigureAwait(false))
            {
                await CheckRowsAsync(connection, transaction, $"SELECT {VoidColumns} FROM audit_void ORDER BY seq", "The void for sequence", row => ReadVoid(row), problems, cancellationToken).ConfigureAwait(false);
            }

            await ReportAsync(problems, onDamage).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return head;
        }

        private static async ValueTask ReportAsync(List<string> problems, Func<string, ValueTask> onDamage)
        {
            foreach (var problem in problems)
            {
                await onDamage(problem).ConfigureAwait(false);
            }

            problems.Clear();
        }

        /// <summary>Reads every row <paramref name="sql"/> selects through <see cref="StoredRow"/>, named by its first column, noting what is wrong.</summary>
        private static async Task CheckRowsAsync(DbConnection connection, DbTransaction transaction, string sql, string what, Action<StoredRow> read, List<string> problems, CancellationToken cancellationToken)
        {
            await using var command = Command(connection, transaction, sql);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                read(new StoredRow(reader, $"{what} {StoredRow.Key(reader)}", problems));
            }
        }

        private async Task<bool> TableExistsAsync(DbConnection connection, DbTransaction? transaction, string table, CancellationToken cancellationToken)
        {
            await using var exists = Command(connection, transaction, TableExists, ("@name", table));
            return Convert.ToInt64(await exists.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture) > 0;
        }

        /// <inheritdoc/>
        public async Task<AuditStoreMarks> ReadMarksAsync(CancellationToken cancellationToken = default)
        {
            if (!await ExistsForAuditAsync(cancellationToken).ConfigureAwait(false))
            {
                return AuditStoreMarks.None;
            }

            await using var connection = await OpenReadAsync(cancellationToken).ConfigureAwait(false);
            var probe = await ProbeSchemaAsync(connection, null, cancellationToken).ConfigureAwait(false);
            if (!probe.MetaExists)
            {
                return new AuditStoreMarks(probe.FormatTwoColumns, null);
            }

            var meta = new Dictionary<string, string>(StringComparer.Ordinal);
            await using var command = Command(connection, null, "SELECT name, value FROM store_meta");
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                meta[reader.GetString(0)] = reader.IsDBNull(1) ? string.Empty : reader.GetString(1);
            }

            return new AuditStoreMarks(probe.FormatTwoColumns, meta);
        }

        /// <inheritdoc/>
        public async Task<long> SealedSequenceAsync(CancellationToken cancellationToken = default)
        {
            if (!await ExistsForAuditAsync(cancellationToken).ConfigureAwait(false))
            {
                return 0;
            }

            return await ReadSealedSequenceAsync(cancellationToken).ConfigureAwait(false);
        }

        /// <summary>
        /// The highest sequence below which every entry has committed. The default suits a database whose writers are
        /// serialised (SQLite): the highest sequence a snapshot sees.
        /// </summary>
        private protected virtual async Task<long> ReadSealedSequenceAsync(CancellationToken cancellationToken)
        {
            await using var connection = await OpenReadAsync(cancellationToken).ConfigureAwait(false);
            await using var command = Command(connection, null, "SELECT COALESCE(MAX(seq), 0) FROM audit");
            return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
        }

        /// <summary>
        /// The next store-wide sequence, inside the write transaction. The default suits a database whose writers are
        /// serialised (SQLite): one more than the highest.
        /// </summary>
        private protected virtual async Task<long> NextSequenceAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
        {
            await using var command = Command(connection, transaction, "SELECT COALESCE(MAX(seq), 0) + 1 FROM audit");
            return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
        }

        /// <summary>
        /// Creates the schema if it is missing, and migrates a version 1 store to version 2 (once per store object).
        /// </summary>
        /// <exception cref="StoreSchemaTooNewException">The store was written by a newer version of decision-routing; nothing is changed.</exception>
        /// <exception cref="StoreReadOnlyException">The store can only be read.</exception>
        public async Task EnsureSchemaAsync(CancellationToken cancellationToken = default)
        {
            if (_schemaReady)
            {
                return;
            }

            await _schemaGate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                if (_schemaReady)
                {
                    return;
                }

                await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
                await using var transaction = await BeginWriteAsync(connection, cancellationToken).ConfigureAwait(false);
                if (SchemaLockStatement is { } schemaLock)
                {
                    await ExecuteAsync(connection, transaction, schemaLock, cancellationToken).ConfigureAwait(false);
                }

                // Refuse a newer schema before changing anything.
                var found = await ReadVersionAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
                foreach (var statement in SchemaStatements)
                {
                    await ExecuteAsync(connection, transaction, statement, cancellationToken).ConfigureAwait(false);
                }

                await RefuseAlteredSchemaAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
                await ExecuteAsync(
                    connection,
                    transaction,
                    "INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, @genesis) ON CONFLICT (id) DO NOTHING",
                    cancellationToken,
                    ("@genesis", AuditEntry.Genesis)).ConfigureAwait(false);
                if (found < 2)
                {
                    await MigrateToTwoAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    // A version 2 store written before the starting point was recorded: the first format 2 entry is it
                    // (or the next entry, if there is none). Taken on trust once; recorded, it cannot move unnoticed.
                    await ExecuteAsync(
                        connection,
                        transaction,
                        $"INSERT INTO store_meta (name, value) SELECT '{AuditStoreMarks.FormatTwoFromName}', CAST(COALESCE((SELECT MIN(seq) FROM audit WHERE case_seq IS NOT NULL), (SELECT COALESCE(MAX(seq), 0) + 1 FROM audit)) AS TEXT) WHERE 1 = 1 ON CONFLICT (name) DO NOTHING",
                        cancellationToken).ConfigureAwait(false);
                }

                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                StoreLog.SchemaReady(Logger, Description, found, SchemaVersion);
                _knownVersion = SchemaVersion;
                _schemaReady = true;
            }
            catch (Exception e) when (IsReadOnly(e))
            {
                throw new StoreReadOnlyException(Description, e);
            }
            finally
            {
                _schemaGate.Release();
            }
        }

        /// <summary>The version 1 tables, in the dialect's types.</summary>
        private protected static IReadOnlyList<string> Tables(string booleanType) => new[]
        {
            "CREATE TABLE IF NOT EXISTS cases (id TEXT PRIMARY KEY, proposal_id TEXT NOT NULL, rule_set_hash TEXT NOT NULL, state TEXT NOT NULL, version BIGINT NOT NULL, document TEXT NOT NULL, updated_at TEXT NOT NULL)",
            $"CREATE TABLE IF NOT EXISTS audit (seq BIGINT PRIMARY KEY, case_id TEXT NOT NULL, at TEXT NOT NULL, recorded_at TEXT NOT NULL, actor TEXT NOT NULL, roles TEXT NOT NULL, trigger_name TEXT NOT NULL, step TEXT, from_state TEXT NOT NULL, to_state TEXT NOT NULL, accepted {booleanType} NOT NULL, detail TEXT, rule_set_hash TEXT NOT NULL, previous_hash TEXT NOT NULL, hash TEXT NOT NULL)",
            "CREATE INDEX IF NOT EXISTS audit_by_case ON audit (case_id, seq)",
            "CREATE TABLE IF NOT EXISTS audit_head (id INTEGER PRIMARY KEY CHECK (id = 1), seq BIGINT NOT NULL, hash TEXT NOT NULL)",
        };

        /// <summary>
        /// The table of <see cref="AuditVoid"/> records: numbers taken and never committed. Created with the other tables
        /// (and added to an existing store at its next write), without a schema version of its own: code that predates it
        /// ignores it and reports the gaps it explains, which fails safe.
        /// </summary>
        private protected const string VoidTable = "CREATE TABLE IF NOT EXISTS audit_void (seq BIGINT PRIMARY KEY, recorded_at TEXT NOT NULL, origin TEXT NOT NULL, reason TEXT NOT NULL, key_id TEXT, hash TEXT NOT NULL)";

        /// <summary>The columns version 2 adds to the audit table, as defined.</summary>
        private protected static readonly string[] FormatTwoAuditColumns = ["case_seq BIGINT", "case_doc_hash TEXT", "key_id TEXT"];

        /// <summary>The columns version 2 adds to the cases table, as defined.</summary>
        private protected static readonly string[] FormatTwoCaseColumns = ["chain_seq BIGINT NOT NULL DEFAULT 0", $"chain_hash TEXT NOT NULL DEFAULT '{AuditEntry.Genesis}'", "chain_doc_hash TEXT"];

        /// <summary>The statement creating store_meta (version 2).</summary>
        private protected const string MetaTable = "CREATE TABLE IF NOT EXISTS store_meta (name TEXT PRIMARY KEY, value TEXT NOT NULL)";

        private string SelectedColumns => _knownVersion >= 2 ? AuditColumns : FormatOneColumns + ", NULL, NULL, NULL";

        private async Task MigrateToTwoAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
        {
            List<string> statements =
            [
                // Entries: where each sits in its case's chain, the case document it left, and the key it was hashed with.
                // Cases: the head of their own chain, so a writer needs only the case row it already locks.
                .. FormatTwoAuditColumns.Select(c => $"ALTER TABLE audit ADD COLUMN {c}"),
                .. FormatTwoCaseColumns.Select(c => $"ALTER TABLE cases ADD COLUMN {c}"),

                // A case's format 1 entries count towards its chain: its first format 2 entry follows its last format 1 one.
                $"UPDATE cases SET chain_seq = (SELECT COUNT(*) FROM audit a WHERE a.case_id = cases.id), chain_hash = COALESCE((SELECT a.hash FROM audit a WHERE a.case_id = cases.id ORDER BY a.seq DESC LIMIT 1), '{AuditEntry.Genesis}')",
                MetaTable,
            ];
            statements.AddRange(MigrationToTwoStatements);
            foreach (var statement in statements)
            {
                await ExecuteAsync(connection, transaction, statement, cancellationToken).ConfigureAwait(false);
            }

            await ExecuteAsync(connection, transaction, "INSERT INTO store_meta (name, value) VALUES ('schema_version', @version)", cancellationToken, ("@version", SchemaVersion.ToString(CultureInfo.InvariantCulture))).ConfigureAwait(false);

            // Every entry from here on is format 2: recorded once, so a later rewrite of entries as format 1 shows.
            await ExecuteAsync(
                connection,
                transaction,
                $"INSERT INTO store_meta (name, value) SELECT '{AuditStoreMarks.FormatTwoFromName}', CAST(COALESCE(MAX(seq), 0) + 1 AS TEXT) FROM audit",
                cancellationToken).ConfigureAwait(false);
        }

        private async Task<int> ReadVersionAsync(DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken)
        {
            var probe = await ProbeSchemaAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
            if (probe.Problem is { } problem)
            {
                throw new StoreMetaTamperedException(Description, problem);
            }

            return probe.Version;
        }

        /// <summary>
        /// The schema as the tables have it: whether store_meta exists, what version it records, whether the audit table
        /// has the format 2 columns, and, when the two disagree or store_meta holds a value no version wrote, what was
        /// changed by hand. Only a newer version throws.
        /// </summary>
        private async Task<(int Version, bool MetaExists, bool FormatTwoColumns, string? Problem)> ProbeSchemaAsync(DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken)
        {
            bool columns, metaExists;
            await using (var column = Command(connection, transaction, AuditColumnExists, ("@name", "case_seq")))
            {
                columns = Convert.ToInt64(await column.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture) > 0;
            }

            await using (var exists = Command(connection, transaction, TableExists, ("@name", "store_meta")))
            {
                metaExists = Convert.ToInt64(await exists.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture) > 0;
            }

            if (!metaExists)
            {
                return columns
                    ? (2, false, true, "the store's schema record (table store_meta) is missing, but its audit table has the format 2 columns (case_seq, case_doc_hash, key_id), which only version 2 adds: store_meta was deleted by hand")
                    : (1, false, false, null);
            }

            await using var command = Command(connection, transaction, $"SELECT value FROM store_meta WHERE name = '{AuditStoreMarks.SchemaVersionName}'");
            var value = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as string;
            if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var version) || version < 2)
            {
                var shown = value is null ? "no schema_version row" : $"schema_version '{value}'";
                return (2, true, columns, $"the store's schema record (table store_meta) has {shown}, but decision-routing only ever writes '2' there (or a later version): store_meta was edited by hand");
            }

            if (version > SchemaVersion)
            {
                throw new StoreSchemaTooNewException(Description, version, SchemaVersion);
            }

            return columns
                ? (version, true, true, null)
                : (version, true, false, $"the store's schema record (table store_meta) says schema version {version}, but its audit table lacks the format 2 columns that version has: the tables were altered by hand");
        }

        /// <summary>As <see cref="ExistsAsync"/>, but a hand-edited store_meta counts as existing: the verifier reports it.</summary>
        private async Task<bool> ExistsForAuditAsync(CancellationToken cancellationToken)
        {
            try
            {
                return await ExistsAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (StoreMetaTamperedException)
            {
                return true;
            }
        }

        private async Task<AuditEntry> WriteAsync(Func<DbConnection, DbTransaction, Task<(long Length, string Hash, string DocumentHash)>> change, AuditEntry entry, CancellationToken cancellationToken)
        {
            await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
            long? numbered = null;
            try
            {
                return await WriteNumberedAsync(change, entry, n => numbered = n, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (numbered is not null && NumbersSurviveRollback)
            {
                // The number is gone for good (a sequence does not roll back): say so under the key, so that verify can
                // tell this gap from a deletion. Best effort, and never in place of the write's own error.
                await TryRecordWriterVoidAsync(numbered.Value, e).ConfigureAwait(false);
                throw;
            }
        }

        private async Task<AuditEntry> WriteNumberedAsync(Func<DbConnection, DbTransaction, Task<(long Length, string Hash, string DocumentHash)>> change, AuditEntry entry, Action<long> numbered, CancellationToken cancellationToken)
        {
            try
            {
                await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
                await using var transaction = await BeginWriteAsync(connection, cancellationToken).ConfigureAwait(false);

                // The case row first: its lock orders this case's chain. Then the store-wide sequence, placed as late as
                // possible so that the time between taking it and committing is short.
                var (length, previous, document) = await change(connection, transaction).ConfigureAwait(false);
                var sequence = await NextSequenceAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
                numbered(sequence);
                var chained = entry.ChainedInCase(sequence, length + 1, previous, document, _auditKey);
                await ExecuteAsync(
                    connection,
                    transaction,
                    $"INSERT INTO audit ({AuditColumns}) VALUES (@seq, @case, @at, @recorded, @actor, @roles, @trigger, @step, @from, @to, @accepted, @detail, @hash, @previous, @entryHash, @caseSeq, @document, @key); " +
                    "UPDATE cases SET chain_seq = @caseSeq, chain_hash = @entryHash, chain_doc_hash = @document WHERE id = @case",
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
                    ("@entryHash", chained.Hash),
                    ("@caseSeq", chained.CaseSequence),
                    ("@document", chained.CaseDocumentHash),
                    ("@key", chained.KeyId)).ConfigureAwait(false);
                var markNow = _auditKey is not null && !_keyMarkWritten;
                if (markNow)
                {
                    await WriteKeyMarkAsync(connection, transaction, _auditKey!, cancellationToken).ConfigureAwait(false);
                }

                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                if (markNow)
                {
                    _keyMarkWritten = true;
                }

                return chained;
            }
            catch (Exception e) when (IsReadOnly(e))
            {
                StoreLog.ReadOnlyRefused(Logger, Description, entry.CaseId, entry.Trigger);
                throw new StoreReadOnlyException(Description, e);
            }
        }

        /// <inheritdoc/>
        public async Task<IReadOnlyList<AuditVoid>> ReadVoidsAsync(CancellationToken cancellationToken = default)
        {
            var voids = new List<AuditVoid>();
            if (!await ExistsForAuditAsync(cancellationToken).ConfigureAwait(false))
            {
                return voids;
            }

            await using var connection = await OpenReadAsync(cancellationToken).ConfigureAwait(false);
            if (!await TableExistsAsync(connection, null, "audit_void", cancellationToken).ConfigureAwait(false))
            {
                // Written before voids existed, or never written since: nothing to read, and nothing created.
                return voids;
            }

            await using var command = Command(connection, null, $"SELECT {VoidColumns} FROM audit_void ORDER BY seq");
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                // A row not as written covers no gap; the snapshot reports what is wrong with it (ReadSnapshotAsync).
                var problems = new List<string>();
                if (ReadVoid(new StoredRow(reader, string.Empty, problems)) is { } record && problems.Count == 0)
                {
                    voids.Add(record);
                }
            }

            return voids;
        }

        private const string VoidColumns = "seq, recorded_at, origin, reason, key_id, hash";

        /// <summary>A void row (<see cref="VoidColumns"/>) read through <see cref="StoredRow"/>; null when it cannot be read at all.</summary>
        private static AuditVoid? ReadVoid(StoredRow row)
        {
            var sequence = row.Integer(0);
            var recordedAt = row.Moment(1);
            var origin = row.Text(2);
            var reason = row.Text(3);
            var keyId = row.OptionalText(4);
            var hash = row.Text(5);
            return row.Unreadable || recordedAt is not { } at ? null : new AuditVoid(sequence, at, origin, reason, keyId, hash);
        }

        /// <inheritdoc/>
        /// <remarks>
        /// Waits for every writer holding a number (the seal), so a number whose writer is still committing is never
        /// voided, and only numbers at or below the newest committed entry can be voided: a number above it has not
        /// been skipped yet, and may still be used.
        /// </remarks>
        public async Task<IReadOnlyList<AuditVoid>> VoidAsync(long from, long to, string reason, CancellationToken cancellationToken = default)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(reason);
            if (!NumbersSurviveRollback)
            {
                throw new AuditVoidRefusedException($"{Description} numbers its entries without gaps (a write that fails gives its number back), so a gap in it is entries deleted, never a writer that died: there is nothing to void");
            }

            if (from < 1 || to < from)
            {
                throw new AuditVoidRefusedException($"void {from}–{to}: give sequence numbers from 1, with the last no lower than the first");
            }

            if (to - from + 1 > MaxVoidRange)
            {
                throw new AuditVoidRefusedException($"void {from}–{to}: at most {MaxVoidRange} numbers at once; a gap that long is not one writer that died");
            }

            await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                return await RecordVoidsAsync(from, to, AuditVoid.OperatorOrigin, reason, operatorChecks: true, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (IsReadOnly(e))
            {
                throw new StoreReadOnlyException(Description, e);
            }
        }

        /// <summary>The most numbers one operator void may cover.</summary>
        public const int MaxVoidRange = 1000;

        /// <summary>
        /// A write failed after taking <paramref name="sequence"/>: record that in a short transaction of its own. If
        /// that fails too (the database is gone), the gap stays and verify reports it with both causes.
        /// </summary>
        private async Task TryRecordWriterVoidAsync(long sequence, Exception failure)
        {
            var reason = $"{failure.GetType().Name}: {failure.Message}";
            try
            {
                // Not the write's token: a cancelled write is exactly one to record. A bounded wait instead.
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                await RecordVoidsAsync(sequence, sequence, AuditVoid.WriterOrigin, reason, operatorChecks: false, timeout.Token).ConfigureAwait(false);
                StoreLog.WriterVoid(Logger, Description, sequence, reason);
            }
            catch (Exception e) when (e is not (OutOfMemoryException or InsufficientExecutionStackException))
            {
                StoreLog.WriterVoidLost(Logger, e, Description, sequence);
                // Best effort: the write's own error is what the caller must see.
            }
        }

        private async Task<IReadOnlyList<AuditVoid>> RecordVoidsAsync(long from, long to, string origin, string reason, bool operatorChecks, CancellationToken cancellationToken)
        {
            await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var transaction = await BeginWriteAsync(connection, cancellationToken).ConfigureAwait(false);
            if (SealStatement is { } seal)
            {
                // Every writer holding a number finishes first: a commit whose reply was lost may still have succeeded,
                // and its entry must then be found below, not voided.
                await ExecuteAsync(connection, transaction, seal, cancellationToken).ConfigureAwait(false);
            }

            long newest;
            await using (var command = Command(connection, transaction, "SELECT COALESCE(MAX(seq), 0) FROM audit"))
            {
                newest = Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
            }

            var taken = new SortedSet<long>();
            foreach (var table in new[] { "audit", "audit_void" })
            {
                await using var command = Command(connection, transaction, $"SELECT seq FROM {table} WHERE seq >= @from AND seq <= @to", ("@from", from), ("@to", to));
                await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    var number = reader.GetInt64(0);
                    if (operatorChecks)
                    {
                        throw new AuditVoidRefusedException(table == "audit"
                            ? $"sequence {number} holds an entry: only a number that was taken and never committed can be void"
                            : $"sequence {number} is already void");
                    }

                    taken.Add(number);
                }
            }

            if (operatorChecks && to > newest)
            {
                throw new AuditVoidRefusedException($"sequence {to} is above the newest committed entry ({newest}): that number is not a gap (yet), and may still be used; only a gap below a committed entry can be void");
            }

            var at = NodaTime.SystemClock.Instance.GetCurrentInstant();
            var recorded = new List<AuditVoid>();
            for (var number = from; number <= to; number++)
            {
                if (taken.Contains(number))
                {
                    // The write committed after all (its reply was lost): there is no gap to explain.
                    continue;
                }

                var record = AuditVoid.Create(number, at, origin, reason, _auditKey);
                await ExecuteAsync(
                    connection,
                    transaction,
                    "INSERT INTO audit_void (seq, recorded_at, origin, reason, key_id, hash) VALUES (@seq, @at, @origin, @reason, @key, @hash)",
                    cancellationToken,
                    ("@seq", record.Sequence),
                    ("@at", InstantPattern.ExtendedIso.Format(record.RecordedAt)),
                    ("@origin", record.Origin),
                    ("@reason", record.Reason),
                    ("@key", record.KeyId),
                    ("@hash", record.Hash)).ConfigureAwait(false);
                recorded.Add(record);
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return recorded;
        }

        /// <summary>
        /// Records, once per store object, that the trail is keyed: the first keyed entry and the format 2 starting point
        /// under an HMAC (<see cref="AuditKeyMark"/>). The row is inserted only if there is none, so after the first keyed
        /// write it is a lookup of one primary key; writers on different cases never wait for each other on it.
        /// </summary>
        private async Task WriteKeyMarkAsync(DbConnection connection, DbTransaction transaction, AuditKey key, CancellationToken cancellationToken)
        {
            long? formatTwoFrom = null;
            await using (var command = Command(connection, transaction, $"SELECT value FROM store_meta WHERE name = '{AuditStoreMarks.FormatTwoFromName}'"))
            {
                if (await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is string text
                    && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var from))
                {
                    formatTwoFrom = from;
                }
            }

            long keyedFrom;
            await using (var command = Command(connection, transaction, "SELECT MIN(seq) FROM audit WHERE key_id = @key", ("@key", key.Id)))
            {
                keyedFrom = Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
            }

            await ExecuteAsync(
                connection,
                transaction,
                "INSERT INTO store_meta (name, value) VALUES (@name, @mark) ON CONFLICT (name) DO NOTHING",
                cancellationToken,
                ("@name", AuditStoreMarks.KeyMarkName),
                ("@mark", AuditKeyMark.Create(key, keyedFrom, formatTwoFrom).ToString())).ConfigureAwait(false);
        }

        private static async Task<(long, string)> ReadHeadAsync(DbConnection connection, DbTransaction? transaction, List<string> problems, CancellationToken cancellationToken)
        {
            await using var command = Command(connection, transaction, "SELECT seq, hash FROM audit_head WHERE id = 1");
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                throw new CorruptCaseException("The audit trail's head row is missing: the store was damaged by hand");
            }

            var row = new StoredRow(reader, "The store-wide chain's head row (table audit_head)", problems);
            return (row.Integer(0), row.Text(1));
        }

        private async IAsyncEnumerable<AuditEntry> ReadAsync(string where, [EnumeratorCancellation] CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
        {
            if (!await ExistsAsync(cancellationToken).ConfigureAwait(false))
            {
                yield break;
            }

            await using var connection = await OpenReadAsync(cancellationToken).ConfigureAwait(false);
            await using var command = Command(connection, null, $"SELECT {StoredRow.Guard(SelectedColumns, AuditTextColumns)} FROM audit {where}", parameters);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                yield return ReadEntryOrThrow(reader);
            }
        }

        /// <summary>An entry for a command (history, export): any damage <see cref="ReadEntry"/> notes stops it, in the words audit verify reports it with.</summary>
        private static AuditEntry ReadEntryOrThrow(DbDataReader reader)
        {
            var problems = new List<string>();
            var entry = ReadEntry(reader, problems);
            return problems.Count == 0 && entry is not null ? entry : throw new CorruptCaseException(string.Join("; ", problems));
        }

        /// <summary>
        /// The current row (<see cref="AuditColumns"/>) as an entry, every column read through <see cref="StoredRow"/>;
        /// what is not as written is added to <paramref name="problems"/>. Null when a value cannot be read at all.
        /// </summary>
        private static AuditEntry? ReadEntry(DbDataReader r, List<string> problems)
        {
            var row = new StoredRow(r, $"Audit entry {StoredRow.Key(r)}", problems);
            var entry = new
            {
                Sequence = row.Integer(0),
                CaseId = row.Text(1),
                At = row.Moment(2),
                RecordedAt = row.Moment(3),
                Actor = row.Text(4),
                Roles = row.Text(5),
                Trigger = row.Text(6),
                Step = row.OptionalText(7),
                From = row.State(8),
                To = row.State(9),
                Accepted = row.Flag(10),
                Detail = row.OptionalText(11),
                RuleSetHash = row.Text(12),
                PreviousHash = row.Text(13),
                Hash = row.Text(14),
                CaseSequence = row.OptionalInteger(15),
                CaseDocumentHash = row.OptionalText(16),
                KeyId = row.OptionalText(17),
            };
            if (row.Unreadable || entry.At is not { } at || entry.RecordedAt is not { } recordedAt || entry.From is not { } from || entry.To is not { } to)
            {
                return null;
            }

            return new AuditEntry
            {
                Sequence = entry.Sequence,
                CaseId = entry.CaseId,
                At = at,
                RecordedAt = recordedAt,
                Actor = entry.Actor,
                Roles = entry.Roles,
                Trigger = entry.Trigger,
                Step = entry.Step,
                From = from,
                To = to,
                Accepted = entry.Accepted,
                Detail = entry.Detail,
                RuleSetHash = entry.RuleSetHash,
                PreviousHash = entry.PreviousHash,
                Hash = entry.Hash,
                CaseSequence = entry.CaseSequence,
                CaseDocumentHash = entry.CaseDocumentHash,
                KeyId = entry.KeyId,
            };
        }

        private static async Task<int> ExecuteAsync(DbConnection connection, DbTransaction? transaction, string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
        {
            await using var command = Command(connection, transaction, sql, parameters);
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        /// <summary>A command on <paramref name="connection"/> with named parameters (null becomes SQL NULL).</summary>
        private protected static DbCommand Command(DbConnection connection, DbTransaction? transaction, string sql, params (string Name, object? Value)[] parameters)
        {
            ArgumentNullException.ThrowIfNull(connection);
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
