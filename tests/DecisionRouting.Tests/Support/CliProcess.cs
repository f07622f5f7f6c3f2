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
    /// <summary>
    /// The CLI as users run it: <c>decision-routing.dll</c> in its own build folder, with its own deps.json. Not the copy
    /// in the test output, which sits beside the ASP.NET shared framework's assemblies the server tests bring in, so the
    /// host would look for <c>Microsoft.Extensions.*</c> files that folder never gets.
    /// </summary>
    public static string DllPath { get; } = Repository.Built("src/DecisionRouting.Cli", "decision-routing.dll");

    /// <summary>The folder <see cref="DllPath"/> is in.</summary>
    public static string Directory => Path.GetDirectoryName(DllPath)!;

    /// <summary>Runs the CLI with <paramref name="args"/>, its environment changed by <paramref name="environment"/> (a null value removes a variable).</summary>
    public static (int Exit, string Out, string Error) Run(TimeSpan limit, IReadOnlyDictionary<string, string?>? environment, params string[] args)
    {
        Assert.True(File.Exists(DllPath), $"the CLI is not built at {DllPath}");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Directory };
        start.ArgumentList.Add(DllPath);
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
