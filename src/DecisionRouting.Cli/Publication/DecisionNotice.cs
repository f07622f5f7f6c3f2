using System.Collections.Generic;
using System.Linq;
using DecisionRouting.Calendar;
using DecisionRouting.Lifecycle;
using DecisionRouting.Text;
using NodaTime;

namespace DecisionRouting.Cli.Publication
{
    /// <summary>
    /// Builds the record of an executive decision (SI 2012/2089 reg 12 for a decision at a meeting, reg 13 for one by
    /// an individual) from a case in the store and its <see cref="DecisionRecordFile"/> (kept with the case, or a file
    /// supplied afterwards): the case gives the date, whether it is a key decision and call-in (its frozen plan); the
    /// record gives the decision, reasons, alternatives and interests.
    /// </summary>
    internal static class DecisionNotice
    {
        private static readonly string[] KeyDecisionSteps = ["key-decision-notice", "general-exception-notice", "special-urgency-agreement", "forward-plan-entry"];

        /// <summary>The warning a notice built from a file supplied afterwards carries, at its head and on stderr.</summary>
        public const string NotAudited = "NOT AUDITED: the decision, reasons, alternatives and interests below were supplied after the decision (notice --record), not recorded with it; nothing in the case's audit trail vouches for them.";

        /// <summary>Why no notice can be written for the case yet (its decision is not taken), or null when it can.</summary>
        public static string? NotYet(ProposalCase proposalCase) =>
            proposalCase.DecidedAt is null
                ? $"case '{proposalCase.Id}' has no decision yet (state {proposalCase.State}): a decision record is written once the decision step ({proposalCase.Plan.DecisionStep ?? "none in the plan"}) is completed"
                : null;

        /// <summary>The record. Call only when <see cref="NotYet"/> is null.</summary>
        public static PublicDocument Build(CaseStatus status, DecisionRecordFile record)
        {
            var proposalCase = status.Case;
            var plan = proposalCase.Plan;
            var decided = proposalCase.DecidedAt!.Value.InZone(GovernanceCalendar.London);
            var atMeeting = plan.Find("meeting-notice") is not null;
            var executive = plan.Find("decision-record") is not null;
            var citation = atMeeting ? Statute.MeetingRecord : Statute.IndividualRecord;
            string Cite(char paragraph) => atMeeting ? $"{Statute.MeetingRecord}({paragraph})" : $"{Statute.IndividualRecord} (verify: paragraph; see reg 12(2)({paragraph}))";

            var items = new List<DocumentItem>
            {
                record.Decision is { } decision
                    ? DocumentItem.Of("decision", "The decision", Cite('a'), decision)
                    : DocumentItem.Lacking("decision", "The decision", Cite('a'), $"the decision record {record.Described} has no 'decision'"),
                DocumentItem.Of("date", "Date of the decision", Cite('a'), $"{DateText.Long.Format(decided.Date)} (recorded in the case as {DateText.Moment.Format(decided)})"),
                record.Reasons is { } reasons
                    ? DocumentItem.Of("reasons", "Reasons for the decision", Cite('b'), reasons)
                    : DocumentItem.Lacking("reasons", "Reasons for the decision", Cite('b'), $"the decision record {record.Described} has no 'reasons'"),
                Alternatives(record, Cite('c')),
                Interests(record, Cite('d'), Cite('e'), atMeeting),
                KeyDecision(plan),
            };
            items.AddRange(CallIn(status, decided));

            var notes = new List<string>
            {
                record.Audited is { } audited
                    ? $"The decision, reasons, alternatives and interests are from the decision record made with the decision ({audited.Entry.Trigger}{(audited.Entry.Step is { } step ? " " + step : string.Empty)} by {audited.Entry.Actor}, audit entry {audited.Entry.Sequence}, SHA-256 {audited.Kept.Sha256}); the date, key decision and call-in from case '{proposalCase.Id}' (version {proposalCase.Version}, rule set {plan.RuleSetName}, {plan.RuleSetHash[..12]})."
                    : $"NOT AUDITED: the decision, reasons, alternatives and interests are from the file {System.IO.Path.GetFileName(record.Path)} (SHA-256 {record.Sha256}), supplied after the decision: the case holds no record made at decision time, so nothing in its audit trail vouches for them. The date, key decision and call-in are from case '{proposalCase.Id}' (version {proposalCase.Version}, rule set {plan.RuleSetName}, {plan.RuleSetHash[..12]}).",
            };
            if (!atMeeting)
            {
                notes.Add("Verify: " + Statute.VerifyIndividualRecord);
            }

            if (!executive)
            {
                notes.Add("The case's plan has no decision-record step, so this is not an executive decision recorded under SI 2012/2089 regs 12–13; the record is given for the authority's own minutes.");
            }

            return new PublicDocument(
                $"Record of decision: {plan.Title}",
                [
                    atMeeting
                        ? $"Written statement of an executive decision made at a meeting of a decision-making body ({citation})."
                        : $"Written statement of an executive decision made by an individual ({citation}; verify: its paragraphs).",
                    .. record.Audited is null ? [NotAudited] : System.Array.Empty<string>(),
                ],
                [new DocumentSection(plan.Title, "decision", proposalCase.Id, items, notes)]);
        }

        private static DocumentItem Alternatives(DecisionRecordFile record, string citation)
        {
            const string label = "Alternative options considered and rejected";
            if (record.Alternatives is not { } alternatives)
            {
                return DocumentItem.Lacking("alternatives", label, citation, $"the decision record {record.Described} has no 'alternatives' (give [] if none were considered)");
            }

            if (alternatives.Count == 0)
            {
                return DocumentItem.Of("alternatives", label, citation, "None were considered.");
            }

            if (alternatives.FirstOrDefault(a => a.RejectedBecause is null) is { Option: { } unexplained })
            {
                return DocumentItem.Lacking("alternatives", label, citation, $"the alternative '{unexplained}' has no 'rejectedBecause'");
            }

            return new DocumentItem("alternatives", label, citation, alternatives.Select(a => $"{a.Option}: rejected because {a.RejectedBecause}").ToList());
        }

        private static DocumentItem Interests(DecisionRecordFile record, string citation, string dispensationCitation, bool atMeeting)
        {
            var label = atMeeting ? "Conflicts of interest declared by members of the decision-making body, and dispensations" : "Conflicts of interest declared by an executive member consulted, and dispensations";
            var cited = $"{citation}; {dispensationCitation}";
            if (record.Interests is not { } interests)
            {
                return DocumentItem.Lacking("interests", label, cited, $"the decision record {record.Described} has no 'interests' (give [] if none was declared)");
            }

            if (interests.Count == 0)
            {
                return DocumentItem.Of("interests", label, cited, "No conflict of interest was declared.");
            }

            if (interests.FirstOrDefault(i => !i.DispensationStated) is { } unsaid)
            {
                return DocumentItem.Lacking("interests", label, cited, $"the interest declared by {unsaid.Member} does not say whether a dispensation was granted ('dispensation': a text, or null for none)");
            }

            return new DocumentItem("interests", label, cited, interests.Select(i =>
                $"{i.Member}: {i.Interest}. " + (i.Dispensation is { } d ? $"Dispensation granted by the head of paid service: {d}." : "No dispensation was granted.")).ToList());
        }

        private static DocumentItem KeyDecision(CasePlan plan)
        {
            var step = KeyDecisionSteps.Select(plan.Find).FirstOrDefault(s => s is not null);
            return step is null
                ? DocumentItem.Of("key-decision", "Key decision", "SI 2012/2089 reg 8", "No: the case's plan requires no key-decision notice.")
                : DocumentItem.Of("key-decision", "Key decision", "SI 2012/2089 reg 8", $"Yes: the case's plan required '{step.Name}' ({step.Id}).");
        }

        /// <summary>Whether the decision is subject to call-in, and from when it takes effect (the constitution's call-in period; LGA 2000 s9F).</summary>
        private static IEnumerable<DocumentItem> CallIn(CaseStatus status, ZonedDateTime decided)
        {
            const string source = "LGA 2000 s9F; the constitution's call-in period";
            var proposalCase = status.Case;
            var plan = proposalCase.Plan;
            if (plan.CallIn is not { } callIn)
            {
                yield return DocumentItem.Of("call-in", "Subject to call-in", source, "No: the case's plan has no call-in step.");
                yield return DocumentItem.Of("effective", "Takes effect", source, $"When made: {DateText.Moment.Format(decided)}.");
                yield break;
            }

            if (plan.CallInExemption is { } exemption && proposalCase.Completed.TryGetValue(exemption.Id, out var exempted))
            {
                yield return DocumentItem.Of("call-in", "Subject to call-in", source, $"No: exempt from call-in ('{exemption.Name}', recorded {DateText.Moment.Format(exempted.At.InZone(GovernanceCalendar.London))}).");
                yield return DocumentItem.Of("effective", "Takes effect", source, $"{DateText.Moment.Format(exempted.At.InZone(GovernanceCalendar.London))}, when the exemption was recorded.");
                yield break;
            }

            yield return DocumentItem.Of("call-in", "Subject to call-in", source, callIn.Duration is { } period ? $"Yes: '{callIn.Name}', {period}." : $"Yes: '{callIn.Name}'.");
            if (proposalCase.State is CaseState.CalledIn or CaseState.Reconsidering or CaseState.ReferredToFullCouncil)
            {
                yield return DocumentItem.Of("effective", "Takes effect", source, $"Not yet: the decision was called in (state {proposalCase.State}); it takes effect only on scrutiny's or the council's outcome.");
            }
            else if (status.CallInCloses is { } closes)
            {
                yield return DocumentItem.Of("effective", "Takes effect", source, $"After the call-in period ends at {DateText.Moment.Format(closes)}, unless the decision is called in.");
            }
            else
            {
                yield return DocumentItem.Lacking("effective", "Takes effect", source, "the case's call-in step has no period, so when the call-in period ends, and the decision takes effect, is not known; the rule set must give the constitution's period");
            }
        }
    }
}
