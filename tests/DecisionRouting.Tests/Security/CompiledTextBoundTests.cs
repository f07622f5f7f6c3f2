using System;
using System.Linq;
using DecisionRouting.Routing;
using DecisionRouting.RuleSets;
using DecisionRouting.Tests.Support;

namespace DecisionRouting.Tests.Security;

/// <summary>
/// The tester's N1: loading was not bounded by how much expression text it compiles. DR0058 counts copies, not their
/// length, so a fan-out copying a 3,900-character leaf a thousand times validated in 2 s and took 20 s to route, and
/// 9,800 plain rules of 3,900 characters (37 MB, under the 64 MiB byte bound) took 69 s and 4 GB. DR0069 bounds the text
/// to compile, every injected copy counted, from the counts DR0058 already memoises.
/// </summary>
public sealed class CompiledTextBoundTests
{
    private const string Properties = """ "Properties": { "steps": [ "notice", "decision" ], "source": "s", "reason": "r" } """;

    /// <summary><paramref name="workflows"/> workflows of <paramref name="rules"/> plain rules, each of about <paramref name="length"/> characters.</summary>
    private static string Plain(int workflows, int rules, int length) =>
        "[ " + string.Join(",\n", Enumerable.Range(0, workflows).Select(w =>
            $$"""{ "WorkflowName": "p{{w}}", "Rules": [ {{string.Join(", ", Enumerable.Range(0, rules).Select(r => $$"""{ "RuleName": "r{{w}}_{{r}}", "Expression": "{{EvaluationBoundsTests.LongCondition(length)}}", {{Properties}} }"""))}} ] }""")) + " ]";

    [Fact]
    public void The_testers_a10_fan_out_with_a_long_leaf_is_refused_at_its_first_injection()
    {
        // fan2.py a10 2 10 1 3900 1 0: two wide, ten deep, a LocalParam per injecting rule, a 3,900-character leaf.
        var rules = InjectionFanOutTests.FanOut(10, locals: true, leaf: EvaluationBoundsTests.LongCondition(3_900), distinctLocals: true);
        using var set = TempRuleSet.With(rules: rules);
        var error = Assert.Single(RuleSet.Validate(set.Directory).Diagnostics, d => d.IsError);
        Assert.Equal("DR0069", error.Id);
        Assert.Contains("entry workflow 'w0' brings", error.Message);
        Assert.Contains("through 'w0' → 'w1' → 'w2'", error.Message);
        Assert.Contains("the limit is 1,500,000", error.Message);
        Assert.Equal(Position.Of(rules, "\"w1\" ]"), (error.Location.Line, error.Location.Column));
        Assert.Equal("DR0069", Assert.Single(RuleSet.TryLoad(set.Directory).Diagnostics, d => d.IsError).Id);
    }

    [Fact]
    public void Many_long_plain_rules_are_refused_at_the_workflow_that_brings_the_most()
    {
        // wide2.py w9k, smaller: no injection at all, 4 workflows of 100 rules of 3,900 characters (1.56 million) plus
        // one of 20; the heaviest entry workflow is named (the first of the equal ones) and pointed at.
        var rules = Plain(4, 100, 3_900);
        using var set = TempRuleSet.With(rules: rules);
        var error = Assert.Single(RuleSet.Validate(set.Directory).Diagnostics, d => d.IsError);
        Assert.Equal("DR0069", error.Id);
        Assert.Contains("entry workflow 'p0' brings", error.Message);
        Assert.DoesNotContain("through", error.Message);
        Assert.Equal(Position.Of(rules, "\"p0\""), (error.Location.Line, error.Location.Column));
    }

    [Fact]
    public void GlobalParams_count_towards_the_text_to_compile()
    {
        // Sibling: the same text moved from the rules into the entry workflow's GlobalParams is compiled just the same.
        var globals = string.Join(", ", Enumerable.Range(0, 400).Select(g => $$"""{ "Name": "g{{g}}", "Expression": "{{EvaluationBoundsTests.LongCondition(3_900)}}" }"""));
        var rules = $$"""[ { "WorkflowName": "w0", "GlobalParams": [ {{globals}} ], "Rules": [ { "RuleName": "r", "Expression": "g0", {{Properties}} } ] } ]""";
        using var set = TempRuleSet.With(rules: rules);
        var error = Assert.Single(RuleSet.Validate(set.Directory).Diagnostics, d => d.IsError);
        Assert.Equal("DR0069", error.Id);
        Assert.Contains("entry workflow 'w0' brings", error.Message);
    }

    [Fact]
    public void LocalParams_count_towards_the_text_to_compile_once_per_copy()
    {
        // Sibling: a short leaf, but each injecting rule carries a long LocalParam, copied with everything below it.
        var rules = InjectionFanOutTests.FanOut(10, locals: true, distinctLocals: true).Replace("proposal.FinancialCommitment > ", EvaluationBoundsTests.LongCondition(1_000) + " || proposal.FinancialCommitment > ", StringComparison.Ordinal);
        using var set = TempRuleSet.With(rules: rules);
        var error = Assert.Single(RuleSet.Validate(set.Directory).Diagnostics, d => d.IsError);
        Assert.Equal("DR0069", error.Id);
        Assert.Equal(Position.Of(rules, "\"w1\" ]"), (error.Location.Line, error.Location.Column));
    }

    [Fact]
    public void A_rule_set_just_under_the_limit_loads_and_routes()
    {
        // 3 workflows of 120 rules of 3,900 characters: about 1.4 million, under 1,500,000.
        using var set = TempRuleSet.With(rules: Plain(3, 120, 3_900));
        var load = RuleSet.TryLoad(set.Directory);
        Assert.DoesNotContain(load.Diagnostics, d => d.IsError);
        var plan = new Router(load.RuleSet!, new RoutingOptions { TimeBudget = TimeSpan.FromSeconds(20) }).Route(EvaluationBoundsTests.AtTheLimits());
        Assert.Contains(plan.MatchedRules, m => m.Rule == "r0_0");
    }

    [Fact]
    public void DR0058_does_not_say_LocalParam_for_a_fan_out_without_one()
    {
        // The tester's minor: 1,000 GlobalParams and no LocalParams were reported as "evaluated under a LocalParam".
        var rules = InjectionFanOutTests.FanOut(11, globals: 1000);
        using var set = TempRuleSet.With(rules: rules);
        var error = Assert.Single(RuleSet.Validate(set.Directory).Diagnostics, d => d.IsError);
        Assert.Equal("DR0058", error.Id);
        Assert.Contains("each copy is checked against the 1,003 or more names", error.Message);
        Assert.DoesNotContain("LocalParam,", error.Message);
    }
}
