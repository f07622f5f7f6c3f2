using System.Collections.Generic;
using System.Linq;

namespace DecisionRouting.Lifecycle
{
    /// <summary>
    /// Who may fire the triggers that are not a step of the plan. Steps name their own roles (<see cref="StepRoles"/>);
    /// the defaults here follow a typical constitution and can be replaced with the council's own.
    /// </summary>
    public sealed record LifecycleRoles
    {
        /// <summary>Start work on a plan.</summary>
        public IReadOnlyList<string> Start { get; init; } = new[] { "democratic-services", "commissioning-lead" };

        /// <summary>Withdraw a proposal.</summary>
        public IReadOnlyList<string> Withdraw { get; init; } = new[] { "commissioning-lead", "chief-executive" };

        /// <summary>Defer or resume, besides those who may complete the decision step.</summary>
        public IReadOnlyList<string> Defer { get; init; } = new[] { "democratic-services" };

        /// <summary>Call a decision in.</summary>
        public IReadOnlyList<string> CallIn { get; init; } = new[] { "scrutiny-chair" };

        /// <summary>Record that the call-in period ended without a call-in.</summary>
        public IReadOnlyList<string> EndCallInPeriod { get; init; } = new[] { "democratic-services" };

        /// <summary>Record scrutiny's outcome on a called-in decision.</summary>
        public IReadOnlyList<string> ScrutinyOutcome { get; init; } = new[] { "scrutiny-chair", StepRoles.ClerkTo("overview-and-scrutiny") };

        /// <summary>Record full council's outcome on a referred decision.</summary>
        public IReadOnlyList<string> CouncilOutcome { get; init; } = new[] { StepRoles.ClerkTo("full-council"), "democratic-services" };

        /// <summary>Every role named here, for telling a mistyped role from one that simply may not fire a trigger.</summary>
        internal IEnumerable<string> All() =>
            Start.Concat(Withdraw).Concat(Defer).Concat(CallIn).Concat(EndCallInPeriod).Concat(ScrutinyOutcome).Concat(CouncilOutcome);
    }
}
