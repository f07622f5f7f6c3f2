using System.CommandLine;
using System.IO;
using System.Linq;
using DecisionRouting.Graph;
using DecisionRouting.Proposals;
using DecisionRouting.Routing;
using DecisionRouting.RuleSets;

namespace DecisionRouting.Cli.Commands
{
    /// <summary><c>route &lt;proposal.json&gt; --rules &lt;dir&gt;</c>: prints a proposal's routing plan.</summary>
    internal static class RouteCommand
    {
        public static Command Create(CliOutput output)
        {
            var proposal = new Argument<string>("proposal") { Description = "The proposal JSON file (see schemas/proposal.schema.json)." };
            var rules = new Option<string>("--rules") { Description = "The rule-set folder to route with.", Required = true };
            var format = new Option<string>("--format") { Description = "text for people, json for programs (docs/plan-format.md), mermaid for a flowchart.", DefaultValueFactory = _ => "text" };
            format.AcceptOnlyFromAmong("text", "json", "mermaid");
            var command = new Command("route", "Route a proposal: the steps it must pass, in order, with the rule and source that require each.")
            {
                proposal,
                rules,
                format,
            };
            command.SetAction(parse => Run(parse.GetValue(proposal)!, parse.GetValue(rules)!, parse.GetValue(format)!, output));
            return command;
        }

        private static int Run(string proposalPath, string rulesDirectory, string format, CliOutput output)
        {
            if (!File.Exists(proposalPath))
            {
                return output.BadInput($"{proposalPath}: proposal file not found");
            }

            if (!Directory.Exists(rulesDirectory))
            {
                return output.BadInput($"{rulesDirectory}: rule-set folder not found");
            }

            var read = ProposalReader.ReadFile(proposalPath);
            if (read.Proposal is not { } proposal)
            {
                output.WriteDiagnostics(read.Diagnostics, output.Error);
                return ExitCodes.BadInput;
            }

            var load = RuleSet.TryLoad(rulesDirectory);
            if (load.RuleSet is not { } ruleSet)
            {
                output.WriteDiagnostics(load.Diagnostics.Where(d => d.IsError), output.Error);
                return output.BadInput($"{rulesDirectory}: the rule set has errors; run 'decision-routing validate {rulesDirectory}' for details");
            }

            var plan = new Router(ruleSet).Route(proposal);
            output.Out.Write(format switch
            {
                "json" => RoutingPlanJson.Write(plan) + "\n",
                "mermaid" => MermaidPlan.Format(plan),
                _ => PlanText.Write(plan),
            });
            return ExitCodes.Success;
        }
    }
}
