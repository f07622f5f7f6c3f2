using System;
using System.Collections.Generic;
using System.Linq;
using System.Linq.Expressions;
using DecisionRouting.Expressions;
using DecisionRouting.Proposals;
using DecisionRouting.Routing;
using DecisionRouting.RuleSets;
using DecisionRouting.Tests.Support;

namespace DecisionRouting.Tests.Security;

/// <summary>
/// Load cost grows linearly with what a rule set declares (issue 14 §3, breaker finding D5): chains of parameters are
/// typed once each, with only the parameters each names; orderings are reduced with bit sets, without recursion. The
/// timings live in the benchmark project (<c>LoadScaleBenchmarks</c>); these tests check the shapes at the limits
/// load and route correctly, and the structure that keeps them linear.
/// </summary>
public sealed class LinearLoadTests
{
    private const string Properties = """ "Properties": { "steps": [ "notice", "decision" ], "source": "s", "reason": "r" } """;

    private static Proposal Urgent(bool urgent) => Synthetic.Proposal(new Random(7), 0) with { Urgent = urgent };

    /// <summary>D5: <c>g_i = g_{i-1} &amp;&amp; proposal.Urgent</c>, as many as a workflow may hold (6,000 took 31 s, 20,000 ran out of memory).</summary>
    [Fact]
    public void A_GlobalParams_chain_at_the_parameter_limit_validates_loads_and_routes()
    {
        var count = RuleSetBounds.MaxParametersPerWorkflow;
        var rules = $$"""{ "WorkflowName": "main", "GlobalParams": [ {{Chain(count)}} ], "Rules": [ { "RuleName": "R", "Expression": "g{{count - 1}}", {{Properties}} } ] }""";
        using var set = TempRuleSet.With(rules: rules);

        Assert.DoesNotContain(RuleSet.Validate(set.Directory).Diagnostics, d => d.IsError);
        AssertRoutesOnUrgency(RuleSet.Load(set.Directory));
    }

    [Fact]
    public void A_LocalParams_chain_at_the_parameter_limit_validates_loads_and_routes()
    {
        var count = RuleSetBounds.MaxParametersPerWorkflow;
        var rules = $$"""{ "WorkflowName": "main", "Rules": [ { "RuleName": "R", "LocalParams": [ {{Chain(count)}} ], "Expression": "g{{count - 1}}", {{Properties}} } ] }""";
        using var set = TempRuleSet.With(rules: rules);

        Assert.DoesNotContain(RuleSet.Validate(set.Directory).Diagnostics, d => d.IsError);
        AssertRoutesOnUrgency(RuleSet.Load(set.Directory));
    }

    /// <summary>A sibling: every rule of many reads the end of a long chain, and each rule has LocalParams branching off it.</summary>
    [Fact]
    public void Many_rules_reading_the_end_of_a_long_chain_each_with_its_own_LocalParams_load_and_route()
    {
        const int chain = 2_000;
        const int ruleCount = 2_000;
        var rules = Enumerable.Range(0, ruleCount).Select(i =>
            $$"""{ "RuleName": "R{{i}}", "LocalParams": [ { "Name": "l", "Expression": "g{{chain - 1}} && proposal.WardsAffected >= 0" } ], "Expression": "l", {{Properties}} }""");
        var text = $$"""{ "WorkflowName": "main", "GlobalParams": [ {{Chain(chain)}} ], "Rules": [ {{string.Join(",\n", rules)}} ] }""";
        using var set = TempRuleSet.With(rules: text);

        var ruleSet = RuleSet.Load(set.Directory);

        var plan = new Router(ruleSet).Route(Urgent(true));
        Assert.Equal(ruleCount, plan.MatchedRules.Count);
        Assert.Empty(new Router(ruleSet).Route(Urgent(false)).MatchedRules);
    }

    /// <summary>A mistake deep in a long chain is still reported at its own name, with suggestions from the whole scope.</summary>
    [Fact]
    public void A_misspelt_name_at_the_end_of_a_long_chain_is_reported_with_a_suggestion()
    {
        var count = 1_000;
        var rules = $$"""{ "WorkflowName": "main", "GlobalParams": [ {{Chain(count)}} ], "Rules": [ { "RuleName": "R", "Expression": "g{{count - 1}}x", {{Properties}} } ] }""";
        using var set = TempRuleSet.With(rules: rules);

        var diagnostic = Assert.Single(RuleSet.Validate(set.Directory).Diagnostics, d => d.IsError);

        Assert.Equal("DR0010", diagnostic.Id);
        Assert.Contains($"'g{count - 1}x'", diagnostic.Message);
        Assert.Contains($"did you mean 'g{count - 1}'", diagnostic.Message, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// The longest ordering chain allowed, every step required: each step comes directly after the one before and
    /// nothing else. The old ordering walked back from every step and compared every pair of predecessors, and counted
    /// stages recursively (a 4,000-step chain took 20 s and 2.3 GB to route).
    /// </summary>
    [Fact]
    public void An_after_chain_at_the_limit_routes_with_each_step_directly_after_the_one_before()
    {
        var extra = RuleSetBounds.MaxOrderingChain - 2; // notice → decision → s0 → … : the whole chain
        var steps = Enumerable.Range(0, extra).Select(i =>
            $$"""    { "id": "s{{i}}", "name": "S", "kind": "Approval", "body": "cabinet", "after": [ "{{(i == 0 ? "decision" : $"s{i - 1}")}}" ] }""");
        var catalogue = TempRuleSet.Catalogue.Replace(
            """{ "id": "decision", "name": "Decision", "kind": "Approval", "body": "cabinet", "after": [ "notice" ] }""",
            """{ "id": "decision", "name": "Decision", "kind": "Approval", "body": "cabinet", "after": [ "notice" ] },""" + "\n" + string.Join(",\n", steps),
            StringComparison.Ordinal);
        var required = string.Join(", ", new[] { "notice", "decision" }.Concat(Enumerable.Range(0, extra).Select(i => $"s{i}")).Select(s => $"\"{s}\""));
        var rules = $$"""{ "WorkflowName": "main", "Rules": [ { "RuleName": "R", "Expression": "proposal.WardsAffected >= 0", "Properties": { "steps": [ {{required}} ], "source": "s", "reason": "r" } } ] }""";
        using var set = TempRuleSet.With(catalogue: catalogue, rules: rules);

        var plan = new Router(RuleSet.Load(set.Directory)).Route(Urgent(false));

        Assert.Equal(RuleSetBounds.MaxOrderingChain, plan.Steps.Count);
        for (var i = 0; i < plan.Steps.Count; i++)
        {
            Assert.Equal(i + 1, plan.Steps[i].Stage);
            Assert.Equal(i == 0 ? Array.Empty<string>() : new[] { plan.Steps[i - 1].Id }, plan.Steps[i].After);
        }
    }

    /// <summary>
    /// Orderings pass through steps that are not required, and a predecessor implied by another is dropped:
    /// d after x, x after b (x not required), d after c, c after b. So d is directly after c only; b comes first.
    /// </summary>
    [Fact]
    public void Orderings_through_steps_not_required_are_reduced_to_direct_ones()
    {
        var catalogue = TempRuleSet.Catalogue.Replace(
            """{ "id": "decision", "name": "Decision", "kind": "Approval", "body": "cabinet", "after": [ "notice" ] }""",
            """
            { "id": "decision", "name": "Decision", "kind": "Approval", "body": "cabinet", "after": [ "notice" ] },
                { "id": "d", "name": "D", "kind": "Approval", "body": "cabinet", "after": [ "x", "c" ] },
                { "id": "b", "name": "B", "kind": "Approval", "body": "cabinet" },
                { "id": "x", "name": "X", "kind": "Approval", "body": "cabinet", "after": [ "b" ] },
                { "id": "c", "name": "C", "kind": "Approval", "body": "cabinet", "after": [ "b" ] }
            """,
            StringComparison.Ordinal);
        var rules = """{ "WorkflowName": "main", "Rules": [ { "RuleName": "R", "Expression": "proposal.WardsAffected >= 0", "Properties": { "steps": [ "d", "c", "b", "notice" ], "source": "s", "reason": "r" } } ] }""";
        using var set = TempRuleSet.With(catalogue: catalogue, rules: rules);

        var plan = new Router(RuleSet.Load(set.Directory)).Route(Urgent(false));

        Assert.Equal(new[] { "notice", "b", "c", "d" }, plan.Steps.Select(s => s.Id));
        Assert.Equal(new[] { 1, 1, 2, 3 }, plan.Steps.Select(s => s.Stage));
        Assert.Equal(new[] { "c" }, plan.Steps.Single(s => s.Id == "d").After);
        Assert.Equal(new[] { "b" }, plan.Steps.Single(s => s.Id == "c").After);
    }

    /// <summary>Why a chain is linear: an expression is parsed with the inputs and only the parameters it names, never the whole scope.</summary>
    [Fact]
    public void An_expression_is_parsed_with_the_inputs_and_only_the_parameters_it_names()
    {
        var inputs = new[] { Expression.Parameter(typeof(Proposal), "proposal"), Expression.Parameter(typeof(Proposal), "input1"), Expression.Parameter(typeof(object), "parameters") };
        var scope = new ParameterScope(inputs, typeof(object));
        for (var i = 0; i < 100; i++)
        {
            scope = scope.Define(Expression.Parameter(typeof(bool), $"g{i}"));
        }

        var names = scope.For("g99 && \"g3\" != proposal.Title && g7 || g99 && g7x").Select(p => p.Name);

        // A name inside a string literal is not a use; each name once, in the order first used.
        Assert.Equal(new[] { "proposal", "input1", "parameters", "g99", "g7" }, names);
        Assert.Equal(103, scope.All().Length);
    }

    /// <summary>A defined parameter replaces an input of the same name, as it did when the scope was a list.</summary>
    [Fact]
    public void A_parameter_named_like_an_input_replaces_it()
    {
        var inputs = new[] { Expression.Parameter(typeof(Proposal), "proposal"), Expression.Parameter(typeof(Proposal), "input1"), Expression.Parameter(typeof(object), "parameters") };
        var shadow = Expression.Parameter(typeof(int), "input1");
        var scope = new ParameterScope(inputs, typeof(object)).Define(shadow);

        Assert.Same(shadow, scope.For("input1 > 1").Single(p => p.Name == "input1"));
        Assert.Equal(3, scope.All().Length);
    }

    /// <summary>The shared map behind scopes: adding makes a new map and leaves the old one as it was, whatever the hashes.</summary>
    [Fact]
    public void A_name_map_is_persistent_and_lists_names_in_the_order_added()
    {
        var maps = new List<NameMap<int>> { NameMap<int>.Empty };
        for (var i = 0; i < 5_000; i++)
        {
            maps.Add(maps[^1].SetItem($"n{i}", i));
        }

        var replaced = maps[^1].SetItem("n10", -1);

        Assert.Equal(5_000, maps[^1].Count);
        Assert.Equal(5_000, replaced.Count);
        Assert.True(maps[^1].TryGetValue("n10", out var before) && before == 10);
        Assert.True(replaced.TryGetValue("n10", out var after) && after == -1);
        Assert.False(maps[100].ContainsKey("n100"));
        Assert.True(maps[101].ContainsKey("n100"));
        Assert.Equal(Enumerable.Range(0, 5_000).Select(i => $"n{i}"), replaced.Keys);
        for (var i = 0; i < 5_000; i += 7)
        {
            Assert.True(maps[^1].TryGetValue($"n{i}", out var value) && value == i);
            Assert.Equal(i, maps[i].Count);
        }
    }

    private static string Chain(int count) => string.Join(", ", Enumerable.Range(0, count).Select(i =>
        $$"""{ "Name": "g{{i}}", "Expression": "{{(i == 0 ? "proposal.Urgent" : $"g{i - 1} && proposal.Urgent")}}" }"""));

    private static void AssertRoutesOnUrgency(RuleSet ruleSet)
    {
        var router = new Router(ruleSet);
        Assert.Equal("R", Assert.Single(router.Route(Urgent(true)).MatchedRules).Rule);
        Assert.Empty(router.Route(Urgent(false)).MatchedRules);
    }
}
