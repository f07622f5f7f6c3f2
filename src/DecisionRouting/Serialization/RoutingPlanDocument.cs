using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Serialization;
using DecisionRouting.Proposals;
using DecisionRouting.Routing;
using NodaTime;

namespace DecisionRouting.Serialization
{
    /// <summary>
    /// The plan JSON contract (docs/plan-format.md, schemas/plan.schema.json) as a type: what
    /// <see cref="DecisionRoutingJson.Write(RoutingPlan)"/> writes and <see cref="DecisionRoutingJson.ReadPlan"/> reads
    /// back. A <see cref="RoutingPlan"/> cannot be rebuilt from JSON (it holds the rule set's definitions); this can.
    /// Field names and order are stable: new fields may be added, none is renamed, removed or retyped.
    /// </summary>
    [JsonNumberHandling(JsonNumberHandling.Strict)]
    public sealed class RoutingPlanDocument
    {
        /// <summary>The proposal routed: <c>proposal</c>.</summary>
        [JsonPropertyName("proposal")]
        public required PlanProposalDocument Proposal { get; init; }

        /// <summary><c>isComplete</c>: false when rules were undecided or not evaluated, the plan contradicts itself, or it lacks a decision step it needs.</summary>
        [JsonPropertyName("isComplete")]
        public required bool IsComplete { get; init; }

        /// <summary><c>incomplete</c>: rules the plan could not decide or evaluate; empty when complete.</summary>
        [JsonPropertyName("incomplete")]
        public required IReadOnlyList<PlanIncompleteRuleDocument> Incomplete { get; init; }

        /// <summary><c>contradictions</c>: where the plan contradicts itself; empty when sound.</summary>
        [JsonPropertyName("contradictions")]
        public required IReadOnlyList<PlanContradictionDocument> Contradictions { get; init; }

        /// <summary>
        /// <c>decisionStepMissing</c>: true when no rule gives the decision-maker its decision, so the plan cannot date the
        /// decision or when it takes effect (one of the reasons <c>isComplete</c> is false; the others are listed above).
        /// </summary>
        [JsonPropertyName("decisionStepMissing")]
        public required bool DecisionStepMissing { get; init; }

        /// <summary><c>dates</c>: as-of day, decision day and step, when it takes effect, urgency routes.</summary>
        [JsonPropertyName("dates")]
        public required PlanDatesDocument Dates { get; init; }

        /// <summary><c>ruleSet</c>: the rule set's name and SHA-256 hash.</summary>
        [JsonPropertyName("ruleSet")]
        public required RuleSetReferenceDocument RuleSet { get; init; }

        /// <summary><c>matchedRules</c>: every rule that matched, with its source and steps.</summary>
        [JsonPropertyName("matchedRules")]
        public required IReadOnlyList<PlanMatchedRuleDocument> MatchedRules { get; init; }

        /// <summary><c>steps</c>: each required step once, in stage then catalogue order.</summary>
        [JsonPropertyName("steps")]
        public required IReadOnlyList<PlanStepDocument> Steps { get; init; }

        /// <summary><c>warnings</c>: what an officer should check.</summary>
        [JsonPropertyName("warnings")]
        public required IReadOnlyList<PlanWarningDocument> Warnings { get; init; }

        /// <summary>The contract form of <paramref name="plan"/>.</summary>
        /// <exception cref="System.ArgumentNullException"><paramref name="plan"/> is null.</exception>
        public static RoutingPlanDocument From(RoutingPlan plan)
        {
            System.ArgumentNullException.ThrowIfNull(plan);
            return new RoutingPlanDocument
            {
                Proposal = new PlanProposalDocument
                {
                    Id = plan.Proposal.Id,
                    Title = plan.Proposal.Title,
                    DecisionMaker = plan.Proposal.DecisionMaker,
                    IntendedDecisionDate = plan.Proposal.IntendedDecisionDate,
                },
                IsComplete = plan.IsComplete,
                Incomplete = plan.Incomplete.Select(r => new PlanIncompleteRuleDocument
                {
                    Workflow = r.Workflow,
                    Rule = r.Rule,
                    Kind = r.Kind,
                    MissingValue = r.MissingValue,
                    Message = r.Message,
                    Steps = r.Steps.ToList(),
                }).ToList(),
                Contradictions = plan.Contradictions.Select(c => new PlanContradictionDocument { Check = c.Check, Message = c.Message, Step = c.Step }).ToList(),
                DecisionStepMissing = plan.DecisionStepMissing,
                Dates = new PlanDatesDocument
                {
                    AsOf = plan.AsOf,
                    Decision = plan.DecisionDate,
                    DecisionStep = plan.DecisionStep,
                    EffectiveFrom = plan.EffectiveFrom?.ToOffsetDateTime(),
                    UrgencyRoutes = plan.UrgencyRoutes.Select(u => new PlanUrgencyRouteDocument { Impracticable = u.Impracticable, Instead = u.Instead, Reason = u.Reason, Requires = u.Requires }).ToList(),
                },
                RuleSet = new RuleSetReferenceDocument { Name = plan.RuleSetName, Hash = plan.RuleSetHash },
                MatchedRules = plan.MatchedRules.Select(r => new PlanMatchedRuleDocument
                {
                    Workflow = r.Workflow,
                    Rule = r.Rule,
                    Source = r.Source,
                    Reason = r.Reason,
                    Verify = r.Verify,
                    Steps = r.Steps.ToList(),
                }).ToList(),
                Steps = plan.Steps.Select(PlanStepDocument.From).ToList(),
                Warnings = plan.Warnings.Select(w => new PlanWarningDocument { Kind = w.Kind, Message = w.Message, Rule = w.Rule, Step = w.Step }).ToList(),
            };
        }
    }

    /// <summary>The plan's <c>proposal</c>: who decides what, and when.</summary>
    [JsonNumberHandling(JsonNumberHandling.Strict)]
    public sealed class PlanProposalDocument
    {
        /// <summary><c>id</c>: the proposal's id.</summary>
        [JsonPropertyName("id")]
        public required string Id { get; init; }

        /// <summary><c>title</c>.</summary>
        [JsonPropertyName("title")]
        public required string Title { get; init; }

        /// <summary><c>decisionMaker</c>, by name, e.g. <c>"Cabinet"</c>.</summary>
        [JsonPropertyName("decisionMaker")]
        [JsonConverter(typeof(EnumNameConverter<DecisionMaker>))]
        public required DecisionMaker DecisionMaker { get; init; }

        /// <summary><c>intendedDecisionDate</c>, <c>yyyy-MM-dd</c>.</summary>
        [JsonPropertyName("intendedDecisionDate")]
        [JsonConverter(typeof(IsoDateConverter))]
        public required LocalDate IntendedDecisionDate { get; init; }
    }

    /// <summary>One entry of the plan's <c>incomplete</c>: a rule that was undecided or could not be evaluated.</summary>
    [JsonNumberHandling(JsonNumberHandling.Strict)]
    public sealed class PlanIncompleteRuleDocument
    {
        /// <summary><c>workflow</c> holding the rule.</summary>
        [JsonPropertyName("workflow")]
        public required string Workflow { get; init; }

        /// <summary><c>rule</c> name.</summary>
        [JsonPropertyName("rule")]
        public required string Rule { get; init; }

        /// <summary><c>kind</c>: <c>Undecided</c> (a value it reads is missing) or <c>NotEvaluated</c> (an error).</summary>
        [JsonPropertyName("kind")]
        [JsonConverter(typeof(EnumNameConverter<IncompleteRuleKind>))]
        public required IncompleteRuleKind Kind { get; init; }

        /// <summary><c>missingValue</c>: for Undecided, the value it lacked; null for NotEvaluated.</summary>
        [JsonPropertyName("missingValue")]
        [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
        public string? MissingValue { get; init; }

        /// <summary><c>message</c>, in words; for NotEvaluated, the error.</summary>
        [JsonPropertyName("message")]
        public required string Message { get; init; }

        /// <summary><c>steps</c> the rule requires when it matches: the ones the plan may lack.</summary>
        [JsonPropertyName("steps")]
        public required IReadOnlyList<string> Steps { get; init; }
    }

    /// <summary>One entry of the plan's <c>contradictions</c>.</summary>
    [JsonNumberHandling(JsonNumberHandling.Strict)]
    public sealed class PlanContradictionDocument
    {
        /// <summary><c>check</c>: the name of the check that found it, e.g. <c>before-predecessor</c>.</summary>
        [JsonPropertyName("check")]
        public required string Check { get; init; }

        /// <summary><c>message</c>, in words.</summary>
        [JsonPropertyName("message")]
        public required string Message { get; init; }

        /// <summary><c>step</c> concerned, or null.</summary>
        [JsonPropertyName("step")]
        [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
        public string? Step { get; init; }
    }

    /// <summary>The plan's <c>dates</c>.</summary>
    [JsonNumberHandling(JsonNumberHandling.Strict)]
    public sealed class PlanDatesDocument
    {
        /// <summary><c>asOf</c>: "today" in London when the plan was made, <c>yyyy-MM-dd</c>.</summary>
        [JsonPropertyName("asOf")]
        [JsonConverter(typeof(IsoDateConverter))]
        public required LocalDate AsOf { get; init; }

        /// <summary><c>decision</c>: the intended decision date, <c>yyyy-MM-dd</c>.</summary>
        [JsonPropertyName("decision")]
        [JsonConverter(typeof(IsoDateConverter))]
        public required LocalDate Decision { get; init; }

        /// <summary><c>decisionStep</c>: the step taken on that date, or null.</summary>
        [JsonPropertyName("decisionStep")]
        [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
        public string? DecisionStep { get; init; }

        /// <summary><c>effectiveFrom</c>: when the decision may be implemented, on London's clock with its offset, or null.</summary>
        [JsonPropertyName("effectiveFrom")]
        [JsonConverter(typeof(LondonMomentConverter))]
        [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
        public OffsetDateTime? EffectiveFrom { get; init; }

        /// <summary><c>urgencyRoutes</c>: notices too late to give, and what replaced them.</summary>
        [JsonPropertyName("urgencyRoutes")]
        public required IReadOnlyList<PlanUrgencyRouteDocument> UrgencyRoutes { get; init; }
    }

    /// <summary>One of the plan's <c>urgencyRoutes</c>.</summary>
    [JsonNumberHandling(JsonNumberHandling.Strict)]
    public sealed class PlanUrgencyRouteDocument
    {
        /// <summary><c>impracticable</c>: the notice too late to give.</summary>
        [JsonPropertyName("impracticable")]
        public required string Impracticable { get; init; }

        /// <summary><c>instead</c>: the step that replaces it.</summary>
        [JsonPropertyName("instead")]
        public required string Instead { get; init; }

        /// <summary><c>reason</c>, in words.</summary>
        [JsonPropertyName("reason")]
        public required string Reason { get; init; }

        /// <summary><c>requires</c>: what the urgency route needs (an agreement, a notice).</summary>
        [JsonPropertyName("requires")]
        public required string Requires { get; init; }
    }

    /// <summary>A rule set named with the hash of its files: <c>{ "name": …, "hash": … }</c>.</summary>
    [JsonNumberHandling(JsonNumberHandling.Strict)]
    public sealed class RuleSetReferenceDocument
    {
        /// <summary><c>name</c> of the rule set.</summary>
        [JsonPropertyName("name")]
        public required string Name { get; init; }

        /// <summary><c>hash</c>: SHA-256 (lower-case hex) over every file in the rule-set chain.</summary>
        [JsonPropertyName("hash")]
        public required string Hash { get; init; }
    }

    /// <summary>One of the plan's <c>matchedRules</c>.</summary>
    [JsonNumberHandling(JsonNumberHandling.Strict)]
    public sealed class PlanMatchedRuleDocument
    {
        /// <summary><c>workflow</c> holding the rule.</summary>
        [JsonPropertyName("workflow")]
        public required string Workflow { get; init; }

        /// <summary><c>rule</c> name.</summary>
        [JsonPropertyName("rule")]
        public required string Rule { get; init; }

        /// <summary><c>source</c>: the legal or constitutional citation, or null for rules without metadata.</summary>
        [JsonPropertyName("source")]
        [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
        public string? Source { get; init; }

        /// <summary><c>reason</c> in plain English, or null.</summary>
        [JsonPropertyName("reason")]
        [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
        public string? Reason { get; init; }

        /// <summary><c>verify</c>: true when the source has not been checked against the primary text.</summary>
        [JsonPropertyName("verify")]
        public required bool Verify { get; init; }

        /// <summary><c>steps</c> the rule requires.</summary>
        [JsonPropertyName("steps")]
        public required IReadOnlyList<string> Steps { get; init; }
    }

    /// <summary>One of the plan's <c>steps</c>.</summary>
    [JsonNumberHandling(JsonNumberHandling.Strict)]
    public sealed class PlanStepDocument
    {
        /// <summary><c>id</c> of the step in the catalogue.</summary>
        [JsonPropertyName("id")]
        public required string Id { get; init; }

        /// <summary><c>name</c> in words.</summary>
        [JsonPropertyName("name")]
        public required string Name { get; init; }

        /// <summary><c>kind</c>, by name: Consultation, SignOff, Approval, Recommendation, Notice, CallIn, Record.</summary>
        [JsonPropertyName("kind")]
        [JsonConverter(typeof(EnumNameConverter<StepKind>))]
        public required StepKind Kind { get; init; }

        /// <summary><c>body</c> id, or null.</summary>
        [JsonPropertyName("body")]
        [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
        public string? Body { get; init; }

        /// <summary><c>role</c> id, or null.</summary>
        [JsonPropertyName("role")]
        [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
        public string? Role { get; init; }

        /// <summary><c>performedBy</c>: the body's or role's name, or null.</summary>
        [JsonPropertyName("performedBy")]
        [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
        public string? PerformedBy { get; init; }

        /// <summary><c>stage</c>, from 1; steps in one stage can run in parallel.</summary>
        [JsonPropertyName("stage")]
        public required int Stage { get; init; }

        /// <summary><c>parallelGroup</c>, or null.</summary>
        [JsonPropertyName("parallelGroup")]
        [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
        public string? ParallelGroup { get; init; }

        /// <summary><c>duration</c>: the step's period, or null.</summary>
        [JsonPropertyName("duration")]
        [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
        public PlanDurationDocument? Duration { get; init; }

        /// <summary><c>timing</c>: its dates, or null when nothing dates the step.</summary>
        [JsonPropertyName("timing")]
        [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
        public PlanTimingDocument? Timing { get; init; }

        /// <summary><c>after</c>: required steps that must come directly before (implied ones omitted).</summary>
        [JsonPropertyName("after")]
        public required IReadOnlyList<string> After { get; init; }

        /// <summary><c>reasons</c>: the rules that require it.</summary>
        [JsonPropertyName("reasons")]
        public required IReadOnlyList<PlanStepReasonDocument> Reasons { get; init; }

        internal static PlanStepDocument From(PlannedStep step) => new()
        {
            Id = step.Id,
            Name = step.Step.Name,
            Kind = step.Step.Kind,
            Body = step.Step.Body,
            Role = step.Step.Role,
            PerformedBy = step.Body?.Name ?? step.Role?.Name,
            Stage = step.Stage,
            ParallelGroup = step.Step.ParallelGroup,
            Duration = step.Step.Duration is { } d ? new PlanDurationDocument { Days = d.Days, Counting = d.Counting, Anchor = d.Anchor, CutOff = d.CutOff } : null,
            Timing = step.Timing is { } t
                ? new PlanTimingDocument
                {
                    LatestDate = t.LatestDate,
                    LatestStart = t.LatestStart,
                    EarliestStart = t.EarliestStart,
                    EarliestEnd = t.EarliestEnd,
                    Closes = t.Closes?.ToOffsetDateTime(),
                    FromSchedule = t.FromSchedule,
                    Basis = t.Basis,
                }
                : null,
            After = step.After.ToList(),
            Reasons = step.RequiredBy.Select(r => new PlanStepReasonDocument { Rule = r.Rule, Source = r.Source, Reason = r.Reason }).ToList(),
        };
    }

    /// <summary>A step's <c>duration</c>: a period of days, how they count, and what they run from.</summary>
    [JsonNumberHandling(JsonNumberHandling.Strict)]
    public sealed class PlanDurationDocument
    {
        /// <summary><c>days</c> in the period.</summary>
        [JsonPropertyName("days")]
        public required int Days { get; init; }

        /// <summary><c>counting</c>, by name, e.g. <c>ClearCalendarDays</c>.</summary>
        [JsonPropertyName("counting")]
        [JsonConverter(typeof(EnumNameConverter<DayCounting>))]
        public required DayCounting Counting { get; init; }

        /// <summary><c>anchor</c>, by name: <c>BeforeDecision</c>, <c>AfterDecision</c> or <c>FromStart</c>.</summary>
        [JsonPropertyName("anchor")]
        [JsonConverter(typeof(EnumNameConverter<PeriodAnchor>))]
        public required PeriodAnchor Anchor { get; init; }

        /// <summary><c>cutOff</c>: the time of day the last day ends, <c>HH:mm</c>, or null for the end of the day.</summary>
        [JsonPropertyName("cutOff")]
        [JsonConverter(typeof(HourMinuteConverter))]
        [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
        public LocalTime? CutOff { get; init; }
    }

    /// <summary>A step's <c>timing</c>: days are <c>yyyy-MM-dd</c> in Europe/London.</summary>
    [JsonNumberHandling(JsonNumberHandling.Strict)]
    public sealed class PlanTimingDocument
    {
        /// <summary><c>latestDate</c>: latest day to do it and still decide on time, or null.</summary>
        [JsonPropertyName("latestDate")]
        [JsonConverter(typeof(IsoDateConverter))]
        [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
        public LocalDate? LatestDate { get; init; }

        /// <summary><c>latestStart</c>: for a period that must end by latestDate, the latest day to start it, or null.</summary>
        [JsonPropertyName("latestStart")]
        [JsonConverter(typeof(IsoDateConverter))]
        [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
        public LocalDate? LatestStart { get; init; }

        /// <summary><c>earliestStart</c>: the earliest day it can start, or null.</summary>
        [JsonPropertyName("earliestStart")]
        [JsonConverter(typeof(IsoDateConverter))]
        [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
        public LocalDate? EarliestStart { get; init; }

        /// <summary><c>earliestEnd</c>: the last day of its period when started at earliestStart, or null.</summary>
        [JsonPropertyName("earliestEnd")]
        [JsonConverter(typeof(IsoDateConverter))]
        [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
        public LocalDate? EarliestEnd { get; init; }

        /// <summary><c>closes</c>: for call-in, when the window closes, on London's clock with its offset, or null.</summary>
        [JsonPropertyName("closes")]
        [JsonConverter(typeof(LondonMomentConverter))]
        [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
        public OffsetDateTime? Closes { get; init; }

        /// <summary><c>fromSchedule</c>: true when the dates come from the proposal's schedule.</summary>
        [JsonPropertyName("fromSchedule")]
        public required bool FromSchedule { get; init; }

        /// <summary><c>basis</c>: what the dates were worked out from, in words.</summary>
        [JsonPropertyName("basis")]
        public required string Basis { get; init; }
    }

    /// <summary>One of a step's <c>reasons</c>: a rule that requires it.</summary>
    [JsonNumberHandling(JsonNumberHandling.Strict)]
    public sealed class PlanStepReasonDocument
    {
        /// <summary><c>rule</c> name.</summary>
        [JsonPropertyName("rule")]
        public required string Rule { get; init; }

        /// <summary><c>source</c> citation, or null.</summary>
        [JsonPropertyName("source")]
        [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
        public string? Source { get; init; }

        /// <summary><c>reason</c> in words, or null.</summary>
        [JsonPropertyName("reason")]
        [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
        public string? Reason { get; init; }
    }

    /// <summary>One of the plan's <c>warnings</c>.</summary>
    [JsonNumberHandling(JsonNumberHandling.Strict)]
    public sealed class PlanWarningDocument
    {
        /// <summary><c>kind</c>, by name (see <see cref="PlanWarningKind"/>).</summary>
        [JsonPropertyName("kind")]
        [JsonConverter(typeof(EnumNameConverter<PlanWarningKind>))]
        public required PlanWarningKind Kind { get; init; }

        /// <summary><c>message</c>, in words.</summary>
        [JsonPropertyName("message")]
        public required string Message { get; init; }

        /// <summary><c>rule</c> concerned, or null.</summary>
        [JsonPropertyName("rule")]
        [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
        public string? Rule { get; init; }

        /// <summary><c>step</c> concerned, or null.</summary>
        [JsonPropertyName("step")]
        [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
        public string? Step { get; init; }
    }
}
