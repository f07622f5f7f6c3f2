using System.IO;
using System.Linq;
using System.Threading.Tasks;
using DecisionRouting.RuleSets;
using DecisionRouting.Tests.Analyzers;
using DecisionRouting.Tests.Support;

namespace DecisionRouting.Tests.Loading;

/// <summary>
/// Members used on a list operation's lambda parameter are checked against the list's element type: a valid one is
/// never reported, an unknown one is reported at its own name with did-you-mean from what may be called, by the
/// loader and the analyzer alike. So are unknown methods on static types and lists.
/// </summary>
public sealed class LambdaMemberExpressionTests
{
    private const string Manifest = """{ "name": "t", "parameters": { "threshold": 5 } }""";

    private static string Rules(string expression) =>
        $$"""{ "WorkflowName": "main", "Rules": [ { "RuleName": "R", "Expression": "{{expression.Replace("\"", "\\\"")}}", "Properties": { "steps": [ "notice" ], "source": "s" } } ] }""";

    // Each case: the expression, then every unknown name with the suggestion it must carry ("" for none expected).
    [Theory]
    [InlineData("proposal.Partners.Any(p => p.Length > 1) && proposal.Urgnt", "Urgnt", "Urgent")]
    [InlineData("proposal.Schedule.Values.Any(v => v.End.HasValue) && proposal.Urgnt", "Urgnt", "Urgent")]
    [InlineData("proposal.Partners.Any(p => p.Lenth > 1)", "Lenth", "Length")]
    [InlineData("proposal.Schedule.Values.Any(v => v.Ends.HasValue)", "Ends", "End")]
    [InlineData("proposal.Partners.Any(p => p.StartWith(\"NHS\"))", "StartWith", "StartsWith")]
    [InlineData("proposal.Partners.Any(p => p.Contain(\"x\"))", "Contain", "Contains")]
    [InlineData("Math.Abz(proposal.FinancialCommitment) > 1", "Abz", "Abs")]
    [InlineData("proposal.Partners.Contain(\"x\")", "Contain", "Contains")]
    public async Task An_unknown_member_is_reported_at_its_name_with_did_you_mean_and_a_valid_one_never(string expression, string unknown, string suggestion)
    {
        var rules = Rules(expression);
        using var set = TempRuleSet.With(rules: rules, manifest: Manifest);
        var diagnostics = RuleSet.Validate(set.Directory).Diagnostics;
        var d = Assert.Single(diagnostics);
        Assert.Equal("DR0010", d.Id);
        var (line, column) = Position.Of(rules, unknown);
        Assert.Equal((line, column), (d.Location.Line, d.Location.Column));
        Assert.Contains($"'{unknown}'", d.Message);
        Assert.Contains($"did you mean '{suggestion}'?", d.Message);

        var loader = diagnostics.Select(x => $"{x.Location.Path}({x.Location.Line},{x.Location.Column}): {x.Id}").ToArray();
        var analyzer = await ExpressionAnalyzerTests.Analyze(Directory.GetFiles(set.Directory));
        Assert.True(loader.SequenceEqual(analyzer), $"loader: {string.Join(", ", loader.Select(Path.GetFileName))}; analyzer: {string.Join(", ", analyzer.Select(Path.GetFileName))}");
    }
}
