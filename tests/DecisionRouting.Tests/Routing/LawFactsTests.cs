using System.Collections.Generic;
using System.Linq;
using DecisionRouting.Proposals;
using DecisionRouting.Routing;
using DecisionRouting.RuleSets;
using DecisionRouting.Tests.Support;
using NodaTime;

namespace DecisionRouting.Tests.Routing;

/// <summary>
/// Issue 13 §2–3, the facts the law turns on (docs/law-review-response.md): each period and regime is chosen by the
/// date the law names (when the proposal to dismiss was made, when the transfer or the first dismissal takes effect,
/// when the health-scrutiny consultation or the procurement began), never by the decision date, and an absent fact
/// leaves its rule undecided. Test names carry the finding or Part C item.
/// </summary>
public sealed class LawFactsTests
{
    private static readonly RuleSet England = RuleSet.Load(Repository.PathOf("rules/england"));

    private static LocalDate D(string iso) => NodaTime.Text.LocalDatePattern.Iso.Parse(iso).GetValueOrThrow();

    private static ProposalAttributes Attrs(params (string Name, object Value)[] values) =>
        new(values.ToDictionary(v => v.Name, v => v.Value switch { string s when s.Length == 10 && s[4] == '-' => D(s), int i => (decimal)i, var other => other }));

    private static RoutingPlan Route(string date, ProposalAttributes attributes, System.Func<Proposal, Proposal>? change = null, params ProposalKind[] kinds)
    {
        var proposal = new Proposal
        {
            Id = "law-facts",
            Title = "Law facts case",
            DecisionMaker = DecisionMaker.Cabinet,
            IntendedDecisionDate = D(date),
            Kinds = new List<ProposalKind>(kinds.Length == 0 ? new[] { ProposalKind.ServiceChange } : kinds),
            Attributes = attributes,
        };
        var changed = (change ?? (p => p))(proposal);

        // These cases are about dated facts, not the NHS duty to involve or the best value duty to consult, which turn
        // on whether services change (law review Part C 6): say they do not, unless the case itself says.
        if (!changed.Attributes.Has("changesServiceDelivery"))
        {
            changed = changed with { Attributes = new ProposalAttributes(new Dictionary<string, object>(changed.Attributes.Values) { ["changesServiceDelivery"] = false }) };
        }

        var plan = new Router(England).Route(changed);
        Assert.Empty(plan.Contradictions);
        return plan;
    }

    private static LocalDate? Latest(RoutingPlan plan, string step) => plan.Find(step)!.Timing!.LatestDate;

    // ---- Findings 1 and 2: restructures, dated from the first dismissal; 45 or 90 days by when the proposal was made ----

    [Fact]
    public void Finding_1_2_a_restructure_dates_hr1_and_collective_consultation_back_from_the_first_dismissal()
    {
        // Fri 1 May 2026 less 45 days is Tue 17 Mar 2026: the latest day to notify HR1 and begin consulting.
        var plan = Route("2026-02-10", Attrs(("proposalToDismissDate", "2026-02-10"), ("firstDismissalDate", "2026-05-01"), ("cosopTransfer", false)), p => p with { ProposedRedundancies = 120, StaffAffected = 300 }, ProposalKind.Restructure);
        Assert.True(plan.IsComplete, string.Join("; ", plan.Incomplete.Select(i => i.Message)));
        Assert.Equal(D("2026-03-17"), Latest(plan, "hr1-notification-45"));
        Assert.Equal(D("2026-03-17"), Latest(plan, "collective-consultation-45"));
        Assert.Contains("Fri 1 May 2026", plan.Find("hr1-notification-45")!.Timing!.Basis);
        Assert.Contains("s193(1)(a)–(b)", plan.Find("hr1-notification-45")!.Step.Source);
        Assert.True(plan.Requires("staff-consultation"));
        Assert.Contains(plan.MatchedRules, r => r.Rule == "Restructure");
    }

    [Fact]
    public void Finding_1_2_twenty_to_99_redundancies_are_dated_30_days_back_from_the_first_dismissal()
    {
        var plan = Route("2020-01-06", Attrs(("firstDismissalDate", "2020-03-02"), ("cosopTransfer", false)), p => p with { ProposedRedundancies = 25 }, ProposalKind.Restructure);
        // Mon 2 Mar 2020 less 30 days (29 in February 2020) is Sat 1 Feb 2020.
        Assert.Equal(D("2020-02-01"), Latest(plan, "hr1-notification-30"));
        Assert.Equal(D("2020-02-01"), Latest(plan, "collective-consultation-30"));
        Assert.Contains("s193(2)(a)–(b)", plan.Find("hr1-notification-30")!.Step.Source);
    }

    [Theory]
    [InlineData("2012-06-01", "2012-10-01", "2012-07-03", 90)] // a 2012 proposal and a 2012 first dismissal: 90 days
    [InlineData("2013-04-05", "2013-09-02", "2013-06-04", 90)] // made the day before 6 Apr 2013: still 90, whenever dismissed
    [InlineData("2013-04-06", "2013-09-02", "2013-07-19", 45)] // made on 6 Apr 2013: 45
    public void Finding_2_the_period_follows_when_the_proposal_to_dismiss_was_made_not_the_decision(string proposed, string firstDismissal, string latest, int days)
    {
        // The decision is on 1 Mar 2013 in every case: the old rules, keyed on it, chose 90 days for all three.
        var plan = Route("2013-03-01", Attrs(("proposalToDismissDate", proposed), ("firstDismissalDate", firstDismissal), ("cosopTransfer", false)), p => p with { ProposedRedundancies = 150 }, ProposalKind.Restructure);
        Assert.Equal(days, plan.Find($"hr1-notification-{days}")!.Step.Duration!.Days);
        Assert.Equal(D(latest), Latest(plan, $"hr1-notification-{days}"));
        Assert.Equal(D(latest), Latest(plan, $"collective-consultation-{days}"));
        Assert.Single(plan.Steps, s => s.Id.StartsWith("hr1-notification-", System.StringComparison.Ordinal));
        Assert.DoesNotContain(plan.Warnings, w => w.Kind == PlanWarningKind.RuleWarning && w.Message.Contains("intended decision date"));
    }

    [Fact]
    public void Finding_2_without_the_date_of_the_proposal_to_dismiss_the_period_is_undecided_not_guessed()
    {
        var plan = Route("2013-03-01", Attrs(("firstDismissalDate", "2013-09-02"), ("cosopTransfer", false)), p => p with { ProposedRedundancies = 150 }, ProposalKind.Restructure);
        Assert.False(plan.IsComplete);
        Assert.Equal(new[] { "CollectiveRedundancies100OrMore", "CollectiveRedundancies100OrMoreBefore6April2013" }, plan.Incomplete.Select(i => i.Rule).OrderBy(r => r, System.StringComparer.Ordinal).ToArray());
        Assert.All(plan.Incomplete, i => Assert.Equal("attribute 'proposalToDismissDate'", i.MissingValue));
        Assert.DoesNotContain(plan.Steps, s => s.Id.StartsWith("hr1-", System.StringComparison.Ordinal));
    }

    [Fact]
    public void Finding_1_without_a_first_dismissal_date_hr1_is_left_undated_and_the_plan_says_why()
    {
        var plan = Route("2020-01-06", Attrs(("cosopTransfer", false)), p => p with { ProposedRedundancies = 25 }, ProposalKind.Restructure);
        Assert.True(plan.IsComplete);
        foreach (var step in new[] { "hr1-notification-30", "collective-consultation-30" })
        {
            Assert.Null(Latest(plan, step));
            Assert.Contains(plan.Warnings, w => w.Kind == PlanWarningKind.PeriodNotSet && w.Step == step && w.Message.Contains("before the proposal's 'firstDismissalDate'") && w.Message.Contains("the proposal does not give it"));
        }
    }

    [Theory]
    [InlineData(25, "hr1-notification-30")]
    [InlineData(120, "hr1-notification-45")]
    public void Finding_1_the_before_any_dismissal_notice_limb_is_the_hr1_steps_before(int redundancies, string hr1)
    {
        Assert.Contains("redundancy-dismissal-notices", England.Steps[hr1].Before);
        Assert.Empty(England.Steps["redundancy-dismissal-notices"].After);
        var plan = Route("2020-01-06", Attrs(("proposalToDismissDate", "2020-01-06"), ("firstDismissalDate", "2020-06-01"), ("cosopTransfer", false)), p => p with { ProposedRedundancies = redundancies }, ProposalKind.Restructure);
        PlanAssert.Order(plan, hr1, "redundancy-dismissal-notices");
    }

    // ---- Finding 3 and Part C item 4: TUPE by the transfer date, COSOP, pensions ----

    [Theory]
    [InlineData("2014-03-03", "2014-06-02", "employee-liability-information", 28, "2014-05-05")] // decided before 1 May 2014, transfer after: 28
    [InlineData("2013-06-03", "2013-10-01", "employee-liability-information-14", 14, "2013-09-17")] // a 2013 transfer: 14
    [InlineData("2014-06-02", "2014-04-30", "employee-liability-information-14", 14, "2014-04-16")] // recorded after a transfer on 30 Apr 2014: 14
    public void Finding_3_employee_liability_information_follows_the_transfer_date_and_is_dated_back_from_it(string decided, string transfer, string step, int days, string latest)
    {
        var plan = Route(decided, Attrs(("transferDate", transfer)), p => p with { TupeTransfer = true });
        Assert.True(plan.IsComplete);
        Assert.Equal(days, plan.Find(step)!.Step.Duration!.Days);
        Assert.Single(plan.Steps, s => s.Id.StartsWith("employee-liability-information", System.StringComparison.Ordinal));
        Assert.Equal(D(latest), Latest(plan, step));
        Assert.Contains("reg 11(6)", plan.Find(step)!.Step.Source);
    }

    [Fact]
    public void Finding_3_a_tupe_transfer_without_its_date_is_undecided()
    {
        var plan = Route("2014-03-03", ProposalAttributes.Empty, p => p with { TupeTransfer = true });
        Assert.False(plan.IsComplete);
        Assert.All(plan.Incomplete, i => Assert.Equal("attribute 'transferDate'", i.MissingValue));
        Assert.Contains(plan.Incomplete, i => i.Rule == "TupeTransfer");
        Assert.DoesNotContain(plan.Steps, s => s.Id.StartsWith("employee-liability-information", System.StringComparison.Ordinal));
    }

    [Fact]
    public void Finding_3_a_transfer_before_TUPE_2006_has_no_employee_liability_information_and_warns()
    {
        var plan = Route("2005-09-01", Attrs(("transferDate", "2006-01-02")), p => p with { TupeTransfer = true });
        Assert.DoesNotContain(plan.Steps, s => s.Id.StartsWith("employee-liability-information", System.StringComparison.Ordinal));
        Assert.True(plan.Requires("tupe-consultation"));
        Assert.Contains(plan.Warnings, w => w.Rule == "TupeTransferBefore6April2006" && w.Message.Contains("TUPE 1981"));
    }

    [Fact]
    public void PartC_4_a_transfer_between_public_bodies_follows_cosop_with_pension_protection()
    {
        var plan = Route("2024-09-02", Attrs(("cosopTransfer", true)), p => p with { StaffAffected = 40 }, ProposalKind.Restructure);
        Assert.True(plan.IsComplete);
        Assert.True(plan.Requires("cosop-staff-transfer"));
        Assert.True(plan.Requires("staff-pension-protection"));
        var rule = Assert.Single(plan.MatchedRules, r => r.Rule == "CosopTransfer");
        Assert.Contains("reg 3(5)", rule.Source);
        PlanAssert.Order(plan, "cabinet-decision", "cosop-staff-transfer");
        Assert.Contains("LGPS", plan.Find("staff-pension-protection")!.Step.Source);
    }

    [Fact]
    public void PartC_4_a_restructure_that_does_not_say_whether_cosop_applies_is_undecided_and_tupe_brings_pensions()
    {
        var restructure = Route("2024-09-02", ProposalAttributes.Empty, p => p with { StaffAffected = 40 }, ProposalKind.Restructure);
        Assert.Contains(restructure.Incomplete, i => i.Rule == "CosopTransfer" && i.MissingValue == "attribute 'cosopTransfer'");
        var tupe = Route("2024-09-02", Attrs(("transferDate", "2024-12-02")), p => p with { TupeTransfer = true });
        Assert.True(tupe.Requires("staff-pension-protection"));
        Assert.False(tupe.Requires("cosop-staff-transfer"));
    }

    [Fact]
    public void PartC_5_council_nhs_staff_sharing_in_integrated_teams_is_an_s113_1A_agreement()
    {
        var plan = Route("2023-01-09", ProposalAttributes.Empty, kinds: ProposalKind.Secondment);
        var rule = Assert.Single(plan.MatchedRules, r => r.Rule == "Secondment");
        Assert.Contains("s113(1A)(a)–(b)", rule.Source);
        Assert.Contains("integrated teams", rule.Reason);
        PlanAssert.Order(plan, "secondee-consultation", "s113-agreement");
    }

    // ---- Finding 6 and Part C item 3: which s75 arrangement, and the pooled fund's manager ----

    [Theory]
    [InlineData("PooledFund", "WrittenAgreementPooledFund", "reg 7(3)(a)–(g)", "pooled-fund-reporting")]
    [InlineData("LeadCommissioningByCouncil", "WrittenAgreementCouncilExercisesNhsFunctions", "9(3)(a)–(g)", "nhs-functions-reporting")]
    [InlineData("IntegratedProvisionByCouncil", "WrittenAgreementCouncilExercisesNhsFunctions", "9(4)", "nhs-functions-reporting")]
    [InlineData("LeadCommissioningByNhsBody", "WrittenAgreementNhsBodyExercisesCouncilFunctions", "reg 8", null)]
    [InlineData("IntegratedProvisionByNhsBody", "WrittenAgreementNhsBodyExercisesCouncilFunctions", "reg 8", null)]
    public void Finding_6_each_s75_arrangement_gets_the_written_agreement_contents_of_its_regulation(string arrangement, string rule, string citation, string? reporting)
    {
        var plan = Route("2023-03-01", Attrs(("s75Arrangement", arrangement), ("personalDataShared", false)), kinds: ProposalKind.S75Agreement);
        Assert.True(plan.IsComplete, string.Join("; ", plan.Incomplete.Select(i => i.Message)));
        var matched = Assert.Single(plan.MatchedRules, r => r.Steps.Contains("s75-agreement"));
        Assert.Equal(rule, matched.Rule);
        Assert.Contains(citation, matched.Source);
        Assert.Equal(reporting == "pooled-fund-reporting", plan.Requires("pooled-fund-manager-designated"));
        if (reporting is not null)
        {
            PlanAssert.Order(plan, "s75-agreement", reporting);
        }
    }

    [Theory]
    [InlineData("NotSettled", "S75ArrangementNotSettled", "does not settle")]
    [InlineData("Pooled", "S75ArrangementNotRecognised", "not one of")]
    public void Finding_6_an_unsettled_or_misspelt_arrangement_still_needs_the_agreement_and_says_so(string arrangement, string rule, string warning)
    {
        var plan = Route("2023-03-01", Attrs(("s75Arrangement", arrangement), ("personalDataShared", false)), kinds: ProposalKind.S75Agreement);
        Assert.True(plan.Requires("s75-agreement"));
        Assert.Contains(plan.Warnings, w => w.Rule == rule && w.Message.Contains(warning));
    }

    [Fact]
    public void Finding_6_an_s75_agreement_that_does_not_say_which_arrangement_is_undecided()
    {
        var plan = Route("2023-03-01", Attrs(("personalDataShared", false)), kinds: ProposalKind.S75Agreement);
        Assert.False(plan.IsComplete);
        Assert.Contains(plan.Incomplete, i => i.Rule == "WrittenAgreementCouncilExercisesNhsFunctions" && i.MissingValue == "attribute 's75Arrangement'");
        Assert.False(plan.Requires("nhs-functions-reporting"));
    }

    [Fact]
    public void PartC_3_the_host_designates_its_pooled_fund_manager_before_the_agreement_who_then_reports()
    {
        var plan = Route("2023-03-01", ProposalAttributes.Empty, kinds: ProposalKind.PooledBudget);
        PlanAssert.Order(plan, "pooled-fund-manager-designated", "s75-agreement", "pooled-fund-reporting");
        Assert.Equal("s151-officer", plan.Find("pooled-fund-manager-designated")!.Role!.Id);
        Assert.Equal("s151-officer", plan.Find("pooled-fund-reporting")!.Role!.Id);
        Assert.Contains("reg 7(4)", plan.Find("pooled-fund-manager-designated")!.Step.Source);
    }

    // ---- Finding 13: the Better Care Fund's order, written with before on the BCF's own step ----

    [Theory]
    [InlineData("2022-06-30", "ccg-governing-body-approval")]
    [InlineData("2022-07-01", "icb-board-approval")]
    public void Finding_13_the_spending_plan_is_agreed_then_signed_off_then_approved_then_pooled_on_either_side_of_July_2022(string date, string nhsPartner)
    {
        var plan = Route(date, ProposalAttributes.Empty, kinds: ProposalKind.BcfPlan);
        PlanAssert.Order(plan, nhsPartner, "bcf-hwb-sign-off", "bcf-nhs-england-approval", "s75-agreement", "pooled-fund-reporting");
        Assert.Contains("s75-agreement", England.Steps["bcf-nhs-england-approval"].Before);
        Assert.DoesNotContain("bcf-nhs-england-approval", England.Steps["s75-agreement"].After);
        Assert.False(plan.Requires(nhsPartner == "icb-board-approval" ? "ccg-governing-body-approval" : "icb-board-approval"));
    }

    // ---- Finding 9: the Secretary of State's call-in turns on when the consultation began ----

    [Theory]
    [InlineData("2024-03-01", "2024-01-30", false)] // decided after 31 Jan 2024, consulted before: not notifiable
    [InlineData("2024-01-31", "2024-01-31", true)]
    [InlineData("2025-03-03", "2024-11-04", true)]
    public void Finding_9_notifiability_follows_when_the_reg_23_consultation_began_not_the_decision(string decided, string consulted, bool notified)
    {
        var plan = Route(decided, Attrs(("riskToSafetyOrWelfare", false), ("healthScrutinyConsultationStarted", consulted)), p => p with { SubstantialVariationOfHealthServices = true });
        Assert.True(plan.IsComplete);
        Assert.Equal(notified, plan.Requires("secretary-of-state-notified"));
        Assert.Equal(!notified, plan.MatchedRules.Any(r => r.Rule == "ReconfigurationConsultedBefore31January2024" && r.Source!.Contains("SI 2024/15 reg 3")));
        Assert.DoesNotContain(plan.Warnings, w => w.Rule == "SecretaryOfStateNotified");
    }

    [Fact]
    public void Finding_9_without_the_consultation_start_notification_is_undecided_and_a_safety_change_is_never_notifiable()
    {
        var unknown = Route("2025-03-03", Attrs(("riskToSafetyOrWelfare", false)), p => p with { SubstantialVariationOfHealthServices = true });
        Assert.Contains(unknown.Incomplete, i => i.Rule == "SecretaryOfStateNotified" && i.MissingValue == "attribute 'healthScrutinyConsultationStarted'");
        var urgent = Route("2025-03-03", Attrs(("riskToSafetyOrWelfare", true)), p => p with { SubstantialVariationOfHealthServices = true });
        Assert.True(urgent.IsComplete);
        Assert.False(urgent.Requires("secretary-of-state-notified"));
    }

    // ---- Findings 27–29: the Procurement Act by commencement, thresholds and notices ----

    private static ProposalAttributes Procurement(string commenced, decimal value, bool lightTouch = false, bool works = false, string process = "Competitive") =>
        Attrs(("publicPublicCooperation", false), ("healthCareServices", false), ("procurementCommenced", commenced), ("estimatedValue", value),
              ("lightTouch", lightTouch), ("worksContract", works), ("procurementProcess", process));

    [Fact]
    public void Finding_28_a_procurement_commenced_before_24_February_2025_and_decided_after_stays_under_pcr_2015()
    {
        var plan = Route("2025-06-02", Procurement("2025-01-10", 900_000m), kinds: ProposalKind.Procurement);
        Assert.True(plan.IsComplete);
        Assert.Contains(plan.MatchedRules, r => r.Rule == "PublicContractsRegulations2015");
        Assert.True(plan.Requires("pcr-standstill"));
        Assert.False(plan.Requires("contract-award-notice"));
        var act = Route("2025-02-20", Procurement("2025-02-24", 900_000m), kinds: ProposalKind.Procurement);
        Assert.True(act.Requires("procurement-act-standstill"));
        Assert.False(act.Requires("pcr-standstill"));
    }

    [Fact]
    public void Finding_28_a_procurement_that_does_not_say_when_it_commenced_is_undecided()
    {
        var plan = Route("2025-06-02", Attrs(("publicPublicCooperation", false), ("healthCareServices", false)), kinds: ProposalKind.Procurement);
        Assert.False(plan.IsComplete);
        Assert.Contains(plan.Incomplete, i => i.Rule == "PublicContractsRegulations2015" && i.MissingValue == "attribute 'procurementCommenced'");
        Assert.Contains(plan.Incomplete, i => i.Rule == "ProcurementAct2023");
        Assert.False(plan.Requires("pcr-standstill") || plan.Requires("procurement-act-standstill"));
    }

    [Theory]
    [InlineData("2026-01-05", 207_720, false, false, "ProcurementAct2023")]
    [InlineData("2026-01-05", 207_719, false, false, "ProcurementAct2023BelowThreshold")]
    [InlineData("2026-01-05", 663_540, true, false, "ProcurementAct2023")]
    [InlineData("2026-01-05", 663_539, true, false, "ProcurementAct2023BelowThreshold")]
    [InlineData("2026-01-05", 5_193_000, false, true, "ProcurementAct2023")]
    [InlineData("2026-01-05", 5_192_999, false, true, "ProcurementAct2023BelowThreshold")]
    [InlineData("2025-12-31", 214_904, false, false, "ProcurementAct2023ThresholdsBefore2026")]
    [InlineData("2025-12-31", 214_903, false, false, "ProcurementAct2023BelowThreshold")]
    [InlineData("2025-12-31", 5_372_609, false, true, "ProcurementAct2023ThresholdsBefore2026")]
    [InlineData("2025-12-31", 5_200_000, false, true, "ProcurementAct2023BelowThreshold")]
    public void Finding_29_the_threshold_is_the_one_in_force_when_the_procurement_commenced(string commenced, int value, bool lightTouch, bool works, string rule)
    {
        var plan = Route("2026-02-02", Procurement(commenced, value, lightTouch, works), kinds: ProposalKind.Procurement);
        Assert.True(plan.IsComplete, string.Join("; ", plan.Incomplete.Select(i => i.Message)));
        var matched = Assert.Single(plan.MatchedRules, r => r.Rule.StartsWith("ProcurementAct2023", System.StringComparison.Ordinal));
        Assert.Equal(rule, matched.Rule);
        var above = rule != "ProcurementAct2023BelowThreshold";
        Assert.Equal(above, plan.Requires("procurement-act-standstill"));
        Assert.Equal(above, plan.Requires("tender-notice"));
        Assert.Equal(rule == "ProcurementAct2023ThresholdsBefore2026", matched.Verify);
        if (rule == "ProcurementAct2023")
        {
            Assert.Contains(lightTouch ? "£663,540" : works ? "£5,193,000" : "£207,720", matched.Source);
        }

        if (!above)
        {
            Assert.Contains(plan.Warnings, w => w.Rule == rule && w.Message.Contains("Part 6"));
        }
    }

    /// <summary>
    /// A PCR 2015 procurement's facts: before 1 January 2022 the thresholds were net of VAT (SI 2021/1221 reg 3(3)), so the
    /// value is given as estimatedValueNetOfVat; from then on as estimatedValue (including VAT).
    /// </summary>
    private static ProposalAttributes PcrProcurement(string commenced, decimal value, bool lightTouch, bool works)
    {
        var net = NodaTime.Text.LocalDatePattern.Iso.Parse(commenced).GetValueOrThrow() < new LocalDate(2022, 1, 1);
        return Attrs(("publicPublicCooperation", false), ("healthCareServices", false), ("procurementCommenced", commenced),
                     (net ? "estimatedValueNetOfVat" : "estimatedValue", value), ("lightTouch", lightTouch), ("worksContract", works));
    }

    [Theory]
    // From 1 January 2024 (SI 2023/1117 reg 2(2)), including VAT.
    [InlineData("2025-02-21", 214_904, false, false, "PublicContractsRegulations2015")]
    [InlineData("2025-02-21", 214_903, false, false, null)]
    [InlineData("2024-01-01", 5_372_609, false, true, "PublicContractsRegulations2015")]
    [InlineData("2024-01-01", 5_372_608, false, true, null)]
    [InlineData("2024-06-03", 663_540, true, false, "PublicContractsRegulations2015LightTouch")]
    [InlineData("2024-06-03", 663_539, true, false, null)]
    // From 1 January 2022 (SI 2021/1221 reg 3(2)), including VAT: £214,000 was above then, below from 2024.
    [InlineData("2023-12-29", 213_477, false, false, "PublicContractsRegulations2015Thresholds2022")]
    [InlineData("2023-12-29", 213_476, false, false, null)]
    [InlineData("2022-01-04", 5_336_937, false, true, "PublicContractsRegulations2015Thresholds2022")]
    [InlineData("2022-01-04", 5_336_936, false, true, null)]
    [InlineData("2022-01-04", 663_540, true, false, "PublicContractsRegulations2015LightTouch")]
    [InlineData("2022-01-04", 663_539, true, false, null)]
    // From 1 January 2020, net of VAT.
    [InlineData("2021-12-31", 189_330, false, false, "PublicContractsRegulations2015ThresholdsBefore2022")]
    [InlineData("2021-12-31", 189_329, false, false, null)]
    [InlineData("2020-01-02", 4_733_252, false, true, "PublicContractsRegulations2015ThresholdsBefore2022")]
    [InlineData("2020-01-02", 4_733_251, false, true, null)]
    [InlineData("2020-01-02", 663_540, true, false, "PublicContractsRegulations2015LightTouch")]
    [InlineData("2020-01-02", 663_539, true, false, null)]
    // From 1 January 2018, net of VAT.
    [InlineData("2019-12-31", 181_302, false, false, "PublicContractsRegulations2015ThresholdsBefore2022")]
    [InlineData("2019-12-31", 181_301, false, false, null)]
    [InlineData("2018-01-02", 4_551_413, false, true, "PublicContractsRegulations2015ThresholdsBefore2022")]
    [InlineData("2018-01-02", 4_551_412, false, true, null)]
    [InlineData("2018-01-02", 615_278, true, false, "PublicContractsRegulations2015LightTouch")]
    [InlineData("2018-01-02", 615_277, true, false, null)]
    // From 1 January 2016, net of VAT.
    [InlineData("2017-12-29", 164_176, false, false, "PublicContractsRegulations2015ThresholdsBefore2022")]
    [InlineData("2017-12-29", 164_175, false, false, null)]
    [InlineData("2016-01-04", 4_104_394, false, true, "PublicContractsRegulations2015ThresholdsBefore2022")]
    [InlineData("2016-01-04", 4_104_393, false, true, null)]
    [InlineData("2016-01-04", 589_148, true, false, "PublicContractsRegulations2015LightTouch")]
    [InlineData("2016-01-04", 589_147, true, false, null)]
    // PCR 2015 as made (26 February 2015) to 31 December 2015, net of VAT.
    [InlineData("2015-12-31", 172_514, false, false, "PublicContractsRegulations2015ThresholdsBefore2022")]
    [InlineData("2015-12-31", 172_513, false, false, null)]
    [InlineData("2015-06-01", 4_322_012, false, true, "PublicContractsRegulations2015ThresholdsBefore2022")]
    [InlineData("2015-06-01", 4_322_011, false, true, null)]
    [InlineData("2015-06-01", 625_050, true, false, "PublicContractsRegulations2015LightTouch")]
    [InlineData("2015-06-01", 625_049, true, false, null)]
    public void Finding_29_the_pcr_2015_threshold_is_the_one_in_force_when_the_procurement_commenced(string commenced, int value, bool lightTouch, bool works, string? rule)
    {
        // Decided after the Act came into force: only the commencement date chooses PCR 2015 and its threshold.
        var plan = Route("2025-06-02", PcrProcurement(commenced, value, lightTouch, works), kinds: ProposalKind.Procurement);
        Assert.True(plan.IsComplete, string.Join("; ", plan.Incomplete.Select(i => i.Message)));
        var matched = Assert.Single(plan.MatchedRules, r => r.Rule.StartsWith("PublicContractsRegulations2015", System.StringComparison.Ordinal));
        Assert.Equal(rule ?? "PublicContractsRegulations2015BelowThreshold", matched.Rule);
        Assert.Equal(rule is not null, plan.Requires("pcr-standstill"));
        Assert.False(plan.Requires("procurement-act-standstill"));
        Assert.DoesNotContain(plan.MatchedRules, r => r.Rule.StartsWith("ProcurementAct2023", System.StringComparison.Ordinal));
        // Only the thresholds read in the amending SIs are checked; the earlier ones and the light touch figure say what to verify.
        Assert.Equal(rule is "PublicContractsRegulations2015ThresholdsBefore2022" or "PublicContractsRegulations2015LightTouch", matched.Verify);
        if (rule is null)
        {
            Assert.Contains(plan.Warnings, w => w.Rule == "PublicContractsRegulations2015BelowThreshold" && w.Message.Contains("Contracts Finder"));
        }
    }

    [Fact]
    public void Finding_29_the_same_value_is_above_the_2022_threshold_and_below_the_2024_one()
    {
        var in2023 = Route("2025-06-02", PcrProcurement("2023-12-29", 214_000m, false, false), kinds: ProposalKind.Procurement);
        var in2024 = Route("2025-06-02", PcrProcurement("2024-01-02", 214_000m, false, false), kinds: ProposalKind.Procurement);
        Assert.True(in2023.Requires("pcr-standstill"));
        Assert.False(in2024.Requires("pcr-standstill"));
        Assert.Contains("SI 2021/1221", Assert.Single(in2023.MatchedRules, r => r.Rule == "PublicContractsRegulations2015Thresholds2022").Source);
    }

    [Fact]
    public void Finding_29_before_2022_the_value_net_of_vat_is_needed_and_without_it_the_plan_is_incomplete()
    {
        // A 2019 procurement given only the VAT-inclusive value: the threshold then was net of VAT, so the plan cannot say.
        var plan = Route("2025-06-02", Attrs(("publicPublicCooperation", false), ("healthCareServices", false), ("procurementCommenced", "2019-03-01"),
                                            ("estimatedValue", 900_000m), ("lightTouch", false), ("worksContract", false)), kinds: ProposalKind.Procurement);
        Assert.False(plan.IsComplete);
        Assert.Contains(plan.Incomplete, i => i.MissingValue == "attribute 'estimatedValueNetOfVat'");
        Assert.False(plan.Requires("pcr-standstill"));
    }

    [Fact]
    public void Checked_2026_11_30_a_competitive_award_cites_s20_1_and_s21_1_for_its_tender_notice_and_is_no_longer_unverified()
    {
        // Read: Procurement Act 2023 s20(1) (enacted) and SI 2024/692 reg 19(1), which publishes the tender notice under s21(1).
        var plan = Route("2026-03-02", Procurement("2026-01-12", 1_000_000m, process: "Competitive"), kinds: ProposalKind.Procurement);
        var rule = Assert.Single(plan.MatchedRules, r => r.Rule == "ProcurementActCompetitiveTender");
        Assert.False(rule.Verify);
        Assert.Contains("s20(1)", rule.Source);
        var step = plan.Find("tender-notice")!.Step;
        Assert.Contains("s20(1)", step.Source);
        Assert.Contains("s21(1)", step.Source);
        Assert.DoesNotContain("verify", step.Source);
    }

    [Theory]
    [InlineData("Competitive", "tender-notice")]
    [InlineData("DirectAward", "transparency-notice")]
    public void Finding_29_the_act_notices_are_steps_tender_or_transparency_then_award_standstill_and_contract_details(string process, string opening)
    {
        var plan = Route("2026-03-02", Procurement("2026-01-12", 1_000_000m, process: process), kinds: ProposalKind.Procurement);
        Assert.True(plan.IsComplete);
        PlanAssert.Order(plan, opening, "contract-award-notice", "procurement-act-standstill", "contract-details-notice");
        Assert.False(plan.Requires(opening == "tender-notice" ? "transparency-notice" : "tender-notice"));
        Assert.Contains("s53", plan.Find("contract-details-notice")!.Step.Source);
        Assert.Contains(opening == "tender-notice" ? "s21" : "s44", plan.Find(opening)!.Step.Source);
    }

    [Fact]
    public void Finding_27_the_standstill_starts_with_the_contract_award_notice_after_the_call_in()
    {
        var plan = Route("2026-03-02", Procurement("2026-01-12", 1_000_000m), kinds: ProposalKind.Procurement);
        PlanAssert.Order(plan, "cabinet-decision", "contract-award-notice", "procurement-act-standstill");
        Assert.Equal(new StepPeriod(8, DayCounting.WorkingDays) { Anchor = PeriodAnchor.FromStart }, plan.Find("procurement-act-standstill")!.Step.Duration);
    }

    // ---- Part C item 1: personal data shared ----

    [Fact]
    public void PartC_1_sharing_personal_data_needs_a_dpia_before_the_decision_and_an_agreement_before_any_sharing()
    {
        var plan = Route("2019-10-16", Attrs(("personalDataShared", true)), kinds: ProposalKind.JointCommissioningAgreement);
        Assert.True(plan.IsComplete);
        PlanAssert.Order(plan, "data-protection-impact-assessment", "cabinet-decision", "data-sharing-agreement");
        PlanAssert.Order(plan, "data-protection-impact-assessment", "data-sharing-agreement");
        var rule = Assert.Single(plan.MatchedRules, r => r.Rule == "PersonalDataSharedUnderUkGdpr");
        Assert.Contains("Art 35(1)", rule.Source);
        Assert.Contains("Art 26", rule.Source);
        Assert.Equal("data-protection-officer", plan.Find("data-protection-impact-assessment")!.Role!.Id);
    }

    [Fact]
    public void Checked_2026_11_30_sharing_personal_data_before_the_gdpr_cites_the_first_principle_and_s52A_and_needs_an_agreement()
    {
        // Read: DPA 1998 Sch 1 Part I para 1 and s52A (inserted by the Coroners and Justice Act 2009 s174).
        var plan = Route("2017-05-02", Attrs(("personalDataShared", true)), kinds: ProposalKind.JointCommissioningAgreement);
        Assert.True(plan.IsComplete);
        var rule = Assert.Single(plan.MatchedRules, r => r.Rule == "PersonalDataSharedBeforeGdpr");
        Assert.False(rule.Verify);
        Assert.Contains("Sch 1 Part I", rule.Source);
        Assert.Contains("s52A", rule.Source);
        Assert.True(plan.Requires("data-sharing-agreement"));
        Assert.False(plan.Requires("data-protection-impact-assessment"));
    }

    [Fact]
    public void PartC_1_no_personal_data_no_dpia_and_unsaid_is_undecided_but_only_from_25_May_2018()
    {
        Assert.False(Route("2019-10-16", Attrs(("personalDataShared", false)), kinds: ProposalKind.JointCommissioningAgreement).Requires("data-protection-impact-assessment"));
        var unsaid = Route("2019-10-16", ProposalAttributes.Empty, kinds: ProposalKind.JointCommissioningAgreement);
        Assert.Contains(unsaid.Incomplete, i => i.Rule == "PersonalDataSharedUnderUkGdpr" && i.MissingValue == "attribute 'personalDataShared'");
        var before = Route("2018-04-24", ProposalAttributes.Empty, kinds: ProposalKind.JointCommissioningAgreement);
        Assert.True(before.IsComplete);
        Assert.False(before.Requires("data-protection-impact-assessment"));
        var before2018 = Route("2013-07-15", Attrs(("personalDataShared", true)), kinds: ProposalKind.JointCommissioningAgreement);
        Assert.True(before2018.Requires("data-sharing-agreement"));
        Assert.False(before2018.Requires("data-protection-impact-assessment"));
    }

    // ---- The illustrative England samples (samples/proposals/england) route complete, with the dates they describe ----

    [Theory]
    [InlineData("restructure-2026-redundancies", "hr1-notification-45", "2026-03-17")]
    [InlineData("restructure-2026-redundancies", "collective-consultation-45", "2026-03-17")]
    [InlineData("tupe-2026-service-transfer", "employee-liability-information", "2026-08-04")]
    [InlineData("procurement-2026-home-care", "contract-details-notice", null)]
    [InlineData("s75-2026-lead-commissioning", "data-protection-impact-assessment", "2026-07-14")]
    public void The_england_samples_route_complete_with_the_steps_and_dates_their_descriptions_give(string sample, string step, string? latest)
    {
        var read = ProposalReader.ReadFile(Repository.PathOf($"samples/proposals/england/{sample}.json"));
        Assert.Empty(read.Diagnostics);
        var plan = new Router(England).Route(read.Proposal!);
        Assert.True(plan.IsComplete, string.Join("; ", plan.Incomplete.Select(i => i.Message)));
        Assert.Empty(plan.Contradictions);
        Assert.DoesNotContain(plan.Warnings, w => w.Kind == PlanWarningKind.UndeclaredAttribute);
        Assert.Equal(latest is null ? null : D(latest), Latest(plan, step));
    }
}
