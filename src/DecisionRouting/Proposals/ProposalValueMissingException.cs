using System;

namespace DecisionRouting.Proposals
{
    /// <summary>
    /// Thrown when a rule reads a proposal value that the proposal does not give: an optional attribute, a step's date
    /// in <see cref="Proposal.Schedule"/>, the urgency reason. The router records the rule as <em>undecided</em> (the
    /// plan is incomplete) instead of letting the absence decide it.
    /// </summary>
    public sealed class ProposalValueMissingException : Exception
    {
        private const string Prefix = "The proposal gives no value for ";
        private const string Suffix = ", so a rule that reads it is undecided";

        /// <summary>Creates the exception for the value described, e.g. <c>attribute 'localSpendCap'</c>.</summary>
        internal ProposalValueMissingException(string value)
            : base(Prefix + value + Suffix)
        {
            Value = value;
        }

        /// <summary>Which value is missing, in words, e.g. <c>attribute 'localSpendCap'</c> or <c>schedule 'consultation' end</c>.</summary>
        public string Value { get; }

        /// <summary>
        /// Finds the missing value in an error message that embeds this exception's message (RulesEngine reports a
        /// rule's exception only as text).
        /// </summary>
        internal static string? FindIn(string? message)
        {
            if (message is null)
            {
                return null;
            }

            var start = message.IndexOf(Prefix, StringComparison.Ordinal);
            if (start < 0)
            {
                return null;
            }

            start += Prefix.Length;
            var end = message.IndexOf(Suffix, start, StringComparison.Ordinal);
            return end < 0 ? null : message.Substring(start, end - start);
        }
    }
}
