using System;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DecisionRouting.Analyzers;
using DecisionRouting.Tests.Support;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using RuleSet = DecisionRouting.RuleSets.RuleSet;

namespace DecisionRouting.Tests.Analyzers;

/// <summary>The analyzer over real rule files passed as AdditionalFiles, in a real compilation (no mocks of Roslyn).</summary>
public sealed class RuleFileAnalyzerTests
{

    private static async Task<ImmutableArray<Diagnostic>> Analyze(params string[] additionalFiles)
    {
        var compilation = CSharpCompilation.Create("Partner", new[] { CSharpSyntaxTree.ParseText("class C { }") }, AnalyzerHarness.References(withLibrary: false), new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        var options = new AnalyzerOptions(AnalyzerHarness.AdditionalFiles(additionalFiles));
        return await compilation.WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(new RuleFileAnalyzer()), options).GetAnalyzerDiagnosticsAsync();
    }

    private static string[] FilesOf(string directory) => Directory.GetFiles(directory).Select(f => f.Replace('\\', '/')).ToArray();

    [Fact]
    public async Task Reports_exactly_what_the_loader_reports_at_the_same_file_line_and_column()
    {
        var rules = """
            {
              "WorkflowName": "main",
              "Rules": [
                { "RuleName": "Big", "Expresion": "proposal.FinancialCommitment > 100", "Properties": { "steps": [ "notice", "decisoin" ], "source": "s" } }
              ]
            }
            """;
        using var set = TempRuleSet.With(rules: rules);
        var expected = RuleSet.Validate(set.Directory).Diagnostics.Select(d => d.ToString()).OrderBy(s => s).ToList();
        Assert.Contains(expected, e => e.Contains("DR0002"));
        Assert.Contains(expected, e => e.Contains("DR0012"));

        var actual = await Analyze(FilesOf(set.Directory));
        var formatted = actual.Select(d =>
        {
            var span = d.Location.GetLineSpan();
            var severity = d.Severity == DiagnosticSeverity.Error ? "error" : "warning";
            return $"{span.Path}({span.StartLinePosition.Line + 1},{span.StartLinePosition.Character + 1}): {severity} {d.Id}: {d.GetMessage()}";
        }).OrderBy(s => s).ToList();
        Assert.Equal(expected, formatted);
        Assert.All(actual, d => Assert.Equal($"https://github.com/decision-routing/decision-routing/blob/main/docs/rules/{d.Id}.md", d.Descriptor.HelpLinkUri));
    }

    [Fact]
    public async Task Dated_law_checks_are_reported_exactly_as_the_loader_reports_them()
    {
        var rules = """
            {
              "WorkflowName": "main",
              "Rules": [
                { "RuleName": "New", "Expression": "true", "Properties": { "effective": { "from": "2013-04-06", "on": "firstDismisalDate" }, "requirement": "r", "steps": [ "notice", "decision" ], "source": "s" } },
                { "RuleName": "Old", "Expression": "true", "Properties": { "effective": { "until": "2013-05-01" }, "requirement": "r", "steps": [ "decision" ], "source": "s" } },
                { "RuleName": "Older", "Expression": "true", "Properties": { "effective": { "from": "2013-06-01", "until": "2014-01-01", "on": "firstDismisalDate" }, "steps": [ "decision" ], "source": "s" } }
              ]
            }
            """;
        using var set = TempRuleSet.With(rules: rules, manifest: """{ "name": "local", "attributes": { "firstDismissalDate": { "type": "date", "description": "d", "source": "s" } } }""");
        var expected = RuleSet.Validate(set.Directory).Diagnostics.Select(d => d.ToString()).OrderBy(s => s).ToList();
        Assert.Contains(expected, e => e.Contains("DR0050"));
        Assert.Contains(expected, e => e.Contains("DR0054"));

        var actual = await Analyze(FilesOf(set.Directory));
        var formatted = actual.Select(d =>
        {
            var span = d.Location.GetLineSpan();
            var severity = d.Severity == DiagnosticSeverity.Error ? "error" : "warning";
            return $"{span.Path}({span.StartLinePosition.Line + 1},{span.StartLinePosition.Character + 1}): {severity} {d.Id}: {d.GetMessage()}";
        }).OrderBy(s => s).ToList();
        Assert.Equal(expected, formatted);
    }

    [Fact]
    public async Task Reports_a_misspelt_executive_model_where_the_loader_does()
    {
        var rules = """
            {
              "WorkflowName": "main",
              "Rules": [
                { "RuleName": "Mayoral", "Expression": "parameters.executiveModel != \"MayorAndCabnet\"", "Properties": { "steps": [ "notice" ], "source": "s" } }
              ]
            }
            """;
        using var set = TempRuleSet.With(rules: rules, manifest: """{ "name": "t", "executiveModel": "MayorAndCabinet" }""");
        var expected = RuleSet.Validate(set.Directory).Diagnostics.Where(d => d.Id == "DR0044").Select(d => d.ToString()).ToList();
        Assert.Single(expected);

        var actual = (await Analyze(FilesOf(set.Directory))).Where(d => d.Id == "DR0044").Select(d =>
        {
            var span = d.Location.GetLineSpan();
            return $"{span.Path}({span.StartLinePosition.Line + 1},{span.StartLinePosition.Character + 1}): error {d.Id}: {d.GetMessage()}";
        }).ToList();
        Assert.Equal(expected, actual);
    }

    [Fact]
    public async Task Reports_executive_model_timeline_problems_where_the_loader_does()
    {
        var manifest = """
            { "name": "t",
              "executiveModel": [ { "model": "LeaderAndCabinet", "until": "2022-05-10" },
                { "model": "MayorAndCabinet", "from": "2022-05-09", "until": "2023-01-01" },
                { "model": "CommitteeSystem", "from": "2024-01-01" },
                { "model": "Mayoral", "from": "2030-01-01" } ] }
            """;
        using var set = TempRuleSet.With(manifest: manifest);
        var ids = new[] { "DR0045", "DR0046", "DR0055" };
        var expected = RuleSet.Validate(set.Directory).Diagnostics.Where(d => ids.Contains(d.Id)).Select(d => d.ToString()).OrderBy(s => s).ToList();
        Assert.Equal(new[] { "DR0055" }, expected.Select(e => e.Split(' ')[2].TrimEnd(':')).Distinct());

        // An unknown model stops the timeline being checked further; fixed, overlap and gap show.
        using var fixedSet = TempRuleSet.With(manifest: manifest.Replace("Mayoral", "MayorAndCabinet").Replace("\"2030-01-01\" }", "\"2030-01-01\", \"until\": \"2030-01-02\" }"));
        var expectedFixed = RuleSet.Validate(fixedSet.Directory).Diagnostics.Where(d => ids.Contains(d.Id)).Select(d => d.ToString()).OrderBy(s => s).ToList();
        Assert.Equal(3, expectedFixed.Count);

        foreach (var (directory, wanted) in new[] { (set.Directory, expected), (fixedSet.Directory, expectedFixed) })
        {
            var actual = (await Analyze(FilesOf(directory))).Where(d => ids.Contains(d.Id)).Select(d =>
            {
                var span = d.Location.GetLineSpan();
                var severity = d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error ? "error" : "warning";
                return $"{span.Path}({span.StartLinePosition.Line + 1},{span.StartLinePosition.Character + 1}): {severity} {d.Id}: {d.GetMessage()}";
            }).OrderBy(s => s).ToList();
            Assert.Equal(wanted, actual);
        }
    }

    [Fact]
    public async Task A_shipped_partnership_set_with_its_base_as_additional_files_is_clean()
    {
        var files = Directory.GetFiles(Repository.PathOf("rules"), "*.json", SearchOption.AllDirectories).Select(f => f.Replace('\\', '/')).ToArray();
        Assert.Empty(await Analyze(files));
    }

    [Fact]
    public async Task Does_nothing_without_rule_files()
    {
        var other = Path.Combine(Path.GetTempPath(), $"dr-analyzer-{Guid.NewGuid():N}.json");
        File.WriteAllText(other, "{ not a rule file");
        try
        {
            Assert.Empty(await Analyze(other));
        }
        finally
        {
            File.Delete(other);
        }
    }

    [Fact]
    public void Every_diagnostic_id_is_in_the_release_tracking_files_with_its_severity_and_title()
    {
        var unshipped = File.ReadAllLines(Repository.PathOf("analyzers/DecisionRouting.Analyzers/AnalyzerReleases.Unshipped.md"))
            .Concat(File.ReadAllLines(Repository.PathOf("analyzers/DecisionRouting.Analyzers/AnalyzerReleases.Shipped.md")))
            .Where(l => l.StartsWith("DR", StringComparison.Ordinal))
            .ToList();
        var expected = Diagnostics.DiagnosticDescriptors.All
            .Select(d => $"{d.Id} | DecisionRouting | {(d.DefaultSeverity == Diagnostics.DiagnosticSeverity.Error ? "Error" : "Warning")} | {d.Title}");
        Assert.Equal(expected, unshipped);
        Assert.Equal(Diagnostics.DiagnosticDescriptors.All.Select(d => d.Id), new RuleFileAnalyzer().SupportedDiagnostics.Select(d => d.Id));
    }
}
