using System;
using System.Linq;
using DecisionRouting.Explanations;
using DecisionRouting.Proposals;
using DecisionRouting.Routing;
using DecisionRouting.RuleSets;
using DecisionRouting.Tests.Calendar;
using DecisionRouting.Tests.Support;

namespace DecisionRouting.Tests.Explanations;

public sealed class ExplainerTests
{
    private static Proposal Sample(string name) => ProposalReader.ReadFile(Repository.PathOf($"samples/proposals/{name}.json")).Proposal!;

    private static Explainer For(string partnership) => new(RuleSet.Load(Repository.PathOf($"rules/partnerships/{partnership}")));

    [Fact]
    public void A_required_step_names_its_rule_source_and_the_values_that_triggered_it()
    {
        var explanation = For("croydon").Explain(Sample("croydon-2013-integrated-commissioning-unit"), "key-decision-notice");
        Assert.True(explanation.Required);
        var rule = Assert.Single(explanation.Rules, r => r.Matched);
        Assert.Equal("KeyDecisionNotice", rule.Rule);
        Assert.Equal("SI 2012/2089 regs 8–9", rule.Source);
        Assert.Equal("all", rule.Joiner);
        Assert.All(rule.Conditions, c => Assert.True(c.Holds));
        Assert.Single(rule.Conditions, c => c.Text == "isKeyDecision" && c.Because.Count == 0);

        // isKeyDecision is a GlobalParam: defined once for the explanation, not under each rule reading it.
        var isKey = Assert.Single(explanation.Terms, c => c.Text == "isKeyDecision");
        // Three: not a committee system (no executive, so no key decisions), an executive decision, and significance.
        Assert.Equal(3, isKey.Because.Count);
        Assert.Equal("parameters.executiveModel != \"CommitteeSystem\"", isKey.Because[0].Text);
        Assert.Contains(new Fact("proposal.SpendOrSaving", "6500000"), explanation.TermValues);
        Assert.Contains(new Fact("parameters.keyDecisionThreshold", "500000"), explanation.TermValues);
    }

    [Fact]
    public void A_step_not_required_shows_which_conditions_failed()
    {
        var explanation = For("durham").Explain(Sample("durham-2019-integrated-strategic-commissioning"), "key-decision-notice");
        Assert.False(explanation.Required);
        var rule = Assert.Single(explanation.Rules, r => r.Rule == "KeyDecisionNotice");
        Assert.False(rule.Matched);
        var failed = Assert.Single(rule.Conditions, c => c.Holds == false);
        Assert.Equal("isKeyDecision", failed.Text);
        var isKey = Assert.Single(explanation.Terms, c => c.Text == "isKeyDecision");
        Assert.Contains(isKey.Because, c => c.Holds == false && c.Text.Contains("parameters.keyDecisionThreshold"));
        Assert.Contains(new Fact("proposal.SpendOrSaving", "0"), explanation.TermValues);
        Assert.Contains(new Fact("parameters.keyDecisionThreshold", "1000000"), explanation.TermValues);
    }

    [Fact]
    public void Every_rule_that_names_the_step_is_explained_and_agrees_with_routing()
    {
        var explanation = For("croydon").Explain(Sample("croydon-2013-integrated-commissioning-unit"), "cabinet-decision");
        Assert.True(explanation.Required);
        Assert.Contains(explanation.Rules, r => r.Rule == "CabinetDecides" && r.Matched);
        Assert.Contains(explanation.Rules, r => r.Rule == "MouSignedByCabinet" && !r.Matched);
        foreach (var rule in explanation.Rules.Where(r => r.Joiner == "all"))
        {
            Assert.Equal(rule.Matched, rule.Conditions.All(c => c.Holds == true));
        }
    }

    [Fact]
    public void Facts_show_attribute_lookups_and_kinds()
    {
        var explanation = For("durham").Explain(Sample("durham-2019-integrated-strategic-commissioning"), "all-signatories-agree-variation");
        var rule = Assert.Single(explanation.Rules);
        Assert.True(rule.Matched);
        Assert.Contains(new Fact("proposal.Has(MouVariation)", "true"), rule.Facts);
    }

    [Fact]
    public void An_unknown_step_suggests_the_closest()
    {
        var error = Assert.Throws<ArgumentException>(() => For("durham").Explain(Sample("durham-2019-integrated-strategic-commissioning"), "key-decison-notice"));
        Assert.StartsWith("Rule set 'durham' has no step 'key-decison-notice'; did you mean 'key-decision-notice'?", error.Message);
    }

    [Fact]
    public void An_urgency_step_is_named_by_no_rule()
    {
        var ruleSet = RuleSet.Load(Repository.PathOf("rules/partnerships/doncaster"));
        var clock = new FixedClock(new DateTimeOffset(2018, 4, 20, 9, 0, 0, TimeSpan.Zero));
        var explanation = new Explainer(ruleSet, new RoutingOptions { Clock = clock }).Explain(Sample("doncaster-2018-joint-commissioner-agreement"), "special-urgency-agreement");
        Assert.True(explanation.Required);
        Assert.Empty(explanation.Rules);
    }

    [Theory]
    [InlineData("a && b", "all", new[] { "a", "b" })]
    [InlineData("a || b && c", "any", new[] { "a", "b && c" })]
    [InlineData("(a || b) && c", "all", new[] { "(a || b)", "c" })]
    [InlineData("((a && b))", "all", new[] { "a", "b" })]
    [InlineData("(a) || (b)", "any", new[] { "(a)", "(b)" })]
    [InlineData("x.Flag(\"a && b\") && y", "all", new[] { "x.Flag(\"a && b\")", "y" })]
    public void Conditions_split_at_the_top_level_only(string expression, string joiner, string[] parts)
    {
        var (split, join) = ConditionText.Split(expression);
        Assert.Equal(joiner, join);
        Assert.Equal(parts, split);
    }
}
