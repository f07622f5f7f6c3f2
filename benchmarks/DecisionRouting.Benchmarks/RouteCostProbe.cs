using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using DecisionRouting.Proposals;
using DecisionRouting.Routing;
using DecisionRouting.RuleSets;

namespace DecisionRouting.Benchmarks;

/// <summary>
/// <c>route-cost [rules] [rounds]</c>: the peers' workload through <see cref="Router.Route"/> and
/// <see cref="RuleSet.Match(Proposal, RuleMatches)"/>, reporting CPU time (the process's, which a loaded machine disturbs
/// less than wall time) and bytes allocated per proposal. A probe for where a route's time goes, not a claim: the claims
/// come from <see cref="PeersBenchmarks"/>, against RulesEngine in the same run.
/// </summary>
public static class RouteCostProbe
{
    public static void Run(int rules, int rounds, bool routeOnly = false)
    {
        var workload = PeersWorkload.Generate(rules, PeersBenchmarks.ProposalCount);
        var directory = Path.Combine(Path.GetTempPath(), "dr-bench", $"probe-{rules}-{Guid.NewGuid():N}");
        var proposals = workload.WriteDecisionRouting(directory).Select((json, i) => ProposalReader.Read($"p{i}.json", json).Proposal!).ToArray();
        var ruleSet = RuleSet.Load(Path.Combine(directory, "dr-meta"));
        var router = new Router(ruleSet);
        var matches = new RuleMatches();
        for (var round = 0; round < rounds; round++)
        {
            var route = Measure(() =>
            {
                long n = 0;
                foreach (var p in proposals)
                {
                    n += router.Route(p).MatchedRules.Count;
                }

                return n;
            });
            var match = routeOnly ? default : Measure(() =>
            {
                long n = 0;
                foreach (var p in proposals)
                {
                    ruleSet.Match(p, matches);
                    n += matches.Matched.Length;
                }

                return n;
            });
            Console.WriteLine($"{rules} rules, round {round}: Route {route.Micros:0.00} µs CPU, {route.Bytes:0} B; Match {match.Micros:0.00} µs CPU, {match.Bytes:0} B per proposal ({route.Matches} matches)");
        }

        Directory.Delete(directory, recursive: true);
    }

    private static (double Micros, double Bytes, long Matches) Measure(Func<long> body)
    {
        var process = Process.GetCurrentProcess();
        var bytes = GC.GetAllocatedBytesForCurrentThread();
        var cpu = process.TotalProcessorTime;
        var matches = body();
        process.Refresh();
        var micros = (process.TotalProcessorTime - cpu).TotalMilliseconds * 1000 / PeersBenchmarks.ProposalCount;
        return (micros, (GC.GetAllocatedBytesForCurrentThread() - bytes) / (double)PeersBenchmarks.ProposalCount, matches);
    }
}
