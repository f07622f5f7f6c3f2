using DecisionRouting.Proposals;
using DecisionRouting.Workflows;

namespace DecisionRouting.Evaluation
{
    /// <summary>
    /// One top-level rule's outcome as an evaluator gives it: whether its expression matched, and why it could not be
    /// evaluated (null when it could). Dated law and the plan's wording are applied after, in <see cref="RuleOutcomes"/>,
    /// so the evaluators cannot disagree on them.
    /// </summary>
    internal delegate void RuleOutcome(string workflow, RuleDefinition rule, bool isMatch, string? error);

    /// <summary>
    /// Evaluates a rule set's entry workflows for one proposal: <see cref="CompiledRuleSet"/> (the default) or
    /// <see cref="RulesEngineRuleSet"/> (the oracle), chosen by <see cref="Routing.RoutingOptions.Evaluation"/> in
    /// <see cref="RuleEvaluation.Evaluate"/>. Runs inside an <see cref="EvaluationGuard"/> scope.
    /// </summary>
    internal interface IRuleEvaluator
    {
        /// <summary>
        /// Reports every top-level rule of every entry workflow to <paramref name="collect"/>, in evaluation order,
        /// then throws if a host fault was swallowed or the time budget is spent.
        /// </summary>
        /// <param name="proposal">The proposal, read as <c>proposal</c> and <c>input1</c>.</param>
        /// <param name="parameters">The rule-set parameters in force on its decision date (<see cref="RuleEvaluation.ParametersFor"/>).</param>
        /// <param name="collect">Receives each rule's outcome.</param>
        void Evaluate(Proposal proposal, object parameters, RuleOutcome collect);
    }
}
