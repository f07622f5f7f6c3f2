using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;

namespace DecisionRouting.Tests.Support;

/// <summary>
/// Something a test needs from the machine (a PostgreSQL server, a Chromium executable), found by one of the
/// project's scripts: provided, missing (the machine cannot provide it), or broken (the script failed).
/// </summary>
/// <remarks>
/// The one rule for all of them, applied by <see cref="Require()"/>: a provided value is returned; a missing one skips
/// the test with one line saying what is missing and how to provide it, unless CI is set, where it fails the test,
/// because CI must run everything; a broken script always fails the test, because that is a fault to fix, not a
/// machine without the tool. A script says "missing" by exiting 3 with the reason as its last line on stderr.
/// The skip is a <see cref="MissingPrerequisiteException"/>, which <see cref="PrerequisiteTestFramework"/> reports as a
/// skip for any test, however deep in its helpers it was thrown.
/// </remarks>
public sealed class Prerequisite
{
    /// <summary>The exit code by which a script says the machine cannot provide what it was asked for.</summary>
    public const int UnavailableExitCode = 3;

    private Prerequisite(string name, string? value, string? missing, string? fault)
    {
        Name = name;
        Value = value;
        Missing = missing;
        Fault = fault;
    }

    /// <summary>What is needed, as people say it: "PostgreSQL", "Chromium".</summary>
    public string Name { get; }

    /// <summary>The connection string or path, when provided.</summary>
    public string? Value { get; }

    /// <summary>Why the machine cannot provide it, and how to provide it; null unless missing.</summary>
    public string? Missing { get; }

    /// <summary>How the script failed; null unless broken.</summary>
    public string? Fault { get; }

    /// <summary>The one line a skipped test reports.</summary>
    public string SkipLine => $"{Name} tests skipped: {Missing} (with CI=true this fails instead; see docs/testing.md)";

    /// <summary>True when the environment says this is a CI run: <c>CI</c> is <c>true</c> or <c>1</c>, in any case.</summary>
    public static bool IsCi(string? ci) =>
        string.Equals(ci, "true", StringComparison.OrdinalIgnoreCase) || string.Equals(ci, "1", StringComparison.Ordinal);

    /// <summary>Given by the user (an environment variable), so never skipped: if it does not work, the test fails.</summary>
    public static Prerequisite Given(string name, string value) => new(name, value, null, null);

    /// <summary>
    /// Runs <paramref name="script"/> (relative to the repository) with bash and reads its answer: exit 0, the last line
    /// of stdout; exit <see cref="UnavailableExitCode"/>, missing with the last line of stderr; anything else, broken.
    /// </summary>
    /// <param name="environment">Variables to set (a null value removes one) for the script's process.</param>
    /// <param name="launcher">A command the script runs under (<c>setpriv …</c>, to run it as another user), or none.</param>
    public static Prerequisite FromScript(string name, string script, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string?>? environment = null, IReadOnlyList<string>? launcher = null)
    {
        var command = (launcher ?? Array.Empty<string>()).Concat(new[] { "/bin/bash", Repository.PathOf(script) }).Concat(arguments).ToList();
        var start = new ProcessStartInfo(command[0]) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Repository.Root };
        foreach (var argument in command.Skip(1))
        {
            start.ArgumentList.Add(argument);
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

        var shown = $"{script} {string.Join(' ', arguments)}".TrimEnd();
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(10)))
        {
            process.Kill(entireProcessTree: true);
            return new Prerequisite(name, null, null, $"{shown} did not finish within 10 minutes");
        }

        return process.ExitCode switch
        {
            0 when LastLine(stdout.Result) is { } value => new Prerequisite(name, value, null, null),
            0 => new Prerequisite(name, null, null, $"{shown} exited 0 but printed nothing"),
            UnavailableExitCode => new Prerequisite(name, null, LastLine(stderr.Result) ?? $"{shown} exited {UnavailableExitCode} without saying why", null),
            _ => new Prerequisite(name, null, null, $"{shown} failed (exit {process.ExitCode}): {stderr.Result.Trim()}"),
        };
    }

    /// <summary>The value, skipping or failing the test as the rule in the remarks says; CI read from the environment.</summary>
    public string Require() => Require(IsCi(Environment.GetEnvironmentVariable("CI")));

    /// <summary>The value, skipping or failing the test as the rule in the remarks says.</summary>
    /// <exception cref="MissingPrerequisiteException">Missing, and not CI.</exception>
    /// <exception cref="InvalidOperationException">Missing in CI, or broken.</exception>
    public string Require(bool ci)
    {
        if (Value is not null)
        {
            return Value;
        }

        if (Fault is not null)
        {
            throw new InvalidOperationException($"{Name} could not be provided: {Fault}");
        }

        if (ci)
        {
            throw new InvalidOperationException($"{Name} is required because CI is set, and this machine cannot provide it: {Missing}");
        }

        throw new MissingPrerequisiteException(SkipLine);
    }

    private static string? LastLine(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault();
}
