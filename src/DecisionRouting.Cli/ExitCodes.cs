using System.Collections.Generic;
using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using System.Linq;
using System.Runtime.CompilerServices;

namespace DecisionRouting.Cli
{
    /// <summary>
    /// The CLI's exit codes. Each command records the codes it can return (<see cref="Document"/>) and its
    /// <c>--help</c> ends with them (<see cref="ShowInHelp"/>); the README's CLI table lists the same codes per command,
    /// and <c>CliReferenceTests</c> holds the two together.
    /// </summary>
    internal static class ExitCodes
    {
        /// <summary>Everything worked.</summary>
        public const int Success = 0;

        /// <summary>
        /// <c>validate</c> or <c>catalogue</c> found errors in the rule set; <c>proposal fire</c> was refused; the audit
        /// trail or the case store was changed by hand.
        /// </summary>
        public const int ValidationErrors = 1;

        /// <summary>Bad input: usage, a missing file or folder, an invalid proposal, a rule set that does not load.</summary>
        public const int BadInput = 2;

        /// <summary>A fault in decision-routing itself; please report it.</summary>
        public const int InternalError = 3;

        /// <summary>Someone else changed the case meanwhile; nothing was saved, and the same command may be retried.</summary>
        public const int Conflict = 4;

        /// <summary>
        /// The plan is incomplete: some rules are undecided (the proposal lacks a value they read) or could not be
        /// evaluated, so it may lack required steps. <c>route</c> still prints it; <c>proposal create</c> refuses it
        /// unless given <c>--accept-incomplete --reason</c>.
        /// </summary>
        public const int IncompletePlan = 5;

        /// <summary>What exit 1 means for a command that reads or writes a case store.</summary>
        public const string DamagedStore = "the case store was changed by hand (run 'decision-routing audit verify')";

        // Codes 2 and 3 mean the same for every command, so Document adds them.
        private const string BadInputMeaning = "bad input: a usage mistake, a missing or unreadable file or folder, an invalid proposal, a rule set with errors, an output that cannot be written";
        private const string InternalErrorMeaning = "a fault in decision-routing itself (never a stack trace); please report it";

        // Commands are built once per run; the table lets the help action find a command's codes without a subclass.
        private static readonly ConditionalWeakTable<Command, IReadOnlyList<(int Code, string Meaning)>> Documented = new();

        /// <summary>Records the exit codes <paramref name="command"/> can return besides 2 and 3, for its <c>--help</c>.</summary>
        public static void Document(Command command, params (int Code, string Meaning)[] codes) =>
            Documented.AddOrUpdate(command, codes.Concat(new (int Code, string Meaning)[] { (BadInput, BadInputMeaning), (InternalError, InternalErrorMeaning) }).OrderBy(c => c.Code).ToList());

        /// <summary>
        /// Makes <c>--help</c> on <paramref name="root"/> and every command under it end with an "Exit codes:" section
        /// listing what <see cref="Document"/> recorded for that command.
        /// </summary>
        public static void ShowInHelp(RootCommand root)
        {
            var help = root.Options.OfType<HelpOption>().Single();
            if (help.Action is { } standard)
            {
                help.Action = new HelpWithExitCodes(standard);
            }
        }

        /// <summary>The standard help, then the command's exit codes.</summary>
        private sealed class HelpWithExitCodes(CommandLineAction standard) : SynchronousCommandLineAction
        {
            public override bool ClearsParseErrors => true;

            public override int Invoke(ParseResult parseResult)
            {
                var exit = standard is SynchronousCommandLineAction synchronous ? synchronous.Invoke(parseResult) : Success;
                if (Documented.TryGetValue(parseResult.CommandResult.Command, out var codes))
                {
                    var output = parseResult.InvocationConfiguration.Output;
                    output.WriteLine("Exit codes:");
                    foreach (var (code, meaning) in codes)
                    {
                        output.WriteLine($"  {code}  {meaning}");
                    }

                    output.WriteLine();
                }

                return exit;
            }
        }
    }
}
