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
    [Fact]
    public void The_checker_holds_no_parser_of_its_own()
    {
        // The checker parses through ParsedExpressions.ParseBody, which falls back to the process's one parser: a
        // parser field on the checker or one of its scopes would mean a second parser (and a second assembly scan).
        var checkerTypes = new[] { typeof(RulesEngineExpressionChecker) }.Concat(typeof(RulesEngineExpressionChecker).GetNestedTypes(BindingFlags.NonPublic | BindingFlags.Public));
        var parserFields = checkerTypes
            .SelectMany(type => type.GetFields(BindingFlags.NonPublic | BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static))
            .Where(field => field.FieldType == typeof(RulesEngine.ExpressionBuilders.RuleExpressionParser))
            .Select(field => field.DeclaringType!.Name + "." + field.Name);

        Assert.Empty(parserFields);

        // And checking still works through it: the England baseline loads clean.
        Assert.NotEmpty(RuleSet.Load(Repository.PathOf("rules/england")).Definition.Parameters);
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
