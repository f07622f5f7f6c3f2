using System;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using DecisionRouting.LiveReload;
using DecisionRouting.Routing;
using DecisionRouting.RuleSets;
using DecisionRouting.Tests.Support;

namespace DecisionRouting.Tests.Embedding;

/// <summary>
/// The built-in baseline in a running app: as <c>RulesPath</c> itself, and under a partner folder that is watched for
/// edits. The baseline is not on disk, so neither may treat <c>baseline:england</c> as a folder (a full path of it, a
/// file watcher on it).
/// </summary>
public sealed class BaselineHostingTests : IDisposable
{
    private readonly string _partner = Path.Combine(Path.GetTempPath(), "dr-tests", Guid.NewGuid().ToString("N"), "rules", "croydon");

    public BaselineHostingTests()
    {
        Directory.CreateDirectory(_partner);
        foreach (var file in Directory.GetFiles(Repository.PathOf("rules/partnerships/croydon")))
        {
            File.WriteAllText(Path.Combine(_partner, Path.GetFileName(file)), File.ReadAllText(file).Replace("\"extends\": \"../../england\"", "\"extends\": \"baseline:england\""));
        }
    }

    public void Dispose() => Directory.Delete(Path.GetDirectoryName(Path.GetDirectoryName(_partner))!, recursive: true);

    [Fact]
    public async Task A_host_takes_the_baseline_itself_as_its_rules_path()
    {
        await using var host = TestHost.Build(o =>
        {
            o.RulesPath = RuleSetBaselines.England;
            o.SqlitePath = "cases.db";
            o.TimeProvider = AddDecisionRoutingTests.June2013();
        });
        await host.Host.StartAsync();
        var plan = host.Get<Router>().Route(AddDecisionRoutingTests.Croydon());
        Assert.Equal("england", plan.RuleSetName);
        Assert.Contains(plan.Steps, s => s.Id == "decision-record");
    }

    [Fact]
    public async Task A_watched_partner_extending_the_baseline_starts_and_reloads_its_own_edits()
    {
        await using var host = TestHost.Build(o =>
        {
            o.RulesPath = _partner;
            o.WatchRules = true;
            o.SqlitePath = "cases.db";
            o.TimeProvider = AddDecisionRoutingTests.June2013();
        });
        await host.Host.StartAsync();
        var plan = host.Get<Router>().Route(AddDecisionRoutingTests.Croydon());
        Assert.Equal("croydon", plan.RuleSetName);
        Assert.Contains(plan.Steps, s => s.Id == "call-in-window");

        using var watched = WatchedRuleSet.Start(_partner, new WatchedRuleSetOptions { Debounce = TimeSpan.FromMilliseconds(50) });
        var before = watched.Current.Hash;
        var reloaded = new TaskCompletionSource<RuleSetReload>(TaskCreationOptions.RunContinuationsAsynchronously);
        watched.Reloaded += (_, e) =>
        {
            if (e.Reload.Accepted)
            {
                reloaded.TrySetResult(e.Reload);
            }
        };
        var rules = Path.Combine(_partner, "croydon.rules.json");
        File.WriteAllText(rules, File.ReadAllText(rules).Replace("\"Croydon conventions beyond the England baseline.\"", "\"Croydon conventions beyond the England baseline (edited).\""));
        var reload = await reloaded.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.NotEqual(before, reload.InUse.Hash);
        Assert.Equal(new[] { "england", "croydon" }, reload.InUse.Definition.Layers.Select(l => l.Name));
    }
}
