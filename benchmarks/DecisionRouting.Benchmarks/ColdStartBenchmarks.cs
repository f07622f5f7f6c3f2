using System.Linq;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using DecisionRouting.Expressions;
using DecisionRouting.RuleSets;

namespace DecisionRouting.Benchmarks;

/// <summary>
/// Cold start on 1,000 generated rules: ours reads, validates (compiling every expression) and compiles the delegates;
/// the baseline builds RulesEngine from the same workflows and runs each once, which is when RulesEngine compiles.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 8)]
public class ColdStartBenchmarks
{
    private Workload _workload = null!;

    [GlobalSetup]
    public void Setup() => _workload = Workload.Synthetic(1000);

    [Benchmark(Baseline = true, Description = "RulesEngine: construct + first execution")]
    public int RulesEngineFirstExecution()
    {
        var workflows = Workload.ReadRulesEngineWorkflows(_workload.Directory);
        var engine = new RulesEngine.RulesEngine(workflows, ExpressionEnvironment.Settings);
        var inputs = _workload.Inputs[0];
        return workflows.Sum(w => engine.ExecuteAllRulesAsync(w.WorkflowName, inputs).AsTask().GetAwaiter().GetResult().Count(r => r.IsSuccess));
    }

    [Benchmark(Description = "RuleSet.Load: read, validate, compile")]
    public int LoadValidateCompile() => RuleSet.Load(_workload.Directory).Evaluation.Compiled.RuleCount;
}
