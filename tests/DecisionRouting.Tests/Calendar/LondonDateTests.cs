using DecisionRouting.Calendar;
using NodaTime;

namespace DecisionRouting.Tests.Calendar;

/// <summary>
/// <see cref="GovernanceCalendar.DateInLondon"/>, which answers from UTC when London's offset (0 or +1 hour since 1972)
/// cannot change the date, against the time-zone database's answer.
/// </summary>
public sealed class LondonDateTests
{
    private static readonly DateTimeZone London = DateTimeZoneProviders.Tzdb["Europe/London"];

    [Fact]
    public void Every_hour_and_half_hour_around_the_clock_changes_gives_the_databases_date()
    {
        // Years with both rule sets (before and after 1996's EU dates), a leap year, the first shortcut year and the
        // supported range's end, plus the years of double summer time and all-year BST, where the database answers.
        foreach (var year in new[] { 1900, 1916, 1941, 1947, 1968, 1970, 1971, 1972, 1980, 1995, 1996, 2002, 2013, 2024, 2025, 2038, 2199 })
        {
            var start = Instant.FromUtc(year, 1, 1, 0, 0).Minus(Duration.FromDays(1));
            var end = Instant.FromUtc(year + 1, 1, 1, 0, 0).Plus(Duration.FromDays(1));
            for (var at = start; at < end; at = at.Plus(Duration.FromMinutes(30)))
            {
                Assert.Equal(at.InZone(London).Date, GovernanceCalendar.DateInLondon(at));
            }
        }
    }

    [Fact]
    public void The_minutes_either_side_of_23_00_UTC_and_of_the_changes_give_the_databases_date()
    {
        foreach (var day in new[] { new LocalDate(2024, 3, 30), new LocalDate(2024, 3, 31), new LocalDate(2024, 10, 26), new LocalDate(2024, 10, 27), new LocalDate(2024, 12, 31), new LocalDate(1971, 12, 31), new LocalDate(2199, 12, 31) })
        {
            var midnight = day.AtMidnight().InUtc().ToInstant();
            for (var minute = 0; minute < 24 * 60; minute++)
            {
                var at = midnight.Plus(Duration.FromMinutes(minute));
                Assert.Equal(at.InZone(London).Date, GovernanceCalendar.DateInLondon(at));
                Assert.Equal(at.Minus(Duration.FromTicks(1)).InZone(London).Date, GovernanceCalendar.DateInLondon(at.Minus(Duration.FromTicks(1))));
            }
        }
    }

    [Fact]
    public void The_database_gives_London_an_offset_of_0_or_plus_1_hour_from_1972_to_2200()
    {
        // The shortcut's premise (Summer Time Act 1972, Summer Time Order 2002), checked against the data it stands in
        // for: a NodaTime whose database says otherwise must fail here, not plan on a wrong day.
        var intervals = London.GetZoneIntervals(Instant.FromUtc(1972, 1, 1, 0, 0), Instant.FromUtc(2200, 1, 1, 0, 0));
        var count = 0;
        foreach (var interval in intervals)
        {
            Assert.True(interval.WallOffset == Offset.Zero || interval.WallOffset == Offset.FromHours(1), $"{interval}");
            count++;
        }

        Assert.True(count > 400, $"{count} intervals");
    }

    [Fact]
    public void Before_1972_an_offset_of_2_hours_is_in_the_database_so_the_shortcut_does_not_apply()
    {
        // 1947's double summer time: 23:30 UTC on 1 June was 01:30 the next day in London.
        var at = Instant.FromUtc(1947, 6, 1, 22, 30);
        Assert.Equal(new LocalDate(1947, 6, 2), at.InZone(London).Date);
        Assert.Equal(new LocalDate(1947, 6, 2), GovernanceCalendar.DateInLondon(at));
    }

    [Fact]
    public void The_zone_is_the_databases_Europe_London()
    {
        Assert.Same(London, GovernanceCalendar.London);
        Assert.Equal("Europe/London", GovernanceCalendar.London.Id);
    }
}
