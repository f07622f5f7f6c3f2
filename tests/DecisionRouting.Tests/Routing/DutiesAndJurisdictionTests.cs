using System.Collections.Generic;
using System.IO;
using System.Linq;
using DecisionRouting.Cli;
using DecisionRouting.Proposals;
using DecisionRouting.Routing;
using DecisionRouting.RuleSets;
using DecisionRouting.Tests.Support;
using NodaTime;

namespace DecisionRouting.Tests.Routing;

/// <summary>
/// Law round 2 (issue 13), Part C items 2, 6 and 7 of the November 2026 law review and its jurisdiction guard: the
/// council's own joint committee arrangements, the best value duty to consult, the NHS partner's duty to involve and
/// its own equality and health-inequalities duties (each resolved by date to the PCT, CCG or ICB), and a Welsh body
/// named in an England plan. Each routes a proposal through the shipped rules and asserts the step, order, date or
/// source the law gives. Names carry the review's Part C item.
/// </summary>
public sealed class DutiesAndJurisdictionTests
{
    private static readonly RuleSet England = RuleSet.Load(Repository.PathOf("rules/england"));

    private static RoutingPlan Route(string date, System.Func<Proposal, Proposal> change, params ProposalKind[] kinds)
    {
        var proposal = change(new Proposal
        {
            Id = "duties",
            Title = "Duties case",
            Organisation = "An English council",
            DecisionMaker = DecisionMaker.Cabinet,
            IntendedDecisionDate = NodaTime.Text.LocalDatePattern.Iso.Parse(date).GetValueOrThrow(),
            Kinds = new List<ProposalKind>(kinds),
        });

        // These cases are about the consultation and equality duties, not data protection (law review Part C 1), which
        // turns on whether personal data is shared: say it is not, unless the case itself says.
        if (!proposal.Attributes.Has("personalDataShared"))
        {
            proposal = proposal with { Attributes = new ProposalAttributes(new Dictionary<string, object>(proposal.Attributes.Values) { ["personalDataShared"] = false }) };
        }

        return new Router(England).Route(proposal);
    }

    private static ProposalAttributes Attrs(params (string Name, object Value)[] values) => new(values.ToDictionary(v => v.Name, v => v.Value));

    private static ProposalAttributes Changes(bool changes) => Attrs(("changesServiceDelivery", changes));

    private static MatchedRule RuleFor(RoutingPlan plan, string step, string rule) => Assert.Single(plan.Find(step)!.RequiredBy, r => r.Rule == rule);

    // ---- Part C 2: the council's own decision and terms of reference for a joint committee ----

    [Fact]
    public void PartC_2_a_joint_committee_needs_the_councils_terms_of_reference_before_it_decides_and_appointments_after()
    {
        var plan = Route("2024-01-10", p => p with { Attributes = Changes(false) }, ProposalKind.JointCommittee);
        Assert.True(plan.IsComplete);
        PlanAssert.Order(plan, "joint-committee-terms-of-reference", "cabinet-decision", "joint-committee-appointments");
        var source = RuleFor(plan, "joint-committee-terms-of-reference", "JointCommitteeArrangements").Source!;
        Assert.Contains("LGA 1972 s101(5)", source);
        Assert.Contains("s102(1)(b), (2)", source);
        Assert.Contains("SI 2012/1019 reg 11(5)", source);
        Assert.Contains("access to information", plan.Find("joint-committee-terms-of-reference")!.Step.Name);
        Assert.True(plan.Requires("icb-board-approval"), "the ICB's own decision (s65Z5) stays");
        Assert.DoesNotContain(plan.Warnings, w => w.Rule == "JointCommitteeWithNhsBodyCannotDecideBeforeJuly2022");
    }

    [Fact]
    public void PartC_2_a_joint_committee_for_council_functions_settles_its_terms_before_full_council_decides()
    {
        var plan = Route("2024-01-10", p => p with { DecisionMaker = DecisionMaker.FullCouncil, Attributes = Changes(false) }, ProposalKind.JointCommittee);
        Assert.Equal("full-council-approval", plan.DecisionStep);
        PlanAssert.Order(plan, "joint-committee-terms-of-reference", "full-council-approval", "joint-committee-appointments");
        Assert.Equal(new LocalDate(2024, 1, 10), plan.Find("joint-committee-terms-of-reference")!.Timing!.LatestDate);
    }

    [Theory]
    [InlineData("2010-07-06", true)]  // PCT (Barking and Dagenham 2010, 5.4)
    [InlineData("2019-10-16", true)]  // CCG
    [InlineData("2022-06-30", true)]  // the last day before s65Z5
    [InlineData("2022-07-01", false)] // ICB: NHS Act 2006 s65Z5
    public void PartC_2_a_joint_committee_with_an_nhs_body_could_not_decide_before_1_July_2022(string date, bool warns)
    {
        var plan = Route(date, p => p with { Attributes = Changes(false) }, ProposalKind.JointCommittee);
        Assert.Equal(warns, plan.Warnings.Any(w => w.Rule == "JointCommitteeWithNhsBodyCannotDecideBeforeJuly2022" && w.Message.Contains("could not take decisions") && w.Message.Contains("s65Z5")));
        Assert.True(plan.Requires("joint-committee-terms-of-reference"));
    }

    // ---- Part C 6: consultation duties ----

    [Fact]
    public void PartC_6_the_best_value_duty_to_consult_comes_before_the_council_decides()
    {
        var plan = Route("2024-01-10", p => p with { Attributes = Attrs(("changesServiceDelivery", true), ("s75Arrangement", "PooledFund")) }, ProposalKind.S75Agreement);
        Assert.True(plan.IsComplete);
        PlanAssert.Order(plan, "best-value-consultation", "cabinet-decision");
        Assert.Contains("LGA 1999 s3(2)(a)–(d)", RuleFor(plan, "best-value-consultation", "BestValueDutyToConsult").Source);
        Assert.Equal(StepKind.Consultation, plan.Find("best-value-consultation")!.Step.Kind);
    }

    [Theory]
    [InlineData("2010-07-06", "NhsDutyToInvolvePct", "s242(1B)", "pct-board-approval")]
    [InlineData("2013-03-31", "NhsDutyToInvolvePct", "s242(1B)", "pct-board-approval")]
    [InlineData("2013-04-01", "NhsDutyToInvolveCcg", "s14Z2(2)", "ccg-governing-body-approval")]
    [InlineData("2022-06-30", "NhsDutyToInvolveCcg", "s14Z2(2)", "ccg-governing-body-approval")]
    [InlineData("2022-07-01", "NhsDutyToInvolveIcb", "s14Z45(2)", "icb-board-approval")]
    public void PartC_6_the_nhs_partner_involves_people_before_its_board_decides_on_a_commissioning_change_by_date(string date, string rule, string section, string nhsApproval)
    {
        var plan = Route(date, p => p with { Attributes = Changes(true) }, ProposalKind.JointCommissioningAgreement);
        Assert.True(plan.IsComplete);
        Assert.Contains(section, RuleFor(plan, "public-involvement", rule).Source);
        Assert.Single(plan.Find("public-involvement")!.RequiredBy);
        PlanAssert.Order(plan, "public-involvement", nhsApproval);
    }

    [Theory]
    [InlineData("2012-01-10", "NhsDutyToInvolvePct", "s242(1B)")]
    [InlineData("2015-01-10", "NhsDutyToInvolveCcg", "s14Z2(2)")]
    [InlineData("2024-01-10", "NhsDutyToInvolveIcb", "s14Z45(2)")]
    public void PartC_6_a_service_change_cites_the_involvement_duty_of_the_nhs_body_of_its_day(string date, string rule, string section)
    {
        // Before, every service change cited "s14Z45 (ICB), s14Z2 (CCG)" whatever its date, so a 2012 change cited
        // sections that did not yet exist.
        var plan = Route(date, p => p, ProposalKind.ServiceChange);
        Assert.Contains(section, RuleFor(plan, "public-involvement", rule).Source);
        Assert.True(plan.Requires("best-value-consultation"));
    }

    [Fact]
    public void PartC_6_a_commissioning_arrangement_that_does_not_say_whether_it_changes_services_is_incomplete()
    {
        var plan = Route("2024-01-10", p => p with { Attributes = Attrs(("s75Arrangement", "PooledFund")) }, ProposalKind.S75Agreement);
        Assert.False(plan.IsComplete);
        foreach (var rule in new[] { "NhsDutyToInvolveIcb", "BestValueDutyToConsult" })
        {
            var gap = Assert.Single(plan.Incomplete, i => i.Rule == rule);
            Assert.Equal(IncompleteRuleKind.Undecided, gap.Kind);
            Assert.Contains("changesServiceDelivery", gap.MissingValue);
        }
    }

    [Fact]
    public void PartC_6_a_commissioning_arrangement_that_changes_no_service_needs_neither_consultation()
    {
        var plan = Route("2024-01-10", p => p with { Attributes = Attrs(("changesServiceDelivery", false), ("s75Arrangement", "PooledFund")) }, ProposalKind.S75Agreement);
        Assert.True(plan.IsComplete);
        Assert.False(plan.Requires("public-involvement"));
        Assert.False(plan.Requires("best-value-consultation"));
    }

    // ---- Part C 7: the NHS partner's own equality and health-inequalities duties ----

    [Theory]
    [InlineData("2019-10-16", "ccg-governing-body-approval", "NhsPartnerHealthInequalitiesCcg", "s14T")]
    [InlineData("2022-06-30", "ccg-governing-body-approval", "NhsPartnerHealthInequalitiesCcg", "s14T")]
    [InlineData("2022-07-01", "icb-board-approval", "NhsPartnerHealthInequalitiesIcb", "s14Z35")]
    public void PartC_7_the_nhs_partners_own_equality_and_health_inequalities_duties_come_before_its_board_decides(string date, string nhsApproval, string rule, string section)
    {
        var plan = Route(date, p => p with { Attributes = Changes(false) }, ProposalKind.JointCommissioningAgreement);
        PlanAssert.Order(plan, "nhs-partner-equality-due-regard", nhsApproval);
        PlanAssert.Order(plan, "nhs-partner-health-inequalities", nhsApproval);
        Assert.Contains("Equality Act 2010 s149(1)", RuleFor(plan, "nhs-partner-equality-due-regard", "NhsPartnerEqualityDuty").Source);
        Assert.Contains(section, RuleFor(plan, "nhs-partner-health-inequalities", rule).Source);
        Assert.Equal("nhs-partner-governance-lead", plan.Find("nhs-partner-equality-due-regard")!.Role!.Id);
        // The council's own equality impact assessment is a separate step: it does not discharge the NHS body's duty.
        Assert.True(plan.Requires("equality-impact-assessment"));
    }

    [Fact]
    public void PartC_7_a_pct_had_the_earlier_equality_duties_and_no_statutory_health_inequalities_duty()
    {
        var plan = Route("2010-07-06", p => p with { Attributes = Changes(false) }, ProposalKind.JointCommissioningAgreement);
        Assert.Contains("Race Relations Act 1976 s71", RuleFor(plan, "nhs-partner-equality-due-regard", "NhsPartnerEqualityDutyBefore5April2011").Source);
        Assert.False(plan.Requires("nhs-partner-health-inequalities"), "the CCG and ICB duties (s14T, s14Z35) began with HSCA 2012 and HCA 2022");
        PlanAssert.Order(plan, "nhs-partner-equality-due-regard", "pct-board-approval");
    }

    [Theory]
    [InlineData("2011-04-04", "DueRegardToEqualityBefore5April2011", "Race Relations Act 1976 s71")]
    [InlineData("2011-04-05", "DueRegardToEquality", "Equality Act 2010 s149")]
    public void PartC_7_the_councils_own_equality_duty_is_dated_too(string date, string rule, string source)
    {
        var plan = Route(date, p => p, ProposalKind.ServiceChange);
        Assert.Contains(source, RuleFor(plan, "equality-impact-assessment", rule).Source);
        Assert.Single(plan.Find("equality-impact-assessment")!.RequiredBy);
    }

    [Fact]
    public void PartC_7_no_nhs_partner_means_no_nhs_equality_steps()
    {
        var plan = Route("2024-01-10", p => p, ProposalKind.ServiceChange);
        Assert.False(plan.Requires("nhs-partner-equality-due-regard"));
        Assert.False(plan.Requires("nhs-partner-health-inequalities"));
    }

    // ---- Jurisdiction guard ----

    [Theory]
    [InlineData(null, "Betsi Cadwaladr University Health Board")]
    [InlineData(null, "Powys Teaching Health Board")]
    [InlineData(null, "Velindre University NHS Trust")]
    [InlineData("Wrexham County Borough Council", "NHS Cheshire and Merseyside ICB")]
    [InlineData("Cardiff Council", null)]
    [InlineData(null, "Gwent Regional Partnership Board")]
    public void A_welsh_body_makes_the_england_plan_incomplete_until_the_proposal_says_which_law_governs(string? organisation, string? partner)
    {
        var plan = Route("2024-01-10", p => p with { Organisation = organisation, Partners = partner is null ? [] : [partner] }, ProposalKind.ServiceChange);
        Assert.False(plan.IsComplete);
        var gap = Assert.Single(plan.Incomplete, i => i.Rule == "WelshBodyOutsideTheEnglandBaseline");
        Assert.Contains("englishLawGoverns", gap.MissingValue);
        Assert.Contains("welsh-law-advice", gap.Steps);
    }

    [Fact]
    public void A_welsh_decision_warns_that_this_is_not_its_route_and_needs_advice_before_deciding()
    {
        var plan = Route("2024-01-10", p => p with { Organisation = "Gwynedd Council", Attributes = Attrs(("englishLawGoverns", false)) }, ProposalKind.ServiceChange);
        Assert.True(plan.IsComplete);
        Assert.Contains(plan.Warnings, w => w.Rule == "WelshBodyOutsideTheEnglandBaseline" && w.Message.Contains("not the route for a Welsh decision"));
        PlanAssert.Order(plan, "welsh-law-advice", "cabinet-decision");
        var source = RuleFor(plan, "welsh-law-advice", "WelshBodyOutsideTheEnglandBaseline").Source!;
        Assert.Contains("SI 2015/1989", source);
        Assert.Contains("SI 2000/3272 reg 1(2)", source);
    }

    [Fact]
    public void An_english_councils_decision_with_a_welsh_partner_warns_that_the_welsh_side_is_not_in_the_plan()
    {
        var plan = Route("2024-01-10", p => p with { Organisation = "Shropshire Council", Partners = ["Powys County Council"], Attributes = Attrs(("englishLawGoverns", true)) }, ProposalKind.ServiceChange);
        Assert.True(plan.IsComplete);
        Assert.False(plan.Requires("welsh-law-advice"));
        Assert.Contains(plan.Warnings, w => w.Rule == "WelshPartnerAcrossTheBorder" && w.Message.Contains("Welsh partner's own approvals"));
    }

    [Theory]
    [InlineData("Shropshire Council", "NHS Shropshire, Telford and Wrekin ICB")]
    [InlineData("Newport Pagnell Town Council", "Cheshire West and Chester Council")]
    [InlineData(null, null)]
    public void English_bodies_are_not_taken_for_welsh_ones(string? organisation, string? partner)
    {
        var plan = Route("2024-01-10", p => p with { Organisation = organisation, Partners = partner is null ? [] : [partner] }, ProposalKind.ServiceChange);
        Assert.True(plan.IsComplete);
        Assert.DoesNotContain(plan.MatchedRules, r => r.Workflow == "jurisdiction");
    }

    [Fact]
    public void The_cli_exits_5_on_a_welsh_body_and_names_the_guard()
    {
        var folder = Directory.CreateTempSubdirectory("welsh-proposal-");
        try
        {
            var file = Path.Combine(folder.FullName, "welsh.json");
            File.WriteAllText(file, """
                { "id": "welsh", "title": "Joint strategy with the health board", "organisation": "Conwy County Borough Council",
                  "partners": [ "Betsi Cadwaladr University Health Board" ], "decisionMaker": "Cabinet",
                  "intendedDecisionDate": "2024-01-10", "kinds": [ "Strategy" ] }
                """);
            var stdout = new StringWriter();
            var stderr = new StringWriter();
            var exit = Program.Run(["route", file, "--rules", Repository.PathOf("rules/england"), "--today", "2023-11-01"], stdout, stderr);
            Assert.Equal(5, exit);
            Assert.Contains("WelshBodyOutsideTheEnglandBaseline", stdout.ToString() + stderr.ToString());
            Assert.Contains("englishLawGoverns", stdout.ToString() + stderr.ToString());
        }
        finally
        {
            folder.Delete(true);
        }
    }
}
