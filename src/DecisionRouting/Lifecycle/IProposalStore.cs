using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace DecisionRouting.Lifecycle
{
    /// <summary>
    /// Durable cases and their audit trail. Implementations commit a case change and its audit entry in one
    /// transaction, refuse a save from a stale version with <see cref="CaseConflictException"/>, and append audit entries
    /// to one hash chain in commit order.
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

        /// <summary>Appends an entry that changes no case (a refused trigger).</summary>
        Task<AuditEntry> AppendAsync(AuditEntry entry, CancellationToken cancellationToken = default);

        /// <summary>One case's entries, oldest first.</summary>
        Task<IReadOnlyList<AuditEntry>> HistoryAsync(string caseId, CancellationToken cancellationToken = default);

        /// <summary>The whole chain, oldest first.</summary>
        IAsyncEnumerable<AuditEntry> ReadAuditAsync(CancellationToken cancellationToken = default);

        /// <summary>The sequence and hash of the newest entry as the store's head row records them (0 and <see cref="AuditEntry.Genesis"/> when empty).</summary>
        Task<(long Sequence, string Hash)> HeadAsync(CancellationToken cancellationToken = default);
    }
}
