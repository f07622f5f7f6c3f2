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

/// <summary>
/// Expressions checked at build time against the compilation's own Proposal type: the analyzer must agree with the
/// library's loader on ID and position for the mistakes it checks, and report nothing on the shipped rules.
/// </summary>
public sealed class ExpressionAnalyzerTests
{

    internal static async Task<string[]> Analyze(string[] files)
    {
        var compilation = CSharpCompilation.Create("Partner", new[] { CSharpSyntaxTree.ParseText("class C { }") }, AnalyzerHarness.References(withLibrary: true), new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        var options = new AnalyzerOptions(AnalyzerHarness.AdditionalFiles(files));
        var diagnostics = await compilation.WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(new RuleFileAnalyzer()), options).GetAnalyzerDiagnosticsAsync();
        return diagnostics.Select(d =>
        {
            var span = d.Location.GetLineSpan();
            return $"{span.Path}({span.StartLinePosition.Line + 1},{span.StartLinePosition.Character + 1}): {d.Id}";
        }).OrderBy(s => s).ToArray();
    }

    [Fact]
    public async Task The_shipped_rule_sets_give_no_diagnostics_against_the_real_proposal_type()
    {
        var files = Directory.GetFiles(Repository.PathOf("rules"), "*.json", SearchOption.AllDirectories);
        Assert.Empty(await Analyze(files));
    }

    [Theory]
    [InlineData("proposal.FinancialComitment > 100", "DR0010")]
    [InlineData("proposal.Has(ProposalKind.S75Agreemnt)", "DR0010")]
    [InlineData("parameters.treshold > 1", "DR0010")]
    [InlineData("proposal.Title == 5", "DR0009")]
    [InlineData("proposal.IntendedDecisionDate > 2020", "DR0009")]
    [InlineData("input1.GetType().Assembly.Location != \"\"", "DR0029")]
    [InlineData("proposal.Title.PadLeft(100000000).Length > 0", "DR0029")]
    [InlineData("Enumerable.Range(0, 100000000).Count() > 0", "DR0029")]
    [InlineData("proposal.Partners.Any(p => proposal.Partners.Any(q => proposal.Partners.Any(r => r == q)))", "DR0029")]
    public async Task Expression_mistakes_are_reported_where_the_loader_reports_them(string expression, string id)
    {
        var rules = $$"""{ "WorkflowName": "main", "Rules": [ { "RuleName": "R", "Expression": "{{expression.Replace("\"", "\\\"")}}", "Properties": { "steps": [ "notice" ], "source": "s" } } ] }""";
        using var set = TempRuleSet.With(rules: rules, manifest: """{ "name": "t", "parameters": { "threshold": 5 } }""");
        var loader = RuleSet.Validate(set.Directory).Diagnostics.Select(d => $"{d.Location.Path}({d.Location.Line},{d.Location.Column}): {d.Id}").OrderBy(s => s).ToArray();
        Assert.Equal(id, Assert.Single(loader).Split(": ")[1]);
        var analyzer = await Analyze(Directory.GetFiles(set.Directory));
        Assert.True(loader.SequenceEqual(analyzer), $"loader: {string.Join(", ", loader.Select(Path.GetFileName))}; analyzer: {string.Join(", ", analyzer.Select(Path.GetFileName))}");
    }
}
