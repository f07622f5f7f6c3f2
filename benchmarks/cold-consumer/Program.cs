// The child of `cold-package` (ColdStartHarness.RunPackaged in DecisionRouting.Benchmarks): a fresh app built against a
// package, as a user who runs `dotnet add package` gets it. Built twice, into two apps: with DECISION_ROUTING defined it
// references the packed DecisionRouting from a local folder feed; without it, RulesEngine 6.0.1 as shipped on NuGet.
// Neither app is published, precompiled or given a runtime identifier: each runs as `dotnet app.dll` (portable,
// framework-dependent), so whatever ReadyToRun code it runs came inside a package. It times what `cold-once` times, from
// the first line of work to the first result, and prints the same line: wall ms, CPU ms (every thread), bytes allocated
// (every thread), rules matched, JIT ms and methods jitted since the process began, then each stage's wall/JIT ms, and
// last the path the engine's assembly was loaded from (to show which package asset ran).
using System;
using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
using DecisionRouting.Benchmarks.ColdStart;
#if !DECISION_ROUTING
using DecisionRouting.Benchmarks;
#endif

if (args.Length != 1)
{
    Console.Error.WriteLine("usage: app <workload folder written by the cold harness>");
    return 2;
}

ColdChild.Measure(stages => Engine.First(args[0], stages));
return 0;

#if DECISION_ROUTING
internal static class Engine
{
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static (int Matched, string? LoadedFrom) First(string directory, StageClock stages)
    {
        var ruleSet = DecisionRouting.RuleSets.RuleSet.Load(Path.Combine(directory, "dr-meta"));
        stages.Mark("load");
        var path = Path.Combine(directory, "dr-proposal.json");
        var proposal = DecisionRouting.Proposals.ProposalReader.Read(path, File.ReadAllText(path)).Proposal ?? throw new InvalidOperationException("the proposal did not read");
        stages.Mark("read");
        var router = new DecisionRouting.Routing.Router(ruleSet);
        stages.Mark("router");
        var matched = router.Route(proposal).MatchedRules.Count;
        stages.Mark("route");
        return (matched, typeof(DecisionRouting.Routing.Router).Assembly.Location);
    }
}
#else
internal static class Engine
{
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static (int Matched, string? LoadedFrom) First(string directory, StageClock stages)
    {
        var workflows = System.Text.Json.JsonSerializer.Deserialize<RulesEngine.Models.Workflow[]>(File.ReadAllText(Path.Combine(directory, "workflow.json")))!;
        var proposal = System.Text.Json.JsonSerializer.Deserialize<PeerProposal>(File.ReadAllText(Path.Combine(directory, "peer-proposal.json")))!;
        var engine = new RulesEngine.RulesEngine(workflows);
        var matched = engine.ExecuteAllRulesAsync("bench", proposal).AsTask().GetAwaiter().GetResult().Count(r => r.IsSuccess);
        return (matched, typeof(RulesEngine.RulesEngine).Assembly.Location);
    }
}
#endif
