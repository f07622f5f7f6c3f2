using System;
using System.IO;
using System.Threading.Tasks;
using DecisionRouting.Lifecycle;
using DecisionRouting.Stores;
using DecisionRouting.Tests.Support;

namespace DecisionRouting.Tests.Stores;

/// <summary>
/// A store refuses to write a case document it would itself refuse to read (over 128 MiB of UTF-8, the limit reading
/// treats as damage): a clear error before anything is written or numbered, on SQLite and on PostgreSQL. One test for
/// both stores, one after the other, because the document is a few hundred MB in memory.
/// </summary>
public sealed class CaseDocumentSizeTests : IDisposable
{
    /// <summary>StoredRow.MaxTextBytes: the most bytes a stored text value may hold.</summary>
    private const long MaxTextBytes = 128L * 1024 * 1024;

    private static readonly Actor Clerk = new("Clerk", "democratic-services");
    private readonly TempCaseStore _store = new("dr-size-");

    public void Dispose() => _store.Dispose();

    [Fact]
    public async Task A_document_over_the_limit_is_refused_before_anything_is_written_on_both_stores()
    {
        // The case JSON escapes '€' as \u20AC: six bytes each, so the title alone puts the document just over the limit.
        var title = new string('€', (int)(MaxTextBytes / 6) + 1);
        var stores = new RelationalProposalStore[] { new SqliteProposalStore(Path.Combine(_store.Folder, "cases.db")), new PostgreSqlProposalStore(PostgresServer.NewDatabase()) };
        foreach (var store in stores)
        {
            var lifecycle = new ProposalLifecycle(store);
            await lifecycle.CreateAsync(Plans.Parallel(1, 1), Clerk, "small");

            var refused = await Assert.ThrowsAsync<CaseDocumentTooLargeException>(() => lifecycle.CreateAsync(Plans.Parallel(1, 1) with { Title = title }, Clerk, "big"));
            await lifecycle.CreateAsync(Plans.Parallel(1, 1), Clerk, "after");
            var verified = await AuditChain.VerifyAsync(store);

            Assert.Equal("big", refused.CaseId);
            Assert.True(refused.Bytes > MaxTextBytes && refused.Bytes < MaxTextBytes + 4096, refused.Bytes.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal(MaxTextBytes, refused.Limit);
            Assert.Contains($"case 'big' was not written: its document is {refused.Bytes} bytes (UTF-8), more than the {MaxTextBytes} a case store keeps; nothing was changed", refused.Message, StringComparison.Ordinal);
            Assert.Null(await store.FindAsync("big"));
            Assert.Empty(await store.HistoryAsync("big"));
            Assert.Single(await store.HistoryAsync("after"));

            // Refused before numbering: no gap in the trail, so nothing to void, and the trail verifies.
            Assert.True(verified.IsIntact, string.Join("\n", verified.Problems));
            Assert.Empty(verified.Voids);
        }
    }
}
