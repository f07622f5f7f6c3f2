using System;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using DecisionRouting.Lifecycle;
using DecisionRouting.Lifecycle.Graph;
using DecisionRouting.Stores;
using DecisionRouting.Tests.Support;
using Microsoft.Data.Sqlite;
using NodaTime;
using NodaTime.Text;

namespace DecisionRouting.Tests.Lifecycle;

/// <summary>
/// The Croydon 2013 seed driven through its plan on a real SQLite file: the main path, parallel sign-offs, refusals
/// with their reasons, notice and consultation periods, call-in and its outcomes, deferral, withdrawal and rejection.
/// </summary>
public sealed class ProposalLifecycleTests : IDisposable
{
    private const string Id = "croydon-2013-integrated-commissioning-unit";
    private static readonly Actor Clerk = new("Dem Services", "democratic-services");
    private static readonly Actor CabinetClerk = new("Cabinet Clerk", "clerk-to-cabinet");
    private static readonly Actor ScrutinyChair = new("Cllr Chair", "scrutiny-chair");
    private readonly string directory = Directory.CreateTempSubdirectory("dr-lifecycle-").FullName;
    private readonly ManualClock clock = new(At("2013-06-01T09:00"));
    private readonly ProposalLifecycle lifecycle;
    private readonly SqliteProposalStore store;

    public ProposalLifecycleTests()
    {
        store = new SqliteProposalStore(Path.Combine(directory, "cases.db"));
        lifecycle = new ProposalLifecycle(store, new LifecycleOptions { Clock = clock });
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(directory, recursive: true);
    }

    [Fact]
    public async Task Croydon_follows_the_main_path_with_sign_offs_in_any_order()
    {
        await DecideAsync("2013-07-15T19:00");
        Assert.Equal(CaseState.Decided, (await store.FindAsync(Id))!.State);

        await Accept(TriggerRequest.Complete("decision-record", Clerk), "2013-07-16T10:00");
        var status = await lifecycle.StatusAsync(Id, At("2013-07-17T10:00"));

        Assert.Equal(CaseState.CallInWindow, status.Case.State);

        // Croydon: call-in closes at 13:00 on the 5th working day after the decision (Mon 22 Jul 2013, BST).
        Assert.Equal(Instant.FromUtc(2013, 7, 22, 12, 0), status.CallInCloses!.Value.ToInstant());
        Assert.Contains(status.Permitted, p => p.Trigger == CaseTrigger.CallIn && p.Roles.Contains("scrutiny-chair"));
        var ending = Assert.Single(status.Blocked, b => b.Trigger == CaseTrigger.EndCallInPeriod);
        Assert.Equal("The call-in period runs until Mon 22 Jul 2013 13:00", Assert.Single(ending.Reasons));

        await Refuse(new TriggerRequest(CaseTrigger.EndCallInPeriod, Clerk), "2013-07-22T12:59", "runs until Mon 22 Jul 2013 13:00");
        var effective = await Accept(new TriggerRequest(CaseTrigger.EndCallInPeriod, Clerk), "2013-07-22T13:00");

        Assert.Equal(CaseState.Effective, effective.Case.State);
        Assert.True(effective.Case.IsComplete("call-in-window"));
        var states = (await lifecycle.HistoryAsync(Id)).Where(h => h.Accepted).Select(h => h.To).Distinct();
        Assert.Equal(new[] { CaseState.Draft, CaseState.InProgress, CaseState.Decided, CaseState.CallInWindow, CaseState.Effective }, states);
        Assert.True((await AuditChain.VerifyAsync(store)).IsIntact);
    }

    [Fact]
    public async Task A_step_cannot_complete_before_its_predecessors_and_says_which()
    {
        await StartAsync();

        var refused = await Refuse(TriggerRequest.Complete("meeting-notice", Clerk), "2013-06-03T10:00");

        Assert.Equal(
            new[]
            {
                "'Financial implications signed off' (finance-sign-off) must be completed first",
                "'Legal implications signed off' (legal-sign-off) must be completed first",
                "'Human resources implications signed off' (hr-sign-off) must be completed first",
                "'Equality impact assessment (due regard to the PSED)' (equality-impact-assessment) must be completed first",
            },
            refused.Reasons);
    }

    [Fact]
    public async Task Only_the_steps_roles_may_complete_it_and_the_refusal_is_audited()
    {
        await StartAsync();

        var refused = await Refuse(TriggerRequest.Complete("finance-sign-off", new Actor("Mo", "monitoring-officer")), "2013-06-03T10:00");
        var history = await lifecycle.HistoryAsync(Id);

        Assert.Equal("Only s151-officer may complete 'finance-sign-off'; Mo acts as monitoring-officer", Assert.Single(refused.Reasons));
        var entry = history[^1];
        Assert.False(entry.Accepted);
        Assert.Equal(("Mo", "monitoring-officer", "finance-sign-off"), (entry.Actor, entry.Roles, entry.Step));
        Assert.Equal(CaseState.InProgress, entry.To);
        Assert.Contains("Only s151-officer", entry.Detail);
        Assert.Equal(1, (await store.FindAsync(Id))!.Version);
    }

    [Fact]
    public async Task The_decision_waits_for_the_key_decision_notice_to_run_28_clear_days()
    {
        await SignOffsAsync("2013-06-03T10:00");
        await Accept(TriggerRequest.Complete("key-decision-notice", Clerk), "2013-06-20T10:00");
        await Accept(TriggerRequest.Complete("meeting-notice", Clerk), "2013-07-05T10:00");

        var early = await Refuse(TriggerRequest.Complete("cabinet-decision", CabinetClerk), "2013-07-18T19:00");
        var onTime = await Accept(TriggerRequest.Complete("cabinet-decision", CabinetClerk), "2013-07-19T19:00");

        Assert.Equal(
            "'Publish the key-decision notice (forward plan)' was given on Thu 20 Jun 2013 and must run 28 clear calendar days before the decision: 'Cabinet decides' cannot be completed before Fri 19 Jul 2013",
            Assert.Single(early.Reasons));
        Assert.Equal(CaseState.Decided, onTime.Case.State);
    }

    [Fact]
    public async Task The_staff_consultation_runs_its_six_weeks_after_call_in()
    {
        await EffectiveAsync();

        var early = await Refuse(TriggerRequest.Complete("staff-consultation", new Actor("HR", "hr-lead")), "2013-09-01T10:00");
        var done = await Accept(TriggerRequest.Complete("staff-consultation", new Actor("HR", "hr-lead")), "2013-09-03T10:00");

        // Call-in ended Mon 22 Jul: 42 calendar days counting that day end on Sun 1 Sep.
        Assert.Contains("runs for 42 calendar days: it cannot be completed until it ends at the end of Sun 1 Sep 2013", Assert.Single(early.Reasons));
        Assert.Equal(CaseState.Effective, done.Case.State);
    }

    [Fact]
    public async Task A_call_in_referred_back_is_reconsidered_once_and_then_takes_effect()
    {
        await DecidedAndPublishedAsync();

        await Accept(new TriggerRequest(CaseTrigger.CallIn, ScrutinyChair), "2013-07-18T10:00");
        var council = await Refuse(new TriggerRequest(CaseTrigger.ReferToFullCouncil, ScrutinyChair), "2013-07-25T20:00", "contrary to the budget or policy framework");
        await Accept(new TriggerRequest(CaseTrigger.ReferBack, ScrutinyChair), "2013-07-25T20:00");
        var confirmed = await Accept(new TriggerRequest(CaseTrigger.ConfirmDecision, CabinetClerk), "2013-08-05T19:00");

        Assert.Equal(CaseState.CalledIn, council.Case.State);
        Assert.Equal(CaseState.Effective, confirmed.Case.State);
        Assert.True(confirmed.Case.Reconsidered);
        await Refuse(new TriggerRequest(CaseTrigger.CallIn, ScrutinyChair), "2013-08-06T10:00", "CallIn is not possible while the case is Effective");
    }

    [Fact]
    public async Task A_call_in_after_the_period_closes_is_refused()
    {
        await DecidedAndPublishedAsync();

        await Refuse(new TriggerRequest(CaseTrigger.CallIn, ScrutinyChair), "2013-07-22T13:01", "The call-in period closed at Mon 22 Jul 2013 13:00");
    }

    [Fact]
    public async Task A_budget_or_policy_framework_decision_can_go_to_full_council_which_may_refer_it_back()
    {
        var plan = Plans.Seed(Id, "croydon", "2013-06-01");
        var budget = DecisionRouting.Lifecycle.CasePlan.From(plan) with { AffectsBudgetAndPolicyFramework = true };
        await lifecycle.CreateAsync(budget, Clerk, Id);
        await DecidedAndPublishedAsync(create: false);
        await Accept(new TriggerRequest(CaseTrigger.CallIn, ScrutinyChair), "2013-07-18T10:00");

        var referred = await Accept(new TriggerRequest(CaseTrigger.ReferToFullCouncil, ScrutinyChair), "2013-07-25T20:00");
        await Refuse(new TriggerRequest(CaseTrigger.ReferBack, ScrutinyChair), "2013-08-01T20:00", "Only clerk-to-full-council or democratic-services may fire ReferBack");
        var back = await Accept(new TriggerRequest(CaseTrigger.ReferBack, new Actor("Council Clerk", "clerk-to-full-council")), "2013-08-01T20:00");
        var rejected = await Accept(new TriggerRequest(CaseTrigger.Reject, CabinetClerk), "2013-08-05T19:00");

        Assert.Equal(CaseState.ReferredToFullCouncil, referred.Case.State);
        Assert.Equal(CaseState.Reconsidering, back.Case.State);
        Assert.Equal(CaseState.Rejected, rejected.Case.State);
    }

    [Fact]
    public async Task An_urgent_plan_without_call_in_takes_effect_at_the_decision()
    {
        var plan = Plans.Seed(Id, "croydon", "2013-06-01", p => p with { Urgent = true, UrgencyReason = "Contract start" });
        Assert.False(plan.Requires("call-in-window"));
        await lifecycle.CreateAsync(plan, Clerk);
        await StartAsync(create: false);
        await CompleteAncestorsOfDecisionAsync(plan.DecisionStep!);

        var decided = await Accept(TriggerRequest.Complete("cabinet-decision", CabinetClerk), "2013-07-15T19:00");

        Assert.Equal(CaseState.Effective, decided.Case.State);
    }

    [Fact]
    public async Task The_call_in_exemption_named_by_the_call_in_step_ends_the_window_at_once()
    {
        var frozen = DecisionRouting.Lifecycle.CasePlan.From(Plans.Seed(Id, "croydon", "2013-06-01"));
        var exemption = new CaseStep { Id = "call-in-urgency-exemption", Name = "Scrutiny chair agrees the decision is urgent", Kind = StepKind.SignOff, Roles = new[] { "scrutiny-chair" }, After = new[] { "decision-record" } };
        var steps = frozen.Steps.Select(s => s.Kind == StepKind.CallIn ? s with { IfImpracticable = exemption.Id } : s).Append(exemption).ToList();
        await lifecycle.CreateAsync(frozen with { Steps = steps }, Clerk, Id);
        await DecidedAndPublishedAsync(create: false);
        Assert.Equal(CaseState.CallInWindow, (await store.FindAsync(Id))!.State);

        var exempt = await Accept(TriggerRequest.Complete("call-in-urgency-exemption", ScrutinyChair), "2013-07-16T11:00");

        Assert.Equal(CaseState.Effective, exempt.Case.State);
        Assert.Equal("The decision is exempt from call-in as urgent", exempt.Audit.Detail);
        Assert.Contains("exempt from call-in", exempt.Case.Completed["call-in-window"].By);
    }

    [Fact]
    public async Task Deferral_needs_a_new_date_and_resumes_in_progress()
    {
        await StartAsync();

        await Refuse(new TriggerRequest(CaseTrigger.Defer, Clerk), "2013-06-05T10:00", "Give the new intended decision date");
        await Refuse(new TriggerRequest(CaseTrigger.Defer, Clerk) { NewDecisionDate = new LocalDate(2013, 6, 1) }, "2013-06-05T10:00", "must be after today (Wed 5 Jun 2013)");
        var deferred = await Accept(new TriggerRequest(CaseTrigger.Defer, Clerk) { NewDecisionDate = new LocalDate(2013, 9, 16) }, "2013-06-05T10:00");
        await Refuse(TriggerRequest.Complete("finance-sign-off", new Actor("F", "s151-officer")), "2013-06-06T10:00", "'finance-sign-off' cannot be completed while the case is Deferred");
        var resumed = await Accept(new TriggerRequest(CaseTrigger.Resume, Clerk), "2013-07-01T10:00");

        Assert.Equal(CaseState.Deferred, deferred.Case.State);
        Assert.Equal("Decision deferred from 2013-07-15 to 2013-09-16", deferred.Audit.Detail);
        Assert.Equal((CaseState.InProgress, new LocalDate(2013, 9, 16)), (resumed.Case.State, resumed.Case.DecisionDate));
    }

    [Fact]
    public async Task Withdrawal_and_rejection_end_the_case()
    {
        await StartAsync();
        await Refuse(new TriggerRequest(CaseTrigger.Withdraw, new Actor("F", "s151-officer")), "2013-06-05T10:00", "Only commissioning-lead or chief-executive may fire Withdraw");
        var withdrawn = await Accept(new TriggerRequest(CaseTrigger.Withdraw, new Actor("Lead", "commissioning-lead")), "2013-06-05T10:00");

        Assert.Equal(CaseState.Withdrawn, withdrawn.Case.State);
        var status = await lifecycle.StatusAsync(Id);
        Assert.Empty(status.Permitted);
        await Refuse(new TriggerRequest(CaseTrigger.Start, Clerk), "2013-06-06T10:00", "Start is not possible while the case is Withdrawn; nothing more can happen to it");
    }

    [Fact]
    public async Task An_unknown_step_is_refused_with_a_suggestion()
    {
        await StartAsync();

        await Refuse(TriggerRequest.Complete("finance-signoff", new Actor("F", "s151-officer")), "2013-06-05T10:00", "'finance-signoff' is not a step of this case's plan; did you mean 'finance-sign-off'?");
    }

    [Fact]
    public async Task Status_lists_who_may_do_what_and_what_is_blocked()
    {
        await StartAsync();

        var status = await lifecycle.StatusAsync(Id, At("2013-06-02T10:00"));

        var finance = Assert.Single(status.Permitted, p => p.Step == "finance-sign-off");
        Assert.Equal(new[] { "s151-officer" }, finance.Roles);
        var decision = Assert.Single(status.Blocked, b => b.Step == "cabinet-decision");
        Assert.Equal(new[] { "clerk-to-cabinet" }, decision.Roles);
        Assert.Contains("'Publish the meeting notice, agenda and report' (meeting-notice) must be completed first", decision.Reasons);
        Assert.Equal(status.Case.Plan.Steps.Count, status.Outstanding.Count);
    }

    [Fact]
    public async Task An_urgency_route_in_the_plan_is_the_step_the_case_needs()
    {
        // Doncaster 2018, routed on 27 Mar: too late for the forward plan, so the plan takes the general exception.
        var plan = Plans.Seed("doncaster-2018-joint-commissioner-agreement", "doncaster", "2018-03-27");
        clock.Now = At("2018-03-27T09:00");
        var created = await lifecycle.CreateAsync(plan, Clerk);
        await lifecycle.FireAsync(created.Id, new TriggerRequest(CaseTrigger.Start, Clerk));

        var status = await lifecycle.StatusAsync(created.Id);

        Assert.Contains(status.Permitted, p => p.Step == "general-exception-notice");
        Assert.DoesNotContain(status.Permitted.Concat<object>(status.Blocked), t => t.ToString()!.Contains("key-decision-notice", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(CaseGraphFormat.Mermaid, "class InProgress current")]
    [InlineData(CaseGraphFormat.Dot, "\"InProgress\" [style=\"filled\"")]
    public async Task The_graph_shows_every_state_and_highlights_the_current_one(CaseGraphFormat format, string highlight)
    {
        await StartAsync();

        var graph = await lifecycle.GraphAsync(Id, format);

        Assert.Contains(highlight, graph);
        Assert.Contains("CompleteStep finance-sign-off", graph);
        Assert.All(Enum.GetNames<CaseState>(), state => Assert.Contains(state, graph));
    }

    private static Instant At(string london) =>
        LocalDateTimePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd'T'HH':'mm").Parse(london).Value.InZoneLeniently(DateTimeZoneProviders.Tzdb["Europe/London"]).ToInstant();

    private async Task<FireOutcome> Accept(TriggerRequest request, string at)
    {
        var outcome = await lifecycle.FireAsync(Id, request with { At = At(at) });
        Assert.True(outcome.Accepted, string.Join("; ", outcome.Reasons));
        return outcome;
    }

    private async Task<FireOutcome> Refuse(TriggerRequest request, string at, string? reason = null)
    {
        var outcome = await lifecycle.FireAsync(Id, request with { At = At(at) });
        Assert.False(outcome.Accepted, $"{request.Trigger} {request.Step} was accepted");
        if (reason is not null)
        {
            Assert.Contains(outcome.Reasons, r => r.Contains(reason, StringComparison.Ordinal));
        }

        return outcome;
    }

    /// <summary>Whatever the plan needs before the decision, done on 3 Jun 2013 by whoever it names.</summary>
    private async Task CompleteAncestorsOfDecisionAsync(string decision)
    {
        var before = (await store.FindAsync(Id))!.Plan.Ancestors(decision);
        for (var round = 0; round < before.Count; round++)
        {
            var status = await lifecycle.StatusAsync(Id, At("2013-06-03T10:00"));
            if (status.Permitted.FirstOrDefault(p => p.Step is { } st && before.Contains(st)) is not { } next)
            {
                break;
            }

            await Accept(TriggerRequest.Complete(next.Step!, new Actor("Officer", next.Roles)), "2013-06-03T10:00");
        }
    }

    private async Task StartAsync(bool create = true)
    {
        if (create)
        {
            await lifecycle.CreateAsync(Plans.Seed(Id, "croydon", "2013-06-01"), Clerk);
        }

        await Accept(new TriggerRequest(CaseTrigger.Start, Clerk), "2013-06-01T09:00");
    }

    private async Task SignOffsAsync(string at, bool create = true)
    {
        await StartAsync(create);

        // The implications sign-offs run in parallel: complete them in reverse of the plan's order.
        await Accept(TriggerRequest.Complete("equality-impact-assessment", new Actor("E", "equality-lead")), at);
        await Accept(TriggerRequest.Complete("hr-sign-off", new Actor("H", "hr-lead")), at);
        await Accept(TriggerRequest.Complete("legal-sign-off", new Actor("L", "monitoring-officer")), at);
        await Accept(TriggerRequest.Complete("finance-sign-off", new Actor("F", "s151-officer")), at);
    }

    private async Task DecideAsync(string at, bool create = true)
    {
        await SignOffsAsync("2013-06-03T10:00", create);
        await Accept(TriggerRequest.Complete("key-decision-notice", Clerk), "2013-06-10T10:00");
        await Accept(TriggerRequest.Complete("meeting-notice", Clerk), "2013-07-05T10:00");
        await Accept(TriggerRequest.Complete("cabinet-decision", CabinetClerk), at);
    }

    private async Task DecidedAndPublishedAsync(bool create = true)
    {
        await DecideAsync("2013-07-15T19:00", create);
        await Accept(TriggerRequest.Complete("decision-record", Clerk), "2013-07-16T10:00");
    }

    private async Task EffectiveAsync()
    {
        await DecidedAndPublishedAsync();
        await Accept(new TriggerRequest(CaseTrigger.EndCallInPeriod, Clerk), "2013-07-22T13:00");
    }
}
