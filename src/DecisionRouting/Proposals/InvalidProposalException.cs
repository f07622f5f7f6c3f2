using System;
using System.Collections.Generic;
using System.Linq;
using DecisionRouting.Diagnostics;

namespace DecisionRouting.Proposals
{
    /// <summary>
    /// Thrown by <see cref="Routing.Router.Route"/> when a proposal does not fit its rule set's declared attributes:
    /// a declared attribute of the wrong type, or a required attribute left out (DR0036). Routing it would let the
    /// mistake decide rules.
    /// </summary>
    public sealed class InvalidProposalException : Exception
    {
        /// <summary>Creates the exception from the errors found (each names the attribute and, when read from a file, its position).</summary>
        public InvalidProposalException(string proposalId, IReadOnlyList<RuleDiagnostic> diagnostics)
            : base($"Proposal '{proposalId}' does not fit its rule set: " + string.Join("; ", diagnostics.Select(d => d.ToString())))
        {
            ProposalId = proposalId;
            Diagnostics = diagnostics;
        }

        /// <summary>The proposal's id.</summary>
        public string ProposalId { get; }

        /// <summary>The errors, with file(line,col) where the proposal came from a file.</summary>
        public IReadOnlyList<RuleDiagnostic> Diagnostics { get; }
    }
}
