using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using Xunit;

namespace DecisionRouting.Tests.Support;

/// <summary>
/// The built <c>decision-routing</c> as a real process: for what the in-process runner cannot show, such as its own
/// environment (PATH), a hang, or how the process ends. Killed, and the test failed, if it outlives its limit.
/// </summary>
public static class CliProcess
{
    /// <summary>Runs the CLI with <paramref name="args"/>, its environment changed by <paramref name="environment"/> (a null value removes a variable).</summary>
    public static (int Exit, string Out, string Error) Run(TimeSpan limit, IReadOnlyDictionary<string, string?>? environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = AppContext.BaseDirectory };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "decision-routing.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (variable, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                start.Environment.Remove(variable);
            }
            else
            {
                start.Environment[variable] = value;
            }
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(limit))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"decision-routing {string.Join(' ', args)} did not finish within {limit.TotalSeconds} s");
        }

        return (process.ExitCode, output.Result, error.Result);
    }
}
