using DecisionRouting.Proposals;
using NodaTime;

namespace DecisionRouting.Routing
{
    /// <summary>
    /// Which day a dated rule is judged on, the one place both evaluation paths and the explainer ask. By default the
    /// proposal's intended decision date; where the law turns on another day (when a procurement commenced, when a
    /// transfer takes place) the rule names a declared date attribute in <c>effective.on</c>.
    /// </summary>
    internal static class EffectiveDates
    {
        /// <summary>The day <paramref name="period"/> is judged on for <paramref name="proposal"/>, or null when the proposal does not give the attribute it names.</summary>
        public static LocalDate? JudgedOn(EffectivePeriod? period, Proposal proposal)
        {
            if (period?.On is not { } attribute)
            {
                return proposal.IntendedDecisionDate;
            }

            // The attribute is declared as a date (DR0050) and the proposal was checked against it (DR0036) before routing.
            return proposal.Attributes.Has(attribute) ? proposal.Attributes.Date(attribute) : null;
        }

        /// <summary>The missing value in the words an undecided rule uses (as <see cref="ProposalValueMissingException"/> does).</summary>
        public static string Missing(EffectivePeriod period) => $"attribute '{period.On}'";
    }
}
