using System;
using System.Collections.Generic;
using System.CommandLine;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.RegularExpressions;
using DecisionRouting.RuleSets;
using DecisionRouting.Text;

namespace DecisionRouting.Cli.Commands
{
    /// <summary>
    /// <c>new ruleset &lt;dir&gt; --extends &lt;dir|baseline:england&gt;</c> and <c>new rule &lt;ruleset-dir&gt; &lt;RuleName&gt;</c>:
    /// scaffold rule files with their <c>$schema</c> (for completion and validation in an editor) and the
    /// <c>source</c> and <c>reason</c> only the author can write, as <see cref="Placeholder"/>s that the loader
    /// reports as DR0091 errors until they are filled in. Never overwrites a file.
    /// </summary>
    internal static class NewCommand
    {
        /// <summary>Rule-set names as the shipped ones are written: lower case, digits and hyphens.</summary>
        private static readonly Regex RuleSetName = new("^[a-z][a-z0-9]*(-[a-z0-9]+)*$", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));

        /// <summary>Rule names as the shipped ones are written, so they read as names in plans: PascalCase letters and digits.</summary>
        private static readonly Regex RuleName = new("^[A-Z][A-Za-z0-9]*$", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));

        /// <summary>The first rule <c>new ruleset</c> writes, for the author to rename and fill in.</summary>
        private const string FirstRule = "FirstRule";

        public static Command Create(CliOutput output)
        {
            var command = new Command("new", "Scaffold a rule set or a rule, with placeholders (reported as DR0091 until filled in) where only you can say what the law requires.");
            command.Subcommands.Add(CreateRuleSet(output));
            command.Subcommands.Add(CreateRule(output));
            return command;
        }

        private static Command CreateRuleSet(CliOutput output)
        {
            var directory = new Argument<string>("ruleset-dir") { Description = "The folder to create; its last part is the rule set's name (lower case, digits and hyphens, e.g. my-partnership)." };
            var extends = new Option<string>("--extends") { Description = "The rule set it extends: a folder, or baseline:england (built in).", Required = true };
            var command = new Command("ruleset", "Create a rule-set folder: ruleset.json extending another rule set, and <name>.rules.json with a first rule to fill in.")
            {
                directory,
                extends,
            };
            ExitCodes.Document(command, (ExitCodes.Success, "the files were written (they fail validation with DR0091 until the placeholders are filled in)"));
            command.SetAction(parse => RunRuleSet(parse.GetValue(directory)!, parse.GetValue(extends)!, output));
            return command;
        }

        private static Command CreateRule(CliOutput output)
        {
            var directory = new Argument<string>("ruleset-dir") { Description = "The rule-set folder (holding ruleset.json) to add the rule to." };
            var name = new Argument<string>("rule-name") { Description = "The rule's name, PascalCase (e.g. JointPostNeedsHrSignOff); the file is <rule-name in kebab case>.rules.json." };
            var steps = new Option<string[]>("--step") { Description = "A step id the rule requires (repeat for several); checked against the catalogue when the rule set is validated.", AllowMultipleArgumentsPerToken = false };
            var expression = new Option<string>("--expression") { Description = "The rule's condition over proposal and parameters.", DefaultValueFactory = _ => "false" };
            var command = new Command("rule", "Add a rule file to a rule set: one rule with its steps and condition, and its source and reason to fill in.")
            {
                directory,
                name,
                steps,
                expression,
            };
            ExitCodes.Document(command, (ExitCodes.Success, "the file was written (it fails validation with DR0091 until the placeholders are filled in)"));
            command.SetAction(parse => RunRule(parse.GetValue(directory)!, parse.GetValue(name)!, parse.GetValue(steps) ?? Array.Empty<string>(), parse.GetValue(expression)!, output));
            return command;
        }

        private static int RunRuleSet(string directory, string extends, CliOutput output)
        {
            var full = Path.GetFullPath(directory);
            var name = Path.GetFileName(full.TrimEnd(Path.DirectorySeparatorChar));
            if (!RuleSetName.IsMatch(name))
            {
                return output.BadInput($"{directory}: '{name}' is not a rule-set name: use lower-case letters, digits and single hyphens, starting with a letter (e.g. my-partnership)");
            }

            string extendsValue;
            if (RuleSetBaselines.IsReference(extends))
            {
                extendsValue = extends;
            }
            else if (Directory.Exists(extends) && File.Exists(Path.Combine(extends, "ruleset.json")))
            {
                // Written relative to the new folder, as the shipped partnerships write theirs, so the pair can move together.
                extendsValue = Path.GetRelativePath(full, Path.GetFullPath(extends)).Replace('\\', '/');
            }
            else
            {
                return output.BadInput($"--extends {extends}: not a rule-set folder (no ruleset.json there) and not baseline:england");
            }

            var manifest = Path.Combine(full, "ruleset.json");
            var rules = Path.Combine(full, name + ".rules.json");
            foreach (var file in new[] { manifest, rules })
            {
                if (File.Exists(file) || Directory.Exists(file))
                {
                    return output.BadInput($"{file}: already exists; 'new' never overwrites a file (remove it, or choose another folder)");
                }
            }

            CliPaths.Guard(directory, () => Directory.CreateDirectory(full));
            var schemas = SchemaReference(full);
            var set = new StringBuilder();
            set.Append("{\n");
            set.Append($"  \"$schema\": {Quote(schemas("ruleset"))},\n");
            set.Append($"  \"name\": {Quote(name)},\n");
            set.Append($"  \"description\": {Quote("Rules beyond the rule set it extends; each rule cites its source.")},\n");
            set.Append($"  \"extends\": {Quote(extendsValue)}\n");
            set.Append("}\n");
            Write(manifest, set.ToString(), output);
            Write(rules, RuleFile(name, FirstRule, Array.Empty<string>(), "false", schemas("rules")), output);
            output.Out.WriteLine(Fields.Text($"Created rule set '{name}' in {directory}: ruleset.json (extends {extendsValue}) and {name}.rules.json with rule '{FirstRule}'."));
            output.Out.WriteLine(Fields.Text($"Fill in its source and reason (marked '{Placeholder.Marker}'), its steps and its condition, then run: decision-routing validate {directory}"));
            return ExitCodes.Success;
        }

        private static int RunRule(string directory, string name, string[] steps, string expression, CliOutput output)
        {
            if (!File.Exists(Path.Combine(directory, "ruleset.json")))
            {
                return output.BadInput($"{directory}: not a rule-set folder (no ruleset.json); create one with 'decision-routing new ruleset'");
            }

            if (!RuleName.IsMatch(name))
            {
                return output.BadInput($"'{name}' is not a rule name: use PascalCase letters and digits, starting with a capital (e.g. JointPostNeedsHrSignOff)");
            }

            if (steps.FirstOrDefault(s => s.Length == 0 || s.Any(c => char.IsControl(c) || char.IsWhiteSpace(c))) is { } badStep)
            {
                return output.BadInput($"--step '{badStep}': a step id has no spaces or control characters (e.g. hr-sign-off)");
            }

            var workflow = Kebab(name);
            var file = Path.Combine(directory, workflow + ".rules.json");
            if (File.Exists(file) || Directory.Exists(file))
            {
                return output.BadInput($"{file}: already exists; 'new' never overwrites a file (choose another rule name, or edit the file)");
            }

            var full = Path.GetFullPath(directory);
            Write(file, RuleFile(workflow, name, steps, expression, SchemaReference(full)("rules")), output);
            output.Out.WriteLine(Fields.Text($"Created {file} with rule '{name}'."));
            output.Out.WriteLine(Fields.Text($"Fill in its source and reason (marked '{Placeholder.Marker}'){(expression == "false" ? " and its condition (it matches nothing until then)" : string.Empty)}, then run: decision-routing validate {directory}"));
            return ExitCodes.Success;
        }

        /// <summary>One workflow with one rule; the source and reason are placeholders, and verify is true until the source is checked.</summary>
        private static string RuleFile(string workflow, string rule, IReadOnlyList<string> steps, string expression, string schema)
        {
            var text = new StringBuilder();
            text.Append("{\n");
            text.Append($"  \"$schema\": {Quote(schema)},\n");
            text.Append($"  \"WorkflowName\": {Quote(workflow)},\n");
            text.Append("  \"Rules\": [\n");
            text.Append("    {\n");
            text.Append($"      \"RuleName\": {Quote(rule)},\n");
            text.Append($"      \"Expression\": {Quote(expression)},\n");
            text.Append("      \"Properties\": {\n");
            text.Append($"        \"steps\": [{string.Join(", ", steps.Select(Quote))}],\n");
            text.Append($"        \"source\": {Quote(Placeholder.Marker + " the statute and section, regulation, or constitution and paragraph that requires these steps")},\n");
            text.Append($"        \"reason\": {Quote(Placeholder.Marker + " why these steps are required, in plain English")},\n");
            text.Append("        \"verify\": true\n");
            text.Append("      }\n");
            text.Append("    }\n");
            text.Append("  ]\n");
            text.Append("}\n");
            return text.ToString();
        }

        /// <summary>
        /// Where <c>$schema</c> points: the nearest enclosing <c>schemas</c> folder holding ours (a checkout of this
        /// repository, so editors work offline), written relative to the file; otherwise the schema's published <c>$id</c>.
        /// </summary>
        private static Func<string, string> SchemaReference(string folder)
        {
            for (var dir = new DirectoryInfo(folder); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "schemas", "ruleset.schema.json");
                if (File.Exists(candidate))
                {
                    var relative = Path.GetRelativePath(folder, Path.Combine(dir.FullName, "schemas")).Replace('\\', '/');
                    return kind => $"{relative}/{kind}.schema.json";
                }
            }

            return kind => $"https://decision-routing.github.io/schemas/{kind}.schema.json";
        }

        private static string Kebab(string pascal)
        {
            var text = new StringBuilder();
            for (var i = 0; i < pascal.Length; i++)
            {
                if (char.IsUpper(pascal[i]) && i > 0)
                {
                    text.Append('-');
                }

                text.Append(char.ToLowerInvariant(pascal[i]));
            }

            return text.ToString();
        }

        private static string Quote(string value) => JsonSerializer.Serialize(value, new JsonSerializerOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });

        /// <summary>Creates <paramref name="path"/>; fails (exit 2) rather than replace anything that appeared meanwhile.</summary>
        private static void Write(string path, string text, CliOutput output)
        {
            _ = output;
            CliPaths.Guard(path, () =>
            {
                // CreateNew is O_CREAT|O_EXCL: an existing name, a dangling symbolic link included, is never written through.
                using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None);
                var bytes = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(text);
                stream.Write(bytes, 0, bytes.Length);
            });
        }
    }
}
