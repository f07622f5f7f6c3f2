using System;
using System.Linq;
using DecisionRouting.Proposals;
using DecisionRouting.Routing;
using DecisionRouting.RuleSets;
using DecisionRouting.Tests.Calendar;
using DecisionRouting.Tests.Support;

namespace DecisionRouting.Tests.Security;

/// <summary>What bounds the cost of routing: list nesting in expressions, proposal sizes, and the time budget.</summary>
public sealed class BoundsTests
{
    [Fact]
    public void List_operations_may_nest_two_deep_but_not_three()
    {
        const string two = "proposal.Partners.Any(p => proposal.Partners.Any(q => q == p))";
        const string three = "proposal.Partners.Any(p => proposal.Partners.Any(q => proposal.Partners.Any(r => r == q)))";
        using var ok = TempRuleSet.With(rules: $$"""{ "WorkflowName": "main", "Rules": [ { "RuleName": "Two", "Expression": "{{two}}" } ] }""");
        Assert.Empty(RuleSet.Validate(ok.Directory).Diagnostics);
        using var deep = TempRuleSet.With(rules: $$"""{ "WorkflowName": "main", "Rules": [ { "RuleName": "Three", "Expression": "{{three}}" } ] }""");
        var diagnostic = Assert.Single(RuleSet.Validate(deep.Directory).Diagnostics);
        Assert.Equal("DR0029", diagnostic.Id);
        Assert.Contains("'Any' inside 2 other list operations", diagnostic.Message);
    }

    [Fact]
    public void Routing_over_its_time_budget_is_a_reported_error_not_a_hang()
    {
        var ruleSet = RuleSet.Load(Repository.PathOf("rules/england"));
        var proposal = ProposalReader.ReadFile(Repository.PathOf("samples/proposals/doncaster-2018-joint-commissioner-agreement.json")).Proposal!;
        var options = new RoutingOptions { Clock = new SteppingClock(TimeSpan.FromSeconds(4)), TimeBudget = TimeSpan.FromSeconds(3) };
        var error = Assert.Throws<RoutingTimeBudgetExceededException>(() => new Router(ruleSet, options).Route(proposal));
        Assert.Equal("doncaster-2018-joint-commissioner-agreement", error.ProposalId);
        Assert.Contains("over its budget of 3000 ms", error.Message);
    }

    [Fact]
    public void Routing_within_its_budget_makes_a_plan()
    {
        var ruleSet = RuleSet.Load(Repository.PathOf("rules/england"));
        var proposal = ProposalReader.ReadFile(Repository.PathOf("samples/proposals/doncaster-2018-joint-commissioner-agreement.json")).Proposal!;
        var options = new RoutingOptions { Clock = new SteppingClock(TimeSpan.FromMilliseconds(1)), TimeBudget = TimeSpan.FromSeconds(1) };
        Assert.NotEmpty(new Router(ruleSet, options).Route(proposal).Steps);
    }

    [Theory]
    [InlineData("partners")]
    [InlineData("title")]
    [InlineData("attributes")]
    public void Oversized_proposals_are_rejected_with_the_field_position(string field)
    {
        var value = field switch
        {
            "partners" => "[" + string.Join(", ", Enumerable.Range(0, 201).Select(i => $"\"P{i}\"")) + "]",
            "title" => "\"" + new string('x', 2001) + "\"",
            _ => "{" + string.Join(", ", Enumerable.Range(0, 201).Select(i => $"\"a{i}\": true")) + "}",
        };
        var json = $$"""{ "id": "big", "title": "T", "decisionMaker": "Cabinet", "intendedDecisionDate": "2020-01-01", "kinds": [ "Mou" ], "{{field}}": {{value}} }""".Replace("\"title\": \"T\", ", field == "title" ? string.Empty : "\"title\": \"T\", ");
        var result = ProposalReader.Read("big.json", json);
        Assert.Null(result.Proposal);
        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal("DR0080", diagnostic.Id);
        var (line, column) = Position.Of(json, $"\"{field}\": ", 1);
        Assert.Equal($"big.json({line},{column + field.Length + 4})", diagnostic.Location.ToString());
    }
}
