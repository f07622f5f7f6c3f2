using System;
using System.Linq;
using DecisionRouting.Proposals;
using DecisionRouting.Routing;
using DecisionRouting.RuleSets;
using DecisionRouting.Tests.Support;
using NodaTime;

namespace DecisionRouting.Tests.Catalogue;

/// <summary>
/// <c>replaces</c> never silently drops what the replaced step required: orderings are kept unless dropped explicitly
/// (DR0043 otherwise), and whatever a replacement leaves out is inherited.
/// </summary>
public sealed class ReplacedStepTests
{
    /// <summary>These temporary partnerships extend the shipped rules by absolute path, from outside their tree: allowed explicitly.</summary>
    private static readonly RuleSetReadOptions ExtendsShippedRules = new() { ExtendsRoot = "/", AllowAbsoluteExtends = true };

    private static readonly string England = Repository.PathOf("rules/england").Replace('\\', '/');

    private const string LocalRules = """{ "WorkflowName": "local", "Rules": [ { "RuleName": "L", "Expression": "true" } ] }""";

    /// <summary>A partnership extending the shipped England rules with <paramref name="steps"/> in its catalogue.</summary>
    private static TempRuleSet Partnership(string steps)
    {
        var set = new TempRuleSet();
        set.Write("ruleset.json", $$"""{ "name": "partnership", "extends": "{{England}}" }""");
        set.Write("catalogue.json", $$"""{ "steps": [ {{steps}} ] }""");
        set.Write("local.rules.json", LocalRules);
        return set;
    }

    /// <summary>A two-layer test chain: a small base catalogue and a local catalogue replacing parts of it.</summary>
    private static (TempRuleSet Base, TempRuleSet Local) Chain(string baseSteps, string localSteps)
    {
        var baseline = TempRuleSet.With(catalogue: $$"""{ "roles": [ { "id": "clerk", "name": "Clerk" } ], "steps": [ {{baseSteps}} ] }""", rules: LocalRules.Replace("local", "main"));
        var local = new TempRuleSet(baseline.Directory + "-local");
        local.Write("ruleset.json", $$"""{ "name": "local", "extends": "../{{System.IO.Path.GetFileName(baseline.Directory)}}" }""");
        local.Write("catalogue.json", $$"""{ "steps": [ {{localSteps}} ] }""");
        local.Write("local.rules.json", LocalRules);
        return (baseline, local);
    }

    private static Proposal CabinetKeyDecision() => ProposalReader.ReadFile(Repository.PathOf("samples/proposals/croydon-2013-integrated-commissioning-unit.json")).Proposal!;

    [Fact]
    public void Replacing_cabinet_decision_to_add_a_predecessor_may_not_drop_the_notices_it_waited_for()
    {
        const string steps = """
            { "id": "partnership-board-review", "name": "Partnership board reviews the report", "kind": "Recommendation", "role": "commissioning-lead" },
                { "id": "cabinet-decision", "name": "Cabinet decides", "kind": "Approval", "body": "cabinet", "replaces": true, "after": [ "partnership-board-review" ] }
            """;
        using var set = Partnership(steps);
        var diagnostics = RuleSet.Validate(set.Directory, ExtendsShippedRules).Diagnostics;

        var dropped = Assert.Single(diagnostics, d => d.Id == "DR0043");
        Assert.True(dropped.IsError);
        var text = $$"""{ "steps": [ {{steps}} ] }""";
        var (line, column) = Position.Of(text, "[ \"partnership-board-review\" ]");
        Assert.Equal($"{set.PathOf("catalogue.json")}({line},{column})", dropped.Location.ToString());
        Assert.Contains("'meeting-notice'", dropped.Message);
        Assert.Contains("'key-decision-notice'", dropped.Message);
        Assert.Contains("in 'england'", dropped.Message);
        Assert.Contains("\"drops\"", dropped.Message);
    }

    [Fact]
    public void Listing_the_inherited_predecessors_again_adds_one_and_cabinet_still_waits_for_the_notices()
    {
        using var set = Partnership("""
            { "id": "partnership-board-review", "name": "Partnership board reviews the report", "kind": "Recommendation", "role": "commissioning-lead" },
            { "id": "cabinet-decision", "name": "Cabinet decides", "kind": "Approval", "body": "cabinet", "replaces": true,
              "after": [ "partnership-board-review", "meeting-notice", "key-decision-notice", "general-exception-notice", "special-urgency-agreement", "private-meeting-urgency-agreement", "forward-plan-entry", "private-meeting-second-notice" ] }
            """);
        var rules = RuleSet.Load(set.Directory, ExtendsShippedRules);
        var after = rules.Steps["cabinet-decision"].After;
        Assert.Contains("partnership-board-review", after);
        Assert.Contains("meeting-notice", after);
        Assert.Contains("key-decision-notice", after);

        var plan = new Router(rules, new RoutingOptions { Clock = new ManualClock(Instant.FromUtc(2013, 6, 1, 12, 0)) }).Route(CabinetKeyDecision());
        Assert.Contains("meeting-notice", plan.Find("cabinet-decision")!.After);
        Assert.Contains("key-decision-notice", plan.Find("cabinet-decision")!.After);
    }

    [Fact]
    public void A_replacement_that_leaves_after_out_inherits_it_and_before_adds_a_predecessor_without_replacing()
    {
        using var set = Partnership("""
            { "id": "partnership-board-review", "name": "Partnership board reviews the report", "kind": "Recommendation", "role": "commissioning-lead", "before": [ "cabinet-decision" ] },
            { "id": "cabinet-decision", "name": "Cabinet (with partners present) decides", "kind": "Approval", "replaces": true }
            """);
        var definition = RuleSet.Validate(set.Directory, ExtendsShippedRules);
        Assert.DoesNotContain(definition.Diagnostics, d => d.IsError);

        var cabinet = definition.Steps["cabinet-decision"];
        Assert.Equal("Cabinet (with partners present) decides", cabinet.Name);
        Assert.Equal("cabinet", cabinet.Body);
        Assert.Contains("meeting-notice", cabinet.After);
        Assert.Contains("key-decision-notice", cabinet.After);
        Assert.Contains("partnership-board-review", definition.Predecessors["cabinet-decision"]);
    }

    [Fact]
    public void An_explicit_drop_with_reason_and_source_removes_only_that_predecessor()
    {
        using var set = Partnership("""
            { "id": "cabinet-decision", "name": "Cabinet decides", "kind": "Approval", "replaces": true,
              "drops": { "after": [ "forward-plan-entry" ], "reason": "Key decisions are published in the key-decision notice only", "source": "test constitution 12.3" } }
            """);
        var rules = RuleSet.Load(set.Directory, ExtendsShippedRules);
        var after = rules.Steps["cabinet-decision"].After;
        Assert.DoesNotContain("forward-plan-entry", after);
        Assert.Contains("meeting-notice", after);
        Assert.Contains("key-decision-notice", after);
    }

    [Fact]
    public void A_drop_needs_a_reason_and_a_source()
    {
        var local = """{ "id": "decide", "name": "Decide", "kind": "Approval", "replaces": true, "drops": { "after": [ "notice" ] } }""";
        var (baseline, set) = Chain("""{ "id": "notice", "name": "Notice", "kind": "Notice" }, { "id": "decide", "name": "Decide", "kind": "Approval", "after": [ "notice" ] }""", local);
        using (baseline)
        using (set)
        {
            var missing = RuleSet.Validate(set.Directory, ExtendsShippedRules).Diagnostics.Where(d => d.Id == "DR0004").Select(d => d.Message).ToList();
            Assert.Equal(2, missing.Count);
            Assert.Contains(missing, m => m.Contains("'reason'", StringComparison.Ordinal));
            Assert.Contains(missing, m => m.Contains("'source'", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Dropping_a_predecessor_the_replaced_step_never_had_is_reported_with_did_you_mean()
    {
        var local = """{ "id": "decide", "name": "Decide", "kind": "Approval", "replaces": true, "drops": { "after": [ "notise" ], "reason": "r", "source": "s" } }""";
        var (baseline, set) = Chain("""{ "id": "notice", "name": "Notice", "kind": "Notice" }, { "id": "decide", "name": "Decide", "kind": "Approval", "after": [ "notice" ] }""", local);
        using (baseline)
        using (set)
        {
            var wrong = Assert.Single(RuleSet.Validate(set.Directory, ExtendsShippedRules).Diagnostics, d => d.Id == "DR0077");
            var text = $$"""{ "steps": [ {{local}} ] }""";
            var (line, column) = Position.Of(text, "\"notise\"");
            Assert.Equal($"{set.PathOf("catalogue.json")}({line},{column})", wrong.Location.ToString());
            Assert.Contains("did you mean 'notice'?", wrong.Message);
        }
    }

    [Fact]
    public void A_replacement_keeps_its_inherited_before_and_may_not_drop_it_by_listing_another()
    {
        var baseSteps = """{ "id": "consult", "name": "Consult", "kind": "Consultation", "before": [ "decide" ] }, { "id": "review", "name": "Review", "kind": "Record" }, { "id": "decide", "name": "Decide", "kind": "Approval" }""";
        var (baseline, kept) = Chain(baseSteps, """{ "id": "consult", "name": "Consult the public", "kind": "Consultation", "replaces": true }""");
        using (baseline)
        using (kept)
        {
            var definition = RuleSet.Validate(kept.Directory, ExtendsShippedRules);
            Assert.DoesNotContain(definition.Diagnostics, d => d.IsError);
            Assert.Equal(new[] { "consult" }, definition.Predecessors["decide"]);
        }

        var local = """{ "id": "consult", "name": "Consult", "kind": "Consultation", "replaces": true, "before": [ "review" ] }""";
        var (baseline2, dropped) = Chain(baseSteps, local);
        using (baseline2)
        using (dropped)
        {
            var error = Assert.Single(RuleSet.Validate(dropped.Directory, ExtendsShippedRules).Diagnostics, d => d.Id == "DR0043");
            var text = $$"""{ "steps": [ {{local}} ] }""";
            var (line, column) = Position.Of(text, "[ \"review\" ]");
            Assert.Equal($"{dropped.PathOf("catalogue.json")}({line},{column})", error.Location.ToString());
            Assert.Contains("'before' leaves out the inherited 'decide'", error.Message);
        }
    }

    [Fact]
    public void Orderings_other_inherited_steps_declare_onto_a_replaced_step_are_kept()
    {
        var baseSteps = """{ "id": "consult", "name": "Consult", "kind": "Consultation", "duration": { "days": 30, "counting": "CalendarDays" }, "before": [ "decide" ] }, { "id": "decide", "name": "Decide", "kind": "Approval" }""";
        var (baseline, set) = Chain(baseSteps, """{ "id": "decide", "name": "Decide at the joint board", "kind": "Approval", "replaces": true }""");
        using (baseline)
        using (set)
        {
            var definition = RuleSet.Validate(set.Directory, ExtendsShippedRules);
            Assert.Empty(definition.Diagnostics);
            Assert.Equal(new[] { "consult" }, definition.Predecessors["decide"]);
        }
    }

    [Fact]
    public void A_replacement_inherits_the_urgency_alternative_performer_and_period_it_leaves_out()
    {
        using var set = Partnership("""
            { "id": "key-decision-notice", "name": "Publish the key-decision notice (35 clear days here)", "kind": "Notice", "replaces": true, "duration": { "days": 35, "counting": "ClearCalendarDays" } },
            { "id": "meeting-notice", "name": "Publish the agenda", "kind": "Notice", "replaces": true }
            """);
        var rules = RuleSet.Load(set.Directory, ExtendsShippedRules);
        var notice = rules.Steps["key-decision-notice"];
        Assert.Equal("general-exception-notice", notice.IfImpracticable);
        Assert.Equal("democratic-services", notice.Role);
        Assert.Equal("SI 2012/2089 reg 9", notice.Source);
        Assert.Equal(35, notice.Duration!.Days);

        var meeting = rules.Steps["meeting-notice"];
        Assert.Equal(RuleSet.Load(England).Steps["meeting-notice"].Duration, meeting.Duration);
        Assert.Contains("finance-sign-off", meeting.After);
    }

    [Fact]
    public void A_drops_on_a_step_that_replaces_nothing_is_reported()
    {
        var catalogue = TempRuleSet.Catalogue.Replace("\"after\": [ \"notice\" ]", "\"after\": [ \"notice\" ], \"drops\": { \"after\": [ \"notice\" ], \"reason\": \"r\", \"source\": \"s\" }");
        using var set = TempRuleSet.With(catalogue: catalogue);
        var wrong = Assert.Single(RuleSet.Validate(set.Directory, ExtendsShippedRules).Diagnostics, d => d.Id == "DR0077");
        Assert.Contains("does not replace an inherited step", wrong.Message);
    }
}
