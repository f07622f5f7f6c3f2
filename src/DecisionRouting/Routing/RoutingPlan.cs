using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Serialization;
using DecisionRouting.Proposals;
using DecisionRouting.References;
using NodaTime;

namespace DecisionRouting.Routing
{
    /// <summary>
    /// What a proposal must pass before its decision takes effect: the matched rules with their sources, the
    /// required steps ordered into parallel stages, and anything an officer should check.
    /// </summary>
    [JsonConverter(typeof(Serialization.RoutingPlanConverter))]
    public sealed class RoutingPlan
    {
        internal RoutingPlan(Proposal proposal, string ruleSetName, string ruleSetHash, IReadOnlyList<MatchedRule> matchedRules, IReadOnlyList<PlannedStep> steps, IReadOnlyList<PlanWarning> warnings)
        {
            Proposal = proposal;
            RuleSetName = ruleSetName;
            RuleSetHash = ruleSetHash;
            MatchedRules = matchedRules;
            Steps = steps;
            Warnings = warnings;
        }

        /// <summary>The proposal routed.</summary>
        public Proposal Proposal { get; }

        /// <summary>The rule set used.</summary>
        public string RuleSetName { get; }

        /// <summary>The hash of the rule set's files, identifying exactly which rules produced this plan.</summary>
        public string RuleSetHash { get; }

        /// <summary>The rules the proposal matched, in rule-set order.</summary>
        public IReadOnlyList<MatchedRule> MatchedRules { get; }

        /// <summary>The required steps, each once, ordered by stage and then catalogue order.</summary>
        public IReadOnlyList<PlannedStep> Steps { get; }

        /// <summary>Things to check before relying on the plan.</summary>
        public IReadOnlyList<PlanWarning> Warnings { get; }

        /// <summary>The day the plan was made ("today" in Europe/London); urgency routes are judged against it.</summary>
        public LocalDate AsOf { get; init; }

        /// <summary>The intended decision date.</summary>
        public LocalDate DecisionDate => Proposal.IntendedDecisionDate;

        /// <summary>The step that takes the decision on the intended date (the decision-maker's approval or recommendation), if the plan has one.</summary>
        public string? DecisionStep { get; init; }

        /// <summary>
        /// When the decision may be implemented: when the call-in window closes, or the decision day where there is no
        /// call-in. Null when the plan cannot say (no decision step, a call-in window with no period, or a call-in window
        /// the proposal's schedule dates before the decision, which is also a contradiction).
        /// </summary>
        public ZonedDateTime? EffectiveFrom { get; init; }

        /// <summary>Notices that can no longer be given in time, and the urgency routes used instead.</summary>
        public IReadOnlyList<UrgencyRoute> UrgencyRoutes { get; init; } = Array.Empty<UrgencyRoute>();

        /// <summary>
        /// Where the plan contradicts itself (a step dated before one it must follow, an urgency route taken while the
        /// decision cannot be taken on the day …), as found by the router's consistency check. Empty for a sound plan;
        /// each one is also a <see cref="PlanWarningKind.Contradiction"/> warning.
        /// </summary>
        public IReadOnlyList<PlanContradiction> Contradictions { get; internal set; } = Array.Empty<PlanContradiction>();

        /// <summary>
        /// The rules whose outcome the plan cannot give: undecided (the proposal lacks a value they read) or not
        /// evaluated (an error), in rule-set order. Each may require steps the plan therefore lacks.
        /// </summary>
        public IReadOnlyList<IncompleteRule> Incomplete { get; init; } = Array.Empty<IncompleteRule>();

        /// <summary>
        /// Whether the plan can be relied on: every rule was decided, the plan does not contradict itself and it has the
        /// decision step it needs (<see cref="DecisionStepMissing"/>). When false
        /// the plan may lack statutory steps or carry wrong dates: do not rely on it until the proposal gives the missing
        /// values, or the failing rules or the router are fixed (see <see cref="Incomplete"/> and <see cref="Contradictions"/>).
        /// </summary>
        public bool IsComplete => Incomplete.Count == 0 && Contradictions.Count == 0 && !DecisionStepMissing;

        /// <summary>
        /// Whether the plan lacks a decision step that it must have: no required step is the decision-maker's approval
        /// or recommendation, and the decision-maker decides at a meeting or as the executive (so notice, call-in and
        /// the day the decision takes effect all hang on that step). An officer's decision is not taken at a meeting,
        /// so its absence is only a <see cref="PlanWarningKind.NoDecisionStep"/> warning. When true the plan is incomplete.
        /// </summary>
        public bool DecisionStepMissing { get; init; }

        /// <summary>The steps grouped by stage: each inner list can run in parallel once the previous ones are done.</summary>
        public IReadOnlyList<IReadOnlyList<PlannedStep>> Stages =>
            Steps.GroupBy(s => s.Stage).OrderBy(g => g.Key).Select(g => (IReadOnlyList<PlannedStep>)g.ToList()).ToList();

        /// <summary>Whether the plan requires the step.</summary>
        public bool Requires([StepReference] string stepId) => Steps.Any(s => s.Id == stepId);

        /// <summary>The planned step with this id, or null if the plan does not require it.</summary>
        public PlannedStep? Find([StepReference] string stepId) => Steps.FirstOrDefault(s => s.Id == stepId);
    }
}
