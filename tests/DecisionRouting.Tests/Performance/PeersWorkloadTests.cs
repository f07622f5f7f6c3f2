using System;
using System.IO;
using System.Linq;
using DecisionRouting.Benchmarks;
using DecisionRouting.Proposals;
using DecisionRouting.Routing;
using DecisionRouting.RuleSets;
using RulesEngine.Models;

namespace DecisionRouting.Tests.Performance;

/// <summary>
/// The benchmarks' port of the peers' generators (<c>gen.py</c>, <c>gen_dr.py</c>) must give the peers' workload, and
/// every engine must agree on it before a time is compared: the peers' README gives 364,101 matches for seed 42, 200
/// rules and 10,000 proposals.
/// </summary>
public sealed class PeersWorkloadTests
{
    private const int PeersMatchCount = 364_101;

    [Fact]
    public void The_port_of_the_peers_generator_gives_their_match_count_in_rules_engine_and_in_routing()
    {
        var workload = PeersWorkload.Generate(200, 10_000);
        var directory = Path.Combine(Path.GetTempPath(), "dr-peers", Guid.NewGuid().ToString("N"));
        try
        {
            var proposals = workload.WriteDecisionRouting(directory)
                .Select((json, i) => ProposalReader.Read($"p{i}.json", json).Proposal!)
                .ToList();

            // RulesEngine 6.0.1 on the peers' own workflow and input type.
            var engine = new RulesEngine.RulesEngine(System.Text.Json.JsonSerializer.Deserialize<Workflow[]>(workload.RulesEngineWorkflowJson())!);
            var rulesEngine = workload.Proposals.Sum(p => engine.ExecuteAllRulesAsync("bench", p).AsTask().GetAwaiter().GetResult().Count(r => r.IsSuccess));
            Assert.Equal(PeersMatchCount, rulesEngine);

            // The same rules mapped onto our Proposal (gen_dr.py's dr-meta), through the public router.
            var router = new Router(RuleSet.Load(Path.Combine(directory, "dr-meta")));
            var plans = proposals.Select(router.Route).ToList();
            Assert.Equal(PeersMatchCount, plans.Sum(p => p.MatchedRules.Count));
            Assert.All(plans, p => Assert.Empty(p.Incomplete));

            // Each rule requires step-(i % 17), so plans have steps to build.
            Assert.Equal(17, plans.SelectMany(p => p.Steps).Select(s => s.Id).Distinct().Count());
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void The_python_random_port_draws_what_cpython_draws()
    {
        // CPython 3: random.seed(42); [random.randrange(6) for _ in range(5)], random.random(), random.randint(1, 3),
        // random.choice("abcde") gives [5, 0, 0, 5, 2], 0.24489185380347622, 1, 'a'.
        var random = new PythonRandom(42);
        Assert.Equal(new[] { 5, 0, 0, 5, 2 }, Enumerable.Range(0, 5).Select(_ => random.RandBelow(6)));
        Assert.Equal(0.24489185380347622, random.Random());
        Assert.Equal(1, random.RandInt(1, 3));
        Assert.Equal('a', random.Choice("abcde".ToCharArray()));
    }
}
