using System.IO;
using System.Linq;
using DecisionRouting.Proposals;
using DecisionRouting.Routing;
using DecisionRouting.RuleSets;
using DecisionRouting.Tests.Support;

namespace DecisionRouting.Tests.Loading;

/// <summary>
/// Plain RulesEngine workflow files (no governance metadata), written in RulesEngine's own style with
/// <c>input1</c>: every valid one loads and routes; every broken one is rejected at its position.
/// </summary>
public sealed class RulesEngineFileTests
{
    private static string Fixture(string relative) => Path.Combine(System.AppContext.BaseDirectory, "Fixtures", "rulesengine", relative);

    public static TheoryData<string> ValidFiles() => new(Directory.GetFiles(Fixture("valid")).Select(Path.GetFileName)!);

    [Theory]
    [MemberData(nameof(ValidFiles))]
    public void Valid_workflow_file_loads_and_evaluates(string file)
    {
        using var set = new TempRuleSet();
        set.Write("workflow.rules.json", File.ReadAllText(Fixture("valid/" + file)));
        var result = RuleSet.TryLoad(set.Directory);
        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        Assert.Empty(result.Diagnostics);

        var proposal = new Proposal
        {
            Id = "p", Title = "t", DecisionMaker = DecisionMaker.Cabinet, IntendedDecisionDate = new NodaTime.LocalDate(2020, 1, 1),
            Kinds = new[] { ProposalKind.Mou, ProposalKind.S75Agreement }, Partners = new[] { "CCG" }, StaffAffected = 3, TupeTransfer = true,
            FinancialCommitment = 300000, Urgent = true,
        };
        var plan = new Router(result.RuleSet!).Route(proposal);
        Assert.DoesNotContain(plan.Warnings, w => w.Kind == PlanWarningKind.RuleNotEvaluated);
    }

    [Fact]
    public void Valid_files_match_the_rules_rulesengine_itself_matches()
    {
        using var set = new TempRuleSet();
        set.Write("workflow.rules.json", File.ReadAllText(Fixture("valid/nested-operators.json")));
        var router = new Router(RuleSet.Load(set.Directory));
        Proposal P(bool tupe, int redundancies) => new()
        {
            Id = "p", Title = "t", DecisionMaker = DecisionMaker.Cabinet, IntendedDecisionDate = new NodaTime.LocalDate(2020, 1, 1),
            Kinds = new[] { ProposalKind.Mou }, StaffAffected = 50, TupeTransfer = tupe, ProposedRedundancies = redundancies,
        };
        Assert.Single(router.Route(P(tupe: true, redundancies: 0)).MatchedRules);
        Assert.Single(router.Route(P(tupe: false, redundancies: 25)).MatchedRules);
        Assert.Empty(router.Route(P(tupe: false, redundancies: 5)).MatchedRules);
    }

    [Theory]
    [InlineData("lowercase-operator.json", "DR0057", "\"and\"")]
    [InlineData("misspelt-expression-property.json", "DR0002", "\"expression\"")]
    [InlineData("duplicate-rule-names.json", "DR0005", "\"Twice\"", 2)]
    [InlineData("unknown-input-member.json", "DR0010", "country")]
    [InlineData("syntax-error.json", "DR0009", "\" }")]
    [InlineData("not-boolean.json", "DR0011", "input1.Savings")]
    [InlineData("unknown-injected-workflow.json", "DR0014", "\"Missing\"")]
    [InlineData("trailing-comma.json", "DR0001", "]")]
    [InlineData("rules-not-an-array.json", "DR0003", "{ \"RuleName\"")]
    public void Broken_workflow_file_is_rejected_at_its_position(string file, string id, string marker, int occurrence = 1)
    {
        var text = File.ReadAllText(Fixture("broken/" + file));
        using var set = new TempRuleSet();
        set.Write("workflow.rules.json", text);
        var result = RuleSet.TryLoad(set.Directory);
        Assert.False(result.Succeeded);
        var diagnostic = Assert.Single(result.Diagnostics, d => d.IsError);
        Assert.Equal(id, diagnostic.Id);
        var (line, column) = Position.Of(text, marker, occurrence);
        Assert.Equal((line, column), (diagnostic.Location.Line, diagnostic.Location.Column));
    }
}
