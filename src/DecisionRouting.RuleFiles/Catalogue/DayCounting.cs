namespace DecisionRouting
{
    /// <summary>How the days of a step's period are counted.</summary>
    public enum DayCounting
    {
        /// <summary>Every day counts.</summary>
        CalendarDays,

        /// <summary>Monday to Friday, excluding bank holidays in England and Wales.</summary>
        WorkingDays,

        /// <summary>Calendar days, excluding the day of publication and the day of the meeting or decision.</summary>
        ClearCalendarDays,

        /// <summary>Working days, excluding the day of publication and the day of the meeting or decision.</summary>
        ClearWorkingDays,
    }

    /// <summary>
    /// What each <see cref="DayCounting"/> means, answered once for the catalogue checks (<see cref="StepPeriod.IsAtLeast"/>)
    /// and the calendar that counts the days (<c>GovernanceCalendar</c>), so the two cannot classify a mode differently.
    /// </summary>
    internal static class DayCountingRules
    {
        /// <summary>Whether only working days count (Monday to Friday, not bank holidays).</summary>
        public static bool IsWorking(this DayCounting counting) => counting is DayCounting.WorkingDays or DayCounting.ClearWorkingDays;

        /// <summary>Whether the days are clear: the day it is given and the day of the meeting or decision do not count.</summary>
        public static bool IsClear(this DayCounting counting) => counting is DayCounting.ClearCalendarDays or DayCounting.ClearWorkingDays;
    }
}
