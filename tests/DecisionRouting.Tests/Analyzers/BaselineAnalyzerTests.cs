using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using DecisionRouting.Analyzers;
using DecisionRouting.Tests.Support;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using RuleSet = DecisionRouting.RuleSets.RuleSet;

namespace DecisionRouting.Tests.Analyzers;

/// <summary>
/// The analyzer resolves <c>"extends": "baseline:england"</c> as the loader does: the partner's AdditionalFiles hold only
/// its own rule set, and the England baseline comes from the rule-file assembly the analyzer ships with. What it reports
/// is what the loader reports, at the same file, line and column.
/// </summary>
public sealed class BaselineAnalyzerTests : IDisposable
{
    private readonly string _local = Path.Combine(Path.GetTempPath(), "dr-tests", Guid.NewGuid().ToString("N"), "rules", "local");

    public BaselineAnalyzerTests() => Directory.CreateDirectory(_local);

    public void Dispose() => Directory.Delete(Path.GetDirectoryName(Path.GetDirectoryName(_local))!, recursive: true);

    private const string Rules = """
        {
          "WorkflowName": "local",
          "Rules": [
            { "RuleName": "LocalRecord", "Expression": "proposal.FinancialCommitment > 100", "Properties": { "steps": [ "decision-record" ], "source": "local constitution", "reason": "r" } }
          ]
        }
        """;

    private string Write(string extends, string rules = Rules)
    {
        var manifest = $$"""
            {
              "name": "local",
              "extends": "{{extends}}"
            }
            """;
        File.WriteAllText(Path.Combine(_local, "ruleset.json"), manifest);
        File.WriteAllText(Path.Combine(_local, "local.rules.json"), rules);
        return manifest;
    }

    /// <summary>The analyzer's diagnostics (library referenced, so expressions are checked against its Proposal) and the loader's, formatted alike.</summary>
    private async Task<(IReadOnlyList<string> Analyzer, IReadOnlyList<string> Loader)> Analyze()
    {
        var files = Directory.GetFiles(_local).Select(f => f.Replace('\\', '/'));
        var compilation = CSharpCompilation.Create("Partner", new[] { CSharpSyntaxTree.ParseText("class C { }") }, AnalyzerHarness.References(withLibrary: true), new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        var options = new AnalyzerOptions(AnalyzerHarness.AdditionalFiles(files));
        var diagnostics = await compilation.WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(new RuleFileAnalyzer()), options).GetAnalyzerDiagnosticsAsync();
        var analyzer = diagnostics.Select(d =>
        {
            var span = d.Location.GetLineSpan();
            return $"{span.Path}({span.StartLinePosition.Line + 1},{span.StartLinePosition.Character + 1}): {(d.Severity == DiagnosticSeverity.Error ? "error" : "warning")} {d.Id}: {d.GetMessage()}";
        }).Order(StringComparer.Ordinal).ToList();
        var loader = RuleSet.Validate(_local.Replace('\\', '/')).Diagnostics.Select(d => d.ToString()).Order(StringComparer.Ordinal).ToList();
        return (analyzer, loader);
    }

    [Fact]
    public async Task A_partner_extending_the_baseline_is_clean_and_its_rules_see_the_baselines_steps()
    {
        Write("baseline:england");
        var (analyzer, loader) = await Analyze();
        Assert.Empty(loader);
        Assert.Empty(analyzer);
    }

    [Fact]
    public async Task A_misspelt_baseline_step_is_found_through_the_chain_with_the_baselines_name_suggested()
    {
        var rules = Rules.Replace("\"decision-record\" ]", "\"decision-recrod\" ]");
        Write("baseline:england", rules);
        var (analyzer, loader) = await Analyze();
        var (line, column) = Position.Of(rules, "\"decision-recrod\"");
        var expected = $"{_local.Replace('\\', '/')}/local.rules.json({line},{column}): error DR0012: ";
        var only = Assert.Single(loader);
        Assert.StartsWith(expected, only);
        Assert.Contains("'decision-record'", only); // the suggestion is an England step: the baseline was read
        Assert.Equal(loader, analyzer);
    }

    [Theory]
    [InlineData("baseline:englnd", "DR0093")]
    [InlineData("package:DecisionRouting.Rules.England", "DR0094")]
    [InlineData("basline:england", "DR0094")]
    public async Task An_unresolvable_reference_is_reported_at_the_extends_value_as_the_loader_reports_it(string extends, string id)
    {
        var manifest = Write(extends);
        var (analyzer, loader) = await Analyze();
        var (line, column) = Position.Of(manifest, $"\"{extends}\"");
        var only = Assert.Single(loader);
        Assert.StartsWith($"{_local.Replace('\\', '/')}/ruleset.json({line},{column}): error {id}: Rule set extends '{extends}'", only);
        Assert.Equal(loader, analyzer);
    }
}
