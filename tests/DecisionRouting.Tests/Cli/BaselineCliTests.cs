using System;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using DecisionRouting.Tests.Support;

namespace DecisionRouting.Tests.Cli;

/// <summary>
/// The CLI resolves <c>baseline:england</c> as the library does: in a partner's <c>extends</c>, and as the rule-set folder
/// itself; and reports a reference that names nothing as DR0093/DR0094 at its position, exit 1, never "folder not found".
/// </summary>
public sealed class BaselineCliTests : IDisposable
{
    private const string Sample = "samples/proposals/croydon-2013-integrated-commissioning-unit.json";

    private readonly string _croydon = Path.Combine(Path.GetTempPath(), "dr-tests", Guid.NewGuid().ToString("N"), "rules", "croydon");

    /// <summary>Croydon's partnership as a partner repository would keep it: extending the built-in baseline, no copy of England.</summary>
    public BaselineCliTests()
    {
        Directory.CreateDirectory(_croydon);
        foreach (var file in Directory.GetFiles(Repository.PathOf("rules/partnerships/croydon")))
        {
            File.WriteAllText(Path.Combine(_croydon, Path.GetFileName(file)), File.ReadAllText(file).Replace("\"extends\": \"../../england\"", "\"extends\": \"baseline:england\""));
        }
    }

    public void Dispose() => Directory.Delete(Path.GetDirectoryName(Path.GetDirectoryName(_croydon))!, recursive: true);

    private static (int Exit, string Out, string Error) Run(params string[] args) => InProcessCli.Run(args);

    /// <summary>The plan text without the rule-set hash, which covers the manifest's own text (its extends differs).</summary>
    private static string WithoutHash(string plan) => Regex.Replace(plan, @"rule set croydon \([0-9a-f]{12}\)", "rule set croydon (…)");

    [Fact]
    public void Validate_and_route_a_partner_that_extends_the_baseline_as_the_partner_that_extends_the_folder()
    {
        var (exit, output, error) = Run("validate", _croydon);
        Assert.True(exit == 0, output + error);
        Assert.Matches(@"^Rule set 'croydon' is valid: \d+ workflow\(s\), \d+ rule\(s\), \d+ step\(s\), 0 warning\(s\)\.", output);

        var (byNameExit, byName, byNameError) = Run("route", Repository.PathOf(Sample), "--rules", _croydon, "--today", "2013-07-01");
        Assert.True(byNameExit == 0, byName + byNameError);
        var (_, byFolder, _) = Run("route", Repository.PathOf(Sample), "--rules", Repository.PathOf("rules/partnerships/croydon"), "--today", "2013-07-01");
        Assert.Contains("Publish the key-decision notice", byName); // an England step, reached through the reference
        Assert.Equal(WithoutHash(byFolder), WithoutHash(byName));
    }

    [Fact]
    public void The_baseline_itself_is_a_rules_argument()
    {
        var (exit, output, error) = Run("validate", "baseline:england");
        Assert.True(exit == 0, output + error);
        Assert.StartsWith("Rule set 'england' is valid", output);
        var (routeExit, plan, routeError) = Run("route", Repository.PathOf("samples/proposals/england/s75-2026-lead-commissioning.json"), "--rules", "baseline:england", "--today", "2026-01-05");
        Assert.True(routeExit == 0, plan + routeError);
        Assert.Contains("rule set england", plan);
    }

    [Theory]
    [InlineData("baseline:englnd", "DR0093", "there is no built-in baseline named 'englnd'")]
    [InlineData("package:DecisionRouting.Rules.England", "DR0094", "write \"baseline:england\"")]
    public void An_unresolvable_extends_is_printed_at_its_position_and_exits_1(string extends, string id, string why)
    {
        var manifest = Path.Combine(_croydon, "ruleset.json");
        var text = File.ReadAllText(manifest).Replace("\"extends\": \"baseline:england\"", $"\"extends\": \"{extends}\"");
        File.WriteAllText(manifest, text);
        var (line, column) = Position.Of(text, $"\"{extends}\"");

        var (exit, output, error) = Run("validate", _croydon);
        Assert.Equal(1, exit);
        var first = output.Split('\n')[0];
        Assert.StartsWith($"{manifest.Replace('\\', '/')}({line},{column}): error {id}: Rule set extends '{extends}'", first.Replace('\\', '/'));
        Assert.Contains(why, first);
        Assert.DoesNotContain("   at ", output + error);

        // route stops with the same error and exit 2 (bad input), naming validate for details.
        var (routeExit, _, routeError) = Run("route", Repository.PathOf(Sample), "--rules", _croydon);
        Assert.Equal(2, routeExit);
        Assert.Contains($"error {id}", routeError);
    }

    [Fact]
    public void An_unresolvable_reference_as_the_rules_argument_is_its_diagnostic_not_folder_not_found()
    {
        var (exit, output, _) = Run("validate", "basline:england");
        Assert.Equal(1, exit);
        Assert.StartsWith("basline:england: error DR0094: Rule-set folder 'basline:england' starts with 'basline:'", output);
        Assert.DoesNotContain("not found", output);
    }

    [Theory]
    [InlineData("baseline:england/../../etc")]
    [InlineData("baseline:england/../partnerships/croydon")]
    [InlineData("baseline:england/")]
    public void A_reference_with_a_path_after_it_is_refused_as_written_not_read_as_the_folder_its_dots_make(string written)
    {
        // The same text in an extends is DR0093; as the rules argument it must not become ../etc or a disk folder.
        var (exit, output, _) = Run("validate", written);
        Assert.Equal(1, exit);
        Assert.StartsWith($"{written}: error DR0093: Rule-set folder '{written}'", output);

        var (routeExit, _, routeError) = Run("route", Repository.PathOf("samples/proposals/croydon-2013-integrated-commissioning-unit.json"), "--rules", written);
        Assert.Equal(2, routeExit);
        Assert.Contains("error DR0093", routeError);
    }

    [Fact]
    public void Catalogue_given_a_baseline_reference_says_it_takes_a_folder_of_rule_sets()
    {
        var (exit, _, error) = Run("catalogue", "baseline:england");
        Assert.Equal(2, exit);
        Assert.Contains("catalogue takes a folder of rule sets (such as rules)", error);
        Assert.Contains("decision-routing validate baseline:england", error);
    }
}
