using System.Collections.Generic;
using System.Linq;
using NodaTime;

namespace DecisionRouting.Proposals
{
    /// <summary>
    /// A proposal for a decision, as officers describe it in a report: what it is, who decides, when, and the facts
    /// the governance rules test. Rule expressions see it as <c>proposal</c> (or <c>input1</c>).
    /// </summary>
    public sealed record Proposal
    {
        /// <summary>A reference unique within the register, e.g. <c>croydon-2013-integrated-commissioning</c>.</summary>
        public required string Id { get; init; }

        /// <summary>The report's title.</summary>
        public required string Title { get; init; }

        /// <summary>The organisation whose decision this is (a council or NHS body).</summary>
        public string? Organisation { get; init; }

        /// <summary>The partner bodies (CCGs, ICBs, trusts, other councils).</summary>
        public IReadOnlyList<string> Partners { get; init; } = [];

        /// <summary>Who is to take the decision.</summary>
        public required DecisionMaker DecisionMaker { get; init; }

        /// <summary>The date the decision is intended to be taken.</summary>
        public required LocalDate IntendedDecisionDate { get; init; }

        /// <summary>What the proposal is; at least one.</summary>
        public required IReadOnlyList<ProposalKind> Kinds { get; init; }

        /// <summary>Money the decision commits, in pounds.</summary>
        public decimal FinancialCommitment { get; init; }

        /// <summary>Savings the decision is to make, in pounds.</summary>
        public decimal Savings { get; init; }

        /// <summary>How many wards the decision affects.</summary>
        public int WardsAffected { get; init; }

        /// <summary>Whether the decision affects every ward (reports often say "Wards affected: All" without a count).</summary>
        public bool AllWards { get; init; }

        /// <summary>Whether the decision significantly affects communities living or working in those wards.</summary>
        public bool SignificantEffectOnCommunities { get; init; }

        /// <summary>How many staff the decision affects.</summary>
        public int StaffAffected { get; init; }

        /// <summary>How many redundancies are proposed (at one establishment within 90 days).</summary>
        public int ProposedRedundancies { get; init; }

        /// <summary>Whether staff transfer under TUPE.</summary>
        public bool TupeTransfer { get; init; }

        /// <summary>Paragraphs (1–7) of LGA 1972 Schedule 12A under which the report holds exempt information.</summary>
        public IReadOnlyList<int> ExemptParagraphs { get; init; } = [];

        /// <summary>Whether officers say the decision is urgent and cannot wait for the usual notice.</summary>
        public bool Urgent { get; init; }

        /// <summary>Why it is urgent, for the urgency notice.</summary>
        public string? UrgencyReason { get; init; }

        /// <summary>Whether the decision is contrary to, or changes, the budget and policy framework.</summary>
        public bool AffectsBudgetAndPolicyFramework { get; init; }

        /// <summary>Whether it is a substantial development or variation of a health service.</summary>
        public bool SubstantialVariationOfHealthServices { get; init; }

        /// <summary>Whether the resulting agreement is legally binding (an MoU usually is not).</summary>
        public bool LegallyBinding { get; init; }

        private readonly ProposalSchedule _schedule = ProposalSchedule.Empty;

        /// <summary>
        /// Dates already fixed or past for some steps, by step id (e.g. a consultation the report sets out). Reading the
        /// entry of a step the proposal gives no dates for throws <see cref="ProposalValueMissingException"/>, so a rule
        /// that reads it is undecided; test with <c>ContainsKey</c> first where absence is meaningful.
        /// </summary>
        public IReadOnlyDictionary<string, StepDates> Schedule
        {
            get => _schedule;
            init => _schedule = new ProposalSchedule(value ?? throw new System.ArgumentNullException(nameof(value)));
        }

        /// <summary>Local attributes for a constitution's own rules.</summary>
        public ProposalAttributes Attributes { get; init; } = ProposalAttributes.Empty;

        /// <summary>Whether the decision is the executive's (Leader, cabinet, cabinet member or officer).</summary>
        public bool IsExecutiveDecision => DecisionMaker is DecisionMaker.Leader or DecisionMaker.Cabinet or DecisionMaker.CabinetMember or DecisionMaker.Officer;

        /// <summary>The larger of the commitment and the savings: what key-decision thresholds compare.</summary>
        public decimal SpendOrSaving => FinancialCommitment > Savings ? FinancialCommitment : Savings;

        /// <summary>Whether the report holds exempt information.</summary>
        public bool HasExemptInformation => ExemptParagraphs.Count > 0;

        /// <summary>Whether the proposal is of the given kind.</summary>
        public bool Has(ProposalKind kind) => Kinds.Contains(kind);
    }
}
