using System;
using System.Collections.Generic;
using NodaTime;

namespace DecisionRouting.Calendar
{
    /// <summary>
    /// A wall-clock time in Europe/London the clocks skipped or showed twice, so it names no instant or two; thrown by
    /// <see cref="LondonTime.Resolve"/>. The message says which change and what to give instead.
    /// </summary>
    public sealed class LocalTimeNotUniqueException : ArgumentException
    {
        internal LocalTimeNotUniqueException(LocalDateTime local, IReadOnlyList<Instant> candidates, string message)
            : base(message)
        {
            Local = local;
            Candidates = candidates;
        }

        /// <summary>The wall-clock time given.</summary>
        public LocalDateTime Local { get; }

        /// <summary>The instants it could mean: none when the clocks skipped it, two (earlier first) when they showed it twice.</summary>
        public IReadOnlyList<Instant> Candidates { get; }
    }
}
