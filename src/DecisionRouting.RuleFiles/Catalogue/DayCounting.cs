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
}
