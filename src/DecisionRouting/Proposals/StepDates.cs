using NodaTime;

namespace DecisionRouting.Proposals
{
    /// <summary>
    /// Dates a proposal already has for one step: a notice published, a consultation that ran or is fixed. The plan uses
    /// them instead of computed dates and warns where they do not meet the step's period.
    /// </summary>
    /// <param name="Start">When the step began (for a notice, the day it was published).</param>
    /// <param name="End">When it ended or is to end (for a consultation, its closing day).</param>
    public sealed record StepDates(LocalDate? Start, LocalDate? End);
}
