using System;
using DecisionRouting.Calendar;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace DecisionRouting.Routing
{
    /// <summary>How rules are evaluated.</summary>
    public enum RoutingEvaluation
    {
        /// <summary>The rule set's expressions compiled once into one delegate per workflow (the default).</summary>
        Compiled,

        /// <summary>
        /// RulesEngine's own <c>ExecuteAllRulesAsync</c>: slower, kept as the reference the compiled path is tested against.
        /// Built when the router is created; a rule set whose build would cost more than its bound (rules × names in
        /// scope, DR0081) is refused there with <see cref="RuleSets.InvalidRuleSetException"/>.
        /// </summary>
        RulesEngine,
    }

    /// <summary>How a <see cref="Router"/> evaluates rules and works out dates.</summary>
    public sealed class RoutingOptions
    {
        /// <summary>How rules are evaluated; both give the same matches (a differential test checks every shipped rule set).</summary>
        public RoutingEvaluation Evaluation { get; init; } = RoutingEvaluation.Compiled;

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

        /// <summary>
        /// Where routes are logged: each plan at Debug, an incomplete plan at Warning, a refused proposal at Information,
        /// a failed route at Error (docs/observability.md). Defaults to no logging.
        /// </summary>
        public ILogger Logger { get; init; } = NullLogger.Instance;

        /// <summary>The defaults, shared: options are immutable once built.</summary>
        internal static RoutingOptions Default { get; } = new();
    }
}
