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
        var plan = Route(date, p => p with { ProposedRedundancies = 120 });
        Assert.Equal(days, Days(plan, consultation));
        Assert.Equal(days, Days(plan, hr1));
        Assert.Single(plan.Steps, s => s.Id.StartsWith("hr1-notification-", System.StringComparison.Ordinal));
        Assert.Single(plan.Steps, s => s.Id.StartsWith("collective-consultation-", System.StringComparison.Ordinal));
    }

    [Fact]
    public void Finding_2_the_pre_2013_period_warns_that_it_turns_on_when_the_proposal_to_dismiss_was_made()
    {
        var plan = Route("2012-06-01", p => p with { ProposedRedundancies = 150 });
        Assert.Contains(plan.Warnings, w => w.Rule == "CollectiveRedundancies100OrMoreBefore6April2013" && w.Message.Contains("6 April 2013"));
        Assert.DoesNotContain(Route("2014-06-01", p => p with { ProposedRedundancies = 150 }).Warnings, w => w.Rule == "CollectiveRedundancies100OrMoreBefore6April2013");
    }

    [Theory]
    [InlineData(25, "hr1-notification-30", "s193(2)(a)–(b)")]
    [InlineData(100, "hr1-notification-45", "s193(1)(a)–(b)")]
    public void Finding_1_hr1_cites_the_subsection_for_its_threshold_and_both_limbs(int redundancies, string hr1, string citation)
    {
        var plan = Route("2020-01-01", p => p with { ProposedRedundancies = redundancies });
        Assert.Contains(citation, plan.Find(hr1)!.Step.Source);
        Assert.Contains("before any dismissal notice", plan.Find(hr1)!.Step.Name);
    }

    [Theory]
    [InlineData(25)]
    [InlineData(100)]
    public void Finding_1_dismissal_notices_come_only_after_the_hr1_notice(int redundancies)
    {
        var plan = Route("2020-01-01", p => p with { ProposedRedundancies = redundancies });
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
        var plan = Route(date, p => p with { TupeTransfer = true });
        Assert.Equal(days, Days(plan, step));
        Assert.Single(plan.Steps, s => s.Id.StartsWith("employee-liability-information", System.StringComparison.Ordinal));
        Assert.True(plan.Requires("tupe-consultation"));
        Assert.Equal(date == "2014-04-30", plan.Warnings.Any(w => w.Rule == "TupeTransferBefore1May2014"));
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
        var attributes = new ProposalAttributes(new Dictionary<string, object> { ["riskToSafetyOrWelfare"] = risk });
        var plan = Route("2025-03-01", p => p with { SubstantialVariationOfHealthServices = true, Attributes = attributes });
        Assert.Equal(notified, plan.Requires("secretary-of-state-notified"));
        Assert.Equal(risk, plan.Requires("urgent-change-notified"));
    }

    [Fact]
    public void Finding_9_the_call_in_is_described_correctly_and_the_plan_warns_that_notifiability_turns_on_the_consultation_start()
    {
        var plan = Route("2025-03-01", p => p with { SubstantialVariationOfHealthServices = true });
        var step = plan.Find("secretary-of-state-notified")!.Step;
        Assert.DoesNotContain("within 6 months", step.Name);
        Assert.Contains("6 months from the direction", step.Description);
        Assert.Contains("SI 2024/15 regs 2–3", step.Source);
        Assert.Contains(plan.Warnings, w => w.Rule == "SecretaryOfStateNotified" && w.Message.Contains("consultation with the council began"));
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
        Assert.Contains("Part I ", doncaster.Steps["executive-objection-window"].Source + " ");
        Assert.Contains("Part II", England.Steps["executive-objection-window"].Source);
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
}
