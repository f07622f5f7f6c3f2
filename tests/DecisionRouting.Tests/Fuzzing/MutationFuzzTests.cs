using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using DecisionRouting.Expressions;
using DecisionRouting.Proposals;
using DecisionRouting.Routing;
using DecisionRouting.RuleSets;
using DecisionRouting.Tests.Support;
using Xunit.Abstractions;

namespace DecisionRouting.Tests.Fuzzing;

/// <summary>
/// Seeded mutation fuzzing of proposals, catalogues, rule files and manifests. Every input must either load (and then
/// route) or give diagnostics: no unhandled exception, no hang. CI runs 10,400 inputs; set DR_FUZZ_ITERATIONS for a
/// longer run (see README, Security). An input that ever fails is written to Fixtures/fuzz/crashes, to be moved into
/// Fixtures/fuzz/regressions, where <see cref="Every_recorded_regression_loads_or_gives_diagnostics"/> keeps it.
/// </summary>
public sealed class MutationFuzzTests
{
    private const int DefaultIterations = 2600;
    private static readonly TimeSpan HangLimit = TimeSpan.FromSeconds(10);
    private readonly ITestOutputHelper _output;

    public MutationFuzzTests(ITestOutputHelper output) => _output = output;

    private static int Iterations => int.TryParse(Environment.GetEnvironmentVariable("DR_FUZZ_ITERATIONS"), out var n) && n > 0 ? n : DefaultIterations;

    private static readonly Lazy<Router> EnglandRouter = new(() => new Router(RuleSet.Load(Repository.PathOf("rules/england"))));

    private static readonly Dictionary<string, string> BaseRuleSet = new()
    {
        ["ruleset.json"] = File.ReadAllText(Repository.PathOf("tests/DecisionRouting.Tests/Fixtures/cli/rules/ruleset.json")),
        ["catalogue.json"] = File.ReadAllText(Repository.PathOf("tests/DecisionRouting.Tests/Fixtures/cli/rules/catalogue.json")),
        ["main.rules.json"] = File.ReadAllText(Repository.PathOf("tests/DecisionRouting.Tests/Fixtures/cli/rules/main.rules.json")),
        ["extra.rules.json"] = File.ReadAllText(Repository.PathOf("tests/DecisionRouting.Tests/Fixtures/rulesengine/valid/nested-operators.json")),
    };

    private static readonly Proposal RoutedProposal = ProposalReader.ReadFile(Repository.PathOf("tests/DecisionRouting.Tests/Fixtures/cli/proposal.json")).Proposal!;

    [Theory]
    [InlineData("proposal", 1)]
    [InlineData("catalogue.json", 2)]
    [InlineData("main.rules.json", 3)]
    [InlineData("ruleset.json", 4)]
    public void Mutated_inputs_load_or_give_diagnostics(string target, int seed)
    {
        var mutator = new Mutator(seed);
        var seeds = target == "proposal"
            ? Directory.GetFiles(Repository.PathOf("samples/proposals"), "*.json").Select(File.ReadAllText).ToList()
            : new List<string> { BaseRuleSet[target] };
        int loaded = 0, rejected = 0;
        var slowest = TimeSpan.Zero;
        for (var i = 0; i < Iterations; i++)
        {
            var input = mutator.Mutate(seeds[i % seeds.Count]);
            var timer = Stopwatch.StartNew();
            var outcome = Run(target, input);
            timer.Stop();
            slowest = timer.Elapsed > slowest ? timer.Elapsed : slowest;
            if (outcome is null)
            {
                rejected++;
            }
            else if (outcome.Value)
            {
                loaded++;
            }

            if (timer.Elapsed >= HangLimit)
            {
                Assert.Fail($"Input {i} took {timer.Elapsed}: saved as {Record(target, input, "hang")}");
            }
        }

        _output.WriteLine($"{target}: {Iterations} inputs, {loaded} loaded, {rejected} rejected with diagnostics, slowest {slowest.TotalMilliseconds:0} ms");
        Assert.True(rejected > 0, "the mutations should break some inputs");
    }

    [Fact]
    public void Every_recorded_regression_loads_or_gives_diagnostics()
    {
        foreach (var file in Directory.GetFiles(Repository.PathOf("tests/DecisionRouting.Tests/Fixtures/fuzz/regressions"), "*.json"))
        {
            var name = Path.GetFileName(file);
            var target = name.StartsWith("proposal-", StringComparison.Ordinal) ? "proposal" : name[..name.IndexOf("--", StringComparison.Ordinal)];
            var outcome = Run(target, File.ReadAllText(file));
            if (name.Contains("null-required", StringComparison.Ordinal))
            {
                Assert.Null(outcome); // each of these was once rejected silently; now with an error diagnostic
            }
        }
    }

    /// <summary>True when the input loaded (and routed), null when it gave error diagnostics, false when neither applies.</summary>
    private static bool? Run(string target, string input)
    {
        try
        {
            if (target == "proposal")
            {
                var read = ProposalReader.Read("fuzz.json", input);
                if (read.Proposal is null)
                {
                    return read.Diagnostics.Any(d => d.IsError) ? null : Fail(target, input, "rejected with no error diagnostic");
                }

                try
                {
                    EnglandRouter.Value.Route(read.Proposal);
                }
                catch (InvalidProposalException refused)
                {
                    // A declared attribute of the wrong type (say "equalityAnalysis": 0) reads as a proposal and is
                    // refused when routed, with DR0036 at its position: a rejection with an error, not a crash.
                    return refused.Diagnostics.Any(d => d.IsError) ? null : Fail(target, input, "refused with no error diagnostic");
                }

                return true;
            }

            var files = new Dictionary<string, string>(BaseRuleSet) { [target] = input };
            var definition = RuleSetReader.Read(InMemoryRuleSet.Directory, new InMemoryRuleSet(files), new RulesEngineExpressionChecker());
            var result = RuleSet.FromDefinition(definition);
            if (result.RuleSet is null)
            {
                return result.Diagnostics.Any(d => d.IsError) ? null : Fail(target, input, "rejected with no error diagnostic");
            }

            new Router(result.RuleSet).Route(RoutedProposal);
            return true;
        }
        catch (Exception e) when (e is not Xunit.Sdk.XunitException)
        {
            throw new Xunit.Sdk.XunitException($"Unhandled {e.GetType().Name}: {e.Message}\nInput saved as {Record(target, input, "crash")}\n{e}");
        }
    }

    private static bool? Fail(string target, string input, string what) =>
        throw new Xunit.Sdk.XunitException($"Input {what}: saved as {Record(target, input, "crash")}");

    private static string Record(string target, string input, string what)
    {
        var directory = Repository.PathOf("tests/DecisionRouting.Tests/Fixtures/fuzz/crashes");
        Directory.CreateDirectory(directory);
        var hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(input)))[..12].ToLowerInvariant();
        var path = Path.Combine(directory, $"{(target == "proposal" ? "proposal-" : target + "--")}{what}-{hash}.json");
        File.WriteAllText(path, input);
        return path;
    }
}
