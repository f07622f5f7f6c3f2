using System.CommandLine;
using System.IO;
using System.Linq;
using DecisionRouting.Documentation;
using DecisionRouting.RuleSets;

namespace DecisionRouting.Cli.Commands
{
    /// <summary><c>catalogue &lt;rules-root&gt; [--output file]</c>: writes the rules catalogue for review.</summary>
    internal static class CatalogueCommand
    {
        public static Command Create(CliOutput output)
        {
            var root = new Argument<string>("rules") { Description = "A folder of rule sets (each a folder with ruleset.json), e.g. rules." };
            var file = new Option<string?>("--output") { Description = "Write the Markdown here (e.g. docs/rules-catalogue.md) instead of to the console." };
            var lawStatus = new Option<bool>("--law-status") { Description = "Write the law-status document instead (docs/law-status.md): every rule's and step's source, verification state, last check and period in force." };
            var command = new Command("catalogue", "Write a Markdown catalogue of every rule set under a folder: rule, trigger in words, steps and source.")
            {
                root,
                file,
                lawStatus,
            };
            var tree = new RuleTreeOptions();
            tree.AddTo(command);
            ExitCodes.Document(command, (ExitCodes.Success, "written"), (ExitCodes.ValidationErrors, "a rule set has errors (listed on stderr); nothing written"));
            command.SetAction(parse => Run(parse.GetValue(root)!, parse.GetValue(file), parse.GetValue(lawStatus), tree.Read(parse), output));
            return command;
        }

        private static int Run(string rootDirectory, string? outputPath, bool lawStatus, RuleSetReadOptions options, CliOutput output)
        {
            if (RuleSetBaselines.IsReference(rootDirectory))
            {
                return output.BadInput($"{rootDirectory}: catalogue takes a folder of rule sets (such as rules), and a baseline reference names one built-in rule set; catalogue a folder whose rule sets extend it, or check it with: decision-routing validate {rootDirectory}");
            }

            if (!Directory.Exists(rootDirectory))
            {
                return output.BadInput($"{rootDirectory}: folder not found");
            }

            var folders = RuleSetFolders(rootDirectory);
            if (folders.Count == 0)
            {
                return output.BadInput($"{rootDirectory}: no rule sets found (folders with a ruleset.json)");
            }

            var definitions = folders.Select(f => RuleSet.Validate(f, options)).ToList();
            var errors = definitions.SelectMany(d => d.Diagnostics).Where(d => d.IsError).ToList();
            if (errors.Count > 0)
            {
                output.WriteDiagnostics(errors, output.Error);
                return ExitCodes.ValidationErrors;
            }

            var markdown = lawStatus ? LawStatus.Write(definitions) : RulesCatalogue.Write(definitions);
            if (outputPath is null)
            {
                output.Out.Write(markdown);
            }
            else
            {
                OutputFiles.WriteAllText(outputPath, markdown, $"--output {outputPath}");
                output.Out.WriteLine(Fields.Text($"Wrote {outputPath}: {definitions.Count} rule set(s)."));
            }

            return ExitCodes.Success;
        }

        /// <summary>Every rule-set folder under the root, the root's own sets before deeper ones, each level by name.</summary>
        internal static System.Collections.Generic.List<string> RuleSetFolders(string root) =>
            Directory.EnumerateFiles(root, "ruleset.json", SearchOption.AllDirectories)
                .Select(f => Path.GetDirectoryName(f)!)
                .OrderBy(d => d.Count(c => c == Path.DirectorySeparatorChar))
                .ThenBy(d => d, System.StringComparer.Ordinal)
                .ToList();
    }
}
