using System;

namespace DecisionRouting.Routing
{
    /// <summary>
    /// Evaluating a proposal's rules took longer than <see cref="RoutingOptions.TimeBudget"/>: routing made no plan,
    /// or, when <see cref="Step"/> is set, explaining that step stopped and nothing was explained.
    /// </summary>
    public sealed class RoutingTimeBudgetExceededException : Exception
    {
        /// <summary>Creates the exception.</summary>
        /// <param name="proposalId">The proposal being routed or explained.</param>
        /// <param name="ruleSet">The rule set's name.</param>
        /// <param name="budget">The budget.</param>
        /// <param name="elapsed">How long had passed when evaluation stopped.</param>
        /// <param name="workflow">The workflow being evaluated.</param>
        /// <param name="step">The step being explained; null when routing.</param>
        internal RoutingTimeBudgetExceededException(string proposalId, string ruleSet, TimeSpan budget, TimeSpan elapsed, string workflow, string? step = null)
            : base(step is null
                ? $"Routing proposal '{proposalId}' with rule set '{ruleSet}' took {elapsed.TotalMilliseconds:0} ms, over its budget of {budget.TotalMilliseconds:0} ms, in workflow '{workflow}'; no plan was made. The rule set may be too large, or the budget too small (RoutingOptions.TimeBudget)"
                : $"Explaining step '{step}' for proposal '{proposalId}' with rule set '{ruleSet}' took {elapsed.TotalMilliseconds:0} ms, over its budget of {budget.TotalMilliseconds:0} ms (routing the proposal first included), in workflow '{workflow}'; nothing was explained. {ExplainAdvice}")
        {
            ProposalId = proposalId;
            Budget = budget;
            Elapsed = elapsed;
            Step = step;
        }

        private RoutingTimeBudgetExceededException(RoutingTimeBudgetExceededException routing, string step)
            : base($"Explaining step '{step}' for proposal '{routing.ProposalId}' stopped while routing the proposal, which explaining starts with: {routing.Message.Replace("; no plan was made.", "; nothing was explained.", StringComparison.Ordinal)}", routing)
        {
            ProposalId = routing.ProposalId;
            Budget = routing.Budget;
            Elapsed = routing.Elapsed;
            Step = step;
        }

        /// <summary>What to do when explaining overruns: shared by the library's message and the CLI's.</summary>
        internal const string ExplainAdvice =
            "Routing and explaining share one budget; explaining evaluates every named term (GlobalParam and LocalParam) and condition the rules naming the step read, one by one. " +
            "Give a larger budget (RoutingOptions.TimeBudget), or shorten the chains of terms those rules read";

        /// <summary>The proposal being routed or explained.</summary>
        public string ProposalId { get; }

        /// <summary>The budget that was exceeded.</summary>
        public TimeSpan Budget { get; }

        /// <summary>How long routing (and explaining, when <see cref="Step"/> is set) had taken when it stopped.</summary>
        public TimeSpan Elapsed { get; }

        /// <summary>The step being explained when the budget ran out (<see cref="Explanations.Explainer.Explain(Proposals.Proposal, string)"/>); null when routing.</summary>
        public string? Step { get; }

        /// <summary>The budget error of routing that explaining <paramref name="step"/> started with, worded as explaining's.</summary>
        internal static RoutingTimeBudgetExceededException WhileExplaining(RoutingTimeBudgetExceededException routing, string step) =>
            routing.Step is null ? new RoutingTimeBudgetExceededException(routing, step) : routing;
    }
}
