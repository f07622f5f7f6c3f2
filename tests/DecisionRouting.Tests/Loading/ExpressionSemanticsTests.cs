using System;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using DecisionRouting.Proposals;
using DecisionRouting.Routing;
using DecisionRouting.RuleSets;
using DecisionRouting.Tests.Analyzers;
using DecisionRouting.Tests.Support;

namespace DecisionRouting.Tests.Loading;

/// <summary>
/// Issue 12 §3: expressions behave as RulesEngine users expect, and every error leads to the fix. Each mistake is
/// asserted at its position in the loader and, where the analyzer checks expressions, in the analyzer too.
/// </summary>
public sealed class ExpressionSemanticsTests
{
    private const string Manifest = """{ "name": "t", "parameters": { "threshold": 5 } }""";

    private static string Rules(string expression) =>
        $$"""{ "WorkflowName": "main", "GlobalParams": [ { "Name": "isBig", "Expression": "proposal.FinancialCommitment > 100" } ], "Rules": [ { "RuleName": "R", "Expression": "{{expression.Replace("\"", "\\\"")}}", "Properties": { "steps": [ "notice" ], "source": "s" } } ] }""";

    /// <summary>The loader's diagnostics as "column: id: message", for one-line rule files.</summary>
    private static string[] Loader(TempRuleSet set) =>
        RuleSet.Validate(set.Directory).Diagnostics.Select(d => $"{d.Location.Line},{d.Location.Column}: {d.Id}: {d.Message}").ToArray();

    private static (int Line, int Column) At(string expression, string marker, int occurrence = 1)
    {
        var text = Rules(expression);
        return Position.Of(text, marker.Replace("\"", "\\\""), occurrence);
    }

    private static async Task AssertAnalyzerAgrees(TempRuleSet set)
    {
        var loader = RuleSet.Validate(set.Directory).Diagnostics.Select(d => $"{d.Location.Path}({d.Location.Line},{d.Location.Column}): {d.Id}").OrderBy(s => s).ToArray();
        var analyzer = await ExpressionAnalyzerTests.Analyze(Directory.GetFiles(set.Directory));
        Assert.True(loader.SequenceEqual(analyzer), $"loader: {string.Join(", ", loader.Select(Path.GetFileName))}; analyzer: {string.Join(", ", analyzer.Select(Path.GetFileName))}");
    }

    private static Proposal Sample(decimal commitment, bool urgent) => new()
    {
        Id = "p",
        Title = "A title",
        DecisionMaker = DecisionMaker.Cabinet,
        IntendedDecisionDate = new NodaTime.LocalDate(2030, 1, 10),
        Kinds = new[] { ProposalKind.Mou },
        FinancialCommitment = commitment,
        Urgent = urgent,
        Schedule = new System.Collections.Generic.Dictionary<string, StepDates> { ["notice"] = new(new NodaTime.LocalDate(2029, 12, 1), new NodaTime.LocalDate(2029, 12, 20)) },
    };

    // Keywords in any case, as RulesEngine's own test files write them.
    [Theory]
    [InlineData("proposal.Urgent AND proposal.FinancialCommitment > 100", true, false)]
    [InlineData("proposal.Urgent And isBig", true, false)]
    [InlineData("proposal.Urgent OR proposal.FinancialCommitment > 100", true, true)]
    [InlineData("NOT proposal.Urgent", false, true)]
    [InlineData("proposal.Urgent == TRUE && proposal.Title != NULL", true, false)]
    [InlineData("proposal.Urgent == True and proposal.FinancialCommitment GT 100", true, false)]
    public async Task Keywords_are_read_in_any_case_on_both_paths_and_by_the_analyzer(string expression, bool urgentBig, bool calmBig)
    {
        using var set = TempRuleSet.With(rules: Rules(expression), manifest: Manifest);
        Assert.Empty(Loader(set));
        await AssertAnalyzerAgrees(set);
        var ruleSet = RuleSet.Load(set.Directory);
        foreach (var evaluation in new[] { RoutingEvaluation.Compiled, RoutingEvaluation.RulesEngine })
        {
            var router = new Router(ruleSet, new RoutingOptions { Evaluation = evaluation });
            Assert.Equal(urgentBig, router.Route(Sample(500, urgent: true)).MatchedRules.Count == 1);
            Assert.Equal(calmBig, router.Route(Sample(500, urgent: false)).MatchedRules.Count == 1);
            Assert.DoesNotContain(router.Route(Sample(500, urgent: false)).Warnings, w => w.Kind == PlanWarningKind.RuleNotEvaluated);
        }
    }

    [Fact]
    public async Task A_member_name_in_the_wrong_case_is_unknown_with_did_you_mean()
    {
        var expression = "proposal.urgent AND isBig";
        using var set = TempRuleSet.With(rules: Rules(expression), manifest: Manifest);
        var (line, column) = At(expression, "urgent");
        Assert.Equal($"{line},{column}: DR0010: No property or field 'urgent' exists in type 'Proposal'; did you mean 'Urgent'?", Assert.Single(Loader(set)));
        await AssertAnalyzerAgrees(set);
    }

    [Theory]
    [InlineData("0", true)]
    [InlineData("\"LambdaExpression\"", true)]
    [InlineData("1", false)]
    [InlineData("\"Lambda\"", false)]
    public void RuleExpressionType_is_accepted_by_name_or_number_as_RulesEngine_binds_it(string value, bool valid)
    {
        var rules = $$"""{ "WorkflowName": "main", "Rules": [ { "RuleName": "R", "RuleExpressionType": {{value}}, "Expression": "proposal.Urgent" } ] }""";
        using var set = TempRuleSet.With(rules: rules);
        var diagnostics = Loader(set);
        if (valid)
        {
            Assert.Empty(diagnostics);
            return;
        }

        var (line, column) = Position.Of(rules, value);
        Assert.StartsWith($"{line},{column}: DR0056: ", Assert.Single(diagnostics));
    }

    // Every unknown member at once, each at its own position.
    [Theory]
    [InlineData("proposal.Urgnt && proposal.FinancialComitment > 100", "Urgnt", "FinancialComitment")]
    [InlineData("proposal.Urgnt || parameters.treshold > 1", "Urgnt", "treshold")]
    [InlineData("isBigg && proposal.Has(ProposalKind.Mouu)", "isBigg", "Mouu")]
    [InlineData("proposal.Partners.Count() > 1 && proposal.Titel == \"x\" && proposal.Urgnt", "Titel", "Urgnt")]
    public async Task Every_unknown_member_is_reported_at_once_at_its_own_position(string expression, string first, string second)
    {
        using var set = TempRuleSet.With(rules: Rules(expression), manifest: Manifest);
        var diagnostics = Loader(set);
        Assert.Equal(2, diagnostics.Length);
        var a = At(expression, first);
        var b = At(expression, second);
        Assert.StartsWith($"{a.Line},{a.Column}: DR0010: ", diagnostics[0]);
        Assert.StartsWith($"{b.Line},{b.Column}: DR0010: ", diagnostics[1]);
        Assert.All(diagnostics, d => Assert.Contains("did you mean", d));
        await AssertAnalyzerAgrees(set);
    }

    // A misspelt member followed by .X or .M( is that member, not "Type 'X' not found" at the end of the chain.
    [Theory]
    [InlineData("proposal.IntendedDecisonDate.Year > 2020", "IntendedDecisonDate", "did you mean 'IntendedDecisionDate'?")]
    [InlineData("proposal.Atributes.Number(\"x\") > 1", "Atributes", "did you mean 'Attributes'?")]
    [InlineData("proposal.Titel.StartsWith(\"A\")", "Titel", "did you mean 'Title'?")]
    [InlineData("isBg.Equals(true)", "isBg", "did you mean 'isBig'?")]
    public async Task A_misspelt_member_in_a_chain_is_reported_as_itself(string expression, string member, string suggestion)
    {
        using var set = TempRuleSet.With(rules: Rules(expression), manifest: Manifest);
        var (line, column) = At(expression, member);
        var diagnostic = Assert.Single(Loader(set));
        Assert.StartsWith($"{line},{column}: DR0010: ", diagnostic);
        Assert.EndsWith(suggestion, diagnostic);
        Assert.DoesNotContain("not found", diagnostic);
        await AssertAnalyzerAgrees(set);
    }

    // An unknown method at the method, by name.
    [Theory]
    [InlineData("proposal.Attributes.Numbr(\"x\") > 1", "Numbr", "No method 'Numbr' exists in type 'ProposalAttributes'; did you mean 'Number'?")]
    [InlineData("proposal.Title.StartWith(\"A\")", "StartWith", "No method 'StartWith' exists in type 'String'; did you mean 'StartsWith'?")]
    [InlineData("proposal.Urgent && proposal.Hass(ProposalKind.Mou)", "Hass", "No method 'Hass' exists in type 'Proposal'; did you mean 'Has'?")]
    public async Task An_unknown_method_is_reported_at_the_method_by_name(string expression, string method, string message)
    {
        using var set = TempRuleSet.With(rules: Rules(expression), manifest: Manifest);
        var (line, column) = At(expression, method);
        Assert.Equal($"{line},{column}: DR0010: {message}", Assert.Single(Loader(set)));
        await AssertAnalyzerAgrees(set);
    }

    // The allow-list first: the real problem, not the type error it causes.
    [Theory]
    [InlineData("input1.GetType().Assembly.Location > 5", "GetType")]
    [InlineData("proposal.Title.PadLeft(100000000) > 5", "PadLeft")]
    [InlineData("proposal.Title.GetHashCode() == \"x\"", "GetHashCode")]
    public async Task An_allow_list_violation_is_reported_before_a_type_error_on_the_same_node(string expression, string name)
    {
        using var set = TempRuleSet.With(rules: Rules(expression), manifest: Manifest);
        var (line, column) = At(expression, name);
        Assert.StartsWith($"{line},{column}: DR0029: ", Assert.Single(Loader(set)));
        await AssertAnalyzerAgrees(set);
    }

    // What the README says expressions can read is readable.
    [Theory]
    [InlineData("proposal.Schedule[\"notice\"].End.HasValue && proposal.Schedule[\"notice\"].End.Value > LocalDate(2029, 12, 10)", true)]
    [InlineData("proposal.Schedule[\"notice\"].Start.Value < LocalDate(2029, 12, 10)", true)]
    [InlineData("proposal.Schedule.ContainsKey(\"notice\")", true)]
    [InlineData("proposal.Schedule.Keys.Contains(\"notice\")", true)]
    [InlineData("proposal.Schedule.ContainsKey(\"call-in\")", false)]
    public void Schedule_entries_are_readable_as_the_README_says(string expression, bool matches)
    {
        using var set = TempRuleSet.With(rules: Rules(expression), manifest: Manifest);
        Assert.Empty(Loader(set));
        var ruleSet = RuleSet.Load(set.Directory);
        foreach (var evaluation in new[] { RoutingEvaluation.Compiled, RoutingEvaluation.RulesEngine })
        {
            var plan = new Router(ruleSet, new RoutingOptions { Evaluation = evaluation }).Route(Sample(5, urgent: false));
            Assert.Equal(matches, plan.MatchedRules.Count == 1);
        }
    }

    [Fact]
    public async Task The_analyzer_accepts_Schedule_ContainsKey()
    {
        using var set = TempRuleSet.With(rules: Rules("proposal.Schedule.ContainsKey(\"notice\")"), manifest: Manifest);
        Assert.Empty(await ExpressionAnalyzerTests.Analyze(Directory.GetFiles(set.Directory)));
    }

    // DR0027 suggests by what the file holds: a rule file is never told to become ruleset.json.
    [Theory]
    [InlineData("rules.json", """{ "WorkflowName": "w", "Rules": [] }""", "rename it 'rules.rules.json'")]
    [InlineData("rulesets.json", """[ { "WorkflowName": "w", "Rules": [] } ]""", "rename it 'rulesets.rules.json'")]
    [InlineData("catalogues.json", """{ "WorkflowName": "w", "Rules": [] }""", "rename it 'catalogues.rules.json'")]
    [InlineData("main.rule.json", """{ "WorkflowName": "w", "Rules": [] }""", "rename it 'main.rules.json'")]
    [InlineData("rule-set.json", """{ "name": "x", "extends": "../england" }""", "did you mean 'ruleset.json'?")]
    [InlineData("steps.json", """{ "steps": [] }""", "did you mean 'catalogue.json'?")]
    public void DR0027_suggests_the_name_for_what_the_file_holds(string file, string content, string hint)
    {
        using var set = TempRuleSet.With();
        set.Write(file, content);
        var diagnostic = Assert.Single(RuleSet.Validate(set.Directory).Diagnostics, d => d.Id == "DR0027");
        Assert.Contains(hint, diagnostic.Message);
        if (!file.StartsWith("rule-set", StringComparison.Ordinal))
        {
            Assert.DoesNotContain("'ruleset.json'?", diagnostic.Message);
        }
    }

    /// <summary>The README's examples of what expressions can read: every line must load, in the loader and the analyzer.</summary>
    [Fact]
    public async Task Every_example_in_the_READMEs_list_of_what_expressions_see_loads()
    {
        var readme = File.ReadAllText(Repository.PathOf("README.md"));
        var block = System.Text.RegularExpressions.Regex.Match(readme, "```expressions\n(.*?)```", System.Text.RegularExpressions.RegexOptions.Singleline);
        Assert.True(block.Success, "README.md has no ```expressions block");
        var examples = block.Groups[1].Value.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(examples.Length >= 5);
        // The attributes the examples read, declared with the types they are read as, as a rule set must (DR0032).
        const string manifest = """
            { "name": "t", "parameters": { "keyDecisionThreshold": 500000 },
              "attributes": {
                "localSpendCap": { "type": "number", "description": "Local spending cap, in pounds.", "source": "README example" },
                "localBand": { "type": "text", "description": "Local band.", "source": "README example" },
                "preApproved": { "type": "flag", "description": "Approved in advance.", "source": "README example" },
                "x": { "type": "flag", "description": "Any attribute.", "source": "README example" }
              } }
            """;
        foreach (var example in examples)
        {
            var rules = $$"""{ "WorkflowName": "main", "Rules": [ { "RuleName": "R", "Expression": "{{example.Replace("\"", "\\\"")}}" } ] }""";
            using var set = TempRuleSet.With(rules: rules, manifest: manifest);
            Assert.True(Loader(set).Length == 0, $"{example}: {string.Join("; ", Loader(set))}");
            Assert.True((await ExpressionAnalyzerTests.Analyze(Directory.GetFiles(set.Directory))).Length == 0, $"analyzer: {example}");
        }
    }

    /// <summary>The Security section names exactly the list operations and Math functions the allow-list allows.</summary>
    [Fact]
    public void The_READMEs_list_of_operations_is_the_allow_list()
    {
        var readme = File.ReadAllText(Repository.PathOf("README.md"));
        var lists = System.Text.RegularExpressions.Regex.Match(readme, @"^  - (`Any`.*)$", System.Text.RegularExpressions.RegexOptions.Multiline);
        Assert.True(lists.Success);
        var named = System.Text.RegularExpressions.Regex.Matches(lists.Groups[1].Value, "`(\\w+)`").Select(m => m.Groups[1].Value).ToHashSet();
        Assert.Equal(Expressions.AllowedMembers.ListOperations.OrderBy(n => n), named.OrderBy(n => n));

        var math = System.Text.RegularExpressions.Regex.Match(readme, @"`Math\.([\w/]+)`");
        Assert.True(math.Success);
        Assert.Equal(Expressions.AllowedMembers.MathFunctions.OrderBy(n => n), math.Groups[1].Value.Split('/').OrderBy(n => n));
    }
}
