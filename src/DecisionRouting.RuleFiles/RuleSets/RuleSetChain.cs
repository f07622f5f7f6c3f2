using System;
using System.Collections.Generic;
using System.Linq;
using DecisionRouting.Diagnostics;
using DecisionRouting.Json;
using DecisionRouting.Text;

namespace DecisionRouting.RuleSets
{
    /// <summary>A layer of the chain with the parameters its manifest sets and the attributes it declares.</summary>
    internal sealed record ResolvedLayer(RuleSetLayer Layer, IReadOnlyList<RuleSetParameter> Parameters, IReadOnlyList<RuleSetAttribute> Attributes);

    /// <summary>
    /// The chain, base first, and whether it is whole. A chain is broken when an <c>extends</c> cannot be followed
    /// (missing folder, circle, too deep) or a manifest cannot be read well enough to know what it extends; the
    /// layers read are then missing whatever the lost base defines.
    /// </summary>
    internal sealed record ResolvedChain(IReadOnlyList<ResolvedLayer> Layers, bool Broken);

    /// <summary>Follows <c>extends</c> from a rule-set folder to its base, reading each <c>ruleset.json</c>.</summary>
    internal static class RuleSetChain
    {
        /// <summary>A limit well past any real hierarchy (England → region → partnership), against runaway chains.</summary>
        private const int MaxDepth = 16;

        private static readonly string[] ExtendsOnly = { "extends" };

        /// <summary>
        /// The chain, base first; empty when the starting folder is missing. Everything reported here is a root cause:
        /// the reader reports it first and holds back the errors a broken chain would cause.
        /// </summary>
        public static ResolvedChain Resolve(string directory, GuardedFileSystem files, DiagnosticBag diagnostics, RuleSetReadOptions options)
        {
            var broken = true;
            var root = RootFor(directory, options);
            var chain = new List<ResolvedLayer>();
            var seen = new List<string>();
            var current = RulePaths.Normalize(directory);
            SourceLocation? referencedFrom = null;
            var extendsValue = string.Empty;

            // The folder to load may itself be a reference (RuleSet.Load(RuleSetBaselines.England), --rules baseline:england).
            // Checked as given, before normalising: "baseline:england/../../etc" is a malformed reference (DR0093), not
            // the folder ../etc that collapsing its dots would make of it, exactly as the same text in an extends is.
            if (RuleSetReference.Report(directory.Replace('\\', '/'), "Rule-set folder", SourceLocation.ForPath(directory), string.Empty, diagnostics))
            {
                return new ResolvedChain(chain, Broken: true);
            }

            while (true)
            {
                if (seen.Contains(current, StringComparer.Ordinal))
                {
                    var circle = string.Join(" → ", seen.SkipWhile(s => s != current).Concat(new[] { current }));
                    diagnostics.Report(DiagnosticDescriptors.ExtendsCycle, referencedFrom ?? SourceLocation.ForPath(current), circle + SkippedChecks);
                    break;
                }

                if (seen.Count == MaxDepth)
                {
                    diagnostics.Report(DiagnosticDescriptors.RuleSetNotFound, referencedFrom ?? SourceLocation.ForPath(current), $"Rule sets extend more than {MaxDepth} levels deep{SkippedChecks}");
                    break;
                }

                if (!files.DirectoryExists(current))
                {
                    // A file where a folder was expected is a different mistake from a path that leads nowhere.
                    var isFile = files.ReadAllText(current) is not null;
                    if (referencedFrom is null)
                    {
                        diagnostics.Report(DiagnosticDescriptors.RuleSetNotFound, SourceLocation.ForPath(current), isFile ? $"Rule-set folder '{current}' is a file, not a folder" : $"Rule-set folder '{current}' does not exist");
                    }
                    else
                    {
                        // The frequent case (a misspelt or moved base) has its own ID, DR0082, at the extends value.
                        diagnostics.Report(
                            DiagnosticDescriptors.ExtendedRuleSetNotFound,
                            referencedFrom,
                            extendsValue,
                            isFile ? "is a file, not a folder: extends must name the folder of the base rule set" : $"does not exist: looked for the folder '{FullPath(current)}'",
                            SkippedChecks);
                    }

                    break;
                }

                seen.Add(current);
                var manifest = ReadManifest(current, files, diagnostics);
                chain.Add(new ResolvedLayer(manifest.Layer, manifest.Parameters, manifest.Attributes));
                if (manifest.ExtendsNode is null)
                {
                    broken = manifest.Unreadable;
                    break;
                }

                referencedFrom = manifest.ExtendsNode.Location;
                extendsValue = manifest.ExtendsNode.Value;

                // An empty extends would resolve to this same folder and read as a circle of one.
                if (string.IsNullOrWhiteSpace(extendsValue))
                {
                    diagnostics.Report(DiagnosticDescriptors.RuleSetNotFound, referencedFrom, $"\"extends\" is empty: it must name the folder of the base rule set, relative to this one (or leave it out){SkippedChecks}");
                    break;
                }

                // A reference is not a path: it is never combined with this folder nor held to the rule tree's root, and
                // one that names nothing is refused here, before anything could read it as a folder.
                if (RuleSetReference.Report(extendsValue, "Rule set extends", referencedFrom, SkippedChecks, diagnostics))
                {
                    break;
                }

                if (RuleSetBaselines.IsReference(extendsValue))
                {
                    current = extendsValue;
                    continue;
                }

                if (OutsideRoot(extendsValue, RulePaths.Combine(current, extendsValue), root, options) is { } outside)
                {
                    diagnostics.Report(DiagnosticDescriptors.ExtendsOutsideRoot, referencedFrom, outside + SkippedChecks);
                    break;
                }

                current = RulePaths.Combine(current, manifest.ExtendsNode.Value);
            }

            chain.Reverse();
            return new ResolvedChain(chain, broken);
        }

        /// <summary>The rule tree's root as a full path, or null when the path cannot be made full (then no lexical check is possible).</summary>
        private static string? RootFor(string directory, RuleSetReadOptions options)
        {
            try
            {
                return options.RootFor(directory);
            }
            catch (Exception e) when (e is ArgumentException or NotSupportedException or System.IO.PathTooLongException or System.Security.SecurityException)
            {
                return null;
            }
        }

        /// <summary>
        /// Why an <c>extends</c> may not be followed, or null when it may: an absolute path unless allowed, or a path that
        /// leads (after "..") outside the root. Checked on the path as written, before the base is looked for, so a
        /// rule file cannot make the loader read, or say whether there is, a folder outside its tree.
        /// </summary>
        private static string? OutsideRoot(string written, string target, string? root, RuleSetReadOptions options)
        {
            var absolute = written.StartsWith("/", StringComparison.Ordinal) || written.StartsWith("\\", StringComparison.Ordinal) || (written.Length > 1 && written[1] == ':');
            if (absolute && !options.AllowAbsoluteExtends)
            {
                return $"\"extends\" is the absolute path '{written}': name the base rule set relative to this folder (absolute paths are refused unless allowed with RuleSetReadOptions.AllowAbsoluteExtends or --allow-absolute-extends)";
            }

            if (root is null)
            {
                return null;
            }

            string full;
            try
            {
                full = RuleSetReadOptions.FullPath(target);
            }
            catch (Exception e) when (e is ArgumentException or NotSupportedException or System.IO.PathTooLongException or System.Security.SecurityException)
            {
                return $"\"extends\" '{written}' is not a usable path: {e.Message}";
            }

            return RuleSetReadOptions.IsInside(full, root)
                ? null
                : $"\"extends\" '{written}' leads outside the rule tree '{root}': a rule set may only extend rule sets inside it (set the root with RuleSetReadOptions.ExtendsRoot or --rules-root)";
        }

        /// <summary>Said once, on the root cause, so the user knows why nothing else about the rule set was reported.</summary>
        private const string SkippedChecks = "; fix this first: checks that need what the base defines (steps, bodies, roles, workflows, parameters, expressions) were not run";

        /// <summary>The folder as the disk sees it, so a user can tell which directory a relative path was taken from.</summary>
        private static string FullPath(string path)
        {
            try
            {
                return RulePaths.Normalize(System.IO.Path.GetFullPath(path));
            }
            catch (Exception e) when (e is ArgumentException or NotSupportedException or System.IO.PathTooLongException or System.Security.SecurityException)
            {
                return path;
            }
        }

        /// <param name="Layer">The layer as its manifest names it.</param>
        /// <param name="Parameters">The parameters the manifest sets.</param>
        /// <param name="Attributes">The attributes the manifest declares.</param>
        /// <param name="ExtendsNode">Its <c>extends</c>, if it has one.</param>
        /// <param name="Unreadable">
        /// The manifest could not be read well enough to know whether it extends anything (malformed JSON, not an
        /// object, an <c>extends</c> that is not a string, or an unknown property that may be a misspelt <c>extends</c>).
        /// </param>
        private sealed record Manifest(RuleSetLayer Layer, IReadOnlyList<RuleSetParameter> Parameters, IReadOnlyList<RuleSetAttribute> Attributes, JsonString? ExtendsNode, bool Unreadable = false);

        private static Manifest ReadManifest(string directory, GuardedFileSystem files, DiagnosticBag diagnostics)
        {
            var folderName = RulePaths.FileName(directory);
            var path = RulePaths.Combine(directory, RulePaths.ManifestFile);
            var text = files.ReadAllText(path);

            // A folder of plain RulesEngine workflows has no manifest; it is a rule set named after its folder. A manifest
            // that was refused (DR0062) may have extended something, so the chain is not whole.
            if (text is null)
            {
                return new Manifest(new RuleSetLayer(folderName, null, directory, null), Array.Empty<RuleSetParameter>(), Array.Empty<RuleSetAttribute>(), null, Unreadable: files.WasRefused(path));
            }

            var document = new SourceDocument(path, text);
            var root = ParsedDocument.ParseRuleFile(document, diagnostics);
            if (root is null || ObjectReader.For(root, "ruleset.json", "ruleset.json", diagnostics) is not { } reader)
            {
                return new Manifest(new RuleSetLayer(folderName, null, directory, null), Array.Empty<RuleSetParameter>(), Array.Empty<RuleSetAttribute>(), null, Unreadable: true);
            }

            reader.Allow("$schema", "description");
            var name = reader.Identifier("name", "Rule-set name")?.Value ?? folderName;
            var title = reader.Label("title", "Rule-set title");
            var extends = reader.StringNode("extends");
            var parameters = ReadParameters(reader, name, diagnostics);
            if (ExecutiveModels.Read(reader, name, parameters, diagnostics) is { } model)
            {
                parameters = parameters.Where(p => p.Name != ExecutiveModels.ParameterName).Concat(new[] { model }).ToList();
            }

            var attributes = ReadAttributes(reader, name, diagnostics);
            var unreadable = extends is null && reader.Object.Properties.Any(p => p.Name == "extends" || NameSuggestions.Closest(p.Name, ExtendsOnly) is not null);
            reader.Finish();
            return new Manifest(new RuleSetLayer(name, title, directory, extends?.Value), parameters, attributes, extends, unreadable);
        }

        private static IReadOnlyList<RuleSetParameter> ReadParameters(ObjectReader manifest, string ruleSet, DiagnosticBag diagnostics)
        {
            var property = manifest.Property("parameters");
            if (property is null)
            {
                return Array.Empty<RuleSetParameter>();
            }

            var parameters = ObjectReader.For(property.Value, "parameters", "parameters", diagnostics);
            if (parameters is null)
            {
                return Array.Empty<RuleSetParameter>();
            }

            var result = new List<RuleSetParameter>();
            foreach (var entry in parameters.Object.Properties)
            {
                parameters.Allow(entry.Name);
                if (NameCharacters.Check(entry.Name, "Parameter name", entry.LocateInName, diagnostics))
                {
                    continue;
                }

                // Reported, and still read: whether it overrides anything is told apart by DR0066.
                Scripts.CheckIdentifier(entry.Name, "Parameter name", entry.NameLocation, diagnostics);

                if (!IsIdentifier(entry.Name))
                {
                    diagnostics.Report(DiagnosticDescriptors.InvalidValue, entry.NameLocation, $"Parameter name '{entry.Name}' must be a letter followed by letters, digits or '_', so expressions can name it");
                    continue;
                }

                var value = entry.Value;
                string? source = null;
                if (value is JsonObject)
                {
                    var detail = ObjectReader.For(value, $"parameter '{entry.Name}'", entry.Name, diagnostics)!;
                    detail.Allow("description");
                    source = detail.Authored("source");
                    var inner = detail.Property("value", required: true);
                    detail.Finish();
                    if (inner is null)
                    {
                        continue;
                    }

                    value = inner.Value;
                }

                var parsed = JsonNode.ScalarValue(value);
                if (parsed is null)
                {
                    diagnostics.Report(DiagnosticDescriptors.WrongValueType, value.Location, entry.Name, "a number, string or boolean", JsonNode.NotScalarInWords(value));
                    continue;
                }

                var kind = parsed switch
                {
                    decimal => RuleSetParameterKind.Number,
                    bool => RuleSetParameterKind.Flag,
                    _ => RuleSetParameterKind.Text,
                };
                result.Add(new RuleSetParameter(entry.Name, kind, parsed, source, ruleSet, entry.NameLocation));
            }

            parameters.Finish();
            return result;
        }

        /// <summary>
        /// <c>"attributes": { "name": { "type": "number|text|flag|date", "required": bool, "description": …, "source": … } }</c>.
        /// Read as strictly as parameters: unknown keys are errors with "did you mean", and a type is required.
        /// </summary>
        private static IReadOnlyList<RuleSetAttribute> ReadAttributes(ObjectReader manifest, string ruleSet, DiagnosticBag diagnostics)
        {
            var property = manifest.Property("attributes");
            if (property is null || ObjectReader.For(property.Value, "attributes", "attributes", diagnostics) is not { } attributes)
            {
                return Array.Empty<RuleSetAttribute>();
            }

            var result = new List<RuleSetAttribute>();
            foreach (var entry in attributes.Object.Properties)
            {
                attributes.Allow(entry.Name);
                if (string.IsNullOrWhiteSpace(entry.Name))
                {
                    diagnostics.Report(DiagnosticDescriptors.EmptyName, entry.NameLocation, "Attribute names must not be empty");
                    continue;
                }

                NameCharacters.Check(entry.Name, "Attribute name", entry.LocateInName, diagnostics);
                Scripts.CheckIdentifier(entry.Name, "Attribute name", entry.NameLocation, diagnostics);
                if (ObjectReader.For(entry.Value, $"attribute '{entry.Name}'", entry.Name, diagnostics) is not { } detail)
                {
                    continue;
                }

                var typeNode = detail.StringNode("type", required: true);
                var required = detail.Boolean("required") ?? false;
                var description = detail.String("description");
                var source = detail.Authored("source");
                detail.Finish();
                if (typeNode is null)
                {
                    continue;
                }

                var types = new[] { "number", "text", "flag", "date" };
                var index = Array.IndexOf(types, typeNode.Value);
                if (index < 0)
                {
                    diagnostics.Report(
                        DiagnosticDescriptors.NotAnAllowedValue,
                        typeNode.Location,
                        $"'{typeNode.Value}' is not an attribute type; expected one of {string.Join(", ", types)}{NameSuggestions.DidYouMean(typeNode.Value, types)}");
                    continue;
                }

                result.Add(new RuleSetAttribute(entry.Name, (RuleSetAttributeKind)index, required, description, source, ruleSet, entry.NameLocation));
            }

            attributes.Finish();
            return result;
        }

        private static bool IsIdentifier(string name) =>
            name.Length > 0 && char.IsLetter(name[0]) && name.All(c => char.IsLetterOrDigit(c) || c == '_');
    }
}
