using System;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using DecisionRouting.Explanations;
using DecisionRouting.Hosting;
using DecisionRouting.Lifecycle;
using DecisionRouting.LiveReload;
using DecisionRouting.Proposals;
using DecisionRouting.Routing;
using DecisionRouting.RuleSets;
using DecisionRouting.Stores;
using DecisionRouting.Tests.Incomplete;
using DecisionRouting.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NodaTime;

namespace DecisionRouting.Tests.Embedding;

/// <summary>Issue 16 §1: AddDecisionRouting in a real generic host, on a real SQLite file and the shipped rules.</summary>
public sealed class AddDecisionRoutingTests
{
    private const string Sample = "croydon-2013-integrated-commissioning-unit";
    private static readonly Actor Clerk = new("Dem Services", "democratic-services");

    internal static ManualClock June2013() => new(Instant.FromUtc(2013, 6, 1, 12, 0));

    internal static Proposal Croydon() =>
        ProposalReader.ReadFile(Repository.PathOf($"samples/proposals/{Sample}.json")).Proposal!;

    [Fact]
    public async Task A_host_on_a_sqlite_file_routes_a_shipped_proposal_and_fires_a_sign_off()
    {
        var clock = June2013();
        await using var host = TestHost.Build(o =>
        {
            o.RulesPath = TestHost.Croydon;
            o.SqlitePath = "cases/decisions.db"; // relative: under the host's content root
            o.TimeProvider = clock;
        });
        await host.Host.StartAsync();

        var router = host.Get<Router>();
        var plan = router.Route(Croydon());
        Assert.Equal("croydon", plan.RuleSetName);
        Assert.True(plan.IsComplete, string.Join("; ", plan.Warnings));
        Assert.Equal(new LocalDate(2013, 6, 1), plan.AsOf); // the host's clock dated it, not the machine's

        var lifecycle = host.Get<ProposalLifecycle>();
        var created = await lifecycle.CreateAsync(plan, Clerk);
        Assert.True((await lifecycle.FireAsync(created.Id, new TriggerRequest(CaseTrigger.Start, Clerk))).Accepted);
        var signed = await lifecycle.FireAsync(created.Id, TriggerRequest.Complete("finance-sign-off", new Actor("F", "s151-officer")));

        Assert.True(signed.Accepted, string.Join("; ", signed.Reasons));
        Assert.True(signed.Case.IsComplete("finance-sign-off"));
        Assert.Equal(clock.Now, signed.Audit.RecordedAt);

        // The store the app can inject is the one the lifecycle wrote to, in the file the options named.
        var store = Assert.IsType<SqliteProposalStore>(host.Get<IProposalStore>());
        Assert.Equal(Path.Combine(host.ContentRoot, "cases", "decisions.db"), store.Path);
        Assert.True(File.Exists(store.Path));
        Assert.Equal(new[] { "Create", "Start", "CompleteStep" }, (await store.HistoryAsync(created.Id)).Select(e => e.Trigger));
        Assert.True((await AuditChain.VerifyAsync(store)).IsIntact);

        // The explainer and the rule set come from the same rules.
        Assert.Same(host.Get<IRuleSetProvider>().Current, host.Get<RuleSet>());
        Assert.Contains(host.Get<Explainer>().Explain(Croydon(), "finance-sign-off").Rules, r => r.Matched);
    }

    [Fact]
    public async Task Sqlite_is_the_default_store_in_the_content_root()
    {
        await using var host = TestHost.Build(o => o.RulesPath = TestHost.Croydon);
        await host.Host.StartAsync();

        var store = Assert.IsType<SqliteProposalStore>(host.Get<IProposalStore>());
        Assert.Equal(Path.Combine(host.ContentRoot, DecisionRoutingOptions.DefaultSqlitePath), store.Path);
    }

    public static TheoryData<string, Action<DecisionRoutingOptions>> BadOptions() => new()
    {
        { "no rules; set RulesPath", _ => { } },
        { "set RulesPath or RuleSetProvider, not both", o => { o.RulesPath = TestHost.Croydon; o.RuleSetProvider = _ => throw new InvalidOperationException("never called"); } },
        { "RulesPath is empty", o => o.RulesPath = "  " },
        { "leave WatchRules unset", o => { o.RuleSetProvider = _ => throw new InvalidOperationException("never called"); o.WatchRules = true; } },
        { "choose one store; SqlitePath and UsePostgreSql are all set", o => { o.RulesPath = TestHost.Croydon; o.SqlitePath = "a.db"; o.UsePostgreSql("Host=localhost"); } },
        { "choose one store; UsePostgreSql and Store are all set", o => { o.RulesPath = TestHost.Croydon; o.UsePostgreSql("Host=localhost"); o.Store = _ => throw new InvalidOperationException("never called"); } },
        { "UsePostgreSql is not a valid Npgsql connection string: ", o => { o.RulesPath = TestHost.Croydon; o.UsePostgreSql("Hots=db;Database=x"); } },
        { "UsePostgreSql names no Host", o => { o.RulesPath = TestHost.Croydon; o.UsePostgreSql("Database=x;Username=app"); } },
        { "UsePostgreSql is empty", o => { o.RulesPath = TestHost.Croydon; o.UsePostgreSql(""); } },
        { "SqlitePath is empty", o => { o.RulesPath = TestHost.Croydon; o.SqlitePath = ""; } },
        { "is a folder; give the SQLite file's path inside it", o => { o.RulesPath = TestHost.Croydon; o.SqlitePath = "."; } },
        { "TimeProvider is null", o => { o.RulesPath = TestHost.Croydon; o.TimeProvider = null!; } },
    };

    [Theory]
    [MemberData(nameof(BadOptions))]
    public async Task Options_are_checked_when_the_host_starts_with_a_message_naming_the_option(string expected, Action<DecisionRoutingOptions> configure)
    {
        await using var host = TestHost.Build(configure);

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.Host.StartAsync());

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_option_problem_is_reported_at_once_and_a_password_is_never_repeated()
    {
        await using var host = TestHost.Build(o =>
        {
            o.SqlitePath = "";
            o.UsePostgreSql("Host=db;Password=hunter2;Bogus=1");
        });

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.Host.StartAsync());

        Assert.Contains("no rules; set RulesPath", error.Message, StringComparison.Ordinal);
        Assert.Contains("choose one store", error.Message, StringComparison.Ordinal);
        Assert.Contains("SqlitePath is empty", error.Message, StringComparison.Ordinal);
        Assert.Contains("not a valid Npgsql connection string", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_rule_set_with_errors_stops_the_host_with_each_diagnostic_and_its_position()
    {
        const string rules = """
            {
              "WorkflowName": "main",
              "Rules": [
                { "RuleName": "Same", "Expression": "proposal.FinancialCommitment > 100", "Properties": { "steps": [ "notice" ], "source": "s", "reason": "r" } },
                { "RuleName": "Same", "Expression": "proposal.FinancialCommitment > 200", "Properties": { "steps": [ "decision" ], "source": "s", "reason": "r" } }
              ]
            }
            """;
        using var set = TempRuleSet.With(rules: rules);
        var (line, column) = Position.Of(rules, "\"Same\"", occurrence: 2);
        await using var host = TestHost.Build(o => o.RulesPath = set.Directory);

        // Before the first request: starting the host loads and validates the rules.
        var error = await Assert.ThrowsAsync<InvalidRuleSetException>(() => host.Host.StartAsync());

        Assert.Contains($"main.rules.json({line},{column}): error DR0005", error.Message, StringComparison.Ordinal);
        Assert.Equal("DR0005", Assert.Single(error.Diagnostics, d => d.IsError).Id);

        // Nothing routes with rules that did not load: asking again says the same, never a router over no rules.
        var again = Assert.Throws<InvalidRuleSetException>(() => host.Get<Router>());
        Assert.Contains("DR0005", again.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_rules_folder_stops_the_host_with_the_loaders_diagnostic()
    {
        var missing = Path.Combine(Path.GetTempPath(), "dr-no-such-rules-" + Guid.NewGuid().ToString("N"));
        await using var host = TestHost.Build(o => o.RulesPath = missing);

        var error = await Assert.ThrowsAsync<InvalidRuleSetException>(() => host.Host.StartAsync());

        Assert.Contains(missing, error.Message, StringComparison.Ordinal);
        Assert.Contains(": error DR", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_rule_set_provider_is_called_once_at_start_and_its_rules_route()
    {
        var calls = 0;
        using var set = TempRuleSet.With();
        await using var host = TestHost.Build(o => o.RuleSetProvider = _ =>
        {
            calls++;
            return WatchedRuleSet.Start(set.Directory);
        });

        Assert.Equal(0, calls);
        await host.Host.StartAsync();
        Assert.Equal(1, calls);

        var plan = host.Get<Router>().Route(UndecidedRuleTests.Proposal());
        Assert.Equal(new[] { "notice", "decision" }, plan.Steps.Select(s => s.Step.Id));
        host.Get<Router>();
        Assert.Equal(1, calls);
    }

    [Fact]
    public async Task Watched_rules_reach_the_next_router_and_a_rejected_edit_keeps_the_last_good_rules()
    {
        using var set = TempRuleSet.With();
        await using var host = TestHost.Build(o =>
        {
            o.RulesPath = set.Directory;
            o.WatchRules = true;
        });
        await host.Host.StartAsync();
        var watched = Assert.IsType<WatchedRuleSet>(host.Get<IRuleSetProvider>());
        var before = host.Get<Router>();
        Assert.Same(before, host.Get<Router>()); // one router per rule set, not one per request

        set.Write("main.rules.json", TempRuleSet.Rules.Replace("> 100", "> 5000", StringComparison.Ordinal));
        Assert.True(watched.Reload().Accepted);
        var after = host.Get<Router>();

        Assert.NotSame(before, after);
        Assert.NotEqual(before.RuleSet.Hash, after.RuleSet.Hash);
        Assert.Empty(after.Route(UndecidedRuleTests.Proposal()).MatchedRules); // 1000 is not over the edited 5000
    }
}
