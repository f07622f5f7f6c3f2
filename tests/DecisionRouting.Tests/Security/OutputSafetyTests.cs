using System;
using System.IO;
using System.Linq;
using DecisionRouting.Cli;
using DecisionRouting.RuleSets;
using DecisionRouting.Tests.Support;
using Microsoft.Data.Sqlite;

namespace DecisionRouting.Tests.Security;

/// <summary>
/// Issue 14 §8: output cannot attack the terminal or the reviewer. Control sequences in what a proposal or a user
/// gives are escaped in every CLI text output; hidden direction controls and mixed-script identifiers in rule files are
/// errors at their position; a parameter that overrides nothing is a warning with "did you mean".
/// </summary>
public sealed class OutputSafetyTests : IDisposable
{
    private const string Id = "croydon-2013-integrated-commissioning-unit";
    private const string Esc = "\u001b";
    private readonly string _directory = Directory.CreateTempSubdirectory("dr-output-").FullName;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public void Control_sequences_in_a_title_never_reach_the_terminal_raw()
    {
        var text = File.ReadAllText(Repository.PathOf($"samples/proposals/{Id}.json"))
            .Replace("Integrated Commissioning Unit for Health and Social Care", "ICU\\u001b]0;pwned\\u0007\\u001b[2K\\r\\u202eevil\\u009b", StringComparison.Ordinal);
        var path = Path.Combine(_directory, "proposal.json");
        File.WriteAllText(path, text);
        var db = Path.Combine(_directory, "cases.db");

        // An actor with control sequences is refused at input (exit 2, nothing stored), its message escaped.
        var refused = Run("proposal", "create", path, "--rules", Repository.PathOf("rules/partnerships/croydon"), "--today", "2013-06-01", "--db", db, "--actor", "Mal" + Esc + "[1A" + Esc + "[2Kory");
        var created = Run("proposal", "create", path, "--rules", Repository.PathOf("rules/partnerships/croydon"), "--today", "2013-06-01", "--db", db, "--actor", "Mallory");
        var status = Run("proposal", "status", Id, "--db", db);
        var history = Run("proposal", "history", Id, "--db", db);
        var json = Run("proposal", "status", Id, "--db", db, "--format", "json");

        Assert.Equal(2, refused.Exit);
        Assert.Contains("--actor 'Mal<U+001B>[1A<U+001B>[2Kory' contains an escape character (U+001B)", refused.Error);
        Assert.Equal(0, created.Exit);
        Assert.Contains("Case " + Id + ": ICU<U+001B>]0;pwned<U+0007><U+001B>[2K<U+000D><U+202E>evil<U+009B>", status.Out);
        foreach (var output in new[] { refused.Error, created.Out, created.Error, status.Out, history.Out, json.Out })
        {
            Assert.DoesNotContain(output, c => c is '\u001b' or '\u0007' or '\r' or '\u202e' or '\u009b');
        }

        Assert.Contains("\\u001B]0;pwned", json.Out, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Control_sequences_in_ids_and_diagnostics_are_escaped_too()
    {
        var missing = Run("proposal", "status", "x" + Esc + "[31mred", "--db", Path.Combine(_directory, "none.db"));
        var trigger = Run("proposal", "fire", "id", "st" + Esc + "]0;t\u0007art", "--actor", "a", "--role", "r", "--db", Path.Combine(_directory, "none.db"));

        Assert.Equal(2, missing.Exit);
        Assert.Equal(2, trigger.Exit);
        Assert.Contains("<U+001B>]0;t<U+0007>art", trigger.Error);
        Assert.DoesNotContain(missing.Error + trigger.Error, c => c is '\u001b' or '\u0007');
    }

    [Theory]
    [InlineData('\u202E', "RIGHT-TO-LEFT OVERRIDE")]
    [InlineData('\u2066', "LEFT-TO-RIGHT ISOLATE")]
    [InlineData('\u200F', "RIGHT-TO-LEFT MARK")]
    [InlineData('\u061C', "ARABIC LETTER MARK")]
    public void A_hidden_direction_control_in_a_rule_file_is_DR0064_at_its_position(char control, string name)
    {
        using var set = TempRuleSet.With(rules: TempRuleSet.Rules.Replace("> 100", $"> 100 /*{control}*/", StringComparison.Ordinal));
        var line = TempRuleSet.Rules.Split('\n').Select((l, i) => (l, i)).First(x => x.l.Contains("> 100", StringComparison.Ordinal));

        var definition = RuleSet.Validate(set.Directory);

        var error = Assert.Single(definition.Diagnostics, d => d.Id == "DR0064");
        Assert.Equal((line.i + 1, line.l.IndexOf("> 100", StringComparison.Ordinal) + 9), (error.Location.Line, error.Location.Column));
        Assert.Equal($"Hidden text-direction character U+{(int)control:X4} ({name}): it makes the file display differently from how it is read; remove it", error.Message);
    }

    [Fact]
    public void A_hidden_direction_control_in_a_catalogue_or_manifest_is_DR0064_too()
    {
        using var set = TempRuleSet.With(
            catalogue: TempRuleSet.Catalogue.Replace("\"Notice\", \"kind\"", "\"Notice\u202E\", \"kind\"", StringComparison.Ordinal),
            manifest: "{ \"name\": \"x\", \"description\": \"\u2067a\u2069\" }");

        var definition = RuleSet.Validate(set.Directory);

        Assert.Equal(3, definition.Diagnostics.Count(d => d.Id == "DR0064"));
        Assert.Contains(definition.Diagnostics, d => d.Id == "DR0064" && d.Location.Path.EndsWith("catalogue.json", StringComparison.Ordinal));
        Assert.Contains(definition.Diagnostics, d => d.Id == "DR0064" && d.Location.Path.EndsWith("ruleset.json", StringComparison.Ordinal) && d.Location.Column == 32);
    }

    [Theory]
    [InlineData("\"RuleName\": \"Big\"", "\"RuleName\": \"Bіg\"", "Rule name 'Bіg' mixes letters of Latin and Cyrillic", "did you mean 'Big' (all Latin)?")]
    [InlineData("\"WorkflowName\": \"main\"", "\"WorkflowName\": \"mαin\"", "Workflow name 'mαin' mixes letters of Latin and Greek", "did you mean 'main' (all Latin)?")]
    public void A_mixed_script_identifier_in_a_rule_file_is_DR0065_at_the_name(string from, string to, string message, string hint)
    {
        using var set = TempRuleSet.With(rules: TempRuleSet.Rules.Replace(from, to, StringComparison.Ordinal));
        var line = TempRuleSet.Rules.Split('\n').Select((l, i) => (l, i)).First(x => x.l.Contains(from, StringComparison.Ordinal));

        var definition = RuleSet.Validate(set.Directory);

        var error = Assert.Single(definition.Diagnostics, d => d.Id == "DR0065");
        Assert.Equal((line.i + 1, line.l.IndexOf(from, StringComparison.Ordinal) + from.IndexOf(": ", StringComparison.Ordinal) + 3), (error.Location.Line, error.Location.Column));
        Assert.StartsWith(message, error.Message);
        Assert.EndsWith(hint, error.Message);
    }

    [Fact]
    public void A_mixed_script_step_id_is_DR0065()
    {
        using var set = TempRuleSet.With(catalogue: TempRuleSet.Catalogue.Replace("{ \"id\": \"notice\"", "{ \"id\": \"nоtice\"", StringComparison.Ordinal));

        var definition = RuleSet.Validate(set.Directory);

        Assert.StartsWith("Step id 'nоtice' mixes letters of Latin and Cyrillic", Assert.Single(definition.Diagnostics, d => d.Id == "DR0065").Message);
    }

    [Fact]
    public void A_Cyrillic_e_in_keyDecisionThreshold_is_a_mixed_script_error_and_a_parameter_that_overrides_nothing()
    {
        using var root = new TempRuleSet();
        var rulesRoot = Path.Combine(root.Directory, "rules");
        CopyFolder(Repository.PathOf("rules/england"), Path.Combine(rulesRoot, "england"));
        CopyFolder(Repository.PathOf("rules/partnerships/croydon"), Path.Combine(rulesRoot, "partnerships", "croydon"));
        var manifest = Path.Combine(rulesRoot, "partnerships", "croydon", "ruleset.json");
        var text = File.ReadAllText(manifest);
        Assert.Contains("\"keyDecisionThreshold\"", text);
        File.WriteAllText(manifest, text.Replace("\"keyDecisionThreshold\"", "\"k\u0435yDecisionThreshold\"", StringComparison.Ordinal));
        var line = text[..text.IndexOf("\"keyDecisionThreshold\"", StringComparison.Ordinal)].Count(c => c == '\n') + 1;

        var validated = Run("validate", Path.Combine(rulesRoot, "partnerships", "croydon"));

        Assert.Equal(1, validated.Exit);
        Assert.Contains($"ruleset.json({line},5): error DR0065: Parameter name 'k\u0435yDecisionThreshold' mixes letters of Latin and Cyrillic", validated.Out);
        Assert.Contains($"ruleset.json({line},5): warning DR0066: Parameter 'k\u0435yDecisionThreshold' overrides no parameter of the rule sets 'croydon' extends, and no rule reads it, so it changes nothing; did you mean 'keyDecisionThreshold' (written here with letters of another script)?", validated.Out);
    }

    [Fact]
    public void A_misspelt_override_in_one_script_is_DR0066_with_did_you_mean_and_a_parameter_a_rule_reads_is_not()
    {
        using var baseline = TempRuleSet.With(manifest: """{ "name": "base", "parameters": { "threshold": 100 } }""",
            rules: TempRuleSet.Rules.Replace("> 100", "> parameters.threshold", StringComparison.Ordinal));
        using var child = new TempRuleSet(Path.Combine(Path.GetDirectoryName(baseline.Directory)!, Guid.NewGuid().ToString("N")));
        var manifest = $$"""{ "name": "child", "extends": "../{{Path.GetFileName(baseline.Directory)}}", "parameters": { "treshold": 5, "localCap": 7 } }""";
        child.Write("ruleset.json", manifest);
        child.Write("extra.rules.json", """{ "WorkflowName": "extra", "Rules": [ { "RuleName": "Cap", "Expression": "proposal.Savings > parameters.localCap", "Properties": { "source": "s", "reason": "r" } } ] }""");

        var definition = RuleSet.Validate(child.Directory);

        var warning = Assert.Single(definition.Diagnostics, d => d.Id == "DR0066");
        Assert.Equal("Parameter 'treshold' overrides no parameter of the rule sets 'child' extends, and no rule reads it, so it changes nothing; did you mean 'threshold'?", warning.Message);
        Assert.Equal((1, manifest.IndexOf("\"treshold\"", StringComparison.Ordinal) + 1), (warning.Location.Line, warning.Location.Column));
    }

    private static void CopyFolder(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        }
    }

    private static (int Exit, string Out, string Error) Run(params string[] args) => InProcessCli.Run(args);
}
