using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using DecisionRouting.Proposals;
using DecisionRouting.Routing;
using DecisionRouting.RuleSets;
using DecisionRouting.Tests.Support;
using FsCheck;
using FsCheck.Fluent;
using NodaTime;

namespace DecisionRouting.Tests.Routing;

/// <summary>
/// A plan never contradicts itself: the consistency checker run over every sample with its partnership's rules, on
/// days either side of each notice's latest day, and over generated proposals on every shipped rule set.
/// </summary>
public sealed class PlanConsistencyTests
{
    /// <summary>Every shipped rule set, loaded once: the England baseline and each partnership.</summary>
    private static readonly IReadOnlyDictionary<string, RuleSet> RuleSets = new[] { "england" }
        .Concat(Directory.GetDirectories(Repository.PathOf("rules/partnerships")).Select(Path.GetFileName).OfType<string>().OrderBy(n => n, StringComparer.Ordinal))
        .ToDictionary(n => n, n => RuleSet.Load(Repository.PathOf(n == "england" ? "rules/england" : $"rules/partnerships/{n}")));

    private static readonly string[] Samples = Directory.GetFiles(Repository.PathOf("samples/proposals"), "*.json")
        .Select(f => Path.GetFileNameWithoutExtension(f)!)
        .OrderBy(n => n, StringComparer.Ordinal)
        .ToArray();

    private static readonly string[] Flags =
    {
        "chiefOfficer", "cosopTransfer", "exercisesExecutiveFunctions", "expandsPartnership", "headOfPaidService",
        "healthCareServices", "jointHealthAndWellbeingStrategy", "jointStrategicNeedsAssessment", "minorChange", "payPolicyStatement",
        "personalDataShared", "publicPublicCooperation", "riskToSafetyOrWelfare", "statutoryOfficer",
    };

    private static LocalDate D(string iso) => NodaTime.Text.LocalDatePattern.Iso.Parse(iso).GetValueOrThrow();

    private static RoutingPlan Route(RuleSet ruleSet, Proposal proposal, LocalDate today) =>
        new Router(ruleSet, new RoutingOptions { Clock = new ManualClock(today.At(new LocalTime(9, 0)).InZoneLeniently(DecisionRouting.Calendar.GovernanceCalendar.London).ToInstant()) }).Route(proposal);

    /// <summary>The partnership whose rules a sample was written for: its file name starts with the partnership's.</summary>
    private static string PartnershipOf(string sample) => RuleSets.Keys.Single(n => n != "england" && sample.StartsWith(n + "-", StringComparison.Ordinal));

    private static Proposal Sample(string sample) =>
        ProposalReader.ReadFile(Repository.PathOf($"samples/proposals/{sample}.json")).Proposal ?? throw new InvalidOperationException(sample);

    private static void AssertConsistent(RoutingPlan plan, string what)
    {
        if (plan.Contradictions.Count > 0)
        {
            Assert.Fail($"{what}: {plan.Contradictions.Count} contradiction(s):\n  " + string.Join("\n  ", plan.Contradictions.Select(c => $"[{c.Check}] {c.Message}")));
        }

        // The router reports each contradiction as a loud warning, so nothing found is ever silent.
        Assert.Equal(plan.Contradictions.Count, plan.Warnings.Count(w => w.Kind == PlanWarningKind.Contradiction && w.Message.StartsWith(PlanContradiction.WarningPrefix, StringComparison.Ordinal)));
    }

    private static Proposal KeyDecision(string date, DecisionMaker maker = DecisionMaker.Cabinet) => new()
    {
        Id = "urgent",
        Title = "Pooled budget with the ICB",
        DecisionMaker = maker,
        IntendedDecisionDate = D(date),
        Kinds = new List<ProposalKind> { ProposalKind.PooledBudget },
        FinancialCommitment = 900_000m,
        AllWards = true,
        SignificantEffectOnCommunities = true,
    };

    // ---- The issue's example and its siblings: every meeting notice has a short-notice route. ----

    [Fact]
    public void A_key_decision_two_days_before_its_meeting_takes_urgency_routes_and_can_still_be_taken()
    {
        var plan = Route(RuleSets["england"], KeyDecision("2024-06-12"), D("2024-06-10"));
        Assert.Contains(plan.UrgencyRoutes, r => r.Impracticable == "key-decision-notice" && r.Instead == "special-urgency-agreement");
        Assert.Contains(plan.UrgencyRoutes, r => r.Impracticable == "meeting-notice" && r.Instead == "chair-agrees-urgent-item");
        Assert.DoesNotContain(plan.Warnings, w => w.Kind == PlanWarningKind.DateCannotBeMet);
        Assert.Equal("meeting-chair", plan.Find("chair-agrees-urgent-item")!.Role!.Id);
        Assert.Contains("chair-agrees-urgent-item", plan.Find("cabinet-decision")!.After);
        AssertConsistent(plan, "key decision two days ahead");
    }

    [Theory]
    [InlineData("england", DecisionMaker.FullCouncil, "full-council-approval")]
    [InlineData("england", DecisionMaker.HealthAndWellbeingBoard, "hwb-approval")]
    [InlineData("darlington", DecisionMaker.Cabinet, "cabinet-decision")]
    [InlineData("durham", DecisionMaker.FullCouncil, "full-council-approval")]
    public void A_meeting_called_at_short_notice_has_the_chairs_urgency_route_for_council_committees_and_partnerships(string ruleSet, DecisionMaker maker, string decisionStep)
    {
        // Thu 28 Mar 2024 for Tue 2 Apr 2024: Good Friday and Easter Monday leave one clear working day. The proposal
        // gives the values the rules read: the s75 arrangement is a pooled fund only (the council exercises no NHS functions), and the
        // board decides under its own functions, not executive ones delegated to it (so its decision is not a key
        // decision, but its meeting still needs notice). The pooled fund changes no service, so neither the NHS duty to
        // involve nor the best value duty to consult applies (law review Part C 6: a pooled fund that does not say is
        // undecided, and this test is about the meeting notice, not those duties).
        var attributes = new ProposalAttributes(new Dictionary<string, object> { ["s75Arrangement"] = "PooledFund", ["exercisesExecutiveFunctions"] = false, ["changesServiceDelivery"] = false });
        var plan = Route(RuleSets[ruleSet], KeyDecision("2024-04-02", maker) with { Kinds = new List<ProposalKind> { ProposalKind.PooledBudget }, AffectsBudgetAndPolicyFramework = maker == DecisionMaker.FullCouncil, Attributes = attributes }, D("2024-03-28"));
        Assert.True(plan.IsComplete, string.Join("; ", plan.Incomplete.Select(i => i.Message)));
        Assert.Equal(decisionStep, plan.DecisionStep);
        Assert.Contains(plan.UrgencyRoutes, r => r.Impracticable == "meeting-notice" && r.Instead == "chair-agrees-urgent-item");
        Assert.DoesNotContain(plan.Warnings, w => w.Kind == PlanWarningKind.DateCannotBeMet);
        AssertConsistent(plan, $"{ruleSet} {maker}");
    }

    [Fact]
    public void Too_late_for_the_second_private_meeting_notice_needs_the_scrutiny_chairs_agreement_reg_5_6()
    {
        // 5 clear days before Tue 24 Apr 2018 is Wed 18 Apr; on Fri 20 Apr only reg 5(6) agreement is left.
        var plan = Route(RuleSets["england"], KeyDecision("2018-04-24") with { ExemptParagraphs = new[] { 3 } }, D("2018-04-20"));
        Assert.Contains(plan.UrgencyRoutes, r => r.Impracticable == "private-meeting-second-notice" && r.Instead == "private-meeting-urgency-agreement");
        Assert.DoesNotContain(plan.Warnings, w => w.Kind == PlanWarningKind.DateCannotBeMet);
        AssertConsistent(plan, "private meeting at short notice");
    }

    // ---- A plan that cannot be taken on the day takes no urgency route. ----

    [Fact]
    public void A_notice_with_no_route_left_means_no_urgency_route_is_taken_and_the_plan_says_defer()
    {
        var catalogue = """
            {
              "roles": [ { "id": "clerk", "name": "Clerk" }, { "id": "chair", "name": "Chair" } ],
              "bodies": [ { "id": "cabinet", "name": "Cabinet", "kind": "Executive" } ],
              "steps": [
                { "id": "notice-a", "name": "Notice A", "kind": "Notice", "role": "clerk", "duration": { "days": 28, "counting": "ClearCalendarDays" }, "ifImpracticable": "urgent-a" },
                { "id": "urgent-a", "name": "Chair agrees A is urgent", "kind": "SignOff", "role": "chair" },
                { "id": "notice-b", "name": "Notice B", "kind": "Notice", "role": "clerk", "duration": { "days": 10, "counting": "ClearCalendarDays" } },
                { "id": "decide", "name": "Cabinet decides", "kind": "Approval", "body": "cabinet", "after": [ "notice-a", "urgent-a", "notice-b" ] }
              ]
            }
            """;
        var rules = """{ "WorkflowName": "w", "Rules": [ { "RuleName": "R", "Expression": "true", "Properties": { "steps": [ "notice-a", "notice-b", "decide" ], "source": "s" } } ] }""";
        using var set = TempRuleSet.With(catalogue: catalogue, rules: rules);
        var plan = Route(RuleSet.Load(set.Directory), KeyDecision("2024-06-12"), D("2024-06-08"));
        Assert.Empty(plan.UrgencyRoutes);
        Assert.Contains(plan.Warnings, w => w.Kind == PlanWarningKind.DateCannotBeMet && w.Step == "notice-b" && w.Message.Contains("defer it", StringComparison.Ordinal));
        Assert.True(plan.Requires("notice-a"));
        Assert.False(plan.Requires("urgent-a"));
        AssertConsistent(plan, "no route for notice B");
    }

    [Fact]
    public void An_urgency_route_whose_own_period_is_also_missed_is_not_taken()
    {
        // The general exception needs 5 clear days too; with no special urgency after it, nothing is left.
        var catalogue = """
            {
              "roles": [ { "id": "clerk", "name": "Clerk" } ],
              "bodies": [ { "id": "cabinet", "name": "Cabinet", "kind": "Executive" } ],
              "steps": [
                { "id": "notice", "name": "Notice", "kind": "Notice", "role": "clerk", "duration": { "days": 28, "counting": "ClearCalendarDays" }, "ifImpracticable": "exception" },
                { "id": "exception", "name": "Exception notice", "kind": "Notice", "role": "clerk", "duration": { "days": 5, "counting": "ClearCalendarDays" } },
                { "id": "decide", "name": "Cabinet decides", "kind": "Approval", "body": "cabinet", "after": [ "notice", "exception" ] }
              ]
            }
            """;
        var rules = """{ "WorkflowName": "w", "Rules": [ { "RuleName": "R", "Expression": "true", "Properties": { "steps": [ "notice", "decide" ], "source": "s" } } ] }""";
        using var set = TempRuleSet.With(catalogue: catalogue, rules: rules);
        var plan = Route(RuleSet.Load(set.Directory), KeyDecision("2024-06-12"), D("2024-06-10"));
        Assert.Empty(plan.UrgencyRoutes);
        Assert.Contains(plan.Warnings, w => w.Kind == PlanWarningKind.DateCannotBeMet && w.Step == "notice");
        Assert.DoesNotContain(plan.Warnings, w => w.Kind == PlanWarningKind.UrgencyRouteApplied);
        AssertConsistent(plan, "exhausted chain");
    }

    // ---- Contradictions the checker found in the router, each kept as a regression test. ----

    private static Proposal Given(Proposal proposal, string step, string? start, string? end) =>
        proposal with { Schedule = new Dictionary<string, StepDates> { [step] = new StepDates(start is null ? null : D(start), end is null ? null : D(end)) } };

    [Fact]
    public void A_meeting_notice_published_early_brings_the_sign_offs_forward_to_its_day()
    {
        // The agenda goes out on Mon 3 Jun for Wed 12 Jun: the report must be signed off by 3 Jun, not by the latest notice day.
        var plan = Route(RuleSets["england"], Given(KeyDecision("2024-06-12"), "meeting-notice", "2024-06-03", null), D("2024-05-01"));
        Assert.Equal(D("2024-06-03"), plan.Find("finance-sign-off")!.Timing!.LatestDate);
        Assert.Equal(D("2024-06-03"), plan.Find("legal-sign-off")!.Timing!.LatestDate);
        AssertConsistent(plan, "early agenda");
    }

    [Fact]
    public void A_sign_off_given_with_a_start_that_ends_after_the_agenda_goes_out_is_a_contradiction()
    {
        // The agenda waits for the sign-off; a sign-off the proposal ends after the agenda goes out breaks that order.
        var plan = Route(RuleSets["england"], Given(KeyDecision("2024-06-12"), "finance-sign-off", "2024-06-01", "2024-06-10"), D("2024-05-01"));
        Assert.Contains(plan.Warnings, w => w.Kind == PlanWarningKind.ScheduleDiscrepancy && w.Step == "finance-sign-off" && w.Message.Contains("after the latest day", StringComparison.Ordinal));
        Assert.Contains(plan.Contradictions, c => c.Check == PlanContradiction.BeforePredecessor && c.Step == "meeting-notice" && c.Message.Contains("schedule gives the dates for 'finance-sign-off'", StringComparison.Ordinal));
        Assert.False(plan.IsComplete);
    }

    [Fact]
    public void A_step_after_a_record_the_proposal_dates_before_the_decision_is_still_dated_from_the_decision()
    {
        // The decision record given before the decision is a contradiction, and Darlington's call-in window (no
        // period of its own) that follows it still starts from the decision, not from the day after the record.
        var plan = Route(RuleSets["darlington"], Given(KeyDecision("2024-06-12"), "decision-record", "2024-06-01", "2024-06-03"), D("2024-05-01"));
        Assert.Contains(plan.Warnings, w => w.Kind == PlanWarningKind.ScheduleDiscrepancy && w.Step == "decision-record");
        Assert.Equal(plan.DecisionDate, plan.Find("call-in-window")!.Timing!.EarliestStart);
        Assert.Contains(plan.Contradictions, c => c.Check == PlanContradiction.AfterDecisionDatedBefore && c.Step == "decision-record");
        Assert.All(plan.Contradictions, c => Assert.Equal("decision-record", c.Step));
    }

    [Fact]
    public void A_call_in_window_given_an_end_before_the_decision_is_a_contradiction_and_never_makes_it_effective()
    {
        var plan = Route(RuleSets["croydon"], Given(KeyDecision("2019-01-03"), "call-in-window", null, "2018-12-13"), D("2018-11-21"));
        Assert.Contains(plan.Warnings, w => w.Kind == PlanWarningKind.ScheduleDiscrepancy && w.Step == "call-in-window" && w.Message.Contains("before", StringComparison.Ordinal));
        Assert.Contains(plan.Contradictions, c => c.Check == PlanContradiction.CallInClosesBeforeDecision && c.Step == "call-in-window");
        Assert.Null(plan.EffectiveFrom);
        Assert.False(plan.IsComplete);
    }

    [Fact]
    public void A_later_cabinet_decision_after_call_in_is_never_taken_as_the_decision()
    {
        // Doncaster's further Cabinet decision follows the call-in window; a cabinet member's proposal has no
        // decision step of its own in these rules, so the plan names none rather than the later one.
        var proposal = KeyDecision("2019-04-09", DecisionMaker.CabinetMember) with { Kinds = new List<ProposalKind> { ProposalKind.JointCommissioningAgreement, ProposalKind.Delegation } };
        var plan = Route(RuleSets["doncaster"], proposal, D("2019-03-22"));
        Assert.True(plan.Requires("further-cabinet-decision"));
        Assert.NotEqual("further-cabinet-decision", plan.DecisionStep);
        AssertConsistent(plan, "cabinet member");

        var cabinet = Route(RuleSets["doncaster"], proposal with { DecisionMaker = DecisionMaker.Cabinet }, D("2019-03-22"));
        Assert.Equal("cabinet-decision", cabinet.DecisionStep);
        AssertConsistent(cabinet, "cabinet");
    }

    [Fact]
    public void Sign_offs_before_a_notice_are_dated_even_when_no_step_takes_the_decision()
    {
        // A committee decision has no decision step in these rules, but the agenda still goes out 5 clear working days
        // ahead, and the sign-offs the agenda waits for are due by then; a sign-off the proposal ends later is flagged.
        var proposal = Given(KeyDecision("2026-04-13", DecisionMaker.Committee), "finance-sign-off", null, "2026-04-03");
        var plan = Route(RuleSets["doncaster"], proposal, D("2025-12-06"));
        Assert.Null(plan.DecisionStep);
        Assert.Equal(plan.Find("meeting-notice")!.Timing!.LatestDate, plan.Find("legal-sign-off")!.Timing!.LatestDate);
        Assert.Contains(plan.Warnings, w => w.Kind == PlanWarningKind.ScheduleDiscrepancy && w.Step == "finance-sign-off");
        Assert.Contains(plan.Contradictions, c => c.Check == PlanContradiction.BeforePredecessor && c.Step == "meeting-notice" && c.Message.Contains("'finance-sign-off'", StringComparison.Ordinal));
        Assert.Contains(plan.Warnings, w => w.Kind == PlanWarningKind.NoDecisionStep && w.Message.Contains("Committee", StringComparison.Ordinal));
        Assert.True(plan.DecisionStepMissing);
    }

    // ---- The checker catches each kind of contradiction (it is run on hand-made plans, so it cannot pass vacuously). ----

    private static RoutingPlan Doctored(Func<PlannedStep, PlannedStep> change, Func<RoutingPlan, IReadOnlyList<PlanWarning>>? warnings = null, ZonedDateTime? effective = null, IReadOnlyList<UrgencyRoute>? routes = null)
    {
        var plan = Plans.Seed("doncaster-2018-joint-commissioner-agreement", "doncaster", "2018-01-02");
        Assert.Empty(plan.Contradictions);
        return new RoutingPlan(plan.Proposal, plan.RuleSetName, plan.RuleSetHash, plan.MatchedRules, plan.Steps.Select(change).ToList(), warnings?.Invoke(plan) ?? plan.Warnings)
        {
            AsOf = plan.AsOf,
            DecisionStep = plan.DecisionStep,
            EffectiveFrom = effective ?? plan.EffectiveFrom,
            UrgencyRoutes = routes ?? plan.UrgencyRoutes,
        };
    }

    private static IReadOnlyList<string> Checks(RoutingPlan plan) =>
        PlanConsistency.Check(plan, DecisionRouting.Calendar.GovernanceCalendar.EnglandAndWales).Select(c => c.Check).Distinct().ToList();

    [Fact]
    public void Checker_finds_a_step_dated_before_its_predecessor()
    {
        var plan = Doctored(s => s.Id == "meeting-notice" ? s with { Timing = s.Timing! with { LatestDate = s.Timing.LatestDate!.Value.PlusDays(-60) } } : s);
        Assert.Contains(PlanContradiction.BeforePredecessor, Checks(plan));
    }

    [Fact]
    public void Checker_finds_a_notice_dated_outside_its_period()
    {
        var plan = Doctored(s => s.Id == "meeting-notice" ? s with { Timing = s.Timing! with { LatestDate = s.Timing.LatestDate!.Value.PlusDays(2) } } : s);
        Assert.Contains(PlanContradiction.OutsidePeriod, Checks(plan));
    }

    [Fact]
    public void Checker_finds_a_call_in_window_that_does_not_match_its_period_or_closes_before_the_decision()
    {
        var plan = Doctored(s => s.Step.Kind == StepKind.CallIn ? s with { Timing = s.Timing! with { Closes = s.Timing.Closes!.Value.Plus(Duration.FromDays(-30)) } } : s);
        var checks = Checks(plan);
        Assert.Contains(PlanContradiction.OutsidePeriod, checks);
        Assert.Contains(PlanContradiction.CallInClosesBeforeDecision, checks);
    }

    [Fact]
    public void Checker_finds_effective_from_before_the_decision_and_before_call_in_closes()
    {
        var plan = Doctored(s => s, effective: new LocalDate(2018, 1, 1).AtStartOfDayInZone(DecisionRouting.Calendar.GovernanceCalendar.London));
        var checks = Checks(plan);
        Assert.Contains(PlanContradiction.EffectiveBeforeDecision, checks);
        Assert.Contains(PlanContradiction.EffectiveBeforeCallInCloses, checks);
    }

    [Fact]
    public void Checker_finds_an_urgency_route_alongside_a_date_that_cannot_be_met()
    {
        var plan = Doctored(
            s => s.Id == "key-decision-notice" ? s with { Step = s.Step with { Id = "general-exception-notice" } } : s,
            p => p.Warnings.Append(new PlanWarning(PlanWarningKind.DateCannotBeMet, "defer it", Step: "meeting-notice")).ToList(),
            routes: new[] { new UrgencyRoute("key-decision-notice", "general-exception-notice", "late", "notice") });
        Assert.Contains(PlanContradiction.UrgencyAndCannotBeTaken, Checks(plan));
    }

    [Fact]
    public void Checker_finds_a_step_after_the_decision_dated_before_it_and_a_period_ending_before_it_starts()
    {
        var plan = Doctored(s => s.Id == "decision-record" ? s with { Timing = s.Timing! with { EarliestStart = new LocalDate(2018, 1, 1), EarliestEnd = new LocalDate(2017, 12, 1) } } : s);
        var checks = Checks(plan);
        Assert.Contains(PlanContradiction.AfterDecisionDatedBefore, checks);
        Assert.Contains(PlanContradiction.EndsBeforeStart, checks);
    }

    [Fact]
    public void Checker_finds_a_late_notice_the_plan_is_silent_about()
    {
        var plan = Doctored(s => s) is var p ? new RoutingPlan(p.Proposal, p.RuleSetName, p.RuleSetHash, p.MatchedRules, p.Steps, p.Warnings) { AsOf = p.DecisionDate.PlusDays(-1), DecisionStep = p.DecisionStep, EffectiveFrom = p.EffectiveFrom } : null;
        Assert.Contains(PlanContradiction.LateNoticeUnremarked, Checks(plan!));
    }

    // ---- Samples: each with its partnership's rules, far ahead and on each side of every notice's latest day. ----

    public static TheoryData<string> SampleNames() => new(Samples);

    [Theory]
    [MemberData(nameof(SampleNames))]
    public void Every_sample_plan_is_consistent_around_each_notices_latest_day(string sample)
    {
        var proposal = Sample(sample);
        var ruleSet = RuleSets[PartnershipOf(sample)];
        var ahead = Route(ruleSet, proposal, proposal.IntendedDecisionDate.PlusDays(-120));
        AssertConsistent(ahead, $"{sample} 120 days ahead");
        var days = new SortedSet<LocalDate> { proposal.IntendedDecisionDate, proposal.IntendedDecisionDate.PlusDays(1), proposal.IntendedDecisionDate.PlusDays(-1) };
        foreach (var latest in ahead.Steps.Where(s => s.Step.Duration?.Anchor == PeriodAnchor.BeforeDecision).Select(s => s.Timing!.LatestDate!.Value))
        {
            days.UnionWith(new[] { latest.PlusDays(-1), latest, latest.PlusDays(1) });
        }

        foreach (var today in days)
        {
            foreach (var set in new[] { ruleSet, RuleSets["england"] })
            {
                AssertConsistent(Route(set, proposal, today), $"{sample} with {set.Name} on {today:uuuu-MM-dd}");
            }
        }
    }

    // ---- Property: generated proposals on every shipped rule set, decision dates around bank holidays, many todays. ----

    /// <summary>One generated routing: which rules, which proposal, which day it is.</summary>
    public sealed record Case(string RuleSet, Proposal Proposal, LocalDate Today)
    {
        /// <inheritdoc/>
        public override string ToString() =>
            $"{RuleSet}: {Proposal.DecisionMaker} on {Proposal.IntendedDecisionDate:uuuu-MM-dd}, today {Today:uuuu-MM-dd}, kinds {string.Join("+", Proposal.Kinds)}, spend {Proposal.FinancialCommitment}, " +
            $"staff {Proposal.StaffAffected}/{Proposal.ProposedRedundancies}, exempt [{string.Join(",", Proposal.ExemptParagraphs)}], urgent {Proposal.Urgent}, budget {Proposal.AffectsBudgetAndPolicyFramework}, " +
            $"schedule {{{string.Join("; ", Proposal.Schedule.Select(kv => $"{kv.Key}: {kv.Value.Start:uuuu-MM-dd}..{kv.Value.End:uuuu-MM-dd}"))}}}, flags {string.Join(",", Proposal.Attributes.Values.Where(kv => kv.Value is true).Select(kv => kv.Key))}";
    }

    /// <summary>Easter Sunday (anonymous Gregorian algorithm), for decision dates around the Easter bank holidays.</summary>
    private static LocalDate Easter(int year)
    {
        int a = year % 19, b = year / 100, c = year % 100, d = b / 4, e = b % 4, f = (b + 8) / 25, g = (b - f + 1) / 3;
        int h = ((19 * a) + b - d - g + 15) % 30, i = c / 4, k = c % 4, l = (32 + (2 * e) + (2 * i) - h - k) % 7, m = (a + (11 * h) + (22 * l)) / 451;
        int month = (h + l - (7 * m) + 114) / 31, day = ((h + l - (7 * m) + 114) % 31) + 1;
        return new LocalDate(year, month, day);
    }

    private static Gen<LocalDate> DecisionDates() =>
        Gen.Frequency(
            (3, Gen.Choose(0, (19 * 365) - 1).Select(n => new LocalDate(2009, 1, 1).PlusDays(n))),
            (2, from year in Gen.Choose(2010, 2027) from offset in Gen.Choose(-12, 12) select Easter(year).PlusDays(offset)),
            (2, from year in Gen.Choose(2009, 2026) from offset in Gen.Choose(-10, 16) select new LocalDate(year, 12, 22).PlusDays(offset)),
            (1, from year in Gen.Choose(2009, 2027) from offset in Gen.Choose(-6, 6) select new LocalDate(year, 5, 1).PlusDays(offset)));

    private static Gen<IReadOnlyDictionary<string, StepDates>> Schedules(LocalDate decision) =>
        Gen.Frequency(
            (3, Gen.Constant<IReadOnlyDictionary<string, StepDates>>(new Dictionary<string, StepDates>())),
            (1, from step in Gen.Elements("key-decision-notice", "meeting-notice", "staff-consultation", "finance-sign-off", "call-in-window", "decision-record", "s75-joint-consultation", "general-exception-notice")
                from start in Gen.Choose(-60, 10)
                from length in Gen.Choose(-1, 45)
                from hasStart in Gen.Elements(true, true, false)
                select (IReadOnlyDictionary<string, StepDates>)new Dictionary<string, StepDates>
                {
                    [step] = new StepDates(hasStart ? decision.PlusDays(start) : null, length < 0 ? null : decision.PlusDays(start + length)),
                }));

    private static Gen<Case> Cases() =>
        from ruleSet in Gen.Elements(RuleSets.Keys.ToArray())
        from maker in Gen.Elements(Enum.GetValues<DecisionMaker>())
        from kinds in Gen.SubListOf(Enum.GetValues<ProposalKind>()).Where(k => k.Count is > 0 and <= 4)
        from decision in DecisionDates()
        from todayOffset in Gen.Frequency((4, Gen.Choose(-45, 3)), (1, Gen.Choose(-200, -46)))
        from spend in Gen.Elements(0m, 40_000m, 99_999m, 100_000m, 250_000m, 499_999m, 500_000m, 900_000m, 2_500_000m)
        from savings in Gen.Elements(0m, 0m, 600_000m)
        from wards in Gen.Choose(0, 6)
        from allWards in Gen.Elements(false, false, true)
        from staff in Gen.Elements(0, 0, 5, 25, 120)
        from redundancies in Gen.Elements(0, 0, 19, 20, 99, 100)
        from exempt in Gen.Elements(Array.Empty<int>(), Array.Empty<int>(), new[] { 3 }, new[] { 1, 2 })
        from urgent in Gen.Elements(false, false, true)
        from budget in Gen.Elements(false, false, true)
        from flagBits in Gen.Choose(0, (1 << 13) - 1)
        from schedule in Schedules(decision)
        select new Case(ruleSet, new Proposal
        {
            Id = "generated",
            Title = "Generated proposal",
            Organisation = "Generated Council",
            DecisionMaker = maker,
            IntendedDecisionDate = decision,
            Kinds = kinds.ToList(),
            FinancialCommitment = spend,
            Savings = savings,
            WardsAffected = wards,
            AllWards = allWards,
            SignificantEffectOnCommunities = wards >= 2,
            StaffAffected = Math.Max(staff, redundancies),
            ProposedRedundancies = redundancies,
            TupeTransfer = kinds.Contains(ProposalKind.Secondment) && staff > 0,
            ExemptParagraphs = exempt,
            Urgent = urgent,
            UrgencyReason = urgent ? "generated" : null,
            AffectsBudgetAndPolicyFramework = budget,
            SubstantialVariationOfHealthServices = flagBits % 3 == 0,
            LegallyBinding = flagBits % 2 == 0,
            Schedule = schedule,
            // The flags, and the dates the collective-redundancy and TUPE periods are counted back from, so those
            // dated steps are checked too.
            Attributes = new ProposalAttributes(Flags.Select((f, i) => (f, (object)((flagBits >> i & 1) == 1)))
                .Concat(new[] { ("proposalToDismissDate", (object)decision), ("firstDismissalDate", decision.PlusDays(60)), ("transferDate", decision.PlusDays(45)) })
                .ToDictionary(x => x.Item1, x => x.Item2)),
        }, decision.PlusDays(todayOffset));

    [Fact]
    public void Generated_proposals_on_every_rule_set_give_consistent_plans()
    {
        // A fixed seed: the same 700 cases every run, so a failure names a case that can be replayed.
        var cases = Cases().Sample(700, new Rnd(20261129UL), 10);
        var failures = new List<string>();
        foreach (var generated in cases)
        {
            var plan = Route(RuleSets[generated.RuleSet], generated.Proposal, generated.Today);

            // A generated schedule may break the order of the steps; that contradiction is the proposal's and must
            // name the scheduled step. Any other is the router's.
            var routers = plan.Contradictions.Where(c => !generated.Proposal.Schedule.Keys.Any(k => c.Message.Contains("the proposal's schedule gives the dates for", StringComparison.Ordinal) && c.Message.Contains($"'{k}'", StringComparison.Ordinal))).ToList();
            if (routers.Count > 0)
            {
                failures.Add($"{generated}\n    " + string.Join("\n    ", routers.Select(c => $"[{c.Check}] {c.Message}")));
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} of {cases.Length} generated plans contradict themselves:\n" + string.Join("\n", failures.Take(15)));
    }

    [Fact]
    public void Generated_key_decisions_on_every_day_up_to_their_meeting_never_contradict_themselves()
    {
        // Sweeps "today" over every day from 40 days before to the decision day, where the urgency routes change.
        var decisions = Gen.Zip(Gen.Elements(RuleSets.Keys.ToArray()), DecisionDates()).Sample(40, new Rnd(7UL), 10);
        var failures = new List<string>();
        foreach (var (ruleSet, decision) in decisions)
        {
            foreach (var maker in new[] { DecisionMaker.Cabinet, DecisionMaker.FullCouncil, DecisionMaker.Leader, DecisionMaker.HealthAndWellbeingBoard })
            {
                for (var today = decision.PlusDays(-40); today <= decision; today = today.PlusDays(1))
                {
                    var proposal = KeyDecision(decision.ToString("uuuu-MM-dd", null), maker) with { ExemptParagraphs = decision.Day % 2 == 0 ? new[] { 3 } : Array.Empty<int>() };
                    var plan = Route(RuleSets[ruleSet], proposal, today);
                    failures.AddRange(plan.Contradictions.Select(c => $"{ruleSet} {maker} {decision:uuuu-MM-dd} today {today:uuuu-MM-dd}: [{c.Check}] {c.Message}"));
                }
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} contradictions:\n" + string.Join("\n", failures.Take(15)));
    }
}
