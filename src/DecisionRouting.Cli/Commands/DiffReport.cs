using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using DecisionRouting.Documentation;
using DecisionRouting.Routing;
using DecisionRouting.RuleSets;

namespace DecisionRouting.Cli.Commands
{
    /// <summary>One side of a diff: the rule set as the user named it, the commit it was read at (for git:), and the loaded rule set.</summary>
    internal sealed record DiffSide(string Label, string? Commit, RuleSet RuleSet);

    /// <summary>What happened to one proposal of the register.</summary>
    internal enum DiffStatus
    {
        /// <summary>Routed under both rule sets, and the plans agree.</summary>
        Unchanged,

        /// <summary>The plans differ, or the proposal routes under one rule set only.</summary>
        Changed,

        /// <summary>Routed under neither rule set (the proposal breaks both, or routing failed twice).</summary>
        NotRouted,

        /// <summary>The file is not a valid proposal (it was never routed).</summary>
        Invalid,
    }

    /// <summary>One proposal's outcome: its plans (null where routing failed, with the reason) and their difference.</summary>
    internal sealed record DiffEntry(string File, string? Id, string? Title, DiffStatus Status, RoutingPlan? OldPlan, RoutingPlan? NewPlan, string? OldFailure, string? NewFailure, PlanDifference? Difference);

    /// <summary>A whole diff: both sides, the register, the day it was routed as of (null for today) and each proposal's outcome in file order.</summary>
    internal sealed record DiffReport(DiffSide Old, DiffSide New, string Register, string? Today, IReadOnlyList<DiffEntry> Entries)
    {
        /// <summary>The change kinds, in report order, with how to tell whether an entry has each: the summary counts proposals per kind.</summary>
        public static IReadOnlyList<(string Key, string Words, Func<DiffEntry, bool> Has)> Kinds { get; } = new (string, string, Func<DiffEntry, bool>)[]
        {
            ("stepsAdded", "steps added", e => e.Difference?.StepsAdded.Count > 0),
            ("stepsRemoved", "steps removed", e => e.Difference?.StepsRemoved.Count > 0),
            ("stepsReordered", "steps reordered", e => e.Difference?.StepsReordered.Count > 0),
            ("datesMoved", "dates moved", e => e.Difference?.DatesMoved.Count > 0),
            ("periodsChanged", "periods changed", e => e.Difference?.PeriodsChanged.Count > 0),
            ("urgencyRoutesChanged", "urgency routes changed", e => e.Difference is { } d && (d.UrgencyRoutesAdded.Count > 0 || d.UrgencyRoutesRemoved.Count > 0)),
            ("becameIncomplete", "became incomplete", e => e.Difference?.BecameIncomplete == true),
            ("becameComplete", "became complete", e => e.Difference?.BecameComplete == true),
            ("failedUnderOld", "not routed under the old rules only", e => e.Status == DiffStatus.Changed && e.OldPlan is null),
            ("failedUnderNew", "not routed under the new rules only", e => e.Status == DiffStatus.Changed && e.NewPlan is null),
        };

        public int Count(DiffStatus status) => Entries.Count(e => e.Status == status);
    }

    /// <summary>The diff report as text, JSON (schemas/diff.schema.json) and Markdown; each written from the same <see cref="DiffReport"/>.</summary>
    internal static class DiffReportWriter
    {
        public static string Text(DiffReport report)
        {
            var text = new StringBuilder();
            text.Line($"Rule change impact: {Side(report.Old)} -> {Side(report.New)}");
            text.Line($"  register {report.Register}: {report.Entries.Count} proposal(s), routed as of {report.Today ?? "today"}");
            foreach (var entry in report.Entries.Where(e => e.Status != DiffStatus.Unchanged))
            {
                text.Append('\n').Line($"{entry.File}{(entry.Id is null ? string.Empty : $" ({entry.Id}: {entry.Title})")}");
                foreach (var line in Lines(entry))
                {
                    text.Line($"  {line}");
                }
            }

            text.Append('\n');
            foreach (var line in Summary(report))
            {
                text.Line($"{line}");
            }

            return text.ToString();
        }

        public static string Markdown(DiffReport report)
        {
            var text = new StringBuilder();
            text.Append("## Rule change impact\n\n");
            text.Append(CultureInfo.InvariantCulture, $"`{Code(report.Old.Label)}` → `{Code(report.New.Label)}`: {MarkdownText.Cell(SideDetail(report.Old))} → {MarkdownText.Cell(SideDetail(report.New))}. ");
            text.Append(CultureInfo.InvariantCulture, $"Register `{Code(report.Register)}`, {report.Entries.Count} proposal(s), routed as of {MarkdownText.Cell(report.Today ?? "today")}.\n\n");
            text.Append("| Change | Proposals |\n|---|---|\n");
            foreach (var (words, count) in Counts(report))
            {
                text.Append(CultureInfo.InvariantCulture, $"| {words} | {count} |\n");
            }

            foreach (var entry in report.Entries.Where(e => e.Status != DiffStatus.Unchanged))
            {
                text.Append(CultureInfo.InvariantCulture, $"\n### `{Code(entry.File)}`{(entry.Id is null ? string.Empty : $" ({MarkdownText.Cell(entry.Id)}: {MarkdownText.Cell(entry.Title ?? string.Empty)})")}\n\n");
                foreach (var line in Lines(entry))
                {
                    text.Append(CultureInfo.InvariantCulture, $"- {MarkdownText.Cell(line)}\n");
                }
            }

            return text.ToString();
        }

        public static string Json(DiffReport report)
        {
            using var stream = new MemoryStream();
            using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            {
                json.WriteStartObject();
                WriteSide(json, "old", report.Old);
                WriteSide(json, "new", report.New);
                json.WriteString("register", report.Register);
                json.WriteString("today", report.Today);
                json.WriteStartArray("proposals");
                foreach (var entry in report.Entries)
                {
                    WriteEntry(json, entry);
                }

                json.WriteEndArray();
                json.WriteStartObject("summary");
                json.WriteNumber("proposals", report.Entries.Count);
                json.WriteNumber("changed", report.Count(DiffStatus.Changed));
                json.WriteNumber("unchanged", report.Count(DiffStatus.Unchanged));
                json.WriteNumber("notRouted", report.Count(DiffStatus.NotRouted));
                json.WriteNumber("invalid", report.Count(DiffStatus.Invalid));
                foreach (var (key, _, has) in DiffReport.Kinds)
                {
                    json.WriteNumber(key, report.Entries.Count(has));
                }

                json.WriteEndObject();
                json.WriteEndObject();
            }

            return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
        }

        /// <summary>What changed for one proposal, one line per change, as text and Markdown say it.</summary>
        private static IEnumerable<string> Lines(DiffEntry entry)
        {
            switch (entry.Status)
            {
                case DiffStatus.Invalid:
                    yield return $"INVALID proposal, not routed: {entry.NewFailure}";
                    yield break;
                case DiffStatus.NotRouted:
                    yield return $"NOT ROUTED under the old rules: {entry.OldFailure}";
                    yield return $"NOT ROUTED under the new rules: {entry.NewFailure}";
                    yield break;
            }

            if (entry.OldPlan is null)
            {
                yield return $"NOT ROUTED under the old rules: {entry.OldFailure}";
                yield return $"routed under the new rules: {entry.NewPlan!.Steps.Count} step(s){(entry.NewPlan.IsComplete ? string.Empty : ", INCOMPLETE")}";
                yield break;
            }

            if (entry.NewPlan is null)
            {
                yield return $"NOT ROUTED under the new rules: {entry.NewFailure}";
                yield return $"was routed under the old rules: {entry.OldPlan.Steps.Count} step(s){(entry.OldPlan.IsComplete ? string.Empty : ", INCOMPLETE")}";
                yield break;
            }

            var d = entry.Difference!;
            foreach (var step in d.StepsAdded)
            {
                yield return $"step added: {step}{Stage(entry.NewPlan, step)}";
            }

            foreach (var step in d.StepsRemoved)
            {
                yield return $"step removed: {step}{Stage(entry.OldPlan, step)}";
            }

            foreach (var move in d.StepsReordered)
            {
                var after = move.AfterBefore.SequenceEqual(move.AfterAfter, StringComparer.Ordinal) ? string.Empty : $"; after [{string.Join(", ", move.AfterBefore)}] -> [{string.Join(", ", move.AfterAfter)}]";
                yield return $"step reordered: {move.Step}: stage {move.StageBefore} -> {move.StageAfter}{after}";
            }

            foreach (var date in d.DatesMoved)
            {
                yield return $"date moved: {date.Step ?? "plan"} {date.Date}: {date.Before ?? "(none)"} -> {date.After ?? "(none)"}";
            }

            foreach (var period in d.PeriodsChanged)
            {
                yield return $"period changed: {period.Step}: {period.Before ?? "(none)"} -> {period.After ?? "(none)"}";
            }

            foreach (var route in d.UrgencyRoutesAdded)
            {
                yield return $"urgency route taken: {route.Instead} instead of {route.Impracticable} ({route.Reason})";
            }

            foreach (var route in d.UrgencyRoutesRemoved)
            {
                yield return $"urgency route no longer taken: {route.Instead} instead of {route.Impracticable}";
            }

            if (d.BecameIncomplete)
            {
                yield return $"became INCOMPLETE: {string.Join("; ", IncompleteText.Reasons(entry.NewPlan).Select(r => r.Text))}";
            }

            if (d.BecameComplete)
            {
                yield return "became complete (the old plan was incomplete)";
            }
        }

        private static string Stage(RoutingPlan plan, string step) => plan.Find(step) is { } found ? $" (stage {found.Stage})" : string.Empty;

        private static IEnumerable<(string Words, int Count)> Counts(DiffReport report)
        {
            yield return ("proposals changed", report.Count(DiffStatus.Changed));
            foreach (var (_, words, has) in DiffReport.Kinds)
            {
                yield return ($"- {words}", report.Entries.Count(has));
            }

            yield return ("proposals unchanged", report.Count(DiffStatus.Unchanged));
            yield return ("not routed under either rule set", report.Count(DiffStatus.NotRouted));
            yield return ("invalid proposals", report.Count(DiffStatus.Invalid));
        }

        private static IEnumerable<string> Summary(DiffReport report)
        {
            yield return $"Summary: {report.Entries.Count} proposal(s): {report.Count(DiffStatus.Changed)} changed, {report.Count(DiffStatus.Unchanged)} unchanged, {report.Count(DiffStatus.NotRouted)} not routed under either rule set, {report.Count(DiffStatus.Invalid)} invalid.";
            foreach (var (_, words, has) in DiffReport.Kinds)
            {
                yield return $"  {words}: {report.Entries.Count(has)} proposal(s)";
            }
        }

        private static string Side(DiffSide side) => $"{side.Label} ({SideDetail(side)})";

        private static string SideDetail(DiffSide side) =>
            $"rule set '{side.RuleSet.Name}' {side.RuleSet.Hash[..12]}{(side.Commit is null ? string.Empty : $" at commit {side.Commit[..12]}")}";

        /// <summary>A value for a Markdown code span: single-line, and a backtick cannot close the span early.</summary>
        private static string Code(string value) => MarkdownText.Cell(value).Replace('`', '\'');

        private static void WriteSide(Utf8JsonWriter json, string name, DiffSide side)
        {
            json.WriteStartObject(name);
            json.WriteString("rules", side.Label);
            json.WriteString("commit", side.Commit);
            json.WriteString("ruleSet", side.RuleSet.Name);
            json.WriteString("ruleSetHash", side.RuleSet.Hash);
            json.WriteEndObject();
        }

        private static void WriteEntry(Utf8JsonWriter json, DiffEntry entry)
        {
            json.WriteStartObject();
            json.WriteString("file", entry.File);
            json.WriteString("id", entry.Id);
            json.WriteString("title", entry.Title);
            json.WriteString("status", entry.Status switch
            {
                DiffStatus.Unchanged => "unchanged",
                DiffStatus.Changed => "changed",
                DiffStatus.NotRouted => "not-routed",
                _ => "invalid",
            });
            WritePlanSide(json, "old", entry.OldPlan, entry.OldFailure);
            WritePlanSide(json, "new", entry.NewPlan, entry.NewFailure);
            var d = entry.Difference;
            Strings(json, "stepsAdded", d?.StepsAdded ?? Array.Empty<string>());
            Strings(json, "stepsRemoved", d?.StepsRemoved ?? Array.Empty<string>());
            Objects(json, "stepsReordered", d?.StepsReordered ?? Array.Empty<StepReordering>(), (w, move) =>
            {
                w.WriteString("step", move.Step);
                w.WriteNumber("stageBefore", move.StageBefore);
                w.WriteNumber("stageAfter", move.StageAfter);
                Strings(w, "afterBefore", move.AfterBefore);
                Strings(w, "afterAfter", move.AfterAfter);
            });
            Objects(json, "datesMoved", d?.DatesMoved ?? Array.Empty<PlanDateChange>(), (w, date) =>
            {
                w.WriteString("step", date.Step);
                w.WriteString("date", date.Date);
                w.WriteString("before", date.Before);
                w.WriteString("after", date.After);
            });
            Objects(json, "periodsChanged", d?.PeriodsChanged ?? Array.Empty<PeriodChange>(), (w, period) =>
            {
                w.WriteString("step", period.Step);
                w.WriteString("before", period.Before);
                w.WriteString("after", period.After);
            });
            Routes(json, "urgencyRoutesAdded", d?.UrgencyRoutesAdded ?? Array.Empty<UrgencyRoute>());
            Routes(json, "urgencyRoutesRemoved", d?.UrgencyRoutesRemoved ?? Array.Empty<UrgencyRoute>());
            json.WriteEndObject();
        }

        private static void WritePlanSide(Utf8JsonWriter json, string name, RoutingPlan? plan, string? failure)
        {
            json.WriteStartObject(name);
            json.WriteBoolean("routed", plan is not null);
            json.WriteString("error", failure);
            if (plan is not null)
            {
                json.WriteBoolean("isComplete", plan.IsComplete);
                Strings(json, "incomplete", IncompleteText.Reasons(plan).Select(r => r.Text).ToList());
                Strings(json, "steps", plan.Steps.Select(s => s.Id).ToList());
            }
            else
            {
                json.WriteNull("isComplete");
                json.WriteStartArray("incomplete");
                json.WriteEndArray();
                json.WriteStartArray("steps");
                json.WriteEndArray();
            }

            json.WriteEndObject();
        }

        private static void Strings(Utf8JsonWriter json, string name, IReadOnlyList<string> values)
        {
            json.WriteStartArray(name);
            foreach (var value in values)
            {
                json.WriteStringValue(value);
            }

            json.WriteEndArray();
        }

        private static void Routes(Utf8JsonWriter json, string name, IReadOnlyList<UrgencyRoute> routes) =>
            Objects(json, name, routes, (w, route) =>
            {
                w.WriteString("impracticable", route.Impracticable);
                w.WriteString("instead", route.Instead);
                w.WriteString("reason", route.Reason);
            });

        // Every list of changes is an array of flat objects: one place opens and closes them.
        private static void Objects<T>(Utf8JsonWriter json, string name, IEnumerable<T> items, Action<Utf8JsonWriter, T> writeFields)
        {
            json.WriteStartArray(name);
            foreach (var item in items)
            {
                json.WriteStartObject();
                writeFields(json, item);
                json.WriteEndObject();
            }

            json.WriteEndArray();
        }
    }
}
