using System;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using DecisionRouting.Lifecycle;
using DecisionRouting.Graph;
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
    private readonly string _directory = Directory.CreateTempSubdirectory("dr-lifecycle-").FullName;
    private readonly ManualClock _clock = new(At("2013-06-01T09:00"));
    private readonly ProposalLifecycle _lifecycle;
    private readonly SqliteProposalStore _store;

    public ProposalLifecycleTests()
    {
        _store = new SqliteProposalStore(Path.Combine(_directory, "cases.db"));
        _lifecycle = new ProposalLifecycle(_store, new LifecycleOptions { Clock = _clock });
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Croydon_follows_the_main_path_with_sign_offs_in_any_order()
    {
        await DecideAsync("2013-07-15T19:00");
        Assert.Equal(CaseState.Decided, (await _store.FindAsync(Id))!.State);

        await Accept(TriggerRequest.Complete("decision-record", Clerk), "2013-07-16T10:00");
        var status = await _lifecycle.StatusAsync(Id, At("2013-07-17T10:00"));

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
        var states = (await _lifecycle.HistoryAsync(Id)).Where(h => h.Accepted).Select(h => h.To).Distinct();
        Assert.Equal(new[] { CaseState.Draft, CaseState.InProgress, CaseState.Decided, CaseState.CallInWindow, CaseState.Effective }, states);
        Assert.True((await AuditChain.VerifyAsync(_store)).IsIntact);
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
        var history = await _lifecycle.HistoryAsync(Id);

        Assert.Equal("Only s151-officer may complete 'finance-sign-off'; Mo acts as monitoring-officer", Assert.Single(refused.Reasons));
        var entry = history[^1];
        Assert.False(entry.Accepted);
        Assert.Equal(("Mo", "monitoring-officer", "finance-sign-off"), (entry.Actor, entry.Roles, entry.Step));
        Assert.Equal(CaseState.InProgress, entry.To);
        Assert.Contains("Only s151-officer", entry.Detail);
        Assert.Equal(1, (await _store.FindAsync(Id))!.Version);
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
        await Accept(new TriggerRequest(CaseTrigger.StartStep, new Actor("HR", "hr-lead")) { Step = "staff-consultation" }, "2013-07-22T13:00");

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
        await _lifecycle.CreateAsync(budget, Clerk, Id);
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
        await _lifecycle.CreateAsync(plan, Clerk);
        await StartAsync(create: false);
        await CompleteAncestorsOfDecisionAsync(plan.DecisionStep!);

        var decided = await Accept(TriggerRequest.Complete("cabinet-decision", CabinetClerk), "2013-07-15T19:00");

        Assert.Equal(CaseState.Effective, decided.Case.State);
    }

    [Fact]
    public async Task A_general_exception_decision_is_not_exempt_from_call_in_and_waits_for_the_window_law_review_finding_18()
    {
        // The 28-day notice is impracticable (SI 2012/2089 reg 10), but nothing says delay would seriously prejudice
        // anyone: the case keeps its call-in window, as the plan does, and takes effect only when it closes.
        var plan = Plans.Seed(Id, "croydon", "2013-06-01", p => p with { NoticeImpracticable = true, UrgencyReason = "Contract start" });
        Assert.True(plan.Requires("general-exception-notice"));
        Assert.True(plan.Requires("call-in-window"));
        await _lifecycle.CreateAsync(plan, Clerk);
        await StartAsync(create: false);
        await CompleteAncestorsOfDecisionAsync(plan.DecisionStep!);

        var decided = await Accept(TriggerRequest.Complete("cabinet-decision", CabinetClerk), "2013-07-15T19:00");
        Assert.Equal(CaseState.Decided, decided.Case.State);
        await Accept(TriggerRequest.Complete("decision-record", Clerk), "2013-07-16T10:00");

        var status = await _lifecycle.StatusAsync(Id, At("2013-07-17T10:00"));
        Assert.Equal(CaseState.CallInWindow, status.Case.State);
        Assert.Equal(plan.Find("call-in-window")!.Timing!.Closes!.Value.ToInstant(), status.CallInCloses!.Value.ToInstant());
        Assert.Equal(plan.EffectiveFrom!.Value.ToInstant(), status.CallInCloses!.Value.ToInstant());
        await Refuse(new TriggerRequest(CaseTrigger.EndCallInPeriod, Clerk), "2013-07-22T12:59", "runs until Mon 22 Jul 2013 13:00");
    }

    [Fact]
    public async Task The_call_in_exemption_named_by_the_call_in_step_ends_the_window_at_once()
    {
        var frozen = DecisionRouting.Lifecycle.CasePlan.From(Plans.Seed(Id, "croydon", "2013-06-01"));
        var exemption = new CaseStep { Id = "call-in-urgency-exemption", Name = "Scrutiny chair agrees the decision is urgent", Kind = StepKind.SignOff, Roles = new[] { "scrutiny-chair" }, After = new[] { "decision-record" } };
        var steps = frozen.Steps.Select(s => s.Kind == StepKind.CallIn ? s with { IfImpracticable = exemption.Id } : s).Append(exemption).ToList();
        await _lifecycle.CreateAsync(frozen with { Steps = steps }, Clerk, Id);
        await DecidedAndPublishedAsync(create: false);
        Assert.Equal(CaseState.CallInWindow, (await _store.FindAsync(Id))!.State);

        var exempt = await Accept(TriggerRequest.Complete("call-in-urgency-exemption", ScrutinyChair), "2013-07-16T11:00");

        Assert.Equal(CaseState.Effective, exempt.Case.State);
        Assert.Equal("The decision is exempt from call-in as urgent", exempt.Audit.Detail);
        Assert.Contains("exempt from call-in", exempt.Case.Completed["call-in-window"].By);
    }

    [Fact]
    public async Task Deferral_needs_a_new_date_and_resumes_in_progress()
    {
        await StartAsync();

        await Misuse(new TriggerRequest(CaseTrigger.Defer, Clerk), "Give the new intended decision date for Defer");
        var past = await Refuse(new TriggerRequest(CaseTrigger.Defer, Clerk) { NewDecisionDate = new LocalDate(2013, 6, 1) }, "2013-06-05T10:00", "must be after today (Wed 5 Jun 2013)");
        Assert.Contains("The new decision date Sat 1 Jun 2013 must be later than the date the decision is now intended for (Mon 15 Jul 2013)", past.Reasons);
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
        var status = await _lifecycle.StatusAsync(Id);
        Assert.Empty(status.Permitted);
        await Refuse(new TriggerRequest(CaseTrigger.Start, Clerk), "2013-06-06T10:00", "Start is not possible while the case is Withdrawn; nothing more can happen to it");
    }

    [Fact]
    public async Task An_unknown_step_is_refused_with_a_suggestion()
    {
        await StartAsync();

        await Misuse(TriggerRequest.Complete("finance-signoff", new Actor("F", "s151-officer")), "'finance-signoff' is not a step of this case's plan; did you mean 'finance-sign-off'?");
    }

    [Fact]
    public async Task Status_lists_who_may_do_what_and_what_is_blocked()
    {
        await StartAsync();

        var status = await _lifecycle.StatusAsync(Id, At("2013-06-02T10:00"));

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
        _clock.Now = At("2018-03-27T09:00");
        var created = await _lifecycle.CreateAsync(plan, Clerk);
        await _lifecycle.FireAsync(created.Id, new TriggerRequest(CaseTrigger.Start, Clerk));

        var status = await _lifecycle.StatusAsync(created.Id);

        Assert.Contains(status.Permitted, p => p.Step == "general-exception-notice");
        Assert.DoesNotContain(status.Permitted.Concat<object>(status.Blocked), t => t.ToString()!.Contains("key-decision-notice", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(GraphFormat.Mermaid, "class InProgress current", "[*] --> InProgress")]
    [InlineData(GraphFormat.Dot, "\"InProgress\" [style=\"filled\"", "init -> \"InProgress\"")]
    public async Task The_graph_starts_at_the_current_state_and_shows_what_may_still_happen(GraphFormat format, string highlight, string initial)
    {
        await StartAsync();

        var graph = await _lifecycle.GraphAsync(Id, format);

        Assert.Contains(highlight, graph);
        Assert.Contains(initial, graph);
        Assert.Contains("CompleteStep finance-sign-off", graph);
        Assert.All(Enum.GetNames<CaseState>().Where(s => s != nameof(CaseState.Draft)), state => Assert.Contains(state, graph));

        // Draft is behind the case: drawing it (and its Start) would say the case could still go there.
        Assert.DoesNotContain("Draft", graph);
        if (format == GraphFormat.Mermaid)
        {
            Assert.Equal("\t[*] --> InProgress", graph.Split('\n')[1]);
        }
    }

    [Fact]
    public async Task The_graph_of_a_case_that_has_taken_effect_shows_only_what_may_still_happen_there()
    {
        await EffectiveAsync();

        var graph = await _lifecycle.GraphAsync(Id, GraphFormat.Mermaid);

        Assert.Equal("\t[*] --> Effective", graph.Split('\n')[1]);
        Assert.Contains("Effective --> Effective : CompleteStep staff-consultation", graph);
        Assert.All(new[] { "Draft", "InProgress", "Deferred", "CalledIn", "Rejected", "Withdrawn" }, state => Assert.DoesNotContain(state, graph));
    }

    // ---- Every outcome of the decision meeting is held to the meeting's notice (issue 12 §6) ----

    [Fact]
    public async Task Reject_at_the_meeting_is_refused_while_its_notice_has_not_run_like_the_decision()
    {
        // Agenda out Mon 25 Mar 2024 for Cabinet on Tue 2 Apr: 5 clear working days, with Good Friday and Easter
        // Monday not counted, run out on Wed 3 Apr, so the meeting may consider the item from Thu 4 Apr.
        await EasterMeetingAsync();

        var decide = await Refuse(TriggerRequest.Complete("cabinet-decision", CabinetClerk), "2024-04-02T19:00");
        var reject = await Refuse(new TriggerRequest(CaseTrigger.Reject, CabinetClerk), "2024-04-02T19:00");
        var rejected = await Accept(new TriggerRequest(CaseTrigger.Reject, CabinetClerk), "2024-04-04T19:00");

        const string notice = "'Publish the meeting notice, agenda and report' was given on Mon 25 Mar 2024 and must run 5 clear working days before the decision: 'Cabinet decides' cannot be completed before Thu 4 Apr 2024";
        Assert.Equal(notice, Assert.Single(decide.Reasons));
        Assert.Equal(decide.Reasons, reject.Reasons);
        Assert.Equal(CaseState.Rejected, rejected.Case.State);
    }

    [Fact]
    public async Task The_planners_latest_notice_day_over_Easter_is_the_day_the_lifecycle_holds_the_meeting_to()
    {
        // The planner and the lifecycle count the same 5 clear working days (Good Friday, the weekend and Easter
        // Monday not counted): Cabinet on Thu 4 Apr 2024 needs the agenda out by Mon 25 Mar, and an agenda out that
        // day lets Cabinet decide on Thu 4 Apr and not on Wed 3 Apr.
        var plan = await EasterMeetingAsync(new LocalDate(2024, 4, 4), noticeGiven: null);
        var latest = plan.Find("meeting-notice")!.Timing!.LatestDate!.Value;
        Assert.Equal(new LocalDate(2024, 3, 25), latest);

        await Accept(TriggerRequest.Complete("meeting-notice", Clerk), $"{NodaTime.Text.LocalDatePattern.Iso.Format(latest)}T10:00");
        await Refuse(TriggerRequest.Complete("cabinet-decision", CabinetClerk), "2024-04-03T19:00", "cannot be completed before Thu 4 Apr 2024");
        await Accept(TriggerRequest.Complete("cabinet-decision", CabinetClerk), "2024-04-04T19:00");
    }

    [Fact]
    public async Task Reject_waits_for_the_key_decision_notice_too()
    {
        await SignOffsAsync("2013-06-03T10:00");
        await Accept(TriggerRequest.Complete("key-decision-notice", Clerk), "2013-06-20T10:00");
        await Accept(TriggerRequest.Complete("meeting-notice", Clerk), "2013-07-05T10:00");

        var early = await Refuse(new TriggerRequest(CaseTrigger.Reject, CabinetClerk), "2013-07-18T19:00");

        Assert.Contains("must run 28 clear calendar days before the decision: 'Cabinet decides' cannot be completed before Fri 19 Jul 2013", Assert.Single(early.Reasons));
        await Accept(new TriggerRequest(CaseTrigger.Reject, CabinetClerk), "2013-07-19T19:00");
    }

    [Fact]
    public async Task Status_shows_reject_blocked_by_the_notice_while_deferral_and_withdrawal_stay_open()
    {
        await EasterMeetingAsync();

        var status = await _lifecycle.StatusAsync(Id, At("2024-04-02T18:00"));

        var reject = Assert.Single(status.Blocked, b => b.Trigger == CaseTrigger.Reject);
        Assert.Contains(reject.Reasons, r => r.Contains("cannot be completed before Thu 4 Apr 2024", StringComparison.Ordinal));

        // Taking the item off the agenda is the remedy for short notice, and the proposer may withdraw: neither is an
        // outcome of the meeting, so neither waits for its notice.
        Assert.Contains(status.Permitted, p => p.Trigger == CaseTrigger.Defer);
        Assert.Contains(status.Permitted, p => p.Trigger == CaseTrigger.Withdraw);
        await Accept(new TriggerRequest(CaseTrigger.Defer, Clerk) { NewDecisionDate = new LocalDate(2024, 4, 16) }, "2024-04-02T18:00");
    }

    [Fact]
    public async Task Reject_cannot_be_dated_before_the_agenda_went_out()
    {
        await EasterMeetingAsync();

        var refused = await Refuse(new TriggerRequest(CaseTrigger.Reject, CabinetClerk), "2024-03-22T19:00");

        Assert.Contains("'Publish the meeting notice, agenda and report' (meeting-notice) was completed on Mon 25 Mar 2024 10:00: nothing after it can be dated earlier (Fri 22 Mar 2024 19:00)", refused.Reasons);
    }

    // ---- Dates a trigger gives are later than what they follow ----

    [Fact]
    public async Task Deferral_to_a_date_no_later_than_the_intended_one_is_refused()
    {
        await StartAsync();

        var earlier = await Refuse(new TriggerRequest(CaseTrigger.Defer, Clerk) { NewDecisionDate = new LocalDate(2013, 7, 1) }, "2013-06-05T10:00");
        var same = await Refuse(new TriggerRequest(CaseTrigger.Defer, Clerk) { NewDecisionDate = new LocalDate(2013, 7, 15) }, "2013-06-05T10:00");

        Assert.Equal("The new decision date Mon 1 Jul 2013 must be later than the date the decision is now intended for (Mon 15 Jul 2013)", Assert.Single(earlier.Reasons));
        Assert.Equal("The new decision date Mon 15 Jul 2013 must be later than the date the decision is now intended for (Mon 15 Jul 2013)", Assert.Single(same.Reasons));
        Assert.Equal(new LocalDate(2013, 7, 15), (await _store.FindAsync(Id))!.DecisionDate);
    }

    [Fact]
    public async Task A_second_deferral_must_go_later_than_the_first()
    {
        await StartAsync();
        await Accept(new TriggerRequest(CaseTrigger.Defer, Clerk) { NewDecisionDate = new LocalDate(2013, 9, 16) }, "2013-06-05T10:00");
        await Accept(new TriggerRequest(CaseTrigger.Resume, Clerk), "2013-06-10T10:00");

        var back = await Refuse(new TriggerRequest(CaseTrigger.Defer, Clerk) { NewDecisionDate = new LocalDate(2013, 8, 1) }, "2013-06-11T10:00");

        Assert.Contains("must be later than the date the decision is now intended for (Mon 16 Sep 2013)", Assert.Single(back.Reasons));
    }

    [Fact]
    public async Task A_step_cannot_be_dated_before_its_predecessors_were_completed()
    {
        await SignOffsAsync("2013-06-10T10:00");

        var refused = await Refuse(TriggerRequest.Complete("meeting-notice", Clerk), "2013-06-05T10:00");

        Assert.Contains("'Financial implications signed off' (finance-sign-off) was completed on Mon 10 Jun 2013 10:00: nothing after it can be dated earlier (Wed 5 Jun 2013 10:00)", refused.Reasons);
    }

    [Fact]
    public async Task Nothing_is_dated_before_the_case_started()
    {
        await StartAsync();

        var refused = await Refuse(new TriggerRequest(CaseTrigger.Withdraw, new Actor("Lead", "commissioning-lead")), "2013-05-20T10:00");

        Assert.Equal("Work on the case started on Sat 1 Jun 2013 09:00: nothing can be dated earlier (Mon 20 May 2013 10:00)", Assert.Single(refused.Reasons));
    }

    [Fact]
    public async Task Nothing_after_the_decision_is_dated_before_it()
    {
        await DecidedAndPublishedAsync();

        var refused = await Refuse(new TriggerRequest(CaseTrigger.CallIn, ScrutinyChair), "2013-07-15T18:00");

        Assert.Equal("The decision was made on Mon 15 Jul 2013 19:00: nothing after it can be dated earlier (Mon 15 Jul 2013 18:00)", Assert.Single(refused.Reasons));
    }

    [Fact]
    public async Task A_decision_cannot_be_recorded_in_advance_with_a_date_by_which_its_notices_will_have_run()
    {
        await SignOffsAsync("2013-06-03T10:00");
        await Accept(TriggerRequest.Complete("key-decision-notice", Clerk), "2013-06-10T10:00");
        await Accept(TriggerRequest.Complete("meeting-notice", Clerk), "2013-07-05T10:00");
        _clock.Now = At("2013-07-08T10:00");

        var early = await _lifecycle.FireAsync(Id, TriggerRequest.Complete("cabinet-decision", CabinetClerk) with { At = At("2013-07-15T19:00") });
        var skew = await _lifecycle.FireAsync(Id, new TriggerRequest(CaseTrigger.Withdraw, new Actor("Lead", "commissioning-lead")) with { At = At("2013-07-08T10:04") });

        Assert.False(early.Accepted);
        Assert.Equal("It is dated Mon 15 Jul 2013 19:00, which has not happened yet: record what has happened, once it has", Assert.Single(early.Reasons));
        Assert.False(early.Audit.Accepted);
        Assert.True(skew.Accepted, string.Join("; ", skew.Reasons));
    }

    // ---- A consultation runs from its recorded start ----

    [Fact]
    public async Task A_consultation_runs_from_its_recorded_start_not_from_when_it_could_have_started()
    {
        await EffectiveAsync();
        var hr = new Actor("HR", "hr-lead");
        await Refuse(TriggerRequest.Complete("staff-consultation", hr), "2013-09-03T10:00", "record when it started (StartStep) before completing it");

        var started = await Accept(new TriggerRequest(CaseTrigger.StartStep, hr) { Step = "staff-consultation" }, "2013-08-01T09:00");
        var early = await Refuse(TriggerRequest.Complete("staff-consultation", hr), "2013-09-03T10:00");
        var done = await Accept(TriggerRequest.Complete("staff-consultation", hr), "2013-09-12T10:00");

        // 42 calendar days counting Thu 1 Aug end on Wed 11 Sep; from the call-in's end (22 Jul) they would end on 1 Sep.
        Assert.Equal(CaseState.Effective, started.Case.State);
        Assert.Equal(At("2013-08-01T09:00"), started.Case.Started["staff-consultation"].At);
        Assert.Equal(("StartStep", "staff-consultation", true), (started.Audit.Trigger, started.Audit.Step, started.Audit.Accepted));
        Assert.Contains("it cannot be completed until it ends at the end of Wed 11 Sep 2013", Assert.Single(early.Reasons));
        Assert.Equal(CaseState.Effective, done.Case.State);
        Assert.Equal(At("2013-08-01T09:00"), (await _store.FindAsync(Id))!.Started["staff-consultation"].At);
    }

    [Fact]
    public async Task A_consultation_is_started_once_and_only_after_its_predecessors()
    {
        await DecidedAndPublishedAsync();
        var hr = new Actor("HR", "hr-lead");

        var tooSoon = await Refuse(new TriggerRequest(CaseTrigger.StartStep, hr) { Step = "staff-consultation" }, "2013-07-17T10:00");
        await Accept(new TriggerRequest(CaseTrigger.EndCallInPeriod, Clerk), "2013-07-22T13:00");
        await Accept(new TriggerRequest(CaseTrigger.StartStep, hr) { Step = "staff-consultation" }, "2013-07-23T09:00");
        var twice = await Refuse(new TriggerRequest(CaseTrigger.StartStep, hr) { Step = "staff-consultation" }, "2013-07-24T09:00");
        var status = await _lifecycle.StatusAsync(Id, At("2013-07-24T09:00"));

        Assert.Contains("(call-in-window) must be completed first", Assert.Single(tooSoon.Reasons));
        Assert.Equal("'Consult affected staff and trade unions for six weeks, once call-in has ended' was already started on Tue 23 Jul 2013 09:00 by HR", Assert.Single(twice.Reasons));
        Assert.DoesNotContain(status.Permitted.Concat<object>(status.Blocked), t => t is PermittedTrigger { Trigger: CaseTrigger.StartStep } or BlockedTrigger { Trigger: CaseTrigger.StartStep });
    }

    [Fact]
    public async Task A_collective_consultation_with_no_predecessor_runs_from_its_start_not_the_cases()
    {
        // TULRCA 1992 s188(1A)(a): 45 days' consultation before the first dismissal takes effect.
        var consultation = new CaseStep { Id = "collective-consultation-45", Name = "Collective consultation", Kind = StepKind.Consultation, Roles = new[] { "hr-lead" }, Duration = new StepPeriod(45, DayCounting.CalendarDays) };
        await _lifecycle.CreateAsync(Plans.Parallel(1, 1) with { Steps = new[] { consultation } }, Clerk, Id);
        await StartAsync(create: false);
        var hr = new Actor("HR", "hr-lead");

        await Accept(new TriggerRequest(CaseTrigger.StartStep, hr) { Step = consultation.Id }, "2013-07-01T09:00");
        var fromCaseStart = await Refuse(TriggerRequest.Complete(consultation.Id, hr), "2013-07-20T10:00");
        var early = await Refuse(TriggerRequest.Complete(consultation.Id, hr), "2013-08-14T10:00");
        await Accept(TriggerRequest.Complete(consultation.Id, hr), "2013-08-15T00:00");

        Assert.Contains("until it ends at the end of Wed 14 Aug 2013", Assert.Single(fromCaseStart.Reasons));
        Assert.Contains("until it ends at the end of Wed 14 Aug 2013", Assert.Single(early.Reasons));
    }

    [Fact]
    public async Task A_standstill_after_the_decision_runs_its_period_from_the_decision()
    {
        // PCR 2015 reg 87(2)(a): the standstill ends at midnight at the end of the 10th day after the day the decision
        // is sent, so counting starts the day after the decision.
        var frozen = DecisionRouting.Lifecycle.CasePlan.From(Plans.Seed(Id, "croydon", "2013-06-01"));
        var standstill = new CaseStep { Id = "pcr-standstill", Name = "PCR 2015 standstill", Kind = StepKind.Record, Roles = new[] { "commissioning-lead" }, After = new[] { "cabinet-decision" }, Duration = new StepPeriod(10, DayCounting.CalendarDays) { Anchor = PeriodAnchor.AfterDecision } };
        await _lifecycle.CreateAsync(frozen with { Steps = frozen.Steps.Append(standstill).ToList() }, Clerk, Id);
        await DecideAsync("2013-07-15T19:00", create: false);
        var lead = new Actor("Lead", "commissioning-lead");

        var early = await Refuse(TriggerRequest.Complete("pcr-standstill", lead), "2013-07-16T10:00");
        var last = await Refuse(TriggerRequest.Complete("pcr-standstill", lead), "2013-07-25T23:59");
        await Accept(TriggerRequest.Complete("pcr-standstill", lead), "2013-07-26T00:00");

        Assert.Equal("'PCR 2015 standstill' runs for 10 calendar days after the decision is made: it cannot be completed until it ends at the end of Thu 25 Jul 2013", Assert.Single(early.Reasons));
        Assert.Equal(early.Reasons, last.Reasons);
    }

    // ---- Usage mistakes are not refusals: thrown, and not audited ----

    [Theory]
    [InlineData(CaseTrigger.CompleteStep, null, "s151-officer", "Name the step to complete: one of ")]
    [InlineData(CaseTrigger.CompleteStep, "finance-signof", "s151-officer", "'finance-signof' is not a step of this case's plan; did you mean 'finance-sign-off'?")]
    [InlineData(CaseTrigger.CompleteStep, "finance-sign-off", "s151-oficer", "'s151-oficer' is not a role anyone holds in this case; did you mean 's151-officer'?")]
    [InlineData(CaseTrigger.Reject, "cabinet-decision", "clerk-to-cabinet", "Reject takes no step; a step is named only for CompleteStep and StartStep")]
    [InlineData(CaseTrigger.StartStep, "finance-sign-off", "s151-officer", "'finance-sign-off' has no period running from its start, so there is no start to record; complete it with CompleteStep (steps that can be started: staff-consultation)")]
    [InlineData(CaseTrigger.StartStep, null, "hr-lead", "Name the step to start: one of staff-consultation")]
    [InlineData(CaseTrigger.CompleteStep, "call-in-window", "clerk-to-overview-and-scrutiny", "'call-in-window' is not completed by hand")]
    [InlineData((CaseTrigger)99, null, "democratic-services", "99 is not a trigger")]
    public async Task A_usage_mistake_throws_and_is_not_audited(CaseTrigger trigger, string? step, string role, string expected)
    {
        await StartAsync();

        await Misuse(new TriggerRequest(trigger, new Actor("Someone", role)) { Step = step }, expected);
    }

    [Fact]
    public async Task A_date_for_a_trigger_that_takes_none_and_an_actor_without_a_role_are_usage_mistakes()
    {
        await StartAsync();

        await Misuse(TriggerRequest.Complete("finance-sign-off", new Actor("F", "s151-officer")) with { NewDecisionDate = new LocalDate(2013, 9, 1) }, "CompleteStep takes no new decision date; only Defer does");
        await Misuse(TriggerRequest.Complete("finance-sign-off", new Actor("F", System.Array.Empty<string>())), "Give the role F acts in: one of ");
        await Misuse(TriggerRequest.Complete("finance-sign-off", new Actor(" ", "s151-officer")), "Name who is acting");
    }

    private async Task<DecisionRouting.Routing.RoutingPlan> EasterMeetingAsync(LocalDate? decision = null, string? noticeGiven = "2024-03-25T10:00")
    {
        var plan = Plans.Seed(Id, "croydon", "2024-01-10", p => p with
        {
            IntendedDecisionDate = decision ?? new LocalDate(2024, 4, 2),
            Schedule = new System.Collections.Generic.Dictionary<string, DecisionRouting.Proposals.StepDates>(),
            // Moved to 2024, the joint arrangement is under UK GDPR, whose DPIA rule asks whether personal data is shared.
            Attributes = new DecisionRouting.Proposals.ProposalAttributes(p.Attributes.Values.Append(new("personalDataShared", false)).ToDictionary(a => a.Key, a => a.Value)),
        });
        await _lifecycle.CreateAsync(plan, Clerk);
        _clock.Now = At("2024-01-10T09:00");
        await Accept(new TriggerRequest(CaseTrigger.Start, Clerk), "2024-01-10T09:00");
        foreach (var (step, role) in new[] { ("equality-impact-assessment", "equality-lead"), ("hr-sign-off", "hr-lead"), ("legal-sign-off", "monitoring-officer"), ("finance-sign-off", "s151-officer") })
        {
            await Accept(TriggerRequest.Complete(step, new Actor("Officer", role)), "2024-01-15T10:00");
        }

        await CompleteAncestorsOfDecisionAsync("cabinet-decision", "2024-02-01T10:00", except: "meeting-notice");
        if (noticeGiven is not null)
        {
            await Accept(TriggerRequest.Complete("meeting-notice", Clerk), noticeGiven);
        }

        return plan;
    }

    /// <summary>The clerk records each trigger once it has happened: the clock is never behind the trigger's time.</summary>
    private void RecordAfter(string at)
    {
        if (At(at) > _clock.Now)
        {
            _clock.Now = At(at).Plus(Duration.FromHours(1));
        }
    }

    /// <summary>A usage mistake: thrown with <paramref name="expected"/>, and nothing audited or changed.</summary>
    private async Task Misuse(TriggerRequest request, string expected)
    {
        var before = (await _lifecycle.HistoryAsync(Id)).Count;
        var version = (await _store.FindAsync(Id))!.Version;

        var e = await Assert.ThrowsAsync<InvalidTriggerException>(() => _lifecycle.FireAsync(Id, request with { At = At("2013-06-05T10:00") }));

        Assert.Contains(expected, e.Problem, StringComparison.Ordinal);
        Assert.Equal(before, (await _lifecycle.HistoryAsync(Id)).Count);
        Assert.Equal(version, (await _store.FindAsync(Id))!.Version);
    }

    private static Instant At(string london) =>
        LocalDateTimePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd'T'HH':'mm").Parse(london).Value.InZoneLeniently(DateTimeZoneProviders.Tzdb["Europe/London"]).ToInstant();

    private async Task<FireOutcome> Accept(TriggerRequest request, string at)
    {
        RecordAfter(at);
        var outcome = await _lifecycle.FireAsync(Id, request with { At = At(at) });
        Assert.True(outcome.Accepted, string.Join("; ", outcome.Reasons));
        return outcome;
    }

    private async Task<FireOutcome> Refuse(TriggerRequest request, string at, string? reason = null)
    {
        RecordAfter(at);
        var outcome = await _lifecycle.FireAsync(Id, request with { At = At(at) });
        Assert.False(outcome.Accepted, $"{request.Trigger} {request.Step} was accepted");
        if (reason is not null)
        {
            Assert.Contains(outcome.Reasons, r => r.Contains(reason, StringComparison.Ordinal));
        }

        return outcome;
    }

    /// <summary>Whatever the plan needs before the decision, done on 3 Jun 2013 (or <paramref name="at"/>) by whoever it names.</summary>
    private async Task CompleteAncestorsOfDecisionAsync(string decision, string at = "2013-06-03T10:00", string? except = null)
    {
        var before = (await _store.FindAsync(Id))!.Plan.Ancestors(decision);
        before = before.Where(b => b != except).ToHashSet();
        for (var round = 0; round < before.Count; round++)
        {
            var status = await _lifecycle.StatusAsync(Id, At(at));
            if (status.Permitted.FirstOrDefault(p => p.Trigger == CaseTrigger.CompleteStep && p.Step is { } st && before.Contains(st)) is not { } next)
            {
                break;
            }

            await Accept(TriggerRequest.Complete(next.Step!, new Actor("Officer", next.Roles)), at);
        }
    }

    private async Task StartAsync(bool create = true)
    {
        if (create)
        {
            await _lifecycle.CreateAsync(Plans.Seed(Id, "croydon", "2013-06-01"), Clerk);
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
