using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using RuleDiagnostic = DecisionRouting.Diagnostics.RuleDiagnostic;
using DecisionRouting.RuleSets;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace DecisionRouting.Analyzers
{
    /// <summary>
    /// Reports every loader check on the rule files passed as AdditionalFiles, at its line and column in the JSON file,
    /// by calling the library's own <c>RuleSetReader</c>. Results are cached by file contents across compilations, and
    /// nothing is done when no rule files are present.
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class RuleFileAnalyzer : DiagnosticAnalyzer
    {
        // Compilations in one build, and an IDE's repeated compilations, see the same files: check each version once.
        private static readonly ConcurrentDictionary<string, IReadOnlyList<RuleDiagnostic>> Cache = new(StringComparer.Ordinal);

        /// <inheritdoc />
        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => AnalyzerDescriptors.All;

        /// <inheritdoc />
        public override void Initialize(AnalysisContext context)
        {
            context.EnableConcurrentExecution();
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.RegisterCompilationAction(Analyze);
        }

        private static void Analyze(CompilationAnalysisContext context)
        {
            var files = new AdditionalFilesRuleSets(context.Options.AdditionalFiles, context.CancellationToken);
            var folders = files.RuleSetFolders();
            if (folders.Count == 0)
            {
                return;
            }

            var diagnostics = Cache.GetOrAdd(files.Fingerprint(), _ => Check(files, folders));
            foreach (var diagnostic in diagnostics)
            {
                context.ReportDiagnostic(Diagnostic.Create(AnalyzerDescriptors.For(diagnostic.Id), ToLocation(diagnostic.Location), diagnostic.Message));
            }
        }

        /// <summary>Every rule set's diagnostics, each reported once even when several sets share a base.</summary>
        private static IReadOnlyList<RuleDiagnostic> Check(AdditionalFilesRuleSets files, IReadOnlyList<string> folders)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            var result = new List<RuleDiagnostic>();
            foreach (var folder in folders)
            {
                foreach (var diagnostic in RuleSetReader.Read(folder, files, expressions: null).Diagnostics)
                {
                    if (seen.Add(diagnostic.ToString()))
                    {
                        result.Add(diagnostic);
                    }
                }
            }

            return result;
        }

        private static Location ToLocation(Text.SourceLocation location)
        {
            if (!location.HasPosition)
            {
                return Location.Create(location.Path, default, default);
            }

            var start = new LinePosition(location.Line - 1, location.Column - 1);
            var end = new LinePosition(Math.Max(location.EndLine, location.Line) - 1, Math.Max(location.EndColumn, location.Column) - 1);
            return Location.Create(location.Path, new TextSpan(location.Start, location.Length), new LinePositionSpan(start, end));
        }
    }
}
