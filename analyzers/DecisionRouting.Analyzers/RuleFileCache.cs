using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using DecisionRouting.RuleSets;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using RuleDiagnostic = DecisionRouting.Diagnostics.RuleDiagnostic;

namespace DecisionRouting.Analyzers
{
    /// <summary>What the rule files among a compilation's AdditionalFiles say: their diagnostics and the names they define.</summary>
    internal sealed class RuleFileFacts
    {
        public static readonly RuleFileFacts None = new(Array.Empty<RuleDiagnostic>(), new Dictionary<string, IReadOnlyCollection<string>>());

        public RuleFileFacts(IReadOnlyList<RuleDiagnostic> diagnostics, IReadOnlyDictionary<string, IReadOnlyCollection<string>> names)
        {
            Diagnostics = diagnostics;
            Names = names;
        }

        /// <summary>Every loader diagnostic, each once even when several rule sets share a base.</summary>
        public IReadOnlyList<RuleDiagnostic> Diagnostics { get; }

        /// <summary>Defined names by kind: "step", "body", "rule", "workflow".</summary>
        public IReadOnlyDictionary<string, IReadOnlyCollection<string>> Names { get; }

        public bool HasRuleFiles => Names.Count > 0;
    }

    /// <summary>
    /// Reads the rule files once per distinct content and shares the result across analyzers and compilations (a
    /// build has several compilations; an IDE recompiles on every keystroke).
    /// </summary>
    internal static class RuleFileCache
    {
        private static readonly ConcurrentDictionary<string, RuleFileFacts> Cache = new(StringComparer.Ordinal);

        public static RuleFileFacts For(Compilation compilation, AnalyzerOptions options, CancellationToken cancellation)
        {
            var files = new AdditionalFilesRuleSets(options.AdditionalFiles, cancellation);
            var folders = files.RuleSetFolders();
            if (folders.Count == 0)
            {
                return RuleFileFacts.None;
            }

            // Expressions are checked against the Proposal type this compilation references, so its version is part of the key.
            var proposal = compilation.GetTypeByMetadataName("DecisionRouting.Proposals.Proposal")?.ContainingAssembly.Identity.ToString() ?? "no proposal type";
            var settings = RuleTreeSettings.From(options);
            return Cache.GetOrAdd(proposal + "\0" + settings.Key + "\0" + files.Fingerprint(), _ => Read(files, folders, new SymbolExpressionChecker(compilation), settings.Options));
        }

        private static RuleFileFacts Read(AdditionalFilesRuleSets files, IReadOnlyList<string> folders, SymbolExpressionChecker expressions, RuleSetReadOptions options)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            var diagnostics = new List<RuleDiagnostic>();
            var steps = new HashSet<string>(StringComparer.Ordinal);
            var bodies = new HashSet<string>(StringComparer.Ordinal);
            var rules = new HashSet<string>(StringComparer.Ordinal);
            var workflows = new HashSet<string>(StringComparer.Ordinal);
            foreach (var folder in folders)
            {
                var definition = RuleSetReader.Read(folder, files, expressions, options);
                diagnostics.AddRange(definition.Diagnostics.Where(d => seen.Add(d.ToString())));
                steps.UnionWith(definition.Steps.Keys);
                bodies.UnionWith(definition.Bodies.Keys);
                workflows.UnionWith(definition.Workflows.Select(w => w.Name));
                rules.UnionWith(definition.Workflows.SelectMany(w => AllRules(w.Rules)).Select(r => r.Name));
            }

            return new RuleFileFacts(diagnostics, new Dictionary<string, IReadOnlyCollection<string>>
            {
                ["step"] = steps,
                ["body"] = bodies,
                ["rule"] = rules,
                ["workflow"] = workflows,
            });
        }

        private static IEnumerable<Workflows.RuleDefinition> AllRules(IEnumerable<Workflows.RuleDefinition> rules) =>
            rules.SelectMany(r => new[] { r }.Concat(AllRules(r.Rules)));
    }
}
