using System;
using System.CommandLine;
using System.Linq;
using DecisionRouting.Cli.Publication;
using DecisionRouting.Diagnostics;
using DecisionRouting.Lifecycle;
using DecisionRouting.Serialization;
using NodaTime;

namespace DecisionRouting.Cli.Commands
{
    /// <summary><c>proposal create|status|fire|history|graph</c>: drive a proposal through its plan, durably.</summary>
    internal static class ProposalCommand
    {
        public static Command Create(CliOutput output)
        {
            var command = new Command("proposal", "Drive a proposal through its plan: create a case, see what may happen next, fire triggers, read its history, draw its states.");
            command.Subcommands.Add(CreateCase(output));
            command.Subcommands.Add(Status(output));
            command.Subcommands.Add(Fire(output));
            command.Subcommands.Add(History(output));
            command.Subcommands.Add(Graph(output));
            return command;
        }

        private static Command CreateCase(CliOutput output)
        {
            var inputs = new RoutingArguments();
            var store = new CaseStoreOptions();
            var id = new Option<string?>("--id") { Description = "The case id (default: the proposal's id)." };
            var actor = new Option<string?>("--actor") { Description = "Who creates the case, for the audit trail (default: the login name)." };
            var acceptIncomplete = new Option<bool>("--accept-incomplete") { Description = "Create the case even though the plan is incomplete (undecided or failed rules); needs --reason, and is audited." };
            var reason = new Option<string?>("--reason") { Description = "Why an incomplete plan is accepted (with --accept-incomplete); written to the audit trail." };
            var format = Format();
            var command = new Command("create", "Route a proposal and store it as a case in Draft, with its plan frozen. An incomplete plan is refused unless accepted with --accept-incomplete --reason.");
            ExitCodes.Document(command, (ExitCodes.Success, "created"), (ExitCodes.ValidationErrors, ExitCodes.DamagedStore), (ExitCodes.IncompletePlan, "the plan is incomplete; nothing stored (see --accept-incomplete)"));
            inputs.AddTo(command);
            command.Options.Add(id);
            command.Options.Add(actor);
            command.Options.Add(acceptIncomplete);
            command.Options.Add(reason);
            store.AddTo(command);
            command.Options.Add(format);
            command.SetAction(parse =>
            {
                var accepting = parse.GetValue(acceptIncomplete);
                var why = parse.GetValue(reason);
                if (accepting != (why is not null) || (accepting && string.IsNullOrWhiteSpace(why)))
                {
                    return output.BadInput("--accept-incomplete and --reason go together: accepting an incomplete plan needs a reason for the audit trail");
                }

                if (inputs.Route(parse, output, out var exitCode) is not { } plan)
                {
                    return exitCode;
                }

                if (!plan.IsComplete && !accepting)
                {
                    // Refused before the store is opened: nothing is created, and the reasons are what to fix.
                    output.Error.WriteLine(PlanText.Banner(plan));
                    output.Error.Write(PlanText.Reasons(plan));
                    output.Error.WriteLine("decision-routing: no case created; give the proposal the missing values and try again, or accept the plan with --accept-incomplete --reason \"…\"");
                    return ExitCodes.IncompletePlan;
                }

                var who = new Actor(parse.GetValue(actor) ?? Environment.UserName, Array.Empty<string>());
                if ((Text.UnsafeCharacters.NameProblem(who.Name, "--actor") ?? Text.UnsafeCharacters.NameProblem(parse.GetValue(id), "--id")) is { } badName)
                {
                    // Refused before the store is opened: nothing stored may carry it.
                    return output.BadInput(badName);
                }

                return store.Run(parse, output, async s =>
                {
                    var lifecycle = new ProposalLifecycle(s);
                    var created = plan.IsComplete
                        ? await lifecycle.CreateAsync(plan, who, parse.GetValue(id)).ConfigureAwait(false)
                        : await lifecycle.CreateAsync(plan, who, new IncompletePlanAcceptance(why!), parse.GetValue(id)).ConfigureAwait(false);
                    output.Out.Write(parse.GetValue(format) == "json"
                        ? CaseOutput.Json(new { id = created.Id, state = created.State.ToString(), version = created.Version, ruleSet = created.Plan.RuleSetName, ruleSetHash = created.Plan.RuleSetHash, steps = created.Plan.Steps.Select(st => st.Id), isComplete = created.Plan.IsComplete, incomplete = created.Plan.Incomplete, incompleteAcceptedReason = created.Plan.IncompleteAcceptedReason })
                        : Fields.Text($"Created case '{created.Id}' ({created.Plan.Steps.Count} steps, rule set {created.Plan.RuleSetName}){(created.Plan.IsComplete ? string.Empty : $", INCOMPLETE plan accepted: {created.Plan.IncompleteAcceptedReason}")}. Next: decision-routing proposal status {created.Id}") + "\n");
                    return ExitCodes.Success;
                });
            });
            return command;
        }

        private static Command Status(CliOutput output)
        {
            var id = CaseId();
            var store = new CaseStoreOptions();
            var at = At("Work out the status as of this time, instead of now.");
            var format = Format();
            var command = new Command("status", "What has happened to a case, what may happen next and who may do it, and what is blocked and why.");
            ExitCodes.Document(command, (ExitCodes.Success, "shown"), (ExitCodes.ValidationErrors, ExitCodes.DamagedStore));
            command.Arguments.Add(id);
            store.AddTo(command);
            command.Options.Add(at);
            command.Options.Add(format);
            command.SetAction(parse =>
            {
                if (!ReadAt(parse, at, output, out var when, out var exitCode))
                {
                    return exitCode;
                }

                return store.Run(parse, output, async s =>
                {
                    var status = await new ProposalLifecycle(s).StatusAsync(parse.GetValue(id)!, when).ConfigureAwait(false);
                    output.Out.Write(parse.GetValue(format) == "json" ? DecisionRoutingJson.Write(status) + "\n" : CaseOutput.StatusText(status));
                    return ExitCodes.Success;
                }, mustExist: true);
            });
            return command;
        }

        private static Command Fire(CliOutput output)
        {
            var id = CaseId();
            var trigger = new Argument<string>("trigger") { Description = $"What to do: {string.Join(", ", CaseTriggers.Names)} (or the name, e.g. CompleteStep; case ignored)." };
            var step = new Option<string?>("--step") { Description = "The step to complete (CompleteStep) or whose actual start to record (StartStep)." };
            var actor = new Option<string>("--actor") { Description = "Who is acting, for the audit trail.", Required = true };
            var roles = new Option<string[]>("--role") { Description = "A role the actor holds (repeat for several), e.g. s151-officer, clerk-to-cabinet.", Required = true, AllowMultipleArgumentsPerToken = false };
            var at = At("When it happened, if not now (recording a meeting already held).");
            var date = new Option<string?>("--date") { Description = "The new intended decision date (yyyy-MM-dd), for Defer." };
            var record = new Option<string?>("--record") { Description = "The decision record file (schemas/decision-record.schema.json: the decision, reasons, alternatives rejected, interests declared), with the trigger that makes the decision (complete-step of the decision step, reject, confirm-decision): kept with the case, its SHA-256 in the audit entry, and read by notice." };
            var expected = new Option<long?>("--expected-version") { Description = "The case version you acted on (the 'version' proposal status shows): if the case has moved on since, nothing is fired or audited and the exit code is 4." };
            var store = new CaseStoreOptions();
            var format = Format();
            var command = new Command("fire", "Fire a trigger at a case as an actor in a role. Refused triggers are audited; usage mistakes are not.");
            ExitCodes.Document(command, (ExitCodes.Success, "accepted"), (ExitCodes.ValidationErrors, "refused, with the reasons (audited); or " + ExitCodes.DamagedStore), (ExitCodes.Conflict, "someone else changed the case at the same moment, or since the --expected-version you gave; nothing saved: re-read its status and run it again"));
            command.Arguments.Add(id);
            command.Arguments.Add(trigger);
            command.Options.Add(step);
            command.Options.Add(actor);
            command.Options.Add(roles);
            command.Options.Add(at);
            command.Options.Add(date);
            command.Options.Add(expected);
            command.Options.Add(record);
            store.AddTo(command);
            command.Options.Add(format);
            command.SetAction(parse =>
            {
                var triggerText = parse.GetValue(trigger)!;
                if (!CaseTriggers.TryParse(triggerText, out var parsed))
                {
                    return output.BadInput(CaseTriggers.NotATrigger(triggerText));
                }

                if (!ReadAt(parse, at, output, out var when, out var exitCode))
                {
                    return exitCode;
                }

                LocalDate? newDate = null;
                if (parse.GetValue(date) is { } dateText)
                {
                    var d = DecisionRouting.Text.IsoDates.Parse(dateText);
                    if (!d.Success)
                    {
                        return output.BadInput($"--date must be a date written yyyy-MM-dd, not '{dateText}'");
                    }

                    if (!Text.SupportedDates.Contains(d.Value))
                    {
                        return output.BadInput(Text.SupportedDates.OutOfRange("--date", dateText));
                    }

                    newDate = d.Value;
                }

                var name = parse.GetValue(actor)!;
                if (string.IsNullOrWhiteSpace(name))
                {
                    return output.BadInput("--actor must name who is acting");
                }

                if (Text.UnsafeCharacters.NameProblem(name, "--actor") is { } badName)
                {
                    return output.BadInput(badName);
                }

                string? recordText = null;
                if (parse.GetValue(record) is { } recordPath)
                {
                    // Read and checked as notice reads it, so what is audited is a record notice can publish.
                    var diagnostics = new DiagnosticBag();
                    if (DecisionRecordFile.Read(recordPath, diagnostics) is not { } file)
                    {
                        output.WriteDiagnostics(diagnostics.ToSortedList(), output.Error);
                        return ExitCodes.BadInput;
                    }

                    if (!string.Equals(file.CaseId, parse.GetValue(id), StringComparison.Ordinal))
                    {
                        return output.BadInput($"{file.Path}: the decision record is for case '{file.CaseId}', not '{parse.GetValue(id)}'");
                    }

                    recordText = file.Text;
                }

                var request = new TriggerRequest(parsed, new Actor(name, parse.GetValue(roles)!.Where(r => !string.IsNullOrWhiteSpace(r)).ToList()))
                {
                    DecisionRecord = recordText,
                    Step = parse.GetValue(step),
                    At = when,
                    NewDecisionDate = newDate,
                    ExpectedVersion = parse.GetValue(expected),
                };
                return store.Run(parse, output, async s =>
                {
                    var outcome = await new ProposalLifecycle(s).FireAsync(parse.GetValue(id)!, request).ConfigureAwait(false);
                    if (parse.GetValue(format) == "json")
                    {
                        output.Out.Write(DecisionRoutingJson.Write(outcome) + "\n");
                    }
                    else if (outcome.Accepted)
                    {
                        output.Out.WriteLine(Fields.Text($"{outcome.Audit.Trigger}{(outcome.Audit.Step is { } st ? " " + st : string.Empty)}: {outcome.Audit.From} → {outcome.Audit.To} (audit entry {outcome.Audit.Sequence})"));
                        if (outcome.Audit.Detail is { } detail)
                        {
                            output.Out.WriteLine(Fields.OneLine(detail));
                        }
                    }

                    if (!outcome.Accepted)
                    {
                        output.Error.WriteLine(Fields.Text($"decision-routing: refused: {request.Trigger}{(request.Step is { } st ? " " + st : string.Empty)} (recorded as audit entry {outcome.Audit.Sequence})"));
                        foreach (var reason in outcome.Reasons)
                        {
                            output.Error.WriteLine(Fields.Text($"  - {reason}"));
                        }

                        return ExitCodes.ValidationErrors;
                    }

                    return ExitCodes.Success;
                }, mustExist: true);
            });
            return command;
        }

        private static Command History(CliOutput output)
        {
            var id = CaseId();
            var store = new CaseStoreOptions();
            var format = Format();
            var command = new Command("history", "Every trigger fired at a case, accepted or refused: who, when, what, from and to, why not.");
            ExitCodes.Document(command, (ExitCodes.Success, "shown"), (ExitCodes.ValidationErrors, ExitCodes.DamagedStore));
            command.Arguments.Add(id);
            store.AddTo(command);
            command.Options.Add(format);
            command.SetAction(parse => store.Run(parse, output, async s =>
            {
                var entries = await new ProposalLifecycle(s).HistoryAsync(parse.GetValue(id)!).ConfigureAwait(false);
                output.Out.Write(parse.GetValue(format) == "json" ? DecisionRoutingJson.Write(entries) + "\n" : CaseOutput.HistoryText(entries));
                return ExitCodes.Success;
            }, mustExist: true));
            return command;
        }

        private static Command Graph(CliOutput output)
        {
            var id = CaseId();
            var store = new CaseStoreOptions();
            var format = new Option<string>("--format") { Description = "mermaid (Markdown), dot (Graphviz) or svg (drawn by Graphviz's dot, which must be installed).", DefaultValueFactory = _ => "mermaid" };
            format.AcceptOnlyFromAmong("mermaid", "dot", "svg");
            var command = new Command("graph", "Draw a case's state machine, with the state it is in highlighted.");
            ExitCodes.Document(command, (ExitCodes.Success, "drawn"), (ExitCodes.ValidationErrors, ExitCodes.DamagedStore));
            command.Arguments.Add(id);
            store.AddTo(command);
            command.Options.Add(format);
            command.SetAction(parse => store.Run(parse, output, async s =>
            {
                var lifecycle = new ProposalLifecycle(s);
                return await Diagrams.WriteAsync(output, parse.GetValue(format)!, kind => lifecycle.GraphAsync(parse.GetValue(id)!, kind)).ConfigureAwait(false);
            }, mustExist: true));
            return command;
        }

        private static Argument<string> CaseId() => new("id") { Description = "The case id (the proposal's id unless --id was given at create)." };

        private static Option<string> Format()
        {
            var format = new Option<string>("--format") { Description = "text for people, json for programs.", DefaultValueFactory = _ => "text" };
            format.AcceptOnlyFromAmong("text", "json");
            return format;
        }

        private static Option<string?> At(string description) => new("--at") { Description = description + " ISO 8601: 2013-07-15T18:30 (London time; one the clocks skip or show twice is refused), 2013-07-15T17:30Z or +01:00, or a date (noon London time)." };

        private static bool ReadAt(ParseResult parse, Option<string?> option, CliOutput output, out Instant? at, out int exitCode)
        {
            at = null;
            exitCode = ExitCodes.Success;
            if (parse.GetValue(option) is not { } text)
            {
                return true;
            }

            if (CaseOutput.ParseMoment(text, out var problem) is not { } parsed)
            {
                if (problem is not null)
                {
                    exitCode = output.BadInput($"--at {problem}");
                    return false;
                }

                exitCode = output.BadInput($"--at must be a time such as 2013-07-15T18:30 (London), 2013-07-15T17:30Z or 2013-07-15, not '{text}'");
                return false;
            }

            if (!Text.SupportedDates.Contains(parsed))
            {
                exitCode = output.BadInput(Text.SupportedDates.OutOfRange("--at", text));
                return false;
            }

            at = parsed;
            return true;
        }
    }
}
