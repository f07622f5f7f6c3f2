using System;
using System.Collections.Concurrent;
using System.CommandLine;
using System.Diagnostics;
using System.IO;
using System.Linq;
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

        private static int Run(string folder, string target, RoutingArguments arguments, ParseResult parse, CliOutput output)
        {
            if (!Directory.Exists(folder))
            {
                return output.BadInput($"{folder}: proposals folder not found");
            }

            if (arguments.ReadRuleSet(parse, output, out var exitCode) is not { } loaded)
            {
                return exitCode;
            }

            // Both folders are resolved once, not per file: the register's real path, and the full path plans are
            // written under (a relative one costs a getcwd(2) per write).
            if (ProposalRegister.Open(folder, output, out exitCode) is not { } batch)
            {
                return exitCode;
            }

            var files = batch.Files;
            CliPaths.Guard($"--output {target}", () => Directory.CreateDirectory(target));
            var targetPath = Path.GetFullPath(target);
            var router = new Router(loaded.RuleSet, loaded.Options);
            var invalid = new ConcurrentBag<(string File, RuleDiagnostic[] Diagnostics)>();
            var failed = new ConcurrentBag<(string File, string Message)>();
            var incomplete = new ConcurrentBag<(string File, RoutingPlan Plan)>();
            int routed = 0, withWarnings = 0;
            var timer = Stopwatch.StartNew();
            Parallel.ForEach(files, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, file =>
            {
                var read = batch.Read(file);
                if (read.Proposal is not { } proposal)
                {
                    invalid.Add((file, read.Diagnostics.ToArray()));
                    return;
                }

                try
                {
                    var plan = router.Route(proposal);
                    var name = Path.GetFileNameWithoutExtension(file) + ".plan.json";
                    OutputFiles.WriteAllText(Path.Combine(targetPath, name), DecisionRoutingJson.Write(plan) + "\n", Path.Combine(target, name));
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
            });
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

            if (!invalid.IsEmpty || !failed.IsEmpty)
            {
                return ExitCodes.BadInput;
            }

            return incomplete.IsEmpty ? ExitCodes.Success : ExitCodes.IncompletePlan;
        }
    }
}
