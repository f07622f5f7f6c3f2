using System.Collections.Generic;
using System.Linq;
using DecisionRouting.Routing;

namespace DecisionRouting.Explanations
{
    /// <summary>Why a step is, or is not, on a proposal's route: every rule that can require it, evaluated condition by condition.</summary>
    /// <param name="Step">The step from the catalogue.</param>
    /// <param name="Planned">The step as planned, with its order and dates; null when it is not required.</param>
    /// <param name="Rules">Every rule that names the step, matched or not, in rule-set order.</param>
    public sealed record StepExplanation(Step Step, PlannedStep? Planned, IReadOnlyList<RuleExplanation> Rules)
    {
        /// <summary>Whether the plan requires the step.</summary>
        public bool Required => Planned is not null;

        /// <summary>
        /// Whether the plan cannot yet say if the step is required: no rule requires it, but a rule that names it is
        /// undecided or could not be evaluated, so it is neither required nor not required until that rule is decided.
        /// </summary>
        public bool Undecided => !Required && Rules.Any(r => r.Incomplete is not null);

        /// <summary>
        /// The GlobalParams the rules (and these terms) read, each defined once here by its own conditions, in the
        /// order first read; a term defined twice under one name (by two entry workflows) is labelled "name (GlobalParam
        /// of workflow W)" the second time. Where a rule or term reads one, its condition shows the value and no
        /// <see cref="ConditionExplanation.Because"/>: the definition is here, so the explanation grows with rules plus
        /// terms, never rules × terms.
        /// </summary>
        public IReadOnlyList<ConditionExplanation> Terms { get; init; } = System.Array.Empty<ConditionExplanation>();

        /// <summary>The proposal attributes and parameters <see cref="Terms"/> read, with their values.</summary>
        public IReadOnlyList<Fact> TermValues { get; init; } = System.Array.Empty<Fact>();
    }

    /// <summary>One rule that names the step, and how it came out for this proposal.</summary>
    /// <param name="Workflow">The entry workflow it was evaluated in.</param>
    /// <param name="Rule">The rule's name.</param>
    /// <param name="Source">Its legal or constitutional source.</param>
    /// <param name="Reason">Its reason, in words.</param>
    /// <param name="Matched">Whether it matched, as routing found it (with the evaluator <see cref="Routing.RoutingOptions.Evaluation"/> chooses: compiled delegates by default).</param>
    /// <param name="Joiner">How <paramref name="Conditions"/> combine: "all" must hold, or "any".</param>
    /// <param name="Conditions">Its conditions, each with whether it held.</param>
    /// <param name="Facts">The proposal attributes and parameters the rule reads, with their values.</param>
    public sealed record RuleExplanation(
        string Workflow,
        string Rule,
        string? Source,
        string? Reason,
        bool Matched,
        string Joiner,
        IReadOnlyList<ConditionExplanation> Conditions,
        IReadOnlyList<Fact> Facts)
    {
        /// <summary>
        /// When routing could not decide the rule (a value it reads is missing, or it failed), why; the rule then
        /// neither requires nor excludes the step, and <see cref="Matched"/> is false only because nothing matched.
        /// </summary>
        public Routing.IncompleteRule? Incomplete { get; init; }

        /// <summary>
        /// The rule's LocalParams read more than <c>6</c> terms deep, each defined here once by its own conditions (empty
        /// for most rules; GlobalParams are in <see cref="StepExplanation.Terms"/>). Where such a term is read, <see cref="Conditions"/> show its value without its conditions, so a long
        /// chain of terms (g1 reads g0, g2 reads g1, …) is a flat list rather than a tree as deep as the chain.
        /// </summary>
        public IReadOnlyList<ConditionExplanation> Terms { get; init; } = System.Array.Empty<ConditionExplanation>();
    }

    /// <summary>One condition of a rule, or of a named parameter a rule uses.</summary>
    /// <param name="Text">The condition as written in the rule file.</param>
    /// <param name="Holds">Whether it held; null if it could not be evaluated.</param>
    /// <param name="Because">For a named parameter (e.g. <c>isKeyDecision</c>), the conditions that define it.</param>
    /// <param name="Error">Why it could not be evaluated, if it could not.</param>
    public sealed record ConditionExplanation(string Text, bool? Holds, IReadOnlyList<ConditionExplanation> Because, string? Error = null);

    /// <summary>A value a rule reads, e.g. <c>proposal.SpendOrSaving = 6500000</c>.</summary>
    /// <param name="Expression">What is read.</param>
    /// <param name="Value">Its value for this proposal.</param>
    public sealed record Fact(string Expression, string Value);
}
