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

        /// <summary>
        /// The older, single urgency flag: officers say the decision is urgent. Read as both
        /// <see cref="NoticeImpracticable"/> and <see cref="CallInExempt"/> wherever the proposal does not give those
        /// itself, because that is what it meant before they existed. They are different tests, so a plan that reads
        /// <c>urgent</c> for either warns (<see cref="UrgencyReadFromUrgentFlag"/>).
        /// </summary>
        public bool Urgent { get; init; }

        private readonly bool? _noticeImpracticable;
        private readonly bool? _callInExempt;

        /// <summary>
        /// Whether giving the 28 clear days' key-decision notice is impracticable, so the general exception (SI 2012/2089
        /// reg 10: 5 clear days' notice to the scrutiny chair and the public) or, failing that, special urgency (reg 11:
        /// the scrutiny chair agrees the decision cannot reasonably be deferred) applies. Says nothing about call-in.
        /// When the proposal does not give it, it is <see cref="Urgent"/>.
        /// </summary>
        public bool NoticeImpracticable
        {
            get => _noticeImpracticable ?? Urgent;
            init => _noticeImpracticable = value;
        }

        /// <summary>
        /// Whether the decision is exempt from call-in under the constitution's urgency test (typically: any delay in
        /// implementing it would seriously prejudice the council's or the public's interests, with the scrutiny chair's
        /// agreement). Not statutory, and a different test from <see cref="NoticeImpracticable"/>: a decision taken under
        /// the general exception can still be called in. When the proposal does not give it, it is <see cref="Urgent"/>.
        /// </summary>
        public bool CallInExempt
        {
            get => _callInExempt ?? Urgent;
            init => _callInExempt = value;
        }

        /// <summary>
        /// Whether <see cref="Urgent"/> is true and decides at least one of <see cref="NoticeImpracticable"/> and
        /// <see cref="CallInExempt"/> because the proposal does not give it: the plan warns that one flag stood for two tests.
        /// </summary>
        public bool UrgencyReadFromUrgentFlag => Urgent && (_noticeImpracticable is null || _callInExempt is null);

        /// <summary>Why it is urgent, for the urgency notice.</summary>
        public string? UrgencyReason { get; init; }

        /// <summary>Whether the decision is contrary to, or changes, the budget and policy framework.</summary>
        public bool AffectsBudgetAndPolicyFramework { get; init; }

        /// <summary>Whether it is a substantial development or variation of a health service.</summary>
        public bool SubstantialVariationOfHealthServices { get; init; }

        /// <summary>Whether the resulting agreement is legally binding (an MoU usually is not).</summary>
        public bool LegallyBinding { get; init; }

        /// <summary>
        /// Whether the decision is taken at a meeting or by one person, as the proposal gives it; null when it does not.
        /// <see cref="DecidedAtMeeting"/> applies the default.
        /// </summary>
        public DecisionSetting? DecidedAt { get; init; }

        /// <summary>
        /// Whether the decision is taken at a meeting: <see cref="DecidedAt"/> when given; otherwise individually for the
        /// Leader (or elected mayor), a cabinet member or an officer, and at a meeting for every body (Cabinet, Council, a
        /// committee, the HWB, an NHS board).
        /// </summary>
        public bool DecidedAtMeeting => (DecidedAt ?? DefaultSetting(DecisionMaker)) == DecisionSetting.Meeting;

        /// <summary>The statutory officer roles the proposal touches (creates, moves, redesignates or fills); empty when none.</summary>
        public IReadOnlyList<StatutoryRole> StatutoryRoles { get; init; } = [];

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
        /// <remarks>
        /// Rules call this once per comparison of a kind, so it is evaluation's hot path: a plain loop, not LINQ's
        /// <c>Contains</c> (type tests, an interface call and an equality comparer on every call).
        /// </remarks>
        public bool Has(ProposalKind kind)
        {
            var kinds = Kinds;
            for (var i = 0; i < kinds.Count; i++)
            {
                if (kinds[i] == kind)
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>Whether the proposal touches the given statutory officer role.</summary>
        public bool Touches(StatutoryRole role) => StatutoryRoles.Contains(role);

        /// <summary>
        /// How a decision-maker decides when the proposal does not say: the Leader (or elected mayor), a cabinet member
        /// and an officer alone; every body at a meeting.
        /// </summary>
        public static DecisionSetting DefaultSetting(DecisionMaker decisionMaker) =>
            decisionMaker is DecisionMaker.Leader or DecisionMaker.CabinetMember or DecisionMaker.Officer ? DecisionSetting.Individual : DecisionSetting.Meeting;
    }
}
