using System;
using System.Data.Common;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;
using DecisionRouting.Lifecycle;
using DecisionRouting.Stores;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace DecisionRouting.Benchmarks;

/// <summary>
/// Durable transitions per second: a case created, started and taken through 16 parallel sign-offs (18 audited
/// transitions per case), against the baseline of 18 bare durable commits of a row the same size on the same database.
/// SQLite with one writer (WAL, synchronous=FULL); PostgreSQL with 8 writers on their own cases. Results are per
/// transition; transitions per second = 1 / mean. <see cref="PostgresStoreWideChain"/> is the write path before audit
/// format 2 (one chain across the store, its head row locked by every commit), measured in the same run as the
/// per-case chains of <see cref="PostgresTransitions"/>.
/// </summary>
[MemoryDiagnoser]
[CategoriesColumn]
[GroupBenchmarksBy(BenchmarkDotNet.Configs.BenchmarkLogicalGroupRule.ByCategory)]
public class TransitionBenchmarks
{
    private const int Writers = 8;
    private const int Transitions = 18;
    private static readonly Actor Clerk = new("Clerk", "democratic-services");
    private static readonly CasePlan Plan = new()
    {
        ProposalId = "bench",
        Title = "Benchmark plan",
        RuleSetName = "synthetic",
        RuleSetHash = new string('b', 64),
        IntendedDecisionDate = new NodaTime.LocalDate(2026, 12, 1),
        Steps = Enumerable.Range(0, Transitions - 2).Select(s => new CaseStep { Id = $"step-{s}", Name = $"Sign-off {s}", Kind = StepKind.SignOff, Roles = new[] { "officer" } }).ToList(),
    };

    private static readonly string Row = CaseJson.Write(ProposalCase.For(Plan));
    private string _directory = string.Empty;
    private SqliteProposalStore _sqlite = null!;
    private PostgreSqlProposalStore _postgres = null!;
    private StoreWideChainStore _storeWide = null!;
    private string _postgresConnection = string.Empty;
    private int _next;

    [GlobalSetup]
    public async Task Setup()
    {
        _directory = Directory.CreateTempSubdirectory("dr-bench-").FullName;
        _sqlite = new SqliteProposalStore(Path.Combine(_directory, "cases.db"));
        await _sqlite.EnsureSchemaAsync();
        await RawSqliteAsync("CREATE TABLE IF NOT EXISTS raw (id TEXT PRIMARY KEY, document TEXT NOT NULL)");

        var server = StartPostgres();
        var database = "bench_" + Guid.NewGuid().ToString("N")[..12];
        await using (var admin = new NpgsqlConnection(server))
        {
            await admin.OpenAsync();
            await new NpgsqlCommand($"CREATE DATABASE {database}", admin).ExecuteNonQueryAsync();
        }

        _postgresConnection = new NpgsqlConnectionStringBuilder(server) { Database = database, MaxPoolSize = 40 }.ToString();
        _postgres = new PostgreSqlProposalStore(_postgresConnection);
        await _postgres.EnsureSchemaAsync();

        // The format 1 write path on a database of its own, so the two chains never meet.
        var before = database + "_f1";
        await using (var admin = new NpgsqlConnection(server))
        {
            await admin.OpenAsync();
            await new NpgsqlCommand($"CREATE DATABASE {before}", admin).ExecuteNonQueryAsync();
        }

        _storeWide = new StoreWideChainStore(new NpgsqlConnectionStringBuilder(_postgresConnection) { Database = before }.ToString());
        await _storeWide.EnsureSchemaAsync();
        await using var connection = new NpgsqlConnection(_postgresConnection);
        await connection.OpenAsync();
        await new NpgsqlCommand("CREATE TABLE IF NOT EXISTS raw (id TEXT PRIMARY KEY, document TEXT NOT NULL)", connection).ExecuteNonQueryAsync();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _postgres.Dispose();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Transitions)]
    [BenchmarkCategory("SQLite, 1 writer")]
    public async Task SqliteBareCommits()
    {
        var id = Interlocked.Increment(ref _next);
        for (var t = 0; t < Transitions; t++)
        {
            await using var connection = new SqliteConnection($"Data Source={_sqlite.Path};Pooling=True");
            await connection.OpenAsync();
            await using (var pragma = connection.CreateCommand())
            {
                pragma.CommandText = "PRAGMA synchronous = FULL";
                await pragma.ExecuteNonQueryAsync();
            }

            await using var transaction = connection.BeginTransaction(deferred: false);
            await using var insert = connection.CreateCommand();
            insert.Transaction = transaction;
            insert.CommandText = "INSERT INTO raw (id, document) VALUES (@id, @document)";
            insert.Parameters.AddWithValue("@id", $"{id}-{t}");
            insert.Parameters.AddWithValue("@document", Row);
            await insert.ExecuteNonQueryAsync();
            await transaction.CommitAsync();
        }
    }

    [Benchmark(OperationsPerInvoke = Transitions)]
    [BenchmarkCategory("SQLite, 1 writer")]
    public Task SqliteTransitions() => DriveCaseAsync(new ProposalLifecycle(_sqlite), $"s-{Interlocked.Increment(ref _next)}");

    [Benchmark(Baseline = true, OperationsPerInvoke = Transitions * Writers)]
    [BenchmarkCategory("PostgreSQL, 8 writers")]
    public Task PostgresBareCommits() => Task.WhenAll(Enumerable.Range(0, Writers).Select(_ => Task.Run(async () =>
    {
        var id = Interlocked.Increment(ref _next);
        for (var t = 0; t < Transitions; t++)
        {
            await using var connection = new NpgsqlConnection(_postgresConnection);
            await connection.OpenAsync();
            await using var transaction = await connection.BeginTransactionAsync();
            await using var insert = new NpgsqlCommand("INSERT INTO raw (id, document) VALUES (@id, @document)", connection, transaction);
            insert.Parameters.AddWithValue("@id", $"{id}-{t}");
            insert.Parameters.AddWithValue("@document", Row);
            await insert.ExecuteNonQueryAsync();
            await transaction.CommitAsync();
        }
    })));

    [Benchmark(OperationsPerInvoke = Transitions * Writers)]
    [BenchmarkCategory("PostgreSQL, 8 writers")]
    public Task PostgresTransitions()
    {
        var lifecycle = new ProposalLifecycle(_postgres);
        return Task.WhenAll(Enumerable.Range(0, Writers).Select(_ => Task.Run(() => DriveCaseAsync(lifecycle, $"p-{Interlocked.Increment(ref _next)}"))));
    }

    [Benchmark(OperationsPerInvoke = Transitions * Writers)]
    [BenchmarkCategory("PostgreSQL, 8 writers")]
    public Task PostgresStoreWideChain()
    {
        var lifecycle = new ProposalLifecycle(_storeWide);
        return Task.WhenAll(Enumerable.Range(0, Writers).Select(_ => Task.Run(() => DriveCaseAsync(lifecycle, $"f-{Interlocked.Increment(ref _next)}"))));
    }

    private static async Task DriveCaseAsync(ProposalLifecycle lifecycle, string id)
    {
        await lifecycle.CreateAsync(Plan, Clerk, id);
        await lifecycle.FireAsync(id, new TriggerRequest(CaseTrigger.Start, Clerk));
        var officer = new Actor("Officer", "officer");
        foreach (var step in Plan.Steps)
        {
            var outcome = await lifecycle.FireAsync(id, TriggerRequest.Complete(step.Id, officer));
            if (!outcome.Accepted)
            {
                throw new InvalidOperationException(string.Join("; ", outcome.Reasons));
            }
        }
    }

    private async Task RawSqliteAsync(string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={_sqlite.Path}");
        await connection.OpenAsync();
        await using DbCommand command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    private static string StartPostgres()
    {
        var script = Path.Combine(Workload.Repository(), "scripts", "postgres.sh");
        using var process = Process.Start(new ProcessStartInfo("bash", new[] { script, "start" }) { RedirectStandardOutput = true })!;
        var output = process.StandardOutput.ReadToEnd().Trim();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{script} start failed ({process.ExitCode})");
        }

        return output;
    }
}
