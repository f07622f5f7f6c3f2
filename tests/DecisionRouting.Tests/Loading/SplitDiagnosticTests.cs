using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using DecisionRouting.Analyzers;
using DecisionRouting.Diagnostics;
using DecisionRouting.Proposals;
using DecisionRouting.RuleSets;
using DecisionRouting.Tests.Analyzers;
using DecisionRouting.Tests.Support;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using RuleSet = DecisionRouting.RuleSets.RuleSet;

namespace DecisionRouting.Tests.Loading;

/// <summary>
/// The problems split out of the catch-alls DR0018 "Invalid value" and DR0026 "Invalid proposal" (2026-11): each has
/// its own ID at the exact file, line and column, in the loader, the CLI and the analyzer; and the cases that stayed
/// keep their old ID, so a partner's severity setting still means what it did for them.
/// </summary>
public sealed class SplitDiagnosticTests
{
    private static RuleDiagnostic Single(TempRuleSet set, string id) => set.SingleDiagnostic(id);

    private static void AssertAt(TempRuleSet set, string id, string file, string text, string marker, string messagePart)
    {
        var diagnostic = Single(set, id);
        var (line, column) = Position.Of(text, marker);
        Assert.Equal($"{set.PathOf(file)}({line},{column})", diagnostic.Location.ToString());
        Assert.StartsWith($"{set.PathOf(file)}({line},{column}): error {id}: ", diagnostic.ToString());
        Assert.Contains(messagePart, diagnostic.Message);
    }

    private static string RulesWith(string rule) => $$"""
        {
          "WorkflowName": "main",
          "Rules": [
            {{rule}}
          ]
        }
        """;

    [Theory]
    [InlineData("\"kind\": \"Approval\", \"body\"", "\"kind\": \"Aproval\", \"body\"", "\"Aproval\"", "did you mean 'Approval'?")]
    [InlineData("\"counting\": \"ClearCalendarDays\"", "\"counting\": \"ClearCalenderDays\"", "\"ClearCalenderDays\"", "did you mean 'ClearCalendarDays'?")]
    public void DR0056_a_catalogue_value_that_names_no_allowed_value_points_at_it(string from, string to, string marker, string message)
    {
        var catalogue = TempRuleSet.Catalogue.Replace(from, to);
        using var set = TempRuleSet.With(catalogue: catalogue);
        AssertAt(set, "DR0056", "catalogue.json", catalogue, marker, message);
    }

    [Fact]
    public void DR0056_an_attribute_type_that_is_no_type_points_at_it()
    {
        var manifest = """{ "name": "local", "attributes": { "cap": { "type": "numbr", "description": "d", "source": "s" } } }""";
        using var set = TempRuleSet.With(manifest: manifest);
        AssertAt(set, "DR0056", "ruleset.json", manifest, "\"numbr\"", "did you mean 'number'?");
    }

    [Fact]
    public void DR0056_a_legacy_error_type_that_is_neither_warning_nor_error_points_at_it()
    {
        var rules = RulesWith("""{ "RuleName": "A", "Expression": "true", "ErrorType": "Fatal" }""");
        using var set = TempRuleSet.With(rules: rules);
        AssertAt(set, "DR0056", "main.rules.json", rules, "\"Fatal\"", "expected Warning or Error");
    }

    [Fact]
    public void DR0056_a_proposal_decision_maker_that_is_none_points_at_it()
    {
        var json = """{ "id": "p", "title": "T", "decisionMaker": "Cabnet", "intendedDecisionDate": "2020-01-01", "kinds": [ "Mou" ] }""";
        var diagnostic = Assert.Single(ProposalReader.Read("p.json", json).Diagnostics);
        var (line, column) = Position.Of(json, "\"Cabnet\"");
        Assert.Equal(("DR0056", $"p.json({line},{column})"), (diagnostic.Id, diagnostic.Location.ToString()));
    }

    [Fact]
    public void DR0057_an_operator_in_the_wrong_case_points_at_it_with_a_suggestion()
    {
        var rules = RulesWith("""{ "RuleName": "A", "Operator": "orelse", "Rules": [ { "RuleName": "A1", "Expression": "true" } ] }""");
        using var set = TempRuleSet.With(rules: rules);
        AssertAt(set, "DR0057", "main.rules.json", rules, "\"orelse\"", "'orelse' is not a valid Operator; expected one of And, AndAlso, Or, OrElse; did you mean 'OrElse'?");
    }

    [Fact]
    public void DR0061_an_expression_beside_child_rules_points_at_the_expression()
    {
        var rules = RulesWith("""{ "RuleName": "A", "Expression": "proposal.Urgent", "Operator": "And", "Rules": [ { "RuleName": "A1", "Expression": "true" } ] }""");
        using var set = TempRuleSet.With(rules: rules);
        AssertAt(set, "DR0061", "main.rules.json", rules, "\"proposal.Urgent\"", "Rule 'A' has both an Expression and child rules; RulesEngine would ignore the Expression");
    }

    [Fact]
    public void DR0061_an_expression_beside_injected_workflows_is_the_same_problem()
    {
        var rules = """
            {
              "WorkflowName": "main",
              "Rules": [
                { "RuleName": "A", "Expression": "proposal.Urgent", "Operator": "Or", "WorkflowsToInject": [ "other" ] }
              ]
            }
            """;
        using var set = TempRuleSet.With(rules: rules);
        set.Write("other.rules.json", """{ "WorkflowName": "other", "Rules": [ { "RuleName": "O", "Expression": "true" } ] }""");
        AssertAt(set, "DR0061", "main.rules.json", rules, "\"proposal.Urgent\"", "Rule 'A'");
    }

    [Fact]
    public void DR0071_a_step_with_a_body_and_a_role_points_at_the_role()
    {
        var catalogue = TempRuleSet.Catalogue.Replace("\"body\": \"cabinet\",", "\"body\": \"cabinet\", \"role\": \"s151-officer\",");
        using var set = TempRuleSet.With(catalogue: catalogue);
        AssertAt(set, "DR0071", "catalogue.json", catalogue, "\"s151-officer\", \"after\"", "Step 'decision' names both a body and a role");
    }

    [Fact]
    public void DR0072_a_checked_date_in_a_rule_not_written_iso_points_at_it()
    {
        var rules = RulesWith("""{ "RuleName": "A", "Expression": "true", "Properties": { "steps": [ "notice" ], "source": "s", "checked": "1 April 2013" } }""");
        using var set = TempRuleSet.With(rules: rules);
        AssertAt(set, "DR0072", "main.rules.json", rules, "\"1 April 2013\"", "'checked' must be a date written yyyy-MM-dd, not \"1 April 2013\"");
    }

    [Theory]
    [InlineData("2.5", "must be a whole number, not 2.5")]
    [InlineData("-1", "must be at least 0, not -1")]
    public void DR0073_a_period_of_days_that_is_not_a_count_points_at_it(string days, string message)
    {
        var catalogue = TempRuleSet.Catalogue.Replace("\"days\": 28", "\"days\": " + days);
        using var set = TempRuleSet.With(catalogue: catalogue);
        AssertAt(set, "DR0073", "catalogue.json", catalogue, days + ",", message);
    }

    [Fact]
    public void DR0073_a_negative_count_in_a_proposal_points_at_it()
    {
        var json = """{ "id": "p", "title": "T", "decisionMaker": "Cabinet", "intendedDecisionDate": "2020-01-01", "kinds": [ "Mou" ], "wardsAffected": -2 }""";
        var diagnostic = Assert.Single(ProposalReader.Read("p.json", json).Diagnostics);
        var (line, column) = Position.Of(json, "-2");
        Assert.Equal(("DR0073", $"p.json({line},{column})"), (diagnostic.Id, diagnostic.Location.ToString()));
    }

    [Fact]
    public void DR0074_a_body_that_ends_before_it_begins_points_at_its_end()
    {
        var catalogue = TempRuleSet.Catalogue.Replace("\"kind\": \"Executive\"", "\"kind\": \"Executive\", \"existsFrom\": \"2013-04-01\", \"existsUntil\": \"2012-04-01\"");
        using var set = TempRuleSet.With(catalogue: catalogue);
        AssertAt(set, "DR0074", "catalogue.json", catalogue, "\"2012-04-01\"", "Body 'cabinet' ends (2012-04-01) before it begins (2013-04-01)");
    }

    [Fact]
    public void DR0074_a_step_effective_period_that_ends_as_it_begins_points_at_its_until()
    {
        var catalogue = TempRuleSet.Catalogue.Replace("\"id\": \"notice\", \"name\": \"Notice\",", "\"id\": \"notice\", \"name\": \"Notice\", \"effective\": { \"from\": \"2014-01-01\", \"until\": \"2013-01-01\" },");
        using var set = TempRuleSet.With(catalogue: catalogue);
        AssertAt(set, "DR0074", "catalogue.json", catalogue, "\"2013-01-01\"", "'until' is exclusive and must be after 'from'");
    }

    [Fact]
    public void DR0075_a_blank_rule_name_points_at_it()
    {
        var rules = RulesWith("""{ "RuleName": "  ", "Expression": "true" }""");
        using var set = TempRuleSet.With(rules: rules);
        AssertAt(set, "DR0075", "main.rules.json", rules, "\"  \"", "'RuleName' of rule must not be empty");
    }

    [Fact]
    public void DR0075_a_blank_proposal_title_points_at_it()
    {
        var json = """{ "id": "p", "title": "", "decisionMaker": "Cabinet", "intendedDecisionDate": "2020-01-01", "kinds": [ "Mou" ] }""";
        var diagnostic = Assert.Single(ProposalReader.Read("p.json", json).Diagnostics);
        var (line, column) = Position.Of(json, "\"\"");
        Assert.Equal(("DR0075", $"p.json({line},{column})"), (diagnostic.Id, diagnostic.Location.ToString()));
    }

    [Fact]
    public void DR0076_a_replacement_of_a_step_nothing_defines_points_at_its_id()
    {
        using var baseline = TempRuleSet.With();
        using var local = new TempRuleSet(baseline.Directory + "-local");
        local.Write("ruleset.json", $$"""{ "name": "local", "extends": "../{{Path.GetFileName(baseline.Directory)}}" }""");
        var catalogue = """{ "steps": [ { "id": "decison", "name": "Decision", "kind": "Approval", "replaces": true } ] }""";
        local.Write("catalogue.json", catalogue);
        local.Write("local.rules.json", """{ "WorkflowName": "local", "Rules": [ { "RuleName": "L", "Expression": "true" } ] }""");
        AssertAt(local, "DR0076", "catalogue.json", catalogue, "\"decison\"", "Step 'decison' says it replaces an inherited step, but no rule set it extends defines 'decison'");
    }

    [Fact]
    public void DR0076_a_replacement_of_a_body_nothing_defines_points_at_its_id()
    {
        using var baseline = TempRuleSet.With();
        using var local = new TempRuleSet(baseline.Directory + "-local");
        local.Write("ruleset.json", $$"""{ "name": "local", "extends": "../{{Path.GetFileName(baseline.Directory)}}" }""");
        var catalogue = """{ "bodies": [ { "id": "cabinett", "name": "Cabinet", "kind": "Executive", "replaces": true } ] }""";
        local.Write("catalogue.json", catalogue);
        local.Write("local.rules.json", """{ "WorkflowName": "local", "Rules": [ { "RuleName": "L", "Expression": "true" } ] }""");
        AssertAt(local, "DR0076", "catalogue.json", catalogue, "\"cabinett\"", "Body 'cabinett' says it replaces an inherited body");
    }

    [Fact]
    public void DR0077_drops_on_a_step_that_replaces_nothing_points_at_the_drops()
    {
        var catalogue = TempRuleSet.Catalogue.Replace("\"after\": [ \"notice\" ]", "\"after\": [ \"notice\" ], \"drops\": { \"after\": [ \"notice\" ], \"reason\": \"r\", \"source\": \"s\" }");
        using var set = TempRuleSet.With(catalogue: catalogue);
        AssertAt(set, "DR0077", "catalogue.json", catalogue, "{ \"after\": [ \"notice\" ], \"reason\"", "does not replace an inherited step");
    }

    [Fact]
    public void DR0078_a_requirement_on_a_nested_rule_points_at_it()
    {
        var rules = RulesWith("""{ "RuleName": "A", "Operator": "And", "Properties": { "steps": [ "notice" ], "source": "s" }, "Rules": [ { "RuleName": "A1", "Expression": "true", "Properties": { "requirement": "notice-period" } } ] }""");
        using var set = TempRuleSet.With(rules: rules);
        AssertAt(set, "DR0078", "main.rules.json", rules, "\"notice-period\"", "'requirement' on nested rule 'A1' is never read: only a top-level rule is a version of a requirement");
    }

    [Fact]
    public void DR0079_a_missing_proposal_file_is_reported_against_its_path()
    {
        var path = Path.Combine(Path.GetTempPath(), $"dr-missing-{System.Guid.NewGuid():N}.json");
        var diagnostic = Assert.Single(ProposalReader.ReadFile(path).Diagnostics);
        Assert.Equal("DR0079", diagnostic.Id);
        Assert.False(diagnostic.Location.HasPosition);
        Assert.Equal(path.Replace('\\', '/'), diagnostic.Location.Path.Replace('\\', '/'));
        Assert.Contains("does not exist", diagnostic.Message);
    }

    [Fact]
    public void DR0079_a_folder_named_as_the_proposal_is_reported_against_its_path()
    {
        using var set = new TempRuleSet();
        var diagnostic = Assert.Single(ProposalReader.ReadFile(set.Directory).Diagnostics);
        Assert.Equal("DR0079", diagnostic.Id);
        Assert.False(diagnostic.Location.HasPosition);
    }

    [Fact]
    public void DR0080_a_proposal_list_over_the_limit_points_at_the_list()
    {
        var json = "{ \"id\": \"p\", \"title\": \"T\", \"decisionMaker\": \"Cabinet\", \"intendedDecisionDate\": \"2020-01-01\", \"kinds\": [ \"Mou\" ],\n  \"partners\": [ "
            + string.Join(", ", Enumerable.Range(0, 201).Select(i => $"\"W{i}\"")) + " ] }";
        var diagnostic = Assert.Single(ProposalReader.Read("p.json", json).Diagnostics);
        var (line, column) = Position.Of(json, "[ \"W0\"");
        Assert.Equal(("DR0080", $"p.json({line},{column})"), (diagnostic.Id, diagnostic.Location.ToString()));
        Assert.Contains("201 entries is longer than the 200", diagnostic.Message);
    }

    [Fact]
    public void The_cases_that_stayed_keep_their_old_ids()
    {
        // A partner who set a severity for DR0018 or DR0026 before the split still has it apply to these.
        var manifest = "{ \"name\": \"t\", \"executiveModel\": \"LeaderAndCabinet\",\n  \"parameters\": { \"executiveModel\": \"MayorAndCabinet\" } }";
        using (var set = TempRuleSet.With(manifest: manifest))
        {
            Assert.Contains("set by the top-level \"executiveModel\"", Single(set, "DR0018").Message);
        }

        var json = """{ "id": "p", "title": "T", "decisionMaker": "Cabinet", "intendedDecisionDate": "2020-01-01", "kinds": [ ] }""";
        Assert.Equal("DR0026", Assert.Single(ProposalReader.Read("p.json", json).Diagnostics).Id);
    }

    [Fact]
    public void DR0018_stays_for_a_parameter_name_no_expression_could_name()
    {
        var manifest = """{ "name": "t", "parameters": { "key-threshold": 500000 } }""";
        using var set = TempRuleSet.With(manifest: manifest);
        AssertAt(set, "DR0018", "ruleset.json", manifest, "\"key-threshold\"", "must be a letter followed by letters, digits or '_'");
    }

    [Fact]
    public void DR0018_stays_for_a_replacement_that_changes_the_kind_of_step()
    {
        using var baseline = TempRuleSet.With();
        using var local = new TempRuleSet(baseline.Directory + "-local");
        local.Write("ruleset.json", $$"""{ "name": "local", "extends": "../{{Path.GetFileName(baseline.Directory)}}" }""");
        var catalogue = """{ "steps": [ { "id": "decision", "name": "Decision", "kind": "Record", "body": "cabinet", "replaces": true } ] }""";
        local.Write("catalogue.json", catalogue);
        local.Write("local.rules.json", """{ "WorkflowName": "local", "Rules": [ { "RuleName": "L", "Expression": "true" } ] }""");
        AssertAt(local, "DR0018", "catalogue.json", catalogue, "\"decision\"", "replaces a Approval step with a Record step");
    }

    /// <summary>One rule set with every rule-file problem that moved, so the three front ends can be compared at once.</summary>
    private static TempRuleSet BrokenInEveryMovedWay()
    {
        var catalogue = TempRuleSet.Catalogue
            .Replace("\"kind\": \"Executive\"", "\"kind\": \"Executiv\"")
            .Replace("\"body\": \"cabinet\",", "\"body\": \"cabinet\", \"role\": \"s151-officer\",")
            .Replace("\"days\": 28, \"counting\": \"ClearCalendarDays\"", "\"days\": 2.5, \"counting\": \"ClearCalendarDays\", \"cutOff\": \"5pm\"");
        var rules = """
            {
              "WorkflowName": "main",
              "Rules": [
                { "RuleName": "A", "Expression": "proposal.Urgent", "Operator": "and", "Rules": [ { "RuleName": "A1", "Expression": "true" } ] },
                { "RuleName": "B", "Expression": "proposal.Urgent", "Operator": "And", "Properties": { "steps": [ "decision" ], "source": "s" }, "Rules": [ { "RuleName": "B1", "Expression": "true", "Properties": { "requirement": "r" } } ] },
                { "RuleName": "", "Expression": "true" }
              ]
            }
            """;
        return TempRuleSet.With(catalogue: catalogue, rules: rules);
    }

    private static readonly string[] MovedRuleFileIds = { "DR0056", "DR0057", "DR0061", "DR0071", "DR0072", "DR0073", "DR0075", "DR0078" };

    [Fact]
    public async Task The_analyzer_reports_the_moved_ids_exactly_where_the_loader_does()
    {
        using var set = BrokenInEveryMovedWay();
        var expected = RuleSet.Validate(set.Directory).Diagnostics.Select(d => d.ToString()).OrderBy(s => s).ToList();
        Assert.All(MovedRuleFileIds, id => Assert.Contains(expected, e => e.Contains($" {id}: ")));
        Assert.DoesNotContain(expected, e => e.Contains(" DR0018: "));

        var compilation = CSharpCompilation.Create("Partner", new[] { CSharpSyntaxTree.ParseText("class C { }") }, AnalyzerHarness.References(withLibrary: false), new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        var options = new AnalyzerOptions(AnalyzerHarness.AdditionalFiles(Directory.GetFiles(set.Directory)));
        var actual = await compilation.WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(new RuleFileAnalyzer()), options).GetAnalyzerDiagnosticsAsync();
        var formatted = actual.Select(d =>
        {
            var span = d.Location.GetLineSpan();
            var severity = d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error ? "error" : "warning";
            return $"{span.Path}({span.StartLinePosition.Line + 1},{span.StartLinePosition.Character + 1}): {severity} {d.Id}: {d.GetMessage()}";
        }).OrderBy(s => s).ToList();
        Assert.Equal(expected, formatted);
    }

    [Fact]
    public void The_cli_validate_command_reports_the_moved_ids_exactly_where_the_loader_does()
    {
        using var set = BrokenInEveryMovedWay();
        var expected = RuleSet.Validate(set.Directory).Diagnostics.Select(d => d.ToString()).ToList();

        var (exit, output, error) = InProcessCli.Run("validate", set.Directory);

        Assert.Equal(1, exit);
        var printed = (output + error).Split('\n');
        Assert.All(expected, e => Assert.Contains(e, printed));
        Assert.All(MovedRuleFileIds, id => Assert.Contains(printed, l => l.Contains($" {id}: ")));
    }

    [Fact]
    public void Every_id_split_from_a_catch_all_is_listed_on_the_old_ids_page()
    {
        var moved = new Dictionary<string, string[]>
        {
            ["DR0018"] = new[] { "DR0056", "DR0057", "DR0061", "DR0071", "DR0072", "DR0073", "DR0074", "DR0075", "DR0076", "DR0077", "DR0078" },
            ["DR0026"] = new[] { "DR0074", "DR0079", "DR0080" },
        };
        foreach (var (old, ids) in moved)
        {
            var page = File.ReadAllText(Repository.PathOf($"docs/rules/{old}.md"));
            Assert.Contains("since 2026-11", page, System.StringComparison.OrdinalIgnoreCase);
            Assert.All(ids, id =>
            {
                Assert.Contains($"[{id}]({id}.md)", page);
                Assert.Contains(DiagnosticDescriptors.All, d => d.Id == id);
                Assert.Contains($"[{old}]({old}.md)", File.ReadAllText(Repository.PathOf($"docs/rules/{id}.md")));
            });
        }
    }
}
