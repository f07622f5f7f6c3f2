using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Serialization;
using DecisionRouting.Lifecycle;
using NodaTime;

namespace DecisionRouting.Serialization
{
    /// <summary>
    /// The case-status JSON contract (schemas/case-status.schema.json): what has happened to a case, what may happen
    /// next and who may do it, what is blocked and why. Written for a <see cref="CaseStatus"/> and read back by
    /// <see cref="DecisionRoutingJson.ReadStatus"/>. Instants are UTC (<c>…Z</c>); days are <c>yyyy-MM-dd</c>.
    /// </summary>
    [JsonNumberHandling(JsonNumberHandling.Strict)]
    public sealed class CaseStatusDocument
    {
        /// <summary><c>id</c>: the case id.</summary>
        [JsonPropertyName("id")]
        public required string Id { get; init; }

        /// <summary><c>proposal</c>: the proposal's id.</summary>
        [JsonPropertyName("proposal")]
        public required string Proposal { get; init; }

        /// <summary><c>title</c> of the proposal.</summary>
        [JsonPropertyName("title")]
        public required string Title { get; init; }

        /// <summary><c>state</c>, by name, e.g. <c>InProgress</c>.</summary>
        [JsonPropertyName("state")]
        [JsonConverter(typeof(EnumNameConverter<CaseState>))]
        public required CaseState State { get; init; }

        /// <summary><c>version</c>: the case's version, for optimistic concurrency.</summary>
        [JsonPropertyName("version")]
        public required long Version { get; init; }

        /// <summary><c>at</c>: the instant the status was worked out for.</summary>
        [JsonPropertyName("at")]
        [JsonConverter(typeof(UtcInstantConverter))]
        public required Instant At { get; init; }

        /// <summary><c>decisionDate</c>: the day the decision is now intended for.</summary>
        [JsonPropertyName("decisionDate")]
        [JsonConverter(typeof(IsoDateConverter))]
        public required LocalDate DecisionDate { get; init; }

        /// <summary><c>decisionStep</c>: the plan's decision step, or null.</summary>
        [JsonPropertyName("decisionStep")]
        [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
        public string? DecisionStep { get; init; }

        /// <summary><c>callInCloses</c>: when the call-in period closes (or closed), on London's clock with its offset, or null.</summary>
        [JsonPropertyName("callInCloses")]
        [JsonConverter(typeof(LondonMomentConverter))]
        [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
        public OffsetDateTime? CallInCloses { get; init; }

        /// <summary><c>ruleSet</c> the plan came from.</summary>
        [JsonPropertyName("ruleSet")]
        public required RuleSetReferenceDocument RuleSet { get; init; }

        /// <summary><c>completed</c>: steps done, in plan order, when and by whom.</summary>
        [JsonPropertyName("completed")]
        public required IReadOnlyList<StepMomentDocument> Completed { get; init; }

        /// <summary><c>started</c>: steps whose actual start was recorded, in plan order.</summary>
        [JsonPropertyName("started")]
        public required IReadOnlyList<StepMomentDocument> Started { get; init; }

        /// <summary><c>permittedTriggers</c>: what may be fired now, and by which roles.</summary>
        [JsonPropertyName("permittedTriggers")]
        public required IReadOnlyList<PermittedTriggerDocument> PermittedTriggers { get; init; }

        /// <summary><c>blockedTriggers</c>: what may not be fired yet, with the reasons in words.</summary>
        [JsonPropertyName("blockedTriggers")]
        public required IReadOnlyList<BlockedTriggerDocument> BlockedTriggers { get; init; }

        /// <summary><c>outstanding</c>: steps of the plan not yet complete.</summary>
        [JsonPropertyName("outstanding")]
        public required IReadOnlyList<string> Outstanding { get; init; }

        /// <summary><c>decidedAt</c>: when the decision was made, or null before it is.</summary>
        [JsonPropertyName("decidedAt")]
        [JsonConverter(typeof(UtcInstantConverter))]
        [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
        public Instant? DecidedAt { get; init; }

        /// <summary>The contract form of <paramref name="status"/>.</summary>
        /// <exception cref="ArgumentNullException"><paramref name="status"/> is null.</exception>
        public static CaseStatusDocument From(CaseStatus status)
        {
            ArgumentNullException.ThrowIfNull(status);
            var c = status.Case;
            return new CaseStatusDocument
            {
                Id = c.Id,
                Proposal = c.Plan.ProposalId,
                Title = c.Plan.Title,
                State = c.State,
                Version = c.Version,
                At = status.At,
                DecisionDate = c.DecisionDate,
                DecisionStep = c.Plan.DecisionStep,
                CallInCloses = status.CallInCloses?.ToOffsetDateTime(),
                RuleSet = new RuleSetReferenceDocument { Name = c.Plan.RuleSetName, Hash = c.Plan.RuleSetHash },
                Completed = c.Plan.Steps.Where(s => c.Completed.ContainsKey(s.Id)).Select(s => StepMomentDocument.From(s.Id, c.Completed[s.Id])).ToList(),
                Started = c.Plan.Steps.Where(s => c.Started.ContainsKey(s.Id)).Select(s => StepMomentDocument.From(s.Id, c.Started[s.Id])).ToList(),
                PermittedTriggers = status.Permitted.Select(p => new PermittedTriggerDocument { Trigger = p.Trigger, Step = p.Step, Roles = p.Roles.ToList() }).ToList(),
                BlockedTriggers = status.Blocked.Select(b => new BlockedTriggerDocument { Trigger = b.Trigger, Step = b.Step, Roles = b.Roles.ToList(), Reasons = b.Reasons.ToList() }).ToList(),
                Outstanding = status.Outstanding.ToList(),
                DecidedAt = c.DecidedAt,
            };
        }
    }

    /// <summary>A step with the instant it was completed (or started) and by whom.</summary>
    [JsonNumberHandling(JsonNumberHandling.Strict)]
    public sealed class StepMomentDocument
    {
        /// <summary><c>step</c> id.</summary>
        [JsonPropertyName("step")]
        public required string Step { get; init; }

        /// <summary><c>at</c>: the instant, UTC.</summary>
        [JsonPropertyName("at")]
        [JsonConverter(typeof(UtcInstantConverter))]
        public required Instant At { get; init; }

        /// <summary><c>by</c>: who.</summary>
        [JsonPropertyName("by")]
        public required string By { get; init; }

        internal static StepMomentDocument From(string step, StepCompletion moment) => new() { Step = step, At = moment.At, By = moment.By };
    }

    /// <summary>One of the status's <c>permittedTriggers</c>.</summary>
    [JsonNumberHandling(JsonNumberHandling.Strict)]
    public sealed class PermittedTriggerDocument
    {
        /// <summary><c>trigger</c>, by name (see <see cref="CaseTrigger"/>; <see cref="CaseTriggers.Parse"/> reads it).</summary>
        [JsonPropertyName("trigger")]
        [JsonConverter(typeof(EnumNameConverter<CaseTrigger>))]
        public required CaseTrigger Trigger { get; init; }

        /// <summary><c>step</c> it completes or starts, or null.</summary>
        [JsonPropertyName("step")]
        [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
        public string? Step { get; init; }

        /// <summary><c>roles</c>: any one of them may fire it.</summary>
        [JsonPropertyName("roles")]
        public required IReadOnlyList<string> Roles { get; init; }
    }

    /// <summary>One of the status's <c>blockedTriggers</c>.</summary>
    [JsonNumberHandling(JsonNumberHandling.Strict)]
    public sealed class BlockedTriggerDocument
    {
        /// <summary><c>trigger</c>, by name.</summary>
        [JsonPropertyName("trigger")]
        [JsonConverter(typeof(EnumNameConverter<CaseTrigger>))]
        public required CaseTrigger Trigger { get; init; }

        /// <summary><c>step</c> it would complete or start, or null.</summary>
        [JsonPropertyName("step")]
        [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
        public string? Step { get; init; }

        /// <summary><c>roles</c> that may fire it once unblocked.</summary>
        [JsonPropertyName("roles")]
        public required IReadOnlyList<string> Roles { get; init; }

        /// <summary><c>reasons</c>: why not yet, in plain English.</summary>
        [JsonPropertyName("reasons")]
        public required IReadOnlyList<string> Reasons { get; init; }
    }

    /// <summary>
    /// The fire-outcome JSON contract (schemas/fire-outcome.schema.json): whether a trigger was accepted, the case's
    /// state and version after it, the reasons for a refusal, and the audit entry that records it.
    /// </summary>
    [JsonNumberHandling(JsonNumberHandling.Strict)]
    public sealed class FireOutcomeDocument
    {
        /// <summary><c>accepted</c>: whether the trigger was accepted.</summary>
        [JsonPropertyName("accepted")]
        public required bool Accepted { get; init; }

        /// <summary><c>state</c> of the case after the trigger (unchanged when refused).</summary>
        [JsonPropertyName("state")]
        [JsonConverter(typeof(EnumNameConverter<CaseState>))]
        public required CaseState State { get; init; }

        /// <summary><c>version</c> of the case after the trigger.</summary>
        [JsonPropertyName("version")]
        public required long Version { get; init; }

        /// <summary><c>reasons</c> it was refused, in plain English; empty when accepted.</summary>
        [JsonPropertyName("reasons")]
        public required IReadOnlyList<string> Reasons { get; init; }

        /// <summary><c>audit</c>: the store-wide sequence number of the audit entry recording it.</summary>
        [JsonPropertyName("audit")]
        public required long Audit { get; init; }

        /// <summary><c>caseId</c>: the case fired at.</summary>
        [JsonPropertyName("caseId")]
        public required string CaseId { get; init; }

        /// <summary><c>entry</c>: the audit entry itself, in the history contract.</summary>
        [JsonPropertyName("entry")]
        public required AuditEntry Entry { get; init; }

        /// <summary>The contract form of <paramref name="outcome"/>.</summary>
        /// <exception cref="ArgumentNullException"><paramref name="outcome"/> is null.</exception>
        public static FireOutcomeDocument From(FireOutcome outcome)
        {
            ArgumentNullException.ThrowIfNull(outcome);
            return new FireOutcomeDocument
            {
                Accepted = outcome.Accepted,
                State = outcome.Case.State,
                Version = outcome.Case.Version,
                Reasons = outcome.Reasons.ToList(),
                Audit = outcome.Audit.Sequence,
                CaseId = outcome.Case.Id,
                Entry = outcome.Audit,
            };
        }
    }

    /// <summary>
    /// The history contract for one <see cref="AuditEntry"/> (schemas/history.schema.json holds an array of them). Every
    /// field of the entry is written, so an entry read back is the same entry and its hash still checks.
    /// </summary>
    [JsonNumberHandling(JsonNumberHandling.Strict)]
    internal sealed class AuditEntryDocument
    {
        [JsonPropertyName("sequence")]
        public required long Sequence { get; init; }

        [JsonPropertyName("caseId")]
        public required string CaseId { get; init; }

        [JsonPropertyName("at")]
        [JsonConverter(typeof(UtcInstantConverter))]
        public required Instant At { get; init; }

        [JsonPropertyName("recordedAt")]
        [JsonConverter(typeof(UtcInstantConverter))]
        public required Instant RecordedAt { get; init; }

        [JsonPropertyName("actor")]
        public required string Actor { get; init; }

        /// <summary>The comma-separated roles as a list; an empty list for none. Joining with commas gives them back exactly.</summary>
        [JsonPropertyName("roles")]
        public required IReadOnlyList<string> Roles { get; init; }

        [JsonPropertyName("trigger")]
        public required string Trigger { get; init; }

        [JsonPropertyName("step")]
        [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
        public string? Step { get; init; }

        [JsonPropertyName("from")]
        [JsonConverter(typeof(EnumNameConverter<CaseState>))]
        public required CaseState From { get; init; }

        [JsonPropertyName("to")]
        [JsonConverter(typeof(EnumNameConverter<CaseState>))]
        public required CaseState To { get; init; }

        [JsonPropertyName("accepted")]
        public required bool Accepted { get; init; }

        [JsonPropertyName("detail")]
        [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
        public string? Detail { get; init; }

        [JsonPropertyName("ruleSetHash")]
        public required string RuleSetHash { get; init; }

        [JsonPropertyName("hash")]
        public required string Hash { get; init; }

        [JsonPropertyName("previousHash")]
        public required string PreviousHash { get; init; }

        [JsonPropertyName("caseSequence")]
        [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
        public long? CaseSequence { get; init; }

        [JsonPropertyName("caseDocumentHash")]
        [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
        public string? CaseDocumentHash { get; init; }

        [JsonPropertyName("keyId")]
        [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
        public string? KeyId { get; init; }

        public static AuditEntryDocument Of(AuditEntry e) => new()
        {
            Sequence = e.Sequence,
            CaseId = e.CaseId,
            At = e.At,
            RecordedAt = e.RecordedAt,
            Actor = e.Actor,
            Roles = e.Roles.Length == 0 ? Array.Empty<string>() : e.Roles.Split(','),
            Trigger = e.Trigger,
            Step = e.Step,
            From = e.From,
            To = e.To,
            Accepted = e.Accepted,
            Detail = e.Detail,
            RuleSetHash = e.RuleSetHash,
            Hash = e.Hash,
            PreviousHash = e.PreviousHash,
            CaseSequence = e.CaseSequence,
            CaseDocumentHash = e.CaseDocumentHash,
            KeyId = e.KeyId,
        };

        public AuditEntry ToEntry() => new()
        {
            Sequence = Sequence,
            CaseId = CaseId,
            At = At,
            RecordedAt = RecordedAt,
            Actor = Actor,
            Roles = string.Join(',', Roles),
            Trigger = Trigger,
            Step = Step,
            From = From,
            To = To,
            Accepted = Accepted,
            Detail = Detail,
            RuleSetHash = RuleSetHash,
            Hash = Hash,
            PreviousHash = PreviousHash,
            CaseSequence = CaseSequence,
            CaseDocumentHash = CaseDocumentHash,
            KeyId = KeyId,
        };
    }
}
