using System.IO;
using System.Linq;
using DecisionRouting.Calendar;
using NodaTime;

namespace DecisionRouting.Tests.Calendar;

/// <summary>Each bank-holiday rule of England and Wales, each one-off holiday, and the data/computation split.</summary>
public sealed class BankHolidayTests
{
    private static readonly BankHolidays Shipped = BankHolidays.EnglandAndWales;

    private static LocalDate D(string iso) => NodaTime.Text.LocalDatePattern.Iso.Parse(iso).GetValueOrThrow();

    [Theory]
    [InlineData("2013-01-01")] // a Tuesday: kept on the day
    [InlineData("2011-01-03")] // 1 Jan 2011 was a Saturday: Monday substitute
    [InlineData("2017-01-02")] // 1 Jan 2017 was a Sunday: Monday substitute
    [InlineData("2022-01-03")] // Saturday again
    public void New_years_day_or_its_substitute(string date) => Assert.True(Shipped.IsBankHoliday(D(date)));

    [Theory]
    [InlineData("2011-04-22", "2011-04-25")]
    [InlineData("2013-03-29", "2013-04-01")]
    [InlineData("2014-04-18", "2014-04-21")]
    [InlineData("2018-03-30", "2018-04-02")]
    [InlineData("2019-04-19", "2019-04-22")]
    [InlineData("2024-03-29", "2024-04-01")]
    [InlineData("2025-04-18", "2025-04-21")]
    public void Good_friday_and_easter_monday_follow_easter(string goodFriday, string easterMonday)
    {
        Assert.Equal("Good Friday", Shipped.Find(D(goodFriday))?.Title);
        Assert.Equal("Easter Monday", Shipped.Find(D(easterMonday))?.Title);
    }

    [Theory]
    [InlineData("2013-05-06", "2013-05-27", "2013-08-26")]
    [InlineData("2018-05-07", "2018-05-28", "2018-08-27")]
    [InlineData("2021-05-03", "2021-05-31", "2021-08-30")]
    public void May_and_august_mondays(string earlyMay, string spring, string summer)
    {
        Assert.StartsWith("Early May", Shipped.Find(D(earlyMay))?.Title);
        Assert.Equal("Spring bank holiday", Shipped.Find(D(spring))?.Title);
        Assert.Equal("Summer bank holiday", Shipped.Find(D(summer))?.Title);
    }

    [Theory]
    [InlineData(2013, "2013-12-25", "2013-12-26")] // Wednesday and Thursday: on the day
    [InlineData(2010, "2010-12-27", "2010-12-28")] // Saturday and Sunday: Monday and Tuesday
    [InlineData(2011, "2011-12-26", "2011-12-27")] // Christmas on a Sunday: Boxing Day Monday, Christmas Tuesday
    [InlineData(2016, "2016-12-26", "2016-12-27")] // the same
    [InlineData(2020, "2020-12-25", "2020-12-28")] // Boxing Day on a Saturday: Monday
    [InlineData(2022, "2022-12-26", "2022-12-27")] // the catalogue's case: Christmas on a Sunday
    public void Christmas_and_boxing_day_with_substitutes(int year, string first, string second)
    {
        var december = Shipped.InYear(year).Where(h => h.Date.Month == 12).Select(h => h.Date).ToList();
        Assert.Equal(new[] { D(first), D(second) }, december);
        Assert.Equal(december, BankHolidays.Computed.InYear(year).Where(h => h.Date.Month == 12).Select(h => h.Date));
    }

    [Theory]
    [InlineData("2011-04-29", "Royal wedding")]
    [InlineData("2012-06-04", "Spring bank holiday")]
    [InlineData("2012-06-05", "Queen’s Diamond Jubilee")]
    [InlineData("2020-05-08", "Early May bank holiday (VE day)")]
    [InlineData("2022-06-02", "Spring bank holiday")]
    [InlineData("2022-06-03", "Platinum Jubilee bank holiday")]
    [InlineData("2022-09-19", "Bank Holiday for the State Funeral of Queen Elizabeth II")]
    [InlineData("2023-05-08", "Bank holiday for the coronation of King Charles III")]
    public void One_off_holidays_come_from_the_data(string date, string title)
    {
        Assert.Equal(title, Shipped.Find(D(date))?.Title);
        Assert.False(BankHolidays.Computed.IsBankHoliday(D(date)), "one-offs are proclaimed, so computation cannot know them");
    }

    [Theory]
    [InlineData("2012-05-28")] // spring bank holiday moved to 4 June for the Diamond Jubilee
    [InlineData("2020-05-04")] // early May moved to Friday 8 May for VE day
    [InlineData("2022-05-30")] // spring bank holiday moved to 2 June for the Platinum Jubilee
    public void Moved_holidays_leave_their_usual_day_a_working_day(string date)
    {
        Assert.False(Shipped.IsBankHoliday(D(date)));
        Assert.True(GovernanceCalendar.EnglandAndWales.IsWorkingDay(D(date)));
        Assert.True(BankHolidays.Computed.IsBankHoliday(D(date)));
    }

    [Fact]
    public void Shipped_data_matches_the_computed_rules_in_every_year_without_a_one_off()
    {
        int[] oneOffYears = [2002, 2011, 2012, 2020, 2022, 2023];
        Assert.Equal(Enumerable.Range(2000, 31), Shipped.ListedYears.OrderBy(y => y));
        foreach (var year in Shipped.ListedYears.Except(oneOffYears))
        {
            Assert.Equal(BankHolidays.Computed.InYear(year).Select(h => h.Date), Shipped.InYear(year).Select(h => h.Date));
        }
    }

    [Theory]
    [InlineData(2031, "2031-04-11", "2031-04-14")]
    [InlineData(2035, "2035-03-23", "2035-03-26")]
    [InlineData(2038, "2038-04-23", "2038-04-26")]
    public void Years_beyond_the_data_are_computed(int year, string goodFriday, string easterMonday)
    {
        Assert.DoesNotContain(year, Shipped.ListedYears);
        var holidays = Shipped.InYear(year);
        Assert.Equal(8, holidays.Count);
        Assert.Contains(holidays, h => h.Date == D(goodFriday) && h.Title == "Good Friday");
        Assert.Contains(holidays, h => h.Date == D(easterMonday) && h.Title == "Easter Monday");
    }

    [Fact]
    public void A_user_file_replaces_the_shipped_data_for_the_years_it_lists()
    {
        var path = Path.Combine(Path.GetTempPath(), $"dr-holidays-{System.Guid.NewGuid():N}.json");
        File.WriteAllText(path, """
            {
              "england-and-wales": { "division": "england-and-wales", "events": [
                { "title": "New Year’s Day", "date": "2031-01-01", "notes": "", "bunting": true },
                { "title": "A proclaimed holiday", "date": "2031-06-06", "notes": "", "bunting": true }
              ] },
              "scotland": { "division": "scotland", "events": [] }
            }
            """);
        try
        {
            var holidays = BankHolidays.Load(path);
            Assert.True(holidays.IsBankHoliday(D("2031-06-06")));
            Assert.False(holidays.IsBankHoliday(D("2031-04-11")), "a listed year is taken from the file alone");
            Assert.True(holidays.IsBankHoliday(D("2032-01-01")), "an unlisted year is computed");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData("""{ "england-and-wales": { "events": [ { "title": "X", "date": "26/12/2022" } ] } }""", "DR0072", "\"26/12/2022\"")]
    [InlineData("""{ "england-and-wales": { "events": [ { "title": "X", "date": "2022-12-26", "bunting": true, "colour": "red" } ] } }""", "DR0002", "\"colour\"")]
    [InlineData("""{ "england-and-wales": { "events": [ ] } }""", "DR0028", "{ \"events\"")]
    [InlineData("""{ "england-and-wales": { "events": [ { "title": "X", "date": "2022-12-26" }, ] } }""", "DR0001", "]")]
    public void A_bad_file_is_rejected_with_the_position_of_the_problem(string json, string id, string marker)
    {
        var error = Assert.Throws<InvalidBankHolidaysException>(() => BankHolidays.Parse("holidays.json", json));
        var diagnostic = Assert.Single(error.Diagnostics);
        Assert.Equal(id, diagnostic.Id);
        var (line, column) = Support.Position.Of(json, marker);
        Assert.Equal($"holidays.json({line},{column})", diagnostic.Location.ToString());
    }

    [Fact]
    public void A_missing_file_is_a_diagnostic_not_a_crash()
    {
        var error = Assert.Throws<InvalidBankHolidaysException>(() => BankHolidays.Load("no-such-holidays.json"));
        Assert.Equal("DR0085", Assert.Single(error.Diagnostics).Id);
        Assert.Contains("does not exist", error.Message);
    }
}
