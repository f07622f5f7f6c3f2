using System;
using NodaTime;
using NodaTime.Text;

namespace DecisionRouting.Text
{
    /// <summary>
    /// Reading an ISO date (<c>uuuu-MM-dd</c>) as <see cref="LocalDatePattern.Iso"/> reads it, without building
    /// NodaTime's pattern engine for the common, plain case.
    /// </summary>
    /// <remarks>
    /// Why: the first use of <see cref="LocalDatePattern.Iso"/> in a process builds NodaTime's invariant format info,
    /// and with it a parser for every one of its value types (instants, offsets, zoned times, fixed zones): about 300
    /// methods the JIT compiles on a cold start, since NodaTime ships no precompiled code, to read a proposal's dates.
    /// <see cref="TryParseExact"/> accepts only text of exactly the shape <c>dddd-dd-dd</c> (ASCII digits) naming a real
    /// day in years 0001 to 9999, and then builds the same <see cref="LocalDate"/> (ISO calendar) the pattern would.
    /// Anything else, valid or not, is not its to judge: the caller (<c>ObjectReader.Date</c>) hands it to
    /// <see cref="LocalDatePattern.Iso"/>, so every value accepted and every failure (and its message) stays NodaTime's. Year 0000, which NodaTime reads,
    /// goes to NodaTime too. <c>IsoDatesTests</c> compares the two over many texts.
    /// </remarks>
    internal static class IsoDates
    {
        /// <summary>
        /// True, with the date, when <paramref name="text"/> is exactly four ASCII digits, '-', two, '-', two, naming a
        /// real day of years 1 to 9999; false for everything else, which the caller must give to
        /// <see cref="LocalDatePattern.Iso"/> (false does not mean NodaTime would refuse it).
        /// </summary>
        public static bool TryParseExact(string? text, out LocalDate date)
        {
            date = default;
            if (text is null || text.Length != 10 || text[4] != '-' || text[7] != '-')
            {
                return false;
            }

            if (!Digits(text, 0, 4, out var year) || !Digits(text, 5, 2, out var month) || !Digits(text, 8, 2, out var day))
            {
                return false;
            }

            // DateTime's calendar is the proleptic Gregorian one, as NodaTime's ISO calendar is, over years 1 to 9999.
            if (year < 1 || month < 1 || month > 12 || day < 1 || day > DateTime.DaysInMonth(year, month))
            {
                return false;
            }

            date = new LocalDate(year, month, day);
            return true;
        }

        /// <summary>
        /// Reads an ISO date as <see cref="LocalDatePattern.Iso"/> does, except that text holding a NUL fails (see
        /// <see cref="NodaText"/>). Every date the project reads from a file, an option or a store goes through here.
        /// </summary>
        /// <param name="text">The text, e.g. <c>2013-07-15</c>.</param>
        /// <returns>The result: its <c>Success</c>, and its <c>Value</c> or the reason it failed.</returns>
        public static ParseResult<LocalDate> Parse(string text) =>
            TryParseExact(text, out var date) ? ParseResult<LocalDate>.ForValue(date) : NodaText.Parse(LocalDatePattern.Iso, text);

        private static bool Digits(string text, int start, int count, out int value)
        {
            value = 0;
            for (var i = start; i < start + count; i++)
            {
                var c = text[i];
                if (c < '0' || c > '9')
                {
                    return false;
                }

                value = (value * 10) + (c - '0');
            }

            return true;
        }
    }
}
