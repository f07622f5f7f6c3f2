using System;
using System.IO;
using System.Linq;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using DecisionRouting.Proposals;
using DecisionRouting.Routing;
using DecisionRouting.RuleSets;
using RulesEngine.Models;

namespace DecisionRouting.Benchmarks;

/// <summary>
/// Start-up on the peers' 1,000 rules, to the first result, in a warm process (not a fresh one): ours loads the rule set
/// (read, validate, compile) and routes one proposal; the baseline deserialises the peers' workflow, builds RulesEngine
/// and runs it once, which is when RulesEngine compiles.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 8)]
public class ColdStartBenchmarks
{
    private string _workflowJson = string.Empty;
    private string _ruleSet = string.Empty;
    private PeerProposal _peerProposal = null!;
    private Proposal _proposal = null!;

    [GlobalSetup]
    public void Setup()
    {
        var workload = PeersWorkload.Generate(1000, 1);
        var directory = Path.Combine(Path.GetTempPath(), "dr-bench", $"cold-{Guid.NewGuid():N}");
        var proposals = workload.WriteDecisionRouting(directory);
        _ruleSet = Path.Combine(directory, "dr-meta");
        _workflowJson = workload.RulesEngineWorkflowJson();
        _peerProposal = workload.Proposals[0];
        _proposal = ProposalReader.Read("p00000.json", proposals[0]).Proposal!;
    }

    [Benchmark(Baseline = true, Description = "RulesEngine: construct + first execution")]
    public int RulesEngineFirstExecution()
    {
        var workflows = System.Text.Json.JsonSerializer.Deserialize<Workflow[]>(_workflowJson)!;
        var engine = new RulesEngine.RulesEngine(workflows);
        return engine.ExecuteAllRulesAsync("bench", _peerProposal).AsTask().GetAwaiter().GetResult().Count(r => r.IsSuccess);
    }

    [Benchmark(Description = "RuleSet.Load + first Router.Route")]
    public int LoadAndRoute() => new Router(RuleSet.Load(_ruleSet)).Route(_proposal).MatchedRules.Count;
}
