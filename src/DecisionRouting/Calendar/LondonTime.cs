using NodaTime;
using NodaTime.Text;

namespace DecisionRouting.Calendar
{
    /// <summary>
    /// The one home for turning a wall-clock time in Europe/London into an instant. Strict: a local time the clocks
    /// skip (the hour after 01:00 on the last Sunday of March) or show twice (the hour after 01:00 on the last Sunday
    /// of October) is refused with a <see cref="LocalTimeNotUniqueException"/> naming the change, never moved or
    /// guessed, because an audit entry or a status recorded an hour off is wrong without anyone being told.
    /// </summary>
    /// <remarks>
    /// Callers: the CLI's <c>--at</c> and <c>--today</c> (a date alone is noon, which is always unique in London), and
    /// <see cref="GovernanceCalendar.Closes"/> for a period's cut-off (see there for how a cut-off in a changed hour is
    /// read). A time given with an offset or <c>Z</c> is already an instant and does not come here.
    /// </remarks>
    public static class LondonTime
    {
        private static readonly LocalDateTimePattern Minutes = LocalDateTimePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd'T'HH':'mm");
        private static readonly LocalDateTimePattern Seconds = LocalDateTimePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd'T'HH':'mm':'ss;FFFFFFFFF");
        private static readonly LocalTimePattern Clock = LocalTimePattern.CreateWithInvariantCulture("HH':'mm");

        /// <summary>The instant London's clocks showed <paramref name="local"/>, when they showed it exactly once.</summary>
        /// <param name="local">A wall-clock date and time in Europe/London, e.g. 2010-03-28T01:30.</param>
        /// <returns>The one instant it names.</returns>
        /// <exception cref="LocalTimeNotUniqueException">
        /// The clocks skipped it (its <see cref="LocalTimeNotUniqueException.Candidates"/> is empty) or showed it twice (two
        /// candidates, earlier first); the message names the change and a time with an offset to give instead.
        /// </exception>
        public static Instant Resolve(LocalDateTime local) =>
            TryResolve(local, out var instant, out var problem) ? instant : throw problem!;

        /// <summary>As <see cref="Resolve"/>, without throwing: false, with the exception it would throw, when the time is not unique.</summary>
        /// <param name="local">A wall-clock date and time in Europe/London.</param>
        /// <param name="instant">The one instant it names, when true.</param>
        /// <param name="problem">Why it names no instant or two, when false.</param>
        /// <returns>Whether the clocks showed the time exactly once.</returns>
        public static bool TryResolve(LocalDateTime local, out Instant instant, out LocalTimeNotUniqueException? problem)
        {
            var zone = GovernanceCalendar.London;
            var mapping = zone.MapLocal(local);
            problem = null;
            instant = default;
            if (mapping.Count == 1)
            {
                instant = mapping.Single().ToInstant();
                return true;
            }

            var given = Text(local);
            var before = mapping.EarlyInterval.WallOffset;
            var after = mapping.LateInterval.WallOffset;
            var change = mapping.LateInterval.Start;
            var from = Clock.Format(change.WithOffset(before).TimeOfDay);
            var to = Clock.Format(change.WithOffset(after).TimeOfDay);
            if (mapping.Count == 0)
            {
                // What a lenient reading would have taken, offered as an explicit choice rather than taken silently.
                var shifted = new OffsetDateTime(local, before).WithOffset(after);
                problem = new LocalTimeNotUniqueException(
                    local,
                    [],
                    $"{given} does not exist in {zone.Id}: the clocks went forward from {from} to {to} that day; give an offset, e.g. {Text(shifted.LocalDateTime)}{Offset(after)}");
                return false;
            }

            var first = mapping.First();
            var second = mapping.Last();
            problem = new LocalTimeNotUniqueException(
                local,
                [first.ToInstant(), second.ToInstant()],
                $"{given} happens twice in {zone.Id}: the clocks went back from {from} to {to} that day, so it is {given}{Offset(first.Offset)} or, an hour later, {given}{Offset(second.Offset)}; give the offset meant");
            return false;
        }

        private static string Text(LocalDateTime local) =>
            local.Second == 0 && local.NanosecondOfSecond == 0 ? Minutes.Format(local) : Seconds.Format(local);

        private static string Offset(Offset offset) => OffsetPattern.CreateWithInvariantCulture("+HH:mm").Format(offset);
    }
}
