using System;
using System.Collections.Generic;
using System.Linq;
using DecisionRouting.Proposals;
using DecisionRouting.Routing;
using DecisionRouting.RuleSets;
using DecisionRouting.Tests.Calendar;
using DecisionRouting.Tests.Support;
using NodaTime;

namespace DecisionRouting.Tests.Routing;

/// <summary>The dates a plan carries, on the England baseline and its partnership sets.</summary>
public sealed class PlanDatesTests
{
    private static readonly RuleSet England = RuleSet.Load(Repository.PathOf("rules/england"));

    private static Proposal Cabinet(string date, Action<Dictionary<string, StepDates>>? schedule = null, IReadOnlyList<int>? exempt = null, decimal spend = 900000m)
    {
        var given = new Dictionary<string, StepDates>();
        schedule?.Invoke(given);
        return new Proposal
        {
            Id = "dates",
            Title = "Pooled budget",
            DecisionMaker = DecisionMaker.Cabinet,
            IntendedDecisionDate = D(date),
            Kinds = new List<ProposalKind> { ProposalKind.PooledBudget },
            FinancialCommitment = spend,
            ExemptParagraphs = exempt ?? Array.Empty<int>(),
            Schedule = given,
        };
    }

    private static RoutingPlan Route(Proposal proposal, string today, RuleSet? ruleSet = null) =>
        new Router(ruleSet ?? England, new RoutingOptions { Clock = new FixedClock(DateTimeOffset.Parse(today + "T09:00:00Z", System.Globalization.CultureInfo.InvariantCulture)) }).Route(proposal);

    private static LocalDate D(string iso) => NodaTime.Text.LocalDatePattern.Iso.Parse(iso).GetValueOrThrow();

    [Fact]
    public void Private_meeting_needs_28_then_5_clear_days_KD6()
    {
        var plan = Route(Cabinet("2018-04-24", exempt: new[] { 3 }), "2018-01-01");
        Assert.Equal(D("2018-03-26"), plan.Find("private-meeting-notice")!.Timing!.LatestDate);
        Assert.Equal(D("2018-04-18"), plan.Find("private-meeting-second-notice")!.Timing!.LatestDate);
        Assert.Equal(D("2018-04-16"), plan.Find("meeting-notice")!.Timing!.LatestDate); // 5 clear working days
        Assert.Equal(D("2018-04-16"), plan.Find("finance-sign-off")!.Timing!.LatestDate); // signed off before dispatch
    }

    [Fact]
    public void Too_late_for_the_private_meeting_notice_needs_the_chairs_agreement_KD6()
    {
        var plan = Route(Cabinet("2018-04-24", exempt: new[] { 3 }), "2018-04-02");
        Assert.Contains(plan.UrgencyRoutes, r => r.Impracticable == "private-meeting-notice" && r.Instead == "private-meeting-urgency-agreement");
        Assert.Contains(plan.UrgencyRoutes, r => r.Impracticable == "key-decision-notice" && r.Instead == "general-exception-notice");
        Assert.Equal("scrutiny-chair", plan.Find("private-meeting-urgency-agreement")!.Role!.Id);
    }

    [Fact]
    public void Too_late_for_the_second_private_meeting_notice_the_chairs_agreement_covers_it_too_reg_5_6()
    {
        // Reg 5(6) applies where compliance with "this regulation" (both notices) is impracticable.
        var plan = Route(Cabinet("2018-04-24", exempt: new[] { 3 }), "2018-04-20");
        Assert.DoesNotContain(plan.Warnings, w => w.Kind == PlanWarningKind.DateCannotBeMet);
        Assert.False(plan.Requires("private-meeting-second-notice"));
        Assert.True(plan.Requires("private-meeting-urgency-agreement"));
    }

    [Fact]
    public void A_notice_already_published_is_not_replaced_by_an_urgency_route()
    {
        var plan = Route(Cabinet("2018-04-24", s => s["key-decision-notice"] = new StepDates(D("2018-03-20"), null)), "2018-04-10");
        Assert.Empty(plan.UrgencyRoutes);
        Assert.True(plan.Find("key-decision-notice")!.Timing!.FromSchedule);
        Assert.DoesNotContain(plan.Warnings, w => w.Kind == PlanWarningKind.ScheduleDiscrepancy);
    }

    [Fact]
    public void A_notice_published_late_is_flagged()
    {
        var plan = Route(Cabinet("2018-04-24", s => s["key-decision-notice"] = new StepDates(D("2018-03-30"), null)), "2018-01-01");
        var warning = Assert.Single(plan.Warnings, w => w.Kind == PlanWarningKind.ScheduleDiscrepancy);
        Assert.Contains("after the latest day Mon 26 Mar 2018", warning.Message);
    }

    [Fact]
    public void Dates_for_a_step_the_plan_does_not_require_are_flagged()
    {
        var plan = Route(Cabinet("2018-04-24", s => s["tupe-consultation"] = new StepDates(D("2018-03-01"), D("2018-04-01"))), "2018-01-01");
        Assert.Contains(plan.Warnings, w => w.Kind == PlanWarningKind.ScheduleDiscrepancy && w.Step == "tupe-consultation" && w.Message.Contains("does not require"));
    }

    [Fact]
    public void A_consultation_shorter_than_its_period_is_flagged()
    {
        var croydon = RuleSet.Load(Repository.PathOf("rules/partnerships/croydon"));
        var proposal = Cabinet("2013-07-15", s => s["staff-consultation"] = new StepDates(D("2013-07-23"), D("2013-08-20"))) with { StaffAffected = 10 };
        var plan = Route(proposal, "2013-01-01", croydon);
        Assert.Contains(plan.Warnings, w => w.Kind == PlanWarningKind.ScheduleDiscrepancy && w.Message.Contains("shorter than 42 calendar days, which would end Mon 2 Sep 2013"));
    }

    [Fact]
    public void The_baseline_has_no_call_in_period_so_effective_from_is_unknown()
    {
        var plan = Route(Cabinet("2018-04-24"), "2018-01-01");
        Assert.Null(plan.EffectiveFrom);
        Assert.Contains(plan.Warnings, w => w.Kind == PlanWarningKind.PeriodNotSet && w.Step == "call-in-window");
    }

    [Fact]
    public void A_council_decision_takes_effect_on_the_day()
    {
        var proposal = Cabinet("2019-10-23") with { DecisionMaker = DecisionMaker.FullCouncil, Kinds = new List<ProposalKind> { ProposalKind.ConstitutionChange } };
        var plan = Route(proposal, "2019-01-01");
        Assert.Equal("full-council-approval", plan.DecisionStep);
        Assert.Equal(new LocalDateTime(2019, 10, 23, 0, 0), plan.EffectiveFrom!.Value.LocalDateTime);
    }

    [Fact]
    public void Doncaster_call_in_is_five_working_days_so_the_decision_is_effective_from_2_May_2018()
    {
        var doncaster = RuleSet.Load(Repository.PathOf("rules/partnerships/doncaster"));
        var plan = Route(Cabinet("2018-04-24") with { Kinds = new List<ProposalKind> { ProposalKind.JointCommissioningAgreement } }, "2018-01-01", doncaster);
        Assert.Equal(D("2018-05-01"), plan.Find("call-in-window")!.Timing!.EarliestEnd);
        Assert.Equal(new LocalDateTime(2018, 5, 2, 0, 0), plan.EffectiveFrom!.Value.LocalDateTime);
    }

    [Fact]
    public void Procurement_act_standstill_counts_the_contract_award_notice_day_as_day_one_PR2()
    {
        // Procurement Act 2023 s51: eight working days beginning with the day the contract award notice is published.
        // Published at the earliest on the decision day, Fri 19 Dec 2025, the eighth working day (skipping Christmas,
        // Boxing Day and New Year's Day) is Fri 2 Jan 2026; counted from the day after, as before, it was Mon 5 Jan.
        // Bought from the market (no public–public cooperation) and not health care services, commenced after
        // 24 Feb 2025 and above the threshold then in force: the Act applies.
        var proposal = Cabinet("2025-12-19") with
        {
            Kinds = new List<ProposalKind> { ProposalKind.Procurement },
            Attributes = new ProposalAttributes(new Dictionary<string, object>
            {
                ["publicPublicCooperation"] = false, ["healthCareServices"] = false, ["procurementCommenced"] = new LocalDate(2025, 9, 1),
                ["estimatedValue"] = 900_000m, ["lightTouch"] = false, ["worksContract"] = false, ["procurementProcess"] = "Competitive",
            }),
        };
        var plan = Route(proposal, "2025-01-01");
        Assert.True(plan.IsComplete);
        var standstill = plan.Find("procurement-act-standstill")!.Timing!;
        Assert.Equal(D("2025-12-19"), standstill.EarliestStart);
        Assert.Equal(D("2026-01-02"), standstill.EarliestEnd);
        Assert.False(plan.Requires("pcr-standstill"));
    }
}
