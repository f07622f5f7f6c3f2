using System;
using System.IO;
using BenchmarkDotNet.Running;

namespace DecisionRouting.Benchmarks;

/// <summary>Runs the benchmarks: <c>dotnet run -c Release --project benchmarks/DecisionRouting.Benchmarks -- --filter '*'</c>.</summary>
public static class Program
{
    public static void Main(string[] args)
    {
        // `cold-once` is a child of `cold` (ColdStartHarness): nothing else may run first, so it is checked first.
        if (args is ["cold-once", var engine, var directory])
        {
            ColdStartHarness.Child(engine, directory);
            return;
        }

        // `cold-jit dr|re folder`: which namespaces the JIT compiles in one engine's cold start (ColdJitCensus).
        if (args is ["cold-jit", var jitEngine, var jitDirectory])
        {
            ColdJitCensus.Run(jitEngine, jitDirectory);
            return;
        }

        // `cold [launches] [rules]`: cold start in fresh processes, ours against RulesEngine.
        if (args is ["cold", ..])
        {
            ColdStartHarness.Run(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 10, args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 1000);
            return;
        }

        // `cold-package [launches] [rules]`: the same, ours from a fresh app built against the packed package.
        if (args is ["cold-package", ..])
        {
            ColdStartHarness.RunPackaged(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 6, args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 1000);
            return;
        }

        // `route-cost [rules] [rounds] [route]`: CPU time and allocation per proposal of Router.Route and RuleSet.Match (a
        // probe); with `route`, Router.Route alone (a loop to profile with perf).
        if (args is ["route-cost", ..])
        {
            RouteCostProbe.Run(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 1000, args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 5, args is [_, _, _, "route"]);
            return;
        }

        // `peers N M folder` writes the peers' workload as gen.py and gen_dr.py do, to compare the port with the scripts.
        if (args is ["peers", var rules, var proposals, var folder])
        {
            var workload = PeersWorkload.Generate(int.Parse(rules, System.Globalization.CultureInfo.InvariantCulture), int.Parse(proposals, System.Globalization.CultureInfo.InvariantCulture));
            Directory.CreateDirectory(folder);
            File.WriteAllText(Path.Combine(folder, "workflow.json"), workload.RulesEngineWorkflowJson());
            File.WriteAllText(Path.Combine(folder, "proposals.json"), System.Text.Json.JsonSerializer.Serialize(workload.Proposals));
            File.WriteAllText(Path.Combine(folder, "dr-proposals.json"), "[" + string.Join(",", workload.WriteDecisionRouting(folder)) + "]");
            Console.WriteLine($"{workload.Rules.Count} rules, {workload.Proposals.Count} proposals written to {folder}");
            return;
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    }
}
