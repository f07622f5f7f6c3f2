using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using DecisionRouting.Analyzers;
using DecisionRouting.Diagnostics;
using DecisionRouting.Tests.Analyzers;
using DecisionRouting.Tests.Support;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using RuleSet = DecisionRouting.RuleSets.RuleSet;

namespace DecisionRouting.Tests.Incomplete;

/// <summary>Declared attributes: DR0032–DR0034 at their positions, inheritance through extends, and the analyzer agreeing.</summary>
public sealed class AttributeDeclarationTests
{
    private static RuleDiagnostic Single(TempRuleSet set, string id)
    {
        var diagnostics = RuleSet.Validate(set.Directory).Diagnostics;
        var matching = diagnostics.Where(d => d.Id == id).ToList();
        Assert.True(matching.Count == 1, $"Expected one {id}, got:\n{string.Join("\n", diagnostics)}");
        return matching[0];
    }

    private static void AssertAt(TempRuleSet set, string id, string text, string marker, string file = "main.rules.json")
    {
        var (line, column) = Position.Of(text, marker);
        Assert.Equal($"{set.PathOf(file)}({line},{column})", Single(set, id).Location.ToString());
    }

    [Fact]
    public void DR0032_an_undeclared_attribute_is_a_load_error_at_its_literal_with_did_you_mean()
    {
        var rules = UndecidedRuleTests.OneRule("proposal.FinancialCommitment > 0 && proposal.Attributes.Number(\"localSpendCapp\") < 50000");
        using var set = TempRuleSet.With(rules: rules, manifest: UndecidedRuleTests.Manifest);

        AssertAt(set, "DR0032", rules, "\\\"localSpendCapp\\\"");
        Assert.Contains("did you mean 'localSpendCap'?", Single(set, "DR0032").Message);
    }

    [Fact]
    public void DR0032_a_rule_set_without_declarations_cannot_read_attributes_at_all()
    {
        var rules = UndecidedRuleTests.OneRule("proposal.Attributes.Has(\"anything\")");
        using var set = TempRuleSet.With(rules: rules);

        AssertAt(set, "DR0032", rules, "\\\"anything\\\"");
        Assert.Contains("declare it in ruleset.json", Single(set, "DR0032").Message);
    }

    [Fact]
    public void DR0032_an_attribute_read_in_a_global_param_is_checked_too()
    {
        var rules = """
            { "WorkflowName": "main", "GlobalParams": [ { "Name": "band", "Expression": "proposal.Attributes.Text(\"locaBand\")" } ],
              "Rules": [ { "RuleName": "R", "Expression": "band == \"A\"", "Properties": { "steps": [ "notice" ], "source": "s" } } ] }
            """;
        using var set = TempRuleSet.With(rules: rules, manifest: UndecidedRuleTests.Manifest);

        AssertAt(set, "DR0032", rules, "\\\"locaBand\\\"");
        Assert.Contains("did you mean 'localBand'?", Single(set, "DR0032").Message);
    }

    [Fact]
    public void DR0033_a_declared_attribute_read_with_the_wrong_accessor_is_reported_at_the_accessor()
    {
        var rules = UndecidedRuleTests.OneRule("proposal.Attributes.Number(\"localBand\") > 1");
        using var set = TempRuleSet.With(rules: rules, manifest: UndecidedRuleTests.Manifest);

        AssertAt(set, "DR0033", rules, "Number");
        Assert.Equal("Attribute 'localBand' is declared as text in 'local', so read it with Attributes.Text(…), not Attributes.Number(…)", Single(set, "DR0033").Message);
    }

    [Fact]
    public void DR0034_a_computed_attribute_name_cannot_be_checked()
    {
        var rules = UndecidedRuleTests.OneRule("proposal.Attributes.Flag(proposal.Title)");
        using var set = TempRuleSet.With(rules: rules, manifest: UndecidedRuleTests.Manifest);

        AssertAt(set, "DR0034", rules, "proposal.Title)");
    }

    [Fact]
    public void DR0034_the_attribute_bag_handed_to_a_local_param_cannot_be_checked()
    {
        var rules = """
            { "WorkflowName": "main", "Rules": [
              { "RuleName": "R", "LocalParams": [ { "Name": "bag", "Expression": "proposal.Attributes" } ], "Expression": "bag.Flag(\"preApproved\")", "Properties": { "steps": [ "notice" ], "source": "s" } } ] }
            """;
        using var set = TempRuleSet.With(rules: rules, manifest: UndecidedRuleTests.Manifest);

        AssertAt(set, "DR0034", rules, "Attributes\"");
    }

    [Fact]
    public void Declared_attributes_are_inherited_and_a_child_may_not_change_a_type()
    {
        using var root = new TempRuleSet();
        root.Write("base/ruleset.json", UndecidedRuleTests.Manifest.Replace("\"local\"", "\"base\""));
        root.Write("base/catalogue.json", TempRuleSet.Catalogue);
        root.Write("base/main.rules.json", UndecidedRuleTests.OneRule("proposal.Attributes.Flag(\"preApproved\")"));
        var child = """
            { "name": "child", "extends": "../base", "attributes": { "localBand": { "type": "number" }, "wardCount": { "type": "number", "required": true } } }
            """;
        root.Write("child/ruleset.json", child);
        root.Write("child/child.rules.json", """{ "WorkflowName": "child", "Rules": [ { "RuleName": "C", "Expression": "proposal.Attributes.Number(\"wardCount\") > 2 && proposal.Attributes.Flag(\"preApproved\")", "Properties": { "steps": [ "notice" ], "source": "s" } } ] }""");

        var definition = RuleSet.Validate(Path.Combine(root.Directory, "child"));

        var changed = Assert.Single(definition.Diagnostics);
        Assert.Equal("DR0003", changed.Id);
        var (line, column) = Position.Of(child, "\"localBand\"");
        Assert.Equal((line, column), (changed.Location.Line, changed.Location.Column));
        Assert.Contains("'localBand' must be text, as declared in 'base'", changed.Message);
        Assert.True(definition.Attributes["wardCount"].Required);
        Assert.Equal("base", definition.Attributes["preApproved"].RuleSet);
    }

    [Fact]
    public void An_attribute_declaration_is_read_strictly_with_did_you_mean()
    {
        var manifest = """{ "name": "local", "attributes": { "cap": { "type": "numbr", "requird": true } } }""";
        using var set = TempRuleSet.With(manifest: manifest);

        var diagnostics = RuleSet.Validate(set.Directory).Diagnostics;

        Assert.Contains(diagnostics, d => d.Id == "DR0002" && d.Message.Contains("did you mean 'required'?"));
        Assert.Contains(diagnostics, d => d.Id == "DR0056" && d.Message.Contains("did you mean 'number'?"));
    }

    [Fact]
    public async Task The_analyzer_reports_attribute_diagnostics_exactly_as_the_loader_does()
    {
        var rules = """
            { "WorkflowName": "main", "Rules": [
              { "RuleName": "A", "Expression": "proposal.Attributes.Number(\"localSpendCapp\") < 1", "Properties": { "steps": [ "notice" ], "source": "s" } },
              { "RuleName": "B", "Expression": "proposal.Attributes.Flag(\"localBand\")", "Properties": { "steps": [ "notice" ], "source": "s" } },
              { "RuleName": "C", "Expression": "proposal.Attributes.Text(proposal.Title) == \"x\"", "Properties": { "steps": [ "notice" ], "source": "s" } } ] }
            """;
        using var set = TempRuleSet.With(rules: rules, manifest: UndecidedRuleTests.Manifest);
        var expected = RuleSet.Validate(set.Directory).Diagnostics.Select(d => d.ToString()).OrderBy(s => s).ToList();
        Assert.Equal(new[] { "DR0032", "DR0033", "DR0034" }, expected.Select(e => e.Split(": ")[1].Split(' ')[1]).OrderBy(s => s));

        var compilation = CSharpCompilation.Create("Partner", new[] { CSharpSyntaxTree.ParseText("class C { }") }, AnalyzerHarness.References(withLibrary: false), new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        var files = Directory.GetFiles(set.Directory).Select(f => f.Replace('\\', '/')).ToArray();
        var actual = await compilation.WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(new RuleFileAnalyzer()), new AnalyzerOptions(AnalyzerHarness.AdditionalFiles(files))).GetAnalyzerDiagnosticsAsync();
        var formatted = actual.Select(d =>
        {
            var span = d.Location.GetLineSpan();
            return $"{span.Path}({span.StartLinePosition.Line + 1},{span.StartLinePosition.Character + 1}): {(d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error ? "error" : "warning")} {d.Id}: {d.GetMessage()}";
        }).OrderBy(s => s).ToList();
        Assert.Equal(expected, formatted);
    }
}
