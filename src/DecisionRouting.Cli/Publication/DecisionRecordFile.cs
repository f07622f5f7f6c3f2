using System.Collections.Generic;
using System.Security.Cryptography;
using System.Text;
using DecisionRouting.Diagnostics;
using DecisionRouting.Json;
using DecisionRouting.Lifecycle;
using DecisionRouting.RuleSets;
using DecisionRouting.Text;

namespace DecisionRouting.Cli.Publication
{
    /// <summary>
    /// What the decision-maker decided and why: the decision record, in the shape of
    /// <c>schemas/decision-record.schema.json</c> (see <c>docs/forward-plan.md</c>). It is given with the trigger that
    /// makes the decision (<c>proposal fire … --record</c>), which keeps it with the case and writes its SHA-256 into the
    /// audit entry; <c>notice</c> reads it from there. A file given to <c>notice --record</c> instead is the fallback for
    /// a case decided without one: supplied afterwards and not audited, which the notice says. The case gives the dates,
    /// the key-decision status and call-in; the record gives the decision, the reasons, the alternatives rejected and the
    /// interests declared (SI 2012/2089 reg 12(2)(a)–(e), reg 13). A property left out is a missing content, shown as
    /// MISSING; an empty list says "none", on purpose.
    /// </summary>
    internal sealed record DecisionRecordFile
    {
        /// <summary>The case the record is for; must be the case <c>notice</c> is asked for.</summary>
        public required string CaseId { get; init; }

        /// <summary>The decision, as made.</summary>
        public string? Decision { get; init; }

        /// <summary>The reasons for the decision.</summary>
        public string? Reasons { get; init; }

        /// <summary>The alternative options considered and rejected; null when the file does not say, empty when there were none.</summary>
        public IReadOnlyList<(string Option, string? RejectedBecause)>? Alternatives { get; init; }

        /// <summary>The conflicts of interest declared; null when the file does not say, empty when none was declared.</summary>
        public IReadOnlyList<DeclaredInterest>? Interests { get; init; }

        /// <summary>The file as named on the command line, or the source name of the record kept with the case.</summary>
        public required string Path { get; init; }

        /// <summary>The record's text as read (what the audit entry's hash is of).</summary>
        public required string Text { get; init; }

        /// <summary>
        /// The record kept with the case and the audit entry that recorded it, when it was made at decision time; null
        /// for a file given to <c>notice --record</c> (supplied afterwards, not audited).
        /// </summary>
        public (CaseDecisionRecord Kept, AuditEntry Entry)? Audited { get; init; }

        /// <summary>How the notice's messages name the record.</summary>
        public string Described => Audited is null ? $"file {Path}" : "kept with the case";

        /// <summary>The SHA-256 of the file's text as read (UTF-8, without a byte-order mark), lower-case hex.</summary>
        public required string Sha256 { get; init; }

        /// <summary>Reads the file, or returns null with every problem in <paramref name="diagnostics"/>.</summary>
        public static DecisionRecordFile? Read(string path, DiagnosticBag diagnostics) =>
            JsonInputFile.Parse(path, "Decision record file", diagnostics) is { } root ? From(root, path, diagnostics) : null;

        /// <summary>
        /// Reads the record kept with a case (the same checks as a file: a record the library was given unchecked is
        /// reported here), or returns null with every problem in <paramref name="diagnostics"/>, located at
        /// <paramref name="source"/>(line,col).
        /// </summary>
        public static DecisionRecordFile? Parse(string source, string text, DiagnosticBag diagnostics) =>
            ParsedDocument.Parse(new SourceDocument(source, text), diagnostics) is { } root ? From(root, source, diagnostics) : null;

        private static DecisionRecordFile? From(JsonNode root, string path, DiagnosticBag diagnostics)
        {
            if (ObjectReader.For(root, "the decision record", "record", diagnostics) is not { } r)
            {
                return null;
            }

            r.Allow("$schema", "description");
            var caseId = r.Name("caseId");
            var decision = JsonInputFile.Text(r, "decision", diagnostics);
            var reasons = JsonInputFile.Text(r, "reasons", diagnostics);
            List<(string, string?)>? alternatives = null;
            if (r.Array("alternatives") is { } options)
            {
                alternatives = [];
                foreach (var item in options.Items)
                {
                    if (ObjectReader.For(item, "an alternative", "alternatives[]", diagnostics) is not { } a)
                    {
                        continue;
                    }

                    var option = a.Name("option");
                    var why = JsonInputFile.Text(a, "rejectedBecause", diagnostics);
                    a.Finish();
                    if (option is not null)
                    {
                        alternatives.Add((option.Value, why));
                    }
                }
            }

            List<DeclaredInterest>? interests = null;
            if (r.Array("interests") is { } declared)
            {
                interests = [];
                foreach (var item in declared.Items)
                {
                    if (ObjectReader.For(item, "a declared interest", "interests[]", diagnostics) is not { } i)
                    {
                        continue;
                    }

                    var member = i.Name("member");
                    var interest = i.Name("interest");
                    // The dispensation must be said either way: a text, or null for "none granted". Left out, it is missing.
                    var dispensationProperty = i.Property("dispensation");
                    var dispensation = JsonInputFile.Text(i, "dispensation", diagnostics);
                    i.Finish();
                    if (member is not null && interest is not null)
                    {
                        interests.Add(new DeclaredInterest(member.Value, interest.Value, dispensationProperty is not null, dispensation));
                    }
                }
            }

            r.Finish();
            if (caseId is null || diagnostics.HasErrors)
            {
                return null;
            }

            return new DecisionRecordFile
            {
                CaseId = caseId.Value,
                Decision = decision,
                Reasons = reasons,
                Alternatives = alternatives,
                Interests = interests,
                Path = path,
                Text = root.Document.Text,
                Sha256 = System.Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(root.Document.Text))),
            };
        }
    }

    /// <summary>A conflict of interest declared, and the dispensation granted for it.</summary>
    /// <param name="Member">Who declared it.</param>
    /// <param name="Interest">What it is.</param>
    /// <param name="DispensationStated">Whether the file says anything about a dispensation (text, or null for none).</param>
    /// <param name="Dispensation">The dispensation granted, or null when none was.</param>
    internal sealed record DeclaredInterest(string Member, string Interest, bool DispensationStated, string? Dispensation);
}
