using BenchmarkDotNet.Attributes;
using DecisionRouting.Routing;

namespace DecisionRouting.Benchmarks;

/// <summary>
/// Evaluating every rule for one proposal, and building the whole plan, on generated rule sets of one to three
/// comparisons per rule. Baselines in the same run: raw RulesEngine on the same workflows, and hand-compiled delegates.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10)]
public class EvaluationBenchmarks
{
    private Workload _workload = null!;
    private Router _compiledRouter = null!;
    private Router _rulesEngineRouter = null!;
    private int _next;

    [Params(200, 1000, 10000)]
    public int Rules { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _workload = Workload.Synthetic(Rules);
        _compiledRouter = new Router(_workload.RuleSet, new RoutingOptions { Evaluation = RoutingEvaluation.Compiled });
        _rulesEngineRouter = new Router(_workload.RuleSet, new RoutingOptions { Evaluation = RoutingEvaluation.RulesEngine });
        _ = _workload.RuleSet.Evaluation.RulesEngine.Engine; // build and warm RulesEngine outside the measurement
    }

    private int Next() => _next = (_next + 1) & 63;

    [Benchmark(Baseline = true, Description = "RulesEngine ExecuteAllRulesAsync")]
    public int RawRulesEngine()
    {
        var inputs = _workload.Inputs[Next()];
        var matched = 0;
        foreach (var workflow in _workload.WorkflowNames)
        {
            foreach (var result in _workload.RuleSet.Evaluation.RulesEngine.Engine.ExecuteAllRulesAsync(workflow, inputs).AsTask().GetAwaiter().GetResult())
            {
                matched += result.IsSuccess ? 1 : 0;
            }
        }

        return matched;
    }

    [Benchmark(Description = "Hand-compiled delegates")]
    public int HandCompiled()
    {
        var proposal = _workload.Proposals[Next()];
        var parameters = _workload.RuleSet.Evaluation.ParametersFor(proposal.IntendedDecisionDate);
        var matched = 0;
        foreach (var rule in _workload.HandCompiled)
        {
            matched += rule(proposal, parameters) ? 1 : 0;
        }

        return matched;
    }

    [Benchmark(Description = "Compiled rule set: evaluation")]
    public int CompiledEvaluation()
    {
        var proposal = _workload.Proposals[Next()];
        _workload.RuleSet.Evaluation.Compiled.Evaluate(proposal, _workload.RuleSet.Evaluation.ParametersFor(proposal.IntendedDecisionDate), _workload.Matched, _workload.Errors);
        var matched = 0;
        foreach (var m in _workload.Matched)
        {
            matched += m ? 1 : 0;
        }

        return matched;
    }

    [Benchmark(Description = "Router.Route: full plan (compiled)")]
    public int RouteCompiled() => _compiledRouter.Route(_workload.Proposals[Next()]).Steps.Count;

    [Benchmark(Description = "Router.Route: full plan (RulesEngine)")]
    public int RouteRulesEngine() => _rulesEngineRouter.Route(_workload.Proposals[Next()]).Steps.Count;
}
