using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using DecisionRouting.Cli;
using DecisionRouting.Explanations;
using DecisionRouting.Proposals;
using DecisionRouting.Routing;
using DecisionRouting.RuleSets;
using DecisionRouting.Tests.Calendar;
using DecisionRouting.Tests.Incomplete;
using DecisionRouting.Tests.Support;

namespace DecisionRouting.Tests.Explanations;

/// <summary>
/// Issue 14, third tester's F1: explain of GlobalParam and LocalParam chains that validate and route fine overran its
/// 5 s budget 2–6× (each term was parsed with every name in scope, compiled, and the budget was checked only once the
/// conditions were reached), and said "Routing … no plan was made" although routing had made its plan. Also the
/// minor finding: a rule that injects workflows listed "conditions (all must hold):" with nothing under it.
/// Times here are hang guards only; the assertions are on what the explanation says.
/// </summary>
public sealed class ExplainChainTests
{
    private const string Properties = """ "Properties": { "steps": [ "notice", "decision" ], "source": "s", "reason": "r" } """;

    /// <summary>A budget no explanation here needs: only a hang or a quadratic blow-up reaches it.</summary>
    private static readonly RoutingOptions Generous = new() { TimeBudget = TimeSpan.FromSeconds(120) };

    private static Proposal Proposal(decimal commitment = 1000) => UndecidedRuleTests.Proposal() with { FinancialCommitment = commitment };

    private static string Params(IEnumerable<(string Name, string Expression)> terms) =>
        string.Join(", ", terms.Select(t => $$"""{ "Name": "{{t.Name}}", "Expression": "{{t.Expression}}" }"""));

    /// <summary>
    /// The tester's chain.py and lchain.py: c0 = the commitment is over 100, c_i = c_(i-1) &amp;&amp; the proposal
    /// affects wards (each term adds <paramref name="tail"/> more of the same); the rule reads the last term.
    /// </summary>
    private static string Chain(int length, bool local, int tail = 0)
    {
        var extra = tail == 0 ? string.Empty : " && (" + string.Join(" || ", Enumerable.Range(1, tail).Select(k => $"proposal.WardsAffected == {k}")) + ")";
        var terms = new[] { ("c0", "proposal.FinancialCommitment > 100") }
            .Concat(Enumerable.Range(1, length - 1).Select(i => ($"c{i}", $"c{i - 1} && proposal.WardsAffected > 0{extra}")));
        var expression = $"c{length - 1} || proposal.FinancialCommitment > 1000000000";
        return local
            ? $$"""{ "WorkflowName": "main", "Rules": [ { "RuleName": "R", "LocalParams": [ {{Params(terms)}} ], "Expression": "{{expression}}", {{Properties}} } ] }"""
            : $$"""{ "WorkflowName": "main", "GlobalParams": [ {{Params(terms)}} ], "Rules": [ { "RuleName": "R", "Expression": "{{expression}}", {{Properties}} } ] }""";
    }

    private static IEnumerable<(ConditionExplanation Condition, int Depth)> All(IEnumerable<ConditionExplanation> conditions, int depth = 0) =>
        conditions.SelectMany(c => new[] { (c, depth) }.Concat(All(c.Because, depth + 1)));

    private static async Task<StepExplanation> ExplainAsync(string rules, Proposal proposal, RoutingOptions options, string step = "decision")
    {
        using var set = TempRuleSet.With(rules: rules, manifest: UndecidedRuleTests.Manifest);
        var ruleSet = RuleSet.Load(set.Directory);
        return await Task.Run(() => new Explainer(ruleSet, options).Explain(proposal, step)).WaitAsync(TimeSpan.FromSeconds(300));
    }

    [Theory]
    [InlineData(1000, false, 0)] // ch1k
    [InlineData(5000, false, 0)] // ch5k
    [InlineData(4999, true, 0)] // lc5k: the rule's LocalParams
    [InlineData(1000, false, 40)] // cl5k's kind: long terms (about 1,000 characters each)
    public async Task A_long_chain_of_terms_is_explained_each_term_once_and_flat(int length, bool local, int tail)
    {
        var explanation = await ExplainAsync(Chain(length, local, tail), Proposal(), Generous);

        var rule = Assert.Single(explanation.Rules);
        Assert.True(rule.Matched);
        // LocalParams are defined in the rule; GlobalParams once for the explanation, in its Terms.
        var all = All(rule.Conditions).Concat(All(rule.Terms)).Concat(All(explanation.Terms)).ToList();
        Assert.DoesNotContain(all, c => c.Condition.Error is not null);

        // Every term is defined (its conditions shown) exactly once, and holds, as routing found.
        var defined = all.Where(c => c.Condition.Because.Count > 0).Select(c => c.Condition.Text).ToList();
        Assert.Equal(length, defined.Count);
        Assert.Equal(defined.Count, defined.Distinct().Count());
        for (var i = 0; i < length; i++)
        {
            Assert.Contains(all, c => c.Condition.Text == $"c{i}" && c.Condition.Holds == true && c.Condition.Because.Count > 0);
        }

        // Flat: nesting stops at a fixed depth and the deeper terms are listed once each, not a tree as deep as the chain.
        Assert.InRange(all.Max(c => c.Depth), 1, Explainer.InlineTermDepth + 1);
        if (local)
        {
            Assert.InRange(rule.Terms.Count, length / (Explainer.InlineTermDepth + 1) - 2, length);
        }
        else
        {
            Assert.Equal(length, explanation.Terms.Count);
        }

        var facts = rule.Facts.Concat(explanation.TermValues).ToList();
        Assert.Contains(new Fact("proposal.WardsAffected", "3"), facts);
        Assert.Contains(new Fact("proposal.FinancialCommitment", "1000"), facts);
    }

    [Fact]
    public void A_tiny_budget_stops_explaining_at_the_budget_with_its_own_message()
    {
        // Routing reads the clock a handful of times; defining 1,000 terms reads it once per term. One millisecond a
        // read and a budget of 200 ms: routing makes its plan, and explaining stops while the terms are defined.
        using var set = TempRuleSet.With(rules: Chain(1000, local: false), manifest: UndecidedRuleTests.Manifest);
        var ruleSet = RuleSet.Load(set.Directory);
        var options = new RoutingOptions { Clock = new SteppingClock(TimeSpan.FromMilliseconds(1)), TimeBudget = TimeSpan.FromMilliseconds(200) };
        Assert.NotEmpty(new Router(ruleSet, options).Route(Proposal()).Steps);

        var error = Assert.Throws<RoutingTimeBudgetExceededException>(() => new Explainer(ruleSet, options).Explain(Proposal(), "decision"));

        // Stopped at the budget, not after every term: within a few reads of the clock.
        Assert.Equal("decision", error.Step);
        Assert.InRange(error.Elapsed, TimeSpan.FromMilliseconds(201), TimeSpan.FromMilliseconds(210));
        Assert.Matches("^Explaining step 'decision' for proposal 'p1' with rule set 'local' took 20[0-9] ms, over its budget of 200 ms \\(routing the proposal first included\\), in workflow 'main'; nothing was explained\\. ", error.Message);
        Assert.Contains("RoutingOptions.TimeBudget", error.Message);
        Assert.DoesNotContain("no plan was made", error.Message);
        Assert.DoesNotContain("Routing proposal", error.Message);
    }

    [Fact]
    public void Routing_over_the_budget_inside_explain_says_explaining_stopped()
    {
        using var set = TempRuleSet.With(rules: Chain(10, local: false), manifest: UndecidedRuleTests.Manifest);
        var options = new RoutingOptions { Clock = new SteppingClock(TimeSpan.FromSeconds(4)), TimeBudget = TimeSpan.FromSeconds(3) };

        var error = Assert.Throws<RoutingTimeBudgetExceededException>(() => new Explainer(RuleSet.Load(set.Directory), options).Explain(Proposal(), "decision"));

        Assert.Equal("decision", error.Step);
        Assert.StartsWith("Explaining step 'decision' for proposal 'p1' stopped while routing the proposal, which explaining starts with: Routing proposal 'p1' with rule set 'local' took", error.Message);
        Assert.Contains("nothing was explained", error.Message);
        Assert.DoesNotContain("no plan was made", error.Message);
        Assert.IsType<RoutingTimeBudgetExceededException>(error.InnerException);
    }

    [Fact]
    public void Routing_alone_keeps_its_own_message()
    {
        using var set = TempRuleSet.With(rules: Chain(10, local: false), manifest: UndecidedRuleTests.Manifest);
        var options = new RoutingOptions { Clock = new SteppingClock(TimeSpan.FromSeconds(4)), TimeBudget = TimeSpan.FromSeconds(3) };

        var error = Assert.Throws<RoutingTimeBudgetExceededException>(() => new Router(RuleSet.Load(set.Directory), options).Route(Proposal()));

        Assert.Null(error.Step);
        Assert.StartsWith("Routing proposal 'p1' with rule set 'local' took", error.Message);
    }

    [Fact]
    public void The_cli_stops_explain_at_its_budget_with_one_line_and_exit_2()
    {
        using var set = TempRuleSet.With(rules: Chain(1000, local: false), manifest: UndecidedRuleTests.Manifest);
        set.Write("proposal.json", """{ "id": "p1", "title": "Pooled budget", "decisionMaker": "Cabinet", "intendedDecisionDate": "2024-06-03", "kinds": [ "PooledBudget" ], "financialCommitment": 1000, "wardsAffected": 3 }""");

        var (exit, output, error) = InProcessCli.Run("explain", set.PathOf("proposal.json"), "--rules", set.Directory, "--step", "decision", "--today", "2024-01-01", "--time-budget", "0.000001");

        Assert.Equal(ExitCodes.BadInput, exit);
        Assert.Equal(string.Empty, output);
        var line = Assert.Single(error.TrimEnd('\n').Split('\n'));
        Assert.StartsWith("decision-routing: Explaining step 'decision' for proposal 'p1'", line);
        Assert.Contains("nothing was explained", line);
        Assert.EndsWith("From the command line: rerun with --time-budget <seconds> (now 1E-06)", line);
        Assert.DoesNotContain("no plan was made", line);
        Assert.DoesNotContain("   at ", error);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("3601")]
    public void The_cli_refuses_a_budget_out_of_range(string seconds)
    {
        var (exit, _, error) = InProcessCli.Run("explain", "p.json", "--rules", "r", "--step", "decision", "--time-budget", seconds);

        Assert.Equal(ExitCodes.BadInput, exit);
        Assert.Equal($"decision-routing: --time-budget {seconds}: give seconds greater than 0 and at most 3600\n", error);
    }

    [Fact]
    public void The_cli_explains_a_chain_of_5000_terms_in_output_that_grows_with_the_chain()
    {
        using var set = TempRuleSet.With(rules: Chain(5000, local: false), manifest: UndecidedRuleTests.Manifest);
        set.Write("proposal.json", """{ "id": "p1", "title": "Pooled budget", "decisionMaker": "Cabinet", "intendedDecisionDate": "2024-06-03", "kinds": [ "PooledBudget" ], "financialCommitment": 1000, "wardsAffected": 3 }""");

        var (exit, output, error) = InProcessCli.Run("explain", set.PathOf("proposal.json"), "--rules", set.Directory, "--step", "decision", "--today", "2024-01-01", "--time-budget", "120");

        Assert.True(exit == 0, error);
        Assert.Contains("IS required", output);
        Assert.Contains("\nTerms the rules read (GlobalParams), each defined once:\n", output);
        Assert.Contains("    [holds] c4999  (defined under terms below)\n", output);
        Assert.Contains("\n  [holds] c4999\n", output);
        Assert.Contains("  (a term defined in this list)\n", output);
        Assert.DoesNotContain("[error]", output);

        // Each term: its line, its two conditions and its value; the indentation of a 5,000-deep tree made it 50 MB.
        Assert.InRange(output.Length, 5000 * 40, 5000 * 200);
        Assert.InRange(output.Split('\n').Max(l => l.Length), 1, 200);
    }

    // ---- The minor finding and its siblings: rules whose outcome is not one expression. ----

    private const string Extra = """
        { "WorkflowName": "extra", "Rules": [
          { "RuleName": "big", "Expression": "proposal.FinancialCommitment > 100" },
          { "RuleName": "wide", "LocalParams": [ { "Name": "w", "Expression": "proposal.WardsAffected" } ], "Expression": "w > 5" },
          { "RuleName": "off", "Enabled": false, "Expression": "true" }
        ] }
        """;

    private static async Task<RuleExplanation> ExplainWithExtraAsync(string rules, decimal commitment)
    {
        using var set = TempRuleSet.With(rules: rules, manifest: UndecidedRuleTests.Manifest);
        set.Write("extra.rules.json", Extra);
        var ruleSet = RuleSet.Load(set.Directory);
        var explanation = await Task.Run(() => new Explainer(ruleSet, Generous).Explain(Proposal(commitment), "decision")).WaitAsync(TimeSpan.FromSeconds(120));
        return Assert.Single(explanation.Rules);
    }

    [Theory]
    [InlineData("OrElse", 1000, true)]
    [InlineData("OrElse", 50, false)]
    [InlineData("AndAlso", 1000, false)]
    public async Task A_rule_that_injects_a_workflow_lists_the_injected_rules_conditions(string op, int commitment, bool matched)
    {
        var rule = await ExplainWithExtraAsync($$"""{ "WorkflowName": "main", "Rules": [ { "RuleName": "R", "Operator": "{{op}}", "WorkflowsToInject": [ "extra" ], {{Properties}} } ] }""", commitment);

        var any = op == "OrElse";
        Assert.Equal(matched, rule.Matched);
        Assert.Equal(any ? "any" : "all", rule.Joiner);
        var injected = Assert.Single(rule.Conditions);
        Assert.Equal($"injected workflow extra ({(any ? "any" : "all")} of its rules)", injected.Text);
        Assert.Equal(matched, injected.Holds);

        // The enabled rules, as routing evaluates them; the child's LocalParam is in scope, not "cannot be evaluated".
        Assert.Equal(new[] { "big: proposal.FinancialCommitment > 100", "wide: w > 5" }, injected.Because.Select(c => c.Text));
        Assert.Equal(new bool?[] { commitment > 100, false }, injected.Because.Select(c => c.Holds));
        Assert.All(injected.Because, c => Assert.Null(c.Error));
        Assert.Contains(new Fact("w", "3"), rule.Facts);
    }

    [Fact]
    public async Task A_workflow_injected_twice_in_one_rule_is_shown_once()
    {
        var rule = await ExplainWithExtraAsync(
            $$"""{ "WorkflowName": "main", "Rules": [ { "RuleName": "R", "Operator": "Or", "Rules": [ { "RuleName": "a", "Operator": "Or", "WorkflowsToInject": [ "extra" ] }, { "RuleName": "b", "Operator": "Or", "WorkflowsToInject": [ "extra" ] } ], {{Properties}} } ] }""",
            1000);

        Assert.True(rule.Matched);
        Assert.Equal(new[] { "a (any of)", "b (any of)" }, rule.Conditions.Select(c => c.Text));
        Assert.Equal(2, Assert.Single(rule.Conditions[0].Because).Because.Count);
        var again = Assert.Single(rule.Conditions[1].Because);
        Assert.Equal(("injected workflow extra (any of its rules): as shown above", (bool?)true), (again.Text, again.Holds));
        Assert.Empty(again.Because);
    }

    [Fact]
    public async Task A_nested_child_rule_reads_its_own_local_params()
    {
        var rule = await ExplainWithExtraAsync(
            $$"""{ "WorkflowName": "main", "Rules": [ { "RuleName": "R", "Operator": "And", "Rules": [ { "RuleName": "inner", "LocalParams": [ { "Name": "x", "Expression": "proposal.WardsAffected" } ], "Expression": "x > 2" }, { "RuleName": "skipped", "Enabled": false, "Expression": "false" } ], {{Properties}} } ] }""",
            1000);

        Assert.True(rule.Matched);
        var inner = Assert.Single(rule.Conditions);
        Assert.Equal(("inner: x > 2", (bool?)true, (string?)null), (inner.Text, inner.Holds, inner.Error));
    }

    [Fact]
    public async Task Many_rules_naming_one_step_and_a_long_or_are_explained()
    {
        // 1,000 rules naming the step, each an "or" of 20 conditions: every rule and condition shown.
        var conditions = string.Join(" || ", Enumerable.Range(1, 20).Select(k => $"proposal.WardsAffected == {k + 10}"));
        var rules = string.Join(", ", Enumerable.Range(0, 1000).Select(i => $$"""{ "RuleName": "R{{i}}", "Expression": "{{conditions}} || proposal.FinancialCommitment > {{i * 2}}", {{Properties}} }"""));
        var explanation = await ExplainAsync($$"""{ "WorkflowName": "main", "Rules": [ {{rules}} ] }""", Proposal(1000), Generous);

        Assert.Equal(1000, explanation.Rules.Count);
        Assert.All(explanation.Rules, r => Assert.Equal(21, r.Conditions.Count));
        Assert.Equal(500, explanation.Rules.Count(r => r.Matched));
        Assert.All(explanation.Rules, r => Assert.Equal(r.Matched, r.Conditions.Any(c => c.Holds == true)));
    }
}
