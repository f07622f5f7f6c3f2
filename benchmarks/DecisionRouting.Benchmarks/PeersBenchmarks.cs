using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Linq.Expressions;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Jobs;
using DecisionRouting.Proposals;
using DecisionRouting.Routing;
using DecisionRouting.RuleSets;
using RulesEngine.ExpressionBuilders;
using RulesEngine.Models;

namespace DecisionRouting.Benchmarks;

/// <summary>
/// Issue 17's workload, the peers' own (<see cref="PeersWorkload"/>): one workflow of N rules of one to three
/// comparisons, each rule requiring step-(i % 17), over 10,000 proposals. Every figure is one proposal
/// (<c>OperationsPerInvoke</c>), through the public API only; the baseline is raw RulesEngine 6.0.1 on the peers' plain
/// workflow over their own input type, in the same process. Set-up refuses to run unless every engine gives the same
/// number of matches (364,101 for 200 rules, as the peers' README says).
/// Run: <c>dotnet run -c Release --project benchmarks/DecisionRouting.Benchmarks -- --filter '*PeersBenchmarks*'</c>, with no
/// job options: <see cref="InProcessConfig"/> is the one job (see there).
/// </summary>
[MemoryDiagnoser]
[Config(typeof(InProcessConfig))]
public class PeersBenchmarks
{
    /// <summary>
    /// The one job: in process (BenchmarkDotNet's own build of its boilerplate outlasts its 2-minute timeout on the shared
    /// machine), one launch, 6 warm-ups and 5 iterations of one invocation each (an invocation handles all 10,000
    /// proposals). With 2 warm-ups a loaded machine measured the JIT, not the route: the background compiler had not
    /// yet replaced the route's unoptimised code, and the five iterations of Router.Route at 200 rules fell steadily
    /// from 38 µs to 6.7 µs (RulesEngine's, 0.5 s each, showed no such trend). Every case gets the same warm-ups. The in-process toolchain's default timeout (5 minutes per benchmark case) stopped RulesEngine at
    /// 1,000 rules as "too long to run", about 10 s an invocation on the loaded machine; an hour lets both engines run
    /// in the same process and run.
    /// </summary>
    public sealed class InProcessConfig : BenchmarkDotNet.Configs.ManualConfig
    {
        public InProcessConfig() => AddJob(Job.Default
            .WithToolchain(new BenchmarkDotNet.Toolchains.InProcess.Emit.InProcessEmitToolchain(TimeSpan.FromHours(1), logOutput: true))
            .WithLaunchCount(1)
            .WithWarmupCount(6)
            .WithIterationCount(5)
            .WithInvocationCount(1)
            .WithUnrollFactor(1));
    }

    /// <summary>The number of proposals, as in the issue.</summary>
    public const int ProposalCount = 10_000;

    private RulesEngine.RulesEngine _rulesEngine = null!;
    private PeerProposal[] _peerProposals = null!;
    private Proposal[] _proposals = null!;
    private RuleSet _ruleSet = null!;
    private Router _router = null!;
    private RuleMatches _matches = null!;
    private Func<Proposal, bool>[] _handCompiled = null!;

    [Params(200, 1000)]
    public int Rules { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var workload = PeersWorkload.Generate(Rules, ProposalCount);
        var directory = Path.Combine(Path.GetTempPath(), "dr-bench", $"peers-{Rules}-{Guid.NewGuid():N}");
        var proposalJson = workload.WriteDecisionRouting(directory);
        _ruleSet = RuleSet.Load(Path.Combine(directory, "dr-meta"));
        _router = new Router(_ruleSet);
        _matches = new RuleMatches();
        _proposals = proposalJson.Select((json, i) => ProposalReader.Read($"p{i:D5}.json", json).Proposal ?? throw new InvalidOperationException($"proposal {i} did not read")).ToArray();
        _peerProposals = workload.Proposals.ToArray();
        var workflows = System.Text.Json.JsonSerializer.Deserialize<Workflow[]>(workload.RulesEngineWorkflowJson())!;
        _rulesEngine = new RulesEngine.RulesEngine(workflows);
        _handCompiled = CompileByHand(Path.Combine(directory, "dr-plain", "bench.rules.json"));

        // Equal match counts first: a time means nothing if the engines disagree.
        var counts = new Dictionary<string, long>
        {
            ["RulesEngine"] = RawRulesEngine(),
            ["Router.Route"] = _proposals.Sum(p => (long)_router.Route(p).MatchedRules.Count),
            ["RuleSet.Match"] = Match(),
            ["hand-compiled"] = HandCompiled(),
        };
        if (counts.Values.Distinct().Count() != 1 || (Rules == 200 && counts["RulesEngine"] != 364_101))
        {
            throw new InvalidOperationException($"Match counts differ ({string.Join(", ", counts.Select(c => $"{c.Key} {c.Value}"))}); the peers' README gives 364101 for 200 rules");
        }

        Console.WriteLine($"// {Rules} rules, {ProposalCount} proposals: {counts["RulesEngine"]} matches in every engine");
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = ProposalCount, Description = "RulesEngine 6.0.1 ExecuteAllRulesAsync")]
    public long RawRulesEngine()
    {
        long matched = 0;
        foreach (var proposal in _peerProposals)
        {
            foreach (var result in _rulesEngine.ExecuteAllRulesAsync("bench", proposal).AsTask().GetAwaiter().GetResult())
            {
                matched += result.IsSuccess ? 1 : 0;
            }
        }

        return matched;
    }

    [Benchmark(OperationsPerInvoke = ProposalCount, Description = "Router.Route (full dated plan)")]
    public long Route()
    {
        long matched = 0;
        foreach (var proposal in _proposals)
        {
            matched += _router.Route(proposal).MatchedRules.Count;
        }

        return matched;
    }

    [Benchmark(OperationsPerInvoke = ProposalCount, Description = "RuleSet.Match (reused RuleMatches)")]
    public long Match()
    {
        long matched = 0;
        foreach (var proposal in _proposals)
        {
            _ruleSet.Match(proposal, _matches);
            matched += _matches.Matched.Length;
        }

        return matched;
    }

    /// <summary>
    /// The reference limit: each rule's expression, read from the plain rule file, as its own typed delegate over
    /// <see cref="Proposal"/>, with no budget, no error handling and no dated law.
    /// </summary>
    [Benchmark(OperationsPerInvoke = ProposalCount, Description = "Hand-compiled delegates (reference limit)")]
    public long HandCompiled()
    {
        long matched = 0;
        var rules = _handCompiled;
        foreach (var proposal in _proposals)
        {
            for (var i = 0; i < rules.Length; i++)
            {
                matched += rules[i](proposal) ? 1 : 0;
            }
        }

        return matched;
    }

    private static Func<Proposal, bool>[] CompileByHand(string plainRulesFile)
    {
        var workflow = System.Text.Json.JsonSerializer.Deserialize<Workflow>(File.ReadAllText(plainRulesFile))!;
        var parser = new RuleExpressionParser(new ReSettings { CustomTypes = [typeof(Proposal), typeof(ProposalKind)] });
        var input = Expression.Parameter(typeof(Proposal), "input1");
        return workflow.Rules.Select(rule =>
        {
            var parsed = parser.Parse(rule.Expression, [input], typeof(bool));
            var body = parsed is LambdaExpression lambda ? lambda.Body : parsed;
            return Expression.Lambda<Func<Proposal, bool>>(body, input).Compile();
        }).ToArray();
    }
}
