using NodaTime;
using NodaTime.Text;

namespace DecisionRouting.Text
{
    /// <summary>
    /// The one range of dates DecisionRouting accepts from any input: proposal dates and schedules, catalogue and
    /// bank-holiday dates, and the CLI's <c>--today</c>, <c>--at</c> and <c>--date</c> (the library's
    /// <c>TriggerRequest</c> and <c>StatusAsync</c> the same). A date outside it is a clear error, never a date
    /// computation that overflows later.
    /// </summary>
    /// <remarks>
    /// Why these bounds: every date a plan or a case derives from an input stays far inside NodaTime's calendar
    /// (years −9998 to 9999). The longest step period is <see cref="MaxPeriodDays"/>, so even a chain of several
    /// hundred such periods, working days and clear days included, stays representable; call-in windows, urgency
    /// look-backs and the noon-in-London instants the CLI builds from a date are a few days either side. The range
    /// still covers every real governance decision: the oldest statute the rules cite is from 1972, and nothing
    /// plans two centuries ahead.
    /// </remarks>
    internal static class SupportedDates
    {
        /// <summary>The earliest date accepted: 1 January 1900.</summary>
        public static LocalDate Earliest { get; } = new(1900, 1, 1);

        /// <summary>The latest date accepted: 31 December 2199.</summary>
        public static LocalDate Latest { get; } = new(2199, 12, 31);

        /// <summary>
        /// The longest period a catalogue step may give, in days (about ten years). A longer one is an error at load,
        /// because a plan dates chains of periods from a date in the range.
        /// </summary>
        public const int MaxPeriodDays = 3660;

        private static string? _range;

        /// <summary>"1900-01-01 to 2199-12-31", for messages and documentation.</summary>
        /// <remarks>
        /// Formatted on first use, not with the class: <see cref="Contains(LocalDate)"/> runs on every date read, and
        /// building <see cref="LocalDatePattern.Iso"/> there would put NodaTime's pattern engine on every cold start
        /// (see <see cref="IsoDates"/>) for a text only an out-of-range message needs. Two threads may both format it;
        /// they format the same text.
        /// </remarks>
        public static string Range => _range ??= LocalDatePattern.Iso.Format(Earliest) + " to " + LocalDatePattern.Iso.Format(Latest);

        /// <summary>Whether the date is in the supported range.</summary>
        public static bool Contains(LocalDate date) => date >= Earliest && date <= Latest;

        /// <summary>
        /// Whether the instant falls on a supported date in UTC; the range has years of margin on either side, so
        /// the day in London (at most an hour away) is inside NodaTime's range too.
        /// </summary>
        public static bool Contains(Instant instant) =>
            instant >= Earliest.AtMidnight().InUtc().ToInstant() && instant < Latest.PlusDays(1).AtMidnight().InUtc().ToInstant();

        /// <summary>The message for a date outside the range: what was given, and the range.</summary>
        public static string OutOfRange(string what, string given) =>
            $"{what} {given} is outside the supported range of dates, {Range}";
    }
}
