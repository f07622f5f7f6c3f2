using System;

namespace DecisionRouting
{
    /// <summary>A period a step needs, such as "28 clear calendar days" or "5 working days".</summary>
    /// <param name="Days">How many days.</param>
    /// <param name="Counting">How they are counted.</param>
    public sealed record StepDuration(int Days, DayCounting Counting)
    {
        /// <summary>
        /// Whether this period is at least as long as <paramref name="other"/> on every calendar: no fewer days, and
        /// counted in a way that is never shorter (working days are never fewer than calendar days; clear days
        /// never fewer than plain days).
        /// </summary>
        public bool IsAtLeast(StepDuration other)
        {
            if (other is null)
            {
                throw new ArgumentNullException(nameof(other));
            }

            return Days >= other.Days && IsWorking(Counting) >= IsWorking(other.Counting) && IsClear(Counting) >= IsClear(other.Counting);
        }

        /// <summary>In words, e.g. "28 clear calendar days".</summary>
        public override string ToString() => Counting switch
        {
            DayCounting.CalendarDays => $"{Days} calendar days",
            DayCounting.WorkingDays => $"{Days} working days",
            DayCounting.ClearCalendarDays => $"{Days} clear calendar days",
            _ => $"{Days} clear working days",
        };

        private static int IsWorking(DayCounting counting) => counting is DayCounting.WorkingDays or DayCounting.ClearWorkingDays ? 1 : 0;

        private static int IsClear(DayCounting counting) => counting is DayCounting.ClearCalendarDays or DayCounting.ClearWorkingDays ? 1 : 0;
    }
}
