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
    private readonly string directory = Directory.CreateTempSubdirectory("dr-cli-").FullName;
    private readonly string db;

    public ProposalCliTests()
    {
        db = Path.Combine(directory, "cases.db");
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(directory, recursive: true);
    }

    [Fact]
    public void Create_prints_the_id_and_status_lists_permitted_and_blocked_triggers()
    {
        var created = Create("json");
        var status = Run("proposal", "status", Id, "--db", db, "--format", "json", "--at", "2013-06-02");

        Assert.Equal(0, created.Exit);
        Assert.Equal(Id, Json(created.Out).GetProperty("id").GetString());
        Assert.Equal(0, status.Exit);
        var json = Json(status.Out);
        Assert.Equal("Draft", json.GetProperty("state").GetString());
        var start = json.GetProperty("permittedTriggers").EnumerateArray().Single(t => t.GetProperty("trigger").GetString() == "Start");
        Assert.Contains("democratic-services", start.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));

        Fire("start", "--actor", "Dem", "--role", "democratic-services", "--at", "2013-06-01");
        var started = Json(Run("proposal", "status", Id, "--db", db, "--format", "json", "--at", "2013-06-02").Out);
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
        var history = Run("proposal", "history", Id, "--db", db);

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

        var intact = Run("audit", "verify", "--db", db);
        Tamper("DROP TRIGGER audit_no_update; UPDATE audit SET actor = 'Someone Else' WHERE seq = 3");
        var tampered = Run("audit", "verify", "--db", db);

        Assert.Equal((0, "Audit trail intact: 3 entries, hash chain verified.\n"), (intact.Exit, intact.Out));
        Assert.Equal(1, tampered.Exit);
        Assert.Contains("Entry 3 (CompleteStep finance-sign-off on case 'croydon-2013-integrated-commissioning-unit' by Someone Else) was changed after it was written", tampered.Out);
    }

    [Theory]
    [InlineData("mermaid", "class Draft current")]
    [InlineData("dot", "\"Draft\" [style=\"filled\"")]
    public void Graph_highlights_the_current_state(string format, string expected)
    {
        Create("text");

        var graph = Run("proposal", "graph", Id, "--db", db, "--format", format);

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

        var result = Run(args.Concat(new[] { "--db", db }).ToArray());

        Assert.Equal(2, result.Exit);
        Assert.Contains(expected, result.Error);
        Assert.DoesNotContain("   at ", result.Error);
    }

    [Fact]
    public void A_second_create_of_the_same_id_is_refused()
    {
        Create("text");

        var again = Run("proposal", "create", Repository.PathOf($"samples/proposals/{Id}.json"), "--rules", Repository.PathOf("rules/partnerships/croydon"), "--db", db);

        Assert.Equal(2, again.Exit);
        Assert.Contains("already exists", again.Error);
    }

    [Fact]
    public void A_file_that_is_not_a_database_is_one_line_and_exit_2()
    {
        File.WriteAllText(db, "this is not a database, it is a shopping list");

        var result = Run("proposal", "status", Id, "--db", db);

        Assert.Equal(2, result.Exit);
        Assert.Contains($"cannot use the case store {db}", result.Error);
        Assert.DoesNotContain("   at ", result.Error);
    }

    private static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement;

    private static (int Exit, string Out, string Error) Run(params string[] args)
    {
        var stdout = new StringWriter { NewLine = "\n" };
        var stderr = new StringWriter { NewLine = "\n" };
        var exit = Program.Run(args, stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    private (int Exit, string Out, string Error) Create(string format)
    {
        var result = Run("proposal", "create", Repository.PathOf($"samples/proposals/{Id}.json"), "--rules", Repository.PathOf("rules/partnerships/croydon"), "--today", "2013-06-01", "--db", db, "--actor", "Test", "--format", format);
        Assert.True(result.Exit == 0, result.Error);
        return result;
    }

    private (int Exit, string Out, string Error) Fire(string trigger, params string[] options) =>
        Run(new[] { "proposal", "fire", Id, trigger, "--db", db }.Concat(options).ToArray());

    private void Tamper(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={db}");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
