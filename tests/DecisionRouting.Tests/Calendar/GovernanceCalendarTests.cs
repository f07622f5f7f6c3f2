using System;
using DecisionRouting.Calendar;
using NodaTime;

namespace DecisionRouting.Tests.Calendar;

/// <summary>Working-day and clear-day arithmetic across weekends, Easter, year ends and one-off holidays.</summary>
public sealed class GovernanceCalendarTests
{
    private static readonly GovernanceCalendar Calendar = GovernanceCalendar.EnglandAndWales;

    private static LocalDate D(string iso) => NodaTime.Text.LocalDatePattern.Iso.Parse(iso).GetValueOrThrow();

    [Theory]
    [InlineData("2013-07-15", 5, "2013-07-22")] // Croydon: decided Monday, call-in ends the following Monday
    [InlineData("2022-09-16", 5, "2022-09-26")] // Salford: skips the Queen's funeral on 19 Sep
    [InlineData("2014-04-17", 1, "2014-04-22")] // Maundy Thursday: Good Friday, the weekend and Easter Monday skipped
    [InlineData("2020-12-24", 1, "2020-12-29")] // Christmas Friday, weekend, Boxing Day substitute Monday
    [InlineData("2022-12-23", 1, "2022-12-28")] // Christmas on a Sunday: 26 and 27 Dec both holidays
    [InlineData("2021-12-31", 1, "2022-01-04")] // year end: New Year substitute on Monday 3 Jan
    [InlineData("2014-04-22", -1, "2014-04-17")] // backwards over Easter
    [InlineData("2013-07-22", 0, "2013-07-22")]
    public void Adding_working_days(string from, int days, string expected) =>
        Assert.Equal(D(expected), Calendar.AddWorkingDays(D(from), days));

    [Theory]
    [InlineData("2018-04-24", 28, DayCounting.ClearCalendarDays, "2018-03-26")] // Doncaster's forward-plan notice
    [InlineData("2018-04-24", 5, DayCounting.ClearCalendarDays, "2018-04-18")] // its general exception, calendar mode
    [InlineData("2018-04-24", 5, DayCounting.ClearWorkingDays, "2018-04-16")] // working mode
    [InlineData("2014-04-22", 5, DayCounting.ClearWorkingDays, "2014-04-10")] // across Easter
    [InlineData("2014-04-22", 5, DayCounting.ClearCalendarDays, "2014-04-16")] // Easter does not matter in calendar mode
    [InlineData("2023-01-09", 5, DayCounting.ClearWorkingDays, "2022-12-29")] // across Christmas and New Year
    [InlineData("2018-04-24", 10, DayCounting.CalendarDays, "2018-04-14")]
    [InlineData("2018-04-24", 3, DayCounting.WorkingDays, "2018-04-19")]
    public void Latest_day_before_a_decision(string decision, int days, DayCounting counting, string expected)
    {
        var latest = Calendar.LatestDayBefore(D(decision), new StepPeriod(days, counting) { Anchor = PeriodAnchor.BeforeDecision });
        Assert.Equal(D(expected), latest);
        if (counting is DayCounting.ClearCalendarDays or DayCounting.ClearWorkingDays)
        {
            Assert.Equal(days, Calendar.ClearDaysBetween(latest, D(decision), counting == DayCounting.ClearWorkingDays));
        }
    }

    [Theory]
    [InlineData("2013-07-23", 42, DayCounting.CalendarDays, PeriodAnchor.FromStart, "2013-09-02")] // Croydon: six weeks from 23 Jul
    [InlineData("2013-07-15", 5, DayCounting.WorkingDays, PeriodAnchor.AfterDecision, "2013-07-22")]
    [InlineData("2022-09-16", 5, DayCounting.WorkingDays, PeriodAnchor.AfterDecision, "2022-09-26")]
    [InlineData("2014-04-17", 2, DayCounting.WorkingDays, PeriodAnchor.FromStart, "2014-04-22")] // day one is the Thursday
    [InlineData("2014-04-18", 2, DayCounting.WorkingDays, PeriodAnchor.FromStart, "2014-04-23")] // Good Friday is not day one
    [InlineData("2013-07-23", 30, DayCounting.ClearCalendarDays, PeriodAnchor.FromStart, "2013-08-22")]
    public void Last_day_of_a_period(string start, int days, DayCounting counting, PeriodAnchor anchor, string expected) =>
        Assert.Equal(D(expected), Calendar.LastDay(D(start), new StepPeriod(days, counting) { Anchor = anchor }));

    [Fact]
    public void A_cut_off_is_london_time_and_no_cut_off_means_the_end_of_the_day()
    {
        var croydon = GovernanceCalendar.Closes(D("2013-07-22"), new LocalTime(13, 0));
        Assert.Equal(Instant.FromUtc(2013, 7, 22, 12, 0), croydon.ToInstant()); // British Summer Time
        var winter = GovernanceCalendar.Closes(D("2013-12-02"), new LocalTime(13, 0));
        Assert.Equal(Instant.FromUtc(2013, 12, 2, 13, 0), winter.ToInstant()); // GMT
        var salford = GovernanceCalendar.Closes(D("2022-09-26"), null);
        Assert.Equal(new LocalDateTime(2022, 9, 27, 0, 0), salford.LocalDateTime); // "Effective from 27/09/2022"
    }

    [Fact]
    public void Today_is_the_london_date_of_the_clock()
    {
        // 23:30 UTC on 14 July is 00:30 BST on 15 July.
        var clock = new FixedClock(new DateTimeOffset(2013, 7, 14, 23, 30, 0, TimeSpan.Zero));
        Assert.Equal(D("2013-07-15"), GovernanceCalendar.Today(clock));
    }

    [Fact]
    public void Weekends_and_holidays_are_not_working_days()
    {
        Assert.False(Calendar.IsWorkingDay(D("2013-09-08"))); // Croydon's consultation end: a Sunday
        Assert.False(Calendar.IsWorkingDay(D("2022-09-19")));
        Assert.True(Calendar.IsWorkingDay(D("2013-07-22")));
    }
}

/// <summary>A clock stopped at one instant, so tests say what "today" is.</summary>
internal sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}

/// <summary>A clock whose timestamps advance by a fixed step each time they are read, so elapsed time is deterministic.</summary>
internal sealed class SteppingClock(TimeSpan step) : TimeProvider
{
    private long _ticks;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() => global::System.Threading.Interlocked.Add(ref _ticks, step.Ticks);
}
