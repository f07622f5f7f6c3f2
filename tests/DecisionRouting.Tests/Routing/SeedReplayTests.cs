using System;
using System.Linq;
using DecisionRouting.Calendar;
using DecisionRouting.Proposals;
using DecisionRouting.Routing;
using DecisionRouting.RuleSets;
using DecisionRouting.Tests.Calendar;
using DecisionRouting.Tests.Support;
using NodaTime;

namespace DecisionRouting.Tests.Routing;

/// <summary>
/// Each seed decision routed with its own partnership's rule set, against the expected routes and dates in the
/// governance catalogue. Test names carry the seed paragraph numbers.
/// </summary>
public sealed class SeedReplayTests
{
    private static RoutingPlan Route(string sample, string partnership, string today)
    {
        var proposal = ProposalReader.ReadFile(Repository.PathOf($"samples/proposals/{sample}.json")).Proposal!;
        var ruleSet = RuleSet.Load(Repository.PathOf($"rules/partnerships/{partnership}"));
        var clock = new FixedClock(DateTimeOffset.Parse(today + "T09:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        return new Router(ruleSet, new RoutingOptions { Clock = clock }).Route(proposal);
    }

    private static LocalDate D(string iso) => NodaTime.Text.LocalDatePattern.Iso.Parse(iso).GetValueOrThrow();


    [Theory]
    [InlineData("croydon-2013-integrated-commissioning-unit", "croydon")]
    [InlineData("doncaster-2018-joint-commissioner-agreement", "doncaster")]
    [InlineData("doncaster-2018-provider-collaboration-agreement", "doncaster")]
    [InlineData("darlington-2014-proof-of-concept", "darlington")]
    [InlineData("darlington-2014-chief-officer-structure", "darlington")]
    [InlineData("darlington-2014-director-appointment", "darlington")]
    [InlineData("durham-2019-integrated-strategic-commissioning", "durham")]
    [InlineData("durham-2019-head-of-commissioning-post", "durham")]
    [InlineData("barking-dagenham-2010-integrated-leadership", "barking-dagenham")]
    public void Every_seed_routes_with_its_partnership_with_a_reason_and_source_for_every_step(string sample, string partnership)
    {
        var plan = Route(sample, partnership, "2000-01-01");
        Assert.Equal(partnership, plan.RuleSetName);
        Assert.NotEmpty(plan.Steps);
        Assert.All(plan.Steps, s => Assert.All(s.RequiredBy, r => Assert.False(string.IsNullOrWhiteSpace(r.Source))));
        Assert.DoesNotContain(plan.Warnings, w => w.Kind is PlanWarningKind.RuleNotEvaluated or PlanWarningKind.BodyNotInExistence or PlanWarningKind.NothingRequired);
        Assert.Empty(plan.UrgencyRoutes);
    }

    [Fact]
    public void Croydon_call_in_closes_at_13_00_on_22_July_2013_cover_sheet_and_App_B()
    {
        var plan = Route("croydon-2013-integrated-commissioning-unit", "croydon", "2013-05-01");
        var callIn = plan.Find("call-in-window")!.Timing!;
        Assert.Equal(D("2013-07-22"), callIn.EarliestEnd);
        Assert.Equal(Instant.FromUtc(2013, 7, 22, 12, 0), callIn.Closes!.Value.ToInstant()); // 13:00 BST
        Assert.Equal(callIn.Closes, plan.EffectiveFrom);
        Assert.Equal("Scrutiny and Strategic Overview Committee", plan.Find("call-in-window")!.Body!.Name);
    }

    [Fact]
    public void Croydon_staff_consultation_follows_call_in_and_the_s75_follows_it_paras_1_1_1_2_4_2()
    {
        var plan = Route("croydon-2013-integrated-commissioning-unit", "croydon", "2013-05-01");
        PlanAssert.Order(plan, "key-decision-notice", "cabinet-decision", "decision-record", "call-in-window", "staff-consultation", "delegated-finalisation", "s75-agreement");
        Assert.Equal(D("2013-06-16"), plan.Find("key-decision-notice")!.Timing!.LatestDate);
        Assert.Equal(D("2013-07-23"), plan.Find("staff-consultation")!.Timing!.EarliestStart);
        Assert.Equal(D("2013-09-09"), plan.Find("delegated-finalisation")!.Timing!.EarliestStart);
        Assert.True(plan.Requires("ccg-governing-body-approval"), "App B: CCG paper in parallel");
    }

    [Fact]
    public void Croydon_six_weeks_ending_on_Sunday_8_September_is_kept_and_flagged_App_B()
    {
        var plan = Route("croydon-2013-integrated-commissioning-unit", "croydon", "2013-05-01");
        var consultation = plan.Find("staff-consultation")!.Timing!;
        Assert.True(consultation.FromSchedule);
        Assert.Equal(D("2013-09-08"), consultation.EarliestEnd);
        var warning = Assert.Single(plan.Warnings, w => w.Kind == PlanWarningKind.ScheduleDiscrepancy);
        Assert.Equal("staff-consultation", warning.Step);
        Assert.Contains("Sun 8 Sep 2013 (a Sunday, not a working day)", warning.Message);
        Assert.Contains("42 calendar days from Tue 23 Jul 2013 end on Mon 2 Sep 2013", warning.Message);
    }

    [Fact]
    public void Croydon_100_redundancies_warns_that_six_weeks_is_short_of_45_days_HR4()
    {
        var proposal = ProposalReader.ReadFile(Repository.PathOf("samples/proposals/croydon-2013-integrated-commissioning-unit.json")).Proposal! with { StaffAffected = 150, ProposedRedundancies = 120 };
        var plan = new Router(RuleSet.Load(Repository.PathOf("rules/partnerships/croydon"))).Route(proposal);
        Assert.True(plan.Requires("collective-consultation-45"));
        Assert.Contains(plan.Warnings, w => w.Kind == PlanWarningKind.RuleWarning && w.Message.Contains("shorter than the 45 days"));
    }

    [Fact]
    public void Doncaster_forward_plan_notice_was_due_by_26_March_2018_paras_8_9()
    {
        var plan = Route("doncaster-2018-joint-commissioner-agreement", "doncaster", "2018-01-15");
        Assert.Equal(D("2018-03-26"), plan.Find("key-decision-notice")!.Timing!.LatestDate);
        Assert.Equal(D("2018-04-24"), plan.Find("cabinet-decision")!.Timing!.EarliestStart);
        Assert.False(plan.Requires("private-meeting-notice"), "para 8: not exempt");
    }

    [Theory]
    [InlineData("2018-03-27", "general-exception-notice", "2018-04-18")] // the general exception, calendar mode
    [InlineData("2018-04-19", "special-urgency-agreement", "2018-04-24")] // agreed by the decision day
    public void Doncaster_too_late_for_the_forward_plan_takes_the_urgency_route_regs_10_11(string today, string instead, string latest)
    {
        var plan = Route("doncaster-2018-joint-commissioner-agreement", "doncaster", today);
        var route = Assert.Single(plan.UrgencyRoutes, r => r.Impracticable == "key-decision-notice");
        Assert.Equal(instead, route.Instead);
        Assert.Contains("by Mon 26 Mar 2018", route.Reason);
        Assert.False(plan.Requires("key-decision-notice"));
        Assert.True(plan.Find(instead)!.Stage < plan.Find("cabinet-decision")!.Stage);
        Assert.Equal(D(latest), plan.Find(instead)!.Timing?.LatestDate);
        Assert.Contains(plan.Warnings, w => w.Kind == PlanWarningKind.UrgencyRouteApplied && w.Step == instead);

        // On 19 April the agenda (5 clear working days, so by 16 April) is late too: the chair takes it as urgent (s100B(4)(b) / reg 6(2)(b)),
        // and the plan no longer also says the decision cannot be taken.
        Assert.Equal(today == "2018-04-19", plan.UrgencyRoutes.Any(r => r.Impracticable == "meeting-notice" && r.Instead == "chair-agrees-urgent-item"));
        Assert.DoesNotContain(plan.Warnings, w => w.Kind == PlanWarningKind.DateCannotBeMet);
        Assert.Empty(plan.Contradictions);
    }

    [Fact]
    public void Doncaster_delegates_finalisation_then_a_further_cabinet_decision_paras_9_49()
    {
        var plan = Route("doncaster-2018-joint-commissioner-agreement", "doncaster", "2018-01-15");
        PlanAssert.Order(plan, "cabinet-decision", "call-in-window", "delegated-finalisation", "agreement-signed", "further-cabinet-decision");
        Assert.Equal("chief-executive", plan.Find("agreement-signed")!.Role!.Id);
        Assert.True(plan.Requires("ccg-governing-body-approval"), "the CCG side is not in the seed: an open requirement");
        Assert.True(plan.Requires("hwb-report"), "paras 27, 64: HWB kept apprised (Doncaster practice)");
        Assert.Contains(plan.MatchedRules, r => r.Rule == "HealthAndWellbeingBoardKeptApprised" && r.Workflow == "doncaster");
    }

    [Theory]
    [InlineData("doncaster-2018-joint-commissioner-agreement", "doncaster", "2018-01-15")]
    [InlineData("doncaster-2018-provider-collaboration-agreement", "doncaster", "2018-01-15")]
    [InlineData("durham-2019-integrated-strategic-commissioning", "durham", "2019-01-01")]
    public void Doncaster_para_47_and_Durham_App_1_defer_the_equality_analysis_so_the_plan_warns_s149(string sample, string partnership, string today)
    {
        // New expectation (issue 13): Doncaster para 47 leaves "legal advice on the duty under Section 149" to future
        // reports, and Durham App 1 says equality "will be considered in the development of the options". Both samples
        // now say equalityAnalysis: Deferred, and the duty must be discharged before and at the time of the decision.
        var plan = Route(sample, partnership, today);

        Assert.Contains(plan.Warnings, w => w.Rule == "EqualityAnalysisDeferred" && w.Message.Contains("Equality Act 2010 s149(1)") && w.Message.Contains("before and at the time"));
        PlanAssert.Order(plan, "equality-impact-assessment", plan.DecisionStep!);
    }

    [Fact]
    public void Doncaster_non_binding_provider_agreement_needs_no_ccg_approval_and_warns_of_the_later_cabinet_decision_paras_9ii_24b_49()
    {
        var plan = Route("doncaster-2018-provider-collaboration-agreement", "doncaster", "2018-01-15");
        Assert.True(plan.Requires("key-decision-notice"));
        Assert.False(plan.Requires("further-cabinet-decision"), "para 49: only before a legally binding PCA");
        Assert.Contains(plan.Warnings, w => w.Rule == "NonBindingProviderAgreementNeedsCabinetLater" && w.Message.Contains("legally binding"));
        Assert.False(plan.Requires("ccg-governing-body-approval"));
        Assert.Empty(plan.Proposal.Partners);
    }

    [Fact]
    public void Doncaster_binding_provider_agreement_needs_a_further_cabinet_decision_para_49()
    {
        var plan = Plans.Seed("doncaster-2018-provider-collaboration-agreement", "doncaster", "2018-01-15", p => p with { LegallyBinding = true });
        Assert.True(plan.Requires("further-cabinet-decision"));
        Assert.DoesNotContain(plan.Warnings, w => w.Rule == "NonBindingProviderAgreementNeedsCabinetLater");
    }

    [Fact]
    public void Darlington_6a_goes_through_chief_officers_executive_to_cabinet_as_a_key_decision_paras_6a_42()
    {
        var plan = Route("darlington-2014-proof-of-concept", "darlington", "2014-01-01");
        PlanAssert.Order(plan, "chief-officers-executive-review", "meeting-notice", "cabinet-decision", "decision-record");
        Assert.True(plan.Requires("key-decision-notice"));
        Assert.False(plan.Requires("full-council-approval"), "TAB: within the budget and policy framework");
        Assert.True(plan.Requires("s113-agreement"), "para 37: seconded on existing terms");
    }

    [Fact]
    public void Darlington_6b_structure_is_recommended_by_cabinet_and_approved_by_council_para_53()
    {
        var plan = Route("darlington-2014-chief-officer-structure", "darlington", "2014-01-01");
        PlanAssert.Order(plan, "chief-officers-executive-review", "cabinet-recommendation", "full-council-approval");
        Assert.Equal("full-council-approval", plan.DecisionStep);
    }

    [Fact]
    public void Darlington_6c_appointment_stays_with_cabinet_para_48()
    {
        var plan = Route("darlington-2014-director-appointment", "darlington", "2014-01-01");
        Assert.Equal("cabinet-decision", plan.DecisionStep);
        Assert.False(plan.Requires("full-council-approval"));
    }

    [Fact]
    public void Darlington_call_in_period_is_not_in_the_seed_so_the_plan_says_so()
    {
        var plan = Route("darlington-2014-proof-of-concept", "darlington", "2014-01-01");
        Assert.Null(plan.EffectiveFrom);
        Assert.Contains(plan.Warnings, w => w.Kind == PlanWarningKind.PeriodNotSet && w.Step == "call-in-window" && w.Message.Contains("'darlington'"));
    }

    [Fact]
    public void Durham_ordinary_decision_to_cabinet_and_both_ccgs_as_two_approvals_with_all_eight_signatories_paras_6b_42a_MoU_21()
    {
        var plan = Route("durham-2019-integrated-strategic-commissioning", "durham", "2019-01-01");
        Assert.False(plan.Requires("key-decision-notice"), "front sheet: Ordinary Decision");
        Assert.Equal("North Durham CCG governing body", plan.Find("ccg-governing-body-approval")!.Body!.Name);
        Assert.Equal("Durham Dales, Easington and Sedgefield (DDES) CCG governing body", plan.Find("ddes-ccg-governing-body-approval")!.Body!.Name);
        Assert.Equal("All eight MoU signatories agree the variation in writing", plan.Find("all-signatories-agree-variation")!.Step.Name);
        Assert.False(plan.Requires("hwb-report"), "42(a) records a past briefing, not a standing requirement");
        Assert.Contains(plan.Warnings, w => w.Rule == "SystemPlanSharedAtDevelopmentDay" && w.Message.Contains("development day on 13 June"));
        Assert.True(plan.Requires("risk-share-agreed"), "App 5");
    }

    [Fact]
    public void Durham_2019_integrated_care_board_is_not_the_statutory_icb_MoU_7_Sch1_13()
    {
        var plan = Route("durham-2019-integrated-strategic-commissioning", "durham", "2019-01-01");
        var subGroup = plan.Find("integrated-care-board-report")!.Body!;
        Assert.Equal("durham-integrated-care-board", subGroup.Id);
        Assert.Equal(BodyKind.Partnership, subGroup.Kind);
        Assert.False(plan.Requires("icb-board-approval"));
        var durham = RuleSet.Load(Repository.PathOf("rules/partnerships/durham"));
        Assert.Equal(BodyKind.NhsBoard, durham.Bodies["icb-board"].Kind);
        Assert.NotEqual(durham.Bodies["icb-board"].Name, subGroup.Name);
    }

    [Fact]
    public void Durham_new_post_goes_to_council_para_52()
    {
        // DU 52 records only that the post "is being submitted to full Council in October". The earlier expectation
        // of a Cabinet recommendation first came from the England rule applying Darlington's practice (D 53) to every
        // council (law review finding 26); chief officer structures are Council's, and "Cabinet recommends" is now
        // Darlington's own rule.
        var plan = Route("durham-2019-head-of-commissioning-post", "durham", "2019-01-01");
        Assert.Equal("full-council-approval", plan.DecisionStep);
        Assert.False(plan.Requires("cabinet-recommendation"), "para 52: straight to full Council");
        Assert.False(plan.Requires("cabinet-decision"));
        PlanAssert.Order(plan, "meeting-notice", "full-council-approval");
    }

    [Fact]
    public void Barking_and_Dagenham_pct_era_cabinet_then_formal_agreement_paras_5_1_to_6_2()
    {
        var plan = Route("barking-dagenham-2010-integrated-leadership", "barking-dagenham", "2010-01-01");
        PlanAssert.Order(plan, "cabinet-decision", "pct-formal-agreement", "steering-group-reports");
        Assert.True(plan.Requires("pct-board-approval"));
        Assert.False(plan.Requires("ccg-governing-body-approval"));
        Assert.False(plan.Requires("hwb-report"), "HWBs began on 1 April 2013");
        Assert.False(plan.Requires("key-decision-notice"), "key-decision status not stated; no spend");
    }

    [Fact]
    public void Barking_and_Dagenham_key_decision_uses_the_pre_2012_forward_plan()
    {
        var proposal = ProposalReader.ReadFile(Repository.PathOf("samples/proposals/barking-dagenham-2010-integrated-leadership.json")).Proposal! with { FinancialCommitment = 900000 };
        var plan = new Router(RuleSet.Load(Repository.PathOf("rules/partnerships/barking-dagenham"))).Route(proposal);
        Assert.True(plan.Requires("forward-plan-entry"));
        Assert.False(plan.Requires("key-decision-notice"));
        Assert.Contains(plan.Warnings, w => w.Kind == PlanWarningKind.UnverifiedSource && w.Rule == "KeyDecisionForwardPlan2000");
    }

    [Fact]
    public void Barking_and_Dagenham_2010_meeting_notice_and_decision_record_follow_the_2000_regulations_SI_2000_3272()
    {
        var plan = Route("barking-dagenham-2010-integrated-leadership", "barking-dagenham", "2010-01-01");
        Assert.False(plan.Requires("meeting-notice"), "SI 2012/2089 began on 10 September 2012");
        var notice = plan.Find("meeting-notice-2000")!;
        Assert.Contains("SI 2000/3272 regs 10–11", Assert.Single(notice.RequiredBy).Source);
        Assert.Equal(5, notice.Step.Duration!.Days);
        Assert.Equal(DayCounting.ClearWorkingDays, notice.Step.Duration.Counting);
        Assert.Equal(D("2010-06-28"), notice.Timing!.LatestDate); // Mon 28 Jun: 5 clear working days before Tue 6 Jul 2010
        PlanAssert.Order(plan, "meeting-notice-2000", "cabinet-decision");
        Assert.Contains("SI 2000/3272 reg 3", Assert.Single(plan.Find("decision-record")!.RequiredBy).Source);
        Assert.Contains(plan.Warnings, w => w.Kind == PlanWarningKind.UnverifiedSource && w.Rule == "MeetingNotice2000");
    }

    [Fact]
    public void Barking_and_Dagenham_2010_health_and_well_being_board_is_a_non_statutory_partnership_with_its_own_id_paras_2_7_2_8()
    {
        var bd = RuleSet.Load(Repository.PathOf("rules/partnerships/barking-dagenham"));
        var partnership = bd.Bodies["bd-health-and-wellbeing-partnership"];
        Assert.Equal(BodyKind.Partnership, partnership.Kind);
        Assert.Equal(BodyKind.HealthAndWellbeingBoard, bd.Bodies["health-and-wellbeing-board"].Kind);
        Assert.Contains("2.7", partnership.Source);
        var plan = Route("barking-dagenham-2010-integrated-leadership", "barking-dagenham", "2010-01-01");
        Assert.Contains(plan.Warnings, w => w.Rule == "HealthAndWellBeingBoard2010IsNotStatutory" && w.Message.Contains("bd-health-and-wellbeing-partnership"));
        Assert.DoesNotContain(plan.Steps, s => s.Body?.Kind == BodyKind.HealthAndWellbeingBoard);
    }

    [Fact]
    public void Barking_and_Dagenham_2010_cabinet_and_pct_joint_committee_could_not_take_decisions_para_5_4()
    {
        var plan = Route("barking-dagenham-2010-integrated-leadership", "barking-dagenham", "2010-01-01");
        Assert.Contains(plan.Warnings, w => w.Rule == "JointCommitteeWithNhsBodyCannotDecideBeforeJuly2022" && w.Message.Contains("Cabinet and PCT Board"));
        Assert.True(plan.Requires("pct-board-approval"), "each body still decides for itself");
        Assert.False(plan.Requires("icb-board-approval"));
        Assert.True(plan.IsComplete);
    }

    [Theory]
    [InlineData("2013-03-31", "ExpansionNeedsBothBodiesPct", "pct-board-approval")]
    [InlineData("2013-04-01", "ExpansionNeedsBothBodies", "ccg-governing-body-approval")]
    [InlineData("2022-06-30", "ExpansionNeedsBothBodies", "ccg-governing-body-approval")]
    [InlineData("2022-07-01", "ExpansionNeedsBothBodiesIcb", "icb-board-approval")]
    public void Darlington_expansion_needs_cabinet_and_the_nhs_body_of_its_day_paras_4_42(string date, string rule, string nhsApproval)
    {
        var plan = Plans.Seed("darlington-2014-proof-of-concept", "darlington", "2012-01-01", p => p with
        {
            IntendedDecisionDate = D(date),
            Attributes = new ProposalAttributes(new System.Collections.Generic.Dictionary<string, object> { ["expandsPartnership"] = true, ["changesServiceDelivery"] = false }),
        });
        var matched = Assert.Single(plan.MatchedRules, r => r.Rule.StartsWith("ExpansionNeedsBothBodies", StringComparison.Ordinal));
        Assert.Equal(rule, matched.Rule);
        Assert.Equal(new[] { "cabinet-decision", nhsApproval }, matched.Steps);
        Assert.Single(plan.Steps, s => s.Body?.Kind == BodyKind.NhsBoard);
        Assert.DoesNotContain(plan.Warnings, w => w.Kind == PlanWarningKind.BodyNotInExistence);
    }

    [Fact]
    public void Darlington_6b_keeps_cabinets_recommendation_as_its_own_rule_para_53()
    {
        var plan = Route("darlington-2014-chief-officer-structure", "darlington", "2014-01-01");
        Assert.Contains(plan.MatchedRules, r => r.Rule == "ChiefOfficerStructureRecommendedByCabinet" && r.Workflow == "darlington");
        PlanAssert.Order(plan, "cabinet-recommendation", "full-council-approval");
    }

    [Fact]
    public void Durham_each_ccg_considers_its_own_duties_before_its_governing_body_decides_para_6b()
    {
        var plan = Route("durham-2019-integrated-strategic-commissioning", "durham", "2019-01-01");
        Assert.True(plan.IsComplete);
        foreach (var approval in new[] { "ccg-governing-body-approval", "ddes-ccg-governing-body-approval" })
        {
            PlanAssert.Order(plan, "nhs-partner-equality-due-regard", approval);
            PlanAssert.Order(plan, "nhs-partner-health-inequalities", approval);
        }
        Assert.False(plan.Requires("public-involvement"), "App 1: no consultation requirements at this stage");
    }
}
