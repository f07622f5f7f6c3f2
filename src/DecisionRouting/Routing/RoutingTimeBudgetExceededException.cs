using System;

namespace DecisionRouting.Routing
{
    /// <summary>Evaluating a proposal's rules took longer than <see cref="RoutingOptions.TimeBudget"/>; no plan was made.</summary>
    public sealed class RoutingTimeBudgetExceededException : Exception
    {
        /// <summary>Creates the exception.</summary>
        internal RoutingTimeBudgetExceededException(string proposalId, string ruleSet, TimeSpan budget, TimeSpan elapsed, string workflow)
            : base($"Routing proposal '{proposalId}' with rule set '{ruleSet}' took {elapsed.TotalMilliseconds:0} ms, over its budget of {budget.TotalMilliseconds:0} ms, in workflow '{workflow}'; no plan was made. The rule set may be too large, or the budget too small (RoutingOptions.TimeBudget)")
        {
            ProposalId = proposalId;
            Budget = budget;
            Elapsed = elapsed;
        }

        /// <summary>The proposal being routed.</summary>
        public string ProposalId { get; }

        /// <summary>The budget that was exceeded.</summary>
        public TimeSpan Budget { get; }

        /// <summary>How long routing had taken when it stopped.</summary>
        public TimeSpan Elapsed { get; }
    }
}
