using System.Collections.Generic;
using DecisionRouting.RuleSets;

namespace DecisionRouting.Expressions
{
    /// <summary>
    /// Compiles rule expressions at load so that mistakes are found before anything is routed. The library checks
    /// with RulesEngine's own parser against its <c>Proposal</c>; the analyzer can check against the proposal type of
    /// the compilation it is analysing. Everything else about validation is shared.
    /// </summary>
    internal interface IExpressionChecker
    {
        /// <summary>
        /// A scope holding the proposal and the rule set's parameters, for one workflow. Called concurrently, one
        /// workflow per thread; each scope (and those it leads to) is used from one thread only.
        /// </summary>
        IExpressionScope CreateScope(IReadOnlyList<RuleSetParameter> parameters);
    }

    /// <summary>The names an expression can see: the proposal, parameters, and scoped params defined so far.</summary>
    internal interface IExpressionScope
    {
        /// <summary>Checks a rule expression, which must compile and give true or false.</summary>
        ExpressionProblem? CheckCondition(string expression);

        /// <summary>Checks a global or local parameter's expression and returns the scope that also holds it.</summary>
        ExpressionProblem? DefineParameter(string name, string expression, out IExpressionScope scope);
    }

    /// <summary>What kind of mistake an expression has.</summary>
    internal enum ExpressionProblemKind
    {
        /// <summary>It does not parse.</summary>
        Syntax,

        /// <summary>It names a member, parameter or identifier that does not exist.</summary>
        UnknownMember,

        /// <summary>A rule expression that does not give a boolean.</summary>
        NotBoolean,

        /// <summary>It reaches something outside the expression allow-list (reflection, files, unbounded generators …).</summary>
        NotAllowed,

        /// <summary>It is longer or more deeply nested than an expression may be.</summary>
        TooComplex,

        /// <summary>Its worst-case cost, for a proposal at its limits, is over the budget (<see cref="ExpressionCost"/>).</summary>
        TooCostly,

        /// <summary>It may build text longer than <see cref="ExpressionCost.MaxTextLength"/>.</summary>
        TooLarge,

        /// <summary>It formats a value with a format outside the bounded list (<see cref="ExpressionCost.CheckFormat"/>).</summary>
        UnboundedFormat,
    }

    /// <summary>A mistake in an expression, positioned within the expression text.</summary>
    /// <param name="Kind">What kind of mistake.</param>
    /// <param name="Message">What is wrong, in plain English.</param>
    /// <param name="Position">Character index in the expression where the mistake starts.</param>
    /// <param name="Length">How many characters it covers (at least 1 where the expression is not empty).</param>
    internal sealed record ExpressionProblem(ExpressionProblemKind Kind, string Message, int Position, int Length)
    {
        /// <summary>
        /// Further mistakes of the same kind in the same expression, each at its own position: every unknown member
        /// is reported at once, so two typos do not take two rounds.
        /// </summary>
        public IReadOnlyList<ExpressionProblem> More { get; init; } = System.Array.Empty<ExpressionProblem>();
    }
}
