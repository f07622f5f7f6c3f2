using System;
using System.CommandLine;
using DecisionRouting.Cli.Publication;
using DecisionRouting.Diagnostics;
using DecisionRouting.Lifecycle;

namespace DecisionRouting.Cli.Commands
{
    /// <summary>
    /// <c>notice &lt;case-id&gt; --record &lt;file&gt; [--format markdown|html] [--output &lt;file&gt;] [store options]</c>:
    /// the written statement of an executive decision (SI 2012/2089 regs 12–13) from a case in the store and the
    /// decision record file. A case whose decision is not taken yet gets no notice (exit 5); a content the record file
    /// lacks is shown as MISSING, listed on stderr, and makes the exit code 5.
    /// </summary>
    internal static class NoticeCommand
    {
        public static Command Create(CliOutput output)
        {
            var id = new Argument<string>("case-id") { Description = "The case whose decision to record." };
            var record = new Option<string>("--record") { Description = "The decision record file: the decision, reasons, alternatives rejected and interests declared, for this case (see docs/forward-plan.md).", Required = true };
            var format = new Option<string>("--format") { Description = "markdown or html.", DefaultValueFactory = _ => "markdown" };
            format.AcceptOnlyFromAmong("markdown", "html");
            var target = new Option<string?>("--output") { Description = "Write the notice to this file instead of standard output." };
            var store = new CaseStoreOptions();
            var command = new Command("notice", "Write the record of a case's decision (SI 2012/2089 regs 12–13): the decision, reasons, alternatives, interests, key decision, call-in and when it takes effect.");
            ExitCodes.Document(
                command,
                (ExitCodes.Success, "the record has every statutory content"),
                (ExitCodes.ValidationErrors, ExitCodes.DamagedStore),
                (ExitCodes.IncompletePlan, "the decision is not taken yet (nothing written), or the record lacks a statutory content (written, with MISSING where it belongs, and listed on stderr)"));
            command.Arguments.Add(id);
            command.Options.Add(record);
            command.Options.Add(format);
            command.Options.Add(target);
            store.AddTo(command);
            command.SetAction(parse =>
            {
                var caseId = parse.GetValue(id)!;
                var diagnostics = new DiagnosticBag();
                if (DecisionRecordFile.Read(parse.GetValue(record)!, diagnostics) is not { } file)
                {
                    output.WriteDiagnostics(diagnostics.ToSortedList(), output.Error);
                    return ExitCodes.BadInput;
                }

                if (!string.Equals(file.CaseId, caseId, StringComparison.Ordinal))
                {
                    return output.BadInput($"{file.Path}: the decision record is for case '{file.CaseId}', not '{caseId}'");
                }

                return store.Run(parse, output, async s =>
                {
                    var status = await new ProposalLifecycle(s).StatusAsync(caseId).ConfigureAwait(false);
                    if (DecisionNotice.NotYet(status.Case) is { } why)
                    {
                        output.Error.WriteLine(Fields.Text($"decision-routing: notice: no record written: {why}."));
                        return ExitCodes.IncompletePlan;
                    }

                    var document = DecisionNotice.Build(status, file);
                    var text = parse.GetValue(format) == "html" ? PublicDocumentWriter.Html(document) : PublicDocumentWriter.Markdown(document);
                    if (parse.GetValue(target) is { } path)
                    {
                        OutputFiles.WriteAllText(path, text, $"--output {path}");
                    }
                    else
                    {
                        output.Out.Write(text);
                    }

                    return ForwardPlanCommand.ReportGaps(document, output, "notice");
                }, mustExist: true);
            });
            return command;
        }
    }
}
