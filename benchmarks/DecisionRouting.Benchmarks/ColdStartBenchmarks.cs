using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using DecisionRouting.Benchmarks.ColdStart;
using DecisionRouting.Proposals;
using DecisionRouting.Routing;
using DecisionRouting.RuleSets;
using RulesEngine.Models;

namespace DecisionRouting.Benchmarks;

/// <summary>
/// Start-up on the peers' 1,000 rules, to the first result, in a warm process (not a fresh one): ours loads the rule set
/// (read, validate, compile) and routes one proposal; the baseline deserialises the peers' workflow, builds RulesEngine
/// and runs it once, which is when RulesEngine compiles. The claim is measured in fresh processes by
/// <see cref="ColdStartHarness"/>; this class shows the cost once the runtime and both libraries are jitted.
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

/// <summary>
/// Cold start in fresh processes: <c>dotnet run -c Release --project benchmarks/DecisionRouting.Benchmarks -- cold 10 1000</c>.
/// Writes the peers' workload (N rules) once, then starts a new process per engine and launch, alternating which engine
/// goes first. Each child has loaded neither library: it times from its first line of work to the first result, so the
/// figure includes loading the assemblies, type loading, every JIT compilation, reading the files and compiling the rules.
/// RulesEngine reads <c>workflow.json</c> and the proposal with System.Text.Json, is constructed and executes once (it
/// compiles on first execution); ours runs <see cref="RuleSet.Load(string)"/>, reads the proposal with
/// <see cref="ProposalReader"/> and calls <see cref="Router.Route"/> once. Both children print wall time, CPU time (every
/// thread, so parallel compilation counts in full) and bytes allocated (<see cref="GC.GetTotalAllocatedBytes(bool)"/>,
/// every thread), and the number of rules matched, which must agree. Each child also reports, at the clock's stop, the
/// time the JIT spent compiling and the methods it compiled since the process began
/// (<see cref="System.Runtime.JitInfo.GetCompilationTime(bool)"/>, every thread; it is elapsed time inside the JIT, not
/// CPU time, so on a loaded machine it includes time the thread waited for a core and can exceed the CPU column), and ours the wall time and JIT time of
/// each stage: <see cref="RuleSet.Load(string)"/>, the proposal's read, the router's construction and the first route.
/// These are read after the clock stops and change nothing it measures. BenchmarkDotNet's <c>RunStrategy.ColdStart</c>
/// would also start a process per launch, but its own build of the boilerplate outlasts its timeout on the shared machine.
/// </summary>
public static class ColdStartHarness
{
    /// <summary>The parent: writes the workload, runs <paramref name="launches"/> pairs of children, prints medians and ratios.</summary>
    public static void Run(int launches, int rules)
    {
        var directory = WriteWorkload(rules);
        Compare(launches, rules, directory, engine => Launch(engine, directory, null));
    }

    /// <summary>The peers' workload of <paramref name="rules"/> rules and its first proposal, for both engines.</summary>
    private static string WriteWorkload(int rules)
    {
        var workload = PeersWorkload.Generate(rules, 1);
        var directory = Path.Combine(Path.GetTempPath(), "dr-bench", $"cold-{rules}-{Guid.NewGuid():N}");
        var proposals = workload.WriteDecisionRouting(directory);
        File.WriteAllText(Path.Combine(directory, "workflow.json"), workload.RulesEngineWorkflowJson());
        File.WriteAllText(Path.Combine(directory, "peer-proposal.json"), System.Text.Json.JsonSerializer.Serialize(workload.Proposals[0]));
        File.WriteAllText(Path.Combine(directory, "dr-proposal.json"), proposals[0]);
        return directory;
    }

    /// <summary>Runs <paramref name="launches"/> pairs of children, alternating which engine goes first; prints medians and ratios.</summary>
    private static void Compare(int launches, int rules, string directory, Func<string, Sample> start)
    {
        var samples = new Dictionary<string, List<Sample>> { ["re"] = new(), ["dr"] = new() };
        for (var launch = 0; launch < launches; launch++)
        {
            foreach (var engine in launch % 2 == 0 ? new[] { "re", "dr" } : new[] { "dr", "re" })
            {
                var sample = start(engine);
                samples[engine].Add(sample);
                Console.WriteLine(FormattableString.Invariant($"// launch {launch} {engine}: {sample.WallMs:F1} ms wall, {sample.CpuMs:F1} ms CPU, {sample.Allocated:N0} B, process {sample.ProcessMs:F1} ms, JIT {sample.JitMs:F1} ms for {sample.JitMethods} methods, {sample.Matched} matched{sample.Stages}{sample.LoadedFrom}"));
            }
        }

        if (samples["re"].Concat(samples["dr"]).Select(s => s.Matched).Distinct().Count() != 1)
        {
            throw new InvalidOperationException("The engines matched different numbers of rules for the first proposal.");
        }

        Console.WriteLine(FormattableString.Invariant($"Cold start, {rules} rules, {launches} fresh processes per engine (medians):"));
        Console.WriteLine("| engine | wall ms | CPU ms | allocated B | whole process ms | JIT ms (whole process, to the clock's stop) | methods jitted |");
        Console.WriteLine("|---|---|---|---|---|---|---|");
        foreach (var (engine, name) in new[] { ("re", "RulesEngine 6.0.1: construct + first execution"), ("dr", "RuleSet.Load + first Router.Route") })
        {
            var s = samples[engine];
            Console.WriteLine(FormattableString.Invariant($"| {name} | {Median(s, x => x.WallMs):F1} | {Median(s, x => x.CpuMs):F1} | {Median(s, x => x.Allocated):N0} | {Median(s, x => x.ProcessMs):F1} | {Median(s, x => x.JitMs):F1} | {Median(s, x => x.JitMethods):F0} |"));
        }

        double Ratio(Func<Sample, double> of) => Median(samples["dr"], of) / Median(samples["re"], of);
        Console.WriteLine(FormattableString.Invariant($"Ours ÷ RulesEngine: wall {Ratio(x => x.WallMs):F2}, CPU {Ratio(x => x.CpuMs):F2}, allocated {Ratio(x => x.Allocated):F2}, whole process {Ratio(x => x.ProcessMs):F2}, JIT time {Ratio(x => x.JitMs):F2}"));
    }

    /// <summary>
    /// The same comparison as a user who runs <c>dotnet add package</c> gets it:
    /// <c>dotnet run -c Release --project benchmarks/DecisionRouting.Benchmarks -- cold-package 6 1000</c>. Packs
    /// <c>src/DecisionRouting</c> (Release, with its ReadyToRun copies) into a folder feed, then builds two fresh apps from
    /// <c>benchmarks/cold-consumer/Program.cs</c>: one referencing the packed DecisionRouting from that feed, one
    /// referencing RulesEngine 6.0.1 from NuGet, both restored into a packages folder of their own (the user's NuGet
    /// cache is read, never written). Neither app is published or given a runtime identifier. Children alternate as in
    /// <see cref="Run"/>, and each prints where its engine's assembly was loaded from. <c>COLD_PACKAGE_R2R=false</c>
    /// packs IL only (<c>-p:DecisionRoutingReadyToRun=false</c>), the package as it was before, for a before/after.
    /// </summary>
    public static void RunPackaged(int launches, int rules)
    {
        var directory = WriteWorkload(rules);
        var repository = RepositoryRoot();
        var root = Path.Combine(Path.GetTempPath(), "dr-bench", $"cold-package-{Guid.NewGuid():N}");
        var feed = Path.Combine(root, "feed");
        var packages = Path.Combine(root, "packages");
        var version = FormattableString.Invariant($"0.1.0-cold.{DateTime.UtcNow:yyyyMMddHHmmss}");
        var readyToRun = Environment.GetEnvironmentVariable("COLD_PACKAGE_R2R") is { Length: > 0 } set ? set : string.Empty;
        var packArgs = new List<string> { "pack", Path.Combine(repository, "src", "DecisionRouting"), "-c", "Release", "-o", feed, $"-p:Version={version}", $"-p:MinVerVersionOverride={version}", "-nologo", "-clp:NoSummary" };
        if (readyToRun.Length > 0)
        {
            packArgs.Add($"-p:DecisionRoutingReadyToRun={readyToRun}");
        }

        var packing = Stopwatch.StartNew();
        Dotnet(repository, null, packArgs);
        Console.WriteLine(FormattableString.Invariant($"// packed DecisionRouting {version} in {packing.Elapsed.TotalSeconds:F1} s{(readyToRun.Length > 0 ? $" (DecisionRoutingReadyToRun={readyToRun})" : string.Empty)}"));

        var apps = new Dictionary<string, string>
        {
            ["dr"] = ConsumerApp(root, "dr", repository, $"<PackageReference Include=\"DecisionRouting\" Version=\"{version}\" />", feed, packages),
            ["re"] = ConsumerApp(root, "re", repository, "<PackageReference Include=\"RulesEngine\" Version=\"6.0.1\" />", null, packages),
        };
        using (var deps = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.ChangeExtension(apps["dr"], ".deps.json"))))
        {
            var library = deps.RootElement.GetProperty("targets").EnumerateObject().First().Value.EnumerateObject().First(l => l.Name.StartsWith("DecisionRouting/", StringComparison.Ordinal)).Value;
            var targets = library.TryGetProperty("runtimeTargets", out var found) ? string.Join(", ", found.EnumerateObject().Select(t => t.Name)) : "none";
            Console.WriteLine($"// consumer deps.json: DecisionRouting runtimeTargets: {targets}");
        }

        Compare(launches, rules, directory, engine => Launch(engine, directory, apps[engine]));
    }

    /// <summary>A fresh console app in <paramref name="root"/>/<paramref name="name"/>, built Release; returns its DLL.</summary>
    private static string ConsumerApp(string root, string name, string repository, string reference, string? feed, string packages)
    {
        var folder = Path.Combine(root, name);
        Directory.CreateDirectory(folder);
        foreach (var source in new[] { "Program.cs", "ColdChild.cs", "PeerProposal.cs" })
        {
            File.Copy(Path.Combine(repository, "benchmarks", "cold-consumer", source), Path.Combine(folder, source));
        }

        File.WriteAllText(Path.Combine(folder, $"cold-{name}.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <DefineConstants>$(DefineConstants){(name == "dr" ? ";DECISION_ROUTING" : string.Empty)}</DefineConstants>
              </PropertyGroup>
              <ItemGroup>
                {reference}
              </ItemGroup>
            </Project>
            """);
        if (feed is not null)
        {
            File.WriteAllText(Path.Combine(folder, "nuget.config"), $"""
                <configuration>
                  <packageSources>
                    <add key="cold-package" value="{feed}" />
                  </packageSources>
                </configuration>
                """);
        }

        Dotnet(folder, packages, new[] { "build", "-c", "Release", "-nologo", "-clp:NoSummary", "-o", Path.Combine(folder, "out") });
        return Path.Combine(folder, "out", $"cold-{name}.dll");
    }

    private static void Dotnet(string directory, string? packages, IEnumerable<string> args)
    {
        var info = new ProcessStartInfo("dotnet") { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        if (packages is not null)
        {
            // Restores land in a folder of this run's own; the user's cache is read as a fallback folder, not written.
            info.Environment["NUGET_PACKAGES"] = packages;
            info.Environment["RestoreAdditionalProjectFallbackFolders"] = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } user
                ? user
                : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"dotnet {string.Join(" ", args)} failed in {directory}:\n{output.Result}{error.Result}");
        }
    }

    private static string RepositoryRoot() =>
        typeof(ColdStartHarness).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyMetadataAttribute), false)
            .Cast<System.Reflection.AssemblyMetadataAttribute>().Single(a => a.Key == "RepositoryRoot").Value!;

    /// <summary>The child: one engine, from nothing to its first result. Prints one line the parent reads.</summary>
    public static void Child(string engine, string directory) =>
        ColdChild.Measure(stages => (engine == "re" ? RulesEngineFirst(directory) : DecisionRoutingFirst(directory, stages), null));

    /// <summary>One engine's start, from nothing to its first result, without the clock (for <see cref="ColdJitCensus"/>).</summary>
    internal static int Start(string engine, string directory) => engine == "re" ? RulesEngineFirst(directory) : DecisionRoutingFirst(directory, new StageClock());

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int RulesEngineFirst(string directory)
    {
        var workflows = System.Text.Json.JsonSerializer.Deserialize<Workflow[]>(File.ReadAllText(Path.Combine(directory, "workflow.json")))!;
        var proposal = System.Text.Json.JsonSerializer.Deserialize<PeerProposal>(File.ReadAllText(Path.Combine(directory, "peer-proposal.json")))!;
        var engine = new RulesEngine.RulesEngine(workflows);
        return engine.ExecuteAllRulesAsync("bench", proposal).AsTask().GetAwaiter().GetResult().Count(r => r.IsSuccess);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int DecisionRoutingFirst(string directory, StageClock stages)
    {
        var ruleSet = RuleSet.Load(Path.Combine(directory, "dr-meta"));
        stages.Mark("load");
        var path = Path.Combine(directory, "dr-proposal.json");
        var proposal = ProposalReader.Read(path, File.ReadAllText(path)).Proposal ?? throw new InvalidOperationException("the proposal did not read");
        stages.Mark("read");
        var router = new Router(ruleSet);
        stages.Mark("router");
        var matched = router.Route(proposal).MatchedRules.Count;
        stages.Mark("route");
        return matched;
    }

    /// <summary>One child: this assembly's <c>cold-once</c>, or, given <paramref name="app"/>, a consumer app built by <see cref="RunPackaged"/>.</summary>
    private static Sample Launch(string engine, string directory, string? app)
    {
        var host = app is null ? Environment.ProcessPath ?? "dotnet" : "dotnet";
        var info = new ProcessStartInfo(host) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (app is not null)
        {
            info.ArgumentList.Add(app);
        }
        else
        {
            if (Path.GetFileNameWithoutExtension(host) == "dotnet")
            {
                info.ArgumentList.Add(typeof(ColdStartHarness).Assembly.Location);
            }

            info.ArgumentList.Add("cold-once");
            info.ArgumentList.Add(engine);
        }

        info.ArgumentList.Add(directory);
        var started = Stopwatch.GetTimestamp();
        using var process = Process.Start(info) ?? throw new InvalidOperationException("the child did not start");
        var output = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        var whole = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"the {engine} child failed ({process.ExitCode}): {output}{error}");
        }

        var fields = output.Trim().Split('\n')[^1].Split(' ');
        return new Sample(
            double.Parse(fields[0], CultureInfo.InvariantCulture),
            double.Parse(fields[1], CultureInfo.InvariantCulture),
            long.Parse(fields[2], CultureInfo.InvariantCulture),
            int.Parse(fields[3], CultureInfo.InvariantCulture),
            whole,
            double.Parse(fields[4], CultureInfo.InvariantCulture),
            long.Parse(fields[5], CultureInfo.InvariantCulture),
            fields.Length > 6 && fields[6].Length > 1 ? " (stage=wall/JIT ms: " + fields[6] + ")" : string.Empty,
            fields.Length > 7 ? ", from " + fields[7] : string.Empty);
    }

    private static double Median(List<Sample> samples, Func<Sample, double> of)
    {
        var sorted = samples.Select(of).OrderBy(x => x).ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private sealed record Sample(double WallMs, double CpuMs, long Allocated, int Matched, double ProcessMs, double JitMs, long JitMethods, string Stages, string LoadedFrom);
}

/// <summary>
/// Where the JIT's work goes in a cold start (a diagnostic, not a measurement):
/// <c>dotnet run -c Release --project benchmarks/DecisionRouting.Benchmarks -- cold-jit dr|re &lt;workload folder&gt;</c>,
/// with a folder the <c>cold</c> harness wrote. Listens to the runtime's <c>MethodJittingStarted</c> events while one
/// engine starts as in <see cref="ColdStartHarness"/>, and prints the methods jitted by namespace (the type's name up to
/// its second dot, generic arguments dropped). The listener itself costs time, so no time is printed.
/// </summary>
public static class ColdJitCensus
{
    /// <summary>Runs one engine's cold start under the listener and prints the census.</summary>
    public static void Run(string engine, string directory)
    {
        using var listener = new JitListener();
        var matched = ColdStartHarness.Start(engine, directory);
        var byNamespace = listener.Methods.ToArray()
            .GroupBy(m => Namespace(m))
            .Select(g => (Name: g.Key, Count: g.Count()))
            .OrderByDescending(g => g.Count)
            .ToList();
        Console.WriteLine(FormattableString.Invariant($"{engine}: {listener.Methods.Count} methods jitted, {matched} matched; by namespace:"));
        foreach (var (name, count) in byNamespace.Take(30))
        {
            Console.WriteLine(FormattableString.Invariant($"  {count,5} {name}"));
        }
    }

    private static string Namespace(string type)
    {
        var cut = type.IndexOfAny(['`', '[', '<', '+']);
        var name = cut >= 0 ? type[..cut] : type;
        var first = name.IndexOf('.', StringComparison.Ordinal);
        var second = first >= 0 ? name.IndexOf('.', first + 1) : -1;
        return second >= 0 ? name[..second] : name;
    }

    private sealed class JitListener : System.Diagnostics.Tracing.EventListener
    {
        private readonly HashSet<string> _stacks = new();

        public System.Collections.Concurrent.ConcurrentQueue<string> Methods { get; } = new();

        protected override void OnEventSourceCreated(System.Diagnostics.Tracing.EventSource eventSource)
        {
            if (eventSource.Name == "Microsoft-Windows-DotNETRuntime")
            {
                EnableEvents(eventSource, System.Diagnostics.Tracing.EventLevel.Verbose, (System.Diagnostics.Tracing.EventKeywords)0x10);
            }
        }

        protected override void OnEventWritten(System.Diagnostics.Tracing.EventWrittenEventArgs eventData)
        {
            if (eventData.EventName == "MethodJittingStarted_V1" || eventData.EventName == "MethodJittingStarted")
            {
                var index = eventData.PayloadNames?.IndexOf("MethodNamespace") ?? -1;
                var type = index >= 0 ? eventData.Payload?[index]?.ToString() ?? "?" : "?";
                Methods.Enqueue(type);

                // COLD_JIT_STACK=prefix: who first needs a namespace (the JIT event is raised on the thread that needs it).
                if (Environment.GetEnvironmentVariable("COLD_JIT_STACK") is { Length: > 0 } prefix && type.StartsWith(prefix, StringComparison.Ordinal) && _stacks.Add(prefix))
                {
                    Console.WriteLine($"first {prefix} method ({type}), needed by:{Environment.NewLine}{Environment.StackTrace}");
                }
            }
        }
    }
}
