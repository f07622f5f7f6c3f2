using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace DecisionRouting.Analyzers
{
    /// <summary>
    /// Roslyn descriptors for every DR ID, made from the one list in <c>DiagnosticDescriptors</c>, so the analyzer,
    /// the library and the CLI cannot disagree on an ID, its title, severity or help page.
    /// </summary>
    internal static class AnalyzerDescriptors
    {
        public const string Category = "DecisionRouting";

        private static readonly Dictionary<string, DiagnosticDescriptor> ById = Diagnostics.DiagnosticDescriptors.All.ToDictionary(
            d => d.Id,
            d => new DiagnosticDescriptor(
                d.Id,
                d.Title,
                "{0}",
                Category,
                d.DefaultSeverity == Diagnostics.DiagnosticSeverity.Error ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning,
                isEnabledByDefault: true,
                helpLinkUri: d.HelpLink));

        public static ImmutableArray<DiagnosticDescriptor> All { get; } = ById.Values.OrderBy(d => d.Id).ToImmutableArray();

        public static DiagnosticDescriptor For(string id) => ById[id];
    }
}
