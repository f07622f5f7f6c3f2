using System;
using DecisionRouting.Evaluation;

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
        /// <param name="step">The step being explained; null when routing.</param>
        internal RoutingFaultException(string proposalId, string ruleSet, string workflow, Exception fault, string? step = null)
            : this(
                fault,
                step is null
                    ? $"Routing proposal '{proposalId}' with rule set '{ruleSet}' stopped{(workflow.Length == 0 ? string.Empty : $" in workflow '{workflow}'")}: {Describe("evaluation", fault)}; no plan was made. The rule set asks for more than the host can give; fix it rather than retrying"
                    : $"Explaining step '{step}' for proposal '{proposalId}' with rule set '{ruleSet}' stopped{(workflow.Length == 0 ? string.Empty : $" in workflow '{workflow}'")}: {Describe("evaluation", fault)}; nothing was explained. The rule set asks for more than the host can give; fix it rather than retrying",
                proposalId,
                workflow)
        {
        }

        private RoutingFaultException(Exception fault, string message, string proposalId, string workflow)
            : base(message, fault)
        {
            ProposalId = proposalId;
            Workflow = workflow;
        }

        /// <summary>
        /// A fault while reading, checking or compiling a rule set (<see cref="ProposalId"/> and <see cref="Workflow"/>
        /// are empty): however the runtime wrapped it (parallel loops, lazy values, reflection), it is named by its cause.
        /// </summary>
        internal static RoutingFaultException Loading(string ruleSet, Exception fault) =>
            HostFaults.Cause(fault) as RoutingFaultException
            ?? new RoutingFaultException(fault, $"Loading rule set '{ruleSet}' stopped: {Describe("loading", fault)}; the rule set was not loaded. It asks for more than the host can give; fix it or give the host more memory", string.Empty, string.Empty);

        /// <summary>The routing fault that explaining <paramref name="step"/> started with, worded as explaining's.</summary>
        internal static RoutingFaultException WhileExplaining(RoutingFaultException routing, string step) =>
            routing.Message.StartsWith("Routing proposal", StringComparison.Ordinal)
                ? new RoutingFaultException(routing.InnerException ?? routing, $"Explaining step '{step}' for proposal '{routing.ProposalId}' stopped while routing the proposal, which explaining starts with: {routing.Message.Replace("; no plan was made.", "; nothing was explained.", StringComparison.Ordinal)}", routing.ProposalId, routing.Workflow)
                : routing;

        /// <summary>The proposal being routed.</summary>
        public string ProposalId { get; }

        /// <summary>The workflow being evaluated when the fault happened (empty when not known).</summary>
        public string Workflow { get; }

        /// <summary>
        /// Whether <paramref name="exception"/> is a fault of the host rather than an error of the input or the code: out
        /// of memory or stack, the routing time budget, or a <see cref="RoutingFaultException"/>, also when wrapped in an
        /// <see cref="AggregateException"/> (parallel loops, PLINQ, tasks), a
        /// <see cref="System.Reflection.TargetInvocationException"/> or a <see cref="TypeInitializationException"/>.
        /// </summary>
        /// <param name="exception">Any exception.</param>
        public static bool IsFault(Exception exception) => HostFaults.IsFault(exception);

        /// <summary>
        /// A fault (see <see cref="IsFault"/>) met anywhere in a command, such as reading many proposals in parallel,
        /// as one <see cref="RoutingFaultException"/> named by its cause; one already of this type is returned as is.
        /// </summary>
        /// <param name="command">What stopped, for the message (a CLI command's name).</param>
        /// <param name="fault">The fault, possibly wrapped.</param>
        internal static RoutingFaultException ForCommand(string command, Exception fault) =>
            HostFaults.Cause(fault ?? throw new ArgumentNullException(nameof(fault))) as RoutingFaultException
            ?? new RoutingFaultException(fault, $"'{command}' stopped: {Describe("the command", fault)}; its work is not complete. The input asks for more than the host can give", string.Empty, string.Empty);

        private static string Describe(string stage, Exception fault) => HostFaults.Cause(fault) switch
        {
            OutOfMemoryException => $"{stage} ran out of memory",
            InsufficientExecutionStackException or StackOverflowException => $"{stage} ran out of stack",
            RoutingTimeBudgetExceededException budget => $"{stage} ran out of time ({budget.Message})",
            var cause => $"{stage} failed with {cause.GetType().Name}",
        };
    }
}
