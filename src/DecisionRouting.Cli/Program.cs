using System;
using System.CommandLine;
using System.IO;
using DecisionRouting.Cli.Commands;

namespace DecisionRouting.Cli
{
    /// <summary>The <c>decision-routing</c> command line.</summary>
    public static class Program
    {
        /// <summary>Entry point.</summary>
        public static int Main(string[] args)
        {
            // Running out of memory must end in one line and exit 2, never in the runtime's own abort: the runtime's
            // threads make their first allocations now, on an empty heap (HeapLimit says why).
            // OutOfMemoryFaultTests.Running_out_of_memory_on_one_core_is_exit_2_every_time holds it.
            DecisionRouting.Routing.HeapLimit.PrepareProcess();
            return Run(args, Console.Out, Console.Error);
        }

        /// <summary>Runs the CLI with the given output writers, so tests can capture them.</summary>
        public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
        {
            // Everything any command writes, results and diagnostics alike, goes through the one terminal-safe writer.
            // A failed write to stdout (a full disk, a device that refuses) is reported like any other output failure.
            var namedOut = new NamedOutput(stdout, "standard output");
            var safeOut = new TerminalSafeWriter(namedOut);
            var safeError = new TerminalSafeWriter(stderr);
            var exit = RunSafely(args, safeOut, safeError);
            try
            {
                safeOut.Flush();
            }
            catch (UserIOException e)
            {
                exit = ReportOutputFailure(e, safeError);
            }

            try
            {
                safeError.Flush();
            }
            catch (IOException)
            {
                // Nowhere left to say it; the exit code still does.
            }

            return exit;
        }

        private static int ReportOutputFailure(IOException e, TextWriter stderr)
        {
            try
            {
                stderr.WriteLine(Fields.Text($"decision-routing: {e.Message}"));
            }
            catch (IOException)
            {
                // stderr is gone too: the exit code is all that is left to say it.
            }

            return ExitCodes.BadInput;
        }

        private static int RunSafely(string[] args, TextWriter stdout, TextWriter stderr)
        {
            var root = new RootCommand("decision-routing: route council–NHS integration proposals through the sign-offs their governance rules require.");
            var console = new CliOutput(stdout, stderr);
            root.Subcommands.Add(ValidateCommand.Create(console));
            root.Subcommands.Add(RouteCommand.Create(console));
            root.Subcommands.Add(RouteBatchCommand.Create(console));
            root.Subcommands.Add(ExplainCommand.Create(console));
            root.Subcommands.Add(CatalogueCommand.Create(console));
            root.Subcommands.Add(ProposalCommand.Create(console));
            root.Subcommands.Add(AuditCommand.Create(console));
            root.Subcommands.Add(ForwardPlanCommand.Create(console));
            root.Subcommands.Add(NoticeCommand.Create(console));
            root.Subcommands.Add(DiffCommand.Create(console));
            root.Subcommands.Add(NewCommand.Create(console));
            root.Subcommands.Add(AnalyseCommand.Create(console));
            ExitCodes.Document(
                root,
                (ExitCodes.Success, "success"),
                (ExitCodes.ValidationErrors, "errors in the rule files (validate, catalogue), a refused trigger (proposal fire), a tampered audit trail or case store, a rule change that changes some plan (diff)"),
                (ExitCodes.Conflict, "proposal fire: someone else changed the case at the same moment; nothing saved, run it again"),
                (ExitCodes.IncompletePlan, "the plan is incomplete or contradicts itself (route, route-batch, explain, proposal create); a forward plan or decision notice lacking a statutory content (forward-plan, notice)"));
            ExitCodes.ShowInHelp(root);

            CliPaths.ValidatePathValues(root);
            var parse = root.Parse(args);
            if (parse.Errors.Count > 0)
            {
                foreach (var error in parse.Errors)
                {
                    stderr.WriteLine(Fields.Text($"decision-routing: {error.Message}"));
                }

                stderr.WriteLine("Run 'decision-routing --help' for usage.");
                return ExitCodes.BadInput;
            }

            try
            {
                return parse.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false });
            }
            catch (Exception e) when (DecisionRouting.Routing.RoutingFaultException.IsFault(e))
            {
                // Out of memory or stack while loading, compiling, routing or explaining, however the runtime wrapped
                // it (parallel loops, lazy values, reflection): the input asks for more than the host can give.
                var fault = DecisionRouting.Routing.RoutingFaultException.ForCommand(args.Length > 0 ? args[0] : "decision-routing", e);
                stderr.WriteLine($"decision-routing: {fault.Message}");
                return ExitCodes.BadInput;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // A file or folder the user named, or an output, could not be read or written: their input or their
                // file system, not our fault. Where a command knows which option it concerns it says so (UserIOException);
                // otherwise the runtime's message names the path.
                return ReportOutputFailure(e as IOException ?? new IOException(e.Message, e), stderr);
            }
            catch (Exception e)
            {
                // User mistakes are handled where they arise; anything reaching here is our fault.
                stderr.WriteLine(Fields.Text($"decision-routing: internal error: {e.GetType().Name}: {e.Message}"));
                stderr.WriteLine("This is a fault in decision-routing, not in your input; please report it with the command you ran.");
                return ExitCodes.InternalError;
            }
        }
    }
}
