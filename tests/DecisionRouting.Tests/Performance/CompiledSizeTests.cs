using System;
using System.IO;
using System.Linq;
using DecisionRouting.Benchmarks;
using DecisionRouting.RuleSets;
using DecisionRouting.Tests.Support;

namespace DecisionRouting.Tests.Performance;

/// <summary>
/// No compiled method may be past the JIT's optimisation limits. CoreCLR compiles a method with minimal optimisation
/// (MinOpts) when it has more than 60,000 bytes of IL, 20,000 IL instructions, 2,000 basic blocks, 2,000 locals or
/// 8,000 local references (<c>DEFAULT_MIN_OPTS_*</c> in the JIT's compiler.cpp). A 1,000-rule workflow compiled as one
/// delegate was about 93 KB of IL: it ran unoptimised. Large workflows are compiled in chunks.
/// </summary>
public sealed class CompiledSizeTests(Xunit.Abstractions.ITestOutputHelper output)
{
    [Fact]
    public void A_thousand_rule_workflow_is_compiled_in_chunks_within_the_budget()
    {
        using var set = PeersRuleSet(1000);

        var chunks = set.RuleSet.Evaluation.Compiled.Chunks;
        output.WriteLine($"{chunks.Count} chunks, {chunks.Sum(c => c.Nodes)} nodes, largest {chunks.Max(c => c.Nodes)} nodes / {chunks.Max(c => c.Rules)} rules");

        Assert.True(chunks.Count > 1, $"1,000 rules compiled as {chunks.Count} delegate(s)");
        Assert.Equal(1000, chunks.Sum(c => c.Rules));
        Assert.All(chunks, c => Assert.InRange(c.Rules, 1, Evaluation.CompiledRuleSet.MaxRulesPerChunk));
        Assert.All(chunks, c => Assert.InRange(c.Nodes, 1, Evaluation.CompiledRuleSet.NodeBudgetPerChunk + c.LargestRuleNodes));
    }

    [Fact]
    public void A_small_workflow_stays_one_delegate()
    {
        var ruleSet = RuleSet.Load(Repository.PathOf("rules/england"));

        Assert.All(ruleSet.Evaluation.Compiled.Chunks.GroupBy(c => c.Workflow), w => Assert.Single(w));
    }

    private static PeersSet PeersRuleSet(int rules)
    {
        var workload = PeersWorkload.Generate(rules, 10);
        var directory = Path.Combine(Path.GetTempPath(), "dr-chunks", Guid.NewGuid().ToString("N"));
        var proposals = workload.WriteDecisionRouting(directory);
        return new PeersSet(directory, RuleSet.Load(Path.Combine(directory, "dr-meta")), proposals);
    }

    private sealed record PeersSet(string Directory, RuleSet RuleSet, System.Collections.Generic.IReadOnlyList<string> Proposals) : IDisposable
    {
        public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
    }
}
