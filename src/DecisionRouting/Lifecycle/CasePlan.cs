using System;
using System.Collections.Generic;
using System.Linq;
using DecisionRouting.References;
using DecisionRouting.Routing;
using NodaTime;

namespace DecisionRouting.Lifecycle
{
    /// <summary>
    /// The part of a routing plan a case is driven by, frozen when the case is created: later edits to the rule files
    /// do not change a case in flight, and every audit entry names the rule-set hash its plan came from.
    /// </summary>
    public sealed record CasePlan
    {
        /// <summary>The proposal routed.</summary>
        public required string ProposalId { get; init; }

        /// <summary>The proposal's title.</summary>
        public required string Title { get; init; }

        /// <summary>The rule set the plan came from.</summary>
        public required string RuleSetName { get; init; }

        /// <summary>The hash of that rule set's files.</summary>
        public required string RuleSetHash { get; init; }

        /// <summary>The step that is the decision, if the plan has one.</summary>
        public string? DecisionStep { get; init; }

        /// <summary>The date the decision was intended for when the plan was made.</summary>
        public required LocalDate IntendedDecisionDate { get; init; }

        /// <summary>Whether the proposal affects the budget or policy framework (so scrutiny may refer it to full council).</summary>
        public bool AffectsBudgetAndPolicyFramework { get; init; }

        /// <summary>The steps, in stage order.</summary>
        public required IReadOnlyList<CaseStep> Steps { get; init; }

        /// <summary>
        /// Why the plan was incomplete when the case was created, one line per undecided or failed rule (empty when
        /// it was complete). Kept with the case so nobody later mistakes its steps for the whole route.
        /// </summary>
        public IReadOnlyList<string> Incomplete { get; init; } = Array.Empty<string>();

        /// <summary>Why the creator accepted an incomplete plan (<c>--accept-incomplete --reason</c>); null when it was complete.</summary>
        public string? IncompleteAcceptedReason { get; init; }

        /// <summary>Whether the plan was complete when the case was created.</summary>
        public bool IsComplete => Incomplete.Count == 0;

        /// <summary>The call-in step, if the plan has one.</summary>
        public CaseStep? CallIn => Steps.FirstOrDefault(s => s.Kind == StepKind.CallIn);

        /// <summary>The step that exempts the decision from call-in (the call-in step's urgency route), if the plan requires it.</summary>
        public CaseStep? CallInExemption => CallIn?.IfImpracticable is { } id ? Find(id) : null;

        /// <summary>The step with this id, if the plan has it.</summary>
        public CaseStep? Find([StepReference] string stepId) => Steps.FirstOrDefault(s => s.Id == stepId);

        /// <summary>Freezes a routed plan for a case.</summary>
        public static CasePlan From(RoutingPlan plan)
        {
            ArgumentNullException.ThrowIfNull(plan);

            var ids = plan.Steps.Select(s => s.Id).ToHashSet(StringComparer.Ordinal);
            return new CasePlan
            {
                ProposalId = plan.Proposal.Id,
                Title = plan.Proposal.Title,
                RuleSetName = plan.RuleSetName,
                RuleSetHash = plan.RuleSetHash,
                DecisionStep = plan.DecisionStep,
                IntendedDecisionDate = plan.DecisionDate,
                AffectsBudgetAndPolicyFramework = plan.Proposal.AffectsBudgetAndPolicyFramework,
                // Every reason the plan is incomplete, so a case cannot be opened on it without someone accepting them.
                Incomplete = plan.Incomplete.Select(r => r.Message + (r.Steps.Count > 0 ? $" (would require: {string.Join(", ", r.Steps)})" : string.Empty))
                    .Concat(plan.Contradictions.Select(c => $"contradiction ({c.Check}): {c.Message}"))
                    .Concat(plan.DecisionStepMissing ? new[] { $"no decision step for the decision-maker ({plan.Proposal.DecisionMaker})" } : Array.Empty<string>())
                    .ToList(),
                Steps = plan.Steps.Select(s => new CaseStep
                {
                    Id = s.Id,
                    Name = s.Step.Name,
                    Kind = s.Step.Kind,
                    Roles = StepRoles.For(s.Step),
                    After = s.After.Where(ids.Contains).ToList(),
                    Duration = s.Step.Duration,
                    IfImpracticable = s.Step.IfImpracticable is { } alt && ids.Contains(alt) ? alt : null,
                }).ToList(),
            };
        }

        /// <summary>Every step that must be complete before <paramref name="stepId"/>, directly or through others.</summary>
        public IReadOnlySet<string> Ancestors([StepReference] string stepId) =>
            new HashSet<string>(Graph().Ancestors(stepId), StringComparer.Ordinal);

        /// <summary>The plan's steps as a graph over their <see cref="CaseStep.After"/>; build it once per request and ask it.</summary>
        internal StepGraph Graph() => StepGraph.Of(Steps, s => s.Id, s => s.After);
    }

    /// <summary>One step of a <see cref="CasePlan"/>: what it is, who may complete it, what must come first and its period.</summary>
    public sealed record CaseStep
    {
        /// <summary>The catalogue id.</summary>
        public required string Id { get; init; }

        /// <summary>What officers call it.</summary>
        public required string Name { get; init; }

        /// <summary>What kind of step it is.</summary>
        public required StepKind Kind { get; init; }

        /// <summary>The roles allowed to complete it.</summary>
        public required IReadOnlyList<string> Roles { get; init; }

        /// <summary>Steps of this plan that must be complete first.</summary>
        public IReadOnlyList<string> After { get; init; } = Array.Empty<string>();

        /// <summary>Its notice, consultation or call-in period, if any.</summary>
        public StepPeriod? Duration { get; init; }

        /// <summary>The step of this plan that takes its place when it is impracticable (call-in: the urgency exemption).</summary>
        public string? IfImpracticable { get; init; }

        /// <summary>
        /// Whether the step's period runs between its start and its completion (a consultation), so its start is
        /// recorded with <see cref="CaseTrigger.StartStep"/>. A notice's period runs from when it is given, which is
        /// its completion; a call-in period from the decision.
        /// </summary>
        public bool RunsFromItsStart => Duration is { Anchor: PeriodAnchor.FromStart } && Kind is not (StepKind.Notice or StepKind.CallIn);
    }
}
