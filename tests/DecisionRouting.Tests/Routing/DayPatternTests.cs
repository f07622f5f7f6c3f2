using System.Globalization;
using DecisionRouting.Text;
using NodaTime;
using NodaTime.Text;

namespace DecisionRouting.Tests.Routing;

/// <summary>
/// <see cref="DateText.Day"/>, written without NodaTime's pattern engine for ISO dates of years 1 to 9999, against
/// NodaTime's own pattern <c>ddd d MMM uuuu</c> in the invariant culture: the same text, character for character.
/// </summary>
public sealed class DayPatternTests
{
    private static readonly LocalDatePattern Noda = LocalDatePattern.Create("ddd d MMM uuuu", CultureInfo.InvariantCulture);

    [Fact]
    public void Every_day_from_1800_to_2250_is_written_as_NodaTime_writes_it()
    {
        var checkedDays = 0;
        for (var day = new LocalDate(1800, 1, 1); day <= new LocalDate(2250, 12, 31); day = day.PlusDays(1))
        {
            Assert.Equal(Noda.Format(day), DateText.Day.Format(day));
            checkedDays++;
        }

        Assert.Equal(164_724, checkedDays);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(99)]
    [InlineData(100)]
    [InlineData(999)]
    [InlineData(1000)]
    [InlineData(1582)]
    [InlineData(9999)]
    public void Early_and_late_years_are_padded_as_NodaTime_pads_them(int year)
    {
        var first = new LocalDate(year, 1, 1);
        for (var i = 0; i < CalendarSystem.Iso.GetDaysInYear(year); i++)
        {
            var day = first.PlusDays(i);
            Assert.Equal(Noda.Format(day), DateText.Day.Format(day));
        }
    }

    [Fact]
    public void Dates_it_does_not_write_itself_go_to_NodaTime()
    {
        // Year 0 and before, and other calendars: NodaTime's pattern writes them.
        foreach (var date in new[] { new LocalDate(0, 2, 29), new LocalDate(-1, 12, 31), new LocalDate(-9998, 1, 1), new LocalDate(2013, 7, 22).WithCalendar(CalendarSystem.Julian), new LocalDate(1434, 9, 14, CalendarSystem.IslamicBcl) })
        {
            Assert.Equal(Noda.Format(date), DateText.Day.Format(date));
        }
    }

    [Fact]
    public void A_plan_date_reads_as_documented()
    {
        Assert.Equal("Mon 22 Jul 2013", DateText.Day.Format(new LocalDate(2013, 7, 22)));
        Assert.Equal("Sat 1 Jan 2000", DateText.Day.Format(new LocalDate(2000, 1, 1)));
        Assert.Equal("ddd d MMM uuuu", DateText.Day.Pattern.PatternText);
    }
}
