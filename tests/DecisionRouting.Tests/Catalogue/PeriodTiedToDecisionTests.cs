using System.Linq;
using DecisionRouting.RuleSets;
using DecisionRouting.Tests.Support;

namespace DecisionRouting.Tests.Catalogue;

/// <summary>DR0042: which periods count as tied to a decision, and that the shipped rules do not trip it.</summary>
public sealed class PeriodTiedToDecisionTests
{
    private static string[] Warned(string extraSteps)
    {
        var catalogue = $$"""
            { "roles": [ { "id": "clerk", "name": "Clerk" } ], "steps": [
              {{extraSteps}},
              { "id": "decide", "name": "Decide", "kind": "Approval", "role": "clerk" },
              { "id": "record", "name": "Record", "kind": "Record", "after": [ "decide" ] }
            ] }
            """;
        using var set = TempRuleSet.With(catalogue: catalogue, rules: """{ "WorkflowName": "w", "Rules": [ { "RuleName": "R", "Expression": "true" } ] }""");
        return RuleSet.Validate(set.Directory).Diagnostics.Where(d => d.Id == "DR0042").Select(d => (string)d.Message).ToArray();
    }

    [Fact]
    public void A_sign_off_with_a_period_and_no_ordering_is_warned_about()
    {
        var warned = Assert.Single(Warned("""{ "id": "sign", "name": "Sign", "kind": "SignOff", "duration": { "days": 5, "counting": "WorkingDays" } }"""));
        Assert.Contains("'sign' runs for 5 working days", warned);
    }

    [Fact]
    public void A_notice_whose_period_runs_from_its_start_is_warned_about_but_one_measured_back_from_the_decision_is_not()
    {
        Assert.Single(Warned("""{ "id": "hr1", "name": "HR1", "kind": "Notice", "duration": { "days": 30, "counting": "CalendarDays", "anchor": "FromStart" } }"""));
        Assert.Empty(Warned("""{ "id": "agenda", "name": "Agenda", "kind": "Notice", "duration": { "days": 5, "counting": "ClearWorkingDays" } }"""));
    }

    [Theory]
    [InlineData("""{ "id": "consult", "name": "Consult", "kind": "Consultation", "duration": { "days": 30, "counting": "CalendarDays" }, "after": [ "record" ] }""")]
    [InlineData("""{ "id": "consult", "name": "Consult", "kind": "Consultation", "duration": { "days": 30, "counting": "CalendarDays" }, "before": [ "record" ], "after": [ "decide" ] }""")]
    [InlineData("""{ "id": "consult", "name": "Consult", "kind": "Consultation", "duration": { "days": 30, "counting": "CalendarDays" }, "periodEndsBefore": "the first dismissal takes effect (TULRCA 1992 s188(1A))" }""")]
    [InlineData("""{ "id": "consult", "name": "Consult", "kind": "Consultation" }""")]
    public void A_period_ordered_after_a_decision_explained_by_periodEndsBefore_or_absent_is_not_warned_about(string step)
    {
        Assert.Empty(Warned(step));
    }

    private const string CallInAndLaterDecision = """
        { "id": "call-in-window", "name": "Call-in", "kind": "CallIn", "after": [ "decide" ] },
        { "id": "finalise", "name": "Finalise", "kind": "Approval", "role": "clerk", "after": [ "call-in-window" ] }
        """;

    [Theory]
    [InlineData("call-in-window")]
    [InlineData("finalise")]
    public void A_consultation_only_before_a_step_after_the_call_in_is_untied_even_when_a_later_approval_follows(string successor)
    {
        // consult → call-in-window → finalise, decide → call-in-window: consult comes before a later decision, never
        // before (or after) the decision the call-in is about, so plans leave it undated.
        var warned = Warned(CallInAndLaterDecision + $$""", { "id": "consult", "name": "Consult", "kind": "Consultation", "duration": { "days": 42, "counting": "CalendarDays" }, "before": [ "{{successor}}" ] }""");
        Assert.Contains("'consult' runs for 42", Assert.Single(warned));
    }

    [Fact]
    public void A_consultation_before_the_decision_with_a_call_in_and_later_approval_is_tied()
    {
        Assert.Empty(Warned(CallInAndLaterDecision + """, { "id": "consult", "name": "Consult", "kind": "Consultation", "duration": { "days": 42, "counting": "CalendarDays" }, "before": [ "decide" ] }"""));
    }

    [Fact]
    public void A_consultation_that_only_shares_a_successor_with_the_decision_is_still_untied()
    {
        // consult → record ← decide: both come before the record, but nothing orders consult against decide.
        Assert.Single(Warned("""{ "id": "consult", "name": "Consult", "kind": "Consultation", "duration": { "days": 30, "counting": "CalendarDays" }, "before": [ "record" ] }"""));
    }

    [Theory]
    [InlineData("rules/england")]
    [InlineData("rules/partnerships/barking-dagenham")]
    [InlineData("rules/partnerships/croydon")]
    [InlineData("rules/partnerships/darlington")]
    [InlineData("rules/partnerships/doncaster")]
    [InlineData("rules/partnerships/durham")]
    public void Shipped_rule_sets_validate_without_diagnostics(string folder)
    {
        Assert.Empty(RuleSet.Validate(Repository.PathOf(folder)).Diagnostics);
    }
}
