using System.Collections.Generic;
using System.Globalization;
using DecisionRouting.Text;
using NodaTime;

namespace DecisionRouting.Routing
{
    /// <summary>
    /// A step's dates in words ("by Mon 15 Jul 2013, from …"), the one wording the CLI's text plan and the plan diagrams
    /// share, so a date reads the same in both.
    /// </summary>
    internal static class StepTimingText
    {
        /// <summary>The dates, or an empty string when the timing has none.</summary>
        public static string Describe(StepTiming timing)
        {
            if (timing.EarliestStart is { } day && timing.LatestDate == day)
            {
                return "on " + Day(day);
            }

            var parts = new List<string>();
            if (timing.LatestStart is { } latestStart)
            {
                parts.Add("start by " + Day(latestStart));
            }

            if (timing.LatestDate is { } latest)
            {
                parts.Add("by " + Day(latest));
            }

            if (timing.EarliestStart is { } start)
            {
                parts.Add("from " + Day(start));
            }

            if (timing.Closes is { } closes)
            {
                parts.Add("closes " + When(closes));
            }
            else if (timing.EarliestEnd is { } end)
            {
                parts.Add("to " + Day(end));
            }

            return parts.Count == 0 ? string.Empty : string.Join(", ", parts) + (timing.FromSchedule ? " (dates from the proposal)" : string.Empty);
        }

        private static string Day(LocalDate date) => DateText.Day.Format(date);

        /// <summary>A moment in words: "13:00 on Mon 22 Jul 2013", or "the start of …" at midnight.</summary>
        public static string When(ZonedDateTime time) =>
            time.TimeOfDay == LocalTime.Midnight
                ? "the start of " + Day(time.Date)
                : time.ToString("HH:mm", CultureInfo.InvariantCulture) + " on " + Day(time.Date);
    }
}
