using System;
using System.CommandLine;
using System.Linq;
using DecisionRouting.Cli.Publication;
using DecisionRouting.Diagnostics;
using DecisionRouting.Lifecycle;

namespace DecisionRouting.Cli.Commands
{
    /// <summary>
    /// <c>notice &lt;case-id&gt; [--record &lt;file&gt;] [--format markdown|html] [--output &lt;file&gt;] [store options]</c>:
    /// the written statement of an executive decision (SI 2012/2089 regs 12–13) from a case in the store and the
    /// decision record kept with it (given when the decision was fired: <c>proposal fire … --record</c>), checked against
    /// the hash its audit entry records. A case whose decision is not taken yet gets no notice (exit 5); a case decided
    /// without a record gets none either (exit 5), unless a file is given with <c>--record</c>, which the notice labels as
    /// supplied afterwards and not audited (exit 5 still). A content the record lacks is shown as MISSING, listed on
    /// stderr, and makes the exit code 5.
    /// </summary>
    internal static class NoticeCommand
    {
        public static Command Create(CliOutput output)
        {
            var id = new Argument<string>("case-id") { Description = "The case whose decision to record." };
            var record = new Option<string?>("--record") { Description = "Only for a case decided without a record: a decision record file supplied afterwards (the decision, reasons, alternatives rejected and interests declared, see docs/forward-plan.md). The notice says it is NOT AUDITED and the exit code is 5. Give the record when firing the decision instead: proposal fire … --record." };
            var format = new Option<string>("--format") { Description = "markdown or html.", DefaultValueFactory = _ => "markdown" };
            format.AcceptOnlyFromAmong("markdown", "html");
            var target = new Option<string?>("--output") { Description = "Write the notice to this file instead of standard output." };
            var store = new CaseStoreOptions();
            var command = new Command("notice", "Write the record of a case's decision (SI 2012/2089 regs 12–13): the decision, reasons, alternatives, interests, key decision, call-in and when it takes effect.");
            ExitCodes.Document(
                command,
                (ExitCodes.Success, "the record was made with the decision and has every statutory content"),
                (ExitCodes.ValidationErrors, ExitCodes.DamagedStore + "; or the record kept with the case no longer matches the hash its audit entry records"),
                (ExitCodes.IncompletePlan, "the decision is not taken yet, or was taken without a record and no --record file is given (nothing written); or the record lacks a statutory content (written, with MISSING where it belongs, and listed on stderr); or the record is a --record file supplied afterwards (written, marked NOT AUDITED)"));
            command.Arguments.Add(id);
            command.Options.Add(record);
            command.Options.Add(format);
            command.Options.Add(target);
            store.AddTo(command);
            command.SetAction(parse =>
            {
                var caseId = parse.GetValue(id)!;
                var diagnostics = new DiagnosticBag();
                DecisionRecordFile? supplied = null;
                if (parse.GetValue(record) is { } recordPath)
                {
                    if (DecisionRecordFile.Read(recordPath, diagnostics) is not { } file)
                    {
                        output.WriteDiagnostics(diagnostics.ToSortedList(), output.Error);
                        return ExitCodes.BadInput;
                    }

                    if (!string.Equals(file.CaseId, caseId, StringComparison.Ordinal))
                    {
                        return output.BadInput($"{file.Path}: the decision record is for case '{file.CaseId}', not '{caseId}'");
                    }

                    supplied = file;
                }

                return store.Run(parse, output, async s =>
                {
                    var lifecycle = new ProposalLifecycle(s);
                    var status = await lifecycle.StatusAsync(caseId).ConfigureAwait(false);
                    if (DecisionNotice.NotYet(status.Case) is { } why)
                    {
                        output.Error.WriteLine(Fields.Text($"decision-routing: notice: no record written: {why}."));
                        return ExitCodes.IncompletePlan;
                    }

                    DecisionRecordFile used;
                    if (status.Case.DecisionRecords.LastOrDefault() is { } kept)
                    {
                        if (supplied is not null)
                        {
                            return output.BadInput($"case '{caseId}' has the decision record made with its decision ({kept.Trigger} by {kept.By}); --record is only for a case decided without one, so leave it out");
                        }

                        var history = await lifecycle.HistoryAsync(caseId).ConfigureAwait(false);
                        if (KeptRecord(caseId, kept, history, diagnostics) is not { } fromCase)
                        {
                            output.WriteDiagnostics(diagnostics.ToSortedList(), output.Error);
                            return ExitCodes.BadInput;
                        }

                        if (!string.Equals(fromCase.CaseId, caseId, StringComparison.Ordinal))
                        {
                            // The library keeps what the application gave it; the CLI's fire checks this, an application may not.
                            return output.BadInput($"{fromCase.Path}: the decision record kept with case '{caseId}' is for case '{fromCase.CaseId}'");
                        }

                        used = fromCase;
                    }
                    else if (supplied is null)
                    {
                        output.Error.WriteLine(Fields.Text($"decision-routing: notice: no record written: case '{caseId}' was decided without a decision record (none was given when the decision was fired, so nothing in the audit trail says what was decided or why). Give the record when firing the decision (proposal fire … --record <file>); for a case already decided, --record <file> writes the notice from a file supplied afterwards, marked NOT AUDITED."));
                        return ExitCodes.IncompletePlan;
                    }
                    else
                    {
                        used = supplied;
                    }

                    var document = DecisionNotice.Build(status, used);
                    var text = parse.GetValue(format) == "html" ? PublicDocumentWriter.Html(document) : PublicDocumentWriter.Markdown(document);
                    if (parse.GetValue(target) is { } path)
                    {
                        OutputFiles.WriteAllText(path, text, $"--output {path}");
                    }
                    else
                    {
                        output.Out.Write(text);
                    }

                    var exit = ForwardPlanCommand.ReportGaps(document, output, "notice");
                    if (used.Audited is null)
                    {
                        output.Error.WriteLine(Fields.Text($"decision-routing: notice: '{caseId}': {DecisionNotice.NotAudited}"));
                        return ExitCodes.IncompletePlan;
                    }

                    return exit;
                }, mustExist: true);
            });
            return command;
        }

        /// <summary>
        /// The record kept with the case, once its text is shown to be what the decision's audit entry hashed; a record
        /// changed in the store since is damage (thrown, reported as a damaged store), not a notice.
        /// </summary>
        private static DecisionRecordFile? KeptRecord(string caseId, CaseDecisionRecord kept, System.Collections.Generic.IReadOnlyList<AuditEntry> history, DiagnosticBag diagnostics)
        {
            var entry = history.LastOrDefault(kept.IsRecordedBy);
            if (entry is null || !string.Equals(AuditEntry.HashDocument(kept.Text), kept.Sha256, StringComparison.Ordinal))
            {
                throw new CorruptCaseException(
                    $"the decision record kept with case '{caseId}' ({kept.Trigger} by {kept.By}) is not the one its audit entry recorded: "
                    + (entry is null ? "no accepted audit entry of the case names its hash" : "its text no longer has the hash the entry records")
                    + ", so it was changed outside the lifecycle");
            }

            if (DecisionRecordFile.Parse($"case {caseId} decision record (audit entry {entry.Sequence})", kept.Text, diagnostics) is not { } file)
            {
                return null;
            }

            return file with { Audited = (kept, entry) };
        }
    }
}
