using System;
using System.Collections.Generic;
using System.Linq;
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
    internal static class RuleSetReader
    {
        /// <summary>
        /// Reads the rule set in <paramref name="directory"/>. Expressions are compiled by <paramref name="expressions"/>;
        /// pass null to skip expression checks (everything else is still checked).
        /// </summary>
        public static RuleSetDefinition Read(string directory, IRuleSetFileSystem files, IExpressionChecker? expressions) =>
            Read(directory, files, expressions, RuleSetReadOptions.Default);

        /// <summary>
        /// Reads the rule set in <paramref name="directory"/> with <paramref name="options"/>: where <c>extends</c> may
        /// lead (DR0063). Files <paramref name="files"/> refuses to read (<see cref="RuleFileRefusedException"/>) are
        /// reported as DR0062 and read as absent.
        /// </summary>
        public static RuleSetDefinition Read(string directory, IRuleSetFileSystem files, IExpressionChecker? expressions, RuleSetReadOptions options)
        {
            if (directory is null)
            {
                throw new ArgumentNullException(nameof(directory));
            }

            if (files is null)
            {
                throw new ArgumentNullException(nameof(files));
            }

            // Suggestions compare each unknown name with every candidate: bounded per reading, so a rule set with
            // thousands of misspelt names is reported in a blink rather than in minutes.
            using var suggestions = NameSuggestions.Budget(NameSuggestions.ReadingBudget);

            // Chain problems are root causes: reported first, and when the chain is broken the checks that need what the
            // lost base defines are not run, so its knock-on errors (unknown steps, parameters …) do not bury it.
            var rootCauses = new DiagnosticBag();

            // The built-in baselines are served from this assembly whatever the source of the rule set's own files.
            var guarded = new GuardedFileSystem(new BaselineFileSystem(files), rootCauses);
            files = guarded;
            var resolvedChain = RuleSetChain.Resolve(directory, guarded, rootCauses, options ?? RuleSetReadOptions.Default);
            var chain = resolvedChain.Layers;
            var diagnostics = new DiagnosticBag();
            var catalogue = new CatalogueMerge(diagnostics);
            if (resolvedChain.Broken)
            {
                catalogue.ChainBroken();
            }

            var workflows = new List<WorkflowDefinition>();
            var parameters = new Dictionary<string, RuleSetParameter>();
            var attributes = new Dictionary<string, RuleSetAttribute>(StringComparer.Ordinal);
            using var hash = new ContentHash();
            long ruleBytes = 0;

            var newInExtending = new List<(RuleSetParameter Parameter, IReadOnlyList<string> Inherited)>();
            foreach (var resolved in chain)
            {
                var layer = resolved.Layer;
                if (!ReferenceEquals(resolved, chain[0]))
                {
                    var inherited = parameters.Keys.ToList();
                    newInExtending.AddRange(resolved.Parameters.Where(p => !parameters.ContainsKey(p.Name)).Select(p => (p, (IReadOnlyList<string>)inherited)));
                }

                MergeParameters(parameters, resolved.Parameters, diagnostics);
                MergeAttributes(attributes, resolved.Attributes, diagnostics);
                catalogue.Add(CatalogueReader.Read(layer, files, diagnostics));
                HashFile(hash, layer, RulePaths.ManifestFile, files);
                HashFile(hash, layer, RulePaths.CatalogueFile, files);

                var allFiles = files.EnumerateFiles(layer.Directory).OrderBy(f => f, StringComparer.Ordinal).ToList();
                var ruleFiles = allFiles.Where(f => f.EndsWith(RulePaths.RuleFileSuffix, StringComparison.OrdinalIgnoreCase)).ToList();
                ReportIgnoredFiles(allFiles.Except(ruleFiles), files, diagnostics);
                if (ruleFiles.Count == 0)
                {
                    diagnostics.Report(DiagnosticDescriptors.NoRuleFiles, SourceLocation.ForPath(layer.Directory), layer.Name);
                }

                // Each file is bounded by MaxFileBytes; these bound how many are read, so a folder of a million small
                // files, or many layers of large ones, cannot make loading take unbounded time or memory.
                if (ruleFiles.Count > RuleSetBounds.MaxRuleFilesPerFolder)
                {
                    diagnostics.Report(
                        DiagnosticDescriptors.RuleFilesTooMany,
                        SourceLocation.ForPath(layer.Directory),
                        $"Rule set '{layer.Name}' has {ruleFiles.Count} rule files in one folder; the limit is {RuleSetBounds.MaxRuleFilesPerFolder}, so none of them was read. Merge rule files, or split the rule set");
                    ruleFiles.Clear();
                }

                foreach (var file in ruleFiles)
                {
                    if (ruleBytes > RuleSetBounds.MaxRuleSetBytes)
                    {
                        break;
                    }

                    var text = files.ReadAllText(file) ?? string.Empty;
                    ruleBytes += Encoding.UTF8.GetByteCount(text);
                    if (ruleBytes > RuleSetBounds.MaxRuleSetBytes)
                    {
                        diagnostics.Report(
                            DiagnosticDescriptors.RuleFilesTooMany,
                            SourceLocation.ForPath(file),
                            $"The rule set's rule files come to more than {RuleSetBounds.MaxRuleSetBytes / (1024 * 1024)} MiB with this one ({ruleBytes} bytes so far, all layers together); reading stopped here. Split the rule set");
                        break;
                    }

                    hash.Append(layer.Name).Append('/').Append(RulePaths.FileName(file)).Append('\0').Append(text).Append('\0');
                    workflows.AddRange(WorkflowFileReader.Read(new SourceDocument(file, text), layer.Name, diagnostics));
                }
            }

            var steps = catalogue.Steps;
            var distinct = WorkflowChecks.Deduplicate(workflows, diagnostics);
            if (catalogue.Incomplete)
            {
                // Names and orderings that only the lost base or catalogue defines would all be reported as unknown;
                // keep only the rule-level checks that stand on the files that were read.
                var local = new DiagnosticBag();
                WorkflowChecks.CheckRules(distinct, steps, local);
                diagnostics.AddRange(local.Items.Where(d => d.Id != DiagnosticDescriptors.UnknownStep.Id && (!resolvedChain.Broken || d.Id != DiagnosticDescriptors.UnknownWorkflow.Id)));
            }
            else
            {
                catalogue.CheckReferences();
                WorkflowChecks.CheckRules(distinct, steps, diagnostics);
            }

            ParameterNameChecks.Check(distinct, parameters.Values.ToList(), diagnostics);

            // Dated law: what each period is judged against needs the whole chain's declarations, as attribute reads do.
            EffectiveChecks.Check(distinct, steps, resolvedChain.Broken ? null : attributes, diagnostics);

            // Counts first, then the expansion they allow: each is linear in the files, and both come before anything
            // that expands injections or compiles expressions, which could otherwise exhaust memory on a huge rule set.
            var counted = RuleSetBounds.CheckCounts(distinct, catalogue, diagnostics);
            var bounded = InjectionExpansion.Check(distinct, diagnostics) && InjectionScopes.Check(distinct, diagnostics) && counted;

            // Expressions read parameters, which the chain's manifests declare: a lost catalogue does not affect them.
            if (expressions is not null && !resolvedChain.Broken && bounded)
            {
                ExpressionChecks.Check(distinct, parameters.Values.ToList(), expressions, diagnostics);
            }

            // A parameter an extending rule set adds, that overrides nothing and that nothing reads, changes nothing: most
            // likely a misspelt override (a Cyrillic "е" in keyDecisionThreshold), leaving the base's value in force.
            if (!resolvedChain.Broken)
            {
                var read = ParameterReads(distinct);
                foreach (var (parameter, inherited) in newInExtending.Where(n => !read.Contains(n.Parameter.Name)))
                {
                    var latin = Scripts.AsLatin(parameter.Name);
                    var hint = latin is not null && latin != parameter.Name && inherited.Contains(latin)
                        ? $"; did you mean '{latin}' (written here with letters of another script)?"
                        : NameSuggestions.DidYouMean(parameter.Name, inherited);
                    diagnostics.Report(DiagnosticDescriptors.ParameterOverridesNothing, parameter.Location, parameter.Name, parameter.RuleSet, hint);
                }
            }

            // Lexical, so it needs no expression checker: the library, the CLI and the analyzer share it as it is. Like the
            // expression checks, it waits for a whole chain: a lost base's declarations would all read as undeclared.
            if (!resolvedChain.Broken)
            {
                AttributeReads.Check(distinct, attributes, diagnostics);
                if (!catalogue.Incomplete)
                {
                    catalogue.CheckDatedPeriods(attributes);
                }
            }

            return new RuleSetDefinition(rootCauses.ToSortedList().Concat(diagnostics.ToSortedList()).ToList())
            {
                Layers = chain.Select(c => c.Layer).ToList(),
                Bodies = catalogue.Bodies,
                Roles = catalogue.Roles,
                Steps = steps,
                Predecessors = catalogue.Predecessors(),
                StepOrigins = catalogue.StepOrigins,
                Parameters = parameters,
                Attributes = attributes,
                Workflows = distinct,
                EntryWorkflows = WorkflowChecks.EntryWorkflows(distinct),
                Hash = hash.Finish(),
            };
        }

        /// <summary>The rule-set parameters any expression names as <c>parameters.&lt;name&gt;</c> (lexically, outside string literals or not: a mention is enough to keep quiet).</summary>
        private static HashSet<string> ParameterReads(IReadOnlyList<WorkflowDefinition> workflows)
        {
            var names = new HashSet<string>(StringComparer.Ordinal);
            var pattern = new System.Text.RegularExpressions.Regex(@"\bparameters\s*\.\s*([\p{L}_][\p{L}\p{Nd}_]*)", System.Text.RegularExpressions.RegexOptions.CultureInvariant);
            void Scan(string? expression)
            {
                if (expression is null)
                {
                    return;
                }

                foreach (System.Text.RegularExpressions.Match m in pattern.Matches(expression))
                {
                    names.Add(m.Groups[1].Value);
                }
            }

            void ScanRules(IEnumerable<RuleDefinition> rules)
            {
                foreach (var rule in rules)
                {
                    Scan(rule.Expression);
                    foreach (var local in rule.LocalParams)
                    {
                        Scan(local.Expression);
                    }

                    ScanRules(rule.Rules);
                }
            }

            foreach (var workflow in workflows)
            {
                foreach (var global in workflow.GlobalParams)
                {
                    Scan(global.Expression);
                }

                ScanRules(workflow.Rules);
            }

            return names;
        }

        /// <summary>
        /// A misnamed rule file would otherwise drop its rules without a word. The suggestion follows what the file
        /// holds, never just its name: a workflow is never told to become <c>ruleset.json</c> because it is called
        /// <c>rules.json</c>. Only a file whose content says nothing is matched by name.
        /// </summary>
        private static void ReportIgnoredFiles(IEnumerable<string> others, IRuleSetFileSystem files, DiagnosticBag diagnostics)
        {
            var known = new[] { RulePaths.ManifestFile, RulePaths.CatalogueFile };
            foreach (var file in others)
            {
                var name = RulePaths.FileName(file);
                if (!name.EndsWith(".json", StringComparison.OrdinalIgnoreCase) || known.Contains(name))
                {
                    continue;
                }

                var stem = name.Substring(0, name.Length - ".json".Length);
                if (stem.EndsWith(".rule", StringComparison.OrdinalIgnoreCase))
                {
                    stem = stem.Substring(0, stem.Length - ".rule".Length);
                }

                var asRules = $"; to load it as rules, rename it '{stem}{RulePaths.RuleFileSuffix}'";
                var hint = KindOf(files.ReadAllText(file)) switch
                {
                    FileKind.Rules => asRules,
                    FileKind.Catalogue => $"; it looks like a catalogue: did you mean '{RulePaths.CatalogueFile}'?",
                    FileKind.Manifest => $"; it looks like a rule-set manifest: did you mean '{RulePaths.ManifestFile}'?",
                    _ => NameSuggestions.Closest(name, known) is { } meant ? $"; did you mean '{meant}'?" : asRules,
                };
                diagnostics.Report(DiagnosticDescriptors.IgnoredFile, SourceLocation.ForPath(file), name, hint);
            }
        }

        private enum FileKind
        {
            Unknown,
            Rules,
            Catalogue,
            Manifest,
        }

        /// <summary>What a JSON file holds, from the property names only one kind of file uses.</summary>
        private static FileKind KindOf(string? text)
        {
            if (text is null)
            {
                return FileKind.Unknown;
            }

            bool Has(string property) => text.IndexOf($"\"{property}\"", StringComparison.Ordinal) >= 0;
            if (Has("WorkflowName") || Has("Rules") || text.TrimStart().StartsWith("[", StringComparison.Ordinal))
            {
                return FileKind.Rules;
            }

            if (Has("steps") || Has("bodies") || Has("roles"))
            {
                return FileKind.Catalogue;
            }

            return Has("extends") || Has("parameters") ? FileKind.Manifest : FileKind.Unknown;
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

        private static void HashFile(ContentHash hash, RuleSetLayer layer, string name, IRuleSetFileSystem files)
        {
            var text = files.ReadAllText(RulePaths.Combine(layer.Directory, name));
            if (text is not null)
            {
                hash.Append(layer.Name).Append('/').Append(name).Append('\0').Append(text).Append('\0');
            }
        }

    }
}
