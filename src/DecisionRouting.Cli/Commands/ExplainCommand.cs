using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Linq;
using System.Text;
using DecisionRouting.Explanations;

namespace DecisionRouting.Cli.Commands
{
    /// <summary>
    /// <c>explain &lt;proposal.json&gt; --rules &lt;dir&gt; --step &lt;id&gt;</c> (or <c>--why-not &lt;id&gt;</c>): why a step
    /// is required, or which conditions kept it off the route.
    /// </summary>
    internal static class ExplainCommand
    {
        /// <summary>The largest <c>--time-budget</c>, in seconds: an hour, enough for any rule set that loads.</summary>
        private const int MaxBudgetSeconds = 3600;

        public static Command Create(CliOutput output)
        {
            var inputs = new RoutingArguments();
            var step = new Option<string?>("--step") { Description = "The step to explain: the rules that require it, their sources, and the proposal values that triggered them." };
            var whyNot = new Option<string?>("--why-not") { Description = "A step the plan does not require: which conditions of each rule that could require it failed." };
            var budget = new Option<double?>("--time-budget")
            {
                Description = "Seconds routing and explaining together may take before explain stops (exit 2); default 5. Raise it for rules that read long chains of GlobalParams or LocalParams.",
            };
            var command = new Command("explain", "Explain why a step is, or is not, on a proposal's route. Give exactly one of --step or --why-not.");
            ExitCodes.Document(command, (ExitCodes.Success, "explained"), (ExitCodes.IncompletePlan, "the step is UNDECIDED: a rule that names it is undecided or could not be evaluated"));
            inputs.AddTo(command);
            command.Options.Add(step);
            command.Options.Add(whyNot);
            command.Options.Add(budget);
            command.SetAction(parse =>
            {
                var stepId = parse.GetValue(step);
                var whyNotId = parse.GetValue(whyNot);
                if ((stepId is null) == (whyNotId is null))
                {
                    return output.BadInput("explain needs exactly one of --step <id> or --why-not <id>");
                }

                var seconds = parse.GetValue(budget);
                if (seconds is { } given && !(given > 0 && given <= MaxBudgetSeconds))
                {
                    return output.BadInput($"--time-budget {given.ToString(System.Globalization.CultureInfo.InvariantCulture)}: give seconds greater than 0 and at most {MaxBudgetSeconds}");
                }

                if (inputs.Read(parse, output, out var exitCode) is not { } read)
                {
                    return exitCode;
                }

                var options = seconds is { } s
                    ? new DecisionRouting.Routing.RoutingOptions { Evaluation = read.Options.Evaluation, Calendar = read.Options.Calendar, Clock = read.Options.Clock, TimeBudget = TimeSpan.FromSeconds(s) }
                    : read.Options;
                StepExplanation explanation;
                try
                {
                    explanation = new Explainer(read.RuleSet, options).Explain(read.Proposal, stepId ?? whyNotId!);
                }
                catch (ArgumentException e)
                {
                    return output.BadInput(e.Message.Split(" (Parameter")[0]);
                }
                catch (DecisionRouting.Routing.RoutingTimeBudgetExceededException e)
                {
                    // The library's words name its option; here the remedy is this command's.
                    return output.BadInput($"{e.Message}. From the command line: rerun with --time-budget <seconds> (now {options.TimeBudget.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)})");
                }
                catch (DecisionRouting.Routing.RoutingFaultException e)
                {
                    return output.BadInput(e.Message);
                }

                output.Out.Write(Write(explanation, read.Proposal.Id, whyNot: whyNotId is not null));

                // An undecided step is the incomplete plan seen through one step: a script must not read it as "not required".
                return explanation.Undecided ? ExitCodes.IncompletePlan : ExitCodes.Success;
            });
            return command;
        }

        internal static string Write(StepExplanation explanation, string proposalId, bool whyNot)
        {
            var text = new StringBuilder();
            var step = explanation.Step;
            var verdict = explanation.Required ? "IS required" : explanation.Undecided ? "is UNDECIDED (neither required nor not required)" : "is NOT required";
            text.Line($"Step {step.Id} ({step.Name}) {verdict} for {proposalId}");
            // Asked why not, of a step the plan requires: show the rules that require it (the plan's own list), not
            // those that failed; when none of the rules naming it matched (an urgency route), show them all and say so.
            var requiring = explanation.Rules.Where(r => r.Matched).ToList();
            if (whyNot && explanation.Required)
            {
                text.Append(requiring.Count > 0
                    ? $"  (asked why not, but it is required: the {requiring.Count} rule(s) below require it; rules that name it but did not match are not shown)\n"
                    : "  (asked why not, but it is required, though no rule that names it matched: see below)\n");
            }

            if (explanation.Rules.Count == 0)
            {
                text.Append("\nNo rule in this rule set names this step")
                    .Append(explanation.Required ? "; it is on the route as an urgency route for a notice that can no longer be given in time.\n" : ", so no proposal is routed through it.\n");
                return text.ToString();
            }

            if (explanation.Rules.Any(r => r.Incomplete is not null))
            {
                text.Append("  !! but a rule that would require it is UNDECIDED or NOT EVALUATED (below): the answer may change once it is decided\n");
            }

            var shown = whyNot && explanation.Required && requiring.Count > 0 ? requiring : explanation.Rules;
            var globals = explanation.Terms.Select(t => t.Text.Split(' ')[0]).ToList();
            foreach (var rule in shown)
            {
                var heading = rule.Incomplete switch
                {
                    { Kind: Routing.IncompleteRuleKind.Undecided } => "Undecided: ",
                    { } => "Not evaluated: ",
                    null => rule.Matched ? "Required by " : "Not required by ",
                };
                text.Append('\n').Line($"{heading}{rule.Workflow}/{rule.Rule}");
                if (rule.Incomplete is { } incomplete)
                {
                    text.Line($"  {(incomplete.Kind == Routing.IncompleteRuleKind.Undecided ? $"the proposal gives no value for {incomplete.MissingValue}, so this rule is neither met nor unmet" : incomplete.Message)}");
                }

                text.Line($"  source: {rule.Source ?? "(none cited)"}");
                if (rule.Reason is not null)
                {
                    text.Line($"  reason: {rule.Reason}");
                }

                text.Line($"  conditions ({rule.Joiner} must hold):");
                var deeper = new HashSet<string>(rule.Terms.Select(t => t.Text).Concat(globals), StringComparer.Ordinal);
                foreach (var condition in rule.Conditions)
                {
                    WriteCondition(text, condition, "    ", deeper);
                }

                if (rule.Terms.Count > 0)
                {
                    // Terms read too deep to nest: each once, flat, so a chain of thousands stays one line per condition.
                    text.Append("  terms read above, defined here (too deep to show where they are read):\n");
                    foreach (var term in rule.Terms)
                    {
                        WriteCondition(text, term, "    ", deeper);
                    }
                }

                if (rule.Facts.Count > 0)
                {
                    text.Append("  values:\n");
                    foreach (var fact in rule.Facts)
                    {
                        text.Line($"    {fact.Expression} = {fact.Value}");
                    }
                }
            }

            if (explanation.Terms.Count > 0)
            {
                // GlobalParams: each defined once for all the rules above, flat, so rules sharing a chain of
                // thousands add one line each, not the chain each.
                var defined = new HashSet<string>(globals, StringComparer.Ordinal);
                text.Append("\nTerms the rules read (GlobalParams), each defined once:\n");
                foreach (var term in explanation.Terms)
                {
                    WriteCondition(text, term, "  ", defined, below: false);
                }

                if (explanation.TermValues.Count > 0)
                {
                    text.Append("  values:\n");
                    foreach (var fact in explanation.TermValues)
                    {
                        text.Line($"    {fact.Expression} = {fact.Value}");
                    }
                }
            }

            return text.ToString();
        }

        private static void WriteCondition(StringBuilder text, ConditionExplanation condition, string indent, HashSet<string> deeper, bool below = true)
        {
            var mark = condition.Holds switch { true => "[holds] ", false => "[fails] ", _ => "[error] " };
            text.Append(indent).Append(mark).Part($"{condition.Text}");
            if (condition.Error is not null)
            {
                text.Part($"  ({condition.Error})");
            }

            if (condition.Because.Count == 0 && deeper.Contains(condition.Text.TrimStart('!', ' ')))
            {
                text.Append(below ? "  (defined under terms below)" : "  (a term defined in this list)");
            }

            text.Append('\n');
            foreach (var part in condition.Because)
            {
                WriteCondition(text, part, indent + "    ", deeper, below);
            }
        }
    }
}
