using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DecisionRouting.Lifecycle;
using DecisionRouting.Stores;
using DecisionRouting.Tests.Support;
using Microsoft.Data.Sqlite;
using NodaTime;
using NodaTime.Text;
using Npgsql;

namespace DecisionRouting.Tests.Stores;

/// <summary>
/// Voids: a store-wide number taken and never committed. On a real PostgreSQL server, a write that fails after numbering
/// (a trigger that raises, a constraint checked at commit, cancellation) records a keyed void, and a crash gap is cleared
/// with the CLI's <c>audit void</c>; forged and misplaced voids fail verify. On SQLite, numbers are never lost, so there is
/// nothing to void.
/// </summary>
public sealed class AuditVoidTests : IDisposable
{
    private const string KeyText = "c2VjcmV0LWtleS1mb3ItdGVzdHMtb25seS0zMi1ieXRlcy1sb25nIQ==";
    private static readonly AuditKey Key = AuditKey.FromBase64(KeyText);
    private static readonly AuditKey OtherKey = AuditKey.FromBase64(Convert.ToBase64String(new byte[32]));
    private static readonly Actor Clerk = new("Clerk", "democratic-services");
    private readonly string _directory = Directory.CreateTempSubdirectory("dr-void-").FullName;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task A_write_a_trigger_refuses_after_numbering_leaves_a_keyed_void_and_verify_lists_it()
    {
        var (connection, store) = await KeyedStoreWithCasesAsync();
        await SqlAsync(connection, "CREATE FUNCTION refuse_saboteur() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'saboteur refused by the test trigger'; END $$; " +
            "CREATE TRIGGER refuse_saboteur BEFORE INSERT ON audit FOR EACH ROW WHEN (NEW.actor = 'Saboteur') EXECUTE FUNCTION refuse_saboteur()");

        var failed = await Assert.ThrowsAsync<PostgresException>(() => new ProposalLifecycle(store).FireAsync("b", new TriggerRequest(CaseTrigger.Start, new Actor("Saboteur", "democratic-services"))));

        // The test's trigger is an object decision-routing never creates: verify names it while it is there. It only
        // stands in for a failure after numbering, so it goes before the void itself is checked.
        var withTrigger = await AuditChain.VerifyAsync(store, new AuditVerifyOptions { Key = Key });
        await SqlAsync(connection, DropFaultTrigger("refuse_saboteur"));
        await new ProposalLifecycle(store).FireAsync("b", new TriggerRequest(CaseTrigger.Start, Clerk));
        var verified = await AuditChain.VerifyAsync(store, new AuditVerifyOptions { Key = Key });

        Assert.Contains("saboteur refused", failed.Message, StringComparison.Ordinal);
        Assert.Contains(withTrigger.Problems, p => p.Contains("table 'audit' has trigger 'refuse_saboteur', which decision-routing never creates", StringComparison.Ordinal));
        Assert.True(verified.IsIntact, string.Join("\n", verified.Problems));
        var single = Assert.Single(verified.Voids);
        Assert.Equal(4, single.Sequence);
        Assert.Equal(AuditVoid.WriterOrigin, single.Origin);
        Assert.Equal(Key.Id, single.KeyId);
        Assert.StartsWith("writer failed: PostgresException: P0001: saboteur refused by the test trigger", single.Describe(), StringComparison.Ordinal);
        Assert.Equal(new[] { 1L, 2, 3, 5 }, await SequencesAsync(store));
    }

    [Fact]
    public async Task A_commit_that_fails_leaves_a_void_too()
    {
        // A deferred constraint trigger raises at COMMIT: the failure comes after everything else succeeded.
        var (connection, store) = await KeyedStoreWithCasesAsync();
        await SqlAsync(connection, "CREATE FUNCTION refuse_at_commit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'refused at commit by the test'; END $$; " +
            "CREATE CONSTRAINT TRIGGER refuse_at_commit AFTER INSERT ON audit DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (NEW.actor = 'AtCommit') EXECUTE FUNCTION refuse_at_commit()");

        await Assert.ThrowsAsync<PostgresException>(() => new ProposalLifecycle(store).FireAsync("b", new TriggerRequest(CaseTrigger.Start, new Actor("AtCommit", "democratic-services"))));
        await SqlAsync(connection, DropFaultTrigger("refuse_at_commit"));
        await new ProposalLifecycle(store).FireAsync("b", new TriggerRequest(CaseTrigger.Start, Clerk));
        var verified = await AuditChain.VerifyAsync(store, new AuditVerifyOptions { Key = Key });

        Assert.True(verified.IsIntact, string.Join("\n", verified.Problems));
        Assert.Contains("refused at commit by the test", Assert.Single(verified.Voids).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_write_cancelled_after_numbering_leaves_a_void()
    {
        // The insert sleeps in a trigger; the caller gives up, Npgsql cancels the statement, and the number is lost.
        var (connection, store) = await KeyedStoreWithCasesAsync();
        await SqlAsync(connection, "CREATE FUNCTION slow_insert() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_sleep(30); RETURN NEW; END $$; " +
            "CREATE TRIGGER slow_insert BEFORE INSERT ON audit FOR EACH ROW WHEN (NEW.actor = 'Slow') EXECUTE FUNCTION slow_insert()");

        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        var clock = Stopwatch.StartNew();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new ProposalLifecycle(store).FireAsync("b", new TriggerRequest(CaseTrigger.Start, new Actor("Slow", "democratic-services")), cancel.Token));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(25), "the write was not cancelled");
        await SqlAsync(connection, DropFaultTrigger("slow_insert"));
        await new ProposalLifecycle(store).FireAsync("b", new TriggerRequest(CaseTrigger.Start, Clerk));
        var verified = await AuditChain.VerifyAsync(store, new AuditVerifyOptions { Key = Key });

        Assert.True(verified.IsIntact, string.Join("\n", verified.Problems));
        Assert.StartsWith("writer failed: OperationCanceledException", Assert.Single(verified.Voids).Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_crash_gap_fails_verify_until_audit_void_records_it_under_the_key()
    {
        var (connection, store) = await KeyedStoreWithCasesAsync();

        // A writer that took a number and died: nothing deleted, the sequence simply moved on.
        await SqlAsync(connection, "SELECT nextval('audit_sequence')");
        await new ProposalLifecycle(store).FireAsync("b", new TriggerRequest(CaseTrigger.Start, Clerk));
        var before = await AuditChain.VerifyAsync(store, new AuditVerifyOptions { Key = Key });
        var verifyBefore = Cli(connection, "audit", "verify");
        var voided = Cli(connection, "audit", "void", "--seq", "4", "--reason", "app log 2026-11-30 10:02: writer pid 812 killed (OOM) after numbering");
        var after = await AuditChain.VerifyAsync(store, new AuditVerifyOptions { Key = Key });
        var verifyAfter = Cli(connection, "audit", "verify");

        Assert.Equal(new[] { "Entry 4 is missing from the store-wide sequence, which the store numbers without gaps: deleted (removing a whole case's trail and row leaves exactly this), or, on PostgreSQL only, a writer that died between numbering an entry and committing it and no void records it (if the application's log shows that writer dying, record it with 'decision-routing audit void')" }, before.Problems);
        Assert.Equal(1, verifyBefore.Exit);
        Assert.True(voided.Exit == 0, voided.Error);
        Assert.Equal($"Recorded 1 void(s), keyed with audit key {Key.Id}:\n  Sequence 4 void: recorded by an operator: app log 2026-11-30 10:02: writer pid 812 killed (OOM) after numbering\n'audit verify' lists them; they are part of the trail's evidence.\n", voided.Out);
        Assert.True(after.IsIntact, string.Join("\n", after.Problems));
        Assert.Equal(0, verifyAfter.Exit);
        Assert.Contains("1 sequence number(s) are void (taken and never committed):\n  - sequence 4 void: recorded by an operator: app log 2026-11-30 10:02: writer pid 812 killed (OOM) after numbering (recorded ", verifyAfter.Out, StringComparison.Ordinal);
        Assert.Contains($", keyed {Key.Id})", verifyAfter.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Audit_void_refuses_an_entry_a_void_a_number_above_the_newest_and_a_range_that_touches_one()
    {
        var (connection, _) = await KeyedStoreWithCasesAsync();
        await SqlAsync(connection, "SELECT nextval('audit_sequence'); SELECT nextval('audit_sequence')");
        await new ProposalLifecycle(new PostgreSqlProposalStore(connection, Key)).FireAsync("b", new TriggerRequest(CaseTrigger.Start, Clerk));

        var onEntry = Cli(connection, "audit", "void", "--seq", "3", "--reason", "r");
        var overlapping = Cli(connection, "audit", "void", "--seq", "4", "--to", "6", "--reason", "r");
        var above = Cli(connection, "audit", "void", "--seq", "7", "--reason", "r");
        var range = Cli(connection, "audit", "void", "--seq", "4", "--to", "5", "--reason", "two writers killed together");
        var again = Cli(connection, "audit", "void", "--seq", "5", "--reason", "r");
        var controls = Cli(connection, "audit", "void", "--seq", "5", "--reason", "fine\u001b[2J");

        Assert.Equal((2, "decision-routing: no void recorded: sequence 3 holds an entry: only a number that was taken and never committed can be void\n"), (onEntry.Exit, onEntry.Error));
        Assert.Equal((2, "decision-routing: no void recorded: sequence 6 holds an entry: only a number that was taken and never committed can be void\n"), (overlapping.Exit, overlapping.Error));
        Assert.Equal((2, "decision-routing: no void recorded: sequence 7 is above the newest committed entry (6): that number is not a gap (yet), and may still be used; only a gap below a committed entry can be void\n"), (above.Exit, above.Error));
        Assert.True(range.Exit == 0, range.Error);
        Assert.Equal((2, "decision-routing: no void recorded: sequence 5 is already void\n"), (again.Exit, again.Error));
        Assert.Equal(2, controls.Exit);
        Assert.Contains("--reason", controls.Error, StringComparison.Ordinal);
        Assert.True((await AuditChain.VerifyAsync(new PostgreSqlProposalStore(connection), new AuditVerifyOptions { Key = Key })).IsIntact);
    }

    [Fact]
    public async Task A_void_forged_without_the_key_fails_verify_in_a_keyed_store_and_the_gap_stays()
    {
        var (connection, store) = await KeyedStoreWithCasesAsync();
        await new ProposalLifecycle(store).FireAsync("b", new TriggerRequest(CaseTrigger.Start, Clerk));

        // Someone with only the database deletes case 'a' (entries 1-2) and writes voids for its numbers: plain SHA-256,
        // and keyed with a key of their own.
        await TamperAsync(connection, "DELETE FROM audit WHERE case_id = 'a'; DELETE FROM cases WHERE id = 'a'");
        await InsertVoidAsync(connection, AuditVoid.Create(1, Instant.FromUtc(2026, 11, 30, 10, 0), AuditVoid.WriterOrigin, "connection lost", null));
        await InsertVoidAsync(connection, AuditVoid.Create(2, Instant.FromUtc(2026, 11, 30, 10, 0), AuditVoid.WriterOrigin, "connection lost", OtherKey));
        var keyed = await AuditChain.VerifyAsync(store, new AuditVerifyOptions { Key = Key });
        var withoutKey = await AuditChain.VerifyAsync(store);

        Assert.Contains(keyed.Problems, p => p.StartsWith("The void for sequence 1 (writer failed: connection lost) is not keyed although a key was given", StringComparison.Ordinal));
        Assert.Contains(keyed.Problems, p => p.StartsWith($"The void for sequence 2 (writer failed: connection lost) was hashed with the audit key {OtherKey.Id}, not the one given ({Key.Id})", StringComparison.Ordinal));
        Assert.Contains(keyed.Problems, p => p.StartsWith("Entries 1–2 are missing from the store-wide sequence", StringComparison.Ordinal));
        Assert.Empty(keyed.Voids);

        // Without the key, the store's key mark still says the trail is keyed: the unkeyed void is refused all the same.
        Assert.Contains(withoutKey.Problems, p => p.StartsWith("The void for sequence 1 (writer failed: connection lost) is not keyed although the store records it was keyed", StringComparison.Ordinal));
        Assert.Contains(withoutKey.Problems, p => p.StartsWith("Entry 1 is missing", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_void_on_an_existing_entry_or_changed_after_writing_fails_verify()
    {
        var (connection, store) = await KeyedStoreWithCasesAsync();
        await SqlAsync(connection, "SELECT nextval('audit_sequence')");
        await new ProposalLifecycle(store).FireAsync("b", new TriggerRequest(CaseTrigger.Start, Clerk));
        await store.VoidAsync(4, 4, "writer killed");

        // A properly keyed void on entry 2 (only a key holder could make it), and the real void's reason edited.
        await InsertVoidAsync(connection, AuditVoid.Create(2, Instant.FromUtc(2026, 11, 30, 10, 0), AuditVoid.OperatorOrigin, "pre-voided", Key));
        await TamperAsync(connection, "ALTER TABLE audit_void DISABLE TRIGGER audit_void_append_only; UPDATE audit_void SET reason = 'nothing to see' WHERE seq = 4");
        var verified = await AuditChain.VerifyAsync(store, new AuditVerifyOptions { Key = Key });

        Assert.Contains(verified.Problems, p => p.StartsWith("The void for sequence 2 (recorded by an operator: pre-voided) is on a number that holds an entry", StringComparison.Ordinal));
        Assert.Contains(verified.Problems, p => p.StartsWith("The void for sequence 4 (recorded by an operator: nothing to see) does not verify under the key", StringComparison.Ordinal));
        Assert.Contains(verified.Problems, p => p.StartsWith("Entry 4 is missing", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_gap_only_partly_covered_reports_exactly_the_numbers_no_void_covers()
    {
        var (connection, store) = await KeyedStoreWithCasesAsync();
        await SqlAsync(connection, "SELECT nextval('audit_sequence'); SELECT nextval('audit_sequence'); SELECT nextval('audit_sequence')");
        await new ProposalLifecycle(store).FireAsync("b", new TriggerRequest(CaseTrigger.Start, Clerk));
        await store.VoidAsync(5, 5, "writer killed");

        var verified = await AuditChain.VerifyAsync(store, new AuditVerifyOptions { Key = Key });

        Assert.Equal(2, verified.Problems.Count);
        Assert.StartsWith("Entry 4 is missing", verified.Problems[0], StringComparison.Ordinal);
        Assert.StartsWith("Entry 6 is missing", verified.Problems[1], StringComparison.Ordinal);
        Assert.Equal(5, Assert.Single(verified.Voids).Sequence);
    }

    [Fact]
    public async Task Voids_are_append_only_in_the_database()
    {
        var (connection, store) = await KeyedStoreWithCasesAsync();
        await SqlAsync(connection, "SELECT nextval('audit_sequence')");
        await new ProposalLifecycle(store).FireAsync("b", new TriggerRequest(CaseTrigger.Start, Clerk));
        await store.VoidAsync(4, 4, "writer killed");

        await Assert.ThrowsAsync<PostgresException>(() => SqlAsync(connection, "DELETE FROM audit_void"));
        await Assert.ThrowsAsync<PostgresException>(() => SqlAsync(connection, "UPDATE audit_void SET reason = 'x'"));

        // Deleting one anyway (triggers dropped) only brings the gap back.
        await TamperAsync(connection, "ALTER TABLE audit_void DISABLE TRIGGER audit_void_append_only; DELETE FROM audit_void");
        Assert.Contains((await AuditChain.VerifyAsync(store, new AuditVerifyOptions { Key = Key })).Problems, p => p.StartsWith("Entry 4 is missing", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Without_a_key_a_void_hides_a_deleted_case_but_is_listed()
    {
        // What the documentation says of plain mode: anyone with the database can compute a void, as they could already
        // renumber and recompute to close the gap. The void is still listed for someone to check against the log.
        var connection = PostgresServer.NewDatabase();
        var store = new PostgreSqlProposalStore(connection);
        await BuildAsync(store);
        await new ProposalLifecycle(store).FireAsync("b", new TriggerRequest(CaseTrigger.Start, Clerk));
        await TamperAsync(connection, "DELETE FROM audit WHERE case_id = 'a'; DELETE FROM cases WHERE id = 'a'");
        await InsertVoidAsync(connection, AuditVoid.Create(1, Instant.FromUtc(2026, 11, 30, 10, 0), AuditVoid.WriterOrigin, "connection lost", null));
        await InsertVoidAsync(connection, AuditVoid.Create(2, Instant.FromUtc(2026, 11, 30, 10, 0), AuditVoid.WriterOrigin, "connection lost", null));

        var verified = await AuditChain.VerifyAsync(store);

        Assert.True(verified.IsIntact, string.Join("\n", verified.Problems));
        Assert.Equal(new[] { 1L, 2 }, verified.Voids.Select(v => v.Sequence));
    }

    [Fact]
    public async Task On_sqlite_a_failed_write_gives_its_number_back_so_there_is_no_gap_and_nothing_to_void()
    {
        var path = Path.Combine(_directory, "cases.db");
        var store = new SqliteProposalStore(path, Key);
        await BuildAsync(store);
        await using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "CREATE TRIGGER refuse_saboteur BEFORE INSERT ON audit WHEN NEW.actor = 'Saboteur' BEGIN SELECT RAISE(ABORT, 'saboteur refused by the test trigger'); END";
            await command.ExecuteNonQueryAsync();
        }

        await Assert.ThrowsAsync<SqliteException>(() => new ProposalLifecycle(store).FireAsync("b", new TriggerRequest(CaseTrigger.Start, new Actor("Saboteur", "democratic-services"))));
        var withTrigger = await AuditChain.VerifyAsync(store, new AuditVerifyOptions { Key = Key });
        await using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            // The test's trigger stands in for a failed write; verify names it while it is there, and it goes before
            // the numbering itself is checked.
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "DROP TRIGGER refuse_saboteur";
            await command.ExecuteNonQueryAsync();
        }

        await new ProposalLifecycle(store).FireAsync("b", new TriggerRequest(CaseTrigger.Start, Clerk));
        var verified = await AuditChain.VerifyAsync(store, new AuditVerifyOptions { Key = Key });
        var refused = await Assert.ThrowsAsync<AuditVoidRefusedException>(() => store.VoidAsync(1, 1, "r"));
        var cli = InProcessCli.Run("audit", "void", "--db", path, "--seq", "2", "--reason", "r");

        Assert.Contains(withTrigger.Problems, p => p.Contains("it has trigger 'refuse_saboteur' on audit, which decision-routing never creates", StringComparison.Ordinal));
        Assert.True(verified.IsIntact, string.Join("\n", verified.Problems));
        Assert.Empty(verified.Voids);
        Assert.Equal(new[] { 1L, 2, 3, 4 }, await SequencesAsync(store));
        Assert.Contains("numbers its entries without gaps", refused.Message, StringComparison.Ordinal);
        Assert.Equal(2, cli.Exit);
        Assert.Contains("no void recorded: ", cli.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_store_written_before_voids_is_read_and_verified_without_creating_the_table()
    {
        var path = Path.Combine(_directory, "format1.db");
        File.Copy(SqliteProposalStoreTests.FormatOneFixture, path);
        var store = new SqliteProposalStore(path, readOnly: true);

        var verified = await AuditChain.VerifyAsync(store);
        await using var connection = new SqliteConnection($"Data Source={path};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM sqlite_master WHERE name = 'audit_void'";

        Assert.True(verified.IsIntact, string.Join("\n", verified.Problems));
        Assert.Empty(verified.Voids);
        Assert.Equal(0L, (long)(await command.ExecuteScalarAsync())!);
    }

    /// <summary>A keyed PostgreSQL store with case 'a' created and started (entries 1-2) and case 'b' created (entry 3).</summary>
    private static async Task<(string Connection, PostgreSqlProposalStore Store)> KeyedStoreWithCasesAsync()
    {
        var connection = PostgresServer.NewDatabase();
        var store = new PostgreSqlProposalStore(connection, Key);
        await BuildAsync(store);
        return (connection, store);
    }

    private static async Task BuildAsync(IProposalStore store)
    {
        var lifecycle = new ProposalLifecycle(store);
        await lifecycle.CreateAsync(Plans.Parallel(1, 2), Clerk, "a");
        await lifecycle.FireAsync("a", new TriggerRequest(CaseTrigger.Start, Clerk));
        await lifecycle.CreateAsync(Plans.Parallel(1, 2), Clerk, "b");
    }

    private static async Task<List<long>> SequencesAsync(IProposalStore store)
    {
        var sequences = new List<long>();
        await foreach (var entry in store.ReadAuditAsync())
        {
            sequences.Add(entry.Sequence);
        }

        return sequences;
    }

    /// <summary>
    /// Rows changed as someone with the database would: the append-only triggers disabled for the change and enabled
    /// again, so the schema looks as created (a store left with a disabled trigger is refused as altered, which would
    /// hide what the test checks).
    /// </summary>
    private static Task TamperAsync(string connection, string sql) =>
        SqlAsync(connection, "ALTER TABLE audit DISABLE TRIGGER audit_append_only; " + sql + "; ALTER TABLE audit ENABLE TRIGGER audit_append_only; ALTER TABLE audit_void ENABLE TRIGGER audit_void_append_only");

    /// <summary>Removes a trigger a test made to fail a write (a fault, not part of the store), with its function.</summary>
    private static string DropFaultTrigger(string name) => $"DROP TRIGGER {name} ON audit; DROP FUNCTION {name}()";

    private static async Task SqlAsync(string connection, string sql)
    {
        await using var open = new NpgsqlConnection(connection);
        await open.OpenAsync();
        await using var command = new NpgsqlCommand(sql, open);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task InsertVoidAsync(string connection, AuditVoid record)
    {
        await using var open = new NpgsqlConnection(connection);
        await open.OpenAsync();
        await using var command = new NpgsqlCommand("INSERT INTO audit_void (seq, recorded_at, origin, reason, key_id, hash) VALUES (@seq, @at, @origin, @reason, @key, @hash)", open);
        command.Parameters.AddWithValue("seq", record.Sequence);
        command.Parameters.AddWithValue("at", InstantPattern.ExtendedIso.Format(record.RecordedAt));
        command.Parameters.AddWithValue("origin", record.Origin);
        command.Parameters.AddWithValue("reason", record.Reason);
        command.Parameters.AddWithValue("key", (object?)record.KeyId ?? DBNull.Value);
        command.Parameters.AddWithValue("hash", record.Hash);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>The built CLI as a process, on the PostgreSQL store, with the audit key in its environment and nothing else leaking in.</summary>
    private static (int Exit, string Out, string Error) Cli(string connection, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = CliProcess.Directory };
        start.ArgumentList.Add(CliProcess.DllPath);
        foreach (var arg in args.Concat(new[] { "--postgres", connection }))
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var name in new[] { "DECISION_ROUTING_AUDIT_KEY_FILE", "DECISION_ROUTING_DB", "DECISION_ROUTING_POSTGRES" })
        {
            start.Environment.Remove(name);
        }

        start.Environment["DECISION_ROUTING_AUDIT_KEY"] = KeyText;
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout, stderr.Result);
    }
}
