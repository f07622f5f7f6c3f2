using System.Globalization;
using NodaTime;
using NodaTime.Text;

namespace DecisionRouting.Text
{
    /// <summary>
    /// <see cref="DateText.Day"/>: a date as people read it, e.g. "Mon 22 Jul 2013", NodaTime's pattern
    /// <c>ddd d MMM uuuu</c> in the invariant culture, written without building NodaTime's pattern engine for the plain
    /// case.
    /// </summary>
    /// <remarks>
    /// Why: every step's reason in a plan carries such a date, so the first route of a process would otherwise build
    /// NodaTime's invariant format info and pattern parsers (a few hundred methods the JIT compiles, since NodaTime ships
    /// no precompiled code). The invariant culture's abbreviated names are fixed (English, "Mon" to "Sun", "Jan" to
    /// "Dec"), so <see cref="Format"/> writes an ISO-calendar date of years 1 to 9999 itself; any other date (another
    /// calendar, year 0 or before) goes to <see cref="Pattern"/>, NodaTime's own pattern. <c>DayPatternTests</c> checks
    /// the two give the same text for every day from 1800 to 2250 and for early years.
    /// </remarks>
    internal sealed class DayPattern
    {
        private static readonly string[] DayNames = { "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun" };
        private static readonly string[] MonthNames = { "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };

        private LocalDatePattern? _pattern;

        /// <summary>The pattern text, <c>ddd d MMM uuuu</c>.</summary>
        public const string PatternText = "ddd d MMM uuuu";

        /// <summary>NodaTime's pattern for the same text (invariant culture), built on first use.</summary>
        public LocalDatePattern Pattern => _pattern ??= LocalDatePattern.Create(PatternText, CultureInfo.InvariantCulture);

        /// <summary>The date as <see cref="Pattern"/> formats it.</summary>
        public string Format(LocalDate date)
        {
            var year = date.Year;
            if (year < 1 || year > 9999 || date.Calendar != CalendarSystem.Iso)
            {
                return Pattern.Format(date);
            }

            // "ddd d MMM uuuu": at most 3 + 1 + 2 + 1 + 3 + 1 + 4 characters.
            var buffer = new char[15];
            var at = 0;
            Append(buffer, ref at, DayNames[(int)date.DayOfWeek - 1]);
            buffer[at++] = ' ';
            var day = date.Day;
            if (day >= 10)
            {
                buffer[at++] = (char)('0' + (day / 10));
            }

            buffer[at++] = (char)('0' + (day % 10));
            buffer[at++] = ' ';
            Append(buffer, ref at, MonthNames[date.Month - 1]);
            buffer[at++] = ' ';
            buffer[at++] = (char)('0' + (year / 1000));
            buffer[at++] = (char)('0' + (year / 100 % 10));
            buffer[at++] = (char)('0' + (year / 10 % 10));
            buffer[at++] = (char)('0' + (year % 10));
            return new string(buffer, 0, at);
        }

        private static void Append(char[] buffer, ref int at, string text)
        {
            foreach (var c in text)
            {
                buffer[at++] = c;
            }
        }
    }
}
