using System.IO;
using System.Linq;
using DecisionRouting.Cli;
using DecisionRouting.RuleSets;
using DecisionRouting.Tests.Support;

namespace DecisionRouting.Tests.Catalogue;

/// <summary>
/// A chain of rule sets that cannot be followed is reported first, as the only error it causes: the unknown steps,
/// bodies and parameters the lost base would have defined are not reported on top of it.
/// </summary>
public sealed class RootCauseTests
{
    /// <summary>A copy of the shipped Croydon rules whose extends is <paramref name="extends"/>.</summary>
    private static TempRuleSet Croydon(string extends)
    {
        var set = new TempRuleSet();
        foreach (var file in Directory.GetFiles(Repository.PathOf("rules/partnerships/croydon")))
        {
            var text = File.ReadAllText(file);
            if (Path.GetFileName(file) == "ruleset.json")
            {
                text = System.Text.RegularExpressions.Regex.Replace(text, "\"extends\": *\"[^\"]*\"", $"\"extends\": \"{extends}\"");
            }

            set.Write(Path.GetFileName(file), text);
        }

        return set;
    }

    private static (int Exit, string Out, string Error) Cli(params string[] args)
    {
        var stdout = new StringWriter { NewLine = "\n" };
        var stderr = new StringWriter { NewLine = "\n" };
        var exit = Program.Run(args, stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public void A_missing_base_is_the_only_error_and_shows_the_folder_that_was_tried()
    {
        using var set = Croydon("../englnd");
        var diagnostics = RuleSet.Validate(set.Directory).Diagnostics;

        var only = Assert.Single(diagnostics);
        Assert.Equal("DR0082", only.Id);
        var tried = Path.GetFullPath(Path.Combine(set.Directory, "..", "englnd")).Replace('\\', '/');
        Assert.Contains($"'../englnd', which does not exist: looked for the folder '{tried}'", only.Message);
        var manifest = File.ReadAllText(Path.Combine(set.Directory, "ruleset.json"));
        var (line, column) = Position.Of(manifest, "\"../englnd\"");
        Assert.Equal($"{set.PathOf("ruleset.json")}({line},{column})", only.Location.ToString());
    }

    [Fact]
    public void Validate_prints_the_missing_base_first_and_none_of_its_knock_on_errors()
    {
        using var set = Croydon("../englnd");
        var (exit, output, error) = Cli("validate", set.Directory);

        Assert.Equal(1, exit);
        var lines = output.Split('\n', System.StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains("error DR0082: Rule set extends '../englnd', which does not exist", lines[0]);
        Assert.DoesNotContain("DR0012", output);
        Assert.DoesNotContain("DR0013", output);
        Assert.DoesNotContain("replaces an inherited", output);
        Assert.Contains("has 1 error(s)", output);
        Assert.DoesNotContain("Exception", output + error);
    }

    [Fact]
    public void A_base_whose_manifest_is_malformed_is_reported_without_the_errors_losing_its_own_base_causes()
    {
        // partnership → region (broken ruleset.json, so its extends of England is lost) → England.
        using var region = new TempRuleSet();
        region.Write("ruleset.json", $$"""{ "name": "region", "extends": "{{Repository.PathOf("rules/england").Replace('\\', '/')}}", }""");
        region.Write("region.rules.json", """{ "WorkflowName": "region", "Rules": [ { "RuleName": "R", "Expression": "true" } ] }""");
        using var partnership = Croydon("../" + Path.GetFileName(region.Directory));

        var diagnostics = RuleSet.Validate(partnership.Directory).Diagnostics;

        var only = Assert.Single(diagnostics);
        Assert.Equal("DR0001", only.Id);
        Assert.Equal(region.PathOf("ruleset.json"), only.Location.Path);
    }

    [Fact]
    public void An_extends_circle_is_reported_without_knock_on_errors()
    {
        using var croydon = Croydon("PLACEHOLDER");
        using var other = new TempRuleSet();
        other.Write("ruleset.json", $$"""{ "name": "other", "extends": "../{{Path.GetFileName(croydon.Directory)}}" }""");
        other.Write("other.rules.json", """{ "WorkflowName": "other", "Rules": [ { "RuleName": "O", "Expression": "true" } ] }""");
        var manifest = File.ReadAllText(Path.Combine(croydon.Directory, "ruleset.json")).Replace("PLACEHOLDER", "../" + Path.GetFileName(other.Directory));
        croydon.Write("ruleset.json", manifest);

        var diagnostics = RuleSet.Validate(croydon.Directory).Diagnostics;

        Assert.Equal("DR0025", diagnostics[0].Id);
        Assert.Single(diagnostics);
    }

    [Fact]
    public void A_misspelt_extends_is_the_root_cause_and_suggests_the_right_name()
    {
        using var set = Croydon("../../england");
        var manifest = File.ReadAllText(Path.Combine(set.Directory, "ruleset.json")).Replace("\"extends\"", "\"extend\"");
        set.Write("ruleset.json", manifest);

        var diagnostics = RuleSet.Validate(set.Directory).Diagnostics;

        var only = Assert.Single(diagnostics);
        Assert.Equal("DR0002", only.Id);
        Assert.Contains("did you mean 'extends'?", only.Message);
    }

    [Fact]
    public void A_broken_chain_still_reports_errors_that_stand_on_the_layer_alone()
    {
        using var set = Croydon("../englnd");
        set.Write("extra.rules.json", """{ "WorkflowName": "extra", "Rules": [ { "RuleName": "E", "Expresion": "true" } ] }""");

        var diagnostics = RuleSet.Validate(set.Directory).Diagnostics;

        Assert.Equal("DR0082", diagnostics[0].Id);
        Assert.Contains(diagnostics, d => d.Id == "DR0002" && d.Message.Contains("did you mean 'Expression'?", System.StringComparison.Ordinal));
        Assert.DoesNotContain(diagnostics, d => d.Id == "DR0012");
    }

    [Fact]
    public void A_catalogue_that_does_not_parse_is_reported_without_the_unknown_steps_it_causes()
    {
        using var set = TempRuleSet.With(catalogue: "{ \"steps\": [ { \"id\": \"notice\" ");

        var diagnostics = RuleSet.Validate(set.Directory).Diagnostics;

        var only = Assert.Single(diagnostics);
        Assert.Equal("DR0001", only.Id);
        Assert.Equal(set.PathOf("catalogue.json"), only.Location.Path);
    }
}
