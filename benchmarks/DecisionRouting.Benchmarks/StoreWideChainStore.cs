using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using DecisionRouting.Lifecycle;
using DecisionRouting.Stores;
using NodaTime.Text;
using Npgsql;

namespace DecisionRouting.Benchmarks;

/// <summary>
/// The write path before audit format 2, kept only to measure against in the same run: every entry is chained across
/// the whole store, so every commit locks the one <c>audit_head</c> row (FOR UPDATE) until it commits. Reads go to the
/// real store. The SQL is the format 1 store's, statement for statement.
/// </summary>
public sealed class StoreWideChainStore : IProposalStore
{
    private readonly PostgreSqlProposalStore _inner;
    private readonly NpgsqlDataSource _dataSource;

    public StoreWideChainStore(string connectionString)
    {
        _inner = new PostgreSqlProposalStore(connectionString);
        _dataSource = NpgsqlDataSource.Create(connectionString);
    }

    public Task EnsureSchemaAsync() => _inner.EnsureSchemaAsync();

    public Task<AuditEntry> CreateAsync(ProposalCase proposalCase, AuditEntry created, CancellationToken cancellationToken = default) =>
        WriteAsync(
            async (connection, transaction) =>
            {
                await using var insert = new NpgsqlCommand("INSERT INTO cases (id, proposal_id, rule_set_hash, state, version, document, updated_at) VALUES (@id, @proposal, @hash, @state, @version, @document, @updated) ON CONFLICT (id) DO NOTHING", connection, transaction);
                insert.Parameters.AddWithValue("id", proposalCase.Id);
                insert.Parameters.AddWithValue("proposal", proposalCase.Plan.ProposalId);
                insert.Parameters.AddWithValue("hash", proposalCase.Plan.RuleSetHash);
                insert.Parameters.AddWithValue("state", proposalCase.State.ToString());
                insert.Parameters.AddWithValue("version", proposalCase.Version);
                insert.Parameters.AddWithValue("document", CaseJson.Write(proposalCase));
                insert.Parameters.AddWithValue("updated", InstantPattern.ExtendedIso.Format(created.RecordedAt));
                if (await insert.ExecuteNonQueryAsync(cancellationToken) == 0)
                {
                    throw new CaseAlreadyExistsException(proposalCase.Id);
                }
            },
            created,
            cancellationToken);

    public Task<ProposalCase?> FindAsync(string caseId, CancellationToken cancellationToken = default) => _inner.FindAsync(caseId, cancellationToken);

    public Task<AuditEntry> SaveAsync(ProposalCase updated, long expectedVersion, AuditEntry entry, CancellationToken cancellationToken = default) =>
        WriteAsync(
            async (connection, transaction) =>
            {
                await using var update = new NpgsqlCommand("UPDATE cases SET state = @state, version = @version, document = @document, updated_at = @updated WHERE id = @id AND version = @expected", connection, transaction);
                update.Parameters.AddWithValue("state", updated.State.ToString());
                update.Parameters.AddWithValue("version", updated.Version);
                update.Parameters.AddWithValue("document", CaseJson.Write(updated));
                update.Parameters.AddWithValue("updated", InstantPattern.ExtendedIso.Format(entry.RecordedAt));
                update.Parameters.AddWithValue("id", updated.Id);
                update.Parameters.AddWithValue("expected", expectedVersion);
                if (await update.ExecuteNonQueryAsync(cancellationToken) == 0)
                {
                    throw new CaseConflictException(updated.Id, expectedVersion);
                }
            },
            entry,
            cancellationToken);

    public Task<AuditEntry> AppendAsync(AuditEntry entry, CancellationToken cancellationToken = default) =>
        WriteAsync((_, _) => Task.CompletedTask, entry, cancellationToken);

    public Task<IReadOnlyList<AuditEntry>> HistoryAsync(string caseId, CancellationToken cancellationToken = default) => _inner.HistoryAsync(caseId, cancellationToken);

    public IAsyncEnumerable<AuditEntry> ReadAuditAsync(CancellationToken cancellationToken = default) => _inner.ReadAuditAsync(cancellationToken);

    public Task<(long Sequence, string Hash)> HeadAsync(CancellationToken cancellationToken = default) => _inner.HeadAsync(cancellationToken);

    public Task<(long Sequence, string Hash)> ReadSnapshotAsync(Func<AuditEntry, ValueTask> onEntry, Func<StoredCase, ValueTask> onCase, Func<string, ValueTask> onDamage, CancellationToken cancellationToken = default) =>
        _inner.ReadSnapshotAsync(onEntry, onCase, onDamage, cancellationToken);

    public Task<long> SealedSequenceAsync(CancellationToken cancellationToken = default) => _inner.SealedSequenceAsync(cancellationToken);

    public Task<AuditStoreMarks> ReadMarksAsync(CancellationToken cancellationToken = default) => _inner.ReadMarksAsync(cancellationToken);

    private async Task<AuditEntry> WriteAsync(Func<NpgsqlConnection, NpgsqlTransaction, Task> change, AuditEntry entry, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.ReadCommitted, cancellationToken);
        await change(connection, transaction);
        long sequence;
        string previous;
        await using (var head = new NpgsqlCommand("SELECT seq, hash FROM audit_head WHERE id = 1 FOR UPDATE", connection, transaction))
        await using (var reader = await head.ExecuteReaderAsync(cancellationToken))
        {
            await reader.ReadAsync(cancellationToken);
            sequence = reader.GetInt64(0);
            previous = reader.GetString(1);
        }

        var chained = entry.ChainedAfter(sequence + 1, previous);
        await using (var insert = new NpgsqlCommand("INSERT INTO audit (seq, case_id, at, recorded_at, actor, roles, trigger_name, step, from_state, to_state, accepted, detail, rule_set_hash, previous_hash, hash) VALUES (@seq, @case, @at, @recorded, @actor, @roles, @trigger, @step, @from, @to, @accepted, @detail, @hash, @previous, @entryHash)", connection, transaction))
        {
            insert.Parameters.AddWithValue("seq", chained.Sequence);
            insert.Parameters.AddWithValue("case", chained.CaseId);
            insert.Parameters.AddWithValue("at", InstantPattern.ExtendedIso.Format(chained.At));
            insert.Parameters.AddWithValue("recorded", InstantPattern.ExtendedIso.Format(chained.RecordedAt));
            insert.Parameters.AddWithValue("actor", chained.Actor);
            insert.Parameters.AddWithValue("roles", chained.Roles);
            insert.Parameters.AddWithValue("trigger", chained.Trigger);
            insert.Parameters.AddWithValue("step", (object?)chained.Step ?? DBNull.Value);
            insert.Parameters.AddWithValue("from", chained.From.ToString());
            insert.Parameters.AddWithValue("to", chained.To.ToString());
            insert.Parameters.AddWithValue("accepted", chained.Accepted ? 1 : 0);
            insert.Parameters.AddWithValue("detail", (object?)chained.Detail ?? DBNull.Value);
            insert.Parameters.AddWithValue("hash", chained.RuleSetHash);
            insert.Parameters.AddWithValue("previous", chained.PreviousHash);
            insert.Parameters.AddWithValue("entryHash", chained.Hash);
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }

        await using (var advance = new NpgsqlCommand("UPDATE audit_head SET seq = @seq, hash = @hash WHERE id = 1", connection, transaction))
        {
            advance.Parameters.AddWithValue("seq", chained.Sequence);
            advance.Parameters.AddWithValue("hash", chained.Hash);
            await advance.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return chained;
    }
}
