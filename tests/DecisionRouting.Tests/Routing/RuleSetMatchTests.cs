using System;
using System.Collections.Concurrent;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DecisionRouting.Benchmarks;
using DecisionRouting.Proposals;
using DecisionRouting.Routing;
using DecisionRouting.RuleSets;
using DecisionRouting.Tests.Support;
using NodaTime;

namespace DecisionRouting.Tests.Routing;

/// <summary>
/// <see cref="RuleSet.Match(Proposal, RuleMatches)"/>, evaluation without a plan, must say exactly what routing says
/// of the same proposal: the same matched rules, the same undecided and not-evaluated ones with the same words, the
/// same refusals; and allocate nothing in steady state.
/// </summary>
public sealed class RuleSetMatchTests
{
    public static TheoryData<string, RoutingEvaluation> ShippedRuleSets()
    {
        var data = new TheoryData<string, RoutingEvaluation>();
        foreach (var folder in Repository.ShippedRuleSets())
        {
            data.Add(folder, RoutingEvaluation.Compiled);
        }

        data.Add("rules/partnerships/croydon", RoutingEvaluation.RulesEngine);
        return data;
    }

    [Theory]
    [MemberData(nameof(ShippedRuleSets))]
    public void Match_agrees_with_route_on_shipped_rule_sets_seeds_and_generated_proposals(string folder, RoutingEvaluation evaluation)
    {
        var ruleSet = RuleSet.Load(Repository.PathOf(folder));
        var options = new RoutingOptions { Evaluation = evaluation };
        var seeds = Directory.GetFiles(Repository.PathOf("samples/proposals"), "*.json").Select(f => ProposalReader.ReadFile(f).Proposal!).ToList();
        var random = new Random(folder.Length);
        var proposals = seeds.Concat(Enumerable.Range(0, 150).Select(i => Synthetic.Proposal(random, i))).ToList();

        var (matched, incomplete) = AssertAgree(ruleSet, options, proposals);

        Assert.True(matched > 0, "some rules match");
        Assert.True(incomplete > 0, "generated proposals give none of the shipped attributes, so undecided rules are compared too");
    }

    [Theory]
    [InlineData(200, 12)]
    [InlineData(120, 13)]
    public void Match_agrees_with_route_on_a_generated_rule_set_with_errors_and_undecided_rules(int rules, int seed)
    {
        var directory = Path.Combine(Path.GetTempPath(), "dr-match", Guid.NewGuid().ToString("N"));
        try
        {
            Synthetic.WriteRuleSet(directory, rules, seed);
            var random = new Random(seed);
            var proposals = Enumerable.Range(0, 200).Select(i => Synthetic.Proposal(random, i)).ToList();
            var ruleSet = RuleSet.Load(directory);

            AssertAgree(ruleSet, new RoutingOptions(), proposals);
            var result = new RuleMatches();
            var kinds = proposals.SelectMany(p =>
            {
                ruleSet.Match(p, result);
                return result.Incomplete.ToArray().Select(r => r.Kind);
            }).ToList();
            Assert.Contains(IncompleteRuleKind.Undecided, kinds);
            Assert.Contains(IncompleteRuleKind.NotEvaluated, kinds);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void Match_reports_an_undecided_rule_with_the_value_it_lacks()
    {
        var ruleSet = RuleSet.Load(Repository.PathOf("rules/partnerships/croydon"));
        var router = new Router(ruleSet);
        var random = new Random(3);

        // The first generated proposal routing leaves undecided (they give none of the attributes croydon declares).
        var (proposal, plan) = Enumerable.Range(0, 100).Select(i => Synthetic.Proposal(random, i)).Select(p => (p, router.Route(p))).First(x => x.Item2.Incomplete.Count > 0);

        var result = ruleSet.Match(proposal);

        Assert.False(result.AllDecided);
        Assert.Equal(plan.Incomplete, result.Incomplete.ToArray());
        Assert.All(result.Incomplete.ToArray(), r => Assert.Equal(IncompleteRuleKind.Undecided, r.Kind));
        Assert.All(result.Incomplete.ToArray(), r => Assert.NotNull(r.MissingValue));
        Assert.Equal(proposal.Id, result.ProposalId);
        Assert.Equal(ruleSet.Name, result.RuleSetName);
    }

    [Fact]
    public void Match_refuses_what_route_refuses_and_leaves_the_result_empty()
    {
        var ruleSet = RuleSet.Load(Repository.PathOf("rules/partnerships/croydon"));
        var seed = ProposalReader.ReadFile(Repository.PathOf("samples/proposals/croydon-2013-integrated-commissioning-unit.json")).Proposal!;
        var result = new RuleMatches();
        ruleSet.Match(seed, result);
        Assert.NotEqual(0, result.Matched.Length);

        var outOfRange = seed with { IntendedDecisionDate = new LocalDate(9999, 12, 31) };
        var routed = Assert.Throws<InvalidProposalException>(() => new Router(ruleSet).Route(outOfRange));
        var matched = Assert.Throws<InvalidProposalException>(() => ruleSet.Match(outOfRange, result));

        Assert.Equal(routed.Diagnostics.Select(d => (d.Id, d.Message)), matched.Diagnostics.Select(d => (d.Id, d.Message)));
        Assert.Equal(0, result.Matched.Length);
        Assert.True(result.AllDecided);
        Assert.Null(result.ProposalId);
        Assert.Throws<ArgumentNullException>(() => ruleSet.Match(null!, result));
        Assert.Throws<ArgumentNullException>(() => ruleSet.Match(seed, null!));
    }

    [Fact]
    public void Match_is_thread_safe_with_a_result_per_thread()
    {
        var ruleSet = RuleSet.Load(Repository.PathOf("rules/england"));
        var router = new Router(ruleSet);
        var random = new Random(5);
        var proposals = Enumerable.Range(0, 400).Select(i => Synthetic.Proposal(random, i)).ToList();
        var expected = proposals.Select(p => Key(router.Route(p))).ToList();
        var actual = new ConcurrentDictionary<int, string>();
        var results = new ThreadLocal<RuleMatches>(() => new RuleMatches());

        Parallel.For(0, proposals.Count, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i =>
        {
            var result = results.Value!;
            ruleSet.Match(proposals[i], result);
            actual[i] = Key(result);
        });

        Assert.Equal(expected, Enumerable.Range(0, proposals.Count).Select(i => actual[i]));
    }

    [Fact]
    public async Task One_result_filled_by_two_threads_at_once_is_refused_not_interleaved()
    {
        var ruleSet = RuleSet.Load(Repository.PathOf("rules/england"));
        var proposal = Synthetic.Proposal(new Random(1), 0);
        using var clock = new BlockingClock();
        var result = new RuleMatches();

        // The first call holds the result while its clock is read; the second, meanwhile, must be refused.
        var first = Task.Run(() => ruleSet.Match(proposal, result, new RoutingOptions { Clock = clock }));
        Assert.True(clock.Entered.Wait(TimeSpan.FromSeconds(30)));
        var refused = Assert.Throws<InvalidOperationException>(() => ruleSet.Match(proposal, result));
        clock.Release.Set();
        await first;

        Assert.Contains("give each thread its own", refused.Message);
        Assert.Equal(Key(new Router(ruleSet).Route(proposal)), Key(result));
    }

    [Fact]
    public void Match_allocates_nothing_in_steady_state_on_the_peers_workload()
    {
        var workload = PeersWorkload.Generate(200, 500);
        var directory = Path.Combine(Path.GetTempPath(), "dr-match", Guid.NewGuid().ToString("N"));
        try
        {
            var proposals = workload.WriteDecisionRouting(directory).Select((json, i) => ProposalReader.Read($"p{i}.json", json).Proposal!).ToArray();
            var ruleSet = RuleSet.Load(Path.Combine(directory, "dr-meta"));
            var result = new RuleMatches();
            foreach (var proposal in proposals)
            {
                ruleSet.Match(proposal, result); // grows the result and the per-thread buffers once
            }

            long matched = 0;
            var before = GC.GetAllocatedBytesForCurrentThread();
            foreach (var proposal in proposals)
            {
                ruleSet.Match(proposal, result);
                matched += result.Matched.Length;
            }

            var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

            Assert.Equal(0, allocated);
            Assert.True(matched > 0);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static (int Matched, int Incomplete) AssertAgree(RuleSet ruleSet, RoutingOptions options, System.Collections.Generic.IReadOnlyList<Proposal> proposals)
    {
        var router = new Router(ruleSet, options);
        var result = new RuleMatches(); // one result reused across every proposal, as a caller would
        int matched = 0, incomplete = 0;
        foreach (var proposal in proposals)
        {
            var plan = router.Route(proposal);
            ruleSet.Match(proposal, result, options);
            Assert.Equal(plan.MatchedRules, result.Matched.ToArray());
            Assert.Equal(plan.Incomplete, result.Incomplete.ToArray());
            Assert.Equal(plan.Incomplete.Count == 0, result.AllDecided);
            matched += result.Matched.Length;
            incomplete += result.Incomplete.Length;
        }

        return (matched, incomplete);
    }

    private static string Key(RoutingPlan plan) =>
        string.Join(",", plan.MatchedRules.Select(m => $"{m.Workflow}/{m.Rule}")) + "|" + string.Join(",", plan.Incomplete.Select(r => $"{r.Workflow}/{r.Rule}:{r.Kind}"));

    private static string Key(RuleMatches result) =>
        string.Join(",", result.Matched.ToArray().Select(m => $"{m.Workflow}/{m.Rule}")) + "|" + string.Join(",", result.Incomplete.ToArray().Select(r => $"{r.Workflow}/{r.Rule}:{r.Kind}"));

    /// <summary>A clock whose first timestamp waits to be released: holds a call inside <see cref="RuleSet.Match(Proposal, RuleMatches, RoutingOptions)"/>.</summary>
    private sealed class BlockingClock : TimeProvider, IDisposable
    {
        private int _calls;

        public ManualResetEventSlim Entered { get; } = new();

        public ManualResetEventSlim Release { get; } = new();

        public override long GetTimestamp()
        {
            if (Interlocked.Increment(ref _calls) == 1)
            {
                Entered.Set();
                Release.Wait(TimeSpan.FromSeconds(30));
            }

            return base.GetTimestamp();
        }

        public void Dispose()
        {
            Entered.Dispose();
            Release.Dispose();
        }
    }
}
