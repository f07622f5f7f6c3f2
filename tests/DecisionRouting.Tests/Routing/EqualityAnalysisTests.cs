using System.Collections.Generic;
using System.Linq;
using DecisionRouting.Proposals;
using DecisionRouting.Routing;
using DecisionRouting.RuleSets;
using DecisionRouting.Tests.Support;
using NodaTime;

namespace DecisionRouting.Tests.Routing;

/// <summary>
/// Issue 13: a report that defers its equality analysis. The public sector equality duty (Equality Act 2010 s149(1))
/// is discharged before and at the time of the decision, so <c>equalityAnalysis: Deferred</c> warns; the other values,
/// and no value, keep the equality impact assessment step before the decision without a warning.
/// </summary>
public sealed class EqualityAnalysisTests
{
    private static readonly RuleSet England = RuleSet.Load(Repository.PathOf("rules/england"));

    private static RoutingPlan Route(string? analysis, DecisionMaker maker = DecisionMaker.Cabinet)
    {
        var attributes = new Dictionary<string, object> { ["changesServiceDelivery"] = false };
        if (analysis is not null)
        {
            attributes["equalityAnalysis"] = analysis;
        }

        return new Router(England, new RoutingOptions { Clock = new ManualClock(new LocalDate(2025, 1, 2).AtMidnight().InUtc().ToInstant()) }).Route(new Proposal
        {
            Id = "equality",
            Title = "Equality analysis",
            DecisionMaker = maker,
            IntendedDecisionDate = new LocalDate(2025, 6, 20),
            Kinds = new List<ProposalKind> { ProposalKind.ServiceChange },
            Attributes = new ProposalAttributes(attributes),
        });
    }

    [Theory]
    [InlineData(DecisionMaker.Cabinet)]
    [InlineData(DecisionMaker.Officer)]
    [InlineData(DecisionMaker.FullCouncil)]
    public void A_deferred_equality_analysis_warns_citing_s149_and_keeps_the_assessment_before_the_decision(DecisionMaker maker)
    {
        var plan = Route("Deferred", maker);

        var warning = Assert.Single(plan.Warnings, w => w.Rule == "EqualityAnalysisDeferred" && w.Kind == PlanWarningKind.RuleWarning);
        Assert.Contains("Equality Act 2010 s149(1)", warning.Message);
        Assert.Contains("[2008] EWHC 3158 (Admin)", warning.Message);
        Assert.Contains("[2013] EWCA Civ 1345", warning.Message);
        PlanAssert.Order(plan, "equality-impact-assessment", plan.DecisionStep!);
    }

    [Theory]
    [InlineData("Completed")]
    [InlineData("NotRequired")]
    [InlineData(null)]
    public void A_completed_or_screened_out_or_unstated_analysis_does_not_warn_and_the_plan_stays_complete(string? analysis)
    {
        var plan = Route(analysis);

        Assert.DoesNotContain(plan.Warnings, w => w.Rule is "EqualityAnalysisDeferred" or "EqualityAnalysisNotUnderstood");
        Assert.True(plan.Requires("equality-impact-assessment"));
        Assert.DoesNotContain(plan.Incomplete, r => r.Rule.StartsWith("EqualityAnalysis", System.StringComparison.Ordinal));
    }

    [Fact]
    public void A_misspelt_value_is_not_silently_taken_as_done()
    {
        var plan = Route("Defered");

        Assert.Contains(plan.Warnings, w => w.Rule == "EqualityAnalysisNotUnderstood" && w.Message.Contains("Completed, Deferred or NotRequired"));
        Assert.DoesNotContain(plan.Warnings, w => w.Rule == "EqualityAnalysisDeferred");
    }

    [Fact]
    public void The_nhs_boards_own_decision_is_left_to_its_own_duty_rules()
    {
        var plan = Route("Deferred", DecisionMaker.NhsBoard);

        Assert.DoesNotContain(plan.Warnings, w => w.Rule == "EqualityAnalysisDeferred");
    }
}
