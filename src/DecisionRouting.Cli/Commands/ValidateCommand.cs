using System.CommandLine;
using System.Linq;
using System.Reflection;
using DecisionRouting.RuleSets;

namespace DecisionRouting.Cli.Commands
{
    /// <summary><c>validate &lt;rules-dir&gt;</c>: checks a rule set and everything it extends.</summary>
    internal static class ValidateCommand
    {
        public static Command Create(CliOutput output)
        {
            var directory = new Argument<string>("rules-dir") { Description = "The rule-set folder to check (the folder holding ruleset.json and *.rules.json)." };
            var format = new Option<string>("--format") { Description = "text for people; sarif for code-scanning tools (SARIF 2.1.0).", DefaultValueFactory = _ => "text" };
            format.AcceptOnlyFromAmong("text", "sarif");
            var tree = new RuleTreeOptions();
            var command = new Command("validate", "Check a rule set: JSON, property names, types, references, cycles and every expression.")
            {
                directory,
                format,
            };
            tree.AddTo(command);
            ExitCodes.Document(command, (ExitCodes.Success, "no errors (warnings may be printed)"), (ExitCodes.ValidationErrors, "the rule set has errors"));
            command.SetAction(parse => Run(parse.GetValue(directory)!, parse.GetValue(format)!, tree.Read(parse), output));
            return command;
        }

        private static int Run(string directory, string format, RuleSetReadOptions options, CliOutput output)
        {
            if (!RuleSetFolder.Exists(directory))
            {
                return output.BadInput($"{directory}: rule-set folder not found");
            }

            var definition = RuleSet.Validate(directory, options);
            var errors = definition.Diagnostics.Count(d => d.IsError);
            if (format == "sarif")
            {
                // The package version (from git, docs/packages.md), not the assembly version: MinVer keeps that at
                // major.0.0.0 so binding survives upgrades, which would name every 0.x build "0.0.0.0".
                var informational = typeof(ValidateCommand).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
                var version = informational?.Split('+')[0] ?? "0.0.0";
                output.Out.Write(SarifLog.Write(definition.Diagnostics, version) + "\n");
                return errors == 0 ? ExitCodes.Success : ExitCodes.ValidationErrors;
            }

            output.WriteDiagnostics(definition.Diagnostics, output.Out);
            var warnings = definition.Diagnostics.Count - errors;
            var rules = definition.Workflows.Sum(w => WorkflowRuleCount(w.Rules));
            output.Out.WriteLine(errors == 0
                ? Fields.Text($"Rule set '{definition.Name}' is valid: {definition.Workflows.Count} workflow(s), {rules} rule(s), {definition.Steps.Count} step(s), {warnings} warning(s).")
                : Fields.Text($"Rule set '{definition.Name}' has {errors} error(s) and {warnings} warning(s)."));
            return errors == 0 ? ExitCodes.Success : ExitCodes.ValidationErrors;
        }

        private static int WorkflowRuleCount(System.Collections.Generic.IReadOnlyList<Workflows.RuleDefinition> rules) =>
            rules.Sum(r => 1 + WorkflowRuleCount(r.Rules));
    }
}
