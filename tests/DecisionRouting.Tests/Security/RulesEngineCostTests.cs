using System;
using System.Linq;
using DecisionRouting.Evaluation;
using DecisionRouting.Routing;
using DecisionRouting.RuleSets;
using DecisionRouting.Tests.Support;

namespace DecisionRouting.Tests.Security;

/// <summary>
/// The third tester's F4: RulesEngine compiles every rule into a delegate that copies in every name in scope, so its
/// build costs rules × names (GlobalParams, LocalParams), which no load bound covered and the route budget could not
/// stop (1,500 rules under 5,000 GlobalParams: 72 s). With <see cref="RoutingEvaluation.RulesEngine"/> such a rule set
/// is refused up front with DR0081; the compiled default still routes it.
/// </summary>
public sealed class RulesEngineCostTests
{
    private const string Properties = """ "Properties": { "steps": [ "notice", "decision" ], "source": "s", "reason": "r" } """;

    /// <summary>
    /// The tester's chain.py: GlobalParams g0…g{n-1}, each reading the one before, and <paramref name="rules"/> rules
    /// each reading the last (each its own text, so RulesEngine's delegate cache cannot share them).
    /// </summary>
    private static string Chain(int globals, int rules)
    {
        var chain = string.Join(", ", Enumerable.Range(0, globals).Select(i => i == 0
            ? """{ "Name": "g0", "Expression": "proposal.Urgent" }"""
            : $$"""{ "Name": "g{{i}}", "Expression": "g{{i - 1}} && proposal.AllWards" }"""));
        var body = string.Join(", ", Enumerable.Range(0, rules).Select(j =>
            $$"""{ "RuleName": "r{{j}}", "Expression": "g{{globals - 1}} || proposal.FinancialCommitment > {{j + 100}}", {{Properties}} }"""));
        return $$"""[ { "WorkflowName": "chained", "GlobalParams": [ {{chain}} ], "Rules": [ {{body}} ] } ]""";
    }

    private static void AssertRefusedForRulesEngineOnly(string id, string rules, string workflowMarker, params string[] phrases)
    {
        using var set = TempRuleSet.With(rules: rules);
        var ruleSet = RuleSet.Load(set.Directory); // validates: DR0081 is not a load error

        // The compiled default routes it.
        var plan = new Router(ruleSet).Route(EvaluationBoundsTests.AtTheLimits());
        Assert.NotEmpty(plan.MatchedRules);

        var refused = Assert.Throws<InvalidRuleSetException>(() => new Router(ruleSet, new RoutingOptions { Evaluation = RoutingEvaluation.RulesEngine }));
        var error = Assert.Single(refused.Diagnostics);
        Assert.Equal(id, error.Id);
        Assert.True(error.IsError);
        Assert.Equal(Position.Of(rules, workflowMarker), (error.Location.Line, error.Location.Column));
        Assert.Contains("the limit is 100,000", error.Message);
        foreach (var phrase in phrases)
        {
            Assert.Contains(phrase, error.Message);
        }

        // The explainer routes with the options it is given, so it is refused the same way.
        Assert.Throws<InvalidRuleSetException>(() => new DecisionRouting.Explanations.Explainer(ruleSet, new RoutingOptions { Evaluation = RoutingEvaluation.RulesEngine }));
    }

    [Theory]
    [InlineData(5000, 400)] // the tester's gpr2: 29.8 s to build with RulesEngine
    [InlineData(5000, 1500)] // gpr3: 72 s
    public void The_testers_GlobalParam_chains_are_refused_for_RulesEngine_and_routed_compiled(int globals, int rules)
    {
        AssertRefusedForRulesEngineOnly(
            "DR0081",
            Chain(globals, rules),
            "\"chained\"",
            "Entry workflow 'chained' is too costly for the RulesEngine evaluator",
            $"each of its {rules:#,##0} rules",
            $"its {globals:#,##0} GlobalParams");
    }

    [Fact]
    public void Injected_copies_each_compiled_under_the_entrys_GlobalParams_are_refused()
    {
        // Sibling: 766 rules after injection (8 deep, two wide), each copy compiled by RulesEngine with the entry's
        // 150 GlobalParams in scope. The injection bound weighs these copies too, but against its own larger bound (117,000 of 500,000).
        var rules = InjectionFanOutTests.FanOut(8, globals: 150);
        using (var set = TempRuleSet.With(rules: rules))
        {
            Assert.DoesNotContain(RuleSet.Validate(set.Directory).Diagnostics, d => d.IsError);
        }

        AssertRefusedForRulesEngineOnly("DR0081", rules, "\"w0\"", "Entry workflow 'w0'", "each of its 766 rules", "its 150 GlobalParams");
    }

    [Fact]
    public void LocalParams_seen_by_every_nested_rule_are_refused()
    {
        // Sibling: no GlobalParams and no injection (which the injection bound weighs), but one rule's 300 LocalParams are in the
        // scope of each of its 300 nested rules, and RulesEngine copies all of them into each one's delegate.
        var locals = string.Join(", ", Enumerable.Range(0, 300).Select(i => $$"""{ "Name": "l{{i}}", "Expression": "proposal.FinancialCommitment > {{i}}" }"""));
        var nested = string.Join(", ", Enumerable.Range(0, 300).Select(i => $$"""{ "RuleName": "n{{i}}", "Expression": "l{{i}} || proposal.Urgent" }"""));
        var rules = $$"""[ { "WorkflowName": "nesting", "Rules": [ { "RuleName": "wide", "Operator": "OrElse", "LocalParams": [ {{locals}} ], "Rules": [ {{nested}} ], {{Properties}} } ] } ]""";
        AssertRefusedForRulesEngineOnly("DR0081", rules, "\"nesting\"", "each of its 301 rules", "with 90,300 LocalParams seen in all");
    }

    [Fact]
    public void A_rule_set_just_under_the_bound_routes_with_RulesEngine_as_compiled()
    {
        // 300 rules under 240 GlobalParams: 300 × (243 + 64) plus the GlobalParams' own, about 92,000 units.
        var rules = Chain(240, 300);
        using var set = TempRuleSet.With(rules: rules);
        var ruleSet = RuleSet.Load(set.Directory);
        var units = RulesEngineCost.Entries(ruleSet.Definition.Workflows).Sum(e => e.Cost.Units);
        Assert.InRange(units, 90_000, RulesEngineCost.MaxUnits);
        Assert.Null(ruleSet.Evaluation.RulesEngine.Refusal); // no DR0081

        var proposal = EvaluationBoundsTests.AtTheLimits();
        var reference = new Router(ruleSet, new RoutingOptions { Evaluation = RoutingEvaluation.RulesEngine, TimeBudget = TimeSpan.FromSeconds(60) }).Route(proposal);
        var compiled = new Router(ruleSet).Route(proposal);
        Assert.Equal(compiled.MatchedRules.Select(m => m.Rule), reference.MatchedRules.Select(m => m.Rule));
        Assert.NotEmpty(reference.MatchedRules);
    }

    [Fact]
    public void The_count_follows_RulesEngines_cost_model_exactly()
    {
        // Two GlobalParams; one rule with one LocalParam and one nested rule. Counted by hand from RulesEngine 6.0.1:
        // GlobalParams parsed with 3 and 4 names (7/64) and compiled into one delegate of 5 names (5 + 64); the rule's
        // delegate and its LocalParams' delegate 6 names each (2 × 70), its LocalParam parsed with 5 names (5/64);
        // the nested rule's delegate 6 names (70). 279 + 12/64.
        var rules = """
            [ { "WorkflowName": "small", "GlobalParams": [ { "Name": "a", "Expression": "proposal.Urgent" }, { "Name": "b", "Expression": "a" } ],
                "Rules": [ { "RuleName": "r", "Operator": "And", "LocalParams": [ { "Name": "x", "Expression": "b" } ],
                  "Rules": [ { "RuleName": "c", "Expression": "x" } ], "Properties": { "steps": [ "notice" ], "source": "s", "reason": "r" } } ] } ]
            """;
        using var set = TempRuleSet.With(rules: rules);
        var definition = RuleSet.Validate(set.Directory);
        Assert.DoesNotContain(definition.Diagnostics, d => d.IsError);
        var (_, cost) = Assert.Single(RulesEngineCost.Entries(definition.Workflows));
        Assert.Equal(279 + 12.0 / 64, cost.Units, 9);
        Assert.Equal(2, cost.Rules);
        Assert.Equal(2, cost.Locals);
    }

    [Fact]
    public void The_shipped_rule_sets_are_far_under_the_bound()
    {
        var shipped = new[] { Repository.PathOf("rules/england") }.Concat(System.IO.Directory.GetDirectories(Repository.PathOf("rules/partnerships"))).ToList();
        Assert.True(shipped.Count > 1);
        foreach (var directory in shipped)
        {
            var ruleSet = RuleSet.Load(directory);
            var units = RulesEngineCost.Entries(ruleSet.Definition.Workflows).Sum(e => e.Cost.Units);
            Assert.True(units < RulesEngineCost.MaxUnits / 2, $"{directory}: {units} units");
        }
    }
}
