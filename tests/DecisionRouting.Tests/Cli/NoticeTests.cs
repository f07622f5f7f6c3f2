using System;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using DecisionRouting.Tests.Support;
using Snapshooter.Xunit;

namespace DecisionRouting.Tests.Cli;

/// <summary>
/// <c>notice</c>: the written statement of an executive decision (SI 2012/2089 reg 12(2)(a)–(e)) from a real case store,
/// with the key-decision status, call-in and the date the decision takes effect from the case's frozen plan.
/// </summary>
public sealed class NoticeTests : IDisposable
{
    private const string Id = "croydon-2013-integrated-commissioning-unit";
    private readonly TempCaseStore _store = new("dr-notice-");
    private readonly string _record = Repository.PathOf($"samples/decisions/{Id}.decision.json");

    public void Dispose() => _store.Dispose();

    [Fact]
    public void The_record_of_a_decided_case_has_every_reg_12_content()
    {
        Decide(_record, "--db", _store.Db);

        // The record was given when the decision was fired: notice reads it from the store.
        var markdown = InProcessCli.Run("notice", Id, "--db", _store.Db);
        var html = InProcessCli.Run("notice", Id, "--db", _store.Db, "--format", "html");

        Assert.Equal((0, string.Empty), (markdown.Exit, markdown.Error));
        Assert.Equal((0, string.Empty), (html.Exit, html.Error));
        var section = Assert.Single(XDocument.Parse(html.Out).Descendants("section"));
        Assert.Equal(Id, (string?)section.Attribute("data-key"));
        Assert.StartsWith("Agree to consult staff", Content(section, "decision", "reg 12(2)(a)"), StringComparison.Ordinal);
        Assert.StartsWith("15 July 2013 (recorded in the case as Mon 15 Jul 2013 19:00)", Content(section, "date", "reg 12(2)(a)"), StringComparison.Ordinal);
        Assert.StartsWith("Joint commissioning", Content(section, "reasons", "reg 12(2)(b)"), StringComparison.Ordinal);
        Assert.Equal("Keep separate commissioning teams: rejected because it would not make the savings or join up commissioning", Content(section, "alternatives", "reg 12(2)(c)"));
        Assert.Equal("No conflict of interest was declared.", Content(section, "interests", "reg 12(2)(d)"));
        Assert.StartsWith("Yes: the case's plan required 'Publish the key-decision notice", Content(section, "key-decision", "reg 8"), StringComparison.Ordinal);
        Assert.StartsWith("Yes: ", Content(section, "call-in", "s9F"), StringComparison.Ordinal);
        Assert.Equal("After the call-in period ends at Mon 22 Jul 2013 13:00, unless the decision is called in.", Content(section, "effective", "s9F"));
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(File.ReadAllText(_record))));
        Assert.Contains($"made with the decision (CompleteStep cabinet-decision by C, audit entry 9, SHA-256 {hash})", markdown.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("NOT AUDITED", markdown.Out, StringComparison.Ordinal);
        Snapshot.Match(markdown.Out);
    }

    [Fact]
    public void A_case_whose_decision_is_not_taken_gets_no_record()
    {
        Create("--db", _store.Db);

        var (exit, output, error) = InProcessCli.Run("notice", Id, "--db", _store.Db);

        Assert.Equal(5, exit);
        Assert.Equal(string.Empty, output);
        Assert.Contains($"no record written: case '{Id}' has no decision yet (state Draft)", error, StringComparison.Ordinal);
    }

    /// <summary>Each content the record file can lack, and the content the notice then says is missing.</summary>
    public static TheoryData<string, string> Omissions() => new()
    {
        { "decision", "decision" },
        { "reasons", "reasons" },
        { "alternatives", "alternatives" },
        { "interests", "interests" },
        { "rejectedBecause", "alternatives" },
        { "dispensation", "interests" },
    };

    [Theory]
    [MemberData(nameof(Omissions))]
    public void A_content_the_record_lacks_is_flagged_in_the_notice_on_stderr_and_in_the_exit_code(string omit, string content)
    {
        var record = JsonNode.Parse(File.ReadAllText(_record))!.AsObject();
        record["interests"] = new JsonArray(new JsonObject { ["member"] = "Councillor B", ["interest"] = "Non-executive director of the CCG", ["dispensation"] = null });
        if (omit == "rejectedBecause")
        {
            record["alternatives"]![0]!.AsObject().Remove("rejectedBecause");
        }
        else if (omit == "dispensation")
        {
            record["interests"]![0]!.AsObject().Remove("dispensation");
        }
        else
        {
            record.Remove(omit);
        }

        var file = Path.Combine(_store.Folder, "record.json");
        File.WriteAllText(file, record.ToJsonString());
        Decide(file, "--db", _store.Db);

        var (exit, output, error) = InProcessCli.Run("notice", Id, "--db", _store.Db, "--format", "html");

        Assert.Equal(5, exit);
        var missing = Assert.Single(XDocument.Parse(output).Descendants("dd"), dd => (string?)dd.Attribute("class") == "missing");
        Assert.Equal(content, (string?)missing.Attribute("data-content"));
        Assert.Contains($"notice: MISSING in '{Id}'", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_declared_interest_without_a_dispensation_says_none_was_granted()
    {
        var record = JsonNode.Parse(File.ReadAllText(_record))!.AsObject();
        record["interests"] = new JsonArray(new JsonObject { ["member"] = "Councillor B", ["interest"] = "Non-executive director of the CCG", ["dispensation"] = null });
        var file = Path.Combine(_store.Folder, "record.json");
        File.WriteAllText(file, record.ToJsonString());
        Decide(file, "--db", _store.Db);

        var (exit, output, _) = InProcessCli.Run("notice", Id, "--db", _store.Db, "--format", "html");

        Assert.Equal(0, exit);
        var section = Assert.Single(XDocument.Parse(output).Descendants("section"));
        Assert.Equal("Councillor B: Non-executive director of the CCG. No dispensation was granted.", Content(section, "interests", "reg 12(2)(e)"));
    }

    [Fact]
    public void A_record_for_another_case_is_refused_when_firing_and_as_a_fallback()
    {
        var record = JsonNode.Parse(File.ReadAllText(_record))!.AsObject();
        record["caseId"] = "another-case";
        var file = Path.Combine(_store.Folder, "record.json");
        File.WriteAllText(file, record.ToJsonString());
        UpToTheDecision("--db", _store.Db);

        var fired = InProcessCli.Run("proposal", "fire", Id, "complete-step", "--step", "cabinet-decision", "--actor", "C", "--role", "clerk-to-cabinet", "--at", "2013-07-15T19:00", "--record", file, "--db", _store.Db);
        var undecided = InProcessCli.Run("notice", Id, "--db", _store.Db);
        Fire(["--db", _store.Db], "complete-step", "--step", "cabinet-decision", "--actor", "C", "--role", "clerk-to-cabinet", "--at", "2013-07-15T19:00");
        var fallback = InProcessCli.Run("notice", Id, "--record", file, "--db", _store.Db);

        const string Expected = "the decision record is for case 'another-case', not 'croydon-2013-integrated-commissioning-unit'";
        Assert.Equal((2, string.Empty), (fired.Exit, fired.Out));
        Assert.Contains(Expected, fired.Error, StringComparison.Ordinal);
        Assert.Contains("has no decision yet", undecided.Error, StringComparison.Ordinal);
        Assert.Equal((2, string.Empty), (fallback.Exit, fallback.Out));
        Assert.Contains(Expected, fallback.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void DR0092_a_decision_record_that_is_not_there_is_reported_against_its_path_when_firing()
    {
        UpToTheDecision("--db", _store.Db);
        var missing = Path.Combine(_store.Folder, "decision.json");
        var before = InProcessCli.Run("proposal", "history", Id, "--db", _store.Db).Out;

        var (exit, output, error) = InProcessCli.Run("proposal", "fire", Id, "complete-step", "--step", "cabinet-decision", "--actor", "C", "--role", "clerk-to-cabinet", "--record", missing, "--db", _store.Db);

        Assert.Equal((2, string.Empty), (exit, output));
        Assert.Equal($"{missing}: error DR0092: Decision record file '{missing}' does not exist\n", error);
        Assert.Equal(before, InProcessCli.Run("proposal", "history", Id, "--db", _store.Db).Out);
    }

    [Fact]
    public void DR0092_a_fallback_record_that_is_not_there_is_reported_against_its_path()
    {
        Decide(null, "--db", _store.Db);
        var missing = Path.Combine(_store.Folder, "decision.json");

        var (exit, output, error) = InProcessCli.Run("notice", Id, "--record", missing, "--db", _store.Db);

        Assert.Equal((2, string.Empty), (exit, output));
        Assert.Equal($"{missing}: error DR0092: Decision record file '{missing}' does not exist\n", error);
    }

    [Fact]
    public void A_case_decided_without_a_record_gets_no_notice_and_says_why()
    {
        Decide(null, "--db", _store.Db);

        var (exit, output, error) = InProcessCli.Run("notice", Id, "--db", _store.Db);

        Assert.Equal((5, string.Empty), (exit, output));
        Assert.Contains($"no record written: case '{Id}' was decided without a decision record", error, StringComparison.Ordinal);
        Assert.Contains("--record <file> writes the notice from a file supplied afterwards, marked NOT AUDITED", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_record_supplied_afterwards_is_published_marked_not_audited_with_exit_5()
    {
        Decide(null, "--db", _store.Db);

        var (exit, output, error) = InProcessCli.Run("notice", Id, "--record", _record, "--db", _store.Db, "--format", "html");

        Assert.Equal(5, exit);
        var section = Assert.Single(XDocument.Parse(output).Descendants("section"));
        Assert.StartsWith("Agree to consult staff", Content(section, "decision", "reg 12(2)(a)"), StringComparison.Ordinal);
        Assert.Contains("NOT AUDITED: the decision, reasons, alternatives and interests below were supplied after the decision", output, StringComparison.Ordinal);
        Assert.Contains("NOT AUDITED: the decision, reasons, alternatives and interests are from the file", output, StringComparison.Ordinal);
        Assert.Contains($"notice: '{Id}': NOT AUDITED", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_fallback_file_for_a_case_with_its_record_is_refused()
    {
        Decide(_record, "--db", _store.Db);

        var (exit, output, error) = InProcessCli.Run("notice", Id, "--record", _record, "--db", _store.Db);

        Assert.Equal((2, string.Empty), (exit, output));
        Assert.Contains("has the decision record made with its decision (CompleteStep by C); --record is only for a case decided without one", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("start", "--at", "2013-06-01")]
    [InlineData("complete-step", "--step", "finance-sign-off")]
    public void A_record_given_with_a_trigger_that_decides_nothing_is_refused_and_not_audited(string trigger, string option, string value)
    {
        Create("--db", _store.Db);
        if (trigger == "complete-step")
        {
            Fire(["--db", _store.Db], "start", "--actor", "Dem", "--role", "democratic-services", "--at", "2013-06-01");
        }

        var role = trigger == "start" ? "democratic-services" : "s151-officer";
        var before = InProcessCli.Run("proposal", "history", Id, "--db", _store.Db).Out;
        var (exit, _, error) = InProcessCli.Run("proposal", "fire", Id, trigger, option, value, "--actor", "O", "--role", role, "--record", _record, "--db", _store.Db);

        Assert.Equal(2, exit);
        Assert.Contains("A decision record goes with the trigger that makes the decision: CompleteStep cabinet-decision, Reject or ConfirmDecision", error, StringComparison.Ordinal);
        Assert.Equal(before, InProcessCli.Run("proposal", "history", Id, "--db", _store.Db).Out);
    }

    [Theory]
    [InlineData("Joint commissioning", "Separate commissioning")]
    [InlineData("Keep separate commissioning teams", "Merge the teams")]
    public void A_record_changed_in_the_store_after_the_decision_is_damage_not_a_notice(string from, string to)
    {
        Decide(_record, "--db", _store.Db);
        using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={_store.Db};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = $"UPDATE cases SET document = REPLACE(document, '{from}', '{to}') WHERE id = '{Id}'";
            Assert.Equal(1, command.ExecuteNonQuery());
        }

        var (exit, output, error) = InProcessCli.Run("notice", Id, "--db", _store.Db);
        var verify = InProcessCli.Run("audit", "verify", "--db", _store.Db);

        Assert.Equal((1, string.Empty), (exit, output));
        Assert.Contains("audit verify", error, StringComparison.Ordinal);
        Assert.Equal(1, verify.Exit);
        Assert.Contains($"Case '{Id}' was changed outside the lifecycle", verify.Out + verify.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_case_exempt_from_call_in_takes_effect_when_made()
    {
        var proposal = JsonNode.Parse(File.ReadAllText(Repository.PathOf($"samples/proposals/{Id}.json")))!.AsObject();
        proposal.Remove("$schema");
        proposal["callInExempt"] = true;
        var file = Path.Combine(_store.Folder, "exempt.json");
        File.WriteAllText(file, proposal.ToJsonString());
        DecideFrom(file, _record, ["--db", _store.Db]);

        var (exit, output, _) = InProcessCli.Run("notice", Id, "--db", _store.Db, "--format", "html");

        Assert.Equal(0, exit);
        var section = Assert.Single(XDocument.Parse(output).Descendants("section"));
        Assert.Equal("No: the case's plan has no call-in step.", Content(section, "call-in", "s9F"));
        Assert.Equal("When made: Mon 15 Jul 2013 19:00.", Content(section, "effective", "s9F"));
    }

    [Fact]
    public void An_individual_decision_is_recorded_under_regulation_13_with_what_to_verify()
    {
        // The Leader decides alone: no meeting notice in the plan, so the statement is reg 13's, whose text was not read.
        var plan = Plans.Seed(Id, "croydon", "2013-06-01", p => p with { DecisionMaker = DecisionRouting.Proposals.DecisionMaker.Leader });
        var decided = NodaTime.Instant.FromUtc(2013, 7, 15, 18, 0);
        var proposalCase = DecisionRouting.Lifecycle.ProposalCase.For(DecisionRouting.Lifecycle.CasePlan.From(plan)) with { State = DecisionRouting.Lifecycle.CaseState.CallInWindow, DecidedAt = decided };
        var status = new DecisionRouting.Lifecycle.CaseStatus { Case = proposalCase, At = decided, Permitted = [], Blocked = [], Outstanding = [], CallInCloses = decided.Plus(NodaTime.Duration.FromDays(7)).InZone(DecisionRouting.Calendar.GovernanceCalendar.London) };
        var diagnostics = new DecisionRouting.Diagnostics.DiagnosticBag();
        var record = DecisionRouting.Cli.Publication.DecisionRecordFile.Read(_record, diagnostics)!;

        var document = DecisionRouting.Cli.Publication.DecisionNotice.Build(status, record);

        Assert.Null(plan.Find("meeting-notice"));
        Assert.Contains("made by an individual (SI 2012/2089 reg 13", document.Preamble[0], StringComparison.Ordinal);

        // Built from a file, not from a record kept with the case: it says so at its head.
        Assert.Equal(DecisionRouting.Cli.Publication.DecisionNotice.NotAudited, document.Preamble[1]);
        var items = document.Sections.Single().Items;
        Assert.All(items.Where(i => i.Content is "decision" or "reasons" or "alternatives" or "interests"), i => Assert.StartsWith("SI 2012/2089 reg 13 (verify", i.Citation, StringComparison.Ordinal));
        Assert.Equal("Conflicts of interest declared by an executive member consulted, and dispensations", items.Single(i => i.Content == "interests").Label);
        Assert.Contains(document.Sections.Single().Notes, n => n.StartsWith("Verify: SI 2012/2089 reg 13: not read", StringComparison.Ordinal));
        Assert.Empty(document.Gaps);
    }

    [Fact]
    public void The_built_CLI_writes_the_record_from_a_PostgreSQL_store()
    {
        var connection = PostgresServer.NewDatabase();
        Decide(_record, "--postgres", connection);

        var (exit, output, error) = CliProcess.Run(TimeSpan.FromMinutes(2), null, "notice", Id, "--postgres", connection);

        Assert.Equal((0, string.Empty), (exit, error));
        Assert.Contains("After the call-in period ends at Mon 22 Jul 2013 13:00", output, StringComparison.Ordinal);
        Assert.Contains("from the decision record made with the decision (CompleteStep cabinet-decision by C", output, StringComparison.Ordinal);
    }

    private static void Create(params string[] store) => CreateFrom(Repository.PathOf($"samples/proposals/{Id}.json"), store);

    private static void CreateFrom(string proposal, string[] store)
    {
        var created = InProcessCli.Run(["proposal", "create", proposal, "--rules", Repository.PathOf("rules/partnerships/croydon"), "--today", "2013-06-01", "--actor", "Test", .. store]);
        Assert.True(created.Exit == 0, created.Error);
    }

    private static void Decide(string? record, params string[] store) => DecideFrom(Repository.PathOf($"samples/proposals/{Id}.json"), record, store);

    /// <summary>Creates the Croydon case and drives it through its plan to the Cabinet's decision on 15 July 2013, given with <paramref name="record"/> (none when null).</summary>
    private static void DecideFrom(string proposal, string? record, string[] store)
    {
        UpToTheDecisionFrom(proposal, store);
        Fire(store, "complete-step", ["--step", "cabinet-decision", "--actor", "C", "--role", "clerk-to-cabinet", "--at", "2013-07-15T19:00", .. record is null ? Array.Empty<string>() : ["--record", record]]);
    }

    private static void UpToTheDecision(params string[] store) => UpToTheDecisionFrom(Repository.PathOf($"samples/proposals/{Id}.json"), store);

    /// <summary>Creates the Croydon case and completes every step before the Cabinet's decision.</summary>
    private static void UpToTheDecisionFrom(string proposal, string[] store)
    {
        CreateFrom(proposal, store);
        Fire(store, "start", "--actor", "Dem", "--role", "democratic-services", "--at", "2013-06-01");
        foreach (var (step, role) in new[] { ("finance-sign-off", "s151-officer"), ("legal-sign-off", "monitoring-officer"), ("hr-sign-off", "hr-lead"), ("equality-impact-assessment", "equality-lead") })
        {
            Fire(store, "complete-step", "--step", step, "--actor", "O", "--role", role, "--at", "2013-06-03");
        }

        Fire(store, "complete-step", "--step", "key-decision-notice", "--actor", "D", "--role", "democratic-services", "--at", "2013-06-10");
        Fire(store, "complete-step", "--step", "meeting-notice", "--actor", "D", "--role", "democratic-services", "--at", "2013-07-05");
    }

    private static void Fire(string[] store, string trigger, params string[] options)
    {
        var fired = InProcessCli.Run(["proposal", "fire", Id, trigger, .. options, .. store]);
        Assert.True(fired.Exit == 0, $"{trigger} {string.Join(' ', options)}: {fired.Error}");
    }

    private static string Content(XElement section, string content, string citation)
    {
        var dt = Assert.Single(section.Descendants("dt"), e => (string?)e.Attribute("data-content") == content);
        Assert.Contains(citation, dt.Element("cite")!.Value, StringComparison.Ordinal);
        var dd = Assert.Single(section.Descendants("dd"), e => (string?)e.Attribute("data-content") == content);
        Assert.Null(dd.Attribute("class"));
        return string.Join("\n", dd.Descendants("li").Select(li => li.Value).DefaultIfEmpty(dd.Value));
    }
}
