// One stage clock for both cold-start children: `cold-once` in DecisionRouting.Benchmarks (which compiles this file as a
// link) and the fresh consumer apps of `cold-package` (the harness copies it beside Program.cs), so both print their
// stages the same way and the parent reads one format.
using System;
using System.Collections.Generic;
using System.Diagnostics;

namespace DecisionRouting.Benchmarks.ColdStart;

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
