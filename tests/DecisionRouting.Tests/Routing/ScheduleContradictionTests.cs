using System.IO;
using System.Linq;
using DecisionRouting.Cli;
using DecisionRouting.Proposals;
using DecisionRouting.Routing;
using DecisionRouting.RuleSets;
using DecisionRouting.Tests.Support;
using NodaTime;
using Xunit;

namespace DecisionRouting.Tests.Routing;

/// <summary>
/// A date the proposal's schedule gives that breaks the order of the steps (a step after the decision dated before
/// it, a step dated before one it must follow, an end before a start) is a contradiction, not a discrepancy the plan
/// may excuse: the plan is incomplete, <c>route</c> exits 5, and no date of effect is built on it.
/// </summary>
public sealed class ScheduleContradictionTests
{
    private const string Catalogue = """
        {
          "bodies": [ { "id": "cabinet", "name": "Cabinet", "kind": "Executive" } ],
          "roles": [ { "id": "officer", "name": "Officer" } ],
          "steps": [
            { "id": "n1", "name": "Notice one", "kind": "Notice", "role": "officer", "before": [ "dec" ] },
            { "id": "n2", "name": "Notice two", "kind": "Notice", "role": "officer", "before": [ "dec" ] },
            { "id": "cons", "name": "Consultation", "kind": "Consultation", "role": "officer", "after": [ "n1" ], "before": [ "dec" ], "duration": { "days": 14, "counting": "CalendarDays", "anchor": "FromStart" } },
            { "id": "dec", "name": "Decision", "kind": "Approval", "body": "cabinet" },
            { "id": "ci", "name": "Call-in window", "kind": "CallIn", "body": "cabinet", "after": [ "dec" ], "duration": { "days": 5, "counting": "WorkingDays", "anchor": "AfterDecision" } },
            { "id": "post", "name": "Post-decision consultation", "kind": "Consultation", "role": "officer", "after": [ "dec" ], "duration": { "days": 14, "counting": "CalendarDays", "anchor": "FromStart" } },
            { "id": "rec", "name": "Decision record", "kind": "Notice", "role": "officer", "after": [ "ci" ] }
          ]
        }
        """;

    private const string Rules = """
        {
          "WorkflowName": "main",
          "Rules": [
            { "RuleName": "All", "Expression": "true", "Properties": { "steps": [ "n1", "n2", "cons", "dec", "ci", "post", "rec" ], "source": "test source", "reason": "test reason" } }
          ]
        }
        """;

    private static (RoutingPlan Plan, int Exit, string Out) Route(string schedule)
    {
        using var set = TempRuleSet.With(Catalogue, Rules);
        var proposal = set.Write("proposal.json", $$"""
            { "id": "p", "title": "P", "organisation": "O", "decisionMaker": "Cabinet", "intendedDecisionDate": "2024-06-25", "kinds": [ "Strategy" ], "schedule": { {{schedule}} } }
            """);
        var today = new LocalDate(2024, 6, 1);
        var plan = new Router(RuleSet.Load(set.Directory), new RoutingOptions { Clock = new ManualClock(today.At(new LocalTime(9, 0)).InZoneLeniently(DecisionRouting.Calendar.GovernanceCalendar.London).ToInstant()) })
            .Route(ProposalReader.ReadFile(proposal).Proposal!);
        var stdout = new StringWriter { NewLine = "\n" };
        var stderr = new StringWriter { NewLine = "\n" };
        var exit = Program.Run(new[] { "route", proposal, "--rules", set.Directory, "--today", "2024-06-01" }, stdout, stderr);
        return (plan, exit, stdout.ToString());
    }

    private static void AssertContradiction(RoutingPlan plan, int exit, string check, string step)
    {
        Assert.Contains(plan.Contradictions, c => c.Check == check && c.Step == step && c.Message.Contains("the proposal's schedule gives the dates"));
        Assert.False(plan.IsComplete);
        Assert.Equal(5, exit);
    }

    [Fact]
    public void A_consistent_plan_is_complete()
    {
        var (plan, exit, _) = Route(string.Empty);
        Assert.Empty(plan.Contradictions);
        Assert.Equal(0, exit);
        Assert.NotNull(plan.EffectiveFrom);
    }

    [Fact]
    public void A_call_in_window_the_schedule_dates_before_the_decision_is_a_contradiction()
    {
        var (plan, exit, output) = Route("\"ci\": { \"start\": \"2024-06-20\", \"end\": \"2024-06-21\" }");
        AssertContradiction(plan, exit, PlanContradiction.AfterDecisionDatedBefore, "ci");
        Assert.Contains(plan.Contradictions, c => c.Check == PlanContradiction.CallInClosesBeforeDecision && c.Step == "ci");
        Assert.Null(plan.EffectiveFrom);
        Assert.Contains("INCOMPLETE PLAN", output);
    }

    [Fact]
    public void A_call_in_window_the_schedule_closes_on_the_eve_of_the_decision_makes_no_date_of_effect()
    {
        var (plan, exit, output) = Route("\"ci\": { \"end\": \"2024-06-24\" }");
        AssertContradiction(plan, exit, PlanContradiction.CallInClosesBeforeDecision, "ci");
        Assert.Null(plan.EffectiveFrom);
        Assert.DoesNotContain("effective from the start of Tue 25 Jun", output);
    }

    [Fact]
    public void A_post_decision_consultation_the_schedule_dates_before_the_decision_is_a_contradiction()
    {
        var (plan, exit, _) = Route("\"post\": { \"start\": \"2024-06-01\", \"end\": \"2024-06-14\" }");
        AssertContradiction(plan, exit, PlanContradiction.AfterDecisionDatedBefore, "post");
    }

    [Fact]
    public void A_step_the_schedule_dates_before_its_predecessor_is_a_contradiction()
    {
        // 'rec' follows the call-in window, which closes on Tue 2 Jul; the schedule gives it on Wed 26 Jun.
        var (plan, exit, _) = Route("\"rec\": { \"start\": \"2024-06-26\" }");
        AssertContradiction(plan, exit, PlanContradiction.BeforePredecessor, "rec");
    }

    [Fact]
    public void A_consultation_the_schedule_ends_before_it_can_start_is_a_contradiction()
    {
        // The reader refuses an end before the given start; an end alone before the day the step can start (the
        // decision day, Tue 25 Jun) passed as a mere discrepancy.
        var (plan, exit, _) = Route("\"post\": { \"end\": \"2024-06-24\" }");
        AssertContradiction(plan, exit, PlanContradiction.EndsBeforeStart, "post");
    }
}
