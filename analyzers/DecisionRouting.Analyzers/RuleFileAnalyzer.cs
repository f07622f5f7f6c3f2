using System;
using System.Collections.Immutable;
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
            foreach (var diagnostic in RuleFileCache.For(context.Compilation, context.Options, context.CancellationToken).Diagnostics)
            {
                context.ReportDiagnostic(Diagnostic.Create(AnalyzerDescriptors.For(diagnostic.Id), ToLocation(diagnostic.Location), diagnostic.Message));
            }
        }

        internal static Location ToLocation(Text.SourceLocation location)
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
