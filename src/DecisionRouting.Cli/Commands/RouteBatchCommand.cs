using System;
using System.Buffers;
using System.Collections.Concurrent;
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using DecisionRouting.Diagnostics;
using DecisionRouting.Proposals;
using DecisionRouting.Routing;
using DecisionRouting.Serialization;

namespace DecisionRouting.Cli.Commands
{
    /// <summary>
    /// <c>route-batch &lt;proposals-dir&gt; --rules &lt;dir&gt; [--output &lt;dir&gt;]</c>: routes a whole register on every
    /// core, writing one JSON plan per proposal. Invalid proposals are reported and skipped; the rest are routed.
    /// Incomplete plans are written too, counted and listed in the summary; the exit code is 2 when any proposal is
    /// invalid or not routed, otherwise 5 when any plan is incomplete, otherwise 0.
    /// </summary>
    internal static class RouteBatchCommand
    {
        public static Command Create(CliOutput output)
        {
            var proposals = new Argument<string>("proposals") { Description = "A folder of proposal JSON files (every *.json directly inside it)." };
            var rules = new RoutingArguments();
            var target = new Option<string>("--output") { Description = "Where to write the plans, one <proposal-file>.plan.json each.", DefaultValueFactory = _ => "plans" };
            var command = new Command("route-batch", "Route every proposal in a folder on all cores; write one JSON plan each and print a summary.");
            ExitCodes.Document(command, (ExitCodes.Success, "every plan is complete"), (ExitCodes.IncompletePlan, "some plan is incomplete and no proposal was invalid; every plan was written"));
            command.Arguments.Add(proposals);
            rules.AddTo(command, withProposal: false);
            command.Options.Add(target);
            command.SetAction(parse => Run(parse.GetValue(proposals)!, parse.GetValue(target)!, rules, parse, output));
            return command;
        }

        /// <summary>
        /// Proposals read ahead while the rule set loads, at most. A parsed proposal keeps about 2 KB (the heap held 17 MB
        /// after 9,066 of the samples), so this bound keeps the read-ahead to some 30 MB however large the register; a
        /// cold load of rules/england reads about 9,000 on a second core before it finishes.
        /// </summary>
        private const int MaxReadAhead = 16384;

        /// <summary>
        /// How many proposals to read while the rule set loads: on one core none, because the reads and the load would
        /// share that core and the reads would only be done sooner at the load's expense (and in code the JIT has not yet
        /// optimised); with more, as many as the load leaves time for, up to <see cref="MaxReadAhead"/>, so the second
        /// core does the register's reading instead of waiting for the first plan.
        /// </summary>
        internal static int ReadAheadLimit(int proposals, int processors) => processors > 1 ? Math.Min(proposals, MaxReadAhead) : 0;

        /// <summary>
        /// Set to 1 to print, on standard error after the summary, where the batch's time went: the load, the routing
        /// phase, the garbage collector's counts and pauses, and the JIT's (issue 17). Standard output is unchanged.
        /// </summary>
        internal const string StatsVariable = "DECISION_ROUTING_BATCH_STATS";

        private static int Run(string folder, string target, RoutingArguments arguments, ParseResult parse, CliOutput output)
        {
            if (!Directory.Exists(folder))
            {
                return output.BadInput($"{folder}: proposals folder not found");
            }

            var clock = Stopwatch.StartNew();

            // The rule set loads on another thread while this one opens the register and reads the first proposals: on
            // two cores the loader's start-up is no longer a serial part before the first route. Nothing is written
            // until the rule set has loaded; its errors are reported first and alone, as when the two ran in turn.
            var loading = Task.Run(() => (Loaded: arguments.ReadRuleSet(parse, output, out var code), ExitCode: code));

            // Both folders are resolved once, not per file: the register's real path, and the full path plans are
            // written under (a relative one costs a getcwd(2) per write).
            var batch = ProposalRegister.TryOpen(folder, out var refusal);
            var files = batch?.Files ?? [];
            var readAhead = new ProposalReadResult?[files.Length];
            var readyAhead = 0;
            while (batch is not null && readyAhead < ReadAheadLimit(files.Length, Environment.ProcessorCount) && !loading.IsCompleted)
            {
                readAhead[readyAhead] = batch.Read(files[readyAhead]);
                readyAhead++;
            }

            var (result, exitCode) = loading.GetAwaiter().GetResult();
            if (result is not { } loaded)
            {
                return exitCode;
            }

            if (batch is null)
            {
                return output.BadInput(refusal!);
            }

            var loadMilliseconds = clock.ElapsedMilliseconds;
            CliPaths.Guard($"--output {target}", () => Directory.CreateDirectory(target));
            var targetPath = Path.GetFullPath(target);
            var router = new Router(loaded.RuleSet, loaded.Options);
            var invalid = new ConcurrentBag<(string File, RuleDiagnostic[] Diagnostics)>();
            var failed = new ConcurrentBag<(string File, string Message)>();
            var incomplete = new ConcurrentBag<(string File, RoutingPlan Plan)>();
            int routed = 0, withWarnings = 0;
            var stats = Environment.GetEnvironmentVariable(StatsVariable) == "1";
            var allocated = new long[3];
            var timer = Stopwatch.StartNew();
            Parallel.For(0, files.Length, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, () => new PlanWriter(), (index, _, writer) =>
            {
                var file = files[index];
                var before = stats ? GC.GetAllocatedBytesForCurrentThread() : 0;
                var read = index < readyAhead ? readAhead[index]! : batch.Read(file);
                readAhead[index] = null;
                before = Count(stats, allocated, 0, before);
                if (read.Proposal is not { } proposal)
                {
                    invalid.Add((file, read.Diagnostics.ToArray()));
                    return writer;
                }

                try
                {
                    var plan = router.Route(proposal);
                    before = Count(stats, allocated, 1, before);
                    var name = Path.GetFileNameWithoutExtension(file) + ".plan.json";
                    writer.Write(plan, Path.Combine(targetPath, name), Path.Combine(target, name));
                    Count(stats, allocated, 2, before);
                    System.Threading.Interlocked.Increment(ref routed);
                    if (plan.Warnings.Count > 0)
                    {
                        System.Threading.Interlocked.Increment(ref withWarnings);
                    }

                    if (!plan.IsComplete)
                    {
                        incomplete.Add((file, plan));
                    }
                }
                catch (InvalidProposalException e)
                {
                    invalid.Add((file, e.Diagnostics.ToArray()));
                }
                catch (Exception e) when (e is RoutingTimeBudgetExceededException or RoutingFaultException or IOException or UnauthorizedAccessException)
                {
                    failed.Add((file, e.Message));
                }

                return writer;
            }, _ => { });
            timer.Stop();

            foreach (var (_, diagnostics) in invalid.OrderBy(i => i.File, StringComparer.Ordinal))
            {
                output.WriteDiagnostics(diagnostics, output.Error);
            }

            foreach (var (file, message) in failed.OrderBy(f => f.File, StringComparer.Ordinal))
            {
                output.Error.WriteLine(Fields.Text($"{file}: {message}"));
            }

            output.Out.WriteLine(Fields.Text($"Routed {routed} of {files.Length} proposal(s) with rule set '{loaded.RuleSet.Name}' ({loaded.RuleSet.Hash[..12]}) on {Environment.ProcessorCount} core(s) in {timer.ElapsedMilliseconds} ms."));
            output.Out.WriteLine(Fields.Text($"  {routed} plan(s) written to {target}; {incomplete.Count} INCOMPLETE; {withWarnings} with warnings; {invalid.Count} invalid proposal(s); {failed.Count} not routed."));
            foreach (var (file, plan) in incomplete.OrderBy(i => i.File, StringComparer.Ordinal))
            {
                var undecided = plan.Incomplete.Count(r => r.Kind == IncompleteRuleKind.Undecided);
                output.Out.WriteLine(Fields.Text($"  incomplete: {Path.GetFileName(file)}: {undecided} rule(s) undecided, {plan.Incomplete.Count - undecided} not evaluated ({string.Join(", ", plan.Incomplete.Select(r => r.Rule))})"));
            }

            if (stats)
            {
                WriteStats(output, loadMilliseconds, readyAhead, timer.ElapsedMilliseconds);
                var each = Math.Max(1, files.Length);
                output.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"stats: allocated per proposal by the workers: reading {allocated[0] / each} B, routing {allocated[1] / each} B, writing {allocated[2] / each} B (proposals read ahead not counted)"));
            }

            if (!invalid.IsEmpty || !failed.IsEmpty)
            {
                return ExitCodes.BadInput;
            }

            return incomplete.IsEmpty ? ExitCodes.Success : ExitCodes.IncompletePlan;
        }

        /// <summary>Adds what this thread allocated since <paramref name="before"/> to phase <paramref name="phase"/>; returns the new mark.</summary>
        private static long Count(bool stats, long[] allocated, int phase, long before)
        {
            if (!stats)
            {
                return 0;
            }

            var now = GC.GetAllocatedBytesForCurrentThread();
            System.Threading.Interlocked.Add(ref allocated[phase], now - before);
            return now;
        }

        /// <summary>The diagnostic lines of <see cref="StatsVariable"/>: process-wide figures, on standard error.</summary>
        private static void WriteStats(CliOutput output, long loadMilliseconds, int readAhead, long routingMilliseconds)
        {
            using var process = Process.GetCurrentProcess();
            output.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"stats: rule set loaded after {loadMilliseconds} ms, {readAhead} proposal(s) read meanwhile; routing phase {routingMilliseconds} ms"));
            output.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"stats: CPU {process.UserProcessorTime.TotalMilliseconds:F0} ms user, {process.PrivilegedProcessorTime.TotalMilliseconds:F0} ms system; allocated {GC.GetTotalAllocatedBytes() / (1024 * 1024)} MB"));
            output.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"stats: GC collections gen0 {GC.CollectionCount(0)}, gen1 {GC.CollectionCount(1)}, gen2 {GC.CollectionCount(2)}; paused {GC.GetTotalPauseDuration().TotalMilliseconds:F0} ms; server GC {System.Runtime.GCSettings.IsServerGC}"));
            output.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"stats: JIT {System.Runtime.JitInfo.GetCompiledMethodCount()} method(s), {System.Runtime.JitInfo.GetCompilationTime().TotalMilliseconds:F0} ms"));
        }

        /// <summary>
        /// One worker's means of writing plans: a buffer and a JSON writer reset for each plan, so a plan is serialised
        /// straight to UTF-8 without becoming a string, a copy of its bytes and a file buffer (issue 17: allocation per
        /// proposal is what makes the garbage collector stop both workers).
        /// </summary>
        private sealed class PlanWriter
        {
            private readonly ArrayBufferWriter<byte> _buffer = new(64 * 1024);

            private readonly Utf8JsonWriter _json;

            public PlanWriter() => _json = new Utf8JsonWriter(_buffer, DecisionRoutingJson.IndentedWriterOptions);

            /// <summary>Writes the plan and a final line feed to <paramref name="path"/> through <see cref="OutputFiles"/>.</summary>
            public void Write(RoutingPlan plan, string path, string concerning)
            {
                _buffer.ResetWrittenCount();
                _json.Reset(_buffer);
                DecisionRoutingJson.Write(plan, _json);
                _buffer.GetSpan(1)[0] = (byte)'\n';
                _buffer.Advance(1);
                OutputFiles.WriteAllBytes(path, _buffer.WrittenSpan, concerning);
            }
        }
    }
}
