using System;
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
        public static Command Create(CliOutput output)
        {
            var inputs = new RoutingArguments();
            var step = new Option<string?>("--step") { Description = "The step to explain: the rules that require it, their sources, and the proposal values that triggered them." };
            var whyNot = new Option<string?>("--why-not") { Description = "A step the plan does not require: which conditions of each rule that could require it failed." };
            var command = new Command("explain", "Explain why a step is, or is not, on a proposal's route. Give exactly one of --step or --why-not.");
            ExitCodes.Document(command, (ExitCodes.Success, "explained"), (ExitCodes.IncompletePlan, "the step is UNDECIDED: a rule that names it is undecided or could not be evaluated"));
            inputs.AddTo(command);
            command.Options.Add(step);
            command.Options.Add(whyNot);
            command.SetAction(parse =>
            {
                var stepId = parse.GetValue(step);
                var whyNotId = parse.GetValue(whyNot);
                if ((stepId is null) == (whyNotId is null))
                {
                    return output.BadInput("explain needs exactly one of --step <id> or --why-not <id>");
                }

                if (inputs.Read(parse, output, out var exitCode) is not { } read)
                {
                    return exitCode;
                }

                StepExplanation explanation;
                try
                {
                    explanation = new Explainer(read.RuleSet, read.Options).Explain(read.Proposal, stepId ?? whyNotId!);
                }
                catch (ArgumentException e)
                {
                    return output.BadInput(e.Message.Split(" (Parameter")[0]);
                }
                catch (Exception e) when (e is DecisionRouting.Routing.RoutingTimeBudgetExceededException or DecisionRouting.Routing.RoutingFaultException)
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
            if (whyNot && explanation.Required)
            {
                text.Append("  (asked why not, but it is required: the rules below require it)\n");
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

            var shown = explanation.Rules.Where(r => !whyNot || !r.Matched || !explanation.Required).ToList();
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
                foreach (var condition in rule.Conditions)
                {
                    WriteCondition(text, condition, "    ");
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

            return text.ToString();
        }

        private static void WriteCondition(StringBuilder text, ConditionExplanation condition, string indent)
        {
            var mark = condition.Holds switch { true => "[holds] ", false => "[fails] ", _ => "[error] " };
            text.Append(indent).Append(mark).Part($"{condition.Text}");
            if (condition.Error is not null)
            {
                text.Part($"  ({condition.Error})");
            }

            text.Append('\n');
            foreach (var part in condition.Because)
            {
                WriteCondition(text, part, indent + "    ");
            }
        }
    }
}
