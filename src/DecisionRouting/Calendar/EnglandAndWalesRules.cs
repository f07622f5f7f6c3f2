using System.Collections.Generic;
using System.Linq;
using NodaTime;

namespace DecisionRouting.Calendar
{
    /// <summary>
    /// The recurring bank holidays of England and Wales, computed: the fallback for years the data file does not
    /// cover. One-off holidays (jubilees, royal weddings, funerals) are proclaimed and cannot be computed; they live
    /// only in the data.
    /// </summary>
    internal static class EnglandAndWalesRules
    {
        public static IReadOnlyList<BankHoliday> Compute(int year)
        {
            var easter = EasterSunday(year);
            var holidays = new List<BankHoliday>
            {
                new(easter.PlusDays(-2), "Good Friday"),
                new(easter.PlusDays(1), "Easter Monday"),
                new(FirstMonday(year, 5), "Early May bank holiday"),
                new(LastMonday(year, 5), "Spring bank holiday"),
                new(LastMonday(year, 8), "Summer bank holiday"),
            };

            // BFDA 1971 Sch 1 and proclamation: a fixed holiday at a weekend moves to the next weekday not already a
            // holiday. Place the weekday ones first so Christmas on a Sunday yields to a Monday Boxing Day (26, 27 Dec).
            var fixedDays = new[]
            {
                new BankHoliday(new LocalDate(year, 1, 1), "New Year’s Day"),
                new BankHoliday(new LocalDate(year, 12, 25), "Christmas Day"),
                new BankHoliday(new LocalDate(year, 12, 26), "Boxing Day"),
            };
            holidays.AddRange(fixedDays.Where(h => !IsWeekend(h.Date)));
            foreach (var holiday in fixedDays.Where(h => IsWeekend(h.Date)))
            {
                var day = holiday.Date;
                while (IsWeekend(day) || holidays.Any(h => h.Date == day))
                {
                    day = day.PlusDays(1);
                }

                holidays.Add(new BankHoliday(day, holiday.Title + " (substitute day)"));
            }

            return holidays.OrderBy(h => h.Date).ToList();
        }

        /// <summary>Easter Sunday in the Gregorian calendar (the anonymous Gregorian algorithm).</summary>
        public static LocalDate EasterSunday(int year)
        {
            int a = year % 19, b = year / 100, c = year % 100, d = b / 4, e = b % 4;
            int f = (b + 8) / 25, g = (b - f + 1) / 3, h = ((19 * a) + b - d - g + 15) % 30;
            int i = c / 4, k = c % 4, l = (32 + (2 * e) + (2 * i) - h - k) % 7, m = (a + (11 * h) + (22 * l)) / 451;
            int month = (h + l - (7 * m) + 114) / 31, day = ((h + l - (7 * m) + 114) % 31) + 1;
            return new LocalDate(year, month, day);
        }

        internal static bool IsWeekend(LocalDate date) => date.DayOfWeek is IsoDayOfWeek.Saturday or IsoDayOfWeek.Sunday;

        private static LocalDate FirstMonday(int year, int month) =>
            new LocalDate(year, month, 1).With(DateAdjusters.NextOrSame(IsoDayOfWeek.Monday));

        private static LocalDate LastMonday(int year, int month) =>
            new LocalDate(year, month, 1).With(DateAdjusters.EndOfMonth).With(DateAdjusters.PreviousOrSame(IsoDayOfWeek.Monday));
    }
}
