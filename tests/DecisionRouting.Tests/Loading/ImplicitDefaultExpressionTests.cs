using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using DecisionRouting.Proposals;
using DecisionRouting.Routing;
using DecisionRouting.RuleSets;
using DecisionRouting.Tests.Analyzers;
using DecisionRouting.Tests.Support;
using NodaTime;

namespace DecisionRouting.Tests.Loading;

/// <summary>
/// An absent value never decides a rule implicitly: every way of silently defaulting a nullable proposal value is
/// refused at load (DR0029) at the construct, by the loader and the analyzer alike; an explicit HasValue test stays.
/// </summary>
public sealed class ImplicitDefaultExpressionTests
{
    private const string Manifest = """{ "name": "t", "parameters": { "threshold": 5 } }""";

    private static string Rules(string expression) =>
        $$"""{ "WorkflowName": "main", "Rules": [ { "RuleName": "R", "Expression": "{{expression.Replace("\"", "\\\"")}}", "Properties": { "steps": [ "notice" ], "source": "s" } } ] }""";

    private static Proposal WithoutEnd() => new()
    {
        Id = "p",
        Title = "A title",
        DecisionMaker = DecisionMaker.Cabinet,
        IntendedDecisionDate = new LocalDate(2030, 1, 10),
        Kinds = new[] { ProposalKind.Mou },
        Schedule = new Dictionary<string, StepDates> { ["s1"] = new(new LocalDate(2029, 12, 1), null) },
    };

    // The tester's two examples first (they loaded and matched a proposal with no end date), then siblings.
    [Theory]
    [InlineData("proposal.Schedule[\"s1\"].End.GetValueOrDefault() < LocalDate(2013,1,1)", "GetValueOrDefault")]
    [InlineData("proposal.Schedule.Values.Any(v => v.End.GetValueOrDefault() < LocalDate(2013,1,1))", "GetValueOrDefault")]
    [InlineData("proposal.Schedule[\"s1\"].End.GetValueOrDefault(LocalDate(2000,1,1)) < LocalDate(2013,1,1)", "GetValueOrDefault")]
    [InlineData("(proposal.Schedule[\"s1\"].End ?? LocalDate(2000,1,1)) < LocalDate(2013,1,1)", "??")]
    [InlineData("proposal.Schedule.Values.Any(v => (v.End ?? LocalDate(2000,1,1)) < LocalDate(2013,1,1))", "??")]
    [InlineData("np(proposal.Schedule[\"s1\"].End) == null", "np")]
    [InlineData("NP(proposal.Schedule[\"s1\"].End) == null", "NP")]
    [InlineData("isnull(proposal.Schedule[\"s1\"].End, LocalDate(2000,1,1)) < LocalDate(2013,1,1)", "isnull")]
    [InlineData("proposal.Schedule[\"s1\"]?.End == null", "?.")]
    public async Task Silently_defaulting_an_absent_value_is_refused_at_the_construct_by_loader_and_analyzer(string expression, string construct)
    {
        using var set = TempRuleSet.With(rules: Rules(expression), manifest: Manifest);
        var diagnostics = RuleSet.Validate(set.Directory).Diagnostics;
        var d = Assert.Single(diagnostics);
        Assert.Equal("DR0029", d.Id);
        Assert.Contains("HasValue", d.Message);
        var (line, column) = Position.Of(Rules(expression), construct);
        Assert.Equal((line, column), (d.Location.Line, d.Location.Column));

        var loader = diagnostics.Select(x => $"{x.Location.Path}({x.Location.Line},{x.Location.Column}): {x.Id}").ToArray();
        var analyzer = await ExpressionAnalyzerTests.Analyze(Directory.GetFiles(set.Directory));
        Assert.Equal(loader, analyzer);
    }

    [Theory]
    [InlineData("proposal.Schedule[\"s1\"].End.HasValue && proposal.Schedule[\"s1\"].End.Value < LocalDate(2013,1,1)")]
    [InlineData("proposal.Schedule.Values.Any(v => v.End.HasValue ? v.End.Value < LocalDate(2013,1,1) : false)")]
    [InlineData("proposal.Title == \"a ?? b\" || proposal.Title == \"np(x)\"")]
    public async Task An_explicit_choice_about_an_absent_value_loads_and_the_absent_date_does_not_match(string expression)
    {
        using var set = TempRuleSet.With(rules: Rules(expression), manifest: Manifest);
        Assert.Empty(RuleSet.Validate(set.Directory).Diagnostics);
        Assert.Empty(await ExpressionAnalyzerTests.Analyze(Directory.GetFiles(set.Directory)));
        var ruleSet = RuleSet.Load(set.Directory);
        foreach (var evaluation in new[] { RoutingEvaluation.Compiled, RoutingEvaluation.RulesEngine })
        {
            var plan = new Router(ruleSet, new RoutingOptions { Evaluation = evaluation }).Route(WithoutEnd());
            Assert.Empty(plan.MatchedRules);
        }
    }
}
