using System;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Text.RegularExpressions;
using DecisionRouting.Proposals;
using DecisionRouting.Routing;
using DecisionRouting.RuleSets;
using DecisionRouting.Tests.Analyzers;
using DecisionRouting.Tests.Support;

namespace DecisionRouting.Tests.Embedding;

/// <summary>
/// Issue 16 §4, "the England baseline ships": a partner repository built with a real <c>dotnet build</c> from the packed
/// <c>DecisionRouting</c> package keeps only its own rule set, which <c>extends</c> <c>baseline:england</c>. The analyzer
/// resolves it (C# naming an England step is clean, a misspelt one is not, an unknown baseline fails the build at the
/// value), and the app routes through it at run time as the repository's own Croydon partnership routes.
/// </summary>
[Collection("dotnet pack")]
public sealed class BaselinePackedTests
{
    private const string Sample = "samples/proposals/croydon-2013-integrated-commissioning-unit.json";

    private readonly PackedPackage _package;

    public BaselinePackedTests(PackedPackage package) => _package = package;

    [Fact]
    public void The_rule_files_assembly_carries_the_baseline_beside_the_library_and_beside_the_analyzer()
    {
        using var nupkg = ZipFile.OpenRead(_package.PackageFile("DecisionRouting"));
        var expected = Directory.GetFiles(Repository.PathOf("rules/england")).Select(f => "DecisionRouting.Baselines.england/" + Path.GetFileName(f)).Order(StringComparer.Ordinal).ToList();
        foreach (var entry in new[] { "lib/net10.0/DecisionRouting.RuleFiles.dll", "analyzers/dotnet/cs/DecisionRouting.RuleFiles.dll" })
        {
            using var stream = new MemoryStream();
            using (var source = nupkg.GetEntry(entry)!.Open())
            {
                source.CopyTo(stream);
            }

            stream.Position = 0;
            using var pe = new PEReader(stream);
            var metadata = pe.GetMetadataReader();
            var resources = metadata.ManifestResources.Select(h => metadata.GetString(metadata.GetManifestResource(h).Name)).Where(n => n.StartsWith("DecisionRouting.Baselines.", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();
            Assert.Equal(expected, resources);
        }
    }

    [Fact]
    public void A_partner_extending_baseline_england_builds_clean_routes_through_it_and_fails_loudly_when_the_reference_is_wrong()
    {
        using var partner = _package.Partner(brokenRules: false);
        var local = Path.Combine(partner.Directory, "rules", "local");
        foreach (var file in Directory.GetFiles(local))
        {
            File.Delete(file);
        }

        foreach (var file in Directory.GetFiles(Repository.PathOf("rules/partnerships/croydon")))
        {
            File.WriteAllText(Path.Combine(local, Path.GetFileName(file)), File.ReadAllText(file).Replace("\"extends\": \"../../england\"", "\"extends\": \"baseline:england\""));
        }

        // C# naming an England step: only the baseline defines it, so a clean build means the analyzer followed the reference.
        const string code = """
            namespace Partner;

            public static class Routing
            {
                public static bool NeedsRecord(DecisionRouting.Routing.RoutingPlan plan) => plan.Requires("decision-record");
            }
            """;
        File.WriteAllText(Path.Combine(partner.Directory, "Routing.cs"), code);
        File.WriteAllText(Path.Combine(partner.Directory, "Program.cs"), """
            using System;
            using System.Linq;
            using DecisionRouting.Proposals;
            using DecisionRouting.Routing;
            using DecisionRouting.RuleSets;

            var proposal = ProposalReader.ReadFile(args[0]).Proposal!;
            var ruleSet = RuleSet.Load("rules/local");
            var plan = new Router(ruleSet).Route(proposal);
            Console.WriteLine($"layers: {string.Join(", ", ruleSet.Definition.Layers.Select(l => l.Directory))}");
            Console.WriteLine($"steps: {string.Join(", ", plan.Steps.Select(s => s.Id))}");
            """);

        var (exit, output) = partner.Build();
        Assert.True(exit == 0, output);
        Assert.DoesNotContain("DR0", output);

        var (runExit, runOutput) = PackedPackage.Dotnet(partner.Directory, "run", "--no-build", "--", Repository.PathOf(Sample));
        Assert.True(runExit == 0, runOutput);
        var proposal = ProposalReader.ReadFile(Repository.PathOf(Sample)).Proposal!;
        var expected = new Router(RuleSet.Load(Repository.PathOf("rules/partnerships/croydon"))).Route(proposal).Steps.Select(s => s.Id).ToList();
        Assert.Contains("decision-record", expected);
        Assert.Contains("layers: baseline:england, rules/local", runOutput);
        Assert.Contains($"steps: {string.Join(", ", expected)}", runOutput);

        // A misspelt England step, in the rules and in C#: each found through the chain, with the baseline's name suggested.
        var rulesFile = Path.Combine(local, "croydon.rules.json");
        var rules = File.ReadAllText(rulesFile).Replace("\"collective-consultation-45\"", "\"collective-consultaton-45\"");
        File.WriteAllText(rulesFile, rules);
        var misspelt = code.Replace("\"decision-record\"", "\"decision-recrod\"");
        File.WriteAllText(Path.Combine(partner.Directory, "Routing.cs"), misspelt);
        (exit, output) = partner.Build();
        Assert.NotEqual(0, exit);
        var (ruleLine, ruleColumn) = Position.Of(rules, "\"collective-consultaton-45\"");
        var (codeLine, codeColumn) = Position.Of(misspelt, "\"decision-recrod\"");
        Assert.Matches($@"rules/local/croydon\.rules\.json\({ruleLine},{ruleColumn}\): error DR0012: [^\r\n]*did you mean 'collective-consultation-45'", output.Replace('\\', '/'));
        Assert.Matches($@"Routing\.cs\({codeLine},{codeColumn}\): error DR0031: [^\r\n]*did you mean 'decision-record'", output);

        // The reference itself misspelt: the build fails at the value, and the app says the same at run time.
        File.WriteAllText(rulesFile, rules.Replace("\"collective-consultaton-45\"", "\"collective-consultation-45\""));
        File.WriteAllText(Path.Combine(partner.Directory, "Routing.cs"), code);
        var manifestFile = Path.Combine(local, "ruleset.json");
        var manifest = File.ReadAllText(manifestFile).Replace("\"baseline:england\"", "\"baseline:englnd\"");
        File.WriteAllText(manifestFile, manifest);
        (exit, output) = partner.Build();
        Assert.NotEqual(0, exit);
        var (line, column) = Position.Of(manifest, "\"baseline:englnd\"");
        Assert.Matches($@"rules/local/ruleset\.json\({line},{column}\): error DR0093: Rule set extends 'baseline:englnd': there is no built-in baseline named 'englnd'", output.Replace('\\', '/'));

        // The app built before still runs; the loader reports the same error at the same place when it loads.
        (runExit, runOutput) = PackedPackage.Dotnet(partner.Directory, "run", "--no-build", "--", Repository.PathOf(Sample));
        Assert.NotEqual(0, runExit);
        Assert.Matches($@"rules/local/ruleset\.json\({line},{column}\): error DR0093", Regex.Replace(runOutput.Replace('\\', '/'), @"\s+", " "));
    }
}
