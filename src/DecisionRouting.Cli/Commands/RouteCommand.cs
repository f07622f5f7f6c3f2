using System.CommandLine;
using DecisionRouting.Graph;
using DecisionRouting.Routing;
using DecisionRouting.Serialization;

namespace DecisionRouting.Cli.Commands
{
    /// <summary><c>route &lt;proposal.json&gt; --rules &lt;dir&gt;</c>: prints a proposal's routing plan.</summary>
    internal static class RouteCommand
    {
        public static Command Create(CliOutput output)
        {
            var inputs = new RoutingArguments();
            var format = new Option<string>("--format") { Description = "text for people, json for programs (docs/plan-format.md), mermaid for a flowchart.", DefaultValueFactory = _ => "text" };
            format.AcceptOnlyFromAmong("text", "json", "mermaid");
            var command = new Command("route", "Route a proposal: the steps it must pass, in order and with dates, with the rule and source that require each.");
            ExitCodes.Document(command, (ExitCodes.Success, "the plan is complete"), (ExitCodes.IncompletePlan, "the plan is incomplete (undecided or failed rules) or contradicts itself; it is printed, marked INCOMPLETE"));
            inputs.AddTo(command);
            command.Options.Add(format);
            command.SetAction(parse =>
            {
                if (inputs.Route(parse, output, out var exitCode) is not { } plan)
                {
                    return exitCode;
                }

                output.Out.Write(parse.GetValue(format) switch
                {
                    "json" => DecisionRoutingJson.Write(plan) + "\n",
                    "mermaid" => MermaidPlan.Format(plan),
                    _ => PlanText.Write(plan),
                });
                return ExitCodeFor(plan);
            });
            return command;
        }

        /// <summary>
        /// The exit code for a routed plan: 0 when it can be relied on, 5 (<see cref="ExitCodes.IncompletePlan"/>) when a
        /// rule is undecided or not evaluated, or the plan contradicts itself.
        /// </summary>
        public static int ExitCodeFor(RoutingPlan plan) => plan.IsComplete ? ExitCodes.Success : ExitCodes.IncompletePlan;
    }
}
