using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using DecisionRouting.Calendar;
using DecisionRouting.Lifecycle;
using DecisionRouting.Text;
using NodaTime;
using NodaTime.Text;

namespace DecisionRouting.Cli
{
    /// <summary>
    /// Cases, statuses and audit trails as text for officers (every value through <see cref="Fields"/>, so an actor,
    /// title or reason holding a line feed cannot forge a history line) and JSON for programs (exact values).
    /// </summary>
    internal static class CaseOutput
    {
        private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        private static readonly ZonedDateTimePattern Moment = DateText.Moment;
        private static readonly DayPattern Day = DateText.Day;

        public static string Json(object value) => JsonSerializer.Serialize(value, JsonOptions) + "\n";

        /// <summary>
        /// An instant (with Z or an offset), a London local time, or a date (noon in London); seconds optional. Null when
        /// the text is none of these; a London local time the clocks skipped or showed twice sets <paramref name="problem"/>
        /// (from <see cref="LondonTime"/>) instead of being moved or guessed.
        /// </summary>
        public static Instant? ParseMoment(string text, out string? problem)
        {
            problem = null;

            // A date outside the supported range is returned as an instant the caller's range check refuses, never
            // converted: near NodaTime's own limits the conversion to an instant would itself overflow.
            foreach (var pattern in new[] { "uuuu'-'MM'-'dd'T'HH':'mm':'ss;FFFFFFFFFo<G>", "uuuu'-'MM'-'dd'T'HH':'mmo<G>" })
            {
                if (OffsetDateTimePattern.CreateWithInvariantCulture(pattern).Parse(text) is { Success: true } offset)
                {
                    return SupportedDates.Contains(offset.Value.Date) ? offset.Value.ToInstant() : OutOfRange(offset.Value.Date);
                }
            }

            LocalDateTime local;
            if (new[] { "uuuu'-'MM'-'dd'T'HH':'mm':'ss;FFFFFFFFF", "uuuu'-'MM'-'dd'T'HH':'mm" }
                .Select(p => LocalDateTimePattern.CreateWithInvariantCulture(p).Parse(text))
                .FirstOrDefault(r => r.Success) is { } time)
            {
                local = time.Value;
            }
            else if (DecisionRouting.Text.IsoDates.Parse(text) is { Success: true } date)
            {
                local = date.Value.At(new LocalTime(12, 0));
            }
            else
            {
                return null;
            }

            if (!SupportedDates.Contains(local.Date))
            {
                return OutOfRange(local.Date);
            }

            if (LondonTime.TryResolve(local, out var instant, out var notUnique))
            {
                return instant;
            }

            problem = notUnique!.Message;
            return null;
        }

        /// <summary>An instant outside the supported range, on the side the date lies.</summary>
        private static Instant OutOfRange(LocalDate date) => date < SupportedDates.Earliest ? Instant.MinValue : Instant.MaxValue;

        public static string StatusText(CaseStatus status)
        {
            var c = status.Case;
            var text = new StringBuilder();
            text.Line($"Case {c.Id}: {c.Plan.Title}");
            text.Line($"State: {c.State} (version {c.Version}); decision intended {Day.Format(c.DecisionDate)}{(c.DecidedAt is { } d ? $", made {Format(d)}" : string.Empty)}");
            text.Line($"Rule set: {c.Plan.RuleSetName} ({c.Plan.RuleSetHash[..System.Math.Min(12, c.Plan.RuleSetHash.Length)]})");
            if (status.CallInCloses is { } closes)
            {
                text.Line($"Call-in period closes: {Moment.Format(closes)}");
            }

            var completed = c.Plan.Steps.Where(s => c.IsComplete(s.Id)).ToList();
            text.Append('\n');
            text.Line($"Completed ({completed.Count} of {c.Plan.Steps.Count}):");
            foreach (var step in completed)
            {
                text.Line($"  {step.Id} — {Format(c.Completed[step.Id].At)} by {c.Completed[step.Id].By}");
            }

            var running = c.Plan.Steps.Where(s => c.Started.ContainsKey(s.Id) && !c.IsComplete(s.Id)).ToList();
            if (running.Count > 0)
            {
                text.Append('\n');
                text.Append("Started, not yet completed:\n");
                foreach (var step in running)
                {
                    text.Line($"  {step.Id} — started {Format(c.Started[step.Id].At)} by {c.Started[step.Id].By}");
                }
            }

            text.Append('\n');
            text.Append(status.Permitted.Count == 0 ? "Nothing may happen now.\n" : "May happen now:\n");
            foreach (var p in status.Permitted)
            {
                text.Line($"  {Name(p.Trigger, p.Step)} — {string.Join(" or ", p.Roles)}");
            }

            if (status.Blocked.Count > 0)
            {
                text.Append('\n');
                text.Append("Not yet:\n");
                foreach (var b in status.Blocked)
                {
                    text.Line($"  {Name(b.Trigger, b.Step)} — {string.Join(" or ", b.Roles)}");
                    foreach (var reason in b.Reasons)
                    {
                        text.Line($"    - {reason}");
                    }
                }
            }

            return text.ToString();
        }

        public static string HistoryText(IReadOnlyList<AuditEntry> entries)
        {
            var text = new StringBuilder();
            foreach (var e in entries)
            {
                var outcome = e.Accepted ? $"{e.From} → {e.To}" : $"REFUSED in {e.From}";
                text.Line($"{e.Sequence,5}  {Format(e.At)}  {e.Actor} ({e.Roles})  {Name(e.Trigger, e.Step)}  {outcome}");
                if (e.Detail is { } detail)
                {
                    text.Line($"       {detail}");
                }
            }

            return text.ToString();
        }

        private static string Name(object trigger, string? step) => step is null ? trigger.ToString()! : $"{trigger} {step}";

        private static string Format(Instant instant) => Moment.Format(instant.InZone(GovernanceCalendar.London));
    }
}
