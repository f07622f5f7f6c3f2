using System;
using NodaTime;

namespace DecisionRouting
{
    /// <summary>
    /// A period a step needs, such as "28 clear calendar days before the decision" or "5 working days": days counted
    /// in one <see cref="DayCounting"/>, anchored (<see cref="PeriodAnchor"/>) and optionally cut off at a time of day.
    /// A governance period, not elapsed time (that is <c>NodaTime.Duration</c>); the calendar that counts it is
    /// <c>GovernanceCalendar</c>. Written in a catalogue step as <c>duration</c> and read into <see cref="Step.Duration"/>.
    /// </summary>
    /// <param name="Days">How many days.</param>
    /// <param name="Counting">How they are counted.</param>
    public sealed record StepPeriod(int Days, DayCounting Counting)
    {
        /// <summary>What the period is measured from.</summary>
        public PeriodAnchor Anchor { get; init; } = PeriodAnchor.FromStart;

        /// <summary>
        /// The time of day, in Europe/London, at which the period's last day ends (e.g. 13:00 for Croydon's call-in);
        /// null means the end of that day.
        /// </summary>
        public LocalTime? CutOff { get; init; }

        /// <summary>
        /// Whether this period is at least as long as <paramref name="other"/> on every calendar: no fewer days, and
        /// counted in a way that is never shorter (working days are never fewer than calendar days; clear days
        /// never fewer than plain days).
        /// </summary>
        public bool IsAtLeast(StepPeriod other)
        {
            if (other is null)
            {
                throw new ArgumentNullException(nameof(other));
            }

            // An earlier cut-off on the last day shortens the period; no cut-off means the whole day.
            var cutOffKept = CutOff is not { } mine || (other.CutOff is { } theirs && mine >= theirs);
            return Anchor == other.Anchor && Days >= other.Days && (Counting.IsWorking() || !other.Counting.IsWorking()) && (Counting.IsClear() || !other.Counting.IsClear()) && cutOffKept;
        }

        /// <summary>In words, e.g. "28 clear calendar days before the decision".</summary>
        public override string ToString()
        {
            var days = Counting switch
            {
                DayCounting.CalendarDays => $"{Days} calendar days",
                DayCounting.WorkingDays => $"{Days} working days",
                DayCounting.ClearCalendarDays => $"{Days} clear calendar days",
                _ => $"{Days} clear working days",
            };
            var anchor = Anchor switch
            {
                PeriodAnchor.BeforeDecision => " before the decision",
                PeriodAnchor.AfterDecision => " after the decision is made",
                _ => string.Empty,
            };
            var cutOff = CutOff is { } time ? $", ending at {time:HH:mm}" : string.Empty;
            return days + anchor + cutOff;
        }
    }
}
