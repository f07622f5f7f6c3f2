using System;
using DecisionRouting.Calendar;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace DecisionRouting.Lifecycle
{
    /// <summary>How <see cref="ProposalLifecycle"/> counts days, tells the time and decides who may do what.</summary>
    public sealed record LifecycleOptions
    {
        /// <summary>Working days and bank holidays for notice and consultation periods.</summary>
        public GovernanceCalendar Calendar { get; init; } = GovernanceCalendar.EnglandAndWales;

        /// <summary>The clock: the default time of a trigger, and when entries are recorded.</summary>
        public TimeProvider Clock { get; init; } = TimeProvider.System;

        /// <summary>
        /// How far ahead of the clock a trigger's time may be (clock skew between the machines recording it). A trigger
        /// dated later than now plus this is refused: a case records what has happened, so a decision cannot be
        /// recorded in advance with a date by which its notices will have run. Default 5 minutes.
        /// </summary>
        public TimeSpan FutureTolerance { get; init; } = TimeSpan.FromMinutes(5);

        /// <summary>
        /// Where cases are logged: creations and accepted and refused triggers at Information, lost races (conflicts) at
        /// Warning, audit appends at Debug (docs/observability.md). Defaults to no logging.
        /// </summary>
        public ILogger Logger { get; init; } = NullLogger.Instance;

        /// <summary>Who may fire the triggers that are not steps.</summary>
        public LifecycleRoles Roles { get; init; } = new();
    }
}
