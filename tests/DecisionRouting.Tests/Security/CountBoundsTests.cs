using System;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using DecisionRouting.Cli;
using DecisionRouting.Diagnostics;
using DecisionRouting.RuleSets;
using DecisionRouting.Tests.Analyzers;
using DecisionRouting.Tests.Support;

namespace DecisionRouting.Tests.Security;

/// <summary>
/// Issue 14 §3, "limits on counts": each file is bounded, and so is how many files a rule set reads and how much they
/// declare (<see cref="RuleSetBounds"/>): DR0059 for files and bytes, DR0060 for workflows, rules, parameters, steps and
/// ordering chains, at the first item over the limit, the same in the library, the CLI and the analyzer.
/// </summary>
public sealed class CountBoundsTests
{
    private const string Properties = """ "Properties": { "steps": [ "notice", "decision" ], "source": "s", "reason": "r" } """;

    private static string Rule(string name) => $$"""{ "RuleName": "{{name}}", "Expression": "proposal.Savings > 1", {{Properties}} }""";

    private static string WorkflowsText(int count) =>
        "[\n" + string.Join(",\n", Enumerable.Range(0, count).Select(i => $$"""{ "WorkflowName": "w{{i}}", "Rules": [ {{Rule("R")}} ] }""")) + "\n]";

    private static RuleDiagnostic Single(TempRuleSet set, string id)
    {
        var all = RuleSet.Validate(set.Directory).Diagnostics;
        var matching = all.Where(d => d.Id == id).ToList();
        Assert.True(matching.Count == 1, $"Expected one {id}, got:\n{string.Join("\n", all.Take(20))}");
        return matching[0];
    }

    private static void AssertAt(TempRuleSet set, string file, RuleDiagnostic diagnostic, string text, string marker)
    {
        var (line, column) = Position.Of(text, marker, 1);
        Assert.Equal($"{set.PathOf(file)}({line},{column})", diagnostic.Location.ToString());
    }

    [Fact]
    public void More_rule_files_in_a_folder_than_the_limit_is_DR0059_at_the_folder_and_none_is_read()
    {
        using var set = TempRuleSet.With(rules: null);
        for (var i = 0; i <= RuleSetBounds.MaxRuleFilesPerFolder; i++)
        {
            set.Write($"r{i:D4}.rules.json", $$"""{ "WorkflowName": "w{{i}}", "Rules": [ {{Rule("R")}} ] }""");
        }

        var diagnostic = Single(set, "DR0059");

        Assert.Equal(set.Directory.Replace('\\', '/'), diagnostic.Location.Path.Replace('\\', '/'));
        Assert.Contains($"{RuleSetBounds.MaxRuleFilesPerFolder + 1} rule files in one folder; the limit is {RuleSetBounds.MaxRuleFilesPerFolder}", diagnostic.Message);
        Assert.Throws<InvalidRuleSetException>(() => RuleSet.Load(set.Directory));
    }

    [Fact]
    public void Rule_files_adding_up_past_the_byte_limit_stop_reading_at_the_file_that_goes_over()
    {
        // Each file is under the 4 MiB per-file limit (padded with whitespace, so reading them is cheap); together they are not.
        using var set = TempRuleSet.With(rules: null);
        var padding = new string(' ', 4_000_000);
        var files = (int)(RuleSetBounds.MaxRuleSetBytes / 4_000_000) + 1;
        for (var i = 0; i < files; i++)
        {
            set.Write($"r{i:D2}.rules.json", $$"""{ "WorkflowName": "w{{i}}", "Rules": [ {{Rule("R")}} ] }""" + padding);
        }

        var diagnostic = Single(set, "DR0059");

        Assert.Equal(set.PathOf($"r{files - 1:D2}.rules.json"), diagnostic.Location.Path.Replace('\\', '/'));
        Assert.Contains("more than 64 MiB", diagnostic.Message);
    }

    [Fact]
    public void More_workflows_than_the_limit_is_DR0060_at_the_first_one_over()
    {
        var rules = WorkflowsText(RuleSetBounds.MaxWorkflows + 1);
        using var set = TempRuleSet.With(rules: rules);

        var diagnostic = Single(set, "DR0060");

        AssertAt(set, "main.rules.json", diagnostic, rules, $"\"w{RuleSetBounds.MaxWorkflows}\"");
        Assert.Contains($"{RuleSetBounds.MaxWorkflows + 1} workflows; the limit is {RuleSetBounds.MaxWorkflows}", diagnostic.Message);
    }

    [Fact]
    public void More_rules_in_a_workflow_than_the_limit_is_DR0060_at_the_first_rule_over()
    {
        var rules = $$"""{ "WorkflowName": "main", "Rules": [ {{string.Join(",\n", Enumerable.Range(0, RuleSetBounds.MaxRulesPerWorkflow + 1).Select(i => $$"""{ "RuleName": "r{{i}}", "Expression": "true" }"""))}} ] }""";
        using var set = TempRuleSet.With(rules: rules);

        var diagnostic = Single(set, "DR0060");

        AssertAt(set, "main.rules.json", diagnostic, rules, $"\"r{RuleSetBounds.MaxRulesPerWorkflow}\"");
        Assert.Contains($"Workflow 'main' holds {RuleSetBounds.MaxRulesPerWorkflow + 1} rules", diagnostic.Message);
    }

    [Fact]
    public void More_parameters_in_a_workflow_than_the_limit_is_DR0060_at_the_first_one_over()
    {
        var globals = string.Join(", ", Enumerable.Range(0, RuleSetBounds.MaxParametersPerWorkflow + 1).Select(i => $$"""{ "Name": "g{{i}}", "Expression": "1" }"""));
        var rules = $$"""{ "WorkflowName": "main", "GlobalParams": [ {{globals}} ], "Rules": [ {{Rule("R")}} ] }""";
        using var set = TempRuleSet.With(rules: rules);

        var diagnostic = Single(set, "DR0060");

        AssertAt(set, "main.rules.json", diagnostic, rules, $"\"g{RuleSetBounds.MaxParametersPerWorkflow}\"");
        Assert.Contains($"holds {RuleSetBounds.MaxParametersPerWorkflow + 1} named parameters", diagnostic.Message);
    }

    [Fact]
    public void More_steps_than_the_limit_is_DR0060_at_the_first_step_over()
    {
        var catalogue = Catalogue(RuleSetBounds.MaxSteps - 1, chained: false);
        using var set = TempRuleSet.With(catalogue: catalogue);

        var diagnostic = Single(set, "DR0060");

        AssertAt(set, "catalogue.json", diagnostic, catalogue, $"\"s{RuleSetBounds.MaxSteps - 2}\"");
        Assert.Contains($"{RuleSetBounds.MaxSteps + 1} steps; the limit is {RuleSetBounds.MaxSteps}", diagnostic.Message);
    }

    [Fact]
    public void An_after_chain_longer_than_the_limit_is_DR0060_at_the_step_that_ends_it()
    {
        var catalogue = Catalogue(RuleSetBounds.MaxOrderingChain - 1, chained: true);
        using var set = TempRuleSet.With(catalogue: catalogue);

        // The chain may be as long as the catalogue, so a chain over the limit also has too many steps: both are reported.
        var diagnostic = Assert.Single(RuleSet.Validate(set.Directory).Diagnostics, d => d.Id == "DR0060" && d.Message.Contains("ends a chain", StringComparison.Ordinal));

        // notice → decision → s0 → … → s(n-2): n + 1 steps in one chain.
        var last = $"s{RuleSetBounds.MaxOrderingChain - 2}";
        AssertAt(set, "catalogue.json", diagnostic, catalogue, $"\"{last}\"");
        Assert.Contains($"Step '{last}' ends a chain of {RuleSetBounds.MaxOrderingChain + 1} steps", diagnostic.Message);
    }

    [Fact]
    public void A_chain_at_the_limit_loads()
    {
        using var set = TempRuleSet.With(catalogue: Catalogue(RuleSetBounds.MaxOrderingChain - 2, chained: true));
        Assert.DoesNotContain(RuleSet.Validate(set.Directory).Diagnostics, d => d.IsError);
    }

    [Fact]
    public void The_densest_ordering_within_the_step_limit_validates_in_bounded_time()
    {
        // The ordering checks work out every step's predecessors, transitively: layers of steps, each after the whole
        // layer before, make that close to the square of the steps. At the step limit it must still be quick. Layers of
        // 30 are as dense as a catalogue within the 4 MiB file limit can be at 10,000 steps (300,000 orderings).
        var extra = RuleSetBounds.MaxSteps - 2;
        var steps = Enumerable.Range(0, extra).Select(i =>
        {
            var layer = i / 30;
            var after = layer == 0 ? "\"decision\"" : string.Join(",", Enumerable.Range((layer - 1) * 30, 30).Select(j => $"\"s{j}\""));
            return $$"""    { "id": "s{{i}}", "name": "S", "kind": "Approval", "body": "cabinet", "after": [ {{after}} ] }""";
        });
        var catalogue = TempRuleSet.Catalogue.Replace(
            """{ "id": "decision", "name": "Decision", "kind": "Approval", "body": "cabinet", "after": [ "notice" ] }""",
            """{ "id": "decision", "name": "Decision", "kind": "Approval", "body": "cabinet", "after": [ "notice" ] },""" + "\n" + string.Join(",\n", steps),
            StringComparison.Ordinal);
        using var set = TempRuleSet.With(catalogue: catalogue);

        var started = System.Diagnostics.Stopwatch.StartNew();
        var diagnostics = RuleSet.Validate(set.Directory).Diagnostics;

        Assert.DoesNotContain(diagnostics, d => d.IsError);
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(30), $"validate took {started.Elapsed}");
    }

    [Fact]
    public async Task The_cli_and_the_analyzer_report_the_same_position()
    {
        var rules = WorkflowsText(RuleSetBounds.MaxWorkflows + 1);
        using var set = TempRuleSet.With(rules: rules);
        var (line, column) = Position.Of(rules, $"\"w{RuleSetBounds.MaxWorkflows}\"", 1);
        var expected = $"{set.PathOf("main.rules.json")}({line},{column}): error DR0060:";

        var stdout = new StringWriter { NewLine = "\n" };
        var exit = Program.Run(["validate", set.Directory], stdout, new StringWriter());
        Assert.Equal(1, exit);
        Assert.Contains(expected, stdout.ToString());

        var loader = RuleSet.Validate(set.Directory).Diagnostics.Select(d => $"{d.Location.Path}({d.Location.Line},{d.Location.Column}): {d.Id}").OrderBy(s => s).ToArray();
        Assert.Equal(loader, await ExpressionAnalyzerTests.Analyze(Directory.GetFiles(set.Directory)));
    }

    [Fact]
    public void The_shipped_rule_sets_are_far_inside_the_bounds()
    {
        foreach (var folder in new[] { "rules/england" }.Concat(Directory.GetDirectories(Repository.PathOf("rules/partnerships")).Select(d => "rules/partnerships/" + Path.GetFileName(d))))
        {
            var set = RuleSet.Load(Repository.PathOf(folder));
            Assert.DoesNotContain(RuleSet.Validate(Repository.PathOf(folder)).Diagnostics, d => d.Id is "DR0059" or "DR0060");
            Assert.True(set.Definition.Steps.Count * 10 < RuleSetBounds.MaxSteps, folder);
            Assert.True(set.Definition.Workflows.Count * 10 < RuleSetBounds.MaxWorkflows, folder);
        }
    }

    /// <summary>The test catalogue's notice and decision, then <paramref name="extra"/> steps s0, s1 …, each after the one before when chained.</summary>
    private static string Catalogue(int extra, bool chained)
    {
        var steps = Enumerable.Range(0, extra).Select(i =>
            $$"""    { "id": "s{{i}}", "name": "S", "kind": "Approval", "body": "cabinet"{{(chained ? $", \"after\": [ \"{(i == 0 ? "decision" : $"s{i - 1}")}\" ]" : string.Empty)}} }""");
        return TempRuleSet.Catalogue.Replace(
            """{ "id": "decision", "name": "Decision", "kind": "Approval", "body": "cabinet", "after": [ "notice" ] }""",
            """{ "id": "decision", "name": "Decision", "kind": "Approval", "body": "cabinet", "after": [ "notice" ] },""" + "\n" + string.Join(",\n", steps),
            StringComparison.Ordinal);
    }
}
