using System;
using DecisionRouting.Calendar;

namespace DecisionRouting.Routing
{
    /// <summary>How a <see cref="Router"/> works out dates.</summary>
    public sealed class RoutingOptions
    {
        /// <summary>The calendar for working days and bank holidays; defaults to the shipped England and Wales data.</summary>
        public GovernanceCalendar Calendar { get; init; } = GovernanceCalendar.EnglandAndWales;

        /// <summary>
        /// The clock that says what "today" is, so the plan can tell a notice that can still be given from one whose
        /// latest day has passed. Defaults to the system clock; tests pass a fixed one.
        /// </summary>
        public TimeProvider Clock { get; init; } = TimeProvider.System;

        /// <summary>
        /// How long evaluating one proposal's rules may take before routing stops with
        /// <see cref="RoutingTimeBudgetExceededException"/>. The expression allow-list already bounds what one rule
        /// can cost; this bounds a rule set of very many rules. Defaults to 5 seconds.
        /// </summary>
        public TimeSpan TimeBudget { get; init; } = TimeSpan.FromSeconds(5);
    }
}
