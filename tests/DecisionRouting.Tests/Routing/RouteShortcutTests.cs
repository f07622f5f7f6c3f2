using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using DecisionRouting.Benchmarks;
using DecisionRouting.Proposals;
using DecisionRouting.Routing;
using DecisionRouting.RuleSets;
using DecisionRouting.Serialization;
using DecisionRouting.Tests.Calendar;
using DecisionRouting.Tests.Support;

namespace DecisionRouting.Tests.Routing;

/// <summary>
/// Issue 17, round 6: two shortcuts in <c>Router.Route</c>. Each matched rule keeps where its steps sit in the catalogue
/// (<see cref="StepLayouts.IndicesOf"/>), instead of a dictionary look-up per step per route; and a workflow its
/// comparison index decided alone, with no dated rule, adds its matches found by a vectorised search instead of testing
/// every rule. Neither may change a plan: a router shared by threads with both shortcuts warm must give, to the last
/// character of the JSON, the plan of a router over a second load of the same files that takes the slow paths (rule by
/// rule, and with every memo emptied before each route).
/// </summary>
public sealed class RouteShortcutTests
{
    private const int Proposals = 300;

    [Fact]
    public void Shortcuts_give_the_slow_paths_plans_on_every_shipped_rule_set_with_dates_urgency_and_warnings()
    {
        var seen = new Features();
        foreach (var folder in Repository.ShippedRuleSets())
        {
            seen.Add(AssertSamePlans(Repository.PathOf(folder), folder.Length, Synthetic.Proposal));
        }

        // The registers must reach what the shortcuts could get wrong: dated steps, urgency routes, every warning.
        Assert.True(seen.Dated > 0, "no plan dated a step");
        Assert.True(seen.UrgencyRoutes > 0, "no plan took an urgency route");
        Assert.True(seen.Incomplete > 0, "no plan was incomplete");
        Assert.Contains(PlanWarningKind.RuleWarning, seen.Warnings);
        Assert.Contains(PlanWarningKind.UnverifiedSource, seen.Warnings);
        Assert.Contains(PlanWarningKind.NoDecisionStep, seen.Warnings);
    }

    [Fact]
    public void Shortcuts_give_the_slow_paths_plans_on_a_generated_indexed_rule_set_with_warnings_and_dated_law()
    {
        var directory = Path.Combine(Path.GetTempPath(), "dr-shortcut", Guid.NewGuid().ToString("N"));
        try
        {
            WriteIndexedRuleSet(directory, seed: 17);
            var ruleSet = RuleSet.Load(directory);

            // Every rule is decided by the comparison index, so the "quiet" workflow takes the vectorised search.
            Assert.Equal(ruleSet.Evaluation.Compiled.RuleCount, ruleSet.Evaluation.Compiled.IndexedRules);
            var seen = AssertSamePlans(directory, 17, PlainProposal);
            Assert.True(seen.Dated > 0, "no plan dated a step");
            Assert.Contains(PlanWarningKind.RuleWarning, seen.Warnings);
            Assert.Contains(PlanWarningKind.UnverifiedSource, seen.Warnings);
            Assert.Contains(PlanWarningKind.StepNotInForce, seen.Warnings);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Theory]
    [InlineData(200)]
    [InlineData(1000)]
    public void Shortcuts_give_the_slow_paths_plans_on_the_peers_workload(int rules)
    {
        var workload = PeersWorkload.Generate(rules, Proposals);
        var directory = Path.Combine(Path.GetTempPath(), "dr-shortcut", Guid.NewGuid().ToString("N"));
        try
        {
            var proposals = workload.WriteDecisionRouting(directory).Select((json, i) => ProposalReader.Read($"p{i}.json", json).Proposal!).ToArray();
            AssertSamePlans(Path.Combine(directory, "dr-meta"), rules, (_, i) => proposals[i]);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void Step_indices_kept_on_a_matched_rule_follow_its_rule_set_and_its_step_list()
    {
        var england = RuleSet.Load(Repository.PathOf("rules/england"));
        var router = new Router(england);
        var random = new Random(3);
        var rule = Enumerable.Range(0, 100)
            .SelectMany(i => router.Route(Synthetic.Proposal(random, i)).MatchedRules)
            .First(r => r.Steps.Count > 1);
        var layouts = StepLayouts.For(england);

        // Kept after a route, and the catalogue's own indices.
        var kept = layouts.IndicesOf(rule);
        Assert.Same(kept, layouts.IndicesOf(rule));
        Assert.Equal(rule.Steps.Select(layouts.IndexOf), kept);

        // A copy with another step list (one step not in the catalogue) does not reuse them.
        var copy = rule with { Steps = new[] { rule.Steps[1], "no-such-step", rule.Steps[0] } };
        Assert.Equal(new[] { layouts.IndexOf(rule.Steps[1]), layouts.IndexOf(rule.Steps[0]) }, layouts.IndicesOf(copy));

        // Another rule set numbers its own catalogue: the england indices are not taken for it.
        var directory = Path.Combine(Path.GetTempPath(), "dr-shortcut", Guid.NewGuid().ToString("N"));
        try
        {
            WriteIndexedRuleSet(directory, seed: 5);
            var other = StepLayouts.For(RuleSet.Load(directory));
            var foreign = rule with { Steps = new[] { "s3", rule.Steps[0], "notice" } };
            _ = layouts.IndicesOf(foreign);
            Assert.Equal(new[] { other.IndexOf("s3"), other.IndexOf("notice") }, other.IndicesOf(foreign));
            Assert.Equal(new[] { layouts.IndexOf(rule.Steps[0]) }, layouts.IndicesOf(foreign));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }

        // Emptying the memo forgets them.
        layouts.Clear();
        Assert.NotSame(kept, layouts.IndicesOf(rule));
        Assert.Equal(kept, layouts.IndicesOf(rule));
    }

    [Fact]
    public void A_matched_rule_with_kept_step_indices_equals_and_hashes_as_one_without()
    {
        var england = RuleSet.Load(Repository.PathOf("rules/england"));
        var router = new Router(england);
        var random = new Random(4);
        var rule = Enumerable.Range(0, 50).SelectMany(i => router.Route(Synthetic.Proposal(random, i)).MatchedRules).First(r => r.Steps.Count > 0);
        Assert.NotNull(rule.CachedStepIndices);

        var fresh = new MatchedRule(rule.Workflow, rule.Rule, rule.Source, rule.Reason, rule.Verify, rule.Steps);
        Assert.Null(fresh.CachedStepIndices);
        Assert.Equal(fresh, rule);
        Assert.True(fresh == rule);
        Assert.Equal(fresh.GetHashCode(), rule.GetHashCode());

        // Each property still counts, as in the record's own equality; the step list by reference.
        Assert.NotEqual(fresh, rule with { Reason = rule.Reason + "!" });
        Assert.NotEqual(fresh, rule with { Verify = !rule.Verify });
        Assert.NotEqual(fresh, rule with { Source = null });
        Assert.NotEqual(fresh, rule with { Steps = rule.Steps.ToList() });
        Assert.False(rule.Equals(null));
    }

    /// <summary>
    /// Routes a seeded register of the rule set in <paramref name="folder"/> twice: with both shortcuts, on one router
    /// shared by 4 threads in a shuffled order (each proposal twice); and on a second load of the files, with the
    /// rule-by-rule loop and every memo emptied before each route. Asserts the JSON is equal; returns what the plans held.
    /// </summary>
    private static Features AssertSamePlans(string folder, int seed, Func<Random, int, Proposal> proposal)
    {
        var random = new Random(seed);
        var proposals = Enumerable.Range(0, Proposals).Select(i => proposal(random, i)).ToArray();
        var clock = new FixedClock(new DateTimeOffset(2026, 11, 30, 9, 0, 0, TimeSpan.Zero));
        var options = new RoutingOptions { Clock = clock, TimeBudget = TimeSpan.FromMinutes(5) };

        var fast = new Router(RuleSet.Load(folder), options);
        var warm = new ConcurrentDictionary<int, string>();
        var order = Enumerable.Range(0, Proposals).OrderBy(_ => random.Next()).ToArray();
        Parallel.ForEach(
            order.Concat(order.Reverse()),
            new ParallelOptions { MaxDegreeOfParallelism = 4 },
            i =>
            {
                var json = Route(fast, proposals[i]) is { } plan ? DecisionRoutingJson.Write(plan) : "refused";
                warm.AddOrUpdate(i, json, (_, first) => first == json ? first : throw new InvalidOperationException($"proposal {i} routed twice gave two plans"));
            });

        var slowSet = RuleSet.Load(folder);
        slowSet.Evaluation.Compiled.ScanMatches = false;
        var slow = new Router(slowSet, options);
        var seen = new Features();
        for (var i = 0; i < Proposals; i++)
        {
            StepLayouts.For(slowSet).Clear();
            var plan = Route(slow, proposals[i]);
            Assert.Equal(plan is null ? "refused" : DecisionRoutingJson.Write(plan), warm[i]);
            if (plan is not null)
            {
                seen.Add(plan);
            }
        }

        return seen;
    }

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

    /// <summary>A proposal with no attributes, so the comparison index (which reads only fields) decides every rule.</summary>
    private static Proposal PlainProposal(Random random, int index) => Synthetic.Proposal(random, index) with { Attributes = new ProposalAttributes(new Dictionary<string, object>()) };

    /// <summary>
    /// A rule set the comparison index decides entirely: a "quiet" workflow of undated rules (some with their own
    /// warning or an unverified source, requiring steps some of which are in force only for a period), and a "dated"
    /// workflow whose rules have <c>effective</c> periods. A notice with a period and a cabinet decision give plans dates.
    /// </summary>
    private static void WriteIndexedRuleSet(string directory, int seed)
    {
        var random = new Random(seed);
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, "ruleset.json"), """{ "name": "indexed" }""");
        var steps = new List<string>
        {
            """{ "id": "notice", "name": "Notice", "kind": "Notice", "role": "officer", "duration": { "days": 28, "counting": "ClearCalendarDays" } }""",
            """{ "id": "decision", "name": "Decision", "kind": "Approval", "body": "cabinet", "after": [ "notice" ] }""",
            """{ "id": "old-step", "name": "Old step", "kind": "SignOff", "role": "officer", "effective": { "until": "2015-01-01" } }""",
            """{ "id": "new-step", "name": "New step", "kind": "SignOff", "role": "officer", "effective": { "from": "2015-01-01" } }""",
        };
        steps.AddRange(Enumerable.Range(0, 12).Select(i => $$"""{ "id": "s{{i}}", "name": "Step {{i}}", "kind": "SignOff", "role": "officer"{{(i % 3 == 2 ? $", \"after\": [ \"s{i - 1}\" ]" : string.Empty)}} }"""));
        File.WriteAllText(Path.Combine(directory, "catalogue.json"), $$"""
            {
              "bodies": [ { "id": "cabinet", "name": "Cabinet", "kind": "Executive" } ],
              "roles": [ { "id": "officer", "name": "Officer" } ],
              "steps": [
                {{string.Join(",\n    ", steps)}}
              ]
            }
            """);
        var ids = new[] { "notice", "decision", "old-step", "new-step" }.Concat(Enumerable.Range(0, 12).Select(i => $"s{i}")).ToArray();
        File.WriteAllText(Path.Combine(directory, "quiet.rules.json"), Workflow("quiet", 60, ids, r => r % 7 == 3 ? ", \"warning\": \"check this\"" : r % 5 == 1 ? ", \"verify\": true" : string.Empty));

        // A dated rule may not require a step dated otherwise (DR0053): these require only undated steps.
        var undated = ids.Where(id => !id.EndsWith("-step", StringComparison.Ordinal)).ToArray();
        File.WriteAllText(Path.Combine(directory, "dated.rules.json"), Workflow("dated", 20, undated, r => r % 2 == 0 ? ", \"effective\": { \"from\": \"2016-04-01\" }" : ", \"effective\": { \"until\": \"2020-01-01\" }"));

        string Workflow(string name, int count, string[] ids, Func<int, string> extra)
        {
            var text = new StringBuilder();
            text.Append("{ \"WorkflowName\": \"").Append(name).Append("\", \"Rules\": [\n");
            for (var r = 0; r < count; r++)
            {
                var conditions = Enumerable.Range(0, 1 + random.Next(3)).Select(_ => Condition(random));
                var required = Enumerable.Range(0, 1 + random.Next(2)).Select(_ => $"\"{ids[random.Next(ids.Length)]}\"");
                text.Append(r == 0 ? string.Empty : ",\n")
                    .Append(CultureInfo.InvariantCulture, $"  {{ \"RuleName\": \"{name}{r}\", \"Expression\": \"{string.Join(" && ", conditions)}\", \"Properties\": {{ \"steps\": [ {string.Join(", ", required)} ], \"source\": \"generated\"{extra(r)} }} }}");
            }

            return text.Append("\n] }\n").ToString();
        }

        static string Condition(Random random) => random.Next(6) switch
        {
            0 => $"proposal.FinancialCommitment >= {random.Next(1_000_000)}",
            1 => $"proposal.WardsAffected >= {random.Next(6)}",
            2 => $"proposal.StaffAffected > {random.Next(40)}",
            3 => "!proposal.AllWards",
            4 => "proposal.LegallyBinding",
            _ => $"proposal.DecisionMaker == DecisionMaker.{(random.Next(2) == 0 ? "Cabinet" : "Officer")}",
        };
    }

    /// <summary>What a register's plans held, summed.</summary>
    private sealed class Features
    {
        public int Dated { get; private set; }

        public int UrgencyRoutes { get; private set; }

        public int Incomplete { get; private set; }

        public HashSet<PlanWarningKind> Warnings { get; } = new();

        public void Add(RoutingPlan plan)
        {
            Dated += plan.Steps.Any(s => s.Timing is not null) ? 1 : 0;
            UrgencyRoutes += plan.UrgencyRoutes.Count;
            Incomplete += plan.IsComplete ? 0 : 1;
            Warnings.UnionWith(plan.Warnings.Select(w => w.Kind));
        }

        public void Add(Features other)
        {
            Dated += other.Dated;
            UrgencyRoutes += other.UrgencyRoutes;
            Incomplete += other.Incomplete;
            Warnings.UnionWith(other.Warnings);
        }
    }
}
