using System.Collections.Generic;
using System.IO;
using System.Linq;
using DecisionRouting.Analysis;
using DecisionRouting.Diagnostics;
using DecisionRouting.RuleSets;
using DecisionRouting.Tests.Support;

namespace DecisionRouting.Tests.Analysis;

/// <summary>
/// Rule-set analysis on planted rule sets: each finding (DR0095–DR0101) at its exact position, the three-valued
/// semantics of missing values, and the shipped rule sets' findings, each of which docs/analysis.md explains.
/// </summary>
public sealed class RuleSetAnalysisTests
{
    private static RuleSetAnalysisReport Analyse(TempRuleSet set, string? properties = null) =>
        RuleSetAnalysis.Analyse(RuleSet.Validate(set.Directory), new RuleSetAnalysisOptions { PropertiesFile = properties });

    private static List<RuleDiagnostic> Of(RuleSetAnalysisReport report, string id) => report.Findings.Where(f => f.Id == id).ToList();

    private static void AssertAt(RuleDiagnostic finding, string path, string marker, int occurrence = 1)
    {
        var (line, column) = Position.Of(File.ReadAllText(path), marker, occurrence);
        Assert.Equal(Path.GetFullPath(path), Path.GetFullPath(finding.Location.Path));
        Assert.Equal((line, column), (finding.Location.Line, finding.Location.Column));
    }

    private static string Rules(params string[] rules) =>
        "{ \"WorkflowName\": \"main\", \"Rules\": [\n" + string.Join(",\n", rules) + "\n] }";

    private static string Rule(string name, string expression, string steps = "\"record\"", string extra = "") =>
        $$"""{ "RuleName": "{{name}}", "Expression": "{{expression.Replace("\"", "\\\"")}}", "Properties": { "steps": [ {{steps}} ], "source": "s", "reason": "r"{{extra}} } }""";

    [Fact]
    public void DR0097_a_rule_no_proposal_can_satisfy_is_dead_at_its_name()
    {
        using var set = PlantedRuleSets.Create();
        var dead = Assert.Single(Of(Analyse(set), "DR0097"));
        AssertAt(dead, set.PathOf("main.rules.json"), "\"Impossible\"");
        Assert.StartsWith("Rule 'Impossible' can never match", dead.Message);
    }

    [Fact]
    public void DR0098_a_rule_another_always_covers_is_shadowed_and_names_it()
    {
        using var set = PlantedRuleSets.Create();
        var shadowed = Assert.Single(Of(Analyse(set), "DR0098"));
        AssertAt(shadowed, set.PathOf("main.rules.json"), "\"RecordLarge\"");
        Assert.Contains("'Record' (main.rules.json(", shadowed.Message);
    }

    [Fact]
    public void DR0096_a_decision_maker_no_rule_gives_an_approval_step_is_a_gap_at_the_rule_set()
    {
        using var set = PlantedRuleSets.Create();
        var gap = Assert.Single(Of(Analyse(set), "DR0096"));
        Assert.Contains("whose decision-maker is Officer", gap.Message);
        Assert.Equal((Path.GetFullPath(set.PathOf("ruleset.json")), 1, 1), (Path.GetFullPath(gap.Location.Path), gap.Location.Line, gap.Location.Column));
    }

    [Fact]
    public void DR0095_a_notice_ordered_after_the_call_in_window_is_a_conflict_with_a_proposal_that_needs_both()
    {
        using var set = PlantedRuleSets.Create();
        var report = Analyse(set);
        var conflict = Assert.Single(Of(report, "DR0095"));
        AssertAt(conflict, set.PathOf("catalogue.json"), "\"notice\"");
        Assert.Contains("ordered after 'call-in'", conflict.Message);
        var example = Assert.Single(report.Counterexamples, c => c.Finding == conflict);
        var plan = Route(set, example.ProposalJson);
        Assert.Contains("notice", plan);
        Assert.Contains("call-in", plan);
    }

    [Fact]
    public void DR0100_a_step_no_rule_requires_is_unreachable_at_its_id()
    {
        using var set = PlantedRuleSets.Create();
        var unreachable = Assert.Single(Of(Analyse(set), "DR0100"));
        AssertAt(unreachable, set.PathOf("catalogue.json"), "\"orphan\"");
        Assert.Contains("no rule requires it", unreachable.Message);
    }

    [Fact]
    public void DR0099_a_failed_property_gives_a_proposal_whose_plan_really_breaks_it()
    {
        using var set = PlantedRuleSets.Create();
        var properties = set.PathOf("properties/planted.properties.json");
        var report = Analyse(set, properties);
        Assert.Equal(2, report.Properties);
        var failed = Assert.Single(Of(report, "DR0099"));
        AssertAt(failed, properties, "\"big-spend-is-noticed\"");
        var example = Assert.Single(report.Counterexamples, c => c.Finding == failed);

        // Routing the counterexample breaks the property: a commitment of £100,000 or more, and no notice.
        var read = DecisionRouting.Proposals.ProposalReader.Read("counterexample.json", example.ProposalJson);
        Assert.True(read.Proposal is not null, string.Join("\n", read.Diagnostics) + "\n" + example.ProposalJson);
        Assert.True(read.Proposal!.FinancialCommitment >= 100000);
        Assert.DoesNotContain("notice", Route(set, example.ProposalJson));
    }

    [Fact]
    public void A_property_naming_an_unknown_step_is_DR0012_at_the_step_inside_the_formula()
    {
        using var set = PlantedRuleSets.Create();
        var properties = set.Write("bad.properties.json", """{ "properties": [ { "name": "p", "holds": "requires(\"notise\")" } ] }""");
        var unknown = Assert.Single(Of(Analyse(set, properties), "DR0012"));
        AssertAt(unknown, properties, "\\\"notise");
        Assert.Contains("notice", unknown.Message);
    }

    [Fact]
    public void DR0101_a_rule_outside_the_subset_is_named_at_what_is_not_understood_and_decides_nothing()
    {
        using var set = TempRuleSet.With(PlantedRuleSets.Catalogue, Rules(
            Rule("Decides", "true", "\"decision\", \"call-in\", \"notice\", \"orphan\""),
            Rule("ByPartner", "proposal.Partners.Any(p => p == \"x\")"),
            Rule("Record", "proposal.FinancialCommitment >= 10")));
        var report = Analyse(set);
        var outside = Assert.Single(Of(report, "DR0101"));
        AssertAt(outside, set.PathOf("main.rules.json"), "Partners");
        Assert.Contains("'ByPartner'", outside.Message);

        // Free, not guessed: ByPartner may match where Record does not, so Record is not reported as shadowing it, nor it as dead.
        Assert.Empty(Of(report, "DR0097"));
        Assert.Empty(Of(report, "DR0098"));
        Assert.Equal((3, 2), (report.Rules, report.RulesInSubset));
    }

    // Siblings of the dead rule: a rule that can only be undecided, one whose dated period its condition excludes, one
    // over a derived field, and ones only proposals the reader refuses could satisfy (an officer deciding at a meeting).
    [Theory]
    [InlineData("proposal.Attributes.Flag(\"x\") && !proposal.Attributes.Has(\"x\")", "")]
    [InlineData("proposal.IntendedDecisionDate >= LocalDate(2013, 1, 1)", ", \"effective\": { \"until\": \"2012-09-10\" }")]
    [InlineData("proposal.WardsAffected > 3 && proposal.WardsAffected < 4", "")]
    [InlineData("proposal.SpendOrSaving < 10 && proposal.FinancialCommitment > 10", "")]
    [InlineData("proposal.DecidedAtMeeting && proposal.DecisionMaker == DecisionMaker.Officer", "")]
    [InlineData("proposal.ProposedRedundancies > proposal.StaffAffected", "")]
    public void DR0097_finds_rules_dead_by_missing_values_dates_and_derived_fields(string expression, string extra)
    {
        using var set = TempRuleSet.With(PlantedRuleSets.Catalogue, Rules(
            Rule("Decides", "true", "\"decision\", \"call-in\", \"notice\", \"orphan\""),
            Rule("Dead", expression, extra: extra)), """{ "name": "siblings", "attributes": { "x": { "type": "flag", "required": false, "description": "d", "source": "s" } } }""");
        var dead = Assert.Single(Of(Analyse(set), "DR0097"));
        AssertAt(dead, set.PathOf("main.rules.json"), "\"Dead\"");
    }

    // The converse: short-circuits decide what they read only when needed, so these can match and are not dead.
    [Theory]
    [InlineData("!proposal.Attributes.Has(\"x\") || proposal.Attributes.Flag(\"x\")")]
    [InlineData("proposal.FinancialCommitment >= 1000000.01")]
    [InlineData("proposal.DecidedAtMeeting && proposal.DecisionMaker == DecisionMaker.Leader")]
    [InlineData("proposal.CallInExempt && !proposal.Urgent")]
    public void Rules_that_some_proposal_decides_and_satisfies_are_not_dead(string expression)
    {
        using var set = TempRuleSet.With(PlantedRuleSets.Catalogue, Rules(
            Rule("Decides", "true", "\"decision\", \"call-in\", \"notice\", \"orphan\""),
            Rule("Alive", expression)), """{ "name": "alive", "attributes": { "x": { "type": "flag", "required": false, "description": "d", "source": "s" } } }""");
        Assert.Empty(Of(Analyse(set), "DR0097"));
    }

    private static string Route(TempRuleSet set, string proposalJson)
    {
        var read = DecisionRouting.Proposals.ProposalReader.Read("counterexample.json", proposalJson);
        Assert.True(read.Proposal is not null, string.Join("\n", read.Diagnostics));
        var plan = new DecisionRouting.Routing.Router(RuleSet.Load(set.Directory)).Route(read.Proposal!);
        return string.Join(",", plan.Stages.SelectMany(s => s).Select(s => s.Step.Id));
    }
}
