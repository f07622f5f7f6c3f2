using System;
using System.Collections.Generic;
using System.Linq;
using DecisionRouting.Diagnostics;

namespace DecisionRouting.Proposals
{
    /// <summary>
    /// Thrown by <see cref="Routing.Router.Route"/> when a proposal does not fit its rule set's declared attributes:
    /// a declared attribute of the wrong type, or a required attribute left out (DR0036); a date outside the supported
    /// range (DR0067); or, for a proposal built in code, a text or list over <see cref="Expressions.ProposalLimits"/>
    /// (DR0080, naming the field), since the rule set's static cost bounds assume those limits. Routing it would let the
    /// mistake decide rules.
    /// </summary>
    public sealed class InvalidProposalException : Exception
    {
        /// <summary>Creates the exception from the errors found (each names the attribute and, when read from a file, its position).</summary>
        internal InvalidProposalException(string proposalId, IReadOnlyList<RuleDiagnostic> diagnostics)
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
