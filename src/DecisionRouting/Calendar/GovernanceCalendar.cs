using System;
using NodaTime;
using System.Globalization;

namespace DecisionRouting.Calendar
{
    /// <summary>
    /// Day arithmetic as councils count it: working days (Monday to Friday, not bank holidays in England and Wales),
    /// clear days (excluding the day of publication and the day of the meeting), and cut-off times in Europe/London.
    /// The one home of these rules: the planner (<c>PlanSchedule</c>, <c>PlanConsistency</c>) and the lifecycle
    /// (<c>CaseMoves</c>) both ask this class, so a notice the plan dates is the notice the case accepts.
    /// </summary>
    public sealed class GovernanceCalendar
    {
        /// <summary>Creates a calendar over the given bank holidays.</summary>
        public GovernanceCalendar(BankHolidays holidays)
        {
            Holidays = holidays ?? throw new ArgumentNullException(nameof(holidays));
        }

        /// <summary>The calendar with the shipped England and Wales bank holidays.</summary>
        public static GovernanceCalendar EnglandAndWales { get; } = new(BankHolidays.EnglandAndWales);

        /// <summary>The time zone every council date and cut-off time is in.</summary>
        /// <remarks>
        /// Loaded on first use, not with the class: reading NodaTime's time-zone database (its whole index, the Windows
        /// mappings and every zone's location) is a few hundred methods for the JIT on a cold start, and a plan that
        /// needs only today's date in London does not need it (see <see cref="DateInLondon"/>).
        /// </remarks>
        public static DateTimeZone London => LondonZone.Zone;

        /// <summary>From here on (1972-01-01T00:00Z), London's offset from UTC is 0 or +1 hour; see <see cref="DateInLondon"/>.</summary>
        private static readonly Instant OneHourAtMostFrom = Instant.FromUtc(1972, 1, 1, 0, 0);

        /// <summary>Up to here (2200-01-01T00:00Z, the end of the supported dates), the same; tested against the database.</summary>
        private static readonly Instant OneHourAtMostUntil = Instant.FromUtc(2200, 1, 1, 0, 0);

        /// <summary>The bank holidays this calendar skips.</summary>
        public BankHolidays Holidays { get; }

        /// <summary>Whether the day is a working day: Monday to Friday and not a bank holiday.</summary>
        public bool IsWorkingDay(LocalDate date) => !EnglandAndWalesRules.IsWeekend(date) && !Holidays.IsBankHoliday(date);

        /// <summary>The <paramref name="days"/>-th working day after <paramref name="date"/> (the day itself not counted); negative goes back.</summary>
        public LocalDate AddWorkingDays(LocalDate date, int days)
        {
            var step = days < 0 ? -1 : 1;
            for (var remaining = Math.Abs(days); remaining > 0;)
            {
                date = date.PlusDays(step);
                if (IsWorkingDay(date))
                {
                    remaining--;
                }
            }

            return date;
        }

        /// <summary>How many clear days lie strictly between two dates, counted in the given mode.</summary>
        public int ClearDaysBetween(LocalDate first, LocalDate last, bool workingDaysOnly)
        {
            var count = 0;
            for (var day = first.PlusDays(1); day < last; day = day.PlusDays(1))
            {
                if (!workingDaysOnly || IsWorkingDay(day))
                {
                    count++;
                }
            }

            return count;
        }

        /// <summary>
        /// The latest day something must happen to leave <paramref name="period"/> before <paramref name="decision"/>:
        /// for 28 clear calendar days that is 29 days before; in working modes it is a working day, since officers
        /// publish on working days.
        /// </summary>
        public LocalDate LatestDayBefore(LocalDate decision, StepPeriod period)
        {
            ArgumentNullException.ThrowIfNull(period);

            return period.Counting switch
            {
                DayCounting.CalendarDays => decision.PlusDays(-period.Days),
                DayCounting.ClearCalendarDays => decision.PlusDays(-period.Days - 1),
                DayCounting.WorkingDays => AddWorkingDays(decision, -period.Days),
                _ => AddWorkingDays(decision, -period.Days - 1),
            };
        }

        /// <summary>
        /// The last day of <paramref name="period"/> when it starts on <paramref name="start"/>. A period measured from
        /// the decision does not count the decision day ("the 5th working day after it is made"); a period a step runs
        /// for counts its first day unless its days are clear.
        /// </summary>
        public LocalDate LastDay(LocalDate start, StepPeriod period)
        {
            ArgumentNullException.ThrowIfNull(period);

            var excludesStart = period.Anchor == PeriodAnchor.AfterDecision || period.Counting.IsClear();
            var working = period.Counting.IsWorking();
            if (period.Days == 0)
            {
                return start;
            }

            if (!working)
            {
                return start.PlusDays(excludesStart ? period.Days : period.Days - 1);
            }

            // Counting the start day in working mode: the start is day one only if it is itself a working day.
            return excludesStart || !IsWorkingDay(start)
                ? AddWorkingDays(start, period.Days)
                : AddWorkingDays(start, period.Days - 1);
        }

        /// <summary>
        /// The first day something may happen after a notice given on <paramref name="given"/> has run: the inverse of
        /// <see cref="LatestDayBefore"/> for a period before the decision (the first day whose latest notice day is on
        /// or after <paramref name="given"/>), else the day after the period's <see cref="LastDay"/>. The lifecycle
        /// refuses a decision before this day; the planner dates the notice by <see cref="LatestDayBefore"/>; both
        /// answer from this one calendar so they cannot drift apart.
        /// </summary>
        internal LocalDate EarliestAfter(LocalDate given, StepPeriod period)
        {
            if (period.Anchor != PeriodAnchor.BeforeDecision)
            {
                return LastDay(given, period).PlusDays(1);
            }

            var day = given.PlusDays(1);
            while (LatestDayBefore(day, period) < given)
            {
                day = day.PlusDays(1);
            }

            return day;
        }

        /// <summary>
        /// The latest day a step running for <paramref name="period"/> may start and still end by <paramref name="endBy"/>
        /// (its <see cref="LastDay"/> on or before it): the inverse of <see cref="LastDay"/>. Searched back over at most
        /// four times the period plus 40 days, which covers any run of weekends and bank holidays; past that it gives up
        /// and returns the furthest day searched.
        /// </summary>
        internal LocalDate LatestStart(LocalDate endBy, StepPeriod period)
        {
            var start = endBy;
            while (start > endBy.PlusDays(-4 * (period.Days + 10)) && LastDay(start, period) > endBy)
            {
                start = start.PlusDays(-1);
            }

            return start;
        }

        /// <summary>
        /// The last day a window closing at <paramref name="closes"/> covers: the day before when it closes at midnight
        /// (the end of that day), else the day it closes on.
        /// </summary>
        internal static LocalDate LastDayOf(ZonedDateTime closes) =>
            closes.TimeOfDay == LocalTime.Midnight ? closes.Date.PlusDays(-1) : closes.Date;

        /// <summary>
        /// When a period whose last day is <paramref name="lastDay"/> closes: at its cut-off, or at midnight ending that
        /// day. Always the first instant London's clocks show the cut-off or a later time that day, so a cut-off the
        /// clocks skip (01:30 on the last Sunday of March) closes when they jump past it (02:00 BST), and one they show
        /// twice (01:30 on the last Sunday of October) closes the first time (01:30 BST). A catalogue cannot load such a
        /// cut-off without a warning (DR0090); this reading is for plans and cases that already hold one.
        /// </summary>
        /// <param name="lastDay">The period's last day, in London.</param>
        /// <param name="cutOff">The time of day the last day ends, in London; null for the end of the day.</param>
        /// <returns>The closing moment in Europe/London.</returns>
        public static ZonedDateTime Closes(LocalDate lastDay, LocalTime? cutOff)
        {
            if (cutOff is not { } time)
            {
                return lastDay.PlusDays(1).AtStartOfDayInZone(London);
            }

            if (LondonTime.TryResolve(lastDay.At(time), out var instant, out var problem))
            {
                return instant.InZone(London);
            }

            // Skipped: the clocks jumped from before the cut-off to after it, so the period ended at the jump.
            // Shown twice: the period ended the first time the clocks reached it.
            return (problem!.Candidates.Count == 0 ? London.MapLocal(lastDay.At(time)).LateInterval.Start : problem.Candidates[0]).InZone(London);
        }

        /// <summary>
        /// Now, by <paramref name="clock"/>, checked against <see cref="Text.SupportedDates"/>: a clock set outside the
        /// range would make every date worked out from it overflow later, or be stored and break the case for good.
        /// </summary>
        /// <param name="clock">The clock an option gave.</param>
        /// <param name="option">The option it came from, e.g. <c>RoutingOptions.Clock</c>, named in the error.</param>
        /// <exception cref="ArgumentOutOfRangeException">The clock's time is outside the supported range (the parameter named is <paramref name="option"/>).</exception>
        internal static Instant SupportedNow(TimeProvider clock, string option)
        {
            var now = Instant.FromDateTimeOffset((clock ?? throw new ArgumentNullException(option)).GetUtcNow());
            if (!Text.SupportedDates.Contains(now))
            {
                throw new ArgumentOutOfRangeException(option, now, Text.SupportedDates.OutOfRange($"{option} says it is", now.ToString("g", CultureInfo.InvariantCulture)));
            }

            return now;
        }

        /// <summary>Today in London according to <paramref name="clock"/>.</summary>
        public static LocalDate Today(TimeProvider clock)
        {
            ArgumentNullException.ThrowIfNull(clock);

            return DateInLondon(Instant.FromDateTimeOffset(clock.GetUtcNow()));
        }

        /// <summary>
        /// The date London's clocks show at <paramref name="instant"/>: always what <c>instant.InZone(London).Date</c>
        /// gives, without loading the time-zone database when the answer cannot depend on it.
        /// </summary>
        /// <remarks>
        /// Why: a plan's "today" is the date in London now, and loading the database for it was most of NodaTime's cost
        /// on a cold start (see <see cref="London"/>). The shortcut: under the Summer Time Act 1972, time in Great
        /// Britain is Greenwich mean time, and one hour ahead of it in summer time (s. 1); the Act's power to order
        /// double summer time (s. 2) was never used after 1971 and was repealed by the Summer Time Order 2002
        /// (SI 2002/262, art. 2(3); its art. 2(2) also fixed summer time as 01:00 GMT on the last Sunday in March to
        /// 01:00 GMT on the last Sunday in October). So from 1972 the offset is 0 or +1 hour, and before 23:00 UTC
        /// London's date is the UTC date whichever it is. From 23:00 UTC, before 1972 (1941–45 and 1947 had +2), or past the supported dates, the
        /// database answers. <c>LondonDateTests</c> checks every hour of years around the changes against the database,
        /// and that the database's offsets for London from 1972 to 2200 are all 0 or +1 hour, so a future NodaTime whose
        /// database says otherwise fails the test rather than this method.
        /// </remarks>
        internal static LocalDate DateInLondon(Instant instant)
        {
            if (instant >= OneHourAtMostFrom && instant < OneHourAtMostUntil)
            {
                var utc = instant.InUtc();
                if (utc.Hour < 23)
                {
                    return utc.Date;
                }
            }

            return instant.InZone(London).Date;
        }

        /// <summary>Holds <see cref="London"/>, so the database is read when the zone is first asked for.</summary>
        private static class LondonZone
        {
            internal static readonly DateTimeZone Zone = DateTimeZoneProviders.Tzdb["Europe/London"];
        }
    }
}
