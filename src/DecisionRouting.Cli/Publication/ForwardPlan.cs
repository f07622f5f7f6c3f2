using System.Collections.Generic;
using System.Linq;
using DecisionRouting.Proposals;
using DecisionRouting.Routing;
using DecisionRouting.Text;
using NodaTime;

namespace DecisionRouting.Cli.Publication
{
    /// <summary>How the law treats a proposal's decision in the notice of key decisions, as its routed plan shows it.</summary>
    internal enum KeyDecisionRoute
    {
        /// <summary>Not a key decision: the plan requires none of the key-decision steps.</summary>
        NotKey,

        /// <summary>A key decision with the 28 clear days' notice (<c>key-decision-notice</c>): an entry under reg 9.</summary>
        Notice,

        /// <summary>The general exception (<c>general-exception-notice</c>): reg 9 need not be complied with (reg 10(2)).</summary>
        GeneralException,

        /// <summary>Special urgency (<c>special-urgency-agreement</c>): reg 11.</summary>
        SpecialUrgency,

        /// <summary>Decided before 10 September 2012 (<c>forward-plan-entry</c>): the 2000 regulations' forward plan, which this notice does not follow.</summary>
        Before2012,
    }

    /// <summary>
    /// Builds the notice of key decisions (SI 2012/2089 reg 9) from routed plans: which proposals it lists and how,
    /// and each entry's statutory contents, from the plan, the proposal and the <see cref="PublicationFile"/>.
    /// </summary>
    internal static class ForwardPlan
    {
        // The catalogue's steps for each route; a partnership that replaces one keeps its id (CatalogueMerge).
        private const string NoticeStep = "key-decision-notice";
        private const string GeneralExceptionStep = "general-exception-notice";
        private const string SpecialUrgencyStep = "special-urgency-agreement";
        private const string Before2012Step = "forward-plan-entry";
        private const string PrivateMeetingStep = "private-meeting-notice";

        /// <summary>Which route the plan takes the decision by: the most urgent one it requires or switches to.</summary>
        public static KeyDecisionRoute RouteOf(RoutingPlan plan)
        {
            bool Uses(string step) => plan.Requires(step) || plan.UrgencyRoutes.Any(r => r.Instead == step);
            return Uses(SpecialUrgencyStep) ? KeyDecisionRoute.SpecialUrgency
                : Uses(GeneralExceptionStep) ? KeyDecisionRoute.GeneralException
                : plan.Requires(NoticeStep) ? KeyDecisionRoute.Notice
                : plan.Requires(Before2012Step) ? KeyDecisionRoute.Before2012
                : KeyDecisionRoute.NotKey;
        }

        /// <summary>
        /// The notice for the plans whose decision date is in [<paramref name="from"/>, <paramref name="until"/>),
        /// in date order.
        /// </summary>
        public static PublicDocument Build(IReadOnlyList<RoutingPlan> plans, PublicationFile publication, LocalDate from, LocalDate until, string ruleSet)
        {
            var inPeriod = plans.Where(p => p.DecisionDate >= from && p.DecisionDate < until)
                .OrderBy(p => p.DecisionDate).ThenBy(p => p.Proposal.Id, System.StringComparer.Ordinal).ToList();
            var authority = publication.Authority ?? "the authority";
            var sections = new List<DocumentSection>();
            var notListed = new List<string>();
            foreach (var plan in inPeriod)
            {
                var route = RouteOf(plan);
                var details = publication.Entries.GetValueOrDefault(plan.Proposal.Id);
                var incomplete = plan.IsComplete ? null
                    : $"the plan for this proposal is incomplete ({IncompleteWhy(plan)}), so whether it is a key decision, and what it requires, may not be known; complete the proposal and run forward-plan again";
                switch (route)
                {
                    case KeyDecisionRoute.Notice:
                        sections.Add(NoticeEntry(plan, publication, details, authority, incomplete));
                        break;
                    case KeyDecisionRoute.GeneralException or KeyDecisionRoute.SpecialUrgency:
                        sections.Add(UrgentEntry(plan, route, publication, details, incomplete));
                        break;
                    case KeyDecisionRoute.Before2012:
                        sections.Add(new DocumentSection(
                            Heading(plan), "before-2012", plan.Proposal.Id, [DocumentItem.Of("matter", "Matter", Statute.Matter, plan.Proposal.Title)], [],
                            "this decision is dated before 10 September 2012, when key decisions went in the forward plan under SI 2000/3272 regs 12–14, which this notice does not follow (verify: those regulations' contents)"));
                        break;
                    case KeyDecisionRoute.NotKey when plan.Requires(PrivateMeetingStep) || incomplete is not null:
                        // Not a key decision, but a meeting held in private needs its own 28 clear days' notice (reg 5(2)),
                        // and a plan that is incomplete may be a key decision: both are listed, never dropped.
                        sections.Add(PrivateEntry(plan, publication, details, incomplete));
                        break;
                    default:
                        notListed.Add(plan.Proposal.Id);
                        break;
                }
            }

            sections.Add(PublicationSection(publication));
            if (notListed.Count > 0)
            {
                sections.Add(new DocumentSection("Not listed: not key decisions", "not-listed", null, [], [$"These proposals have decision dates in the period, but their plans require no key-decision notice and no private meeting: {string.Join(", ", notListed)}."]));
            }

            sections.Add(new DocumentSection("Verify before publishing", "verify", null, [], ["These points of law were not confirmed against the primary text when this tool was written:", .. Statute.VerifyForNotice]));
            var last = until.PlusDays(-1);
            return new PublicDocument(
                $"Notice of key decisions: {authority}, {DateText.Long.Format(from)} to {DateText.Long.Format(last)}",
                [
                    $"Published under {Statute.Regulations} reg 9: the key decisions to be made on behalf of {authority} between {DateText.Long.Format(from)} and {DateText.Long.Format(last)}, and the decisions to be taken at meetings held in private (reg 5(2)).",
                    $"Drafted by decision-routing from rule set {ruleSet}, each proposal routed as of {DateText.Long.Format(from)}. Check it before it is published: every MISSING content must be supplied.",
                ],
                sections);
        }

        /// <summary>
        /// The citation of the decision-maker and date in an urgent entry: regs 10 and 11 require only the matter and the
        /// reasons, but an entry without them would be of little use, so they are given, and flagged when missing, all the same.
        /// </summary>
        private const string ForInformation = "for information: regs 10–11 require the matter and the reasons";

        private static string Heading(RoutingPlan plan) => $"{DateText.Long.Format(plan.DecisionDate)}: {plan.Proposal.Title}";

        private static DocumentSection NoticeEntry(RoutingPlan plan, PublicationFile publication, EntryDetails? details, string authority, string? flag) =>
            new(
                Heading(plan),
                "entry",
                plan.Proposal.Id,
                [
                    DocumentItem.Of("key-decision", "Key decision", Statute.KeyDecisionStatement, $"A key decision is to be made on behalf of {authority}."),
                    DocumentItem.Of("matter", "Matter", Statute.Matter, $"{plan.Proposal.Title} (reference {plan.Proposal.Id})"),
                    DecisionMakerItem(plan.Proposal, publication, details),
                    DocumentItem.Of("date", "Date", Statute.Date, $"On {DateText.Long.Format(plan.DecisionDate)}."),
                    DocumentsItem(plan.Proposal, details),
                    PrivateItem(plan, details),
                ],
                [],
                flag);

        private static DocumentSection UrgentEntry(RoutingPlan plan, KeyDecisionRoute route, PublicationFile publication, EntryDetails? details, string? flag)
        {
            var special = route == KeyDecisionRoute.SpecialUrgency;
            var reason = plan.Proposal.UrgencyReason is { Length: > 0 } given
                ? DocumentItem.Of("urgency-reasons", special ? "Why it is urgent and cannot reasonably be deferred" : "Why the notice under regulation 9 is impracticable", special ? Statute.SpecialUrgency : Statute.GeneralException, given)
                : DocumentItem.Lacking("urgency-reasons", special ? "Why it is urgent and cannot reasonably be deferred" : "Why the notice under regulation 9 is impracticable", special ? Statute.SpecialUrgency : Statute.GeneralException, "the proposal gives no urgencyReason; give it in the proposal file");
            var note = special
                ? "Special urgency (reg 11): even the general exception's five clear days cannot be given. The decision may be made only with the agreement of the chair of the relevant overview and scrutiny committee (or, failing one, the chairman or vice-chairman of the authority) that it is urgent and cannot reasonably be deferred (reg 11(1)); a notice of the reasons is then made available at the offices and published on the website (reg 11(2))."
                : "General exception (reg 10): the 28 clear days' notice under regulation 9 is impracticable, so regulation 9 need not be complied with (reg 10(2)). The decision may be made only after the chair of the relevant overview and scrutiny committee (or each member, if there is none) has been told in writing of the matter, that notice has been made available at the offices and published on the website, and five clear days have elapsed (reg 10(1)(a)–(c)); a notice of the reasons is then published (reg 10(3)).";
            return new DocumentSection(
                Heading(plan),
                special ? "special-urgency" : "general-exception",
                plan.Proposal.Id,
                [
                    DocumentItem.Of("matter", "Matter", special ? Statute.SpecialUrgency : "SI 2012/2089 reg 10(1)(a)", $"{plan.Proposal.Title} (reference {plan.Proposal.Id})"),
                    DecisionMakerItem(plan.Proposal, publication, details) with { Citation = ForInformation },
                    DocumentItem.Of("date", "Date", ForInformation, $"On {DateText.Long.Format(plan.DecisionDate)}."),
                    reason,
                    PrivateItem(plan, details),
                ],
                [note],
                flag);
        }

        private static DocumentSection PrivateEntry(RoutingPlan plan, PublicationFile publication, EntryDetails? details, string? flag) =>
            new(
                Heading(plan),
                flag is null ? "private-meeting" : "undecided",
                plan.Proposal.Id,
                [
                    DocumentItem.Of("matter", "Matter", Statute.PrivateMeeting, $"{plan.Proposal.Title} (reference {plan.Proposal.Id})"),
                    DecisionMakerItem(plan.Proposal, publication, details),
                    DocumentItem.Of("date", "Date", Statute.PrivateMeeting, $"On {DateText.Long.Format(plan.DecisionDate)}."),
                    PrivateItem(plan, details),
                ],
                flag is null ? ["Not a key decision: listed because a meeting held in private needs 28 clear days' notice of the intention, with the reasons (reg 5(2)–(3))."] : [],
                flag);

        /// <summary>Reg 9(1)(c): an individual's name and title if any; a body's name and a list of its members.</summary>
        private static DocumentItem DecisionMakerItem(Proposal proposal, PublicationFile publication, EntryDetails? details)
        {
            var maker = proposal.DecisionMaker;
            var given = details?.DecisionMaker ?? publication.DecisionMakers.GetValueOrDefault(maker);
            var individual = maker is DecisionMaker.Leader or DecisionMaker.CabinetMember or DecisionMaker.Officer;
            const string label = "Decision-maker";
            var where = $"give it under entries.\"{proposal.Id}\".decisionMaker or decisionMakers.{maker} in the publication file";
            if (given?.Name is not { } name)
            {
                return DocumentItem.Lacking("decision-maker", label, Statute.DecisionMaker, individual
                    ? $"the {maker}'s name (and title, if any) is not given; {where}"
                    : $"the {maker}'s name and a list of its members are not given; {where}");
            }

            if (individual)
            {
                return DocumentItem.Of("decision-maker", label, Statute.DecisionMaker, given.Title is { } title ? $"{name}, {title}" : $"{name} (no title)");
            }

            if (given.Members is not { Count: > 0 } members)
            {
                return DocumentItem.Lacking("decision-maker", label, Statute.DecisionMaker, $"{name}: the list of its members is not given; {where}.members");
            }

            return new DocumentItem("decision-maker", label, Statute.DecisionMaker, [$"{name}; its members:", .. members]);
        }

        /// <summary>Reg 9(1)(e): the documents submitted to the decision-maker; none listed is a gap, not "none".</summary>
        private static DocumentItem DocumentsItem(Proposal proposal, EntryDetails? details) =>
            details?.Documents is { Count: > 0 } documents
                ? new DocumentItem("documents", "Documents submitted to the decision-maker", Statute.Documents, documents)
                : DocumentItem.Lacking("documents", "Documents submitted to the decision-maker", Statute.Documents, $"no documents are listed; give them under entries.\"{proposal.Id}\".documents in the publication file");

        /// <summary>
        /// Whether the decision will be taken in private, and why (reg 5(2)–(3)): from the plan's private-meeting notice
        /// and the proposal's exempt paragraphs (LGA 1972 Sch 12A).
        /// </summary>
        private static DocumentItem PrivateItem(RoutingPlan plan, EntryDetails? details)
        {
            const string label = "Private or public";
            var paragraphs = plan.Proposal.ExemptParagraphs.Distinct().Order().ToList();
            var grounds = string.Join("; ", paragraphs.Select(p => $"paragraph {p} ({Statute.ExemptParagraph(p)})"));
            if (plan.Requires(PrivateMeetingStep) || plan.UrgencyRoutes.Any(r => r.Impracticable == PrivateMeetingStep))
            {
                var why = $"To be taken at a meeting held in private, in whole or in part, because the report is expected to contain exempt information under LGA 1972 Sch 12A Part 1: {grounds}.";
                return DocumentItem.Of("private", label, Statute.PrivateMeeting, details?.PrivateReason is { } reason ? $"{why} {reason}" : why);
            }

            if (paragraphs.Count > 0)
            {
                return DocumentItem.Of("private", label, Statute.PrivateMeeting, $"No meeting is held in private: the decision is not taken at a meeting of a decision-making body. The report is expected to contain exempt information ({grounds}), which will not be published.");
            }

            return DocumentItem.Of("private", label, Statute.PrivateMeeting, "In public: the proposal lists no exempt information (LGA 1972 Sch 12A).");
        }

        /// <summary>The contents the notice gives once for every entry: reg 9(1)(f)–(h) and how to make representations.</summary>
        private static DocumentSection PublicationSection(PublicationFile publication) =>
            new(
                "Documents, further documents and representations",
                "publication",
                null,
                [
                    publication.Authority is { } authority
                        ? DocumentItem.Of("authority", "Authority", Statute.KeyDecisionStatement, authority)
                        : DocumentItem.Lacking("authority", "Authority", Statute.KeyDecisionStatement, "the authority on whose behalf the decisions are made is not given; give 'authority' in the publication file"),
                    publication.DocumentsAddress is { } address
                        ? DocumentItem.Of("address", "Where copies of the documents listed are available (subject to any prohibition or restriction on their disclosure)", Statute.Address, address)
                        : DocumentItem.Lacking("address", "Where copies of the documents listed are available", Statute.Address, "no address is given; give 'documentsAddress' in the publication file"),
                    DocumentItem.Of("other-documents", "Other documents", Statute.OtherDocuments, "Other documents relevant to these matters may be submitted to the decision-maker."),
                    publication.RequestDetails is { } request
                        ? DocumentItem.Of("request-details", "How to request details of documents as they become available", Statute.RequestDetails + " (verify: the rest of (h))", request)
                        : DocumentItem.Lacking("request-details", "How to request details of documents as they become available", Statute.RequestDetails + " (verify: the rest of (h))", "no procedure is given; give 'requestDetails' in the publication file"),
                    publication.Representations is { } representations
                        ? DocumentItem.Of("representations", "How to make representations", "the authority's procedure; reg 5(5)(b) for a private meeting", representations)
                        : DocumentItem.Lacking("representations", "How to make representations", "the authority's procedure; reg 5(5)(b) for a private meeting", "no procedure is given; give 'representations' in the publication file"),
                ],
                ["Regulation 9 itself does not list how to make representations; it is given because the notice is how the public learns of a decision in time to make them, and a meeting to be held in private must answer representations that it should be open (reg 5(5)(b)–(c))."]);

        private static string IncompleteWhy(RoutingPlan plan) =>
            string.Join("; ", plan.Incomplete.Select(r => r.Rule).Concat(plan.Contradictions.Select(c => "contradiction: " + c.Check)).Concat(plan.DecisionStepMissing ? ["no decision step"] : []));
    }
}
