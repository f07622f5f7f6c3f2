// What both cold-start children measure and print: `cold-once` in DecisionRouting.Benchmarks (which compiles this file
// as a link) and the fresh consumer apps of `cold-package` (the harness copies it beside Program.cs), so both time the
// same span the same way and the parent reads one format.
using System;
using System.Collections.Generic;
using System.Diagnostics;

namespace DecisionRouting.Benchmarks.ColdStart;

/// <summary>The child's one measurement: from nothing to an engine's first result.</summary>
internal static class ColdChild
{
    /// <summary>
    /// Runs <paramref name="first"/> once and prints one line: wall ms, CPU ms (every thread), bytes allocated (every
    /// thread), rules matched, JIT ms and methods jitted since the process began, each stage's wall/JIT ms (or <c>-</c>),
    /// and, when given, the path the engine's assembly was loaded from.
    /// </summary>
    /// <param name="first">The engine's start to its first result; marks its stages on the clock it is given, and returns the rules matched and, optionally, where its assembly was loaded from.</param>
    public static void Measure(Func<StageClock, (int Matched, string? LoadedFrom)> first)
    {
        using var self = Process.GetCurrentProcess();
        var cpu = self.TotalProcessorTime;
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var stages = new StageClock();
        var start = Stopwatch.GetTimestamp();
        var (matched, loadedFrom) = first(stages);
        var wall = Stopwatch.GetElapsedTime(start);
        var jit = System.Runtime.JitInfo.GetCompilationTime();
        var jitMethods = System.Runtime.JitInfo.GetCompiledMethodCount();
        allocated = GC.GetTotalAllocatedBytes(precise: true) - allocated;
        self.Refresh();
        cpu = self.TotalProcessorTime - cpu;
        var line = FormattableString.Invariant($"{wall.TotalMilliseconds} {cpu.TotalMilliseconds} {allocated} {matched} {jit.TotalMilliseconds} {jitMethods} {stages}");
        Console.WriteLine(loadedFrom is null ? line : line + " " + loadedFrom);
    }
}

/// <summary>
/// A timestamp and the JIT's running total at each mark (two calls each, a few microseconds), formatted only after
/// the clock stops: <c>name=wall/JIT</c> in milliseconds per stage, comma-separated, or <c>-</c> with no stage.
/// </summary>
internal sealed class StageClock
{
    private readonly List<(string Name, long Ticks, TimeSpan Jit)> _marks = new() { ("start", Stopwatch.GetTimestamp(), System.Runtime.JitInfo.GetCompilationTime()) };

    /// <summary>Ends the stage <paramref name="name"/> here.</summary>
    public void Mark(string name) => _marks.Add((name, Stopwatch.GetTimestamp(), System.Runtime.JitInfo.GetCompilationTime()));

    /// <inheritdoc/>
    public override string ToString()
    {
        var parts = new List<string>();
        for (var i = 1; i < _marks.Count; i++)
        {
            var wall = Stopwatch.GetElapsedTime(_marks[i - 1].Ticks, _marks[i].Ticks).TotalMilliseconds;
            var jit = (_marks[i].Jit - _marks[i - 1].Jit).TotalMilliseconds;
            parts.Add(FormattableString.Invariant($"{_marks[i].Name}={wall:F1}/{jit:F1}"));
        }

        return parts.Count == 0 ? "-" : string.Join(",", parts);
    }
}
