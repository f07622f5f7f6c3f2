using System.Linq;
using BenchmarkDotNet.Attributes;
using DecisionRouting.Routing;

namespace DecisionRouting.Benchmarks;

/// <summary>The shipped rule sets routing the seed proposals, compiled against RulesEngine.</summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10)]
public class ShippedRuleSetBenchmarks
{
    private Workload _workload = null!;
    private Router _compiled = null!;
    private Router _rulesEngine = null!;

    [Params("rules/england", "rules/partnerships/croydon")]
    public string RuleSet { get; set; } = string.Empty;

    [GlobalSetup]
    public void Setup()
    {
        _workload = Workload.Shipped(RuleSet);
        _compiled = new Router(_workload.RuleSet, new RoutingOptions { Evaluation = RoutingEvaluation.Compiled });
        _rulesEngine = new Router(_workload.RuleSet, new RoutingOptions { Evaluation = RoutingEvaluation.RulesEngine });
        _ = _rulesEngine.Route(_workload.Proposals[0]); // RulesEngine is built on first use: outside the measurement
    }

    [Benchmark(Baseline = true, Description = "Route all 9 seeds (RulesEngine)")]
    public int RulesEngine() => _workload.Proposals.Sum(p => _rulesEngine.Route(p).Steps.Count);

    [Benchmark(Description = "Route all 9 seeds (compiled)")]
    public int Compiled() => _workload.Proposals.Sum(p => _compiled.Route(p).Steps.Count);
}
