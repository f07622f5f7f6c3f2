using System.Collections.Generic;
using System.Linq;
using DecisionRouting.Proposals;
using DecisionRouting.Routing;
using DecisionRouting.RuleSets;
using DecisionRouting.Tests.Support;
using NodaTime;

namespace DecisionRouting.Tests.Routing;

/// <summary>
/// The corrections from the November 2026 law review (docs/law-review-response.md) that need no new engine feature:
/// each routes a proposal and asserts the step, period, date or source the corrected law gives. Test names carry
/// the finding number.
/// </summary>
public sealed class LawReviewTests
{
    private static readonly RuleSet England = RuleSet.Load(Repository.PathOf("rules/england"));

    private static RoutingPlan Route(string date, params ProposalKind[] kinds) => Route(date, p => p, kinds);

    private static RoutingPlan Route(string date, System.Func<Proposal, Proposal> change, params ProposalKind[] kinds) =>
        new Router(England).Route(change(new Proposal
        {
            Id = "law-review",
            Title = "Law review case",
            DecisionMaker = DecisionMaker.Cabinet,
            IntendedDecisionDate = NodaTime.Text.LocalDatePattern.Iso.Parse(date).GetValueOrThrow(),
            Kinds = new List<ProposalKind>(kinds.Length == 0 ? new[] { ProposalKind.ServiceChange } : kinds),
        }));

    private static int Days(RoutingPlan plan, string step) => plan.Find(step)!.Step.Duration!.Days;

    [Theory]
    [InlineData("2013-04-05", 90, "collective-consultation-90", "hr1-notification-90")]
    [InlineData("2013-04-06", 45, "collective-consultation-45", "hr1-notification-45")]
    [InlineData("2026-11-01", 45, "collective-consultation-45", "hr1-notification-45")]
    public void Finding_2_hundred_or_more_redundancies_take_90_days_before_6_April_2013_and_45_from_it(string date, int days, string consultation, string hr1)
    {
        // The date is when the proposal to dismiss was made (SI 2013/763 art 2(1)), given as proposalToDismissDate.
        var plan = Route("2013-03-01", p => p with { ProposedRedundancies = 120, Attributes = Attrs(("proposalToDismissDate", Iso(date))) });
        Assert.Equal(days, Days(plan, consultation));
        Assert.Equal(days, Days(plan, hr1));
        Assert.Single(plan.Steps, s => s.Id.StartsWith("hr1-notification-", System.StringComparison.Ordinal));
        Assert.Single(plan.Steps, s => s.Id.StartsWith("collective-consultation-", System.StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(25, "hr1-notification-30", "s193(2)(a)–(b)")]
    [InlineData(100, "hr1-notification-45", "s193(1)(a)–(b)")]
    public void Finding_1_hr1_cites_the_subsection_for_its_threshold_and_both_limbs(int redundancies, string hr1, string citation)
    {
        var plan = Route("2020-01-01", p => p with { ProposedRedundancies = redundancies, Attributes = Attrs(("proposalToDismissDate", Iso("2020-01-01"))) });
        Assert.Contains(citation, plan.Find(hr1)!.Step.Source);
        Assert.Contains("before any dismissal notice", plan.Find(hr1)!.Step.Name);
    }

    [Theory]
    [InlineData(25)]
    [InlineData(100)]
    public void Finding_1_dismissal_notices_come_only_after_the_hr1_notice(int redundancies)
    {
        var plan = Route("2020-01-01", p => p with { ProposedRedundancies = redundancies, Attributes = Attrs(("proposalToDismissDate", Iso("2020-01-01"))) });
        var hr1 = plan.Steps.Single(s => s.Id.StartsWith("hr1-notification-", System.StringComparison.Ordinal));
        PlanAssert.Order(plan, hr1.Id, "redundancy-dismissal-notices");
        Assert.Contains(hr1.Id, plan.Find("redundancy-dismissal-notices")!.After);
    }

    [Fact]
    public void Finding_1_fewer_than_20_redundancies_need_no_hr1_and_no_dismissal_notice_step()
    {
        var plan = Route("2020-01-01", p => p with { ProposedRedundancies = 19 });
        Assert.DoesNotContain(plan.Steps, s => s.Id.StartsWith("hr1-", System.StringComparison.Ordinal) || s.Id == "redundancy-dismissal-notices");
    }

    [Theory]
    [InlineData("2014-04-30", "employee-liability-information-14", 14)]
    [InlineData("2014-05-01", "employee-liability-information", 28)]
    public void Finding_3_employee_liability_information_is_14_days_before_1_May_2014_then_28(string date, string step, int days)
    {
        // The date is the transfer's (transferDate), not the decision's.
        var plan = Route("2014-02-03", p => p with { TupeTransfer = true, Attributes = Attrs(("transferDate", Iso(date))) });
        Assert.Equal(days, Days(plan, step));
        Assert.Single(plan.Steps, s => s.Id.StartsWith("employee-liability-information", System.StringComparison.Ordinal));
        Assert.True(plan.Requires("tupe-consultation"));
        Assert.DoesNotContain(plan.Warnings, w => w.Kind == PlanWarningKind.RuleWarning && w.Rule is "TupeTransferBefore1May2014" or "TupeTransfer");
    }

    [Fact]
    public void Finding_5_council_nhs_staff_sharing_is_under_s113_1A_not_s113_1()
    {
        var plan = Route("2023-01-01", ProposalKind.Secondment);
        var agreement = plan.Find("s113-agreement")!;
        Assert.Contains("s113(1A)", agreement.Step.Source);
        Assert.Contains("s113(1A)", Assert.Single(agreement.RequiredBy).Source);
        Assert.DoesNotContain("LGA 1972 s113(1)\"", agreement.Step.Source + "\"");
    }

    [Theory]
    [InlineData(false, true)]
    [InlineData(true, false)]
    public void Finding_9_an_urgent_safety_change_is_not_a_notifiable_reconfiguration(bool risk, bool notified)
    {
        var attributes = new ProposalAttributes(new Dictionary<string, object> { ["riskToSafetyOrWelfare"] = risk, ["healthScrutinyConsultationStarted"] = Iso("2025-01-06") });
        var plan = Route("2025-03-01", p => p with { SubstantialVariationOfHealthServices = true, Attributes = attributes });
        Assert.Equal(notified, plan.Requires("secretary-of-state-notified"));
        Assert.Equal(risk, plan.Requires("urgent-change-notified"));
    }

    [Fact]
    public void Finding_9_the_call_in_is_described_correctly_and_notifiability_turns_on_the_consultation_start()
    {
        // Not an urgent change for safety: the ordinary, notifiable route (riskToSafetyOrWelfare is read by these rules).
        var plan = Route("2025-03-01", p => p with { SubstantialVariationOfHealthServices = true, Attributes = Attrs(("riskToSafetyOrWelfare", false), ("healthScrutinyConsultationStarted", Iso("2025-01-06"))) });
        Assert.True(plan.IsComplete);
        var step = plan.Find("secretary-of-state-notified")!.Step;
        Assert.DoesNotContain("within 6 months", step.Name);
        Assert.Contains("6 months from the direction", step.Description);
        Assert.Contains("SI 2024/15 regs 2–3", step.Source);
        // No more "the decision date stands in for the consultation start" warning: the rule reads the date itself.
        Assert.DoesNotContain(plan.Warnings, w => w.Rule == "SecretaryOfStateNotified");
    }

    [Fact]
    public void Finding_24_the_ccg_body_no_longer_cites_the_section_that_renamed_nhs_england()
    {
        var source = England.Bodies["ccg-governing-body"].Source!;
        Assert.DoesNotContain("(Health and Care Act 2022 s1)", source);
        Assert.Contains("s19", source);
    }

    [Fact]
    public void Finding_41_the_mou_review_cites_only_the_durham_mou_and_warns_it_is_not_general()
    {
        var plan = Route("2019-10-16", ProposalKind.Mou);
        var rule = Assert.Single(plan.MatchedRules, r => r.Rule == "MouAnnualReview");
        Assert.DoesNotContain("Doncaster", rule.Source);
        Assert.DoesNotContain("one-year term", plan.Find("mou-annual-review")!.Step.Name);
        Assert.Contains(plan.Warnings, w => w.Rule == "MouAnnualReview");
    }

    [Fact]
    public void Finding_33_doncaster_has_an_elected_mayor_and_sch_1_part_I_governs_its_appointments()
    {
        var doncaster = RuleSet.Load(Repository.PathOf("rules/partnerships/doncaster"));
        Assert.Contains("Mayor", doncaster.Bodies["leader"].Name);
        Assert.Equal("MayorAndCabinet", doncaster.Definition.Parameters["executiveModel"].Value);
        Assert.Equal("LeaderAndCabinet", England.Definition.Parameters["executiveModel"].Value);
        var plan = new Router(doncaster).Route(new Proposal
        {
            Id = "mayor",
            Title = "Mayoral decision",
            DecisionMaker = DecisionMaker.Leader,
            IntendedDecisionDate = new LocalDate(2018, 4, 24),
            Kinds = new List<ProposalKind> { ProposalKind.ServiceChange },
        });
        Assert.Equal("Mayor of Doncaster (directly elected mayor)", plan.Find("leader-decision")!.Body!.Name);
    }

    private static ProposalAttributes Attrs(params (string Name, object Value)[] values) =>
        new(values.ToDictionary(v => v.Name, v => v.Value));

    private static LocalDate Iso(string date) => NodaTime.Text.LocalDatePattern.Iso.Parse(date).GetValueOrThrow();

    /// <summary>
    /// A procurement's values the procurement rules read: whether it buys from the market (no public–public
    /// cooperation) and whether what is bought is health care services, plus any others given.
    /// </summary>
    private static ProposalAttributes Procurement(bool publicPublicCooperation = false, bool healthCareServices = false, params (string Name, object Value)[] more) =>
        Attrs(new[] { ("publicPublicCooperation", (object)publicPublicCooperation), ("healthCareServices", (object)healthCareServices) }.Concat(more).ToArray());

    [Fact]
    public void Finding_27_the_procurement_act_standstill_runs_from_the_contract_award_notice_counting_its_day()
    {
        var plan = Route("2025-06-02", p => p with { Attributes = Procurement(more: ActFacts("2025-04-01")) }, ProposalKind.Procurement);
        Assert.True(plan.IsComplete);
        PlanAssert.Order(plan, "cabinet-decision", "contract-award-notice", "procurement-act-standstill");
        var standstill = plan.Find("procurement-act-standstill")!.Step;
        Assert.Equal(new StepPeriod(8, DayCounting.WorkingDays) { Anchor = PeriodAnchor.FromStart }, standstill.Duration);
        Assert.Contains("s51", standstill.Source);
        Assert.DoesNotContain("verify", standstill.Source);
        Assert.Contains("s50(1)", plan.Find("contract-award-notice")!.Step.Source);
    }

    [Theory]
    [InlineData("2025-02-23", "PublicContractsRegulations2015", "pcr-standstill")]
    [InlineData("2025-02-24", "ProcurementAct2023ThresholdsBefore2026", "procurement-act-standstill")]
    public void Finding_28_the_regime_changes_for_procurements_commenced_on_24_February_2025_whatever_the_decision_date(string commenced, string rule, string standstill)
    {
        // Decided on the same day in both cases: only the commencement date moves the regime.
        var plan = Route("2025-06-02", p => p with { Attributes = Procurement(more: ActFacts(commenced)) }, ProposalKind.Procurement);
        Assert.True(plan.IsComplete);
        Assert.Contains(plan.MatchedRules, r => r.Rule == rule);
        Assert.True(plan.Requires(standstill));
        Assert.DoesNotContain(plan.Warnings, w => w.Message.Contains("intended decision date"));
    }

    /// <summary>A goods or services contract of £900,000 (above every threshold), competitively tendered, commenced on the date given.</summary>
    private static (string Name, object Value)[] ActFacts(string commenced) => new (string, object)[]
    {
        ("procurementCommenced", Iso(commenced)), ("estimatedValue", 900_000m), ("lightTouch", false), ("worksContract", false), ("procurementProcess", "Competitive"),
    };

    [Theory]
    [InlineData("2025-02-23", "PublicPublicCooperation", "PCR 2015 reg 12")]
    [InlineData("2025-02-24", "PublicPublicCooperationProcurementAct", "Procurement Act 2023 Sch 2 Part 1")]
    public void Finding_30_the_public_public_exemption_is_in_pcr_reg_12_then_the_act_schedule_2(string date, string rule, string source)
    {
        var plan = Route(date, p => p with { Attributes = Procurement(publicPublicCooperation: true) }, ProposalKind.Procurement);
        Assert.True(plan.IsComplete);
        var matched = Assert.Single(plan.MatchedRules, r => r.Rule.StartsWith("PublicPublicCooperation", System.StringComparison.Ordinal));
        Assert.Equal(rule, matched.Rule);
        Assert.StartsWith(source, matched.Source);
        Assert.False(plan.Requires("pcr-standstill") || plan.Requires("procurement-act-standstill"), "no purchase from the market, no standstill");
    }

    [Theory]
    [InlineData("DirectAwardA", false)]
    [InlineData("DirectAwardB", false)]
    [InlineData("DirectAwardC", true)]
    [InlineData("MostSuitableProvider", true)]
    [InlineData("Competitive", true)]
    public void Finding_31_psr_standstill_follows_the_notice_of_intention_and_only_for_processes_that_need_one(string process, bool standstill)
    {
        var attributes = Procurement(healthCareServices: true, more: ("psrProcess", process));
        var plan = Route("2024-06-03", p => p with { Attributes = attributes }, ProposalKind.Procurement);
        Assert.True(plan.IsComplete);
        Assert.Equal(standstill, plan.Requires("psr-standstill"));
        Assert.Equal(standstill, plan.Requires("psr-notice-of-intention"));
        Assert.Equal(!standstill, plan.Warnings.Any(w => w.Rule == "ProviderSelectionRegimeDirectAwardAOrB"));
        if (standstill)
        {
            PlanAssert.Order(plan, "cabinet-decision", "psr-notice-of-intention", "psr-standstill");
            Assert.Contains("reg 12(2)", plan.Find("psr-standstill")!.Step.Source);
        }
    }

    [Fact]
    public void Finding_31_a_psr_procurement_that_does_not_say_its_process_is_incomplete_not_silently_without_a_standstill()
    {
        // Whether the PSR standstill applies turns on the process (reg 12(1)); with psrProcess absent the PSR rules
        // cannot be decided, so the plan says it is incomplete rather than guessing either way.
        var plan = Route("2024-06-03", p => p with { Attributes = Procurement(healthCareServices: true) }, ProposalKind.Procurement);
        Assert.False(plan.IsComplete);
        Assert.Equal(new[] { "ProviderSelectionRegime", "ProviderSelectionRegimeDirectAwardAOrB" }, plan.Incomplete.Select(i => i.Rule).ToArray());
        Assert.All(plan.Incomplete, i =>
        {
            Assert.Equal(IncompleteRuleKind.Undecided, i.Kind);
            Assert.Equal("attribute 'psrProcess'", i.MissingValue);
        });
        Assert.Contains("psr-standstill", plan.Incomplete[0].Steps);
        Assert.False(plan.Requires("psr-standstill"));
        Assert.DoesNotContain(plan.MatchedRules, r => r.Rule.StartsWith("ProviderSelectionRegime", System.StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("2019-03-01", "ccg-governing-body-approval")]
    [InlineData("2023-03-01", "icb-board-approval")]
    public void Finding_13_better_care_fund_spending_plan_hwb_sign_off_nhs_england_approval_then_s75_pooled_fund(string date, string nhsPartner)
    {
        var plan = Route(date, ProposalKind.BcfPlan);
        PlanAssert.Order(plan, nhsPartner, "bcf-hwb-sign-off", "bcf-nhs-england-approval", "s75-agreement", "pooled-fund-reporting");
        PlanAssert.Order(plan, "cabinet-decision", "bcf-hwb-sign-off");
        Assert.Equal("nhs-england", plan.Find("bcf-nhs-england-approval")!.Body!.Id);
        Assert.Contains("s223GA(4)(b)", plan.Find("bcf-nhs-england-approval")!.Step.Source);
        Assert.Contains("policy, not statute", plan.Find("bcf-hwb-sign-off")!.Step.Source);
        Assert.False(plan.Requires("hwb-approval"));
        var bcf = Assert.Single(plan.MatchedRules, r => r.Rule == "BetterCareFundPlan");
        Assert.Contains("s223GA(3)", bcf.Source);
    }

    [Theory]
    [InlineData(true, "PooledFund", "WrittenAgreementPooledFund", "reg 7(3)(a)–(g)")]
    [InlineData(false, "LeadCommissioningByCouncil", "WrittenAgreementCouncilExercisesNhsFunctions", "9(3)(a)–(g)")]
    [InlineData(false, "LeadCommissioningByNhsBody", "WrittenAgreementNhsBodyExercisesCouncilFunctions", "reg 8")]
    public void Finding_6_the_written_agreement_cites_the_contents_for_its_arrangement(bool pooled, string arrangement, string rule, string citation)
    {
        var kinds = pooled ? new[] { ProposalKind.S75Agreement, ProposalKind.PooledBudget } : new[] { ProposalKind.S75Agreement };
        var plan = Route("2023-03-01", p => p with { Attributes = Attrs(("s75Arrangement", arrangement), ("personalDataShared", false), ("changesServiceDelivery", false)) }, kinds);
        Assert.True(plan.IsComplete, string.Join("; ", plan.Incomplete.Select(i => i.Message)));
        var matched = plan.MatchedRules.Where(r => r.Steps.Contains("s75-agreement")).ToList();
        Assert.Equal(rule, Assert.Single(matched).Rule);
        Assert.Contains(citation, matched[0].Source);
        Assert.DoesNotContain(plan.Warnings, w => w.Kind == PlanWarningKind.RuleWarning && w.Message.Contains("does not say which s75 arrangement"));
    }

    [Fact]
    public void Finding_10_an_urgent_safety_change_cites_reg_23_paragraphs_2_and_3()
    {
        var plan = Route("2025-03-01", p => p with { SubstantialVariationOfHealthServices = true, Attributes = Attrs(("riskToSafetyOrWelfare", true)) });
        var rule = Assert.Single(plan.MatchedRules, r => r.Rule == "UrgentChangeForSafety");
        Assert.Contains("reg 23(2)", rule.Source);
        Assert.Contains("reg 23(3)", rule.Source);
        Assert.True(rule.Verify, "the paragraph numbers are not yet checked against the text");
    }

    [Fact]
    public void Finding_31_psr_representations_close_at_the_end_of_the_8th_working_day_after_the_day_after_the_notice()
    {
        // Notice published on the decision day, Mon 3 Jun 2024; the standstill begins Tue 4 Jun (reg 12(2)); the 8th
        // working day after that is Fri 14 Jun (reg 12(3)).
        var plan = new Router(England, new RoutingOptions { Clock = new ManualClock(Instant.FromUtc(2024, 1, 2, 12, 0)) }).Route(new Proposal
        {
            Id = "psr",
            Title = "Community health services",
            DecisionMaker = DecisionMaker.Cabinet,
            IntendedDecisionDate = new LocalDate(2024, 6, 3),
            Kinds = new List<ProposalKind> { ProposalKind.Procurement },
            Attributes = Procurement(healthCareServices: true, more: ("psrProcess", "Competitive")),
        });
        Assert.Equal(new LocalDate(2024, 6, 14), plan.Find("psr-standstill")!.Timing!.EarliestEnd);
    }

    [Theory]
    [InlineData("2014-07-01", "ccg-governing-body-approval")]
    [InlineData("2022-06-30", "ccg-governing-body-approval")]
    [InlineData("2022-07-01", "icb-board-approval")]
    public void Finding_37_darlington_expansion_needs_the_nhs_partner_of_the_day(string date, string nhsPartner)
    {
        var darlington = RuleSet.Load(Repository.PathOf("rules/partnerships/darlington"));
        var plan = new Router(darlington).Route(new Proposal
        {
            Id = "expansion",
            Title = "Expand the commissioning partnership",
            DecisionMaker = DecisionMaker.Cabinet,
            IntendedDecisionDate = NodaTime.Text.LocalDatePattern.Iso.Parse(date).GetValueOrThrow(),
            Kinds = new List<ProposalKind> { ProposalKind.JointCommissioningAgreement },
            Attributes = Attrs(("expandsPartnership", true)),
        });
        Assert.True(plan.Requires(nhsPartner));
        Assert.True(plan.Find(nhsPartner)!.Body!.ExistsOn(plan.DecisionDate));
        Assert.DoesNotContain(plan.Warnings, w => w.Kind == PlanWarningKind.BodyNotInExistence);
    }

    [Fact]
    public void Darlington_6c_appointment_through_cabinet_warns_of_the_officer_employment_rules_pay_policy_and_lgps()
    {
        // The sample leaves chiefOfficer out on purpose (the report does not settle it): both rules that read it are
        // undecided and the plan says it is incomplete.
        var asReported = Plans.Seed("darlington-2014-director-appointment", "darlington", "2014-01-01");
        Assert.False(asReported.IsComplete);
        Assert.Equal(new[] { "ChiefOfficerAppointment", "ChiefOfficerAppointmentRouteNotInReport", "ChiefOfficerTermsWithinPayPolicy" }, asReported.Incomplete.Select(i => i.Rule).Order().ToArray());
        Assert.All(asReported.Incomplete, i => Assert.Equal("attribute 'chiefOfficer'", i.MissingValue));
        Assert.DoesNotContain(asReported.Warnings, w => w.Rule == "ChiefOfficerAppointmentRouteNotInReport" && w.Kind == PlanWarningKind.RuleWarning);

        // Not a chief officer post: it stays with Cabinet, with the warning about the staffing and pension functions.
        var plan = Plans.Seed("darlington-2014-director-appointment", "darlington", "2014-01-01", p => WithChiefOfficer(p, false));
        Assert.True(plan.IsComplete);
        Assert.Equal("cabinet-decision", plan.DecisionStep);
        var warning = Assert.Single(plan.Warnings, w => w.Rule == "ChiefOfficerAppointmentRouteNotInReport" && w.Kind == PlanWarningKind.RuleWarning);
        Assert.Contains("pay policy statement", warning.Message);
        Assert.Contains("LGPS", warning.Message);
        var withFlag = Plans.Seed("darlington-2014-director-appointment", "darlington", "2014-01-01", p => WithChiefOfficer(p, true));
        Assert.True(withFlag.IsComplete);
        Assert.DoesNotContain(withFlag.Warnings, w => w.Rule == "ChiefOfficerAppointmentRouteNotInReport");
        Assert.True(withFlag.Requires("appointments-panel"));
    }

    /// <summary>The proposal with chiefOfficer set, keeping the values the sample already gives.</summary>
    private static Proposal WithChiefOfficer(Proposal proposal, bool chiefOfficer) =>
        proposal with { Attributes = new ProposalAttributes(new Dictionary<string, object>(proposal.Attributes.Values) { ["chiefOfficer"] = chiefOfficer }) };
}
