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

    /// <summary>
    /// The guarded delegate is compiled inside the route that first meets a throw, so its cost is that route's: a route
    /// whose budget the compile spends stops loudly, never returns a plan late, and the next route (compiled now)
    /// gives RulesEngine's outcomes. The budget is timed with a clock that advances with the bytes this thread
    /// allocates: evaluating these rules allocates almost nothing, compiling a chunk allocates hundreds of kilobytes,
    /// so the test does not depend on the machine's speed. Before, the compile was left out of the budget.
    /// </summary>
    [Fact]
    public void Compiling_the_guarded_delegate_is_charged_to_the_route_budget()
    {
        var rules = Enumerable.Range(0, Rules).Select(i => i == 57
            ? Rule(i, "proposal.Attributes.Number(\\\"localSpendCap\\\") < 50000")
            : Rule(i, $"proposal.WardsAffected + proposal.StaffAffected > {i % 7}"));
        using var set = TempRuleSet.With(rules: $$"""{ "WorkflowName": "main", "Rules": [ {{string.Join(",\n", rules)}} ] }""", manifest: UndecidedRuleTests.Manifest);
        var ruleSet = RuleSet.Load(set.Directory);

        // Sums are outside the comparison index, so all the rules stay in the delegates and the chunk compiled is full size.
        Assert.Equal(0, ruleSet.Evaluation.Compiled.IndexedRules);
        var budget = TimeSpan.FromMilliseconds(100); // 100,000 bytes on the allocation clock
        var router = new Router(ruleSet, new RoutingOptions { Evaluation = RoutingEvaluation.Compiled, Clock = new AllocationClock(), TimeBudget = budget });
        var oracle = new Router(ruleSet, new RoutingOptions { Evaluation = RoutingEvaluation.RulesEngine });
        var decided = UndecidedRuleTests.Proposal(new Dictionary<string, object> { ["localSpendCap"] = 10_000m }, wards: 4);
        var undecided = UndecidedRuleTests.Proposal(wards: 4);

        // Nothing throws: the fast delegates alone, well within the budget.
        Assert.Empty(router.Route(decided).Incomplete);

        var stopped = Assert.Throws<RoutingTimeBudgetExceededException>(() => router.Route(undecided));
        Assert.Equal(budget, stopped.Budget);

        // Compiled now (the delegate was kept though its route stopped): the next route is within the budget and right.
        var expected = oracle.Route(undecided);
        var actual = router.Route(undecided);
        Assert.Equal(expected.MatchedRules.Select(m => m.Rule), actual.MatchedRules.Select(m => m.Rule));
        Assert.Equal(Incomplete(expected), Incomplete(actual));
        Assert.Single(actual.Incomplete);
    }

    /// <summary>A clock whose time is the bytes the calling thread has allocated, one microsecond each.</summary>
    private sealed class AllocationClock : TimeProvider
    {
        public override long TimestampFrequency => 1_000_000;

        public override long GetTimestamp() => GC.GetAllocatedBytesForCurrentThread();
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
