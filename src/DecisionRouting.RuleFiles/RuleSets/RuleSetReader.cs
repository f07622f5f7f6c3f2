using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using DecisionRouting.Catalogue;
using DecisionRouting.Diagnostics;
using DecisionRouting.Expressions;
using DecisionRouting.Text;
using DecisionRouting.Workflows;

namespace DecisionRouting.RuleSets
{
    /// <summary>
    /// Reads and checks a rule-set folder and everything it extends, reporting every problem at once. This is the
    /// one implementation of the rule-file checks: the library loader, the CLI and the analyzer all call it.
    /// </summary>
    public static class RuleSetReader
    {
        /// <summary>
        /// Reads the rule set in <paramref name="directory"/>. Expressions are compiled by <paramref name="expressions"/>;
        /// pass null to skip expression checks (everything else is still checked).
        /// </summary>
        public static RuleSetDefinition Read(string directory, IRuleSetFileSystem files, IExpressionChecker? expressions)
        {
            if (directory is null)
            {
                throw new ArgumentNullException(nameof(directory));
            }

            if (files is null)
            {
                throw new ArgumentNullException(nameof(files));
            }

            var diagnostics = new DiagnosticBag();
            var chain = RuleSetChain.Resolve(directory, files, diagnostics);
            var catalogue = new CatalogueMerge(diagnostics);
            var workflows = new List<WorkflowDefinition>();
            var parameters = new Dictionary<string, RuleSetParameter>();
            var attributes = new Dictionary<string, RuleSetAttribute>(StringComparer.Ordinal);
            var hash = new StringBuilder();

            foreach (var resolved in chain)
            {
                var layer = resolved.Layer;
                MergeParameters(parameters, resolved.Parameters, diagnostics);
                MergeAttributes(attributes, resolved.Attributes, diagnostics);
                catalogue.Add(CatalogueReader.Read(layer, files, diagnostics));
                HashFile(hash, layer, RulePaths.ManifestFile, files);
                HashFile(hash, layer, RulePaths.CatalogueFile, files);

                var allFiles = files.EnumerateFiles(layer.Directory).OrderBy(f => f, StringComparer.Ordinal).ToList();
                var ruleFiles = allFiles.Where(f => f.EndsWith(RulePaths.RuleFileSuffix, StringComparison.OrdinalIgnoreCase)).ToList();
                ReportIgnoredFiles(allFiles.Except(ruleFiles), diagnostics);
                if (ruleFiles.Count == 0)
                {
                    diagnostics.Report(DiagnosticDescriptors.NoRuleFiles, SourceLocation.ForPath(layer.Directory), layer.Name);
                }

                foreach (var file in ruleFiles)
                {
                    var text = files.ReadAllText(file) ?? string.Empty;
                    hash.Append(layer.Name).Append('/').Append(RulePaths.FileName(file)).Append('\0').Append(text).Append('\0');
                    workflows.AddRange(WorkflowFileReader.Read(new SourceDocument(file, text), layer.Name, diagnostics));
                }
            }

            catalogue.CheckReferences();
            var steps = catalogue.Steps;
            var distinct = WorkflowChecks.Deduplicate(workflows, diagnostics);
            WorkflowChecks.CheckRules(distinct, steps, diagnostics);
            if (expressions is not null)
            {
                ExpressionChecks.Check(distinct, parameters.Values.ToList(), expressions, diagnostics);
            }

            // Lexical, so it needs no expression checker: the library, the CLI and the analyzer share it as it is.
            AttributeReads.Check(distinct, attributes, diagnostics);

            return new RuleSetDefinition(diagnostics.ToSortedList())
            {
                Layers = chain.Select(c => c.Layer).ToList(),
                Bodies = catalogue.Bodies,
                Roles = catalogue.Roles,
                Steps = steps,
                StepOrigins = catalogue.StepOrigins,
                Parameters = parameters,
                Attributes = attributes,
                Workflows = distinct,
                EntryWorkflows = WorkflowChecks.EntryWorkflows(distinct),
                Hash = Sha256(hash.ToString()),
            };
        }

        /// <summary>A misnamed rule file would otherwise drop its rules without a word.</summary>
        private static void ReportIgnoredFiles(IEnumerable<string> others, DiagnosticBag diagnostics)
        {
            var known = new[] { RulePaths.ManifestFile, RulePaths.CatalogueFile };
            foreach (var file in others)
            {
                var name = RulePaths.FileName(file);
                if (!name.EndsWith(".json", StringComparison.OrdinalIgnoreCase) || known.Contains(name))
                {
                    continue;
                }

                var hint = NameSuggestions.Closest(name, known) is { } meant
                    ? $"; did you mean '{meant}'?"
                    : $"; to load it as rules, rename it '{name.Substring(0, name.Length - ".json".Length)}{RulePaths.RuleFileSuffix}'";
                diagnostics.Report(DiagnosticDescriptors.IgnoredFile, SourceLocation.ForPath(file), name, hint);
            }
        }

        private static void MergeParameters(Dictionary<string, RuleSetParameter> merged, IReadOnlyList<RuleSetParameter> local, DiagnosticBag diagnostics)
        {
            foreach (var parameter in local)
            {
                if (merged.TryGetValue(parameter.Name, out var inherited) && inherited.Kind != parameter.Kind)
                {
                    diagnostics.Report(
                        DiagnosticDescriptors.WrongValueType,
                        parameter.Location,
                        parameter.Name,
                        $"a {inherited.Kind.ToString().ToLowerInvariant()}, as in '{inherited.RuleSet}' ({inherited.Location})",
                        $"a {parameter.Kind.ToString().ToLowerInvariant()}");
                    continue;
                }

                merged[parameter.Name] = parameter;
            }
        }

        /// <summary>
        /// A child may declare new attributes and restate inherited ones (to make an optional one required, or to
        /// describe it locally), but not change a type: the parent's rules read it with the parent's accessor.
        /// </summary>
        private static void MergeAttributes(Dictionary<string, RuleSetAttribute> merged, IReadOnlyList<RuleSetAttribute> local, DiagnosticBag diagnostics)
        {
            foreach (var attribute in local)
            {
                if (merged.TryGetValue(attribute.Name, out var inherited) && inherited.Kind != attribute.Kind)
                {
                    diagnostics.Report(
                        DiagnosticDescriptors.WrongValueType,
                        attribute.Location,
                        attribute.Name,
                        $"{inherited.KindInWords}, as declared in '{inherited.RuleSet}' ({inherited.Location})",
                        attribute.KindInWords);
                    continue;
                }

                merged[attribute.Name] = attribute;
            }
        }

        private static void HashFile(StringBuilder hash, RuleSetLayer layer, string name, IRuleSetFileSystem files)
        {
            var text = files.ReadAllText(RulePaths.Combine(layer.Directory, name));
            if (text is not null)
            {
                hash.Append(layer.Name).Append('/').Append(name).Append('\0').Append(text).Append('\0');
            }
        }

        private static string Sha256(string text)
        {
            using var sha = SHA256.Create();
            var bytes = sha.ComputeHash(Encoding.UTF8.GetBytes(text));
            return string.Concat(bytes.Select(b => b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture)));
        }
    }
}
