using System;
using System.CommandLine;
using System.IO;
using System.Linq;
using DecisionRouting.Calendar;
using DecisionRouting.Proposals;
using DecisionRouting.Routing;
using DecisionRouting.RuleSets;
using NodaTime;

namespace DecisionRouting.Cli.Commands
{
    /// <summary>A proposal, the rule set to route it with, and the calendar and date to route it on.</summary>
    internal sealed record RoutingInputs(Proposal Proposal, RuleSet RuleSet, RoutingOptions Options)
    {
        public Router Router() => new(RuleSet, Options);
    }

    /// <summary>
    /// The arguments every routing command shares (<c>&lt;proposal&gt; --rules --holidays --today</c>), and reading them
    /// into <see cref="RoutingInputs"/> with one-line errors for anything missing or malformed.
    /// </summary>
    internal sealed class RoutingArguments
    {
        public Argument<string> Proposal { get; } = new("proposal") { Description = "The proposal JSON file (see schemas/proposal.schema.json)." };

        public Option<string> Rules { get; } = new("--rules") { Description = "The rule-set folder to route with.", Required = true };

        public Option<string?> Holidays { get; } = new("--holidays") { Description = "A bank-holiday file in gov.uk's bank-holidays.json format, instead of the shipped one." };

        public RuleTreeOptions Tree { get; } = new();

        public Option<string?> Today { get; } = new("--today") { Description = "Judge which notices can still be given as of this date (yyyy-MM-dd), instead of today in London." };

        public void AddTo(Command command, bool withProposal = true)
        {
            if (withProposal)
            {
                command.Arguments.Add(Proposal);
            }

            command.Options.Add(Rules);
            command.Options.Add(Holidays);
            command.Options.Add(Today);
            Tree.AddTo(command);
        }

        /// <summary>Reads the inputs, or writes why not and returns the exit code.</summary>
        public RoutingInputs? Read(ParseResult parse, CliOutput output, out int exitCode)
        {
            exitCode = ExitCodes.Success;
            var proposalPath = parse.GetValue(Proposal)!;
            if (!File.Exists(proposalPath))
            {
                exitCode = output.BadInput($"{proposalPath}: proposal file not found");
                return null;
            }

            if (!RuleSetFolder.Exists(parse.GetValue(Rules)!))
            {
                exitCode = output.BadInput($"{parse.GetValue(Rules)}: rule-set folder not found");
                return null;
            }

            var read = ProposalReader.ReadFile(proposalPath);
            if (read.Proposal is not { } proposal)
            {
                output.WriteDiagnostics(read.Diagnostics, output.Error);
                exitCode = ExitCodes.BadInput;
                return null;
            }

            if (ReadRuleSet(parse, output, out exitCode) is not { } rules)
            {
                return null;
            }

            // The proposal against the rule set's declared attributes: wrong types and missing required ones stop
            // here with their position; undeclared ones are warnings (and appear again in the plan's warnings).
            var check = rules.RuleSet.CheckProposal(proposal);
            if (check.Any(d => d.IsError))
            {
                output.WriteDiagnostics(check, output.Error);
                exitCode = ExitCodes.BadInput;
                return null;
            }

            output.WriteDiagnostics(check, output.Error);
            return new RoutingInputs(proposal, rules.RuleSet, rules.Options);
        }

        /// <summary>Reads the inputs and routes the proposal, or writes why not and returns the exit code.</summary>
        public RoutingPlan? Route(ParseResult parse, CliOutput output, out int exitCode)
        {
            if (Read(parse, output, out exitCode) is not { } read)
            {
                return null;
            }

            try
            {
                return read.Router().Route(read.Proposal);
            }
            catch (Exception e) when (e is RoutingTimeBudgetExceededException or RoutingFaultException)
            {
                exitCode = output.BadInput(e.Message);
                return null;
            }
        }

        /// <summary>Reads the rule set, calendar and clock, or writes why not and returns the exit code.</summary>
        public (RuleSet RuleSet, RoutingOptions Options)? ReadRuleSet(ParseResult parse, CliOutput output, out int exitCode)
        {
            exitCode = ExitCodes.Success;
            var rulesDirectory = parse.GetValue(Rules)!;
            if (!RuleSetFolder.Exists(rulesDirectory))
            {
                exitCode = output.BadInput($"{rulesDirectory}: rule-set folder not found");
                return null;
            }

            var options = ReadOptions(parse, output, ref exitCode);
            if (options is null)
            {
                return null;
            }

            var load = RuleSet.TryLoad(rulesDirectory, Tree.Read(parse));
            if (load.RuleSet is not { } ruleSet)
            {
                output.WriteDiagnostics(load.Diagnostics.Where(d => d.IsError), output.Error);
                exitCode = output.BadInput($"{rulesDirectory}: the rule set has errors; run 'decision-routing validate {rulesDirectory}' for details");
                return null;
            }

            return (ruleSet, options);
        }

        /// <summary>The calendar (<c>--holidays</c>) and clock (<c>--today</c>), or writes why not, sets <paramref name="exitCode"/> and returns null.</summary>
        public RoutingOptions? ReadOptions(ParseResult parse, CliOutput output, ref int exitCode)
        {
            var calendar = GovernanceCalendar.EnglandAndWales;
            if (parse.GetValue(Holidays) is { } holidaysPath)
            {
                try
                {
                    calendar = new GovernanceCalendar(BankHolidays.Load(holidaysPath));
                }
                catch (InvalidBankHolidaysException e)
                {
                    output.WriteDiagnostics(e.Diagnostics, output.Error);
                    exitCode = ExitCodes.BadInput;
                    return null;
                }
            }

            var clock = TimeProvider.System;
            if (parse.GetValue(Today) is { } todayText)
            {
                var today = Text.IsoDates.Parse(todayText);
                if (!today.Success)
                {
                    exitCode = output.BadInput($"--today must be a date written yyyy-MM-dd, not '{todayText}'");
                    return null;
                }

                if (!Text.SupportedDates.Contains(today.Value))
                {
                    exitCode = output.BadInput(Text.SupportedDates.OutOfRange("--today", todayText));
                    return null;
                }

                clock = new FixedDay(today.Value);
            }

            return new RoutingOptions { Calendar = calendar, Clock = clock };
        }

        /// <summary>A clock at noon, London time, on the given day (noon is never skipped or repeated in London).</summary>
        private sealed class FixedDay(LocalDate day) : TimeProvider
        {
            public override DateTimeOffset GetUtcNow() => LondonTime.Resolve(day.At(new LocalTime(12, 0))).ToDateTimeOffset();
        }
    }
}
