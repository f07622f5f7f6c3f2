using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Serialization;
using DecisionRouting.Text;
using NodaTime;
using NodaTime.Text;

namespace DecisionRouting.Lifecycle
{
    /// <summary>
    /// The storage form of a case: one JSON document holding its frozen plan and its progress. Stores keep the state
    /// and version in columns too, for queries and the concurrency check; this document is the case itself.
    /// </summary>
    public static class CaseJson
    {
        private static readonly JsonSerializerOptions Options = new()
        {
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            Converters = { new JsonStringEnumConverter() },
        };

        /// <summary>The case as JSON.</summary>
        public static string Write(ProposalCase proposalCase)
        {
            ArgumentNullException.ThrowIfNull(proposalCase);
            var plan = proposalCase.Plan;
            var document = new CaseDocument(
                proposalCase.Id,
                proposalCase.State,
                proposalCase.Version,
                LocalDatePattern.Iso.Format(proposalCase.DecisionDate),
                Format(proposalCase.StartedAt),
                Format(proposalCase.DecidedAt),
                proposalCase.Reconsidered,
                Moments(proposalCase.Completed),
                new PlanDocument(
                    plan.ProposalId,
                    plan.Title,
                    plan.RuleSetName,
                    plan.RuleSetHash,
                    plan.DecisionStep,
                    LocalDatePattern.Iso.Format(plan.IntendedDecisionDate),
                    plan.AffectsBudgetAndPolicyFramework,
                    plan.Steps.Select(s => new StepDocument(
                        s.Id,
                        s.Name,
                        s.Kind,
                        s.Roles.ToList(),
                        s.After.ToList(),
                        s.Duration is { } d ? new DurationDocument(d.Days, d.Counting, d.Anchor, d.CutOff is { } t ? LocalTimePattern.ExtendedIso.Format(t) : null) : null,
                        s.IfImpracticable)).ToList(),
                    plan.Incomplete.Count == 0 ? null : plan.Incomplete.ToList(),
                    plan.IncompleteAcceptedReason),
                proposalCase.Started.Count == 0 ? null : Moments(proposalCase.Started),
                proposalCase.DecisionRecords.Count == 0 ? null : proposalCase.DecisionRecords.Select(r => new RecordDocument(r.Trigger, InstantPattern.ExtendedIso.Format(r.At), r.By, r.Sha256, r.Text)).ToList());
            return JsonSerializer.Serialize(document, Options);
        }

        /// <summary>Reads a case written by <see cref="Write"/>.</summary>
        /// <exception cref="CorruptCaseException">The document is not a case.</exception>
        public static ProposalCase Read(string json)
        {
            ArgumentNullException.ThrowIfNull(json);
            try
            {
                var d = JsonSerializer.Deserialize<CaseDocument>(json, Options) ?? throw new JsonException("The document is null");
                var p = Required(d.Plan, "plan");
                var plan = new CasePlan
                {
                    ProposalId = Required(p.ProposalId, "plan.proposalId"),
                    Title = Required(p.Title, "plan.title"),
                    RuleSetName = Required(p.RuleSetName, "plan.ruleSetName"),
                    RuleSetHash = Required(p.RuleSetHash, "plan.ruleSetHash"),
                    DecisionStep = p.DecisionStep,
                    IntendedDecisionDate = DecisionRouting.Text.IsoDates.Parse(Required(p.IntendedDecisionDate, "plan.intendedDecisionDate")).GetValueOrThrow(),
                    AffectsBudgetAndPolicyFramework = p.AffectsBudgetAndPolicyFramework,
                    Incomplete = p.Incomplete ?? new List<string>(),
                    IncompleteAcceptedReason = p.IncompleteAcceptedReason,
                    Steps = Required(p.Steps, "plan.steps").Select(s => Required(s, "plan.steps[]")).Select(s => new CaseStep
                    {
                        Id = Required(s.Id, "plan.steps[].id"),
                        Name = Required(s.Name, "plan.steps[].name"),
                        Kind = s.Kind,
                        Roles = Required(s.Roles, "plan.steps[].roles"),
                        After = Required(s.After, "plan.steps[].after"),
                        Duration = s.Duration is { } du
                            ? new StepPeriod(du.Days, du.Counting) { Anchor = du.Anchor, CutOff = du.CutOff is { } t ? NodaText.Parse(LocalTimePattern.ExtendedIso, t).GetValueOrThrow() : null }
                            : null,
                        IfImpracticable = s.IfImpracticable,
                    }).ToList(),
                };
                return new ProposalCase
                {
                    Id = Required(d.Id, "id"),
                    Plan = plan,
                    State = d.State,
                    Version = d.Version,
                    DecisionDate = DecisionRouting.Text.IsoDates.Parse(Required(d.DecisionDate, "decisionDate")).GetValueOrThrow(),
                    StartedAt = Parse(d.StartedAt),
                    DecidedAt = Parse(d.DecidedAt),
                    Reconsidered = d.Reconsidered,
                    Completed = ReadMoments(Required(d.Completed, "completed")),

                    // Cases written before starts were recorded have none.
                    Started = ReadMoments(d.Started ?? new Dictionary<string, CompletionDocument>()),

                    // Cases written before decision records were kept have none.
                    DecisionRecords = (d.DecisionRecords ?? []).Select(r => Required(r, "decisionRecords[]")).Select(r => new CaseDecisionRecord(
                        Required(r.Trigger, "decisionRecords[].trigger"),
                        NodaText.Parse(InstantPattern.ExtendedIso, Required(r.At, "decisionRecords[].at")).GetValueOrThrow(),
                        Required(r.By, "decisionRecords[].by"),
                        Required(r.Sha256, "decisionRecords[].sha256"),
                        Required(r.Text, "decisionRecords[].text"))).ToList(),
                };
            }
            catch (Exception e) when (e is JsonException or UnparsableValueException or NullReferenceException or ArgumentException)
            {
                throw new CorruptCaseException($"A stored case cannot be read: {e.Message}", e);
            }
        }

        private static Dictionary<string, CompletionDocument> Moments(IReadOnlyDictionary<string, StepCompletion> moments) =>
            moments.OrderBy(c => c.Key, StringComparer.Ordinal).ToDictionary(c => c.Key, c => new CompletionDocument(InstantPattern.ExtendedIso.Format(c.Value.At), c.Value.By));

        /// <summary>
        /// A field the document must have. The deserialiser leaves a missing field null whatever its declared type, so
        /// each is checked here and named, rather than failing later with no name.
        /// </summary>
        private static T Required<T>(T? value, string field)
            where T : class =>
            value ?? throw new JsonException($"its field '{field}' is missing or null");

        private static Dictionary<string, StepCompletion> ReadMoments(Dictionary<string, CompletionDocument> moments) =>
            moments.ToDictionary(c => c.Key, c => new StepCompletion(NodaText.Parse(InstantPattern.ExtendedIso, Required(Required(c.Value, "completed/started entry").At, "completed/started entry.at")).GetValueOrThrow(), Required(c.Value.By, "completed/started entry.by")), StringComparer.Ordinal);

        private static string? Format(Instant? instant) => instant is { } i ? InstantPattern.ExtendedIso.Format(i) : null;

        private static Instant? Parse(string? text) => text is null ? null : NodaText.Parse(InstantPattern.ExtendedIso, text).GetValueOrThrow();

        private sealed record CaseDocument(string Id, CaseState State, long Version, string DecisionDate, string? StartedAt, string? DecidedAt, bool Reconsidered, Dictionary<string, CompletionDocument> Completed, PlanDocument Plan, Dictionary<string, CompletionDocument>? Started = null, List<RecordDocument>? DecisionRecords = null);

        private sealed record RecordDocument(string Trigger, string At, string By, string Sha256, string Text);

        private sealed record CompletionDocument(string At, string By);

        private sealed record PlanDocument(string ProposalId, string Title, string RuleSetName, string RuleSetHash, string? DecisionStep, string IntendedDecisionDate, bool AffectsBudgetAndPolicyFramework, List<StepDocument> Steps, List<string>? Incomplete = null, string? IncompleteAcceptedReason = null);

        private sealed record StepDocument(string Id, string Name, StepKind Kind, List<string> Roles, List<string> After, DurationDocument? Duration, string? IfImpracticable);

        private sealed record DurationDocument(int Days, DayCounting Counting, PeriodAnchor Anchor, string? CutOff);
    }
}
