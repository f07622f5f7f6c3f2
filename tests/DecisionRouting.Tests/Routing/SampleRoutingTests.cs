using System.IO;
using System.Linq;
using DecisionRouting.Proposals;
using DecisionRouting.Routing;
using DecisionRouting.RuleSets;
using DecisionRouting.Tests.Support;

namespace DecisionRouting.Tests.Routing;

/// <summary>
/// Each seed decision routed with rules/england, against the expected routes in the governance catalogue. Test
/// names carry the seed paragraphs. Dates, call-in periods and partnership rules come with the partnership rule sets.
/// </summary>
public sealed class SampleRoutingTests
{
    private static readonly RuleSet England = RuleSet.Load(Repository.PathOf("rules/england"));

    private static RoutingPlan Route(string sample)
    {
        var proposal = ProposalReader.ReadFile(Repository.PathOf($"samples/proposals/{sample}.json")).Proposal!;
        return new Router(England).Route(proposal);
    }


    [Fact]
    public void England_baseline_loads_without_diagnostics()
    {
        Assert.Empty(England.Warnings);
        Assert.All(England.Definition.Workflows.SelectMany(w => w.Rules), r => Assert.False(string.IsNullOrWhiteSpace(r.Governance?.Source), r.Name));
    }

    [Fact]
    public void Darlington_6a_proof_of_concept_is_a_cabinet_key_decision_paras_6a_53()
    {
        var plan = Route("darlington-2014-proof-of-concept");
        PlanAssert.Order(plan, "key-decision-notice", "cabinet-decision", "decision-record", "call-in-window");
        Assert.True(plan.Requires("ccg-governing-body-approval"), "para 4: later expansion needs both bodies");
        Assert.False(plan.Requires("full-council-approval"), "TAB: within the budget and policy framework");
    }

    [Fact]
    public void Darlington_6b_chief_officer_structure_goes_to_council_paras_6b_53()
    {
        // The England baseline sends a chief officer structure to Council only: Cabinet's recommendation first is
        // Darlington's constitution (6(b), para 53), which its own rule set adds (SeedReplayTests), not English law
        // (law review finding 26; Durham 2019 para 52 goes straight to Council).
        var plan = Route("darlington-2014-chief-officer-structure");
        Assert.Equal("full-council-approval", plan.DecisionStep);
        Assert.False(plan.Requires("cabinet-recommendation"));
        Assert.True(plan.Requires("staff-consultation"), "para 56");
        Assert.False(plan.Requires("cabinet-decision"));
        Assert.False(plan.Requires("call-in-window"), "a recommendation to Council is not an executive decision");
    }

    [Fact]
    public void Darlington_6c_appointment_stays_with_cabinet_para_48()
    {
        var plan = Route("darlington-2014-director-appointment");
        Assert.True(plan.Requires("cabinet-decision"));
        Assert.False(plan.Requires("full-council-approval"), "£60,000 is below the £100,000 severance vote");
    }

    [Fact]
    public void Durham_ordinary_decision_has_no_key_decision_notice_and_needs_both_ccgs_paras_6b_App1_MoU21()
    {
        var plan = Route("durham-2019-integrated-strategic-commissioning");
        Assert.False(plan.Requires("key-decision-notice"), "front sheet: Ordinary Decision, no cost implications");
        Assert.True(plan.Requires("cabinet-decision"));
        Assert.True(plan.Requires("ccg-governing-body-approval"), "6(b): same report to both CCG governing bodies");
        Assert.True(plan.Requires("all-signatories-agree-variation"), "MoU para 21");
        Assert.False(plan.Requires("hwb-report"), "reporting every agreement to the HWB is local practice, not the England baseline (law review finding 12)");
    }

    [Fact]
    public void Durham_new_post_goes_to_full_council_para_52()
    {
        var plan = Route("durham-2019-head-of-commissioning-post");
        Assert.True(plan.Requires("full-council-approval"));
    }

    [Fact]
    public void Barking_and_Dagenham_needs_the_pct_board_and_no_2012_notice_paras_5_1_to_6_1()
    {
        var plan = Route("barking-dagenham-2010-integrated-leadership");
        Assert.True(plan.Requires("pct-board-approval"));
        Assert.False(plan.Requires("ccg-governing-body-approval"));
        Assert.False(plan.Requires("key-decision-notice"), "pre-2012 regime, no spend");
        Assert.DoesNotContain(plan.Warnings, w => w.Kind == PlanWarningKind.BodyNotInExistence);
    }

    [Fact]
    public void Croydon_key_decision_1241_then_call_in_then_s75_paras_1_1_1_2_2_1()
    {
        var plan = Route("croydon-2013-integrated-commissioning-unit");
        PlanAssert.Order(plan, "key-decision-notice", "cabinet-decision", "decision-record", "call-in-window", "s75-agreement");
        Assert.True(plan.Requires("staff-consultation"), "1.1");
        Assert.True(plan.Requires("ccg-governing-body-approval"), "App B: CCG paper in parallel");
        Assert.True(plan.Requires("s75-joint-consultation"));
        Assert.Contains(plan.Find("s75-agreement")!.After, a => a == "call-in-window" || a == "ccg-governing-body-approval");
    }

    [Fact]
    public void Doncaster_key_decision_with_ccg_approval_as_open_requirement_paras_8_9_49()
    {
        var plan = Route("doncaster-2018-joint-commissioner-agreement");
        PlanAssert.Order(plan, "key-decision-notice", "cabinet-decision", "call-in-window");
        Assert.True(plan.Requires("ccg-governing-body-approval"));
        Assert.False(plan.Requires("private-meeting-notice"), "para 8: not exempt");
        Assert.Equal(1, plan.Find("finance-sign-off")!.Stage);
        Assert.Equal(plan.Find("finance-sign-off")!.Stage, plan.Find("legal-sign-off")!.Stage);
    }

    [Fact]
    public void Doncaster_provider_collaboration_agreement_is_a_cabinet_key_decision_para_9ii()
    {
        var plan = Route("doncaster-2018-provider-collaboration-agreement");
        Assert.True(plan.Requires("key-decision-notice"));
        Assert.False(plan.Requires("ccg-governing-body-approval"), "providers' agreement, not a commissioner arrangement");
    }

    [Fact]
    public void Every_sample_routes_with_reasons_and_sources_for_every_step()
    {
        foreach (var file in Directory.GetFiles(Repository.PathOf("samples/proposals"), "*.json"))
        {
            var plan = Route(Path.GetFileNameWithoutExtension(file));
            Assert.NotEmpty(plan.Steps);
            Assert.All(plan.Steps, s => Assert.All(s.RequiredBy, r => Assert.False(string.IsNullOrEmpty(r.Source))));
            Assert.Equal(England.Hash, plan.RuleSetHash);
        }
    }
}
