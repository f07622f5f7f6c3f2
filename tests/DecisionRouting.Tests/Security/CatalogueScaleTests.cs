using System;
using System.Diagnostics;
using System.Linq;
using DecisionRouting.RuleSets;
using DecisionRouting.Tests.Support;
using Xunit.Abstractions;

namespace DecisionRouting.Tests.Security;

/// <summary>
/// Issue 14 §3, found while merging issue 15's StepGraph: checks that compared every step with every other ran before
/// (or within) the step bound, so a catalogue a careless author could write validated for minutes. Suggestions ("did
/// you mean") compared each misspelt name with every step: 9,000 steps each naming a misspelt predecessor ran for more
/// than five minutes. The parallel-group check compared each step with all others and built a steps² reachability
/// set before the step bound was checked: 55,000 steps ran for more than five minutes. Each is now bounded.
/// </summary>
public sealed class CatalogueScaleTests
{
    private const string Rules = """{ "WorkflowName": "w", "Rules": [ { "RuleName": "a", "Expression": "true", "Properties": { "steps": [ "s1" ], "source": "s", "reason": "r" } } ] }""";

    /// <summary>Well inside the routing budget's order of magnitude on a loaded machine; the faults took minutes.</summary>
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    private readonly ITestOutputHelper _output;

    public CatalogueScaleTests(ITestOutputHelper output) => _output = output;

    private static string Catalogue(int steps, Func<int, string> extra) =>
        """{ "bodies": [], "roles": [ { "id": "r", "name": "r" } ], "steps": [ """
        + string.Join(",", Enumerable.Range(0, steps).Select(i => $$"""{"id":"s{{i}}","name":"s","kind":"SignOff","role":"r"{{extra(i)}}}"""))
        + " ] }";

    [Fact]
    public void Thousands_of_misspelt_names_are_each_reported_in_seconds_not_minutes()
    {
        var catalogue = Catalogue(9_000, i => $$""","after":["sx{{i}}"]""");
        using var set = TempRuleSet.With(catalogue: catalogue, rules: Rules);
        var watch = Stopwatch.StartNew();
        var unknown = RuleSet.Validate(set.Directory).Diagnostics.Where(d => d.Id == "DR0012").ToList();
        _output.WriteLine($"validate {watch.ElapsedMilliseconds} ms, {unknown.Count(d => d.Message.Contains("did you mean", StringComparison.Ordinal))} with a suggestion");
        Assert.True(watch.Elapsed < Bound, $"validate took {watch.Elapsed}");

        // Every misspelling is reported, at its place; the first ones still say what was probably meant.
        Assert.Equal(9_000, unknown.Count);
        Assert.Equal("Unknown step 'sx0'; did you mean 's0'?", unknown[0].Message);
        Assert.Equal(Position.Of(catalogue, "\"sx0\""), (unknown[0].Location.Line, unknown[0].Location.Column));
    }

    [Fact]
    public void A_misspelt_name_among_few_still_gets_its_suggestion_after_many_were_spent()
    {
        // The budget is per reading: a second reading of a small rule set suggests as ever.
        using (var big = TempRuleSet.With(catalogue: Catalogue(9_000, i => $$""","after":["sx{{i}}"]"""), rules: Rules))
        {
            RuleSet.Validate(big.Directory);
        }

        using var small = TempRuleSet.With(catalogue: Catalogue(3, i => i == 2 ? ""","after":["sx0"]""" : string.Empty), rules: Rules);
        var error = Assert.Single(RuleSet.Validate(small.Directory).Diagnostics, d => d.Id == "DR0012");
        Assert.EndsWith("did you mean 's0'?", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_catalogue_over_the_step_bound_is_refused_without_comparing_its_steps_pairwise()
    {
        var catalogue = Catalogue(55_000, _ => ""","parallelGroup":"g" """);
        using var set = TempRuleSet.With(catalogue: catalogue, rules: Rules);
        var watch = Stopwatch.StartNew();
        var errors = RuleSet.Validate(set.Directory).Diagnostics.Where(d => d.IsError).ToList();
        _output.WriteLine($"validate {watch.ElapsedMilliseconds} ms");
        Assert.True(watch.Elapsed < Bound, $"validate took {watch.Elapsed}");
        var tooLarge = Assert.Single(errors, d => d.Id == "DR0060");
        Assert.Contains("55000 steps; the limit is 10000", tooLarge.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_parallel_group_at_the_step_bound_is_checked_in_seconds()
    {
        // At the bound the checks run: 10,000 steps in one group, the last ordered after the first; DR0023 is reported
        // for that step only.
        var catalogue = Catalogue(10_000, i => i == 9_999 ? ""","parallelGroup":"g","after":["s0"]""" : ""","parallelGroup":"g" """);
        using var set = TempRuleSet.With(catalogue: catalogue, rules: Rules);
        var watch = Stopwatch.StartNew();
        var diagnostics = RuleSet.Validate(set.Directory).Diagnostics;
        _output.WriteLine($"validate {watch.ElapsedMilliseconds} ms");
        Assert.True(watch.Elapsed < Bound, $"validate took {watch.Elapsed}");
        Assert.DoesNotContain(diagnostics, d => d.Id == "DR0060");
        var ordered = Assert.Single(diagnostics, d => d.Id == "DR0023");
        Assert.Equal("Step 's9999' is in parallel group 'g' with 's0' but must come after it; remove the ordering or the group", ordered.Message);
    }

    [Fact]
    public void A_parallel_group_ordered_as_one_chain_is_reported_once_per_step_not_once_per_pair()
    {
        // 2,000 steps in one group, each after the one before: 1,999 reports (each naming the group's first step it
        // must follow), not the 1,999,000 pairs; and in seconds.
        var catalogue = Catalogue(2_000, i => i == 0 ? ""","parallelGroup":"g" """ : $$""","parallelGroup":"g","after":["s{{i - 1}}"]""");
        using var set = TempRuleSet.With(catalogue: catalogue, rules: Rules);
        var watch = Stopwatch.StartNew();
        var ordered = RuleSet.Validate(set.Directory).Diagnostics.Where(d => d.Id == "DR0023").ToList();
        Assert.True(watch.Elapsed < Bound, $"validate took {watch.Elapsed}");
        Assert.Equal(1_999, ordered.Count);
        Assert.All(ordered, d => Assert.EndsWith("with 's0' but must come after it; remove the ordering or the group", d.Message, StringComparison.Ordinal));
    }
}
