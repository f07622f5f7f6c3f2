using System.IO;
using DecisionRouting.Cli;
using DecisionRouting.Proposals;
using DecisionRouting.Routing;
using DecisionRouting.RuleSets;
using DecisionRouting.Tests.Support;
using NodaTime;
using Xunit;

namespace DecisionRouting.Tests.Routing;

/// <summary>
/// A plan in which no step is the decision-maker's decision cannot date the decision, its call-in or its effect; it
/// says so (NoDecisionStep) and, for decisions taken at a meeting or by the executive, is incomplete.
/// </summary>
public sealed class NoDecisionStepTests
{
    private static (RoutingPlan Plan, int Exit, string Out) Route(string maker)
    {
        using var folder = new TempRuleSet();
        var proposal = folder.Write("proposal.json", $$"""
            { "id": "p", "title": "P", "organisation": "O", "decisionMaker": "{{maker}}", "intendedDecisionDate": "2024-06-25", "kinds": [ "PooledBudget" ], "financialCommitment": 600000 }
            """);
        var today = new LocalDate(2024, 6, 1);
        var plan = new Router(RuleSet.Load(Repository.PathOf("rules/england")), new RoutingOptions { Clock = new ManualClock(today.At(new LocalTime(9, 0)).InZoneLeniently(DecisionRouting.Calendar.GovernanceCalendar.London).ToInstant()) })
            .Route(ProposalReader.ReadFile(proposal).Proposal!);
        var stdout = new StringWriter { NewLine = "\n" };
        var stderr = new StringWriter { NewLine = "\n" };
        var exit = Program.Run(new[] { "route", proposal, "--rules", Repository.PathOf("rules/england"), "--today", "2024-06-01" }, stdout, stderr);
        return (plan, exit, stdout.ToString());
    }

    // A cabinet member was the other case until issue 13 gave it its decision step (cabinet-member-decision).
    [Theory]
    [InlineData("Committee")]
    public void A_plan_without_the_decision_makers_decision_step_says_so_and_is_incomplete(string maker)
    {
        var (plan, exit, output) = Route(maker);
        Assert.NotEmpty(plan.Steps);
        Assert.Null(plan.DecisionStep);
        Assert.Null(plan.EffectiveFrom);
        Assert.Contains(plan.Warnings, w => w.Kind == PlanWarningKind.NoDecisionStep && w.Message.Contains($"({maker})") && w.Message.Contains("cannot date the decision"));
        Assert.True(plan.DecisionStepMissing);
        Assert.False(plan.IsComplete);
        Assert.Equal(5, exit);
        Assert.Contains("no decision step", output);
    }

    [Fact]
    public void A_plan_with_the_decision_step_has_no_such_warning()
    {
        var (plan, _, _) = Route("Cabinet");
        Assert.NotNull(plan.DecisionStep);
        Assert.DoesNotContain(plan.Warnings, w => w.Kind == PlanWarningKind.NoDecisionStep);
        Assert.False(plan.DecisionStepMissing);
    }
}
