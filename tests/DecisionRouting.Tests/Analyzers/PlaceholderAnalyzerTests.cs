using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using DecisionRouting.Analyzers;
using RuleSet = DecisionRouting.RuleSets.RuleSet;
using DecisionRouting.Tests.Support;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace DecisionRouting.Tests.Analyzers;

/// <summary>DR0091 at build time: a scaffold's placeholders fail a partner's build exactly where the loader reports them.</summary>
public sealed class PlaceholderAnalyzerTests
{
    [Fact]
    public async Task DR0091_placeholders_are_build_errors_at_the_loaders_positions()
    {
        var rules = TempRuleSet.Rules.Replace("\"test source\"", "\"FILL IN: the statute\"", System.StringComparison.Ordinal).Replace("\"test reason\"", "\"FILL IN: why\"", System.StringComparison.Ordinal);
        var catalogue = TempRuleSet.Catalogue.Replace("\"kind\": \"Notice\",", "\"kind\": \"Notice\", \"source\": \"FILL IN: which regulation\",", System.StringComparison.Ordinal);
        using var set = TempRuleSet.With(catalogue: catalogue, rules: rules);
        var expected = RuleSet.Validate(set.Directory).Diagnostics.Select(d => d.ToString()).OrderBy(s => s, System.StringComparer.Ordinal).ToList();
        Assert.Equal(3, expected.Count(e => e.Contains("error DR0091: ", System.StringComparison.Ordinal)));

        var compilation = CSharpCompilation.Create("Partner", new[] { CSharpSyntaxTree.ParseText("class C { }") }, AnalyzerHarness.References(withLibrary: false), new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        var options = new AnalyzerOptions(AnalyzerHarness.AdditionalFiles(Directory.GetFiles(set.Directory).Select(f => f.Replace('\\', '/')).ToArray()));
        var actual = await compilation.WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(new RuleFileAnalyzer()), options).GetAnalyzerDiagnosticsAsync();
        var formatted = actual.Select(d =>
        {
            var span = d.Location.GetLineSpan();
            return $"{span.Path}({span.StartLinePosition.Line + 1},{span.StartLinePosition.Character + 1}): {(d.Severity == DiagnosticSeverity.Error ? "error" : "warning")} {d.Id}: {d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}";
        }).OrderBy(s => s, System.StringComparer.Ordinal).ToList();
        Assert.Equal(expected, formatted);
    }
}
