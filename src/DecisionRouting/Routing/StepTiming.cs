using NodaTime;

namespace DecisionRouting.Routing
{
    /// <summary>
    /// When a planned step can or must happen, worked out from the intended decision date, the step's period and its
    /// predecessors. Dates are days in Europe/London; a field is null when the plan cannot say.
    /// </summary>
    public sealed record StepTiming
    {
        /// <summary>The latest day to do the step (publish the notice, finish the sign-off) and still decide on the intended date.</summary>
        public LocalDate? LatestDate { get; init; }

        /// <summary>For a period that must end by <see cref="LatestDate"/>, the latest day it can start.</summary>
        public LocalDate? LatestStart { get; init; }

        /// <summary>The earliest day the step can start once its predecessors are done.</summary>
        public LocalDate? EarliestStart { get; init; }

        /// <summary>The last day of the step's period when it starts at <see cref="EarliestStart"/>.</summary>
        public LocalDate? EarliestEnd { get; init; }

        /// <summary>When a window after the decision closes (its cut-off on the last day, or midnight ending it).</summary>
        public ZonedDateTime? Closes { get; init; }

        /// <summary>Whether the dates come from the proposal's own schedule rather than being computed.</summary>
        public bool FromSchedule { get; init; }

        /// <summary>How the dates were worked out, in words.</summary>
        public required string Basis { get; init; }
    }
}
