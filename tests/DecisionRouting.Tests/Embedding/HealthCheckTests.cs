using System;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using DecisionRouting.Hosting;
using DecisionRouting.Lifecycle;
using DecisionRouting.LiveReload;
using DecisionRouting.Routing;
using DecisionRouting.Stores;
using DecisionRouting.Tests.Support;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace DecisionRouting.Tests.Embedding;

/// <summary>Issue 16 §2: the health checks on real stores and real rule folders, healthy and broken.</summary>
public sealed class HealthCheckTests
{
    private static readonly Actor Clerk = new("Dem Services", "democratic-services");

    [Fact]
    public async Task A_started_host_with_a_fresh_store_is_healthy_on_every_check()
    {
        await using var host = TestHost.Build(o => o.RulesPath = TestHost.Croydon);
        await host.Host.StartAsync();

        var report = await host.HealthAsync();

        Assert.Equal(HealthStatus.Healthy, report.Status);
        Assert.Equal(
            new[] { DecisionRoutingHealthChecksExtensions.AuditHeadCheck, DecisionRoutingHealthChecksExtensions.RuleSetCheck, DecisionRoutingHealthChecksExtensions.StoreCheck },
            report.Entries.Keys.Order(StringComparer.Ordinal));
        Assert.Contains("'croydon'", report.Entries[DecisionRoutingHealthChecksExtensions.RuleSetCheck].Description, StringComparison.Ordinal);

        // Reading for health creates nothing: the store file appears on the first write, not on a probe.
        Assert.False(File.Exists(Path.Combine(host.ContentRoot, DecisionRoutingOptions.DefaultSqlitePath)));
    }

    [Fact]
    public async Task A_file_that_is_not_a_database_makes_the_store_and_the_head_unhealthy()
    {
        await using var host = TestHost.Build(o => o.RulesPath = TestHost.Croydon);
        await File.WriteAllTextAsync(Path.Combine(host.ContentRoot, DecisionRoutingOptions.DefaultSqlitePath), new string('x', 8192));
        await host.Host.StartAsync();

        var report = await host.HealthAsync();

        Assert.Equal(HealthStatus.Unhealthy, report.Status);
        var store = report.Entries[DecisionRoutingHealthChecksExtensions.StoreCheck];
        Assert.Equal(HealthStatus.Unhealthy, store.Status);
        Assert.Contains("The case store cannot be read", store.Description, StringComparison.Ordinal);
        Assert.IsType<SqliteException>(store.Exception);
        Assert.Equal(HealthStatus.Unhealthy, report.Entries[DecisionRoutingHealthChecksExtensions.AuditHeadCheck].Status);
        Assert.Equal(HealthStatus.Healthy, report.Entries[DecisionRoutingHealthChecksExtensions.RuleSetCheck].Status);
    }

    [Fact]
    public async Task A_missing_audit_head_row_makes_only_the_head_check_unhealthy()
    {
        await using var host = TestHost.Build(o =>
        {
            o.RulesPath = TestHost.Croydon;
            o.TimeProvider = AddDecisionRoutingTests.June2013();
        });
        await host.Host.StartAsync();
        await host.Get<ProposalLifecycle>().CreateAsync(host.Get<Router>().Route(AddDecisionRoutingTests.Croydon()), Clerk);
        var path = ((SqliteProposalStore)host.Get<IProposalStore>()).Path;
        Assert.Equal(HealthStatus.Healthy, (await host.HealthAsync()).Status);

        await using (var connection = new SqliteConnection($"Data Source={path}"))
        {
            await connection.OpenAsync();
            await using var delete = connection.CreateCommand();
            delete.CommandText = "DELETE FROM audit_head";
            await delete.ExecuteNonQueryAsync();
        }

        var report = await host.HealthAsync();
        var head = report.Entries[DecisionRoutingHealthChecksExtensions.AuditHeadCheck];
        Assert.Equal(HealthStatus.Unhealthy, head.Status);
        Assert.Contains("head row is missing", head.Description, StringComparison.Ordinal);
        Assert.Equal(HealthStatus.Healthy, report.Entries[DecisionRoutingHealthChecksExtensions.StoreCheck].Status);
    }

    [Fact]
    public async Task A_rejected_edit_of_watched_rules_is_unhealthy_with_its_diagnostics_until_fixed()
    {
        using var set = TempRuleSet.With();
        await using var host = TestHost.Build(o =>
        {
            o.RulesPath = set.Directory;
            o.WatchRules = true;
        });
        await host.Host.StartAsync();
        var watched = (WatchedRuleSet)host.Get<IRuleSetProvider>();
        var good = watched.Current.Hash;

        var broken = TempRuleSet.Rules.Replace("\"notice\", \"decision\"", "\"notice\", \"decisoin\"", StringComparison.Ordinal);
        set.Write("main.rules.json", broken);
        Assert.False(watched.Reload().Accepted);
        var rules = (await host.HealthAsync()).Entries[DecisionRoutingHealthChecksExtensions.RuleSetCheck];

        Assert.Equal(HealthStatus.Unhealthy, rules.Status);
        var (line, column) = Position.Of(broken, "\"decisoin\"");
        Assert.Contains($"main.rules.json({line},{column}): error DR", rules.Description, StringComparison.Ordinal);
        Assert.Contains(good, rules.Description, StringComparison.Ordinal); // which rules are still routing
        Assert.Equal(good, host.Get<Router>().RuleSet.Hash);

        set.Write("main.rules.json", TempRuleSet.Rules);
        Assert.True(watched.Reload().Accepted);
        Assert.Equal(HealthStatus.Healthy, (await host.HealthAsync()).Entries[DecisionRoutingHealthChecksExtensions.RuleSetCheck].Status);
    }

    [Fact]
    public async Task Rules_that_never_loaded_are_unhealthy_with_the_diagnostics_not_an_exception()
    {
        using var set = TempRuleSet.With(rules: "{ \"WorkflowName\": ");
        await using var host = TestHost.Build(o => o.RulesPath = set.Directory);
        await Assert.ThrowsAnyAsync<Exception>(() => host.Host.StartAsync());

        var rules = (await host.HealthAsync()).Entries[DecisionRoutingHealthChecksExtensions.RuleSetCheck];

        Assert.Equal(HealthStatus.Unhealthy, rules.Status);
        Assert.Contains("did not load", rules.Description, StringComparison.Ordinal);
        Assert.Contains("main.rules.json(1,", rules.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task On_postgresql_a_host_routes_fires_and_reports_healthy()
    {
        var connection = PostgresServer.NewDatabase();
        await using var host = TestHost.Build(o =>
        {
            o.RulesPath = TestHost.Croydon;
            o.UsePostgreSql(connection);
            o.TimeProvider = AddDecisionRoutingTests.June2013();
        });
        await host.Host.StartAsync();
        Assert.IsType<PostgreSqlProposalStore>(host.Get<IProposalStore>());

        var lifecycle = host.Get<ProposalLifecycle>();
        var created = await lifecycle.CreateAsync(host.Get<Router>().Route(AddDecisionRoutingTests.Croydon()), Clerk);
        Assert.True((await lifecycle.FireAsync(created.Id, new TriggerRequest(CaseTrigger.Start, Clerk))).Accepted);
        var signed = await lifecycle.FireAsync(created.Id, TriggerRequest.Complete("finance-sign-off", new Actor("F", "s151-officer")));

        Assert.True(signed.Accepted, string.Join("; ", signed.Reasons));
        Assert.Equal(3, (await host.Get<IProposalStore>().HistoryAsync(created.Id)).Count);
        Assert.Equal(HealthStatus.Healthy, (await host.HealthAsync()).Status);
    }

    [Fact]
    public async Task On_postgresql_an_unreachable_server_makes_the_store_unhealthy()
    {
        // Port 1 on the loopback: nothing listens, so the connection is refused at once.
        await using var host = TestHost.Build(o =>
        {
            o.RulesPath = TestHost.Croydon;
            o.UsePostgreSql("Host=127.0.0.1;Port=1;Database=none;Username=nobody;Timeout=5");
        });
        await host.Host.StartAsync();

        var report = await host.HealthAsync();

        Assert.Equal(HealthStatus.Unhealthy, report.Entries[DecisionRoutingHealthChecksExtensions.StoreCheck].Status);
        Assert.Equal(HealthStatus.Unhealthy, report.Entries[DecisionRoutingHealthChecksExtensions.AuditHeadCheck].Status);
        Assert.Equal(HealthStatus.Healthy, report.Entries[DecisionRoutingHealthChecksExtensions.RuleSetCheck].Status);
    }
}
