using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Linq;
using DecisionRouting.Cli.Publication;
using DecisionRouting.Diagnostics;
using DecisionRouting.Proposals;
using DecisionRouting.Routing;
using NodaTime;

namespace DecisionRouting.Cli.Commands
{
    /// <summary>
    /// <c>forward-plan --proposals &lt;dir&gt; --rules &lt;dir&gt; --from &lt;date&gt; [--months 4] [--publication &lt;file&gt;]
    /// [--format markdown|html] [--output &lt;file&gt;]</c>: the notice of key decisions (SI 2012/2089 reg 9) for the
    /// proposals in a folder whose decision dates fall in the period. Every statutory content an entry lacks is shown as
    /// MISSING in the notice, listed on stderr, and makes the exit code 5.
    /// </summary>
    internal static class ForwardPlanCommand
    {
        public static Command Create(CliOutput output)
        {
            var proposals = new Option<string>("--proposals") { Description = "A folder of proposal JSON files (every *.json directly inside it).", Required = true };
            var rules = new RoutingArguments();
            var from = new Option<string>("--from") { Description = "The first day of the period (yyyy-MM-dd); proposals are routed as of this day unless --today is given.", Required = true };
            var months = new Option<int>("--months") { Description = "How many months the period runs (1 to 12).", DefaultValueFactory = _ => 4 };
            var publication = new Option<string?>("--publication") { Description = "The publication file: the authority, the address documents are available from, how to request details and make representations, decision-makers and their members, and each entry's documents (see docs/forward-plan.md)." };
            var format = new Option<string>("--format") { Description = "markdown or html.", DefaultValueFactory = _ => "markdown" };
            format.AcceptOnlyFromAmong("markdown", "html");
            var target = new Option<string?>("--output") { Description = "Write the notice to this file instead of standard output." };
            var command = new Command("forward-plan", "Write the notice of key decisions (SI 2012/2089 reg 9) for the proposals in a folder whose decisions fall in a period, in Markdown or HTML.");
            ExitCodes.Document(command, (ExitCodes.Success, "the notice has every statutory content"), (ExitCodes.IncompletePlan, "the notice was written, but an entry lacks a statutory content (shown as MISSING and listed on stderr) or a plan is incomplete"));
            command.Options.Add(proposals);
            rules.AddTo(command, withProposal: false);
            command.Options.Add(from);
            command.Options.Add(months);
            command.Options.Add(publication);
            command.Options.Add(format);
            command.Options.Add(target);
            command.SetAction(parse => Run(parse, output, rules, parse.GetValue(proposals)!, parse.GetValue(from)!, parse.GetValue(months), parse.GetValue(publication), parse.GetValue(format)!, parse.GetValue(target)));
            return command;
        }

        private static int Run(ParseResult parse, CliOutput output, RoutingArguments arguments, string folder, string fromText, int months, string? publicationPath, string format, string? target)
        {
            var parsed = DecisionRouting.Text.IsoDates.Parse(fromText);
            if (!parsed.Success)
            {
                return output.BadInput($"--from must be a date written yyyy-MM-dd, not '{fromText}'");
            }

            if (months is < 1 or > 12)
            {
                return output.BadInput($"--months must be from 1 to 12, not {months}");
            }

            var from = parsed.Value;
            if (!Text.SupportedDates.Contains(from) || !Text.SupportedDates.Contains(from.PlusMonths(months)))
            {
                return output.BadInput(Text.SupportedDates.OutOfRange("--from", fromText));
            }

            // Read as route-batch and diff read a register: same order, same refusals of links out of the folder.
            if (ProposalRegister.Open(folder, output, out var openExit) is not { } register)
            {
                return openExit;
            }

            var publication = PublicationFile.None;
            if (publicationPath is not null)
            {
                var diagnostics = new DiagnosticBag();
                if (PublicationFile.Read(publicationPath, diagnostics) is not { } read)
                {
                    output.WriteDiagnostics(diagnostics.ToSortedList(), output.Error);
                    return ExitCodes.BadInput;
                }

                publication = read;
            }

            if (arguments.ReadRuleSet(parse, output, out var exitCode) is not { } loaded)
            {
                return exitCode;
            }

            // The notice is published on --from, so each plan is judged as of that day: a decision too close for 28 clear
            // days' notice then takes the general exception or special urgency, as the plan's urgency routes say.
            var options = parse.GetValue(arguments.Today) is null
                ? new RoutingOptions { Calendar = loaded.Options.Calendar, Clock = new NoonOn(from), Evaluation = loaded.Options.Evaluation, TimeBudget = loaded.Options.TimeBudget }
                : loaded.Options;
            var router = new Router(loaded.RuleSet, options);
            var plans = new List<RoutingPlan>();
            var failed = false;
            foreach (var file in register.Files)
            {
                var read = register.Read(file);
                if (read.Proposal is not { } proposal)
                {
                    output.WriteDiagnostics(read.Diagnostics, output.Error);
                    failed = true;
                    continue;
                }

                try
                {
                    plans.Add(router.Route(proposal));
                }
                catch (InvalidProposalException e)
                {
                    output.WriteDiagnostics(e.Diagnostics, output.Error);
                    failed = true;
                }
                catch (Exception e) when (e is RoutingTimeBudgetExceededException or RoutingFaultException)
                {
                    output.Error.WriteLine(Fields.Text($"{file}: {e.Message}"));
                    failed = true;
                }
            }

            if (failed)
            {
                // A notice missing a proposal that could not be read would be silently short: none is written.
                output.Error.WriteLine("decision-routing: forward-plan: no notice written, because the proposals above could not be read or routed; fix them and run it again.");
                return ExitCodes.BadInput;
            }

            var known = plans.Select(p => p.Proposal.Id).ToHashSet(StringComparer.Ordinal);
            foreach (var id in publication.Entries.Keys.Where(id => !known.Contains(id)).Order(StringComparer.Ordinal))
            {
                output.Error.WriteLine(Fields.Text($"{publicationPath}: warning: entries.\"{id}\" names no proposal in {folder}; its details are not used (a misspelt id?)"));
            }

            var document = ForwardPlan.Build(plans, publication, from, from.PlusMonths(months), $"{loaded.RuleSet.Name} ({loaded.RuleSet.Hash[..12]})");
            var text = format == "html" ? PublicDocumentWriter.Html(document) : PublicDocumentWriter.Markdown(document);
            if (target is null)
            {
                output.Out.Write(text);
            }
            else
            {
                OutputFiles.WriteAllText(target, text, $"--output {target}");
            }

            return ReportGaps(document, output, "forward-plan");
        }

        /// <summary>Lists every gap on stderr, one line each, and returns 5 when there is any.</summary>
        internal static int ReportGaps(PublicDocument document, CliOutput output, string command)
        {
            var gaps = document.Gaps.ToList();
            foreach (var (section, item) in gaps)
            {
                output.Error.WriteLine(Fields.Text($"{command}: MISSING in '{section.Key ?? section.Heading}': {item.Label} ({item.Citation}): {item.Missing}"));
            }

            if (gaps.Count == 0)
            {
                return ExitCodes.Success;
            }

            output.Error.WriteLine(Fields.Text($"{command}: {gaps.Count} statutory content(s) missing; the document says MISSING where each belongs."));
            return ExitCodes.IncompletePlan;
        }

        /// <summary>A clock at noon, London time, on the given day.</summary>
        private sealed class NoonOn(LocalDate day) : TimeProvider
        {
            public override DateTimeOffset GetUtcNow() => Calendar.LondonTime.Resolve(day.At(new LocalTime(12, 0))).ToDateTimeOffset();
        }
    }
}
