using System;
using BenchmarkDotNet.Attributes;
using DecisionRouting.Proposals;
using DecisionRouting.Routing;
using DecisionRouting.RuleSets;

namespace DecisionRouting.Benchmarks;

/// <summary>
/// How loading grows with a rule set's size (issue 14 §3: "load cost near-linear in the input"). Each benchmark does
/// what a host does on start: <see cref="RuleSet.Load(string)"/> (read, validate, compile) and then one
/// <see cref="Router.Route"/> of a proposal, on a generated rule set large in one dimension. 1,000 rules is the
/// baseline, so the ratio column reads against the size: linear growth shows as 10× for 10,000 rules and 50× for 50,000.
/// Run: <c>dotnet run -c Release --project benchmarks/DecisionRouting.Benchmarks -- --filter '*LoadScale*' --job short</c>.
/// </summary>
[MemoryDiagnoser]
public class LoadScaleBenchmarks
{
    // RuleSetBounds' limits, copied: the benchmarks use the public API only (no InternalsVisibleTo), and a limit that
    // moves shows here as a rule set that no longer loads.
    private const int MaxOrderingChain = 10_000;
    private const int MaxParametersPerWorkflow = 5_000;

    private string _rules1k = string.Empty;
    private string _rules10k = string.Empty;
    private string _rules50k = string.Empty;
    private string _stepChain = string.Empty;
    private string _parameterChain = string.Empty;
    private Proposal _proposal = null!;

    [GlobalSetup]
    public void Setup()
    {
        _rules1k = ScaleRuleSets.Rules(1_000);
        _rules10k = ScaleRuleSets.Rules(10_000);
        _rules50k = ScaleRuleSets.Rules(50_000);
        _stepChain = ScaleRuleSets.StepChain(MaxOrderingChain);
        _parameterChain = ScaleRuleSets.ParameterChain(MaxParametersPerWorkflow);
        _proposal = Tests.Support.Synthetic.Proposal(new Random(7), 0);
    }

    [Benchmark(Baseline = true, Description = "1,000 rules: load + route")]
    public int Rules1k() => LoadAndRoute(_rules1k);

    [Benchmark(Description = "10,000 rules: load + route")]
    public int Rules10k() => LoadAndRoute(_rules10k);

    [Benchmark(Description = "50,000 rules: load + route")]
    public int Rules50k() => LoadAndRoute(_rules50k);

    /// <summary>The longest ordering chain allowed (RuleSetBounds.MaxOrderingChain steps), every step in the plan.</summary>
    [Benchmark(Description = "step chain at the limit: load + route")]
    public int StepChain() => LoadAndRoute(_stepChain);

    /// <summary>The longest GlobalParams chain allowed (RuleSetBounds.MaxParametersPerWorkflow).</summary>
    [Benchmark(Description = "GlobalParams chain at the limit: load + route")]
    public int ParameterChain() => LoadAndRoute(_parameterChain);

    private int LoadAndRoute(string directory) => new Router(RuleSet.Load(directory)).Route(_proposal).Steps.Count;
}
