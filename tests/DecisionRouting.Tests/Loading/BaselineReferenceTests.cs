using System;
using System.IO;
using System.Linq;
using DecisionRouting.Diagnostics;
using DecisionRouting.Proposals;
using DecisionRouting.Routing;
using DecisionRouting.RuleSets;
using DecisionRouting.Tests.Support;

namespace DecisionRouting.Tests.Loading;

/// <summary>
/// Issue 16 §4: the England baseline ships built into DecisionRouting, and a partner rule set extends it by name,
/// <c>"extends": "baseline:england"</c>, instead of copying <c>rules/england</c>. The built-in files are the
/// repository's own; a reference that names nothing is DR0093 or DR0094 at the value; the rule tree's root checks stay
/// as they were for paths.
/// </summary>
public sealed class BaselineReferenceTests : IDisposable
{
    private readonly string _tree = Path.Combine(Path.GetTempPath(), "dr-tests", "baseline-" + Guid.NewGuid().ToString("N"), "rules");

    public BaselineReferenceTests() => Directory.CreateDirectory(_tree);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path.GetDirectoryName(_tree)!, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }
    }

    /// <summary>Croydon's partnership, copied into the sandbox with its <c>extends</c> replaced by <paramref name="extends"/>.</summary>
    private string Croydon(string folder, string extends)
    {
        var directory = Path.Combine(_tree, folder);
        Directory.CreateDirectory(directory);
        foreach (var file in Directory.GetFiles(Repository.PathOf("rules/partnerships/croydon")))
        {
            var text = File.ReadAllText(file);
            File.WriteAllText(Path.Combine(directory, Path.GetFileName(file)), text.Replace("\"extends\": \"../../england\"", $"\"extends\": \"{extends}\""));
        }

        Assert.Contains($"\"extends\": \"{extends}\"", File.ReadAllText(Path.Combine(directory, "ruleset.json")));
        return directory;
    }

    private static string Fingerprint(RoutingPlan plan) => string.Join(
        "\n",
        plan.Steps.Select(s => $"{s.Id} stage {s.Stage} after [{string.Join(",", s.After)}] {s.Timing} by [{string.Join(",", s.RequiredBy.Select(r => r.Rule))}]")
            .Concat(plan.MatchedRules.Select(r => $"{r.Workflow}/{r.Rule}"))
            .Concat(plan.Warnings.Select(w => w.ToString())));

    private static RoutingPlan RouteCroydonSample(RuleSet ruleSet)
    {
        var proposal = ProposalReader.ReadFile(Repository.PathOf("samples/proposals/croydon-2013-integrated-commissioning-unit.json")).Proposal!;
        return new Router(ruleSet).Route(proposal);
    }

    private static RuleDiagnostic Single(string directory, string id)
    {
        var diagnostics = RuleSet.Validate(directory).Diagnostics;
        var matching = diagnostics.Where(d => d.Id == id).ToList();
        Assert.True(matching.Count == 1, $"Expected one {id}, got:\n{string.Join("\n", diagnostics)}");
        return matching[0];
    }

    private string Manifest(string folder, string manifest)
    {
        var directory = Path.Combine(_tree, folder);
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, "ruleset.json"), manifest);
        File.WriteAllText(Path.Combine(directory, "local.rules.json"), """{ "WorkflowName": "local", "Rules": [ { "RuleName": "L", "Expression": "true", "Properties": { "steps": [ "decision-record" ], "source": "s" } } ] }""");
        return directory;
    }

    [Fact]
    public void The_built_in_baseline_is_the_repository_rules_england_file_for_file()
    {
        var files = RuleSetBaselines.Files("england")!;
        var onDisk = Directory.GetFiles(Repository.PathOf("rules/england")).ToDictionary(f => Path.GetFileName(f), File.ReadAllText);
        Assert.Equal(onDisk.Keys.Order(StringComparer.Ordinal), files.Keys.Order(StringComparer.Ordinal));
        Assert.All(onDisk, f => Assert.Equal(f.Value, files[f.Key]));
        Assert.Equal(new[] { "england" }, RuleSetBaselines.Names);

        // Loaded by name, it is the same rule set as the folder: same hash (names and texts of every file), same steps.
        var builtIn = RuleSet.Load(RuleSetBaselines.England);
        var folder = RuleSet.Load(Repository.PathOf("rules/england"));
        Assert.Equal(folder.Definition.Hash, builtIn.Definition.Hash);
        Assert.Equal(folder.Definition.Steps.Keys.Order(StringComparer.Ordinal), builtIn.Definition.Steps.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("baseline:england", Assert.Single(builtIn.Definition.Layers).Directory);
        Assert.Null(RuleSetBaselines.Files("wales"));
    }

    [Fact]
    public void A_partner_extending_baseline_england_routes_as_the_same_partner_extending_the_folder()
    {
        var partner = Croydon("croydon", RuleSetBaselines.England);
        var byName = RuleSet.Load(partner);
        Assert.Equal(new[] { "baseline:england", partner.Replace('\\', '/') }, byName.Definition.Layers.Select(l => l.Directory.Replace('\\', '/')));
        Assert.DoesNotContain(byName.Definition.Diagnostics, d => d.IsError);

        var byFolder = RuleSet.Load(Repository.PathOf("rules/partnerships/croydon"));
        var expected = Fingerprint(RouteCroydonSample(byFolder));
        Assert.Contains("call-in-window", expected); // a Croydon step, after England's decision steps
        Assert.Contains("decision-record", expected); // an England step Croydon's orders after
        Assert.Equal(expected, Fingerprint(RouteCroydonSample(byName)));
    }

    [Fact]
    public void A_baseline_reached_through_a_nested_chain_resolves_from_any_depth()
    {
        Croydon("region", RuleSetBaselines.England);
        var partner = Manifest("partner", """{ "name": "partner", "extends": "../region" }""");
        var ruleSet = RuleSet.Load(partner);
        Assert.Equal(new[] { "england", "croydon", "partner" }, ruleSet.Definition.Layers.Select(l => l.Name));
        Assert.Contains("decision-record", Fingerprint(RouteCroydonSample(ruleSet)));
    }

    [Theory]
    [InlineData("baseline:englnd", "there is no built-in baseline named 'englnd'; the baselines built into DecisionRouting are baseline:england; did you mean 'baseline:england'?")]
    [InlineData("baseline:England", "there is no built-in baseline named 'England'; the baselines built into DecisionRouting are baseline:england; did you mean 'baseline:england'?")]
    [InlineData("baseline:", "there is no built-in baseline named ''; the baselines built into DecisionRouting are baseline:england")]
    [InlineData("baseline:england/", "a baseline reference ends with the baseline's name, with no '/' after it; the baselines built into DecisionRouting are baseline:england; did you mean 'baseline:england'?")]
    [InlineData("baseline:england/../../../etc", "a baseline is named whole, with no folder or file after its name ('../../../etc'); the baselines built into DecisionRouting are baseline:england; did you mean 'baseline:england'?")]
    public void DR0093_an_unknown_baseline_points_at_the_extends_value(string extends, string why)
    {
        var manifest = $$"""{ "name": "partner", "extends": "{{extends}}" }""";
        var partner = Manifest("partner", manifest);
        var diagnostic = Single(partner, "DR0093");
        var (line, column) = Position.Of(manifest, $"\"{extends}\"");
        Assert.Equal($"{partner.Replace('\\', '/')}/ruleset.json({line},{column})", diagnostic.Location.ToString());
        Assert.Equal($"Rule set extends '{extends}': {why}; fix this first: checks that need what the base defines (steps, bodies, roles, workflows, parameters, expressions) were not run", diagnostic.Message);

        // A root cause: the checks that need the base (here, the England step the partner's rule names) are held back.
        Assert.DoesNotContain(RuleSet.Validate(partner).Diagnostics, d => d.Id is "DR0012" or "DR0082" or "DR0063" or "DR0019");
    }

    [Theory]
    [InlineData("package:DecisionRouting.Rules.England", "starts with 'package:', which is not a rule-set reference: the England baseline is built into the DecisionRouting package (there is no package to name): write \"baseline:england\"")]
    [InlineData("basline:england", "starts with 'basline:', which is not a rule-set reference: did you mean \"baseline:england\"? (lower case, as written here)")]
    [InlineData("Baseline:England", "starts with 'Baseline:', which is not a rule-set reference: did you mean \"baseline:england\"? (lower case, as written here)")]
    [InlineData("https://example.org/england", "starts with 'https:', which is not a rule-set reference: only \"baseline:\" names a built-in rule set; name a folder by its path relative to this one (a folder whose name has a colon is written './https://example.org/england')")]
    public void DR0094_a_reference_with_another_scheme_points_at_the_extends_value(string extends, string why)
    {
        var manifest = $$"""
            {
              "name": "partner",
              "extends": "{{extends}}"
            }
            """;
        var partner = Manifest("partner", manifest);
        var diagnostic = Single(partner, "DR0094");
        var (line, column) = Position.Of(manifest, $"\"{extends}\"");
        Assert.Equal($"{partner.Replace('\\', '/')}/ruleset.json({line},{column})", diagnostic.Location.ToString());
        Assert.Equal($"Rule set extends '{extends}' {why}; fix this first: checks that need what the base defines (steps, bodies, roles, workflows, parameters, expressions) were not run", diagnostic.Message);
        Assert.DoesNotContain(RuleSet.Validate(partner).Diagnostics, d => d.Id is "DR0082" or "DR0063" or "DR0093");
    }

    [Fact]
    public void DR0093_in_the_middle_of_a_chain_points_at_the_layer_that_wrote_it()
    {
        var region = Manifest("region", """
            {
              "name": "region",
              "extends": "baseline:englnad"
            }
            """);
        var partner = Manifest("partner", """{ "name": "partner", "extends": "../region" }""");
        var diagnostic = Single(partner, "DR0093");
        Assert.Equal($"{region.Replace('\\', '/')}/ruleset.json(3,14)", diagnostic.Location.ToString());
    }

    [Fact]
    public void A_path_is_still_a_path_and_the_root_checks_are_unchanged_for_it()
    {
        // "./" makes a colon part of a folder name, never a reference: an ordinary DR0082 for a folder that is not there.
        var partner = Manifest("partner", """{ "name": "partner", "extends": "./baseline:england" }""");
        Assert.Contains("does not exist", Single(partner, "DR0082").Message);

        // The relative path to the repository's rules/england leaves this tree: DR0063, as before. The reference, in the
        // same tree with the same root, is not a path and resolves: the root protects the disk, and the baseline is not on it.
        var relative = Path.GetRelativePath(Path.Combine(_tree, "outside"), Repository.PathOf("rules/england")).Replace('\\', '/');
        var outside = Manifest("outside", $$"""{ "name": "outside", "extends": "{{relative}}" }""");
        Assert.Contains("leads outside the rule tree", Single(outside, "DR0063").Message);
        var inside = Manifest("inside", """{ "name": "inside", "extends": "baseline:england" }""");
        var strict = new RuleSetReadOptions { ExtendsRoot = inside };
        Assert.DoesNotContain(RuleSet.Validate(inside, strict).Diagnostics, d => d.IsError);
    }

    [Fact]
    public void The_loader_api_takes_a_reference_as_the_folder_and_says_which_names_exist()
    {
        var unknown = RuleSet.TryLoad("baseline:englnd");
        Assert.Null(unknown.RuleSet);
        var diagnostic = Assert.Single(unknown.Diagnostics);
        Assert.Equal("DR0093", diagnostic.Id);
        Assert.Equal("baseline:englnd", diagnostic.Location.ToString());
        Assert.Equal("Rule-set folder 'baseline:englnd': there is no built-in baseline named 'englnd'; the baselines built into DecisionRouting are baseline:england; did you mean 'baseline:england'?", diagnostic.Message);

        Assert.Equal("DR0094", Assert.Single(RuleSet.TryLoad("package:DecisionRouting.Rules.England").Diagnostics).Id);
        Assert.True(RuleSet.TryLoad(RuleSetBaselines.England).RuleSet is not null);
    }
}
