using System;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using DecisionRouting.LiveReload;
using DecisionRouting.Proposals;
using DecisionRouting.Routing;
using DecisionRouting.RuleSets;
using DecisionRouting.Tests.Support;

namespace DecisionRouting.Tests.LiveReload;

/// <summary>A real folder, real file-system events: valid edits swap in, invalid ones leave routing on the last good set.</summary>
public sealed class WatchedRuleSetTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private static readonly Proposal Proposal = new()
    {
        Id = "live",
        Title = "Live reload",
        DecisionMaker = DecisionMaker.Cabinet,
        IntendedDecisionDate = new NodaTime.LocalDate(2020, 1, 1),
        Kinds = new[] { ProposalKind.Mou },
        FinancialCommitment = 500,
    };

    private const string WithSecondRule = """
        {
          "WorkflowName": "main",
          "Rules": [
            { "RuleName": "Big", "Expression": "proposal.FinancialCommitment > 100", "Properties": { "steps": [ "notice", "decision" ], "source": "test source", "reason": "test reason" } },
            { "RuleName": "Bigger", "Expression": "proposal.FinancialCommitment > 200", "Properties": { "steps": [ "decision" ], "source": "second source", "reason": "second reason" } }
          ]
        }
        """;

    /// <summary>
    /// The next reload that saw the whole edit. A watcher can fire while a file is still being written; that reload is
    /// rejected (DR0001) and the next one reads the finished file, so a half-written file is skipped here.
    /// </summary>
    private static Task<RuleSetReload> NextReload(WatchedRuleSet watched)
    {
        var next = new TaskCompletionSource<RuleSetReload>(TaskCreationOptions.RunContinuationsAsynchronously);
        watched.Reloaded += (_, e) =>
        {
            if (e.Reload.Accepted || e.Reload.Diagnostics.Any(d => d.Id != "DR0001"))
            {
                next.TrySetResult(e.Reload);
            }
        };
        return next.Task;
    }

    [Fact]
    public async Task A_valid_edit_swaps_in_and_plans_already_made_keep_their_hash()
    {
        using var set = TempRuleSet.With();
        using var watched = WatchedRuleSet.Start(set.Directory, new WatchedRuleSetOptions { Debounce = TimeSpan.FromMilliseconds(50) });
        var before = new Router(watched.Current).Route(Proposal);
        var reloaded = NextReload(watched);

        set.Write("main.rules.json", WithSecondRule);
        var reload = await reloaded.WaitAsync(Patience);

        Assert.True(reload.Accepted);
        Assert.Same(reload.InUse, watched.Current);
        Assert.NotEqual(before.RuleSetHash, watched.Current.Hash);
        Assert.Contains(new Router(watched.Current).Route(Proposal).MatchedRules, m => m.Rule == "Bigger");
        Assert.DoesNotContain(before.MatchedRules, m => m.Rule == "Bigger");
        Assert.Equal(RuleSet.Load(set.Directory).Hash, watched.Current.Hash);
    }

    [Fact]
    public async Task An_invalid_edit_keeps_the_last_good_rule_set_and_exposes_the_diagnostics()
    {
        using var set = TempRuleSet.With();
        using var watched = WatchedRuleSet.Start(set.Directory, new WatchedRuleSetOptions { Debounce = TimeSpan.FromMilliseconds(50) });
        var good = watched.Current;
        var rejected = NextReload(watched);

        set.Write("main.rules.json", WithSecondRule.Replace("proposal.FinancialCommitment > 200", "proposal.FinancialComitment > 200"));
        var reload = await rejected.WaitAsync(Patience);

        Assert.False(reload.Accepted);
        Assert.Same(good, watched.Current);
        var diagnostic = Assert.Single(watched.RejectedDiagnostics);
        Assert.Equal("DR0010", diagnostic.Id);
        Assert.StartsWith(set.PathOf("main.rules.json") + "(", diagnostic.Location.ToString());
        Assert.NotEmpty(new Router(watched.Current).Route(Proposal).Steps);

        var fixedUp = NextReload(watched);
        set.Write("main.rules.json", WithSecondRule);
        Assert.True((await fixedUp.WaitAsync(Patience)).Accepted);
        Assert.Empty(watched.RejectedDiagnostics);
        Assert.NotSame(good, watched.Current);
    }

    [Fact]
    public async Task Reload_on_demand_is_atomic_under_concurrent_routing()
    {
        using var set = TempRuleSet.With();
        using var watched = WatchedRuleSet.Start(set.Directory, new WatchedRuleSetOptions { Debounce = TimeSpan.FromHours(1) });
        var hashes = new System.Collections.Concurrent.ConcurrentBag<string>();
        var routing = Task.Run(() =>
        {
            for (var i = 0; i < 200; i++)
            {
                var ruleSet = watched.Current;
                var plan = new Router(ruleSet).Route(Proposal);
                Assert.Equal(ruleSet.Hash, plan.RuleSetHash);
                Assert.Equal(plan.MatchedRules.Any(m => m.Rule == "Bigger"), ruleSet.Definition.Workflows.SelectMany(w => w.Rules).Any(r => r.Name == "Bigger"));
                hashes.Add(plan.RuleSetHash);
            }
        });
        set.Write("main.rules.json", WithSecondRule);
        Assert.True(watched.Reload().Accepted);
        set.Write("main.rules.json", "{ not json");
        Assert.False(watched.Reload().Accepted);
        await routing.WaitAsync(Patience);
        Assert.InRange(hashes.Distinct().Count(), 1, 2);
    }

    [Fact]
    public void A_rule_set_that_does_not_load_at_start_is_an_error_with_every_diagnostic()
    {
        using var set = TempRuleSet.With(rules: "{ broken");
        var error = Assert.Throws<InvalidRuleSetException>(() => WatchedRuleSet.Start(set.Directory));
        Assert.Contains(error.Diagnostics, d => d.Id == "DR0001");
    }

    [Fact]
    public async Task After_dispose_edits_are_not_read()
    {
        using var set = TempRuleSet.With();
        var watched = WatchedRuleSet.Start(set.Directory, new WatchedRuleSetOptions { Debounce = TimeSpan.FromMilliseconds(20) });
        var current = watched.Current;
        var reloaded = NextReload(watched);
        watched.Dispose();
        set.Write("main.rules.json", WithSecondRule);
        await Task.Delay(500);
        Assert.False(reloaded.IsCompleted);
        Assert.Same(current, watched.Current);
    }
}
