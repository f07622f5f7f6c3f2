using System.Linq;
using DecisionRouting.RuleSets;
using DecisionRouting.Tests.Support;

namespace DecisionRouting.Tests.Loading;

/// <summary>
/// The dated <c>executiveModel</c> timeline's load checks: DR0045 (entries overlap), DR0046 (a gap), DR0055 (not a
/// model), each at its position. The CLI and the analyzer report the same (see <c>WhoDecidesCliTests</c> and
/// <c>RuleFileAnalyzerTests</c>).
/// </summary>
public sealed class ExecutiveModelDiagnosticTests
{
    private static string Manifest(string model) => "{ \"name\": \"t\",\n  \"executiveModel\": " + model + " }";

    private static (RuleSetDefinition Definition, TempRuleSet Set) Validate(string manifest)
    {
        var set = TempRuleSet.With(manifest: manifest);
        return (RuleSet.Validate(set.Directory), set);
    }

    [Fact]
    public void DR0045_overlapping_entries_are_an_error_at_the_later_entry()
    {
        var manifest = Manifest("""[ { "model": "LeaderAndCabinet", "until": "2022-05-10" },""" + "\n" + """    { "model": "MayorAndCabinet", "from": "2022-05-09" } ]""");
        var (definition, set) = Validate(manifest);
        using var _ = set;

        var diagnostic = Assert.Single(definition.Diagnostics, d => d.Id == "DR0045");

        var (line, column) = Position.Of(manifest, "{ \"model\": \"MayorAndCabinet\"");
        Assert.Equal($"{set.PathOf("ruleset.json")}({line},{column})", diagnostic.Location.ToString());
        Assert.Contains("'MayorAndCabinet' and executive model 'LeaderAndCabinet' (at (2,23)) both hold from 9 May 2022", diagnostic.Message);
        Assert.True(diagnostic.IsError);
        Assert.False(RuleSet.TryLoad(set.Directory).Succeeded);
    }

    [Fact]
    public void DR0045_two_undated_entries_overlap_from_the_start()
    {
        var manifest = Manifest("""[ { "model": "LeaderAndCabinet" }, { "model": "CommitteeSystem", "until": "2015-05-01" } ]""");
        var (definition, set) = Validate(manifest);
        using var _ = set;

        Assert.Contains("both hold from the start", Assert.Single(definition.Diagnostics, d => d.Id == "DR0045").Message);
    }

    [Fact]
    public void DR0046_a_gap_between_entries_is_a_warning_at_the_later_entry_and_the_set_loads()
    {
        var manifest = Manifest("""[ { "model": "CommitteeSystem", "until": "2014-05-01" },""" + "\n" + """    { "model": "LeaderAndCabinet", "from": "2014-06-01" } ]""");
        var (definition, set) = Validate(manifest);
        using var _ = set;

        var diagnostic = Assert.Single(definition.Diagnostics, d => d.Id == "DR0046");

        var (line, column) = Position.Of(manifest, "{ \"model\": \"LeaderAndCabinet\"");
        Assert.Equal($"{set.PathOf("ruleset.json")}({line},{column})", diagnostic.Location.ToString());
        Assert.Contains("No executive model holds from 1 May 2014 to 31 May 2014, between 'CommitteeSystem' and 'LeaderAndCabinet'", diagnostic.Message);
        Assert.False(diagnostic.IsError);
        Assert.True(RuleSet.TryLoad(set.Directory).Succeeded);
    }

    [Theory]
    [InlineData("[ { \"model\": \"MayorAndCabinet\" }, { \"model\": \"Comittee\", \"from\": \"2020-01-01\" } ]", "\"Comittee\"", "'Comittee' is not an executive model; expected one of LeaderAndCabinet, MayorAndCabinet, CommitteeSystem")]
    [InlineData("\"CommitteSystem\"", "\"CommitteSystem\"", "did you mean 'CommitteeSystem'?")]
    [InlineData("{ \"value\": [ { \"model\": \"Mayor\" } ] }", "\"Mayor\"", "is not an executive model")]
    public void DR0055_a_model_that_is_not_one_is_an_error_at_its_value(string model, string marker, string message)
    {
        var manifest = Manifest(model);
        var (definition, set) = Validate(manifest);
        using var _ = set;

        var diagnostic = Assert.Single(definition.Diagnostics, d => d.IsError);

        Assert.Equal("DR0055", diagnostic.Id);
        var (line, column) = Position.Of(manifest, marker);
        Assert.Equal($"{set.PathOf("ruleset.json")}({line},{column})", diagnostic.Location.ToString());
        Assert.Contains(message, diagnostic.Message);
    }

    [Theory]
    [InlineData("[ { \"model\": \"MayorAndCabinet\", \"from\": \"2022-05-09\", \"until\": \"2022-05-09\" } ]", "DR0074", "'until' is exclusive")]
    [InlineData("[ ]", "DR0018", "lists no model")]
    [InlineData("[ { \"model\": \"MayorAndCabinet\", \"form\": \"2022-05-09\" } ]", "DR0002", "form")]
    [InlineData("[ { \"from\": \"2022-05-09\" } ]", "DR0004", "model")]
    public void A_malformed_timeline_entry_is_an_error(string model, string id, string message)
    {
        var (definition, set) = Validate(Manifest(model));
        using var _ = set;

        var diagnostic = Assert.Single(definition.Diagnostics, d => d.IsError);
        Assert.Equal(id, diagnostic.Id);
        Assert.Contains(message, diagnostic.Message);
    }

    [Fact]
    public void DR0044_accepts_CommitteeSystem_in_a_comparison()
    {
        using var set = TempRuleSet.With(
            rules: """{ "WorkflowName": "main", "Rules": [ { "RuleName": "Committees", "Expression": "parameters.executiveModel == \"CommitteeSystem\"", "Properties": { "steps": [ "notice" ], "source": "s" } } ] }""",
            manifest: Manifest("\"CommitteeSystem\""));

        Assert.DoesNotContain(RuleSet.Validate(set.Directory).Diagnostics, d => d.IsError);
    }
}
