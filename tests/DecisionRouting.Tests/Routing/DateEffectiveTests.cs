using System.Collections.Generic;
using DecisionRouting.Proposals;
using DecisionRouting.Routing;
using DecisionRouting.RuleSets;
using DecisionRouting.Tests.Support;
using NodaTime;

namespace DecisionRouting.Tests.Routing;

/// <summary>Every date-effective boundary in the England baseline, on each side.</summary>
public sealed class DateEffectiveTests
{
    private static readonly Router England = new(RuleSet.Load(Repository.PathOf("rules/england")));

    private static RoutingPlan Route(string date, decimal spend = 0m) => England.Route(new Proposal
    {
        Id = "boundary",
        Title = "Pooled budget with the NHS partner",
        DecisionMaker = DecisionMaker.Cabinet,
        IntendedDecisionDate = NodaTime.Text.LocalDatePattern.Iso.Parse(date).GetValueOrThrow(),
        Kinds = new List<ProposalKind> { ProposalKind.JointCommissioningAgreement },
        FinancialCommitment = spend,
    });

    [Theory]
    [InlineData("2013-03-31", "pct-board-approval")]
    [InlineData("2013-04-01", "ccg-governing-body-approval")]
    [InlineData("2022-06-30", "ccg-governing-body-approval")]
    [InlineData("2022-07-01", "icb-board-approval")]
    public void The_nhs_partner_is_the_pct_then_the_ccg_then_the_icb(string date, string step)
    {
        var plan = Route(date);
        Assert.Single(plan.Steps, s => s.Id is "pct-board-approval" or "ccg-governing-body-approval" or "icb-board-approval");
        Assert.True(plan.Requires(step));
        Assert.True(plan.Find(step)!.Body!.ExistsOn(plan.DecisionDate));
        Assert.DoesNotContain(plan.Warnings, w => w.Kind == PlanWarningKind.BodyNotInExistence);
    }

    [Theory]
    [InlineData("2013-03-31")]
    [InlineData("2013-04-01")]
    [InlineData("2024-01-01")]
    public void The_england_baseline_never_reports_an_agreement_to_the_health_and_wellbeing_board(string date) =>
        Assert.False(Route(date).Requires("hwb-report"), "HSCA 2012 s195 is a duty to encourage integration, not to receive reports");

    [Theory]
    [InlineData("2012-09-09", "forward-plan-entry")]
    [InlineData("2012-09-10", "key-decision-notice")]
    public void The_2012_access_to_information_rules_apply_from_10_september_2012(string date, string notice)
    {
        var plan = Route(date, spend: 2_000_000m);
        Assert.True(plan.Requires(notice));
        Assert.False(plan.Requires(notice == "forward-plan-entry" ? "key-decision-notice" : "forward-plan-entry"));
    }

    [Fact]
    public void Bodies_report_their_own_boundaries()
    {
        var ruleSet = RuleSet.Load(Repository.PathOf("rules/england"));
        Assert.True(ruleSet.Bodies["pct-board"].ExistsOn(new LocalDate(2013, 3, 31)));
        Assert.False(ruleSet.Bodies["pct-board"].ExistsOn(new LocalDate(2013, 4, 1)));
        Assert.False(ruleSet.Bodies["ccg-governing-body"].ExistsOn(new LocalDate(2013, 3, 31)));
        Assert.True(ruleSet.Bodies["ccg-governing-body"].ExistsOn(new LocalDate(2022, 6, 30)));
        Assert.False(ruleSet.Bodies["ccg-governing-body"].ExistsOn(new LocalDate(2022, 7, 1)));
        Assert.False(ruleSet.Bodies["icb-board"].ExistsOn(new LocalDate(2022, 6, 30)));
        Assert.True(ruleSet.Bodies["icb-board"].ExistsOn(new LocalDate(2022, 7, 1)));
    }
}
