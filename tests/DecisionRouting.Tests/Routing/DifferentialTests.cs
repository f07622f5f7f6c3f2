using System;
using System.IO;
using System.Linq;
using DecisionRouting.Routing;
using DecisionRouting.RuleSets;
using DecisionRouting.Tests.Support;

namespace DecisionRouting.Tests.Routing;

/// <summary>
/// The compiled evaluator must match exactly what RulesEngine's ExecuteAllRulesAsync matches, for every input: the
/// same matched rules, and the same rules that could not be evaluated. Inputs are seeded random proposals; rules are
/// the shipped rule sets and generated ones.
/// </summary>
public sealed class DifferentialTests
{
    private const int ProposalsPerRuleSet = 400;

    [Theory]
    [MemberData(nameof(Repository.ShippedRuleSets), MemberType = typeof(Repository))]
    public void Compiled_evaluation_matches_rules_engine_on_shipped_rule_sets(string folder)
    {
        // Generated proposals give none of the shipped attributes, so rules reading them are undecided in both paths;
        // no shipped rule may fail outright.
        var (notEvaluated, undecided) = AssertSameMatches(RuleSet.Load(Repository.PathOf(folder)), seed: folder.Length);
        Assert.Equal(0, notEvaluated);
        Assert.True(undecided > 0, "shipped rules read optional attributes, so undecided rules are compared too");
    }

    [Theory]
    [InlineData(50, 11)]
    [InlineData(200, 12)]
    [InlineData(200, 13)]
    public void Compiled_evaluation_matches_rules_engine_on_generated_rule_sets(int rules, int seed)
    {
        var directory = Path.Combine(Path.GetTempPath(), "dr-synthetic", Guid.NewGuid().ToString("N"));
        try
        {
            Synthetic.WriteRuleSet(directory, rules, seed);
            var ruleSet = RuleSet.Load(directory);
            Assert.Equal(rules, ruleSet.Evaluation.Compiled.RuleCount);
            var (errors, undecided) = AssertSameMatches(ruleSet, seed);
            Assert.True(errors > 0, "generated rules include expressions that throw, so error handling is compared too");
            Assert.True(undecided > 0, "generated proposals leave attributes out, so undecided rules are compared too");
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static (int NotEvaluated, int Undecided) AssertSameMatches(RuleSet ruleSet, int seed)
    {
        var compiled = new Router(ruleSet, new RoutingOptions { Evaluation = RoutingEvaluation.Compiled });
        var oracle = new Router(ruleSet, new RoutingOptions { Evaluation = RoutingEvaluation.RulesEngine });
        var random = new Random(seed);
        int matches = 0, errors = 0, undecided = 0;
        for (var i = 0; i < ProposalsPerRuleSet; i++)
        {
            var proposal = Synthetic.Proposal(random, i);
            var expected = oracle.Route(proposal);
            var actual = compiled.Route(proposal);
            Assert.Equal(expected.MatchedRules.Select(m => (m.Workflow, m.Rule)), actual.MatchedRules.Select(m => (m.Workflow, m.Rule)));
            Assert.Equal(NotEvaluated(expected), NotEvaluated(actual));
            Assert.Equal(expected.Steps.Select(s => (s.Id, s.Stage)), actual.Steps.Select(s => (s.Id, s.Stage)));
            matches += expected.MatchedRules.Count;
            errors += expected.Incomplete.Count(r => r.Kind == IncompleteRuleKind.NotEvaluated);
            undecided += expected.Incomplete.Count(r => r.Kind == IncompleteRuleKind.Undecided);
            Assert.Equal(expected.IsComplete, actual.IsComplete);
        }

        // The comparison means something only if rules both match and fail to match across the inputs.
        Assert.InRange(matches, 1, (ProposalsPerRuleSet * ruleSet.Evaluation.Compiled.RuleCount) - 1);
        return (errors, undecided);
    }

    /// <summary>Every rule the plan could not decide, with why (undecided and the value, or not evaluated): both paths must agree on all three.</summary>
    private static string[] NotEvaluated(RoutingPlan plan) =>
        plan.Incomplete.Select(r => $"{r.Workflow}/{r.Rule}:{r.Kind}:{r.MissingValue}").ToArray();
}
