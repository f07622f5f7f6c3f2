using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using DecisionRouting.Analyzers;
using DecisionRouting.Calendar;
using DecisionRouting.Cli;
using DecisionRouting.Diagnostics;
using DecisionRouting.Tests.Analyzers;
using DecisionRouting.Tests.Incomplete;
using DecisionRouting.Tests.Support;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using RuleSet = DecisionRouting.RuleSets.RuleSet;

namespace DecisionRouting.Tests.Loading;

/// <summary>
/// The second split of catch-all IDs (2026-11): the frequent cases of DR0019, DR0020, DR0028, DR0036 and DR0037 have
/// IDs of their own (DR0082–DR0089), each at its exact file, line and column, in the loader, the CLI and the analyzer
/// alike; the cases that stayed keep their old IDs; and a partner can set a severity for one new ID without touching
/// the old one. Also: the injection-scope check behind DR0089 is linear and iterative down a deep chain.
/// </summary>
public sealed class CatchAllSplitTests
{
    private static RuleDiagnostic Single(TempRuleSet set, string id) => set.SingleDiagnostic(id);

    private static RuleDiagnostic AssertAt(TempRuleSet set, string id, string file, string text, string marker, string message, int occurrence = 1)
    {
        var diagnostic = Single(set, id);
        var (line, column) = Position.Of(text, marker, occurrence);
        Assert.Equal($"{set.PathOf(file)}({line},{column}): error {id}: {message}", diagnostic.ToString());
        return diagnostic;
    }

    [Fact]
    public void DR0082_an_extends_naming_a_missing_folder_points_at_the_value()
    {
        var manifest = """{ "name": "t", "extends": "../englnd" }""";
        using var set = TempRuleSet.With(manifest: manifest);
        var diagnostic = Single(set, "DR0082");
        var (line, column) = Position.Of(manifest, "\"../englnd\"");
        Assert.Equal($"{set.PathOf("ruleset.json")}({line},{column})", diagnostic.Location.ToString());
        Assert.StartsWith("Rule set extends '../englnd', which does not exist: looked for the folder '", diagnostic.Message);
        Assert.DoesNotContain(RuleSet.Validate(set.Directory).Diagnostics, d => d.Id == "DR0019");
    }

    [Fact]
    public void DR0019_stays_for_a_rule_set_folder_that_does_not_exist_and_for_an_empty_extends()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"dr-no-rules-{Guid.NewGuid():N}");
        var diagnostic = Assert.Single(RuleSet.Validate(missing).Diagnostics);
        Assert.Equal("DR0019", diagnostic.Id);
        Assert.Equal($"Rule-set folder '{missing.Replace('\\', '/')}' does not exist", diagnostic.Message.Replace('\\', '/'));

        var manifest = """{ "name": "t", "extends": " " }""";
        using var set = TempRuleSet.With(manifest: manifest);
        Assert.Contains("\"extends\" is empty", Single(set, "DR0019").Message);
        Assert.DoesNotContain(RuleSet.Validate(set.Directory).Diagnostics, d => d.Id == "DR0082");
    }

    [Fact]
    public void DR0083_a_workflow_with_no_rules_points_at_its_name()
    {
        var rules = """{ "WorkflowName": "main", "Rules": [ ] }""";
        using var set = TempRuleSet.With(rules: rules);
        AssertAt(set, "DR0083", "main.rules.json", rules, "\"main\"", "Workflow 'main' has no rules and injects no workflows");
        Assert.DoesNotContain(RuleSet.Validate(set.Directory).Diagnostics, d => d.Id == "DR0020");
    }

    [Theory]
    [InlineData("\"Rules\": [ { \"RuleName\": \"A1\", \"Expression\": \"true\" } ]")]
    [InlineData("\"WorkflowsToInject\": [ \"other\" ]")]
    public void DR0084_child_rules_without_an_operator_point_at_the_rule_name(string children)
    {
        var rules = $$"""
            [ { "WorkflowName": "main", "Rules": [ { "RuleName": "Either", {{children}} } ] },
              { "WorkflowName": "other", "Rules": [ { "RuleName": "O", "Expression": "true" } ] } ]
            """;
        using var set = TempRuleSet.With(rules: rules);
        AssertAt(set, "DR0084", "main.rules.json", rules, "\"Either\"", "Rule 'Either' has child rules but no Operator to combine them (And, AndAlso, Or or OrElse)");
        Assert.DoesNotContain(RuleSet.Validate(set.Directory).Diagnostics, d => d.Id == "DR0020");
    }

    [Theory]
    [InlineData("""{ "RuleName": "Empty" }""", "")]
    [InlineData("""{ "RuleName": "Empty", "Operator": "Or" }""", "; its Operator 'Or' has nothing to combine")]
    public void DR0020_stays_for_a_rule_with_neither_an_expression_nor_children(string rule, string note)
    {
        var rules = $$"""{ "WorkflowName": "main", "Rules": [ {{rule}} ] }""";
        using var set = TempRuleSet.With(rules: rules);
        AssertAt(set, "DR0020", "main.rules.json", rules, "\"Empty\"", $"Rule 'Empty' has no Expression and no child rules (Rules or WorkflowsToInject), so it can never match{note}");
    }

    [Fact]
    public void DR0085_a_bank_holiday_file_that_is_not_there_is_reported_against_its_path()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"dr-no-holidays-{Guid.NewGuid():N}.json");
        var error = Assert.Throws<InvalidBankHolidaysException>(() => BankHolidays.Load(missing));
        var diagnostic = Assert.Single(error.Diagnostics);
        Assert.Equal($"{missing}: error DR0085: Bank-holiday file '{missing}' does not exist", diagnostic.ToString());

        // The sibling: a folder where the file should be said it "does not exist", which misled.
        var folder = Directory.CreateTempSubdirectory("dr-holidays-").FullName;
        try
        {
            var folderError = Assert.Single(Assert.Throws<InvalidBankHolidaysException>(() => BankHolidays.Load(folder)).Diagnostics);
            Assert.Equal(("DR0085", $"Bank-holiday file '{folder}' is a folder, not a file"), (folderError.Id, folderError.Message));
        }
        finally
        {
            Directory.Delete(folder);
        }
    }

    [Fact]
    public void DR0085_the_cli_reports_a_missing_holidays_file_with_exit_2()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"dr-no-holidays-{Guid.NewGuid():N}.json");
        var (exit, output, error) = InProcessCli.Run("route", Repository.PathOf("samples/proposals/durham-2019-integrated-strategic-commissioning.json"), "--rules", Repository.PathOf("rules/england"), "--holidays", missing);
        Assert.Equal(ExitCodes.BadInput, exit);
        Assert.Contains($"{missing}: error DR0085: Bank-holiday file '{missing}' does not exist", error);
        Assert.Equal(string.Empty, output);
    }

    [Fact]
    public void DR0028_stays_for_a_division_with_no_events_at_the_division()
    {
        var json = """{ "england-and-wales": { "division": "england-and-wales", "events": [ ] } }""";
        var diagnostic = Assert.Single(Assert.Throws<InvalidBankHolidaysException>(() => BankHolidays.Parse("h.json", json)).Diagnostics);
        var (line, column) = Position.Of(json, "{ \"division\"");
        Assert.Equal($"h.json({line},{column}): error DR0028: The england-and-wales division lists no events", diagnostic.ToString());
    }

    [Fact]
    public void DR0086_a_required_attribute_left_out_of_a_proposal_file_is_at_its_attributes_with_exit_2()
    {
        var manifest = UndecidedRuleTests.Manifest.Replace("\"type\": \"text\",", "\"type\": \"text\", \"required\": true,");
        using var set = TempRuleSet.With(rules: UndecidedRuleTests.OneRule("proposal.Attributes.Text(\"localBand\") == \"B\""), manifest: manifest);
        var proposal = """
            {
              "id": "p", "title": "Pooled budget", "decisionMaker": "Cabinet", "intendedDecisionDate": "2024-06-03",
              "kinds": [ "PooledBudget" ], "financialCommitment": 1000,
              "attributes": { "localSpendCap": 1 }
            }
            """;
        var folder = Directory.CreateTempSubdirectory("dr-required-").FullName;
        var file = Path.Combine(folder, "p.json");
        File.WriteAllText(file, proposal);

        var (exit, output, error) = InProcessCli.Run("route", file, "--rules", set.Directory, "--today", "2024-01-02");
        Directory.Delete(folder, recursive: true);

        Assert.Equal(ExitCodes.BadInput, exit);
        var (line, column) = Position.Of(proposal, "\"attributes\"");
        Assert.StartsWith($"{file}({line},{column}): error DR0086: The proposal must give attribute 'localBand' (text): rule set 'local' requires it (Local band; declared in 'local')", error);
        Assert.DoesNotContain("DR0036", error);
        Assert.Equal(string.Empty, output);
    }

    [Fact]
    public void DR0037_stays_for_a_parameter_named_as_a_rule_set_parameter_with_a_real_message()
    {
        var rules = """{ "WorkflowName": "main", "GlobalParams": [ { "Name": "Threshold", "Expression": "true" } ], "Rules": [ { "RuleName": "R", "Expression": "Threshold" } ] }""";
        var manifest = """{ "name": "t", "parameters": { "threshold": 5 } }""";
        using var set = TempRuleSet.With(rules: rules, manifest: manifest);
        var (line, column) = Position.Of(manifest, "\"threshold\"");
        AssertAt(set, "DR0037", "main.rules.json", rules, "\"Threshold\"",
            $"GlobalParam 'Threshold' has the name of the rule-set parameter 'Threshold' ({set.PathOf("ruleset.json")}({line},{column})), which expressions read as 'parameters.Threshold' (names that differ only in case are one name: RulesEngine reads identifiers in any case); a reader cannot tell which one 'Threshold' means. Rename it");
    }

    /// <summary>One rule set with every rule-file problem that moved (but DR0082, which stops the checks that need the base).</summary>
    private const string EveryMovedRuleFileProblem = """
        [
          { "WorkflowName": "main", "GlobalParams": [ { "Name": "g", "Expression": "true" }, { "Name": "G", "Expression": "true" }, { "Name": "Math", "Expression": "true" } ],
            "Rules": [
              { "RuleName": "Either", "Rules": [ { "RuleName": "A1", "Expression": "true" } ] },
              { "RuleName": "Hides", "LocalParams": [ { "Name": "g", "Expression": "false" } ], "Expression": "g" } ] },
          { "WorkflowName": "idle", "Rules": [ ] }
        ]
        """;

    private static readonly string[] MovedRuleFileIds = { "DR0083", "DR0084", "DR0087", "DR0088", "DR0089" };

    private static async Task<List<string>> Analyze(TempRuleSet set, IDictionary<string, ReportDiagnostic>? severities = null)
    {
        var options = new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary);
        if (severities is not null)
        {
            // What a partner's .globalconfig line "dotnet_diagnostic.DRxxxx.severity = warning" becomes in the compiler.
            options = options.WithSpecificDiagnosticOptions(severities);
        }

        var compilation = CSharpCompilation.Create("Partner", new[] { CSharpSyntaxTree.ParseText("class C { }") }, AnalyzerHarness.References(withLibrary: false), options);
        var files = new AnalyzerOptions(AnalyzerHarness.AdditionalFiles(Directory.GetFiles(set.Directory)));
        var actual = await compilation.WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(new RuleFileAnalyzer()), files).GetAnalyzerDiagnosticsAsync();
        return actual.Select(d =>
        {
            var span = d.Location.GetLineSpan();
            var severity = d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error ? "error" : "warning";
            return $"{span.Path}({span.StartLinePosition.Line + 1},{span.StartLinePosition.Character + 1}): {severity} {d.Id}: {d.GetMessage()}";
        }).OrderBy(s => s, StringComparer.Ordinal).ToList();
    }

    [Fact]
    public async Task The_analyzer_and_the_cli_report_the_moved_ids_exactly_where_the_loader_does()
    {
        using var set = TempRuleSet.With(rules: EveryMovedRuleFileProblem);
        var expected = RuleSet.Validate(set.Directory).Diagnostics.Select(d => d.ToString()).OrderBy(s => s, StringComparer.Ordinal).ToList();
        Assert.All(MovedRuleFileIds, id => Assert.Single(expected, e => e.Contains($" {id}: ", StringComparison.Ordinal)));
        Assert.DoesNotContain(expected, e => e.Contains(" DR0020: ", StringComparison.Ordinal) || e.Contains(" DR0037: ", StringComparison.Ordinal));

        // Each at its token: the workflow's name, the rule's name, the second 'g', 'Math', the LocalParam 'g'.
        string At(string id, string marker, int occurrence = 1)
        {
            var (line, column) = Position.Of(EveryMovedRuleFileProblem, marker, occurrence);
            return $"{set.PathOf("main.rules.json")}({line},{column}): error {id}: ";
        }

        Assert.Contains(expected, e => e.StartsWith(At("DR0083", "\"idle\""), StringComparison.Ordinal));
        Assert.Contains(expected, e => e.StartsWith(At("DR0084", "\"Either\""), StringComparison.Ordinal));
        Assert.Contains(expected, e => e.StartsWith(At("DR0087", "\"G\""), StringComparison.Ordinal));
        Assert.Contains(expected, e => e.StartsWith(At("DR0088", "\"Math\""), StringComparison.Ordinal));
        Assert.Contains(expected, e => e.StartsWith(At("DR0089", "\"g\"", occurrence: 2), StringComparison.Ordinal));

        Assert.Equal(expected, await Analyze(set));

        var (exit, output, error) = InProcessCli.Run("validate", set.Directory);
        Assert.Equal(1, exit);
        var printed = (output + error).Split('\n');
        Assert.All(expected, e => Assert.Contains(e, printed));
    }

    [Fact]
    public async Task A_partner_can_lower_one_new_id_without_lowering_the_old_one()
    {
        // The point of the split: "Either" (child rules, no Operator) may be tolerated while a rule with no condition
        // at all stays an error. Before the split both were DR0020, and one setting moved both.
        var rules = """
            { "WorkflowName": "main", "Rules": [
              { "RuleName": "Either", "Rules": [ { "RuleName": "A1", "Expression": "true" } ] },
              { "RuleName": "Empty" } ] }
            """;
        using var set = TempRuleSet.With(rules: rules);
        var (eitherLine, eitherColumn) = Position.Of(rules, "\"Either\"");
        var (emptyLine, emptyColumn) = Position.Of(rules, "\"Empty\"");

        var lowered = await Analyze(set, new Dictionary<string, ReportDiagnostic> { ["DR0084"] = ReportDiagnostic.Warn });
        Assert.Contains(lowered, d => d.StartsWith($"{set.PathOf("main.rules.json")}({eitherLine},{eitherColumn}): warning DR0084: ", StringComparison.Ordinal));
        Assert.Contains(lowered, d => d.StartsWith($"{set.PathOf("main.rules.json")}({emptyLine},{emptyColumn}): error DR0020: ", StringComparison.Ordinal));

        var silenced = await Analyze(set, new Dictionary<string, ReportDiagnostic> { ["DR0020"] = ReportDiagnostic.Suppress });
        Assert.DoesNotContain(silenced, d => d.Contains(" DR0020: ", StringComparison.Ordinal));
        Assert.Contains(silenced, d => d.Contains(": error DR0084: ", StringComparison.Ordinal));
    }

    [Fact]
    public void Every_id_split_from_these_catch_alls_is_listed_on_the_old_ids_page()
    {
        var moved = new Dictionary<string, string[]>
        {
            ["DR0019"] = new[] { "DR0082" },
            ["DR0020"] = new[] { "DR0083", "DR0084" },
            ["DR0028"] = new[] { "DR0085" },
            ["DR0036"] = new[] { "DR0086" },
            ["DR0037"] = new[] { "DR0087", "DR0088", "DR0089" },
        };
        foreach (var (old, ids) in moved)
        {
            var page = File.ReadAllText(Repository.PathOf($"docs/rules/{old}.md"));
            Assert.Contains("since 2026-11", page, StringComparison.OrdinalIgnoreCase);
            Assert.All(ids, id =>
            {
                Assert.Contains($"[{id}]({id}.md)", page);
                Assert.Contains(DiagnosticDescriptors.All, d => d.Id == id);
                Assert.Contains($"[{old}]({old}.md)", File.ReadAllText(Repository.PathOf($"docs/rules/{id}.md")));
            });
        }
    }

    [Fact]
    public void Split_ids_have_a_real_message_format_not_a_bare_placeholder()
    {
        // A bare "{0}" leaves every call site to word the message its own way; these take their facts as arguments.
        var ids = new[] { "DR0020", "DR0028", "DR0036", "DR0037", "DR0082", "DR0083", "DR0084", "DR0085", "DR0086", "DR0087", "DR0088", "DR0089" };
        Assert.All(ids, id => Assert.NotEqual("{0}", DiagnosticDescriptors.All.Single(d => d.Id == id).MessageFormat));
    }

    /// <summary>
    /// A chain of 10,000 injections, each injecting rule with a LocalParam of its own and a child rule, and at the
    /// bottom a LocalParam named (in another case) as the one at the top. The names visible down the chain used to be
    /// copied per level (n²/2 additions: 50 million here) and gathered by recursion one frame per level; now they
    /// share structure and are gathered with an explicit stack. Run on a thread with a 1 MB stack, as small as an
    /// analyzer host may give, so recursion per level would overflow it.
    /// </summary>
    [Fact]
    public void A_deep_injection_chain_with_a_LocalParam_per_level_validates_with_the_one_collision()
    {
        const int depth = 10_000;
        var rules = new StringBuilder("[\n");
        for (var i = 0; i < depth - 1; i++)
        {
            rules.Append("{\"WorkflowName\":\"w").Append(i).Append("\",\"Rules\":[{\"RuleName\":\"r\",\"Operator\":\"And\",\"LocalParams\":[{\"Name\":\"p").Append(i)
                .Append("\",\"Expression\":\"true\"}],\"WorkflowsToInject\":[\"w").Append(i + 1).Append("\"],\"Rules\":[{\"RuleName\":\"c\",\"Expression\":\"true\"}]}]},\n");
        }

        rules.Append("{\"WorkflowName\":\"w").Append(depth - 1).Append("\",\"Rules\":[{\"RuleName\":\"r\",\"LocalParams\":[{\"Name\":\"P0\",\"Expression\":\"true\"}],\"Expression\":\"P0\"}]}\n]");
        var text = rules.ToString();
        using var set = TempRuleSet.With(rules: text);

        IReadOnlyList<RuleDiagnostic>? diagnostics = null;
        Exception? failure = null;
        var thread = new Thread(
            () =>
            {
                try
                {
                    diagnostics = RuleSet.Validate(set.Directory).Diagnostics;
                }
                catch (Exception e)
                {
                    failure = e;
                }
            },
            maxStackSize: 1024 * 1024);
        thread.Start();
        Assert.True(thread.Join(TimeSpan.FromMinutes(3)), "validating the chain did not finish within the hang guard");
        Assert.Null(failure);

        var collisions = diagnostics!.Where(d => d.Id is "DR0037" or "DR0087" or "DR0088" or "DR0089").ToList();
        var collision = Assert.Single(collisions);
        var (line, column) = Position.Of(text, "\"P0\"");
        var (topLine, topColumn) = Position.Of(text, "\"p0\"");
        Assert.Equal(
            $"{set.PathOf("main.rules.json")}({line},{column}): error DR0089: LocalParam 'P0' has the name of a LocalParam of an enclosing rule, or of a rule that injects this one's workflow ({set.PathOf("main.rules.json")}({topLine},{topColumn})), which this rule also sees (names that differ only in case are one name: RulesEngine reads identifiers in any case); rename one of them",
            collision.ToString());

        // The chain is refused for its size as well, which is why it needs no expression checks to be slow.
        Assert.Contains(diagnostics!, d => d.Id == "DR0060");
    }
}
