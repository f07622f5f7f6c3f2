using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DecisionRouting.Lifecycle;
using Microsoft.Extensions.DependencyInjection;

namespace DecisionRouting.Server
{
    /// <summary>
    /// Lets an HTTP client say which version of a case it acted on (<c>expectedVersion</c> in a fire request), and
    /// makes that exact: the lifecycle reads the case through <see cref="FindAsync"/> and saves with the version it
    /// read, so refusing here a case whose version is not the client's makes the store's own version check cover the
    /// client's read too. Without it a client that read version 4 could fire on version 5, which another officer
    /// changed meanwhile, and never know. Wraps the store <c>AddDecisionRouting</c> registered; nothing else changes.
    /// </summary>
    internal sealed class ExpectedVersionStore : IProposalStore, IAsyncDisposable, IDisposable
    {
        private static readonly AsyncLocal<(string CaseId, long Version)?> Expected = new();
        private readonly IProposalStore _inner;

        private ExpectedVersionStore(IProposalStore inner) => _inner = inner;

        /// <summary>Replaces the registered <see cref="IProposalStore"/> with this wrapper around it.</summary>
        public static void Decorate(IServiceCollection services)
        {
            var registered = services.Last(d => d.ServiceType == typeof(IProposalStore));
            var factory = registered.ImplementationFactory ?? throw new InvalidOperationException("AddDecisionRouting registers the store by factory; this service wraps that factory.");
            services.Remove(registered);
            services.AddSingleton<IProposalStore>(sp => new ExpectedVersionStore((IProposalStore)factory(sp)));
        }

        /// <summary>Until disposed, reads of <paramref name="caseId"/> on this async flow must find <paramref name="version"/>.</summary>
        public static IDisposable Expect(string caseId, long version)
        {
            Expected.Value = (caseId, version);
            return new Reset();
        }

        public async Task<ProposalCase?> FindAsync(string caseId, CancellationToken cancellationToken = default)
        {
            var found = await _inner.FindAsync(caseId, cancellationToken).ConfigureAwait(false);
            if (found is not null && Expected.Value is { } expected && string.Equals(expected.CaseId, caseId, StringComparison.Ordinal) && found.Version != expected.Version)
            {
                throw new CaseConflictException(caseId, expected.Version);
            }

            return found;
        }

        public Task<AuditEntry> CreateAsync(ProposalCase proposalCase, AuditEntry created, CancellationToken cancellationToken = default) => _inner.CreateAsync(proposalCase, created, cancellationToken);

        public Task<AuditEntry> SaveAsync(ProposalCase updated, long expectedVersion, AuditEntry entry, CancellationToken cancellationToken = default) => _inner.SaveAsync(updated, expectedVersion, entry, cancellationToken);

        public Task<AuditEntry> AppendAsync(AuditEntry entry, CancellationToken cancellationToken = default) => _inner.AppendAsync(entry, cancellationToken);

        public Task<IReadOnlyList<AuditEntry>> HistoryAsync(string caseId, CancellationToken cancellationToken = default) => _inner.HistoryAsync(caseId, cancellationToken);

        public IAsyncEnumerable<AuditEntry> ReadAuditAsync(CancellationToken cancellationToken = default) => _inner.ReadAuditAsync(cancellationToken);

        public Task<(long Sequence, string Hash)> HeadAsync(CancellationToken cancellationToken = default) => _inner.HeadAsync(cancellationToken);

        public Task<(long Sequence, string Hash)> ReadSnapshotAsync(Func<AuditEntry, ValueTask> onEntry, Func<StoredCase, ValueTask> onCase, Func<string, ValueTask> onDamage, CancellationToken cancellationToken = default) =>
            _inner.ReadSnapshotAsync(onEntry, onCase, onDamage, cancellationToken);

        public Task<long> SealedSequenceAsync(CancellationToken cancellationToken = default) => _inner.SealedSequenceAsync(cancellationToken);

        public Task<AuditStoreMarks> ReadMarksAsync(CancellationToken cancellationToken = default) => _inner.ReadMarksAsync(cancellationToken);

        public Task<IReadOnlyList<AuditVoid>> ReadVoidsAsync(CancellationToken cancellationToken = default) => _inner.ReadVoidsAsync(cancellationToken);

        public Task<IReadOnlyList<AuditVoid>> VoidAsync(long from, long to, string reason, CancellationToken cancellationToken = default) => _inner.VoidAsync(from, to, reason, cancellationToken);

        public async ValueTask DisposeAsync()
        {
            switch (_inner)
            {
                case IAsyncDisposable asyncDisposable:
                    await asyncDisposable.DisposeAsync().ConfigureAwait(false);
                    break;
                case IDisposable disposable:
                    disposable.Dispose();
                    break;
            }
        }

        public void Dispose() => (_inner as IDisposable)?.Dispose();

        private sealed class Reset : IDisposable
        {
            public void Dispose() => Expected.Value = null;
        }
    }
}
