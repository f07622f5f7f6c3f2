using System.Collections.Generic;
using System.Linq;
using DecisionRouting.Calendar;
using NodaTime;

namespace DecisionRouting.Tests.Calendar;

/// <summary>
/// The planner dates a notice by <see cref="GovernanceCalendar.LatestDayBefore"/>; the lifecycle lets the meeting
/// decide from <see cref="GovernanceCalendar.EarliestAfter"/>. These hold the two to one answer, and both to a plain
/// count of clear days (<see cref="GovernanceCalendar.ClearDaysBetween"/>, excluding the day of notice and the day of
/// the meeting), for every decision day over Easter 2024, its weekends, and the May bank holiday.
/// </summary>
public sealed class PeriodAgreementTests
{
    private static readonly GovernanceCalendar Calendar = GovernanceCalendar.EnglandAndWales;

    public static IEnumerable<object[]> Periods() =>
        from counting in new[] { DayCounting.CalendarDays, DayCounting.WorkingDays, DayCounting.ClearCalendarDays, DayCounting.ClearWorkingDays }
        from days in new[] { 1, 3, 5, 28 }
        select new object[] { days, counting };

    private static IEnumerable<LocalDate> DecisionDays()
    {
        // Good Friday 29 Mar, Easter Monday 1 Apr 2024; early May bank holiday Mon 6 May 2024.
        for (var day = new LocalDate(2024, 3, 25); day <= new LocalDate(2024, 5, 10); day = day.PlusDays(1))
        {
            yield return day;
        }
    }

    [Theory]
    [MemberData(nameof(Periods))]
    public void A_notice_on_the_planners_latest_day_lets_the_lifecycle_decide_on_the_day_and_no_earlier(int days, DayCounting counting)
    {
        var period = new StepPeriod(days, counting) { Anchor = PeriodAnchor.BeforeDecision };
        foreach (var decision in DecisionDays())
        {
            var latest = Calendar.LatestDayBefore(decision, period);
            var earliest = Calendar.EarliestAfter(latest, period);

            Assert.True(earliest <= decision, $"{period}: notice on {latest} (planner, for {decision}) but the lifecycle waits until {earliest}");
            Assert.True(Calendar.LatestDayBefore(earliest, period) >= latest, $"{period}: the lifecycle allows {earliest}, which the planner would date before {latest}");
            Assert.True(Calendar.LatestDayBefore(earliest.PlusDays(-1), period) < latest, $"{period}: the lifecycle refuses {earliest.PlusDays(-1)}, which the planner allows after {latest}");
            // A notice a day later than the planner's latest day is too late for this decision.
            Assert.True(Calendar.EarliestAfter(latest.PlusDays(1), period) > decision, $"{period}: a notice after {latest} still allows {decision}");
        }
    }

    [Theory]
    [InlineData(DayCounting.ClearCalendarDays, false)]
    [InlineData(DayCounting.ClearWorkingDays, true)]
    public void Clear_days_exclude_the_day_of_notice_and_the_day_of_the_meeting_in_both(DayCounting counting, bool working)
    {
        foreach (var days in new[] { 1, 5, 28 })
        {
            var period = new StepPeriod(days, counting) { Anchor = PeriodAnchor.BeforeDecision };
            foreach (var decision in DecisionDays())
            {
                var latest = Calendar.LatestDayBefore(decision, period);
                Assert.Equal(days, Calendar.ClearDaysBetween(latest, decision, working));

                var earliest = Calendar.EarliestAfter(latest, period);
                Assert.True(Calendar.ClearDaysBetween(latest, earliest, working) >= days);
                Assert.True(Calendar.ClearDaysBetween(latest, earliest.PlusDays(-1), working) < days);
            }
        }
    }

    [Fact]
    public void Five_clear_working_days_over_Easter_and_a_weekend()
    {
        // Agenda out Mon 25 Mar 2024: Tue 26, Wed 27, Thu 28 Mar, Tue 2, Wed 3 Apr are the five clear working days
        // (Good Friday, the weekend and Easter Monday do not count, nor the day of notice, nor the meeting's day).
        var period = new StepPeriod(5, DayCounting.ClearWorkingDays) { Anchor = PeriodAnchor.BeforeDecision };

        Assert.Equal(new LocalDate(2024, 3, 25), Calendar.LatestDayBefore(new LocalDate(2024, 4, 4), period));
        Assert.Equal(new LocalDate(2024, 4, 4), Calendar.EarliestAfter(new LocalDate(2024, 3, 25), period));
        Assert.Equal(5, Calendar.ClearDaysBetween(new LocalDate(2024, 3, 25), new LocalDate(2024, 4, 4), workingDaysOnly: true));
    }

    [Theory]
    [InlineData("2013-07-22T13:00", "2013-07-22")] // Croydon's call-in closes at 13:00: that day is the last
    [InlineData("2013-07-23T00:00", "2013-07-22")] // midnight ending Mon 22 Jul: that Monday is the last
    public void The_last_day_of_a_window_is_read_one_way_everywhere(string closes, string lastDay)
    {
        var at = NodaTime.Text.LocalDateTimePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd'T'HH':'mm").Parse(closes).Value.InZoneLeniently(GovernanceCalendar.London);

        Assert.Equal(NodaTime.Text.LocalDatePattern.Iso.Parse(lastDay).Value, GovernanceCalendar.LastDayOf(at));
    }

    [Fact]
    public void The_latest_start_is_the_inverse_of_the_last_day()
    {
        foreach (var counting in new[] { DayCounting.CalendarDays, DayCounting.WorkingDays, DayCounting.ClearCalendarDays, DayCounting.ClearWorkingDays })
        {
            var period = new StepPeriod(10, counting);
            foreach (var endBy in DecisionDays())
            {
                var start = Calendar.LatestStart(endBy, period);
                Assert.True(Calendar.LastDay(start, period) <= endBy, $"{period} from {start} ends after {endBy}");
                Assert.True(Calendar.LastDay(start.PlusDays(1), period) > endBy, $"{period} could start after {start} and still end by {endBy}");
            }
        }
    }
}
