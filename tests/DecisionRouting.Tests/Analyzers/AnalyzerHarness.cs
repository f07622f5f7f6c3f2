using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace DecisionRouting.Tests.Analyzers;

/// <summary>Real compilations for analyzer tests: the runtime's assemblies (offline), optionally the library, and files on disk as AdditionalFiles.</summary>
internal static class AnalyzerHarness
{
    public static MetadataReference[] References(bool withLibrary) =>
        ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Concat(withLibrary
                ? new[] { typeof(global::DecisionRouting.Routing.RoutingPlan).Assembly.Location, typeof(global::DecisionRouting.RuleSets.RuleSetDefinition).Assembly.Location, typeof(NodaTime.LocalDate).Assembly.Location }
                : Array.Empty<string>())
            .Distinct()
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
            .ToArray();

    public static ImmutableArray<AdditionalText> AdditionalFiles(IEnumerable<string> paths) =>
        paths.Select(p => (AdditionalText)new FileText(p.Replace('\\', '/'))).ToImmutableArray();

    private sealed class FileText(string path) : AdditionalText
    {
        public override string Path => path;

        public override SourceText GetText(CancellationToken cancellationToken = default) => SourceText.From(File.ReadAllText(path));
    }
}
