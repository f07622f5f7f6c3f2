using System;
using System.Collections.Generic;
using System.Linq;
using DecisionRouting.Explanations;
using DecisionRouting.Proposals;
using DecisionRouting.RuleSets;
using DecisionRouting.Tests.Incomplete;
using DecisionRouting.Tests.Support;

namespace DecisionRouting.Tests.Explanations;

/// <summary>
/// Issue 14 §6, breaker finding D6: explain shows the value every named term really has, however many terms are in
/// scope. Past 16 names in scope (three inputs and 13 terms), each term showed "[error] A non-collectible assembly may
/// not reference a collectible assembly" and a literal <c>true</c> showed as an error; an undecided or failing term
/// was read as false or null, so the conditions reading it showed [fails] instead of why they could not be decided.
/// </summary>
public sealed class ExplainTermValueTests
{
    private const int Terms = 30;

    private const string Properties = """ "Properties": { "steps": [ "notice", "decision" ], "source": "s", "reason": "r" } """;

    private static string Params(IEnumerable<(string Name, string Expression)> terms) =>
        string.Join(", ", terms.Select(t => $$"""{ "Name": "{{t.Name}}", "Expression": "{{t.Expression.Replace("\"", "\\\"")}}" }"""));

    /// <summary>One workflow with one rule; the terms are GlobalParams, or the rule's LocalParams.</summary>
    private static string Rules(IEnumerable<(string Name, string Expression)> terms, string expression, bool local) => local
        ? $$"""{ "WorkflowName": "main", "Rules": [ { "RuleName": "R", "LocalParams": [ {{Params(terms)}} ], "Expression": "{{expression.Replace("\"", "\\\"")}}", {{Properties}} } ] }"""
        : $$"""{ "WorkflowName": "main", "GlobalParams": [ {{Params(terms)}} ], "Rules": [ { "RuleName": "R", "Expression": "{{expression.Replace("\"", "\\\"")}}", {{Properties}} } ] }""";

    /// <summary>b0 = the commitment is over 100; b_i = b_(i-1) &amp;&amp; b_(i-1).</summary>
    internal static IEnumerable<(string, string)> AndChain(int terms = Terms) =>
        new[] { ("b0", "proposal.FinancialCommitment > 100") }.Concat(Enumerable.Range(1, terms - 1).Select(i => ($"b{i}", $"b{i - 1} && b{i - 1}")));

    /// <summary>d0 = a partner is "a"; d_i = (d_(i-1) ? d_(i-1) : !d_(i-1)) == d_(i-1), which keeps d0's value.</summary>
    internal static IEnumerable<(string, string)> TernaryChain() =>
        new[] { ("d0", "proposal.Partners.Any(x => x == \"a\")") }.Concat(Enumerable.Range(1, Terms - 1).Select(i => ($"d{i}", $"(d{i - 1} ? d{i - 1} : !d{i - 1}) == d{i - 1}")));

    private static Proposal Proposal(decimal commitment = 1000, IReadOnlyList<string>? partners = null, string title = "Pooled budget") =>
        UndecidedRuleTests.Proposal() with { FinancialCommitment = commitment, Partners = partners ?? Array.Empty<string>(), Title = title };

    /// <summary>The last explanation: GlobalParams are defined in it, once, not in the rule.</summary>
    private StepExplanation? _explanation;

    private RuleExplanation Explain(string rules, Proposal proposal)
    {
        using var set = TempRuleSet.With(rules: rules, manifest: UndecidedRuleTests.Manifest);
        _explanation = new Explainer(RuleSet.Load(set.Directory)).Explain(proposal, "decision");
        return Assert.Single(_explanation.Rules);
    }

    /// <summary>The values the rule and the terms it reads read.</summary>
    private IEnumerable<Fact> Facts(RuleExplanation rule) => rule.Facts.Concat(_explanation?.TermValues ?? Array.Empty<Fact>());

    private IEnumerable<ConditionExplanation> Defined(RuleExplanation rule) => rule.Conditions.Concat(rule.Terms).Concat(_explanation?.Terms ?? Array.Empty<ConditionExplanation>());

    private static IEnumerable<ConditionExplanation> All(IEnumerable<ConditionExplanation> conditions) => conditions.SelectMany(c => new[] { c }.Concat(All(c.Because)));

    // Terms nested deeper than the explainer shows inline are defined once in Terms.
    // GlobalParams are defined once per explanation, in StepExplanation.Terms; the rule's conditions show their values.
    private ConditionExplanation Find(RuleExplanation rule, string text) => All(Defined(rule)).Where(c => c.Text == text).OrderByDescending(c => c.Because.Count).First();

    [Theory]
    [InlineData(false, 1000, true)]
    [InlineData(false, 50, false)]
    [InlineData(true, 1000, true)]
    [InlineData(true, 50, false)]
    public void Every_term_of_a_30_term_and_chain_shows_its_value(bool local, int commitment, bool expected)
    {
        var rule = Explain(Rules(AndChain(), $"b{Terms - 1}", local), Proposal(commitment));

        Assert.Equal(expected, rule.Matched);
        for (var i = 0; i < Terms; i++)
        {
            var term = Find(rule, $"b{i}");
            Assert.True(term.Holds == expected && term.Error is null, $"b{i}: holds {term.Holds}, error {term.Error}");
        }

        Assert.DoesNotContain(All(Defined(rule)), c => c.Error is not null);
    }

    [Theory]
    [InlineData(new[] { "a" }, true)]
    [InlineData(new[] { "b" }, false)]
    public void A_ternary_chain_shows_its_terms_and_a_literal_true_holds(string[] partners, bool expected)
    {
        var rule = Explain(Rules(TernaryChain(), $"d{Terms - 1} || true", local: false), Proposal(partners: partners));

        Assert.True(rule.Matched);
        var literal = Find(rule, "true");
        Assert.Equal((true, (string?)null), (literal.Holds, literal.Error));
        var last = Find(rule, $"d{Terms - 1}");
        Assert.Equal((expected, (string?)null), (last.Holds, last.Error));
        var definition = Assert.Single(last.Because);
        Assert.Equal(($"(d{Terms - 2} ? d{Terms - 2} : !d{Terms - 2}) == d{Terms - 2}", (bool?)expected), (definition.Text, definition.Holds));

        // The term the definition reads is shown with its value.
        Assert.Contains(new Fact($"d{Terms - 2}", expected ? "true" : "false"), Facts(rule));
    }

    [Fact]
    public void Nested_lambdas_read_local_terms_beyond_sixteen_names()
    {
        // n0..n20 count up from the wards; the list operations' lambdas read the 21st term and a text term.
        var terms = new[] { ("n0", "proposal.WardsAffected") }
            .Concat(Enumerable.Range(1, 20).Select(i => ($"n{i}", $"n{i - 1} + 1")))
            .Append(("prefix", "\"p\""))
            .Append(("anyLong", "proposal.Partners.Any(p => p.StartsWith(prefix) && p.Length > n20)"))
            .Append(("allShort", "proposal.Partners.All(p => p.Length < n20 + 10)"));
        var partners = new[] { "p" + new string('x', 23), "q" };
        var rule = Explain(Rules(terms, "anyLong && allShort", local: true), Proposal(partners: partners) with { WardsAffected = 0 });

        Assert.True(rule.Matched);
        Assert.Equal((true, (string?)null), (Find(rule, "anyLong").Holds, Find(rule, "anyLong").Error));
        Assert.Equal((true, (string?)null), (Find(rule, "allShort").Holds, Find(rule, "allShort").Error));
        Assert.Contains(new Fact("n20", "20"), Facts(rule));
        Assert.Contains(new Fact("prefix", "\"p\""), Facts(rule));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_chain_of_text_terms_shows_the_text(bool local)
    {
        var terms = new[] { ("s0", "proposal.Title") }.Concat(Enumerable.Range(1, 20).Select(i => ($"s{i}", $"s{i - 1} + \"x\"")));
        var rule = Explain(Rules(terms, "s20 == \"Tx\" || s20.EndsWith(\"xxxxxxxxxxxxxxxxxxxx\")", local), Proposal(title: "T"));

        Assert.True(rule.Matched);
        Assert.Equal(new bool?[] { false, true }, rule.Conditions.Select(c => c.Holds));
        Assert.Contains(new Fact("s20", "\"T" + new string('x', 20) + "\""), Facts(rule));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_chain_of_date_terms_shows_the_dates(bool local)
    {
        // The proposal's decision date is 3 June 2024; twenty days on is 23 June.
        var terms = new[] { ("t0", "proposal.IntendedDecisionDate") }.Concat(Enumerable.Range(1, 20).Select(i => ($"t{i}", $"t{i - 1}.PlusDays(1)")));
        var rule = Explain(Rules(terms, "t20 > LocalDate(2024, 6, 22) && t20 < LocalDate(2024, 6, 23)", local), Proposal());

        Assert.False(rule.Matched);
        Assert.Equal(new bool?[] { true, false }, rule.Conditions.Select(c => c.Holds));
        Assert.Contains(new Fact("t20", "2024-06-23"), Facts(rule));
    }

    [Theory]
    [InlineData(false, 2)]
    [InlineData(true, 2)]
    [InlineData(false, Terms)]
    [InlineData(true, Terms)]
    public void A_term_the_proposal_does_not_decide_leaves_what_reads_it_undecided_not_failed(bool local, int terms)
    {
        // Routing leaves the rule undecided; explain used to read the term as false and show [fails], even in a short chain.
        var rule = Explain(Rules(AndChain(terms).Append(("approved", "proposal.Attributes.Flag(\"preApproved\")")), $"approved && b{terms - 1}", local), Proposal());

        Assert.NotNull(rule.Incomplete);
        var approved = Find(rule, "approved");
        Assert.Null(approved.Holds);
        Assert.Equal("undecided: the proposal gives no value for attribute 'preApproved'", approved.Error);
        Assert.Equal((true, (string?)null), (Find(rule, $"b{terms - 1}").Holds, Find(rule, $"b{terms - 1}").Error));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(Terms)]
    public void A_term_that_fails_is_an_error_on_what_reads_it_not_a_default_value(int terms)
    {
        // First() of an empty list throws; explain used to read the term as null and show the comparison as [fails].
        var rule = Explain(Rules(AndChain(terms).Append(("first", "proposal.Partners.First()")), $"first == \"a\" && b{terms - 1}", local: false), Proposal());

        var comparison = Find(rule, "first == \"a\"");
        Assert.Null(comparison.Holds);
        Assert.Equal("reads first, which could not be evaluated: evaluation failed: Sequence contains no elements", comparison.Error);
        Assert.Contains(new Fact("first", "(could not be evaluated: evaluation failed: Sequence contains no elements)"), Facts(rule));
    }

    [Fact]
    public void The_cli_explains_a_30_term_chain_with_no_error()
    {
        using var set = TempRuleSet.With(rules: Rules(AndChain(), $"b{Terms - 1}", local: false), manifest: UndecidedRuleTests.Manifest);
        set.Write("proposal.json", """{ "id": "p1", "title": "Pooled budget", "decisionMaker": "Cabinet", "intendedDecisionDate": "2024-06-03", "kinds": [ "PooledBudget" ], "financialCommitment": 1000 }""");
        var (exit, output, error) = InProcessCli.Run("explain", set.PathOf("proposal.json"), "--rules", set.Directory, "--step", "decision", "--today", "2024-01-01");

        Assert.True(exit == 0, error);
        Assert.DoesNotContain("[error]", output);
        Assert.DoesNotContain("collectible", output);
        for (var i = 0; i < Terms; i++)
        {
            Assert.Contains($"[holds] b{i}\n", output);
        }
    }

    [Fact]
    public void The_cli_explains_a_ternary_chain_with_the_literal_holding()
    {
        using var set = TempRuleSet.With(rules: Rules(TernaryChain(), $"d{Terms - 1} || true", local: false), manifest: UndecidedRuleTests.Manifest);
        set.Write("proposal.json", """{ "id": "p1", "title": "Pooled budget", "decisionMaker": "Cabinet", "intendedDecisionDate": "2024-06-03", "kinds": [ "PooledBudget" ], "financialCommitment": 1000, "partners": [ "a" ] }""");
        var (exit, output, error) = InProcessCli.Run("explain", set.PathOf("proposal.json"), "--rules", set.Directory, "--step", "decision", "--today", "2024-01-01");

        Assert.True(exit == 0, error);
        Assert.DoesNotContain("[error]", output);
        Assert.Contains($"    [holds] d{Terms - 1}  (defined under terms below)\n", output);
        Assert.Contains($"\n  [holds] d{Terms - 1}\n", output);
        Assert.Contains("    [holds] true\n", output);
        Assert.Contains($"    d{Terms - 2} = true\n", output);
    }

    [Fact]
    public void Explaining_evaluates_only_the_GlobalParams_the_rule_reads_directly_or_through_another()
    {
        // A sibling of the tester's N1 found by the fan-out property: explain defined, so compiled and evaluated,
        // every GlobalParam of the workflow, read or not; 2,000 of them overran the 5 s budget on a loaded machine.
        // Now only those the rule reads, and those they read in turn, are; the explanation is the same.
        var terms = Enumerable.Range(0, 2000).Select(i => ($"g{i}", i == 1500 ? "g10 && proposal.FinancialCommitment > 500" : $"proposal.FinancialCommitment > {i}")).ToList();
        using var set = TempRuleSet.With(rules: Rules(terms, "g1500 && g3", local: false));
        var explainer = new Explainer(RuleSet.Load(set.Directory));
        explainer.Explain(Proposal(commitment: 1000), "notice"); // routing and the parser warmed up
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var explanation = explainer.Explain(Proposal(commitment: 1000), "decision");
        var rule = Assert.Single(explanation.Rules);
        var took = watch.Elapsed;
        Assert.True(rule.Matched);
        Assert.Single(rule.Conditions, c => c.Text == "g1500" && c.Holds == true);
        var g1500 = Assert.Single(explanation.Terms, c => c.Text == "g1500");
        Assert.True(g1500.Holds);
        Assert.Contains(g1500.Because, c => c.Text == "g10" && c.Holds == true);
        Assert.Contains(rule.Conditions, c => c.Text == "g3" && c.Holds == true);
        // Two thousand compilations take seconds on any machine; the few this needs, milliseconds (on a loaded one, less than one second).
        Assert.True(took < TimeSpan.FromSeconds(1.5), $"explaining took {took}");
    }
}

public sealed class LongChainEvaluationTests
{
    [Theory]
    [InlineData(DecisionRouting.Routing.RoutingEvaluation.Compiled, false)]
    [InlineData(DecisionRouting.Routing.RoutingEvaluation.RulesEngine, false)]
    [InlineData(DecisionRouting.Routing.RoutingEvaluation.Compiled, true)]
    [InlineData(DecisionRouting.Routing.RoutingEvaluation.RulesEngine, true)]
    public void Both_evaluators_route_a_30_term_chain(DecisionRouting.Routing.RoutingEvaluation evaluation, bool local)
    {
        var chain = string.Join(", ", ExplainTermValueTests.AndChain().Select(t => $$"""{ "Name": "{{t.Item1}}", "Expression": "{{t.Item2}}" }"""));
        const string props = """ "Properties": { "steps": [ "notice", "decision" ], "source": "s", "reason": "r" } """;
        var rules = local
            ? $$"""{ "WorkflowName": "main", "Rules": [ { "RuleName": "R", "LocalParams": [ {{chain}} ], "Expression": "b29 && true", {{props}} } ] }"""
            : $$"""{ "WorkflowName": "main", "GlobalParams": [ {{chain}} ], "Rules": [ { "RuleName": "R", "Expression": "b29 && true", {{props}} } ] }""";
        using var set = TempRuleSet.With(rules: rules, manifest: UndecidedRuleTests.Manifest);
        var plan = new DecisionRouting.Routing.Router(RuleSet.Load(set.Directory), new DecisionRouting.Routing.RoutingOptions { Evaluation = evaluation }).Route(UndecidedRuleTests.Proposal());
        Assert.True(plan.IsComplete, string.Join("; ", plan.Incomplete.Select(i => i.Message)));
        Assert.Equal(new[] { "R" }, plan.MatchedRules.Select(r => r.Rule));
    }
}
