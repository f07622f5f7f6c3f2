using System;
using System.Collections.Generic;
using System.Linq;
using DecisionRouting.Proposals;
using DecisionRouting.Routing;
using DecisionRouting.RuleSets;
using DecisionRouting.Tests.Incomplete;
using DecisionRouting.Tests.Support;

namespace DecisionRouting.Tests.Performance;

/// <summary>
/// A compiled chunk first runs without a try/catch per rule (half the JIT's work at load) and falls back to the
/// guarded delegate when anything in it throws. The outcomes must be the guarded ones, the same as RulesEngine's, for
/// the proposal that threw, before it and after it: whichever rule throws, wherever it sits in a chunk, whether it is a
/// top-level rule, a nested child or a GlobalParam. Each rule set is loaded fresh, so its first route takes the fast path.
/// </summary>
public sealed class FastPathTests
{
    /// <summary>Rule i matches wards above i % 7; enough rules for three chunks.</summary>
    private const int Rules = 250;

    public static TheoryData<int> ThrowingRules() => new() { 0, 57, 99, 100, 170, Rules - 1 };

    [Theory]
    [MemberData(nameof(ThrowingRules))]
    public void A_rule_that_throws_anywhere_in_a_chunk_gives_the_same_outcomes_as_rulesengine(int at)
    {
        var rules = Enumerable.Range(0, Rules).Select(i => i == at
            ? Rule(i, "proposal.Attributes.Number(\\\"localSpendCap\\\") < 50000")
            : Rule(i, $"proposal.WardsAffected > {i % 7}"));
        AssertSameAsRulesEngine($$"""{ "WorkflowName": "main", "Rules": [ {{string.Join(",\n", rules)}} ] }""", expectIncomplete: 1);
    }

    [Fact]
    public void A_nested_child_that_throws_gives_the_same_outcomes_as_rulesengine()
    {
        var rules = Enumerable.Range(0, Rules).Select(i => i == 130
            ? $$"""{ "RuleName": "R{{i}}", "Operator": "Or", "Rules": [ { "RuleName": "C1", "Expression": "proposal.WardsAffected > 100" }, { "RuleName": "C2", "Expression": "proposal.Attributes.Number(\"localSpendCap\") < 50000" } ], "Properties": { "steps": [ "notice" ], "source": "s" } }"""
            : Rule(i, $"proposal.WardsAffected > {i % 7}"));
        AssertSameAsRulesEngine($$"""{ "WorkflowName": "main", "Rules": [ {{string.Join(",\n", rules)}} ] }""", expectIncomplete: 1);
    }

    [Fact]
    public void A_global_param_that_throws_fails_every_rule_as_in_rulesengine()
    {
        var rules = Enumerable.Range(0, Rules).Select(i => Rule(i, i == 200 ? "cap < 50000" : $"proposal.WardsAffected > {i % 7}"));
        AssertSameAsRulesEngine(
            $$"""{ "WorkflowName": "main", "GlobalParams": [ { "Name": "cap", "Expression": "proposal.Attributes.Number(\"localSpendCap\")" } ], "Rules": [ {{string.Join(",\n", rules)}} ] }""",
            expectIncomplete: Rules);
    }

    private static string Rule(int i, string expression) =>
        $$"""{ "RuleName": "R{{i}}", "Expression": "{{expression}}", "Properties": { "steps": [ "notice" ], "source": "s" } }""";

    /// <summary>
    /// Routes, in a fresh rule set, a proposal where nothing throws, one where the rule throws, then one where nothing
    /// throws again, comparing each with RulesEngine; then does it again in a second fresh rule set starting with the
    /// throwing proposal, so the fast path meets the throw on its very first run.
    /// </summary>
    private static void AssertSameAsRulesEngine(string workflow, int expectIncomplete)
    {
        var decided = UndecidedRuleTests.Proposal(new Dictionary<string, object> { ["localSpendCap"] = 10_000m }, wards: 4);
        var undecided = UndecidedRuleTests.Proposal(wards: 4);
        foreach (var order in new[] { new[] { decided, undecided, decided }, new[] { undecided, decided, undecided } })
        {
            using var set = TempRuleSet.With(rules: workflow, manifest: UndecidedRuleTests.Manifest);
            var ruleSet = RuleSet.Load(set.Directory);
            Assert.True(ruleSet.Evaluation.Compiled.Chunks.Count >= 3, $"{Rules} rules in {ruleSet.Evaluation.Compiled.Chunks.Count} chunks");
            var compiled = new Router(ruleSet, new RoutingOptions { Evaluation = RoutingEvaluation.Compiled });
            var oracle = new Router(ruleSet, new RoutingOptions { Evaluation = RoutingEvaluation.RulesEngine });
            foreach (var proposal in order)
            {
                var expected = oracle.Route(proposal);
                var actual = compiled.Route(proposal);
                Assert.Equal(expected.MatchedRules.Select(m => m.Rule), actual.MatchedRules.Select(m => m.Rule));
                Assert.Equal(Incomplete(expected), Incomplete(actual));
                if (ReferenceEquals(proposal, undecided))
                {
                    Assert.Equal(expectIncomplete, actual.Incomplete.Count);
                }
                else
                {
                    // Decided: nothing incomplete, and the comparison means something because some rules match and some do not.
                    Assert.Empty(actual.Incomplete);
                    Assert.InRange(actual.MatchedRules.Count, 1, Rules - 1);
                }
            }
        }
    }

    private static string[] Incomplete(RoutingPlan plan) => plan.Incomplete.Select(r => $"{r.Workflow}/{r.Rule}:{r.Kind}:{r.MissingValue}").ToArray();
}
