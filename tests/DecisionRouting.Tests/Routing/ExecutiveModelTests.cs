using System.Collections.Generic;
using System.Linq;
using DecisionRouting.Explanations;
using DecisionRouting.Proposals;
using DecisionRouting.Routing;
using DecisionRouting.RuleSets;
using DecisionRouting.Tests.Support;
using NodaTime;

namespace DecisionRouting.Tests.Routing;

/// <summary>
/// Issue 13, the executive model over time and committee-system councils: who decides follows the council's form of
/// governance on the decision date (LGA 2000 s9B(1), Part 1A Chapter 4), read from a dated <c>executiveModel</c>
/// timeline, and a committee-system council gets no cabinet, key-decision or call-in steps. The old code read one model
/// for all time and knew no committee system, so each of these failed on it.
/// </summary>
public sealed class ExecutiveModelTests
{
    private static readonly RuleSet Croydon = RuleSet.Load(Repository.PathOf("rules/partnerships/croydon"));

    /// <summary>These temporary partnerships extend the shipped England rules by absolute path: allowed explicitly.</summary>
    private static readonly RuleSetReadOptions ExtendsShippedRules = new() { ExtendsRoot = "/", AllowAbsoluteExtends = true };

    private static readonly string England = Repository.PathOf("rules/england").Replace('\\', '/');

    private const string LocalRules = """{ "WorkflowName": "local", "Rules": [ { "RuleName": "L", "Expression": "false" } ] }""";

    private static LocalDate Day(string iso) => NodaTime.Text.LocalDatePattern.Iso.Parse(iso).GetValueOrThrow();

    private static RoutingPlan Route(RuleSet rules, DecisionMaker maker, string date, System.Func<Proposal, Proposal>? change = null) =>
        new Router(rules, new RoutingOptions { Clock = new ManualClock(Day("2000-01-03").AtMidnight().InUtc().ToInstant()) }).Route((change ?? (p => p))(new Proposal
        {
            Id = "model",
            Title = "Executive model",
            DecisionMaker = maker,
            IntendedDecisionDate = Day(date),
            Kinds = new List<ProposalKind> { ProposalKind.ServiceChange },
            FinancialCommitment = 600000,
            Attributes = new ProposalAttributes(new Dictionary<string, object> { ["changesServiceDelivery"] = false }),
        }));

    /// <summary>A chief officer's appointment (not the head of paid service, not a statutory officer).</summary>
    private static Proposal ChiefOfficerAppointment(Proposal p) => p with
    {
        Kinds = new List<ProposalKind> { ProposalKind.Appointment },
        FinancialCommitment = 0,
        Attributes = new ProposalAttributes(new Dictionary<string, object> { ["chiefOfficer"] = true, ["headOfPaidService"] = false, ["statutoryOfficer"] = false }),
    };

    /// <summary>A partnership over the shipped England rules declaring <paramref name="model"/> (JSON).</summary>
    private static TempRuleSet Partnership(string model)
    {
        var set = new TempRuleSet();
        set.Write("ruleset.json", "{ \"name\": \"partnership\", \"extends\": \"" + England + "\",\n  \"executiveModel\": " + model + " }");
        set.Write("local.rules.json", LocalRules);
        return set;
    }

    [Theory]
    [InlineData("2022-05-06", "LeaderAndCabinet", "ChiefOfficerAppointment", "Part II")]
    [InlineData("2022-05-09", "MayorAndCabinet", "ChiefOfficerAppointmentMayorAndCabinet", "Part I ")]
    public void Croydon_chief_officer_appointment_follows_the_Sch_1_Part_in_force_on_its_decision_date(string date, string model, string rule, string part)
    {
        var plan = Route(Croydon, DecisionMaker.Cabinet, date, ChiefOfficerAppointment);

        Assert.Equal(model, Croydon.ExecutiveModelOn(Day(date)));
        var matched = Assert.Single(plan.MatchedRules, r => r.Rule.StartsWith("ChiefOfficerAppointment", System.StringComparison.Ordinal));
        Assert.Equal(rule, matched.Rule);
        Assert.Contains("SI 2001/3384 Sch 1 " + part, matched.Source);
        Assert.True(plan.Requires("appointments-panel"));
        Assert.True(plan.Requires("executive-objection-window"));
    }

    [Theory]
    [InlineData("2013-07-15", "LeaderDecides")]
    [InlineData("2022-05-06", "LeaderDecides")]
    [InlineData("2022-05-09", "ElectedMayorDecides")]
    [InlineData("2026-11-30", "ElectedMayorDecides")]
    public void Croydon_executive_decision_is_the_Leaders_before_9_May_2022_and_the_elected_mayors_from_then(string date, string rule)
    {
        var plan = Route(Croydon, DecisionMaker.Leader, date);

        var decider = Assert.Single(plan.MatchedRules, r => r.Rule is "LeaderDecides" or "ElectedMayorDecides");
        Assert.Equal(rule, decider.Rule);
        Assert.Equal("leader-decision", plan.DecisionStep);
        Assert.True(plan.Requires("call-in-window"));
        Assert.True(plan.Requires("key-decision-notice"));
    }

    [Fact]
    public void Croydon_declares_its_model_as_a_timeline_with_its_source()
    {
        var model = Croydon.Definition.Parameters["executiveModel"];

        Assert.Equal("croydon", model.RuleSet);
        Assert.Equal(new[] { ("LeaderAndCabinet", (LocalDate?)null, (LocalDate?)Day("2022-05-09")), ("MayorAndCabinet", Day("2022-05-09"), null) }, model.Timeline!.Select(e => (e.Model, e.Period.From, e.Period.Until)));
        Assert.Contains("7 October 2021", model.Source);
        Assert.Contains("9 May 2022", model.Source);
        Assert.Equal("LeaderAndCabinet", RuleSet.Load(Repository.PathOf("rules/england")).ExecutiveModelOn(Day("2022-06-01")));
    }

    [Fact]
    public void A_decision_date_no_timeline_entry_covers_makes_the_plan_incomplete_and_says_why()
    {
        using var set = Partnership("""[ { "model": "LeaderAndCabinet", "until": "2020-01-01" }, { "model": "MayorAndCabinet", "from": "2020-06-01" } ]""");
        var rules = RuleSet.Load(set.Directory, ExtendsShippedRules);

        var gap = Route(rules, DecisionMaker.Leader, "2020-03-02");
        var covered = Route(rules, DecisionMaker.Leader, "2020-06-01");

        Assert.False(gap.IsComplete);
        var incomplete = Assert.Single(gap.Incomplete, r => r.Rule == "executiveModel");
        Assert.Equal("the executive model on 2 Mar 2020", incomplete.MissingValue);
        Assert.Contains(gap.Warnings, w => w.Kind == PlanWarningKind.NoExecutiveModel && w.Message.Contains("LeaderAndCabinet before 1 Jan 2020; MayorAndCabinet from 1 Jun 2020"));
        Assert.False(gap.Requires("leader-decision"), "no model, so no rule may take the Leader's decision as given");
        Assert.DoesNotContain(covered.Incomplete, r => r.Rule == "executiveModel");
        Assert.Contains(covered.MatchedRules, r => r.Rule == "ElectedMayorDecides");
    }

    [Fact]
    public void Committee_system_officer_decision_has_no_key_decision_notice_no_call_in_and_the_2014_record()
    {
        using var set = Partnership("\"CommitteeSystem\"");
        var rules = RuleSet.Load(set.Directory, ExtendsShippedRules);
        using var executive = Partnership("\"LeaderAndCabinet\"");

        var plan = Route(rules, DecisionMaker.Officer, "2025-06-20");
        var before = Route(RuleSet.Load(executive.Directory, ExtendsShippedRules), DecisionMaker.Officer, "2025-06-20");

        Assert.True(before.Requires("key-decision-notice") && before.Requires("call-in-window"), "the same officer decision under executive arrangements");
        Assert.False(plan.Requires("key-decision-notice"), "SI 2012/2089 reg 8: key decisions are executive decisions");
        Assert.False(plan.Requires("call-in-window"), "LGA 2000 s9F: call-in is scrutiny of executive decisions");
        Assert.False(plan.Requires("call-in-urgency-exemption"));
        Assert.Equal("officer-decision", plan.DecisionStep);
        Assert.Contains(plan.MatchedRules, r => r.Rule == "OfficerDecidesUnderCommitteeSystem" && r.Source!.Contains("s101(1)(a)"));
        Assert.Contains(plan.MatchedRules, r => r.Rule == "OfficerDecisionRecordUnderCommitteeSystem" && r.Source!.Contains("(SI 2014/2095) reg 7(1)"));
        Assert.DoesNotContain(plan.MatchedRules, r => r.Rule is "OfficerDecides" or "IndividualExecutiveDecisionRecord" or "CallIn");
        Assert.Equal(Day("2025-06-20"), plan.EffectiveFrom!.Value.Date);
    }

    [Theory]
    [InlineData(DecisionMaker.Cabinet)]
    [InlineData(DecisionMaker.Leader)]
    [InlineData(DecisionMaker.CabinetMember)]
    public void Committee_system_council_with_an_executive_decision_maker_gets_no_cabinet_steps_and_an_incomplete_plan(DecisionMaker maker)
    {
        using var set = Partnership("{ \"value\": \"CommitteeSystem\", \"source\": \"LGA 2000 s9B(1)(b)\" }");
        var rules = RuleSet.Load(set.Directory, ExtendsShippedRules);

        var plan = Route(rules, maker, "2025-06-20", p => p with { Kinds = new List<ProposalKind> { ProposalKind.Mou, ProposalKind.Delegation } });

        Assert.False(plan.IsComplete);
        Assert.True(plan.DecisionStepMissing);
        foreach (var step in new[] { "cabinet-decision", "leader-decision", "cabinet-member-decision", "key-decision-notice", "call-in-window", "decision-record", "private-meeting-notice", "delegated-finalisation" })
        {
            Assert.False(plan.Requires(step), step);
        }

        Assert.Contains(plan.Warnings, w => w.Rule == "NoExecutiveUnderCommitteeSystem" && w.Message.Contains("committee system (LGA 2000 s9B(1)(b))"));
    }

    [Fact]
    public void Committee_system_council_decision_goes_to_council_without_a_cabinet_recommendation_even_against_the_budget_framework()
    {
        using var set = Partnership("\"CommitteeSystem\"");
        var rules = RuleSet.Load(set.Directory, ExtendsShippedRules);

        var plan = Route(rules, DecisionMaker.FullCouncil, "2025-06-20", p => p with { AffectsBudgetAndPolicyFramework = true });

        Assert.Equal("full-council-approval", plan.DecisionStep);
        Assert.True(plan.Requires("meeting-notice"));
        Assert.False(plan.Requires("cabinet-recommendation"));
        Assert.False(plan.Requires("key-decision-notice"));
        Assert.False(plan.Requires("call-in-window"));
    }

    [Fact]
    public void Committee_system_officer_appointment_warns_that_the_executive_standing_orders_do_not_apply()
    {
        using var set = Partnership("\"CommitteeSystem\"");
        var rules = RuleSet.Load(set.Directory, ExtendsShippedRules);

        var plan = Route(rules, DecisionMaker.FullCouncil, "2025-06-20", ChiefOfficerAppointment);

        Assert.False(plan.Requires("executive-objection-window"), "there is no executive to object");
        Assert.DoesNotContain(plan.MatchedRules, r => r.Rule.StartsWith("ChiefOfficerAppointment", System.StringComparison.Ordinal));
        Assert.Contains(plan.Warnings, w => w.Rule == "OfficerEmploymentUnderCommitteeSystem" && w.Message.Contains("SI 2001/3384"));
        Assert.DoesNotContain(plan.MatchedRules, r => r.Rule == "StaffingFunctionRoutedToExecutive");
    }

    [Fact]
    public void A_health_and_wellbeing_board_under_a_committee_system_takes_no_key_decision()
    {
        using var set = Partnership("\"CommitteeSystem\"");
        var rules = RuleSet.Load(set.Directory, ExtendsShippedRules);

        var plan = Route(rules, DecisionMaker.HealthAndWellbeingBoard, "2025-06-20", p => p with
        {
            Attributes = new ProposalAttributes(new Dictionary<string, object> { ["changesServiceDelivery"] = false, ["exercisesExecutiveFunctions"] = true }),
        });

        Assert.False(plan.Requires("key-decision-notice"), "s196(2) delegation of executive functions needs an executive");
        Assert.Equal("hwb-approval", plan.DecisionStep);
    }

    [Theory]
    [InlineData("2022-05-06", "LeaderAndCabinet")]
    [InlineData("2022-05-09", "MayorAndCabinet")]
    public void Both_evaluators_and_the_explainer_read_the_model_in_force_on_the_decision_date(string date, string model)
    {
        var compiled = Route(Croydon, DecisionMaker.Leader, date, ChiefOfficerAppointment);
        var engine = new Router(Croydon, new RoutingOptions { Evaluation = RoutingEvaluation.RulesEngine, TimeBudget = System.TimeSpan.FromMinutes(2), Clock = new ManualClock(Day("2000-01-03").AtMidnight().InUtc().ToInstant()) })
            .Route(ChiefOfficerAppointment(new Proposal { Id = "model", Title = "Executive model", DecisionMaker = DecisionMaker.Leader, IntendedDecisionDate = Day(date), Kinds = new List<ProposalKind>() }));

        Assert.Equal(compiled.MatchedRules.Select(r => r.Rule), engine.MatchedRules.Select(r => r.Rule));
        var explanation = new Explainer(Croydon).Explain(compiled.Proposal, "leader-decision");
        var facts = explanation.Rules.Where(r => r.Matched).SelectMany(r => r.Facts).Where(f => f.Expression == "parameters.executiveModel").Select(f => f.Value).Distinct();
        Assert.Equal(new[] { "\"" + model + "\"" }, facts.Select(v => v.StartsWith('"') ? v : "\"" + v + "\""));
        Assert.Single(explanation.Rules, r => r.Matched && r.Rule == (model == "MayorAndCabinet" ? "ElectedMayorDecides" : "LeaderDecides"));
    }

    [Fact]
    public void Committee_system_officer_signing_an_mou_is_not_sent_to_a_cabinet()
    {
        using var set = Partnership("\"CommitteeSystem\"");
        var rules = RuleSet.Load(set.Directory, ExtendsShippedRules);

        var plan = Route(rules, DecisionMaker.Officer, "2025-06-20", p => p with { Kinds = new List<ProposalKind> { ProposalKind.Mou } });

        Assert.False(plan.Requires("cabinet-decision"), "MouSignedByCabinet: a committee-system council has no cabinet");
        Assert.Equal("officer-decision", plan.DecisionStep);
    }
}
