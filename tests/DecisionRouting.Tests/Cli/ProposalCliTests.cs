using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using DecisionRouting.Cli;
using DecisionRouting.Tests.Support;
using Microsoft.Data.Sqlite;

namespace DecisionRouting.Tests.Cli;

/// <summary><c>proposal create|status|fire|history|graph</c> and <c>audit verify</c> on a real SQLite file.</summary>
public sealed class ProposalCliTests : IDisposable
{
    private const string Id = "croydon-2013-integrated-commissioning-unit";
    private readonly string _directory = Directory.CreateTempSubdirectory("dr-cli-").FullName;
    private readonly string _db;

    public ProposalCliTests()
    {
        _db = Path.Combine(_directory, "cases.db");
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public void Fire_with_a_stale_expected_version_exits_4_and_fires_and_audits_nothing()
    {
        Create("text");
        Assert.Equal(0, Fire("start", "--actor", "Dem", "--role", "democratic-services", "--at", "2013-06-01", "--expected-version", "0").Exit);
        var before = Run("proposal", "history", Id, "--db", _db, "--format", "json").Out;

        // The officer read version 0; the case is at 1. Both a trigger the rules would accept and one they would refuse
        // (and audit) stop at the version.
        foreach (var args in new[]
        {
            new[] { "complete-step", "--step", "finance-sign-off", "--actor", "Fin", "--role", "s151-officer" },
            new[] { "start", "--actor", "Dem", "--role", "democratic-services" },
        })
        {
            var stale = Fire(args[0], args.Skip(1).Concat(new[] { "--at", "2013-06-02", "--expected-version", "0" }).ToArray());
            Assert.Equal(ExitCodes.Conflict, stale.Exit);
            Assert.Contains($"Case '{Id}' is at version 1, not the version 0 you acted on", stale.Error, StringComparison.Ordinal);
        }

        Assert.Equal(before, Run("proposal", "history", Id, "--db", _db, "--format", "json").Out);
        Assert.Equal(0, Fire("complete-step", "--step", "finance-sign-off", "--actor", "Fin", "--role", "s151-officer", "--at", "2013-06-02", "--expected-version", "1").Exit);
    }

    [Fact]
    public void Create_prints_the_id_and_status_lists_permitted_and_blocked_triggers()
    {
        var created = Create("json");
        var status = Run("proposal", "status", Id, "--db", _db, "--format", "json", "--at", "2013-06-02");

        Assert.Equal(0, created.Exit);
        Assert.Equal(Id, Json(created.Out).GetProperty("id").GetString());
        Assert.Equal(0, status.Exit);
        var json = Json(status.Out);
        Assert.Equal("Draft", json.GetProperty("state").GetString());
        var start = json.GetProperty("permittedTriggers").EnumerateArray().Single(t => t.GetProperty("trigger").GetString() == "Start");
        Assert.Contains("democratic-services", start.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));

        Fire("start", "--actor", "Dem", "--role", "democratic-services", "--at", "2013-06-01");
        var started = Json(Run("proposal", "status", Id, "--db", _db, "--format", "json", "--at", "2013-06-02").Out);
        var decision = started.GetProperty("blockedTriggers").EnumerateArray().Single(t => t.GetProperty("step").GetString() == "cabinet-decision");
        Assert.Contains(
            "'Publish the meeting notice, agenda and report' (meeting-notice) must be completed first",
            decision.GetProperty("reasons").EnumerateArray().Select(r => r.GetString()));
    }

    [Fact]
    public void A_refused_trigger_exits_1_with_the_reasons_and_is_in_the_history()
    {
        Create("text");
        Fire("start", "--actor", "Dem", "--role", "democratic-services", "--at", "2013-06-01");

        var refused = Fire("complete-step", "--step", "finance-sign-off", "--actor", "Mo", "--role", "monitoring-officer", "--at", "2013-06-03T10:00");
        var accepted = Fire("CompleteStep", "--step", "finance-sign-off", "--actor", "Fi", "--role", "s151-officer", "--at", "2013-06-03T10:30");
        var history = Run("proposal", "history", Id, "--db", _db);

        Assert.Equal(1, refused.Exit);
        Assert.Contains("refused: CompleteStep finance-sign-off", refused.Error);
        Assert.Contains("  - Only s151-officer may complete 'finance-sign-off'; Mo acts as monitoring-officer", refused.Error);
        Assert.Equal(0, accepted.Exit);
        Assert.Contains("CompleteStep finance-sign-off: InProgress → InProgress (audit entry 4)", accepted.Out);
        Assert.Contains("Mon 3 Jun 2013 10:00  Mo (monitoring-officer)  CompleteStep finance-sign-off  REFUSED in InProgress", history.Out);
        Assert.Contains("Mon 3 Jun 2013 10:30  Fi (s151-officer)  CompleteStep finance-sign-off  InProgress → InProgress", history.Out);
    }

    [Fact]
    public void Audit_verify_passes_then_reports_a_row_changed_by_hand()
    {
        Create("text");
        Fire("start", "--actor", "Dem", "--role", "democratic-services", "--at", "2013-06-01");
        Fire("complete-step", "--step", "finance-sign-off", "--actor", "Fi", "--role", "s151-officer", "--at", "2013-06-03T10:30");

        var intact = Run("audit", "verify", "--db", _db);
        Tamper("DROP TRIGGER audit_no_update; UPDATE audit SET actor = 'Someone Else' WHERE seq = 3");
        var tampered = Run("audit", "verify", "--db", _db);

        Assert.Equal((0, "Audit trail intact: 3 entries, hash chain verified.\n"), (intact.Exit, intact.Out));
        Assert.Equal(1, tampered.Exit);
        Assert.Contains("Entry 3 (CompleteStep finance-sign-off on case 'croydon-2013-integrated-commissioning-unit' by Someone Else) was changed after it was written", tampered.Out);
    }

    [Theory]
    [InlineData("mermaid", "\t[*] --> Draft\n")]
    [InlineData("mermaid", "class Draft current")]
    [InlineData("dot", "\"Draft\" [style=\"filled\"")]
    public void Graph_highlights_the_current_state(string format, string expected)
    {
        Create("text");

        var graph = Run("proposal", "graph", Id, "--db", _db, "--format", format);

        Assert.Equal(0, graph.Exit);
        Assert.Contains(expected, graph.Out);
    }

    [Theory]
    [InlineData(new[] { "proposal", "status", "nope" }, "There is no case 'nope' in this store.")]
    [InlineData(new[] { "proposal", "fire", Id, "explode", "--actor", "A", "--role", "r" }, "'explode' is not a trigger")]
    [InlineData(new[] { "proposal", "fire", Id, "start", "--actor", "A", "--role", "r", "--at", "yesterday" }, "--at must be a time such as")]
    [InlineData(new[] { "proposal", "fire", Id, "defer", "--actor", "A", "--role", "r", "--date", "15/07/2013" }, "--date must be a date written yyyy-MM-dd")]
    public void Mistakes_are_one_line_and_exit_2(string[] args, string expected)
    {
        Create("text");

        var result = Run(args.Concat(new[] { "--db", _db }).ToArray());

        Assert.Equal(2, result.Exit);
        Assert.Contains(expected, result.Error);
        Assert.DoesNotContain("   at ", result.Error);
    }

    [Fact]
    public void A_second_create_of_the_same_id_is_refused()
    {
        Create("text");

        var again = Run("proposal", "create", Repository.PathOf($"samples/proposals/{Id}.json"), "--rules", Repository.PathOf("rules/partnerships/croydon"), "--db", _db);

        Assert.Equal(2, again.Exit);
        Assert.Contains("already exists", again.Error);
    }

    [Fact]
    public void A_file_that_is_not_a_database_is_one_line_and_exit_2()
    {
        File.WriteAllText(_db, "this is not a database, it is a shopping list");

        var result = Run("proposal", "status", Id, "--db", _db);

        Assert.Equal(2, result.Exit);
        Assert.Contains($"cannot use the case store {_db}", result.Error);
        Assert.DoesNotContain("   at ", result.Error);
    }

    // ---- Read-only commands need a store that exists (issue 12 §6) ----

    [Theory]
    [InlineData("audit", "verify")]
    [InlineData("proposal", "status", Id)]
    [InlineData("proposal", "history", Id)]
    [InlineData("proposal", "graph", Id)]
    public void A_read_only_command_on_a_missing_store_exits_2_and_creates_nothing(params string[] command)
    {
        var typo = Path.Combine(_directory, "typo.db");

        var result = Run(command.Concat(new[] { "--db", typo }).ToArray());

        Assert.Equal(2, result.Exit);
        Assert.Equal($"decision-routing: no such store: {typo}\n", result.Error);
        Assert.Equal(string.Empty, result.Out);
        Assert.False(File.Exists(typo));
        Assert.Empty(Directory.GetFiles(_directory));
    }

    [Fact]
    public void A_read_only_command_on_an_empty_sqlite_file_exits_2_and_adds_no_tables()
    {
        File.WriteAllBytes(_db, Array.Empty<byte>());

        var result = Run("audit", "verify", "--db", _db);

        Assert.Equal(2, result.Exit);
        Assert.Contains($"no such store: {_db} is a SQLite database without a case store in it", result.Error);
        Assert.Equal(0, new FileInfo(_db).Length);
    }

    [Fact]
    public void Firing_at_a_missing_store_creates_nothing()
    {
        var typo = Path.Combine(_directory, "typo.db");

        var result = Run("proposal", "fire", Id, "start", "--actor", "Dem", "--role", "democratic-services", "--db", typo);

        Assert.Equal(2, result.Exit);
        Assert.Contains($"no such store: {typo}", result.Error);
        Assert.DoesNotContain("There is no case", result.Error);
        Assert.False(File.Exists(typo));
    }

    [Theory]
    [InlineData("audit", "verify")]
    [InlineData("proposal", "status", Id)]
    [InlineData("proposal", "history", Id)]
    [InlineData("proposal", "graph", Id)]
    public void A_read_only_command_on_a_postgres_database_without_the_schema_exits_2_and_creates_no_tables(params string[] command)
    {
        var connection = PostgresServer.NewDatabase();

        var result = Run(command.Concat(new[] { "--postgres", connection }).ToArray());

        Assert.Equal(2, result.Exit);
        Assert.Contains("no such store: PostgreSQL database 'dr_", result.Error);
        using var check = new Npgsql.NpgsqlConnection(connection);
        check.Open();
        using var tables = new Npgsql.NpgsqlCommand("SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema()", check);
        Assert.Equal(0L, (long)tables.ExecuteScalar()!);
    }

    [Fact]
    public void A_read_only_command_on_a_postgres_database_that_does_not_exist_exits_2()
    {
        var missing = new Npgsql.NpgsqlConnectionStringBuilder(PostgresServer.NewDatabase()) { Database = "dr_no_such_database" }.ToString();

        var result = Run("audit", "verify", "--postgres", missing);

        Assert.Equal((2, "decision-routing: no such store: PostgreSQL database 'dr_no_such_database' has no case store in it (proposal create makes one)\n"), (result.Exit, result.Error));
    }

    [Fact]
    public void Audit_verify_on_a_postgres_store_that_exists_still_verifies()
    {
        var connection = PostgresServer.NewDatabase();
        var created = Run("proposal", "create", Repository.PathOf($"samples/proposals/{Id}.json"), "--rules", Repository.PathOf("rules/partnerships/croydon"), "--today", "2013-06-01", "--postgres", connection, "--actor", "Test");

        var verified = Run("audit", "verify", "--postgres", connection);

        Assert.Equal(0, created.Exit);
        Assert.Equal((0, "Audit trail intact: 1 entries, hash chain verified.\n"), (verified.Exit, verified.Out));
    }

    // ---- Usage mistakes in fire exit 2 and are not audited; refusals are ----

    [Theory]
    [InlineData(new[] { "complete-step", "--actor", "Fi", "--role", "s151-officer" }, "Name the step to complete: one of ")]
    [InlineData(new[] { "complete-step", "--step", "finance-signoff", "--actor", "Fi", "--role", "s151-officer" }, "'finance-signoff' is not a step of this case's plan; did you mean 'finance-sign-off'?")]
    [InlineData(new[] { "complete-step", "--step", "finance-sign-off", "--actor", "Fi", "--role", "s151-oficer" }, "'s151-oficer' is not a role anyone holds in this case; did you mean 's151-officer'?")]
    [InlineData(new[] { "complete-stpe", "--step", "finance-sign-off", "--actor", "Fi", "--role", "s151-officer" }, "'complete-stpe' is not a trigger; did you mean 'complete-step'?")]
    [InlineData(new[] { "reject", "--step", "cabinet-decision", "--actor", "C", "--role", "clerk-to-cabinet" }, "Reject takes no step")]
    [InlineData(new[] { "withdraw", "--date", "2013-09-01", "--actor", "L", "--role", "commissioning-lead" }, "Withdraw takes no new decision date; only Defer does")]
    [InlineData(new[] { "defer", "--actor", "D", "--role", "democratic-services" }, "Give the new intended decision date for Defer")]
    [InlineData(new[] { "start-step", "--step", "finance-sign-off", "--actor", "Fi", "--role", "s151-officer" }, "'finance-sign-off' has no period running from its start")]
    [InlineData(new[] { "complete-step", "--step", "finance-sign-off", "--role", "s151-officer" }, "Option '--actor' is required")]
    [InlineData(new[] { "complete-step", "--step", "finance-sign-off", "--actor", "Fi", "--role", "s151-officer", "--at", "3 June" }, "--at must be a time such as")]
    public void A_usage_mistake_in_fire_exits_2_and_is_not_audited(string[] args, string expected)
    {
        Create("text");
        Fire("start", "--actor", "Dem", "--role", "democratic-services", "--at", "2013-06-01");
        var before = Run("audit", "verify", "--db", _db).Out;

        var result = Fire(args[0], args.Skip(1).ToArray());

        Assert.Equal(2, result.Exit);
        Assert.Contains(expected, result.Error);
        Assert.DoesNotContain("refused", result.Error);
        Assert.Equal("Audit trail intact: 2 entries, hash chain verified.\n", before);
        Assert.Equal(before, Run("audit", "verify", "--db", _db).Out);
    }

    [Fact]
    public void A_refusal_is_still_audited_and_exits_1()
    {
        Create("text");
        Fire("start", "--actor", "Dem", "--role", "democratic-services", "--at", "2013-06-01");

        var result = Fire("reject", "--actor", "C", "--role", "clerk-to-cabinet", "--at", "2013-06-05");

        Assert.Equal(1, result.Exit);
        Assert.Contains("refused: Reject (recorded as audit entry 3)", result.Error);
        Assert.Equal("Audit trail intact: 3 entries, hash chain verified.\n", Run("audit", "verify", "--db", _db).Out);
    }

    [Fact]
    public void A_consultations_start_is_recorded_with_start_step_and_its_period_runs_from_it()
    {
        Create("text");
        Fire("start", "--actor", "Dem", "--role", "democratic-services", "--at", "2013-06-01");
        var tooSoon = Fire("start-step", "--step", "staff-consultation", "--actor", "HR", "--role", "hr-lead", "--at", "2013-06-05");
        foreach (var (step, role) in new[] { ("finance-sign-off", "s151-officer"), ("legal-sign-off", "monitoring-officer"), ("hr-sign-off", "hr-lead"), ("equality-impact-assessment", "equality-lead") })
        {
            Assert.Equal(0, Fire("complete-step", "--step", step, "--actor", "O", "--role", role, "--at", "2013-06-03").Exit);
        }

        Assert.Equal(0, Fire("complete-step", "--step", "key-decision-notice", "--actor", "D", "--role", "democratic-services", "--at", "2013-06-10").Exit);
        Assert.Equal(0, Fire("complete-step", "--step", "meeting-notice", "--actor", "D", "--role", "democratic-services", "--at", "2013-07-05").Exit);
        Assert.Equal(0, Fire("complete-step", "--step", "cabinet-decision", "--actor", "C", "--role", "clerk-to-cabinet", "--at", "2013-07-15T19:00").Exit);
        Assert.Equal(0, Fire("complete-step", "--step", "decision-record", "--actor", "D", "--role", "democratic-services", "--at", "2013-07-16").Exit);
        Assert.Equal(0, Fire("end-call-in-period", "--actor", "D", "--role", "democratic-services", "--at", "2013-07-22T13:00").Exit);

        var started = Fire("start-step", "--step", "staff-consultation", "--actor", "HR", "--role", "hr-lead", "--at", "2013-08-01T09:00");
        var status = Run("proposal", "status", Id, "--db", _db, "--at", "2013-09-03");
        var early = Fire("complete-step", "--step", "staff-consultation", "--actor", "HR", "--role", "hr-lead", "--at", "2013-09-03");

        Assert.Equal(1, tooSoon.Exit);
        Assert.Contains("'staff-consultation' cannot be started while the case is InProgress", tooSoon.Error);
        Assert.Equal(0, started.Exit);
        Assert.Contains("StartStep staff-consultation: Effective → Effective", started.Out);
        Assert.Contains("Started; runs for 42 calendar days", started.Out);
        Assert.Contains("Started, not yet completed:\n  staff-consultation — started Thu 1 Aug 2013 09:00 by HR", status.Out);
        Assert.Equal(1, early.Exit);
        Assert.Contains("it cannot be completed until it ends at the end of Wed 11 Sep 2013", early.Error);
    }

    [Fact]
    public void The_graph_of_a_started_case_starts_at_InProgress_without_Draft()
    {
        Create("text");
        Fire("start", "--actor", "Dem", "--role", "democratic-services", "--at", "2013-06-01");

        var graph = Run("proposal", "graph", Id, "--db", _db);

        Assert.Equal(0, graph.Exit);
        Assert.StartsWith("stateDiagram-v2\n\t[*] --> InProgress\n", graph.Out);
        Assert.DoesNotContain("Draft", graph.Out);
    }

    [Fact]
    public void The_graph_does_not_offer_completing_a_step_already_completed()
    {
        Create("text");
        Fire("start", "--actor", "Dem", "--role", "democratic-services", "--at", "2013-06-01");
        Assert.Equal(0, Fire("complete-step", "--step", "finance-sign-off", "--actor", "O", "--role", "s151-officer", "--at", "2013-06-03").Exit);

        var graph = Run("proposal", "graph", Id, "--db", _db);

        Assert.Equal(0, graph.Exit);
        Assert.DoesNotContain("CompleteStep finance-sign-off", graph.Out);
        Assert.Contains("CompleteStep legal-sign-off", graph.Out);
    }

    [Fact]
    public void The_graph_does_not_offer_starting_a_consultation_already_started_but_still_its_completion()
    {
        Create("text");
        Fire("start", "--actor", "Dem", "--role", "democratic-services", "--at", "2013-06-01");
        foreach (var (step, role) in new[] { ("finance-sign-off", "s151-officer"), ("legal-sign-off", "monitoring-officer"), ("hr-sign-off", "hr-lead"), ("equality-impact-assessment", "equality-lead") })
        {
            Assert.Equal(0, Fire("complete-step", "--step", step, "--actor", "O", "--role", role, "--at", "2013-06-03").Exit);
        }

        Assert.Equal(0, Fire("complete-step", "--step", "key-decision-notice", "--actor", "D", "--role", "democratic-services", "--at", "2013-06-10").Exit);
        Assert.Equal(0, Fire("complete-step", "--step", "meeting-notice", "--actor", "D", "--role", "democratic-services", "--at", "2013-07-05").Exit);
        Assert.Equal(0, Fire("complete-step", "--step", "cabinet-decision", "--actor", "C", "--role", "clerk-to-cabinet", "--at", "2013-07-15T19:00").Exit);
        Assert.Equal(0, Fire("complete-step", "--step", "decision-record", "--actor", "D", "--role", "democratic-services", "--at", "2013-07-16").Exit);
        Assert.Equal(0, Fire("end-call-in-period", "--actor", "D", "--role", "democratic-services", "--at", "2013-07-22T13:00").Exit);
        Assert.Equal(0, Fire("start-step", "--step", "staff-consultation", "--actor", "HR", "--role", "hr-lead", "--at", "2013-08-01T09:00").Exit);

        var graph = Run("proposal", "graph", Id, "--db", _db);

        Assert.Equal(0, graph.Exit);
        Assert.DoesNotContain("StartStep staff-consultation", graph.Out);
        Assert.Contains("CompleteStep staff-consultation", graph.Out);
        Assert.DoesNotContain("CompleteStep meeting-notice", graph.Out);
    }

    private static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement;

    private static (int Exit, string Out, string Error) Run(params string[] args) => InProcessCli.Run(args);

    private (int Exit, string Out, string Error) Create(string format)
    {
        var result = Run("proposal", "create", Repository.PathOf($"samples/proposals/{Id}.json"), "--rules", Repository.PathOf("rules/partnerships/croydon"), "--today", "2013-06-01", "--db", _db, "--actor", "Test", "--format", format);
        Assert.True(result.Exit == 0, result.Error);
        return result;
    }

    private (int Exit, string Out, string Error) Fire(string trigger, params string[] options) =>
        Run(new[] { "proposal", "fire", Id, trigger, "--db", _db }.Concat(options).ToArray());

    private void Tamper(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={_db}");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
