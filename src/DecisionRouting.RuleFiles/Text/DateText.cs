using System.Globalization;
using NodaTime.Text;

namespace DecisionRouting.Text
{
    /// <summary>
    /// The one home of the date and time patterns plans, refusals and case output are written in, so a date reads the
    /// same in a plan, in the lifecycle's refusals and on the command line. Every pattern uses the invariant culture.
    /// </summary>
    internal static class DateText
    {
        /// <summary>A date as people read it, e.g. "Mon 22 Jul 2013" (pattern <c>ddd d MMM uuuu</c>).</summary>
        public static LocalDatePattern Day { get; } = LocalDatePattern.Create("ddd d MMM uuuu", CultureInfo.InvariantCulture);

        /// <summary>A date in rule and law text, where the weekday adds nothing, e.g. "1 Apr 2024" (pattern <c>d MMM uuuu</c>).</summary>
        public static LocalDatePattern Plain { get; } = LocalDatePattern.Create("d MMM uuuu", CultureInfo.InvariantCulture);

        /// <summary>A date written out in full, for headings, e.g. "1 April 2024" (pattern <c>d MMMM uuuu</c>).</summary>
        public static LocalDatePattern Long { get; } = LocalDatePattern.Create("d MMMM uuuu", CultureInfo.InvariantCulture);

        /// <summary>A moment as people read it, in its own zone, e.g. "Mon 22 Jul 2013 13:00" (pattern <c>ddd d MMM uuuu HH:mm</c>).</summary>
        public static ZonedDateTimePattern Moment { get; } = ZonedDateTimePattern.CreateWithInvariantCulture("ddd d MMM uuuu HH:mm", null);

        /// <summary>A date as programs and rule files read it, e.g. "2013-07-22" (ISO 8601, <c>uuuu-MM-dd</c>).</summary>
        public static LocalDatePattern Iso { get; } = LocalDatePattern.Iso;

        /// <summary>
        /// A moment as the plan JSON writes it: ISO 8601 with its offset and no fraction, e.g. "2013-07-22T13:00:00+01:00"
        /// (pattern <c>uuuu-MM-dd'T'HH:mm:sso&lt;+HH:mm&gt;</c>).
        /// </summary>
        public static OffsetDateTimePattern IsoMoment { get; } = OffsetDateTimePattern.CreateWithInvariantCulture("uuuu-MM-dd'T'HH:mm:sso<+HH:mm>");
    }
}
