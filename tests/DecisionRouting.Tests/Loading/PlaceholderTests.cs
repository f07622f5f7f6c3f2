using System.Linq;
using DecisionRouting.RuleSets;
using DecisionRouting.Tests.Support;

namespace DecisionRouting.Tests.Loading;

/// <summary>
/// DR0091: the "FILL IN:" placeholder that <c>decision-routing new</c> writes is an error wherever authored law is read
/// (a rule's source, reason and warning; a catalogue step's, body's or role's source; a parameter's or attribute's
/// source; a step's drop reason and source), located at the value, so a scaffold never loads as if it cited real law.
/// </summary>
public sealed class PlaceholderTests
{
    private static void AssertAt(TempRuleSet set, string id, string file, string text, string marker, string property, string what)
    {
        var diagnostic = set.SingleDiagnostic(id);
        var (line, column) = Position.Of(text, marker);
        Assert.True(diagnostic.IsError);
        Assert.Equal($"{set.PathOf(file)}({line},{column})", diagnostic.Location.ToString());
        Assert.StartsWith($"'{property}' of {what} still holds the 'FILL IN:' placeholder that 'decision-routing new' wrote: ", diagnostic.Message, System.StringComparison.Ordinal);
        Assert.Null(RuleSet.TryLoad(set.Directory).RuleSet);
    }

    [Theory]
    [InlineData("source")]
    [InlineData("reason")]
    [InlineData("warning")]
    public void DR0091_a_placeholder_in_a_rule_is_an_error_at_the_value(string property)
    {
        var values = new[] { "source", "reason", "warning" }.ToDictionary(p => p, p => p == property ? "FILL IN: the law" : $"real {p}");
        var rules = $$"""
            {
              "WorkflowName": "main",
              "Rules": [
                { "RuleName": "Big", "Expression": "proposal.FinancialCommitment > 100", "Properties": { "steps": [ "notice", "decision" ], "source": "{{values["source"]}}", "reason": "{{values["reason"]}}", "warning": "{{values["warning"]}}" } }
              ]
            }
            """;
        using var set = TempRuleSet.With(rules: rules);
        AssertAt(set, "DR0091", "main.rules.json", rules, "\"FILL IN: the law\"", property, "Properties of rule 'Big'");
    }

    [Fact]
    public void DR0091_a_placeholder_as_a_catalogue_steps_source_is_an_error()
    {
        var catalogue = TempRuleSet.Catalogue.Replace("\"kind\": \"Notice\",", "\"kind\": \"Notice\", \"source\": \"  fill in: which regulation\",", System.StringComparison.Ordinal);
        using var set = TempRuleSet.With(catalogue: catalogue);
        AssertAt(set, "DR0091", "catalogue.json", catalogue, "\"  fill in:", "source", "step 'notice'");
    }

    [Fact]
    public void DR0091_a_placeholder_as_a_parameters_source_is_an_error()
    {
        var manifest = """
            { "name": "local", "parameters": { "threshold": { "value": 100, "source": "FILL IN: constitution paragraph" } } }
            """;
        using var set = TempRuleSet.With(manifest: manifest);
        AssertAt(set, "DR0091", "ruleset.json", manifest, "\"FILL IN:", "source", "parameter 'threshold'");
    }

    [Fact]
    public void Text_that_merely_mentions_filling_in_is_not_a_placeholder()
    {
        var rules = TempRuleSet.Rules.Replace("\"test reason\"", "\"Officers fill in: the form is due before the notice.\"", System.StringComparison.Ordinal);
        using var set = TempRuleSet.With(rules: rules);
        Assert.DoesNotContain(RuleSet.Validate(set.Directory).Diagnostics, d => d.Id == "DR0091");
    }
}
