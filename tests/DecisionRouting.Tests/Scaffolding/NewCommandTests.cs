using System;
using System.IO;
using DecisionRouting.Tests.Support;

namespace DecisionRouting.Tests.Scaffolding;

/// <summary>
/// <c>new ruleset</c> and <c>new rule</c> (issue 18 §5): the scaffolds carry <c>$schema</c>, and <c>source</c> and
/// <c>reason</c> placeholders that the real <c>validate</c> process reports as DR0091 errors until they are filled in;
/// nothing is ever overwritten.
/// </summary>
public sealed class NewCommandTests : IDisposable
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);
    private readonly string _root = Directory.CreateTempSubdirectory("dr-new-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static (int Exit, string Out, string Error) Cli(params string[] args) => CliProcess.Run(Limit, null, args);

    private static string SourceError(string file, int line, string rule) =>
        $"{file}({line},19): error DR0091: 'source' of Properties of rule '{rule}' still holds the 'FILL IN:' placeholder that 'decision-routing new' wrote: cite the statute and section, regulation, or constitution and paragraph that requires this (and set \"verify\": true until it is checked against the primary text)";

    private static string ReasonError(string file, int line, string rule) =>
        $"{file}({line},19): error DR0091: 'reason' of Properties of rule '{rule}' still holds the 'FILL IN:' placeholder that 'decision-routing new' wrote: say in plain English why the steps are required";

    [Fact]
    public void A_new_rule_set_on_the_baseline_fails_validation_with_exactly_its_two_placeholders_until_they_are_filled_in()
    {
        var folder = Path.Combine(_root, "my-partnership");
        var created = Cli("new", "ruleset", folder, "--extends", "baseline:england");
        Assert.True(created.Exit == 0, created.Error);
        Assert.Equal(string.Empty, created.Error);
        var rules = Path.Combine(folder, "my-partnership.rules.json");
        var manifest = File.ReadAllText(Path.Combine(folder, "ruleset.json"));
        Assert.Contains("\"$schema\": \"https://decision-routing.github.io/schemas/ruleset.schema.json\"", manifest, StringComparison.Ordinal);
        Assert.Contains("\"extends\": \"baseline:england\"", manifest, StringComparison.Ordinal);
        Assert.Contains("\"$schema\": \"https://decision-routing.github.io/schemas/rules.schema.json\"", File.ReadAllText(rules), StringComparison.Ordinal);

        var validate = Cli("validate", folder);
        Assert.Equal(1, validate.Exit);
        Assert.Equal(string.Empty, validate.Error);
        Assert.Equal(
            SourceError(rules, 10, "FirstRule") + "\n" + ReasonError(rules, 11, "FirstRule") + "\n" + "Rule set 'my-partnership' has 2 error(s) and 0 warning(s).\n",
            validate.Out.Replace("\r\n", "\n", StringComparison.Ordinal));

        // Filled in, the same files are valid: the placeholders were the only thing wrong.
        File.WriteAllText(rules, File.ReadAllText(rules)
            .Replace("FILL IN: the statute and section, regulation, or constitution and paragraph that requires these steps", "Test constitution, Part 4 para 1 (verify)", StringComparison.Ordinal)
            .Replace("FILL IN: why these steps are required, in plain English", "A test reason.", StringComparison.Ordinal));
        var filled = Cli("validate", folder);
        Assert.True(filled.Exit == 0, filled.Out + filled.Error);
        Assert.StartsWith("Rule set 'my-partnership' is valid:", filled.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void A_new_rule_in_a_rule_set_extending_a_folder_gets_its_own_file_with_steps_condition_and_placeholders()
    {
        var tree = Path.Combine(_root, "rules");
        CopyDirectory(Repository.PathOf("rules/england"), Path.Combine(tree, "england"));
        var folder = Path.Combine(tree, "partnerships", "local");
        var created = Cli("new", "ruleset", folder, "--extends", Path.Combine(tree, "england"));
        Assert.True(created.Exit == 0, created.Error);
        Assert.Contains("\"extends\": \"../../england\"", File.ReadAllText(Path.Combine(folder, "ruleset.json")), StringComparison.Ordinal);

        var rule = Cli("new", "rule", folder, "JointPostNeedsHrSignOff", "--step", "key-decision-notice", "--expression", "proposal.StaffAffected > 0");
        Assert.True(rule.Exit == 0, rule.Error);
        var file = Path.Combine(folder, "joint-post-needs-hr-sign-off.rules.json");
        var text = File.ReadAllText(file);
        Assert.Contains("\"steps\": [\"key-decision-notice\"]", text, StringComparison.Ordinal);
        Assert.Contains("\"Expression\": \"proposal.StaffAffected > 0\"", text, StringComparison.Ordinal);

        var validate = Cli("validate", folder);
        Assert.Equal(1, validate.Exit);
        var first = Path.Combine(folder, "local.rules.json");
        Assert.Equal(
            string.Join("\n", SourceError(file, 10, "JointPostNeedsHrSignOff"), ReasonError(file, 11, "JointPostNeedsHrSignOff"), SourceError(first, 10, "FirstRule"), ReasonError(first, 11, "FirstRule"), "Rule set 'local' has 4 error(s) and 0 warning(s).") + "\n",
            validate.Out.Replace("\r\n", "\n", StringComparison.Ordinal));
    }

    [Fact]
    public void New_never_overwrites_a_file_and_says_so()
    {
        var folder = Path.Combine(_root, "mine");
        Assert.Equal(0, Cli("new", "ruleset", folder, "--extends", "baseline:england").Exit);
        File.WriteAllText(Path.Combine(folder, "my-rule.rules.json"), "keep me");

        var again = Cli("new", "ruleset", folder, "--extends", "baseline:england");
        Assert.Equal(2, again.Exit);
        Assert.Equal($"decision-routing: {Path.Combine(Path.GetFullPath(folder), "ruleset.json")}: already exists; 'new' never overwrites a file (remove it, or choose another folder)\n", again.Error.Replace("\r\n", "\n", StringComparison.Ordinal));

        var rule = Cli("new", "rule", folder, "MyRule");
        Assert.Equal(2, rule.Exit);
        Assert.Contains("my-rule.rules.json: already exists; 'new' never overwrites a file", rule.Error, StringComparison.Ordinal);
        Assert.Equal("keep me", File.ReadAllText(Path.Combine(folder, "my-rule.rules.json")));
    }

    [Theory]
    [InlineData("ruleset", "Bad_Name", "'Bad_Name' is not a rule-set name")]
    [InlineData("rule", "lowercase", "'lowercase' is not a rule name")]
    public void Names_that_would_not_read_as_names_are_refused(string what, string name, string message)
    {
        var folder = Path.Combine(_root, "ok");
        Assert.Equal(0, Cli("new", "ruleset", folder, "--extends", "baseline:england").Exit);
        var run = what == "ruleset" ? Cli("new", "ruleset", Path.Combine(_root, name), "--extends", "baseline:england") : Cli("new", "rule", folder, name);
        Assert.Equal(2, run.Exit);
        Assert.Contains(message, run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Extending_something_that_is_not_a_rule_set_is_refused()
    {
        var run = Cli("new", "ruleset", Path.Combine(_root, "x"), "--extends", Path.Combine(_root, "nowhere"));
        Assert.Equal(2, run.Exit);
        Assert.Contains("not a rule-set folder (no ruleset.json there) and not baseline:england", run.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_root, "x")));
    }

    internal static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        }

        foreach (var sub in Directory.GetDirectories(from))
        {
            CopyDirectory(sub, Path.Combine(to, Path.GetFileName(sub)));
        }
    }
}
