using System.Globalization;
using NodaTime.Text;

namespace DecisionRouting.Text
{
    /// <summary>
    /// The one home of the date and time patterns plans, refusals and case output are written in, so a date reads the
    /// same in a plan, in the lifecycle's refusals and on the command line. Every pattern uses the invariant culture.
    /// </summary>
    /// <remarks>
    /// Each NodaTime pattern is built on first use, not with the class: building any of them builds NodaTime's format
    /// machinery, which a cold start's first plan does not otherwise need (see <see cref="DayPattern"/>). Two threads
    /// may both build one; the patterns are immutable and equal.
    /// </remarks>
    internal static class DateText
    {
        private static LocalDatePattern? _plain;
        private static LocalDatePattern? _long;
        private static ZonedDateTimePattern? _moment;
        private static OffsetDateTimePattern? _isoMoment;

        /// <summary>A date as people read it, e.g. "Mon 22 Jul 2013" (pattern <c>ddd d MMM uuuu</c>).</summary>
        public static DayPattern Day { get; } = new();

        /// <summary>A date in rule and law text, where the weekday adds nothing, e.g. "1 Apr 2024" (pattern <c>d MMM uuuu</c>).</summary>
        public static LocalDatePattern Plain => _plain ??= LocalDatePattern.Create("d MMM uuuu", CultureInfo.InvariantCulture);

        /// <summary>A date written out in full, for headings, e.g. "1 April 2024" (pattern <c>d MMMM uuuu</c>).</summary>
        public static LocalDatePattern Long => _long ??= LocalDatePattern.Create("d MMMM uuuu", CultureInfo.InvariantCulture);

        /// <summary>A moment as people read it, in its own zone, e.g. "Mon 22 Jul 2013 13:00" (pattern <c>ddd d MMM uuuu HH:mm</c>).</summary>
        public static ZonedDateTimePattern Moment => _moment ??= ZonedDateTimePattern.CreateWithInvariantCulture("ddd d MMM uuuu HH:mm", null);

        /// <summary>A date as programs and rule files read it, e.g. "2013-07-22" (ISO 8601, <c>uuuu-MM-dd</c>).</summary>
        public static LocalDatePattern Iso => LocalDatePattern.Iso;

        /// <summary>
        /// A moment as the plan JSON writes it: ISO 8601 with its offset and no fraction, e.g. "2013-07-22T13:00:00+01:00"
        /// (pattern <c>uuuu-MM-dd'T'HH:mm:sso&lt;+HH:mm&gt;</c>).
        /// </summary>
        public static OffsetDateTimePattern IsoMoment => _isoMoment ??= OffsetDateTimePattern.CreateWithInvariantCulture("uuuu-MM-dd'T'HH:mm:sso<+HH:mm>");
    }
}
