using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using DecisionRouting.Proposals;
using DecisionRouting.Routing;
using DecisionRouting.RuleSets;
using DecisionRouting.Serialization;
using DecisionRouting.Tests.Calendar;
using DecisionRouting.Tests.Support;

namespace DecisionRouting.Tests.Routing;

/// <summary>
/// <c>Router.Route</c> memoises, per rule set, how a set of required steps is ordered and staged
/// (<see cref="StepLayouts"/>), and reuses evaluation scratch per thread. Neither may change a plan, nor carry one
/// proposal's data into another's: a plan routed with a warm memo, on a router shared between threads, must be the
/// plan routed from nothing, to the last character of its JSON.
/// </summary>
public sealed class PlanLayoutCacheTests
{
    private const int Proposals = 300;

    [Theory]
    [MemberData(nameof(Repository.ShippedRuleSets), MemberType = typeof(Repository))]
    public void Warm_shared_router_gives_the_plans_of_a_cold_one_on_shipped_rule_sets(string folder)
    {
        var ruleSet = RuleSet.Load(Repository.PathOf(folder));
        var (sets, contradictions) = AssertSamePlans(ruleSet, seed: folder.Length);
        Assert.True(sets > 1, "the register must require more than one set of steps, or the memo is not exercised");
        Assert.Equal(0, contradictions);
    }

    [Theory]
    [InlineData(200, 21)]
    [InlineData(60, 22)]
    public void Warm_shared_router_gives_the_plans_of_a_cold_one_on_generated_rule_sets(int rules, int seed)
    {
        var directory = Path.Combine(Path.GetTempPath(), "dr-synthetic", Guid.NewGuid().ToString("N"));
        try
        {
            Synthetic.WriteRuleSet(directory, rules, seed);
            var (sets, _) = AssertSamePlans(RuleSet.Load(directory), seed);
            Assert.True(sets > 1, "the register must require more than one set of steps, or the memo is not exercised");
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void Memo_is_bounded_and_each_layout_is_the_one_built_from_nothing()
    {
        var ruleSet = RuleSet.Load(Repository.PathOf("rules/england"));
        var layouts = StepLayouts.For(ruleSet);
        Assert.True(layouts.CatalogueCount >= 11, "enough steps for more distinct sets than the bound");
        var distinct = StepLayouts.MaxLayouts + 200;
        for (var n = 1; n <= distinct; n++)
        {
            var set = layouts.Scratch();
            for (var bit = 0; bit < 11; bit++)
            {
                if ((n >> bit & 1) != 0)
                {
                    set[0] |= 1UL << bit;
                }
            }

            var layout = layouts.Get(set);
            // Upper bounds only: other tests may route this rule set at the same time and empty the memo themselves.
            Assert.InRange(layouts.Count, 0, StepLayouts.MaxLayouts);
            Assert.InRange(layouts.CellCount, 0, StepLayouts.MaxCells);
            Assert.Equal(System.Numerics.BitOperations.PopCount((ulong)n), layout.Steps.Length);
        }

        // The same set again gives the same layout as one built from nothing, by every field.
        var again = layouts.Scratch();
        again[0] = 0b101_1010_0111;
        var memoised = layouts.Get(again);
        var fresh = StepLayouts.BuildUncached(ruleSet, again);
        Assert.Equal(fresh.Steps.Select(s => s.Id), memoised.Steps.Select(s => s.Id));
        Assert.Equal(fresh.Stages, memoised.Stages);
        Assert.Equal(fresh.After.Select(a => string.Join(",", a)), memoised.After.Select(a => string.Join(",", a)));
        Assert.Equal(fresh.Bodies.Select(b => b?.Id), memoised.Bodies.Select(b => b?.Id));
        Assert.Equal(fresh.Roles.Select(r => r?.Id), memoised.Roles.Select(r => r?.Id));
    }

    [Fact]
    public void Shared_predecessor_lists_cannot_be_changed_through_a_plan()
    {
        var router = new Router(RuleSet.Load(Repository.PathOf("rules/england")));
        var random = new Random(5);
        var step = Enumerable.Range(0, 200)
            .Select(i => router.Route(Synthetic.Proposal(random, i)))
            .SelectMany(p => p.Steps)
            .First(s => s.After.Count > 0);

        // Every plan requiring the same steps shares this list: a caller casting it back must not be able to edit it.
        var list = Assert.IsAssignableFrom<ICollection<string>>(step.After);
        Assert.True(list.IsReadOnly);
        Assert.Throws<NotSupportedException>(() => list.Add("tampered"));
    }

    /// <summary>
    /// Routes a seeded register twice: once with a router shared by parallel threads, in a shuffled order, its memo
    /// warm; once one proposal at a time with the memo emptied before each. Returns how many distinct sets of steps the
    /// register required, and how many contradictions its plans carried.
    /// </summary>
    private static (int Sets, int Contradictions) AssertSamePlans(RuleSet ruleSet, int seed)
    {
        var random = new Random(seed);
        var proposals = Enumerable.Range(0, Proposals).Select(i => Synthetic.Proposal(random, i)).ToArray();
        var clock = new FixedClock(new DateTimeOffset(2026, 11, 30, 9, 0, 0, TimeSpan.Zero));
        // Equal plans are the point here, not speed: a generous budget, so a loaded machine cannot fail the comparison.
        var options = new RoutingOptions { Clock = clock, TimeBudget = TimeSpan.FromMinutes(5) };

        var shared = new Router(ruleSet, options);
        var warm = new ConcurrentDictionary<int, string>();
        var order = Enumerable.Range(0, Proposals).OrderBy(_ => random.Next()).ToArray();
        Parallel.ForEach(
            order.Concat(order.Reverse()),
            new ParallelOptions { MaxDegreeOfParallelism = 4 },
            i =>
            {
                var json = Plan(shared, proposals[i]);
                warm.AddOrUpdate(i, json, (_, first) => first == json ? first : throw new InvalidOperationException($"proposal {i} routed twice gave two plans"));
            });

        var cold = new Router(ruleSet, options);
        var sets = new HashSet<string>(StringComparer.Ordinal);
        var contradictions = 0;
        for (var i = 0; i < Proposals; i++)
        {
            StepLayouts.For(ruleSet).Clear();
            var plan = Route(cold, proposals[i]);
            var json = plan is null ? "refused" : DecisionRoutingJson.Write(plan);
            Assert.Equal(json, warm[i]);
            sets.Add(plan is null ? "refused" : string.Join(",", plan.Steps.Select(s => s.Id).Order(StringComparer.Ordinal)));
            contradictions += plan?.Contradictions.Count ?? 0;
        }

        return (sets.Count, contradictions);
    }

    private static string Plan(Router router, Proposal proposal) => Route(router, proposal) is { } plan ? DecisionRoutingJson.Write(plan) : "refused";

    private static RoutingPlan? Route(Router router, Proposal proposal)
    {
        try
        {
            return router.Route(proposal);
        }
        catch (InvalidProposalException)
        {
            return null;
        }
    }
}
