using System.Collections.Generic;

namespace DecisionRouting.Cli.Publication
{
    /// <summary>
    /// The provisions the forward plan and the decision notice follow, in one place, each as checked against the
    /// primary text on legislation.gov.uk on 2026-11-30 (the <c>search</c> tool's stored pages). Where only part of a
    /// provision could be read, <see cref="VerifyForNotice"/> and <see cref="VerifyIndividualRecord"/> say what is still to check; <c>docs/forward-plan.md</c> has the table.
    /// </summary>
    internal static class Statute
    {
        /// <summary>The regulations: the Local Authorities (Executive Arrangements) (Meetings and Access to Information) (England) Regulations 2012.</summary>
        public const string Regulations = "SI 2012/2089";

        // Reg 9(1): "that decision must not be made until a document has been published in accordance with paragraph (2),
        // which states—" (a) to (h). Read: (a)–(g) in full; (h) only as far as "the procedure for requestin…".
        public const string KeyDecisionStatement = "SI 2012/2089 reg 9(1)(a)";
        public const string Matter = "SI 2012/2089 reg 9(1)(b)";
        public const string DecisionMaker = "SI 2012/2089 reg 9(1)(c)";
        public const string Date = "SI 2012/2089 reg 9(1)(d)";
        public const string Documents = "SI 2012/2089 reg 9(1)(e)";
        public const string Address = "SI 2012/2089 reg 9(1)(f)";
        public const string OtherDocuments = "SI 2012/2089 reg 9(1)(g)";
        public const string RequestDetails = "SI 2012/2089 reg 9(1)(h)";

        // Reg 5: (2) 28 clear days before a private meeting, a notice of the intention to hold it in private, at the
        // offices and on the website; (3) that notice includes a statement of the reasons. Read in full (paras 1–6).
        public const string PrivateMeeting = "SI 2012/2089 reg 5(2)–(3); LGA 1972 Sch 12A Part 1";

        // Reg 10: (1) where publication under reg 9 is impracticable, the decision may be made only after (a) the proper
        // officer has told the scrutiny chair in writing of the matter, (b) made that notice available and published it,
        // (c) five clear days have elapsed; (2) reg 9 then need not be complied with; (3) as soon as reasonably
        // practicable after, a notice of the reasons why compliance with reg 9 is impracticable. Read in full.
        public const string GeneralException = "SI 2012/2089 reg 10(1)–(3)";

        // Reg 11: (1) where the date makes compliance with reg 10 impracticable, only with the agreement of the scrutiny
        // chair (or the chairman, or vice-chairman, of the authority) that the decision is urgent and cannot reasonably
        // be deferred; (2) then a notice of the reasons it is urgent and cannot reasonably be deferred. Read in full.
        public const string SpecialUrgency = "SI 2012/2089 reg 11(1)–(2)";

        // Reg 12(2): the written statement for an executive decision made at a meeting of a decision-making body:
        // (a) the decision including the date it was made; (b) the reasons; (c) alternative options considered and
        // rejected at the meeting; (d) any conflict of interest declared by a member of the body; (e) for each, a note of
        // dispensation granted by the head of paid service. Read in full.
        public const string MeetingRecord = "SI 2012/2089 reg 12(2)";

        // Reg 13: decisions by individuals. Its text is not in the stored pages; the contents below follow reg 12(2),
        // its predecessor SI 2000/3272 reg 4(2) and (4) (read), and councils' published summaries of reg 13.
        public const string IndividualRecord = "SI 2012/2089 reg 13";

        /// <summary>What the notice of key decisions encodes that the stored primary text could not confirm: what to check.</summary>
        public static IReadOnlyList<string> VerifyForNotice { get; } =
        [
            "SI 2012/2089 reg 9(1)(h): only its opening words were read; check the rest of the paragraph (what the procedure for requesting details covers).",
            "SI 2012/2089 reg 9(2): not read; check where and how long before the decision the document must be published (the catalogue's key-decision-notice step counts 28 clear days).",
            "LGA 1972 Sch 12A Part 1 paragraphs 1–7: the descriptions were read on council pages, not the primary text; check each against the Schedule as substituted by SI 2006/88.",
        ];

        /// <summary>What the record of an individual's decision encodes that the stored primary text could not confirm.</summary>
        public const string VerifyIndividualRecord =
            "SI 2012/2089 reg 13: not read; check its paragraphs against the contents this record gives an individual's decision (the decision and its date, reasons, alternatives rejected, conflicts declared by an executive member consulted, dispensations).";

        /// <summary>
        /// The descriptions of exempt information in LGA 1972 Sch 12A Part 1, paragraphs 1–7, in our words (verify: see
        /// <see cref="VerifyForNotice"/>). A paragraph outside 1–7 is refused by the proposal reader.
        /// </summary>
        public static string ExemptParagraph(int paragraph) => paragraph switch
        {
            1 => "information relating to any individual",
            2 => "information likely to reveal the identity of an individual",
            3 => "information relating to the financial or business affairs of any particular person (including the authority holding it)",
            4 => "information relating to consultations or negotiations on a labour relations matter between the authority (or a Minister of the Crown) and its employees or office holders",
            5 => "information in respect of which a claim to legal professional privilege could be maintained in legal proceedings",
            6 => "information revealing that the authority proposes to give a notice imposing requirements on a person, or to make an order or direction, under an enactment",
            7 => "information relating to action taken or to be taken in connection with the prevention, investigation or prosecution of crime",
            _ => $"paragraph {paragraph} (not one of paragraphs 1–7 of Part 1)",
        };
    }
}
