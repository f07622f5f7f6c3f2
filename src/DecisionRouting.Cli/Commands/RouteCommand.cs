using System.CommandLine;
using System.Threading.Tasks;
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
            var format = new Option<string>("--format") { Description = "text for people, json for programs (docs/plan-format.md), or a diagram with one column per stage: mermaid, dot (Graphviz) or svg (drawn by Graphviz's dot, which must be installed).", DefaultValueFactory = _ => "text" };
            format.AcceptOnlyFromAmong("text", "json", "mermaid", "dot", "svg");
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

                var chosen = parse.GetValue(format)!;
                if (Diagrams.IsDiagram(chosen))
                {
                    return Diagrams.WriteAsync(output, chosen, f => Task.FromResult(PlanGraph.Format(plan, f)), ExitCodeFor(plan)).GetAwaiter().GetResult();
                }

                output.Out.Write(chosen == "json" ? DecisionRoutingJson.Write(plan) + "\n" : PlanText.Write(plan));
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
