using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace DecisionRouting.Lifecycle
{
    /// <summary>
    /// Durable cases and their audit trail. Implementations commit a case change and its audit entry in one
    /// transaction, refuse a save from a stale version with <see cref="CaseConflictException"/>, and chain each audit
    /// entry (format 2) after the previous entry of the same case, committing to the case document it left, so commits
    /// on different cases do not wait for each other.
    /// </summary>
    public interface IProposalStore
    {
        /// <summary>Stores a new case and the audit entry recording its creation.</summary>
        /// <exception cref="CaseAlreadyExistsException">The id is taken.</exception>
        Task<AuditEntry> CreateAsync(ProposalCase proposalCase, AuditEntry created, CancellationToken cancellationToken = default);

        /// <summary>The case with this id, or null.</summary>
        Task<ProposalCase?> FindAsync(string caseId, CancellationToken cancellationToken = default);

        /// <summary>
        /// Saves <paramref name="updated"/> (whose version is <paramref name="expectedVersion"/> + 1) and appends
        /// <paramref name="entry"/>, in one transaction.
        /// </summary>
        /// <exception cref="CaseConflictException">The stored version is no longer <paramref name="expectedVersion"/>.</exception>
        Task<AuditEntry> SaveAsync(ProposalCase updated, long expectedVersion, AuditEntry entry, CancellationToken cancellationToken = default);

        /// <summary>Appends an entry that changes no case (a refused trigger) to its case's chain.</summary>
        /// <exception cref="CaseNotFoundException">The entry's case is not in the store.</exception>
        Task<AuditEntry> AppendAsync(AuditEntry entry, CancellationToken cancellationToken = default);

        /// <summary>One case's entries, oldest first.</summary>
        Task<IReadOnlyList<AuditEntry>> HistoryAsync(string caseId, CancellationToken cancellationToken = default);

        /// <summary>The whole trail, oldest first (by store-wide sequence).</summary>
        IAsyncEnumerable<AuditEntry> ReadAuditAsync(CancellationToken cancellationToken = default);

        /// <summary>
        /// The sequence and hash of the newest format 1 entry (the store-wide chain written before format 2) as the
        /// store's head row records them: 0 and <see cref="AuditEntry.Genesis"/> when there are none. Format 2 entries
        /// never move it.
        /// </summary>
        Task<(long Sequence, string Hash)> HeadAsync(CancellationToken cancellationToken = default);

        /// <summary>
        /// Reads, in one consistent snapshot, the whole trail oldest first (<paramref name="onEntry"/>), then every
        /// case row (<paramref name="onCase"/>), and returns the format 1 head row as <see cref="HeadAsync"/> would:
        /// what <see cref="AuditChain"/> checks against each other. Creates nothing; an absent store reads as empty.
        /// <para>
        /// Rows are read exactly as the store's other reads (<see cref="FindAsync"/>, <see cref="HistoryAsync"/>) read
        /// them. Whatever those would refuse as damaged, and whatever is stored otherwise than the store writes it (a
        /// value of another storage type, a text no writer produces, a case row column that disagrees with its
        /// document), goes to <paramref name="onDamage"/> in plain words naming the table, row and column and how to
        /// recover; a row that can still be read is then given as read, one that cannot is left out.
        /// </para>
        /// </summary>
        Task<(long Sequence, string Hash)> ReadSnapshotAsync(Func<AuditEntry, ValueTask> onEntry, Func<StoredCase, ValueTask> onCase, Func<string, ValueTask> onDamage, CancellationToken cancellationToken = default);

        /// <summary>
        /// The highest store-wide sequence at or below which every entry has committed, and above which every later
        /// entry will be placed: the point an <see cref="AuditHead"/> may be taken at. Waits for commits in flight.
        /// </summary>
        Task<long> SealedSequenceAsync(CancellationToken cancellationToken = default);

        /// <summary>
        /// What the store records about its trail as a whole (<see cref="AuditStoreMarks"/>): the format 2 starting point
        /// and the key mark, and whether its schema and its records agree. Read without throwing on a hand-edited record,
        /// so that <see cref="AuditChain"/> can report it. The default (a store that keeps no such record) is
        /// <see cref="AuditStoreMarks.None"/>.
        /// </summary>
        Task<AuditStoreMarks> ReadMarksAsync(CancellationToken cancellationToken = default) => Task.FromResult(AuditStoreMarks.None);

        /// <summary>
        /// Every <see cref="AuditVoid"/> the store holds, by sequence: numbers taken and never committed. Read without
        /// checking them; <see cref="AuditChain"/> checks each against the trail and the key. The default (a store whose
        /// numbers never have gaps) is none.
        /// </summary>
        Task<IReadOnlyList<AuditVoid>> ReadVoidsAsync(CancellationToken cancellationToken = default) => Task.FromResult<IReadOnlyList<AuditVoid>>(Array.Empty<AuditVoid>());

        /// <summary>
        /// Records, as an operator, that the store-wide numbers <paramref name="from"/> to <paramref name="to"/> were taken
        /// by a writer that died before committing (<see cref="AuditVoid.OperatorOrigin"/>), keyed with the store's key when
        /// it has one. Refuses numbers that hold an entry, are already void, or lie above the newest committed entry.
        /// </summary>
        /// <returns>The voids recorded, by sequence.</returns>
        /// <exception cref="AuditVoidRefusedException">The store numbers without gaps (nothing to void), or a number is refused; nothing is recorded.</exception>
        Task<IReadOnlyList<AuditVoid>> VoidAsync(long from, long to, string reason, CancellationToken cancellationToken = default) =>
            throw new AuditVoidRefusedException("this store numbers its entries without gaps, so a gap in it is entries deleted, never a writer that died: there is nothing to void");
    }

    /// <summary>A case row as the store holds it, for checking against its trail.</summary>
    /// <param name="Id">The case id.</param>
    /// <param name="DocumentHash">SHA-256 (lower-case hex) of the stored case document (<see cref="AuditEntry.HashDocument"/>); null when the document was not read (it is in <see cref="NotRead"/>).</param>
    /// <param name="ChainLength">How many entries the row says the case's chain has (null in a store written before format 2).</param>
    /// <param name="ChainHash">The hash of the case's newest entry as the row records it (null in a store written before format 2).</param>
    public sealed record StoredCase(string Id, string? DocumentHash, long? ChainLength = null, string? ChainHash = null)
    {
        /// <summary>
        /// The row's columns the store did not read, by column name (e.g. <c>document</c>, <c>chain_doc_hash</c>): too
        /// large, and reported as damage through the snapshot's damage callback. Their values here are placeholders, so
        /// nothing is compared or shown from them. Empty when every column was read.
        /// </summary>
        public System.Collections.Generic.IReadOnlyList<string> NotRead { get; init; } = [];

        /// <summary>
        /// The hash of the document the case's newest entry recorded, as the row keeps it for the next refusal to commit
        /// to (null in a store written before format 2, and until the case's first format 2 entry).
        /// </summary>
        public string? ChainDocumentHash { get; init; }

        /// <summary>When the row says the case last changed: the recorded time of its newest accepted entry (null when the store keeps no such column, or it cannot be read).</summary>
        public NodaTime.Instant? UpdatedAt { get; init; }
    }
}
