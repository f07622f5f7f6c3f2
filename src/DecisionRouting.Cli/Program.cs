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
        public static int Main(string[] args) => Run(args, Console.Out, Console.Error);

        /// <summary>Runs the CLI with the given output writers, so tests can capture them.</summary>
        public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
        {
            // Everything any command writes, results and diagnostics alike, goes through the one terminal-safe writer.
            var safeOut = new TerminalSafeWriter(stdout);
            var safeError = new TerminalSafeWriter(stderr);
            try
            {
                return RunSafely(args, safeOut, safeError);
            }
            finally
            {
                safeOut.Flush();
                safeError.Flush();
            }
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
