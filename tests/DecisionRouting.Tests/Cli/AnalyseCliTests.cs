using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.RegularExpressions;
using DecisionRouting.Tests.Analysis;
using DecisionRouting.Tests.Support;
using Snapshooter.Xunit;

namespace DecisionRouting.Tests.Cli;

/// <summary>
/// <c>decision-routing analyse</c> as a real process: the text report (snapshot), SARIF 2.1.0 with the same findings,
/// counterexample files that <c>route</c> accepts and that really break the property, and clear errors for bad input.
/// </summary>
public sealed class AnalyseCliTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(3);

    private static (int Exit, string Out, string Error) Run(params string[] args) => CliProcess.Run(Limit, null, args);

    [Fact]
    public void The_text_report_lists_each_planted_finding_at_its_position_and_exits_1()
    {
        using var set = PlantedRuleSets.Create();
        var examples = Path.Combine(set.Directory, "examples");
        var (exit, output, error) = Run("analyse", set.Directory, "--properties", set.PathOf("properties/planted.properties.json"), "--counterexamples", examples);
        Assert.True(exit == 1, error + output);
        Assert.Equal(string.Empty, error);
        Snapshot.Match(output.Replace(set.Directory.Replace('\\', '/'), "<rules>", StringComparison.Ordinal));
        Assert.Equal(new[] { "DR0095-1.json", "DR0099-2.json" }, Directory.GetFiles(examples).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray());
    }

    [Fact]
    public void The_counterexample_file_routes_and_its_plan_breaks_the_property()
    {
        using var set = PlantedRuleSets.Create();
        var examples = Path.Combine(set.Directory, "examples");
        Run("analyse", set.Directory, "--properties", set.PathOf("properties/planted.properties.json"), "--counterexamples", examples);
        var proposal = Path.Combine(examples, "DR0099-2.json");
        var (exit, plan, error) = Run("route", proposal, "--rules", set.Directory, "--format", "json");
        Assert.True(exit is 0 or 5, error);
        using var json = JsonDocument.Parse(plan);
        var steps = json.RootElement.GetProperty("steps").EnumerateArray().Select(s => s.GetProperty("id").GetString()).ToList();
        using var input = JsonDocument.Parse(File.ReadAllText(proposal));
        Assert.True(input.RootElement.GetProperty("financialCommitment").GetDecimal() >= 100000);
        Assert.DoesNotContain("notice", steps);
    }

    [Fact]
    public void Sarif_is_SARIF_2_1_0_with_the_same_findings_as_the_text_report()
    {
        using var set = PlantedRuleSets.Create();
        var (_, text, _) = Run("analyse", set.Directory);
        var (exit, sarif, error) = Run("analyse", set.Directory, "--format", "sarif");
        Assert.True(exit == 1, error);
        var lines = text.Split('\n').Where(l => l.Contains(": warning DR", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(lines);
        Assert.Equal(lines, SarifTests.ResultLines(sarif));
    }

    [Fact]
    public void A_rule_set_with_errors_is_refused_with_its_diagnostics_and_exit_2()
    {
        using var set = TempRuleSet.With(rules: """{ "WorkflowName": "main", "Rules": [ { "RuleName": "R", "Expression": "proposal.Nope", "Properties": { "steps": [], "source": "s", "reason": "r" } } ] }""");
        var (exit, output, error) = Run("analyse", set.Directory);
        Assert.Equal(2, exit);
        Assert.Equal(string.Empty, output);
        Assert.Contains("main.rules.json(1,", error);
        Assert.Contains("fix them ('decision-routing validate') before analysing it", error);
        Assert.DoesNotContain("   at ", error);
    }

    [Fact]
    public void A_broken_properties_file_is_refused_at_its_position_with_exit_2()
    {
        using var set = PlantedRuleSets.Create();
        var properties = set.Write("broken.properties.json", """{ "properties": [ { "name": "p", "hold": "true" } ] }""");
        var (exit, _, error) = Run("analyse", set.Directory, "--properties", properties);
        Assert.Equal(2, exit);
        var (line, column) = Position.Of(File.ReadAllText(properties), "\"hold\"");
        Assert.Contains($"broken.properties.json({line},{column}): error DR0002: Unknown property 'hold'", error);
        Assert.DoesNotContain("   at ", error);
    }

    /// <summary>MSBuild's canonical warning line, as Exec recognises it: a rooted file, an optional position, the code.</summary>
    private static readonly Regex Canonical = new(@"^(?<file>/[^:(]+?)(\((?<line>\d+),(?<column>\d+)\))?: warning (?<id>DR\d{4}): \S", RegexOptions.None, TimeSpan.FromSeconds(1));

    [Fact]
    public void Msbuild_format_is_the_text_reports_findings_one_canonical_line_each_with_absolute_paths_and_nothing_else()
    {
        using var set = PlantedRuleSets.Create();
        var (_, text, _) = Run("analyse", set.Directory);
        var report = Path.Combine(Path.GetTempPath(), $"dr-findings-{Guid.NewGuid():N}.txt");
        try
        {
            // A relative rule-set path (the CLI process runs in its own folder): the lines still name the files absolutely.
            var relative = Path.GetRelativePath(CliProcess.Directory, set.Directory);
            var (exit, output, error) = Run("analyse", relative, "--format", "msbuild", "--output", report);
            Assert.True(exit == 1, error);
            Assert.Equal(string.Empty, output);
            var lines = File.ReadAllLines(report);
            var textLines = text.Split('\n').Where(l => l.Contains(": warning DR", StringComparison.Ordinal)).ToList();
            Assert.Equal(textLines, lines);
            Assert.All(lines, l => Assert.Matches(Canonical, l));
            Assert.All(lines, l => Assert.True(File.Exists(Canonical.Match(l).Groups["file"].Value), l));
        }
        finally
        {
            File.Delete(report);
        }
    }

    [Fact]
    public void Output_is_written_only_when_the_analysis_completes()
    {
        // The build target reads a missing file as "the analysis did not run": a refused rule set must leave none.
        using var set = TempRuleSet.With(rules: """{ "WorkflowName": "main", "Rules": [ { "RuleName": "R", "Expression": "proposal.Nope", "Properties": { "steps": [], "source": "s", "reason": "r" } } ] }""");
        var report = Path.Combine(set.Directory, "findings.txt");
        var (exit, output, error) = Run("analyse", set.Directory, "--format", "msbuild", "--output", report);
        Assert.Equal(2, exit);
        Assert.Equal(string.Empty, output);
        Assert.Contains("before analysing it", error);
        Assert.False(File.Exists(report));
    }

    [Fact]
    public void Msbuild_format_puts_a_finding_in_the_built_in_baseline_on_the_ruleset_json_that_extends_it()
    {
        // "baseline:england/…" is no file: MSBuild would log such a line as a plain message and the warning would be lost.
        var root = Path.Combine(Path.GetTempPath(), "dr-tests", Guid.NewGuid().ToString("N"));
        var croydon = Path.Combine(root, "rules", "croydon");
        Directory.CreateDirectory(croydon);
        try
        {
            foreach (var file in Directory.GetFiles(Repository.PathOf("rules/partnerships/croydon")))
            {
                File.WriteAllText(Path.Combine(croydon, Path.GetFileName(file)), File.ReadAllText(file).Replace("\"extends\": \"../../england\"", "\"extends\": \"baseline:england\"", StringComparison.Ordinal));
            }

            var (exit, output, error) = Run("analyse", croydon, "--format", "msbuild");
            Assert.True(exit == 1, error);
            var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.All(lines, l => Assert.Matches(Canonical, l));
            Assert.All(lines, l => Assert.True(File.Exists(Canonical.Match(l).Groups["file"].Value), l));
            Assert.Contains(lines, l => l.StartsWith(Path.Combine(croydon, "ruleset.json") + ": warning DR0097: Rule 'OfficerDecidesUnderCommitteeSystem' can never match", StringComparison.Ordinal)
                && l.Contains("(in baseline:england/", StringComparison.Ordinal));
            Assert.DoesNotContain(lines, l => l.StartsWith("baseline:", StringComparison.Ordinal));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
