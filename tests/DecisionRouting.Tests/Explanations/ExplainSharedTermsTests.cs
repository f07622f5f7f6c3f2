using System;
using System.Linq;
using DecisionRouting.Documentation;
using DecisionRouting.Explanations;
using DecisionRouting.RuleSets;
using DecisionRouting.Tests.Incomplete;
using DecisionRouting.Tests.Support;

namespace DecisionRouting.Tests.Explanations;

/// <summary>
/// Issue 14, breaker4 M2, L2 and L3. M2: explain defined every GlobalParam once per rule reading it, so 400 rules over a
/// chain of 5,000 (gpr2) printed 173 MB and 1,500 rules (gpr3) ran out of memory; now each is defined once per
/// explanation and output grows with rules plus terms. L2: <c>--why-not</c> of a required step listed no rule.
/// L3: the catalogue showed a rule that injects workflows, with no expression, as triggered by "false".
/// </summary>
public sealed class ExplainSharedTermsTests
{
    private const string Properties = """ "Properties": { "steps": [ "notice", "decision" ], "source": "s", "reason": "r" } """;

    private const string ProposalJson = """{ "id": "p1", "title": "Pooled budget", "decisionMaker": "Cabinet", "intendedDecisionDate": "2024-06-03", "kinds": [ "PooledBudget" ], "financialCommitment": 1000, "wardsAffected": 3 }""";

    /// <summary>gpr2's shape: g0 = commitment over 100, g_i = g_(i-1) &amp;&amp; a ward is affected; each rule reads the last.</summary>
    private static string Chain(int terms, int rules)
    {
        var globals = new[] { """{ "Name": "g0", "Expression": "proposal.FinancialCommitment > 100" }""" }
            .Concat(Enumerable.Range(1, terms - 1).Select(i => $$"""{ "Name": "g{{i}}", "Expression": "g{{i - 1}} && proposal.WardsAffected > 0" }"""));
        var list = Enumerable.Range(0, rules).Select(j => $$"""{ "RuleName": "r{{j}}", "Expression": "g{{terms - 1}} || proposal.FinancialCommitment > 1000000000", {{Properties}} }""");
        return $$"""{ "WorkflowName": "main", "GlobalParams": [ {{string.Join(", ", globals)}} ], "Rules": [ {{string.Join(", ", list)}} ] }""";
    }

    private static string ExplainText(string rules, params string[] extra)
    {
        using var set = TempRuleSet.With(rules: rules, manifest: UndecidedRuleTests.Manifest);
        set.Write("proposal.json", ProposalJson);
        var (exit, output, error) = InProcessCli.Run(new[] { "explain", set.PathOf("proposal.json"), "--rules", set.Directory, "--today", "2024-01-01", "--time-budget", "120" }.Concat(extra).ToArray());
        Assert.True(exit == 0, error);
        return output;
    }

    private static int Occurrences(string text, string part) => (text.Length - text.Replace(part, string.Empty, StringComparison.Ordinal).Length) / part.Length;

    [Fact]
    public void Rules_sharing_a_chain_of_GlobalParams_define_it_once_so_output_grows_with_rules_plus_terms()
    {
        const int terms = 300;
        var one = ExplainText(Chain(terms, 1), "--step", "decision");
        var many = ExplainText(Chain(terms, 60), "--step", "decision");

        // Each rule more adds its own few lines; the old explainer added the whole chain (300 terms) per rule.
        var perRule = (many.Length - one.Length) / 59;
        Assert.InRange(perRule, 50, 400);
        Assert.True(many.Length < one.Length * 2, $"60 rules: {many.Length} characters; 1 rule: {one.Length}");

        // Content: every rule requires the step through the last term, which each shows by value and name only.
        for (var j = 0; j < 60; j++)
        {
            Assert.Contains($"\nRequired by main/r{j}\n", many);
        }

        Assert.Equal(60, Occurrences(many, $"    [holds] g{terms - 1}  (defined under terms below)\n"));

        // Every term defined exactly once, with its own conditions, and the values the terms read once.
        Assert.Equal(1, Occurrences(many, "\nTerms the rules read (GlobalParams), each defined once:\n"));
        for (var i = 0; i < terms; i++)
        {
            Assert.Equal(1, Occurrences(many, $"\n  [holds] g{i}\n"));
        }

        Assert.Equal(1, Occurrences(many, "    proposal.WardsAffected = 3\n"));
        Assert.DoesNotContain("[error]", many);
    }

    [Fact]
    public void The_library_explanation_holds_each_GlobalParam_once_however_many_rules_read_it()
    {
        using var set = TempRuleSet.With(rules: Chain(50, 20), manifest: UndecidedRuleTests.Manifest);
        var explanation = new Explainer(RuleSet.Load(set.Directory)).Explain(UndecidedRuleTests.Proposal() with { FinancialCommitment = 50 }, "decision");

        Assert.False(explanation.Required);
        Assert.Equal(20, explanation.Rules.Count);
        Assert.All(explanation.Rules, r => Assert.All(r.Conditions, c => Assert.Empty(c.Because)));
        Assert.Equal(Enumerable.Range(0, 50).Select(i => $"g{i}").OrderBy(n => n, StringComparer.Ordinal), explanation.Terms.Select(t => t.Text).OrderBy(n => n, StringComparer.Ordinal));
        Assert.All(explanation.Terms, t => Assert.False(t.Holds));
        Assert.Contains(new Fact("proposal.FinancialCommitment", "50"), explanation.TermValues);
    }

    private static string TwoRules => $$"""
        { "WorkflowName": "main", "Rules": [
          { "RuleName": "fails", "Expression": "proposal.FinancialCommitment > 1000000000", {{Properties}} },
          { "RuleName": "holds", "Expression": "proposal.FinancialCommitment > 100", {{Properties}} }
        ] }
        """;

    [Fact]
    public void Why_not_of_a_required_step_lists_the_rules_that_require_it()
    {
        var output = ExplainText(TwoRules, "--why-not", "decision");

        Assert.Contains("IS required", output);
        Assert.Contains("the 1 rule(s) below require it", output);
        Assert.Contains("\nRequired by main/holds\n", output);
        Assert.Contains("    [holds] proposal.FinancialCommitment > 100\n", output);
        Assert.DoesNotContain("main/fails", output);
    }

    [Fact]
    public void Why_not_of_a_step_not_required_still_lists_every_rule_that_could_require_it()
    {
        var output = ExplainText(TwoRules.Replace("> 100\"", "> 1000000\"", StringComparison.Ordinal), "--why-not", "decision");

        Assert.Contains("is NOT required", output);
        Assert.DoesNotContain("asked why not", output);
        Assert.Contains("\nNot required by main/fails\n", output);
        Assert.Contains("\nNot required by main/holds\n", output);
    }

    private static string Catalogue(string rules, string? extra = null)
    {
        using var set = TempRuleSet.With(rules: rules, manifest: UndecidedRuleTests.Manifest);
        if (extra is not null)
        {
            set.Write("extra.rules.json", extra);
        }

        return RulesCatalogue.Write(new[] { RuleSet.Validate(set.Directory) });
    }

    private const string Extra = """
        { "WorkflowName": "extra", "Rules": [ { "RuleName": "big", "Expression": "proposal.FinancialCommitment > 100" } ] }
        """;

    [Theory]
    [InlineData("Or", "any")]
    [InlineData("And", "all")]
    public void The_catalogue_shows_an_injecting_rule_by_its_injected_workflow_never_false(string op, string joiner)
    {
        var document = Catalogue($$"""{ "WorkflowName": "main", "Rules": [ { "RuleName": "inj", "Operator": "{{op}}", "WorkflowsToInject": [ "extra" ], {{Properties}} } ] }""", Extra);

        Assert.Contains($"| main/inj | workflow extra ({joiner} of its rules) |", document);
        Assert.DoesNotContain("| false |", document);
        Assert.Contains("| extra/big | ", document);
    }

    [Fact]
    public void The_catalogue_shows_a_rule_of_child_rules_and_an_injected_workflow_by_all_of_them()
    {
        var document = Catalogue($$"""
            { "WorkflowName": "main", "Rules": [ { "RuleName": "both", "Operator": "Or", "WorkflowsToInject": [ "extra" ],
              "Rules": [ { "RuleName": "c1", "Expression": "proposal.Urgent" }, { "RuleName": "off", "Enabled": false, "Expression": "true" } ], {{Properties}} } ] }
            """, Extra);

        Assert.Contains("| main/both | (urgent) or workflow extra (any of its rules) |", document);
        Assert.DoesNotContain("(true)", document);
    }

    [Fact]
    public void The_catalogue_says_never_of_a_rule_that_depends_on_nothing()
    {
        var document = Catalogue($$"""
            { "WorkflowName": "main", "Rules": [ { "RuleName": "none", "Rules": [ { "RuleName": "off", "Enabled": false, "Expression": "true" } ], {{Properties}} } ] }
            """);

        Assert.Contains("| main/none | never: no expression, no enabled child rules, no injected workflow with enabled rules |", document);
    }
}
