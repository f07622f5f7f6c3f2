using System.IO;
using DecisionRouting.Cli;

namespace DecisionRouting.Tests.Support;

/// <summary>Runs the CLI's own entry point in the test process, capturing what it writes, so CLI tests share one runner.</summary>
internal static class InProcessCli
{
    /// <summary>The exit code and the text written to standard output and standard error, with "\n" line ends.</summary>
    public static (int Exit, string Out, string Error) Run(params string[] args)
    {
        var stdout = new StringWriter { NewLine = "\n" };
        var stderr = new StringWriter { NewLine = "\n" };
        var exit = Program.Run(args, stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }
}
