using System.Collections.Generic;
using System.Linq;
using DecisionRouting.Proposals;
using DecisionRouting.Routing;
using DecisionRouting.RuleSets;
using DecisionRouting.Tests.Support;
using NodaTime;

namespace DecisionRouting.Tests.Routing;

/// <summary>
/// Issue 13 §2, "who decides and how" (law review 2026-11 findings 17, 18, 22 and 33, Part C item 8): who takes the
/// decision and whether at a meeting, urgency as two facts, the executive model, and statutory officer roles. Each
/// test routes a proposal and asserts the step, period, date or source the law gives; the old code failed each.
/// </summary>
public sealed class WhoDecidesTests
{
    private static readonly RuleSet England = RuleSet.Load(Repository.PathOf("rules/england"));
    private static readonly RuleSet Doncaster = RuleSet.Load(Repository.PathOf("rules/partnerships/doncaster"));

    /// <summary>A key decision (£600,000) on Friday 20 June 2025, routed with the England baseline as of 1 January 2025.</summary>
    private static RoutingPlan Route(DecisionMaker maker, System.Func<Proposal, Proposal>? change = null, RuleSet? rules = null, string today = "2025-01-01", string date = "2025-06-20") =>
        new Router(rules ?? England, new RoutingOptions { Clock = Clock(today) }).Route((change ?? (p => p))(new Proposal
        {
            Id = "who-decides",
            Title = "Who decides",
            DecisionMaker = maker,
            IntendedDecisionDate = Day(date),
            Kinds = new List<ProposalKind> { ProposalKind.ServiceChange },
            FinancialCommitment = 600000,
        }));

    private static LocalDate Day(string iso) => NodaTime.Text.LocalDatePattern.Iso.Parse(iso).GetValueOrThrow();

    private static ManualClock Clock(string today) => new(Day(today).AtMidnight().InUtc().ToInstant().Plus(Duration.FromHours(12)));

    /// <summary>Whether the plan orders <paramref name="earlier"/> before <paramref name="later"/>, directly or through other steps.</summary>
    private static bool Precedes(RoutingPlan plan, string earlier, string later)
    {
        var seen = new HashSet<string>();
        var stack = new Stack<string>(plan.Find(later)!.After);
        while (stack.Count > 0)
        {
            var id = stack.Pop();
            if (id == earlier)
            {
                return true;
            }

            if (seen.Add(id) && plan.Find(id) is { } step)
            {
                foreach (var next in step.After)
                {
                    stack.Push(next);
                }
            }
        }

        return false;
    }

    private static MatchedRule Rule(RoutingPlan plan, string name) => Assert.Single(plan.MatchedRules, r => r.Rule == name);

    // ---- Finding 17: an individual decision has no meeting -------------------------------------------------------

    [Fact]
    public void Finding_17_a_leaders_individual_decision_has_no_meeting_notice_and_is_recorded_under_reg_13()
    {
        var plan = Route(DecisionMaker.Leader);

        Assert.True(plan.IsComplete);
        Assert.Equal("leader-decision", plan.DecisionStep);
        Assert.False(plan.Requires("meeting-notice"));
        Assert.DoesNotContain(plan.MatchedRules, r => r.Rule == "MeetingNotice");

        // The 28 clear days' key-decision notice still applies (reg 9): by Thu 22 May 2025 for Fri 20 June.
        Assert.Equal(new LocalDate(2025, 5, 22), plan.Find("key-decision-notice")!.Timing!.LatestDate);
        Assert.StartsWith("SI 2012/2089 reg 13", Rule(plan, "IndividualExecutiveDecisionRecord").Source);
        Assert.DoesNotContain(plan.MatchedRules, r => r.Rule == "ExecutiveDecisionRecord");
    }

    [Fact]
    public void Finding_17_a_leader_deciding_at_a_meeting_gets_the_meeting_notice_five_clear_working_days_before()
    {
        var plan = Route(DecisionMaker.Leader, p => p with { DecidedAt = DecisionSetting.Meeting });

        Assert.Equal("leader-decision", plan.DecisionStep);

        // Five clear working days (13, 16, 17, 18, 19 June) before Friday 20 June 2025: publish by Thursday 12 June.
        Assert.Equal(new LocalDate(2025, 6, 12), plan.Find("meeting-notice")!.Timing!.LatestDate);
        Assert.True(Precedes(plan, "meeting-notice", "leader-decision"), "meeting-notice before leader-decision");
        Assert.StartsWith("SI 2012/2089 reg 12", Rule(plan, "ExecutiveDecisionRecord").Source);
    }

    [Fact]
    public void Finding_17_sibling_a_cabinet_member_has_a_decision_step_and_no_meeting()
    {
        // Before: no rule gave a cabinet member a decision step (the plan was incomplete), and it got the meeting notice.
        var plan = Route(DecisionMaker.CabinetMember);

        Assert.True(plan.IsComplete);
        Assert.Equal("cabinet-member-decision", plan.DecisionStep);
        Assert.False(plan.Requires("meeting-notice"));
        Assert.True(Precedes(plan, "cabinet-member-decision", "decision-record"), "cabinet-member-decision before decision-record");
        Assert.True(plan.Requires("call-in-window"));
    }

    [Theory]
    [InlineData(DecisionMaker.Leader, false)]
    [InlineData(DecisionMaker.CabinetMember, false)]
    [InlineData(DecisionMaker.Officer, false)]
    [InlineData(DecisionMaker.Cabinet, true)]
    public void Finding_17_sibling_only_a_meeting_needs_the_28_and_5_day_private_meeting_notices(DecisionMaker maker, bool meeting)
    {
        var plan = Route(maker, p => p with { ExemptParagraphs = new[] { 3 } });

        Assert.Equal(meeting, plan.Requires("private-meeting-notice"));
        Assert.Equal(meeting, plan.Requires("private-meeting-second-notice"));
        Assert.Equal(meeting, plan.Requires("meeting-notice"));
        if (meeting)
        {
            // Reg 5(2): 28 clear days before Fri 20 June 2025 is Thu 22 May; reg 5(4): 5 clear days is Sun 15 June.
            Assert.Equal(new LocalDate(2025, 5, 22), plan.Find("private-meeting-notice")!.Timing!.LatestDate);
            Assert.Equal(new LocalDate(2025, 6, 14), plan.Find("private-meeting-second-notice")!.Timing!.LatestDate);
        }
    }

    [Fact]
    public void Finding_17_sibling_an_individual_members_decision_meeting_held_in_private_gets_the_private_meeting_notices()
    {
        var plan = Route(DecisionMaker.CabinetMember, p => p with { ExemptParagraphs = new[] { 3 }, DecidedAt = DecisionSetting.Meeting });

        Assert.True(plan.Requires("private-meeting-notice"));
        Assert.True(plan.Requires("meeting-notice"));
        Assert.True(Precedes(plan, "private-meeting-second-notice", "cabinet-member-decision"), "private-meeting-second-notice before cabinet-member-decision");
    }

    [Fact]
    public void Finding_17_sibling_an_officers_key_decision_is_recorded_under_reg_13_before_2012_under_the_2000_regulations()
    {
        var plan = Route(DecisionMaker.Officer);
        Assert.Equal("officer-decision", plan.DecisionStep);
        Assert.False(plan.Requires("meeting-notice"));
        Assert.Contains("reg 13(4)", Rule(plan, "IndividualExecutiveDecisionRecord").Source);

        var before = Route(DecisionMaker.Officer, date: "2011-06-20", today: "2011-01-01");
        Assert.Contains("SI 2000/3272 reg 3", Rule(before, "ExecutiveDecisionRecord2000").Source);
        Assert.DoesNotContain(before.MatchedRules, r => r.Rule is "IndividualExecutiveDecisionRecord" or "ExecutiveDecisionRecord");
    }

    [Theory]
    [InlineData("Cabinet", "Individual", 3, 44, "is a body, which decides at a meeting")]
    [InlineData("FullCouncil", "Individual", 3, 48, "is a body, which decides at a meeting")]
    [InlineData("Officer", "Meeting", 3, 44, "an officer decides alone under delegation")]
    public void Finding_17_a_decidedAt_the_decision_maker_cannot_have_is_refused_at_its_value(string maker, string setting, int line, int column, string message)
    {
        var json = "{\n  \"id\": \"x\", \"title\": \"x\", \"intendedDecisionDate\": \"2025-06-20\", \"kinds\": [ \"ServiceChange\" ],\n"
            + $"  \"decisionMaker\": \"{maker}\", \"decidedAt\": \"{setting}\"\n}}";

        var read = ProposalReader.Read("p.json", json);

        Assert.Null(read.Proposal);
        var error = Assert.Single(read.Diagnostics);
        Assert.Equal(("DR0018", line, column), (error.Id, error.Location.Line, error.Location.Column));
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void Finding_17_the_reader_reads_decidedAt_and_defaults_by_decision_maker()
    {
        var read = ProposalReader.ReadFile(Repository.PathOf("samples/proposals/darlington-2014-proof-of-concept.json")).Proposal!;
        Assert.Equal(DecisionSetting.Meeting, read.DecidedAt);

        Assert.True(new Proposal { Id = "a", Title = "a", DecisionMaker = DecisionMaker.Cabinet, IntendedDecisionDate = default, Kinds = new[] { ProposalKind.Mou } }.DecidedAtMeeting);
        Assert.False(new Proposal { Id = "a", Title = "a", DecisionMaker = DecisionMaker.Leader, IntendedDecisionDate = default, Kinds = new[] { ProposalKind.Mou } }.DecidedAtMeeting);
        Assert.True(new Proposal { Id = "a", Title = "a", DecisionMaker = DecisionMaker.Leader, DecidedAt = DecisionSetting.Meeting, IntendedDecisionDate = default, Kinds = new[] { ProposalKind.Mou } }.DecidedAtMeeting);
    }

    // ---- Finding 18: urgency as two facts ------------------------------------------------------------------------

    /// <summary>Doncaster's Place Plan decision (Cabinet, Tue 24 April 2018; call-in 5 working days) as a key decision.</summary>
    private static RoutingPlan Doncaster2018(System.Func<Proposal, Proposal> change, string today = "2018-03-01") =>
        Route(DecisionMaker.Cabinet, change, Doncaster, today, "2018-04-24");

    [Fact]
    public void Finding_18_a_general_exception_decision_keeps_its_call_in_and_takes_effect_when_call_in_closes()
    {
        var plan = Doncaster2018(p => p with { NoticeImpracticable = true });

        Assert.True(plan.IsComplete);
        Assert.False(plan.Requires("key-decision-notice"));
        // Reg 10: 5 clear days before Tue 24 April 2018 is Wed 18 April.
        Assert.Equal(new LocalDate(2018, 4, 18), plan.Find("general-exception-notice")!.Timing!.LatestDate);
        Assert.False(plan.Requires("call-in-urgency-exemption"));

        // 5 working days after Tue 24 April: 25, 26, 27, 30 April and 1 May; the decision takes effect when that ends,
        // not at the start of its decision day.
        var closes = plan.Find("call-in-window")!.Timing!.Closes!.Value;
        Assert.Equal(new LocalDate(2018, 5, 2), closes.Date);
        Assert.Equal(closes, plan.EffectiveFrom);
        Assert.DoesNotContain(plan.Warnings, w => w.Rule == "UrgentFlagStandsForTwoTests");
    }

    [Fact]
    public void Finding_18_the_old_urgent_flag_still_reads_as_both_tests_and_the_plan_warns_that_it_conflates_them()
    {
        var plan = Doncaster2018(p => p with { Urgent = true });

        Assert.True(plan.Requires("general-exception-notice"));
        Assert.True(plan.Requires("call-in-urgency-exemption"));
        Assert.False(plan.Requires("call-in-window"));
        Assert.Equal(new LocalDate(2018, 4, 24).AtStartOfDayInZone(DateTimeZoneProviders.Tzdb["Europe/London"]), plan.EffectiveFrom);
        var warning = Assert.Single(plan.Warnings, w => w.Rule == "UrgentFlagStandsForTwoTests");
        Assert.Contains("noticeImpracticable and callInExempt", warning.Message);
        Assert.Contains("can still be called in", warning.Message);
    }

    [Fact]
    public void Finding_18_sibling_special_urgency_keeps_the_call_in_window()
    {
        // Three days before the meeting the 5 clear days of reg 10 can no longer be given: special urgency (reg 11).
        var plan = Doncaster2018(p => p with { NoticeImpracticable = true }, today: "2018-04-21");

        Assert.True(plan.Requires("special-urgency-agreement"));
        Assert.Contains(plan.UrgencyRoutes, u => u.Instead == "special-urgency-agreement");
        Assert.True(plan.Requires("call-in-window"));
        Assert.Equal(plan.Find("call-in-window")!.Timing!.Closes, plan.EffectiveFrom);
    }

    [Fact]
    public void Finding_18_sibling_exempt_from_call_in_without_notice_urgency_still_needs_the_28_day_notice()
    {
        var plan = Doncaster2018(p => p with { CallInExempt = true });

        // Reg 9: 28 clear days before Tue 24 April 2018 is Mon 26 March.
        Assert.Equal(new LocalDate(2018, 3, 26), plan.Find("key-decision-notice")!.Timing!.LatestDate);
        Assert.False(plan.Requires("general-exception-notice"));
        Assert.True(plan.Requires("call-in-urgency-exemption"));
        Assert.False(plan.Requires("call-in-window"));
        Assert.DoesNotContain(plan.Warnings, w => w.Rule == "UrgentFlagStandsForTwoTests");
    }

    [Fact]
    public void Finding_18_sibling_urgent_with_one_fact_given_uses_that_fact_and_still_warns_for_the_other()
    {
        var plan = Doncaster2018(p => p with { Urgent = true, CallInExempt = false });

        Assert.True(plan.Requires("general-exception-notice"));
        Assert.True(plan.Requires("call-in-window"));
        Assert.False(plan.Requires("call-in-urgency-exemption"));
        Assert.Single(plan.Warnings, w => w.Rule == "UrgentFlagStandsForTwoTests");

        var both = Doncaster2018(p => p with { Urgent = true, CallInExempt = false, NoticeImpracticable = false });
        Assert.True(both.Requires("key-decision-notice"));
        Assert.DoesNotContain(both.Warnings, w => w.Rule == "UrgentFlagStandsForTwoTests");
    }

    [Theory]
    [InlineData("\"urgent\": true", true, true, true)]
    [InlineData("\"urgent\": true, \"callInExempt\": false", true, false, true)]
    [InlineData("\"noticeImpracticable\": true", true, false, false)]
    [InlineData("\"callInExempt\": true", false, true, false)]
    [InlineData("\"urgent\": true, \"noticeImpracticable\": false, \"callInExempt\": false", false, false, false)]
    public void Finding_18_the_reader_keeps_the_two_facts_apart_and_knows_when_urgent_decided_one(string fields, bool notice, bool exempt, bool fromUrgent)
    {
        var json = "{ \"id\": \"x\", \"title\": \"x\", \"decisionMaker\": \"Cabinet\", \"intendedDecisionDate\": \"2025-06-20\", \"kinds\": [ \"ServiceChange\" ], " + fields + " }";

        var proposal = ProposalReader.Read("p.json", json).Proposal!;

        Assert.Equal((notice, exempt, fromUrgent), (proposal.NoticeImpracticable, proposal.CallInExempt, proposal.UrgencyReadFromUrgentFlag));
    }

    // ---- Findings 22 and 33: the executive model chooses SI 2001/3384 Sch 1 Part I or Part II -------------------------

    /// <summary>An appointment where <paramref name="flag"/> (chiefOfficer or headOfPaidService) is true and the other officer flags false.</summary>
    private static Proposal ChiefOfficer(Proposal p, string flag = "chiefOfficer")
    {
        var flags = new Dictionary<string, object> { ["chiefOfficer"] = false, ["headOfPaidService"] = false, ["statutoryOfficer"] = false, [flag] = true };
        return p with { Kinds = new[] { ProposalKind.Appointment }, FinancialCommitment = 0, Attributes = new ProposalAttributes(flags) };
    }

    [Fact]
    public void Finding_22_the_england_baseline_is_leader_and_cabinet_and_cites_sch_1_part_II()
    {
        Assert.Equal("LeaderAndCabinet", England.Definition.Parameters["executiveModel"].Value);

        var plan = Route(DecisionMaker.Cabinet, p => ChiefOfficer(p));

        Assert.True(plan.Requires("appointments-panel"));
        Assert.True(plan.Requires("executive-objection-window"));
        Assert.StartsWith("SI 2001/3384 Sch 1 Part II (leader and cabinet executive)", Rule(plan, "ChiefOfficerAppointment").Source);
        Assert.DoesNotContain(plan.MatchedRules, r => r.Rule == "ChiefOfficerAppointmentMayorAndCabinet");
        Assert.True(plan.IsComplete);
    }

    [Fact]
    public void Finding_33_doncaster_declares_a_mayoral_executive_so_the_baseline_cites_sch_1_part_I_without_replacing_steps()
    {
        Assert.Equal(("MayorAndCabinet", "doncaster"), (Doncaster.Definition.Parameters["executiveModel"].Value, Doncaster.Definition.Parameters["executiveModel"].RuleSet));

        var plan = Route(DecisionMaker.Cabinet, p => ChiefOfficer(p), Doncaster, "2018-01-01", "2018-04-24");

        Assert.StartsWith("SI 2001/3384 Sch 1 Part I (mayor and cabinet executive)", Rule(plan, "ChiefOfficerAppointmentMayorAndCabinet").Source);
        Assert.DoesNotContain(plan.MatchedRules, r => r.Rule == "ChiefOfficerAppointment");

        // The steps are England's own: Doncaster no longer replaces them to change their citation.
        Assert.Equal(England.Steps["executive-objection-window"].Source, Doncaster.Steps["executive-objection-window"].Source);
        Assert.Equal(England.Steps["appointments-panel"].Source, Doncaster.Steps["appointments-panel"].Source);
    }

    [Fact]
    public void Finding_33_sibling_the_head_of_paid_service_appointment_cites_the_part_for_the_executive_model()
    {
        var leader = Route(DecisionMaker.FullCouncil, p => ChiefOfficer(p, "headOfPaidService"));
        var mayor = Route(DecisionMaker.FullCouncil, p => ChiefOfficer(p, "headOfPaidService"), Doncaster, "2018-01-01", "2018-04-24");

        Assert.Contains("Part II", Rule(leader, "HeadOfPaidServiceAppointment").Source);
        Assert.Contains("Part I ", Rule(mayor, "HeadOfPaidServiceAppointmentMayorAndCabinet").Source);
        Assert.DoesNotContain(mayor.MatchedRules, r => r.Rule == "HeadOfPaidServiceAppointment");
        Assert.True(leader.Requires("full-council-approval") && mayor.Requires("full-council-approval"));
    }

    // ---- Part C item 8 and Darlington 6(c): statutory officer roles, pay policy, LGPS ---------------------------------

    [Theory]
    [InlineData(StatutoryRole.DirectorOfAdultSocialServices, "DirectorOfAdultSocialServicesDesignated", "Local Authority Social Services Act 1970 s6(A1)")]
    [InlineData(StatutoryRole.DirectorOfChildrensServices, "DirectorOfChildrensServicesDesignated", "Children Act 2004 s18")]
    [InlineData(StatutoryRole.DirectorOfPublicHealth, "DirectorOfPublicHealthJointAppointment", "NHS Act 2006 s73A(1)")]
    [InlineData(StatutoryRole.HeadOfPaidService, "HeadOfPaidServiceDesignated", "Local Government and Housing Act 1989 s4(1)")]
    [InlineData(StatutoryRole.ChiefFinanceOfficer, "ChiefFinanceOfficerDesignated", "LGA 1972 s151")]
    [InlineData(StatutoryRole.MonitoringOfficer, "MonitoringOfficerDesignated", "Local Government and Housing Act 1989 s5(1)")]
    public void Part_C_8_a_statutory_role_the_proposal_touches_needs_its_holder_confirmed_before_the_decision(StatutoryRole role, string rule, string source)
    {
        var plan = Route(DecisionMaker.FullCouncil, p => p with { Kinds = new[] { ProposalKind.ChiefOfficerStructure }, StatutoryRoles = new[] { role } });

        Assert.StartsWith(source, Rule(plan, rule).Source);
        Assert.True(Precedes(plan, "statutory-role-designation", "full-council-approval"), "statutory-role-designation before full-council-approval");
        Assert.False(Route(DecisionMaker.FullCouncil, p => p with { Kinds = new[] { ProposalKind.ChiefOfficerStructure } }).Requires("statutory-role-designation"));
    }

    [Fact]
    public void Part_C_8_a_director_of_public_health_is_appointed_jointly_with_the_secretary_of_state_after_the_council_decides()
    {
        var plan = Route(DecisionMaker.FullCouncil, p => p with { Kinds = new[] { ProposalKind.Appointment }, StatutoryRoles = new[] { StatutoryRole.DirectorOfPublicHealth }, Attributes = new ProposalAttributes(new Dictionary<string, object> { ["chiefOfficer"] = false, ["headOfPaidService"] = false, ["statutoryOfficer"] = false }) });

        var joint = plan.Find("dph-joint-appointment")!;
        Assert.Equal("secretary-of-state", joint.Body!.Id);
        Assert.True(Precedes(plan, "full-council-approval", "dph-joint-appointment"));
        Assert.False(plan.Requires("dph-termination-consultation"));

        var dismissal = Route(DecisionMaker.FullCouncil, p => p with { Kinds = new[] { ProposalKind.Dismissal }, StatutoryRoles = new[] { StatutoryRole.DirectorOfPublicHealth }, Attributes = new ProposalAttributes(new Dictionary<string, object> { ["chiefOfficer"] = false, ["statutoryOfficer"] = false, ["headOfPaidService"] = false }) });
        Assert.True(Precedes(dismissal, "dph-termination-consultation", "full-council-approval"), "dph-termination-consultation before full-council-approval");
        Assert.False(dismissal.Requires("dph-joint-appointment"));
    }

    [Fact]
    public void Darlington_6c_the_appointment_and_early_retirement_go_through_the_employment_rules_pay_policy_and_lgps_and_the_cabinet_route_warns()
    {
        var plan = Plans.Seed("darlington-2014-director-appointment", "darlington", "2014-01-01", p => WithChiefOfficer(p));

        Assert.True(plan.IsComplete);
        foreach (var step in new[] { "appointments-panel", "executive-objection-window", "pay-policy-compliance", "lgps-discretions", "statutory-role-designation" })
        {
            Assert.True(plan.Requires(step), step);
        }

        Assert.Contains("Part II", Rule(plan, "ChiefOfficerAppointment").Source);
        Assert.StartsWith("Localism Act 2011 s41", Rule(plan, "ChiefOfficerTermsWithinPayPolicy").Source);
        Assert.Contains("reg 60", Rule(plan, "EarlyRetirementLgpsDiscretions").Source);
        Assert.True(Precedes(plan, "pay-policy-compliance", "cabinet-decision"), "pay-policy-compliance before cabinet-decision");
        Assert.True(Precedes(plan, "lgps-discretions", "cabinet-decision"), "lgps-discretions before cabinet-decision");
        var warning = Assert.Single(plan.Warnings, w => w.Rule == "StaffingFunctionRoutedToExecutive" && w.Kind == PlanWarningKind.RuleWarning);
        Assert.Contains("not executive functions", warning.Message);

        // Decided by Council instead, the route does not skip them and there is nothing to warn about.
        var council = Plans.Seed("darlington-2014-director-appointment", "darlington", "2014-01-01", p => WithChiefOfficer(p) with { DecisionMaker = DecisionMaker.FullCouncil });
        Assert.DoesNotContain(council.Warnings, w => w.Rule == "StaffingFunctionRoutedToExecutive");
        Assert.True(council.Requires("pay-policy-compliance"));
    }

    [Fact]
    public void Darlington_6c_sibling_an_early_retirement_alone_uses_the_lgps_regulations_in_force_on_the_date()
    {
        var after = Route(DecisionMaker.Officer, p => p with { Kinds = new[] { ProposalKind.EarlyRetirement }, FinancialCommitment = 0 }, date: "2014-04-01", today: "2014-01-01");
        var before = Route(DecisionMaker.Officer, p => p with { Kinds = new[] { ProposalKind.EarlyRetirement }, FinancialCommitment = 0 }, date: "2014-03-31", today: "2014-01-01");

        Assert.Contains("Regulations 2013", Rule(after, "EarlyRetirementLgpsDiscretions").Source);
        Assert.Contains("Administration) Regulations 2008", Rule(before, "EarlyRetirementLgpsDiscretionsBefore2014").Source);
        Assert.Single(after.Warnings, w => w.Rule == "StaffingFunctionRoutedToExecutive" && w.Kind == PlanWarningKind.RuleWarning);
        Assert.True(Precedes(after, "lgps-discretions", "officer-decision"), "lgps-discretions before officer-decision");
    }

    private static Proposal WithChiefOfficer(Proposal proposal) =>
        proposal with { Attributes = new ProposalAttributes(new Dictionary<string, object>(proposal.Attributes.Values) { ["chiefOfficer"] = true }) };

    // ---- Law round 2: citations corrected after reading the primary text ------------------------------------------

    [Fact]
    public void A_constitution_change_goes_to_full_council_on_the_constitutions_own_rule_not_on_s9P()
    {
        // LGA 2000 s9P only requires the constitution to be kept up to date; it does not say who amends it. The
        // reservation to Full Council is the constitution's own article, and a minor change may be delegated.
        System.Func<bool, System.Func<Proposal, Proposal>> change = minor => p => p with
        {
            Kinds = new[] { ProposalKind.ConstitutionChange },
            FinancialCommitment = 0,
            Attributes = new ProposalAttributes(new Dictionary<string, object> { ["minorChange"] = minor }),
        };

        var plan = Route(DecisionMaker.FullCouncil, change(false));
        Assert.True(plan.Requires("full-council-approval"));
        var rule = Rule(plan, "ConstitutionChange");
        Assert.StartsWith("The council's constitution", rule.Source);
        Assert.Contains("LGA 2000 s9P(1) only requires", rule.Source);
        Assert.DoesNotContain(Route(DecisionMaker.FullCouncil, change(true)).MatchedRules, r => r.Rule == "ConstitutionChange");
    }

    [Theory]
    [InlineData(StatutoryRole.HeadOfPaidService, "HeadOfPaidServiceDesignated", "s4(1)(a)")]
    [InlineData(StatutoryRole.MonitoringOfficer, "MonitoringOfficerDesignated", "s5(1A)–(1B)")]
    public void A_statutory_role_rule_read_against_its_text_cites_the_subsection_and_is_no_longer_unverified(StatutoryRole role, string rule, string subsection)
    {
        var plan = Route(DecisionMaker.FullCouncil, p => p with { Kinds = new[] { ProposalKind.ChiefOfficerStructure }, StatutoryRoles = new[] { role } });
        var matched = Rule(plan, rule);
        Assert.Contains(subsection, matched.Source);
        Assert.False(matched.Verify, "read against the text on 2026-11-29");
    }
}
