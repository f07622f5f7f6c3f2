using System;
using System.Collections.Generic;

namespace DecisionRouting.Lifecycle
{
    /// <summary>
    /// An explicit decision to create a case from an incomplete plan (one with undecided or failed rules), with the
    /// reason, for the audit trail. There is no way to create a case from an incomplete plan without one.
    /// </summary>
    public sealed record IncompletePlanAcceptance
    {
        /// <summary>Creates the acceptance.</summary>
        /// <param name="reason">Why the case may go ahead without the missing values, e.g. "monitoring officer confirms not a statutory officer". Must not be blank.</param>
        /// <exception cref="ArgumentException">The reason is blank.</exception>
        public IncompletePlanAcceptance(string reason)
        {
            Reason = string.IsNullOrWhiteSpace(reason)
                ? throw new ArgumentException("Accepting an incomplete plan needs a reason for the audit trail.", nameof(reason))
                : reason.Trim();
        }

        /// <summary>Why the incomplete plan is accepted.</summary>
        public string Reason { get; }
    }

    /// <summary>
    /// A case was to be created from an incomplete plan without an <see cref="IncompletePlanAcceptance"/>. Nothing was
    /// saved. Give the proposal the missing values and route it again, or accept the plan explicitly with a reason.
    /// </summary>
    public sealed class IncompletePlanException : Exception
    {
        /// <summary>Creates the exception.</summary>
        internal IncompletePlanException(string proposalId, IReadOnlyList<string> reasons)
            : base($"The plan for proposal '{proposalId}' is incomplete, so no case was created: {string.Join("; ", reasons)}. Give the missing values and route again, or accept the incomplete plan with a reason.")
        {
            ProposalId = proposalId;
            Reasons = reasons;
        }

        /// <summary>The proposal.</summary>
        public string ProposalId { get; }

        /// <summary>Why the plan is incomplete, one line per undecided or failed rule.</summary>
        public IReadOnlyList<string> Reasons { get; }
    }
}
