using System.Collections.Generic;
using System.Linq;
using DecisionRouting.Text;
using NodaTime;
using NodaTime.Text;

namespace DecisionRouting.Catalogue
{
    /// <summary>
    /// The times of day London's clocks skip or show twice on some day in the supported range (<see cref="SupportedDates"/>),
    /// for the catalogue's cut-off check (DR0090): a period ending at such a time has no single closing moment on that
    /// day, so the planner reads it by a rule (the first moment the clocks reach it) that the rule author should know of.
    /// </summary>
    internal static class ClockChanges
    {
        private static readonly LocalDatePattern Day = LocalDatePattern.Iso;
        private static readonly LocalTimePattern Clock = LocalTimePattern.CreateWithInvariantCulture("HH':'mm");

        // Every change in the range, oldest first.
        private static readonly IReadOnlyList<Change> Changes = Find();

        // Messages give a change from this year on when there is one (a reader knows the modern rules), else the
        // latest earlier one; a fixed year, not today, so the message is the same on every run.
        private static readonly LocalDate ExampleFrom = new(2000, 1, 1);

        /// <summary>The span of clock readings any change in the range skips or repeats, e.g. "01:00 to 03:00".</summary>
        public static string Hours { get; } = $"{Clock.Format(Changes.Min(c => c.Earlier))} to {Clock.Format(Changes.Max(c => c.Later))}";

        /// <summary>
        /// A change at which the clocks skip or repeat <paramref name="time"/> (the first such day from 2000 on, else the
        /// latest before, for the message),
        /// or null when no day in the supported range does.
        /// </summary>
        public static string? Describe(LocalTime time)
        {
            var matching = Changes.Where(c => c.Contains(time)).ToList();
            var change = matching.FirstOrDefault(c => c.Date >= ExampleFrom) ?? matching.LastOrDefault();
            if (change is null)
            {
                return null;
            }

            return change.Forward
                ? $"on {Day.Format(change.Date)} the clocks went forward from {Clock.Format(change.Earlier)} to {Clock.Format(change.Later)}, so {Clock.Format(time)} did not happen"
                : $"on {Day.Format(change.Date)} the clocks went back from {Clock.Format(change.Later)} to {Clock.Format(change.Earlier)}, so {Clock.Format(time)} happened twice";
        }

        private static List<Change> Find()
        {
            var zone = DateTimeZoneProviders.Tzdb["Europe/London"];
            var from = SupportedDates.Earliest.AtMidnight().InUtc().ToInstant();
            var to = SupportedDates.Latest.PlusDays(1).AtMidnight().InUtc().ToInstant();
            var intervals = zone.GetZoneIntervals(from, to).ToList();
            var changes = new List<Change>();
            for (var i = 1; i < intervals.Count; i++)
            {
                var at = intervals[i].Start;
                var before = at.WithOffset(intervals[i - 1].WallOffset).LocalDateTime;
                var after = at.WithOffset(intervals[i].WallOffset).LocalDateTime;
                if (before != after)
                {
                    var forward = after > before;
                    var (earlier, later) = forward ? (before, after) : (after, before);
                    changes.Add(new Change(earlier.Date, earlier.TimeOfDay, later.Date == earlier.Date ? later.TimeOfDay : LocalTime.MaxValue, forward));
                }
            }

            return changes;
        }

        /// <summary>The clock readings from <see cref="Earlier"/> (included) to <see cref="Later"/> (excluded) on <see cref="Date"/> are skipped (forward) or repeated.</summary>
        private sealed record Change(LocalDate Date, LocalTime Earlier, LocalTime Later, bool Forward)
        {
            public bool Contains(LocalTime time) => time >= Earlier && time < Later;
        }
    }
}
