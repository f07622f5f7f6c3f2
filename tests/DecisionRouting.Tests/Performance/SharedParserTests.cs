using System.Linq;
using System.Reflection;
using DecisionRouting.Explanations;
using DecisionRouting.Expressions;
using DecisionRouting.RuleSets;
using DecisionRouting.Tests.Support;

namespace DecisionRouting.Tests.Performance;

/// <summary>
/// Building a RulesEngine parser's configuration makes System.Linq.Dynamic.Core scan every type of every loaded
/// assembly (0.2 to 0.5 s on the shared machine): one parser serves the process, so a load, a second load and the
/// explainer never pay that scan again. Before, every workflow's check, every workflow's compile and every explainer
/// built a parser of its own.
/// </summary>
public sealed class SharedParserTests
{
    private static readonly FieldInfo ScopeParser = typeof(RulesEngineExpressionChecker).GetNestedType("Scope", BindingFlags.NonPublic)!
        .GetField("_parser", BindingFlags.NonPublic | BindingFlags.Instance)!;

    [Fact]
    public void Every_checker_scope_uses_the_process_parser()
    {
        var parameters = RuleSet.Load(Repository.PathOf("rules/england")).Definition.Parameters.Values.ToList();

        // Two checkers (two loads), two scopes each (two workflows): one parser.
        var parsers = Enumerable.Range(0, 2)
            .SelectMany(_ => { var checker = new RulesEngineExpressionChecker(); return new[] { checker.CreateScope(parameters), checker.CreateScope(parameters) }; })
            .Select(scope => ScopeParser.GetValue(scope))
            .ToList();

        Assert.All(parsers, parser => Assert.Same(ExpressionEnvironment.SharedParser, parser));
    }

    [Fact]
    public void The_explainer_uses_the_process_parser()
    {
        var explainer = new Explainer(RuleSet.Load(Repository.PathOf("rules/england")));

        var parser = typeof(Explainer).GetField("_parser", BindingFlags.NonPublic | BindingFlags.Instance)!.GetValue(explainer);

        Assert.Same(ExpressionEnvironment.SharedParser, parser);
    }

    [Fact]
    public void The_shared_parser_parses_as_a_fresh_one_does()
    {
        // Same settings, same trees: a rule set checked with the shared parser gives the same diagnostics as before.
        var fresh = new RulesEngine.ExpressionBuilders.RuleExpressionParser(ExpressionEnvironment.Settings);
        var input = System.Linq.Expressions.Expression.Parameter(typeof(DecisionRouting.Proposals.Proposal), "proposal");
        foreach (var text in new[] { "proposal.FinancialCommitment > 250000 && proposal.Has(ProposalKind.PooledBudget)", "proposal.WardsAffected >= 3 || proposal.TupeTransfer" })
        {
            var shared = ExpressionEnvironment.SharedParser.Parse(text, new[] { input }, null!);
            var own = fresh.Parse(text, new[] { input }, null!);
            Assert.Equal(own.ToString(), shared.ToString());
        }
    }
}
