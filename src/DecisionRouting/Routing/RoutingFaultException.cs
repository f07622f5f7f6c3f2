using System;

namespace DecisionRouting.Routing
{
    /// <summary>
    /// Evaluating a proposal's rules hit a fault of the host rather than of one rule: it ran out of memory or of stack.
    /// Routing stops and no plan is made. A fault is never read as "the rule did not match" or as "not evaluated",
    /// because either could yield a plan without a statutory step; the rule set that caused it should be fixed.
    /// </summary>
    public sealed class RoutingFaultException : Exception
    {
        /// <summary>Creates the exception.</summary>
        /// <param name="proposalId">The proposal being routed or explained.</param>
        /// <param name="ruleSet">The rule set's name.</param>
        /// <param name="workflow">The workflow being evaluated when the fault happened (empty when not known).</param>
        /// <param name="fault">The fault: an <see cref="OutOfMemoryException"/> or <see cref="InsufficientExecutionStackException"/>.</param>
        public RoutingFaultException(string proposalId, string ruleSet, string workflow, Exception fault)
            : base($"Routing proposal '{proposalId}' with rule set '{ruleSet}' stopped{(workflow.Length == 0 ? string.Empty : $" in workflow '{workflow}'")}: {Describe(fault)}; no plan was made. The rule set asks for more than the host can give; fix it rather than retrying", fault)
        {
            ProposalId = proposalId;
            Workflow = workflow;
        }

        /// <summary>The proposal being routed.</summary>
        public string ProposalId { get; }

        /// <summary>The workflow being evaluated when the fault happened (empty when not known).</summary>
        public string Workflow { get; }

        private static string Describe(Exception fault) => fault switch
        {
            OutOfMemoryException => "evaluation ran out of memory",
            InsufficientExecutionStackException => "evaluation ran out of stack",
            _ => $"evaluation failed with {fault.GetType().Name}",
        };
    }
}
