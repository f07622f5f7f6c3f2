using System.Collections.Generic;
using System.IO;
using DecisionRouting.Diagnostics;

namespace DecisionRouting.Cli
{
    /// <summary>Where commands write: results to stdout, problems to stderr.</summary>
    internal sealed class CliOutput
    {
        public CliOutput(TextWriter stdout, TextWriter stderr)
        {
            Out = stdout;
            Error = stderr;
        }

        public TextWriter Out { get; }

        public TextWriter Error { get; }

        /// <summary>
        /// One line per diagnostic, in MSBuild form so editors and CI can link to the position. A message quotes names
        /// and values from the files, so the whole line is made single-line (<see cref="Fields.OneLine"/>).
        /// </summary>
        public void WriteDiagnostics(IEnumerable<RuleDiagnostic> diagnostics, TextWriter to)
        {
            foreach (var diagnostic in diagnostics)
            {
                to.WriteLine(Fields.OneLine(diagnostic.ToString()));
            }
        }

        /// <summary>A bad-input message: one line (whatever values it quotes), naming what is wrong, and exit code 2.</summary>
        public int BadInput(string message)
        {
            Error.WriteLine(Fields.Text($"decision-routing: {message}"));
            return ExitCodes.BadInput;
        }
    }
}
