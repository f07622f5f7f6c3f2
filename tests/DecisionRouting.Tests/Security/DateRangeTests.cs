using System;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using DecisionRouting.Cli;
using DecisionRouting.Lifecycle;
using DecisionRouting.Proposals;
using DecisionRouting.Routing;
using DecisionRouting.Stores;
using DecisionRouting.Tests.Support;
using DecisionRouting.Text;
using Microsoft.Data.Sqlite;
using NodaTime;

namespace DecisionRouting.Tests.Security;

/// <summary>
/// Issue 14 §5: every date input has one supported range (<see cref="SupportedDates"/>), a date outside it is exit 2
/// with a message naming the range, no input reaches exit 3, and a case poisoned by an old version stays readable,
/// withdrawable and verifiable.
/// </summary>
public sealed class DateRangeTests : IDisposable
{
    private const string Id = "croydon-2013-integrated-commissioning-unit";
    private readonly TempCaseStore _store = new("dr-dates-");

    public void Dispose() => _store.Dispose();

    [Theory]
    [InlineData("start", "--at", "9999-12-31T23:59Z")]
    [InlineData("start", "--at", "0001-01-01")]
    [InlineData("start", "--at", "-9998-01-01T00:00Z")]
    [InlineData("start", "--at", "2200-01-01T00:00")]
    [InlineData("start", "--at", "1899-12-31T23:59:59Z")]
    public void Fire_with_a_time_outside_the_range_is_exit_2_and_nothing_is_audited(params string[] args)
    {
        Create();
        var fired = Fire(args[0], "--actor", "Dem", "--role", "democratic-services", args[1], args[2]);
        var history = Run("proposal", "history", Id, "--db", _store.Db);

        Assert.Equal(2, fired.Exit);
        Assert.Contains($"--at {args[2]} is outside the supported range of dates, 1900-01-01 to 2199-12-31", fired.Error);
        Assert.Equal(0, history.Exit);
        Assert.DoesNotContain("Start", history.Out.Split('\n').Skip(1).FirstOrDefault() ?? string.Empty);
        Assert.Equal(0, Run("proposal", "status", Id, "--db", _store.Db).Exit);
    }

    [Theory]
    [InlineData("9999-12-31")]
    [InlineData("2200-01-01")]
    [InlineData("1899-12-31")]
    public void Defer_to_a_date_outside_the_range_is_exit_2(string date)
    {
        Create();
        Fire("start", "--actor", "Dem", "--role", "democratic-services", "--at", "2013-06-01");

        var deferred = Fire("defer", "--actor", "Dem", "--role", "democratic-services", "--date", date);

        Assert.Equal(2, deferred.Exit);
        Assert.Contains($"--date {date} is outside the supported range of dates", deferred.Error);
        Assert.Contains("State: InProgress", Run("proposal", "status", Id, "--db", _store.Db).Out);
    }

    [Theory]
    [InlineData("0001-01-01")]
    [InlineData("9999-12-31T23:59Z")]
    [InlineData("-9998-01-01")]
    public void Status_at_a_time_outside_the_range_is_exit_2(string at)
    {
        Create();
        var status = Run("proposal", "status", Id, "--db", _store.Db, "--at", at);

        Assert.Equal(2, status.Exit);
        Assert.Contains($"--at {at} is outside the supported range of dates", status.Error);
    }

    [Theory]
    [InlineData("-9998-01-01")]
    [InlineData("9999-12-31")]
    [InlineData("1899-12-31")]
    public void Route_today_outside_the_range_is_exit_2(string today)
    {
        var routed = Run("route", Repository.PathOf($"samples/proposals/{Id}.json"), "--rules", Repository.PathOf("rules/partnerships/croydon"), "--today", today);

        Assert.Equal(2, routed.Exit);
        Assert.Contains($"--today {today} is outside the supported range of dates", routed.Error);
    }

    [Theory]
    [InlineData("\"intendedDecisionDate\": \"2013-07-15\"", "\"intendedDecisionDate\": \"9999-12-31\"", "'intendedDecisionDate' 9999-12-31")]
    [InlineData("\"intendedDecisionDate\": \"2013-07-15\"", "\"intendedDecisionDate\": \"0001-01-01\"", "'intendedDecisionDate' 0001-01-01")]
    [InlineData("\"start\": \"2013-07-23\"", "\"start\": \"2200-01-01\"", "'start' 2200-01-01")]
    public void A_proposal_dated_outside_the_range_is_exit_2_at_the_date(string from, string to, string message)
    {
        var text = File.ReadAllText(Repository.PathOf($"samples/proposals/{Id}.json"));
        Assert.Contains(from, text);
        var path = Path.Combine(_store.Folder, "proposal.json");
        File.WriteAllText(path, text.Replace(from, to, StringComparison.Ordinal));
        var line = text[..text.IndexOf(from, StringComparison.Ordinal)].Count(c => c == '\n') + 1;

        var routed = Run("route", path, "--rules", Repository.PathOf("rules/partnerships/croydon"));

        Assert.Equal(2, routed.Exit);
        Assert.Contains($"proposal.json({line},", routed.Error);
        Assert.Contains($"error DR0067: {message} is outside the supported range of dates, 1900-01-01 to 2199-12-31", routed.Error);
    }

    [Fact]
    public void A_proposal_built_in_code_with_a_date_outside_the_range_is_refused_before_routing()
    {
        var proposal = ProposalReader.ReadFile(Repository.PathOf($"samples/proposals/{Id}.json")).Proposal! with { IntendedDecisionDate = new LocalDate(9999, 12, 31) };
        var router = new Router(DecisionRouting.RuleSets.RuleSet.Load(Repository.PathOf("rules/partnerships/croydon")));

        var refused = Assert.Throws<InvalidProposalException>(() => router.Route(proposal));

        Assert.Equal("DR0067", Assert.Single(refused.Diagnostics).Id);
    }

    [Fact]
    public void A_catalogue_period_longer_than_the_maximum_is_DR0067_at_the_days()
    {
        using var set = TempRuleSet.With(catalogue: TempRuleSet.Catalogue.Replace("\"days\": 28", "\"days\": 2000000000", StringComparison.Ordinal));
        var definition = DecisionRouting.RuleSets.RuleSet.Validate(set.Directory);

        var error = Assert.Single(definition.Diagnostics, d => d.Id == "DR0067");
        Assert.Equal("'days' must be at most 3660, not 2000000000", error.Message);
        Assert.Equal(5, error.Location.Line);
    }

    [Fact]
    public void A_catalogue_body_dated_outside_the_range_is_DR0067()
    {
        using var set = TempRuleSet.With(catalogue: TempRuleSet.Catalogue.Replace("\"kind\": \"Executive\"", "\"kind\": \"Executive\", \"existsUntil\": \"9999-12-31\"", StringComparison.Ordinal));
        var definition = DecisionRouting.RuleSets.RuleSet.Validate(set.Directory);

        Assert.Equal("'existsUntil' 9999-12-31 is outside the supported range of dates, 1900-01-01 to 2199-12-31", Assert.Single(definition.Diagnostics, d => d.Id == "DR0067").Message);
    }

    [Fact]
    public async Task The_library_refuses_a_trigger_time_or_date_outside_the_range_as_a_usage_mistake()
    {
        Create();
        var store = new SqliteProposalStore(_store.Db);
        var lifecycle = new ProposalLifecycle(store);
        var actor = new Actor("Dem", new[] { "democratic-services" });

        var at = await Assert.ThrowsAsync<InvalidTriggerException>(() => lifecycle.FireAsync(Id, new TriggerRequest(CaseTrigger.Start, actor) { At = Instant.FromUtc(9999, 12, 31, 23, 59) }));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => lifecycle.StatusAsync(Id, Instant.FromUtc(1, 1, 1, 0, 0)));

        Assert.Contains("outside the supported range of dates", at.Message);
        Assert.Single(await lifecycle.HistoryAsync(Id));
    }

    /// <summary>
    /// A store written by an old version that accepted these dates: the poisoned entries are written by the real
    /// lifecycle and SQLite store, with the clock at the end of year 9999, so the case row and its audit trail agree.
    /// </summary>
    [Theory]
    [InlineData("start")]
    [InlineData("defer")]
    [InlineData("complete")]
    [InlineData("decided")]
    public async Task A_case_poisoned_by_an_old_version_can_be_read_withdrawn_and_verified(string poison)
    {
        Create();
        var store = new SqliteProposalStore(_store.Db);
        {
            var past = new ProposalLifecycle(store, new LifecycleOptions { Clock = new ManualClock(Instant.FromUtc(2013, 6, 1, 12, 0)) });
            // The library now refuses a clock at year 9999 (ClockRangeTests), so the old version's writes are replayed
            // into the stored document: the start, or the completion, recorded at 9999-12-31T23:54Z.
            var dem = new Actor("Dem", new[] { "democratic-services" });
            Assert.True((await past.FireAsync(Id, new TriggerRequest(CaseTrigger.Start, dem))).Accepted);
            if (poison == "start")
            {
                await PoisonDocumentAsync("\"startedAt\": \"2013-06-01T12:00:00Z\"", "\"startedAt\": \"9999-12-31T23:54:00Z\"");
            }

            if (poison == "defer")
            {
                await PoisonDocumentAsync("\"decisionDate\": \"2013-07-15\"", "\"decisionDate\": \"9999-12-31\"");
            }
            else if (poison == "complete")
            {
                Assert.True((await past.FireAsync(Id, new TriggerRequest(CaseTrigger.CompleteStep, dem) { Step = "key-decision-notice" })).Accepted);
                await PoisonDocumentAsync("\"2013-06-01T12:00:00Z\"", "\"9999-12-31T23:54:00Z\"");
            }
            else if (poison == "decided")
            {
                await PoisonDocumentAsync("\"startedAt\": \"2013-06-01T12:00:00Z\"", "\"startedAt\": \"2013-06-01T12:00:00Z\", \"decidedAt\": \"9999-12-31T23:59:00Z\"");
            }
        }

        var status = Run("proposal", "status", Id, "--db", _store.Db);
        var json = Run("proposal", "status", Id, "--db", _store.Db, "--format", "json");
        var graph = Run("proposal", "graph", Id, "--db", _store.Db);
        var history = Run("proposal", "history", Id, "--db", _store.Db);
        var withdrawn = Fire("withdraw", "--actor", "Chief", "--role", "chief-executive");
        var after = Run("proposal", "status", Id, "--db", _store.Db);

        foreach (var (name, result) in new[] { ("status", status), ("status json", json), ("graph", graph), ("history", history), ("withdraw", withdrawn), ("status after", after) })
        {
            Assert.True(result.Exit is 0 or 2, $"{name}: exit {result.Exit}: {result.Error}");
            Assert.DoesNotContain("internal error", result.Error);
        }

        Assert.Equal(0, status.Exit);
        Assert.Equal(0, withdrawn.Exit);
        Assert.Contains("State: Withdrawn", after.Out);
        if (poison != "defer" && poison != "decided")
        {
            Assert.Equal(0, Run("audit", "verify", "--db", _store.Db).Exit);
        }
    }

    private async Task PoisonDocumentAsync(string from, string to)
    {
        await using var connection = new SqliteConnection($"Data Source={_store.Db}");
        await connection.OpenAsync();
        await using var read = connection.CreateCommand();
        read.CommandText = "SELECT document FROM cases WHERE id = $id";
        read.Parameters.AddWithValue("$id", Id);
        var document = (string)(await read.ExecuteScalarAsync())!;
        var compact = System.Text.Json.Nodes.JsonNode.Parse(document)!.ToJsonString();
        var poisoned = System.Text.Json.Nodes.JsonNode.Parse(document)!.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true });
        Assert.True(poisoned.Contains(from, StringComparison.Ordinal) || compact.Contains(from.Replace(": ", ":", StringComparison.Ordinal), StringComparison.Ordinal), document);
        var changed = poisoned.Contains(from, StringComparison.Ordinal)
            ? poisoned.Replace(from, to, StringComparison.Ordinal)
            : compact.Replace(from.Replace(": ", ":", StringComparison.Ordinal), to.Replace(": ", ":", StringComparison.Ordinal), StringComparison.Ordinal);
        // The old version wrote the document through the lifecycle, so its newest entry committed to it: rewrite that
        // entry as it would have been written (status and fire check the document against the entry's hash).
        DecisionRouting.Lifecycle.AuditEntry? newest = null;
        await foreach (var entry in new SqliteProposalStore(_store.Db, readOnly: true).ReadAuditAsync())
        {
            newest = entry.CaseId == Id ? entry : newest;
        }

        var replayed = newest!.ChainedInCase(newest.Sequence, newest.CaseSequence!.Value, newest.PreviousHash, DecisionRouting.Lifecycle.AuditEntry.HashDocument(changed), key: null);
        await using (var entry = connection.CreateCommand())
        {
            entry.CommandText = "DROP TRIGGER audit_no_update; UPDATE audit SET case_doc_hash = $doc, hash = $hash WHERE seq = $seq; " +
                "CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END";
            entry.Parameters.AddWithValue("$doc", replayed.CaseDocumentHash);
            entry.Parameters.AddWithValue("$hash", replayed.Hash);
            entry.Parameters.AddWithValue("$seq", replayed.Sequence);
            await entry.ExecuteNonQueryAsync();
        }

        await using var write = connection.CreateCommand();
        write.CommandText = "UPDATE cases SET document = $document, chain_hash = $hash, chain_doc_hash = $doc WHERE id = $id";
        write.Parameters.AddWithValue("$document", changed);
        write.Parameters.AddWithValue("$doc", replayed.CaseDocumentHash);
        write.Parameters.AddWithValue("$hash", replayed.Hash);
        write.Parameters.AddWithValue("$id", Id);
        Assert.Equal(1, await write.ExecuteNonQueryAsync());
    }

    private static (int Exit, string Out, string Error) Run(params string[] args) => InProcessCli.Run(args);

    private void Create()
    {
        var result = Run("proposal", "create", Repository.PathOf($"samples/proposals/{Id}.json"), "--rules", Repository.PathOf("rules/partnerships/croydon"), "--today", "2013-06-01", "--db", _store.Db, "--actor", "Test");
        Assert.True(result.Exit == 0, result.Error);
    }

    private (int Exit, string Out, string Error) Fire(string trigger, params string[] options) =>
        Run(new[] { "proposal", "fire", Id, trigger, "--db", _store.Db }.Concat(options).ToArray());
}
