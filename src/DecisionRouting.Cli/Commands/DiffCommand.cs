using System;
using System.Collections.Generic;
using System.CommandLine;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DecisionRouting.Proposals;
using DecisionRouting.Routing;
using DecisionRouting.RuleSets;

namespace DecisionRouting.Cli.Commands
{
    /// <summary>
    /// <c>diff --old &lt;rules&gt; --new &lt;rules&gt; --proposals &lt;dir&gt;</c>: the impact of a rule change. Routes
    /// every proposal of a register under both rule sets and reports, per proposal, what changed in its plan (see
    /// <see cref="PlanComparison"/>), and which proposals could not be routed under one side or both, and why.
    /// Exit 0 when no plan changed, 1 when some did, 2 for bad input (including any proposal that is invalid or could
    /// not be routed under either rule set: the report is still written).
    /// </summary>
    internal static class DiffCommand
    {
        public static Command Create(CliOutput output)
        {
            var old = new Option<string>("--old") { Description = "The rule set before the change: a folder, baseline:england, or git:<rev> (the --new folder as it was at that git revision; git:<rev>:<path> names another path).", Required = true };
            var current = new Option<string>("--new") { Description = "The rule set after the change: a folder, baseline:england, or git:<rev> (the --old folder at that revision).", Required = true };
            var proposals = new Option<string>("--proposals") { Description = "The register: a folder of proposal JSON files (every *.json directly inside it), read as route-batch reads it.", Required = true };
            var format = new Option<string>("--format") { Description = "text for people, json for programs (schemas/diff.schema.json), markdown for a pull-request comment.", DefaultValueFactory = _ => "text" };
            format.AcceptOnlyFromAmong("text", "json", "markdown");
            var target = new Option<string?>("--output") { Description = "Write the report to this file instead of standard output." };
            var progress = new Option<bool>("--progress") { Description = "Show progress on standard error even when it is not a terminal (it is shown on a terminal anyway)." };
            var routing = new RoutingArguments();
            var command = new Command("diff", "The impact of a rule change: route a register of proposals under the old and the new rule set and report every plan that changes.");
            ExitCodes.Document(command, (ExitCodes.Success, "no plan changed"), (ExitCodes.ValidationErrors, "some plan changed (or failed to route under one rule set only)"));
            command.Options.Add(old);
            command.Options.Add(current);
            command.Options.Add(proposals);
            command.Options.Add(format);
            command.Options.Add(target);
            command.Options.Add(progress);
            command.Options.Add(routing.Today);
            command.Options.Add(routing.Holidays);
            routing.Tree.AddTo(command);
            command.SetAction(parse =>
            {
                var request = new DiffRequest(parse.GetValue(old)!, parse.GetValue(current)!, parse.GetValue(proposals)!, parse.GetValue(format)!, parse.GetValue(target), parse.GetValue(progress) || !Console.IsErrorRedirected);
                return Run(request, routing, parse, output);
            });
            return command;
        }

        private sealed record DiffRequest(string Old, string New, string Proposals, string Format, string? Output, bool Progress);

        private static int Run(DiffRequest request, RoutingArguments routing, ParseResult parse, CliOutput output)
        {
            var exitCode = ExitCodes.Success;
            if (routing.ReadOptions(parse, output, ref exitCode) is not { } options)
            {
                return exitCode;
            }

            if (ProposalRegister.Open(request.Proposals, output, out exitCode) is not { } register)
            {
                return exitCode;
            }

            var tree = routing.Tree.Read(parse);
            var copies = new List<GitRuleTree>();
            try
            {
                if (Side("--old", request.Old, request.New, tree, copies, output, out exitCode) is not { } before
                    || Side("--new", request.New, request.Old, tree, copies, output, out exitCode) is not { } after)
                {
                    return exitCode;
                }

                var entries = Compare(register, before, after, options, request.Progress ? output.Error : null);
                var report = new DiffReport(before, after, request.Proposals, parse.GetValue(routing.Today), entries);
                var text = request.Format switch
                {
                    "json" => DiffReportWriter.Json(report),
                    "markdown" => DiffReportWriter.Markdown(report),
                    _ => DiffReportWriter.Text(report),
                };
                if (request.Output is { } file)
                {
                    OutputFiles.WriteAllText(file, text, $"--output {file}");
                }
                else
                {
                    output.Out.Write(text);
                }

                if (entries.Any(e => e.Status is DiffStatus.Invalid or DiffStatus.NotRouted))
                {
                    return ExitCodes.BadInput;
                }

                return entries.Any(e => e.Status == DiffStatus.Changed) ? ExitCodes.ValidationErrors : ExitCodes.Success;
            }
            finally
            {
                foreach (var copy in copies)
                {
                    copy.Dispose();
                }
            }
        }

        /// <summary>Loads one side: a folder or baseline as given, or a folder at a git revision; or writes why not.</summary>
        private static DiffSide? Side(string option, string value, string other, RuleSetReadOptions tree, List<GitRuleTree> copies, CliOutput output, out int exitCode)
        {
            exitCode = ExitCodes.Success;
            var folder = value;
            var readOptions = tree;
            string? commit = null;
            if (GitRuleTree.Names(value))
            {
                // git:<rev> is the other side's folder at that revision; git:<rev>:<path> names the path. A revision
                // cannot hold ':' before the path (rev:path is git's own syntax for a file, not a commit).
                var spec = value[GitRuleTree.Prefix.Length..];
                var colon = spec.IndexOf(':', StringComparison.Ordinal);
                var revision = colon < 0 ? spec : spec[..colon];
                var path = colon < 0 ? null : spec[(colon + 1)..];
                if (path is null)
                {
                    if (GitRuleTree.Names(other) || RuleSetBaselines.IsReference(other))
                    {
                        exitCode = output.BadInput($"{option} {value}: say which rule-set folder to read at that revision: {option} {value}:<path>");
                        return null;
                    }

                    path = other;
                }

                try
                {
                    var copy = GitRuleTree.Extract(option, revision, path, tree.ExtendsRoot);
                    copies.Add(copy);
                    folder = copy.RuleSet;
                    commit = copy.Commit;
                    readOptions = new RuleSetReadOptions { ExtendsRoot = copy.Root, AllowAbsoluteExtends = tree.AllowAbsoluteExtends, AllowHardLinks = tree.AllowHardLinks, MaxFileBytes = tree.MaxFileBytes };
                }
                catch (GitRuleTreeException e)
                {
                    exitCode = output.BadInput(e.Message);
                    return null;
                }
            }
            else if (!RuleSetFolder.Exists(value))
            {
                exitCode = output.BadInput($"{option} {value}: rule-set folder not found");
                return null;
            }

            var load = RuleSet.TryLoad(folder, readOptions);
            if (load.RuleSet is not { } ruleSet)
            {
                output.WriteDiagnostics(load.Diagnostics.Where(d => d.IsError), output.Error);
                exitCode = output.BadInput($"{option} {value}: the rule set has errors; run 'decision-routing validate' on it for details");
                return null;
            }

            return new DiffSide(value, commit, ruleSet);
        }

        private static DiffEntry[] Compare(ProposalRegister register, DiffSide before, DiffSide after, RoutingOptions options, TextWriter? progress)
        {
            var files = register.Files;
            var entries = new DiffEntry[files.Length];
            var oldRouter = new Router(before.RuleSet, options);
            var newRouter = new Router(after.RuleSet, options);
            var done = 0;
            var shown = -1;
            var gate = new Lock();
            Parallel.For(0, files.Length, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
            {
                entries[i] = CompareOne(register, files[i], oldRouter, newRouter);
                var count = Interlocked.Increment(ref done);
                if (progress is not null)
                {
                    // One line per tenth of the register (and the last), never to standard output, so a report on
                    // stdout or in JSON stays clean.
                    var tenth = count * 10 / files.Length;
                    lock (gate)
                    {
                        if (tenth > shown || count == files.Length)
                        {
                            shown = tenth;
                            progress.WriteLine(Fields.Text($"diff: routed {count} of {files.Length} proposal(s) under both rule sets"));
                        }
                    }
                }
            });
            return entries;
        }

        private static DiffEntry CompareOne(ProposalRegister register, string file, Router oldRouter, Router newRouter)
        {
            var name = Path.GetFileName(file);
            var read = register.Read(file);
            if (read.Proposal is not { } proposal)
            {
                var why = string.Join("; ", read.Diagnostics.Where(d => d.IsError).Select(d => Fields.OneLine(d.ToString())));
                return new DiffEntry(name, null, null, DiffStatus.Invalid, null, null, why, why, null);
            }

            var (oldPlan, oldFailure) = Route(oldRouter, proposal);
            var (newPlan, newFailure) = Route(newRouter, proposal);
            if (oldPlan is null && newPlan is null)
            {
                return new DiffEntry(name, proposal.Id, proposal.Title, DiffStatus.NotRouted, null, null, oldFailure, newFailure, null);
            }

            if (oldPlan is null || newPlan is null)
            {
                return new DiffEntry(name, proposal.Id, proposal.Title, DiffStatus.Changed, oldPlan, newPlan, oldFailure, newFailure, null);
            }

            var difference = PlanComparison.Compare(oldPlan, newPlan);
            return new DiffEntry(name, proposal.Id, proposal.Title, difference.HasChanges ? DiffStatus.Changed : DiffStatus.Unchanged, oldPlan, newPlan, null, null, difference);
        }

        private static (RoutingPlan? Plan, string? Failure) Route(Router router, Proposal proposal)
        {
            try
            {
                return (router.Route(proposal), null);
            }
            catch (InvalidProposalException e)
            {
                return (null, string.Join("; ", e.Diagnostics.Where(d => d.IsError).Select(d => Fields.OneLine(d.ToString()))));
            }
            catch (Exception e) when (e is RoutingTimeBudgetExceededException or RoutingFaultException)
            {
                return (null, Fields.OneLine(e.Message));
            }
        }
    }
}
