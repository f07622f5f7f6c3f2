using System;
using System.Collections.Generic;
using System.Linq;
using DecisionRouting.Proposals;
using DecisionRouting.Routing;
using DecisionRouting.RuleSets;
using DecisionRouting.Tests.Support;
using NodaTime;

namespace DecisionRouting.Tests.Incomplete;

/// <summary>
/// Issue 12 §1: a missing value never decides a rule. Every case runs through both evaluators (compiled and plain
/// RulesEngine), which must agree.
/// </summary>
public sealed class UndecidedRuleTests
{
    internal const string Manifest = """
        {
          "name": "local",
          "attributes": {
            "localSpendCap": { "type": "number", "description": "The spending cap the constitution sets for this proposal", "source": "Constitution Part 3 para 4" },
            "localBand": { "type": "text", "description": "Local band", "source": "Constitution Part 3 para 5" },
            "preApproved": { "type": "flag", "description": "Approved in the budget", "source": "Budget report" },
            "approvedOn": { "type": "date", "description": "When the budget approved it", "source": "Budget report" }
          }
        }
        """;

    public static TheoryData<RoutingEvaluation> Evaluations() => new() { RoutingEvaluation.Compiled, RoutingEvaluation.RulesEngine };

    internal static string OneRule(string expression, string name = "Local") => $$"""
        { "WorkflowName": "main", "Rules": [
          { "RuleName": "{{name}}", "Expression": "{{expression.Replace("\"", "\\\"")}}", "Properties": { "steps": [ "notice", "decision" ], "source": "Constitution Part 3" } }
        ] }
        """;

    internal static Proposal Proposal(IReadOnlyDictionary<string, object>? attributes = null, int wards = 3) => new()
    {
        Id = "p1",
        Title = "Pooled budget",
        DecisionMaker = DecisionMaker.Cabinet,
        IntendedDecisionDate = new LocalDate(2024, 6, 3),
        Kinds = new[] { ProposalKind.PooledBudget },
        FinancialCommitment = 1000,
        WardsAffected = wards,
        Attributes = new ProposalAttributes(attributes ?? new Dictionary<string, object>()),
    };

    private static RoutingPlan Route(string rules, RoutingEvaluation evaluation, Proposal proposal, string manifest = Manifest)
    {
        using var set = TempRuleSet.With(rules: rules, manifest: manifest);
        return new Router(RuleSet.Load(set.Directory), new RoutingOptions { Evaluation = evaluation }).Route(proposal);
    }

    [Theory]
    [InlineData("proposal.Attributes.Number(\"localSpendCap\") < 50000", "localSpendCap", RoutingEvaluation.Compiled)]
    [InlineData("proposal.Attributes.Number(\"localSpendCap\") < 50000", "localSpendCap", RoutingEvaluation.RulesEngine)]
    [InlineData("proposal.Attributes.Text(\"localBand\") != \"A\"", "localBand", RoutingEvaluation.Compiled)]
    [InlineData("proposal.Attributes.Text(\"localBand\") != \"A\"", "localBand", RoutingEvaluation.RulesEngine)]
    [InlineData("!proposal.Attributes.Flag(\"preApproved\")", "preApproved", RoutingEvaluation.Compiled)]
    [InlineData("!proposal.Attributes.Flag(\"preApproved\")", "preApproved", RoutingEvaluation.RulesEngine)]
    [InlineData("proposal.Attributes.Number(\"localSpendCap\") == 0", "localSpendCap", RoutingEvaluation.Compiled)]
    [InlineData("proposal.Attributes.Number(\"localSpendCap\") == 0", "localSpendCap", RoutingEvaluation.RulesEngine)]
    [InlineData("proposal.Attributes.Date(\"approvedOn\") < LocalDate(2024, 1, 1)", "approvedOn", RoutingEvaluation.Compiled)]
    [InlineData("proposal.Attributes.Date(\"approvedOn\") < LocalDate(2024, 1, 1)", "approvedOn", RoutingEvaluation.RulesEngine)]
    public void An_absent_optional_attribute_leaves_the_rule_undecided_never_true(string expression, string attribute, RoutingEvaluation evaluation)
    {
        var plan = Route(OneRule(expression), evaluation, Proposal());

        Assert.False(plan.IsComplete);
        Assert.Empty(plan.MatchedRules);
        Assert.False(plan.Requires("notice"));
        var undecided = Assert.Single(plan.Incomplete);
        Assert.Equal(("main", "Local", IncompleteRuleKind.Undecided, $"attribute '{attribute}'"), (undecided.Workflow, undecided.Rule, undecided.Kind, undecided.MissingValue));
        Assert.Equal(new[] { "notice", "decision" }, undecided.Steps);
    }

    [Theory]
    [MemberData(nameof(Evaluations))]
    public void A_given_attribute_decides_the_rule_either_way(RoutingEvaluation evaluation)
    {
        var rules = OneRule("proposal.Attributes.Number(\"localSpendCap\") < 50000 && proposal.Attributes.Date(\"approvedOn\") >= LocalDate(2024, 1, 1)");
        var under = Route(rules, evaluation, Proposal(new Dictionary<string, object> { ["localSpendCap"] = 10_000m, ["approvedOn"] = "2024-02-01" }));
        var over = Route(rules, evaluation, Proposal(new Dictionary<string, object> { ["localSpendCap"] = 90_000m }));

        Assert.True(under.IsComplete);
        Assert.True(under.Requires("notice"));

        // Short-circuit: the date is never read when the cap already fails, so the rule is decided (false).
        Assert.True(over.IsComplete);
        Assert.False(over.Requires("notice"));
    }

    [Theory]
    [InlineData("And", RoutingEvaluation.Compiled)]
    [InlineData("And", RoutingEvaluation.RulesEngine)]
    [InlineData("Or", RoutingEvaluation.Compiled)]
    [InlineData("Or", RoutingEvaluation.RulesEngine)]
    public void A_nested_child_reading_an_absent_attribute_is_not_swallowed_by_its_parent(string op, RoutingEvaluation evaluation)
    {
        // With And the first child is false, with Or it is true: before, the parent decided regardless of the second.
        var first = op == "And" ? "proposal.FinancialCommitment > 5000" : "proposal.FinancialCommitment > 100";
        var rules = $$"""
            { "WorkflowName": "main", "Rules": [
              { "RuleName": "Parent", "Operator": "{{op}}", "Properties": { "steps": [ "notice" ], "source": "s" }, "Rules": [
                { "RuleName": "First", "Expression": "{{first}}" },
                { "RuleName": "Second", "Expression": "proposal.Attributes.Flag(\"preApproved\")" } ] } ] }
            """;

        var plan = Route(rules, evaluation, Proposal());

        var undecided = Assert.Single(plan.Incomplete);
        Assert.Equal(("Parent", IncompleteRuleKind.Undecided, "attribute 'preApproved'"), (undecided.Rule, undecided.Kind, undecided.MissingValue));
        Assert.Empty(plan.MatchedRules);
    }

    [Theory]
    [InlineData("And", "proposal.FinancialCommitment / proposal.WardsAffected > 1", RoutingEvaluation.Compiled)]
    [InlineData("And", "proposal.FinancialCommitment / proposal.WardsAffected > 1", RoutingEvaluation.RulesEngine)]
    [InlineData("Or", "proposal.FinancialCommitment / proposal.WardsAffected > 1", RoutingEvaluation.Compiled)]
    [InlineData("Or", "proposal.FinancialCommitment / proposal.WardsAffected > 1", RoutingEvaluation.RulesEngine)]
    [InlineData("Or", "proposal.Partners.First() == \"NHS\"", RoutingEvaluation.Compiled)]
    [InlineData("Or", "proposal.Partners.First() == \"NHS\"", RoutingEvaluation.RulesEngine)]
    public void A_nested_child_that_fails_makes_its_rule_not_evaluated_never_a_silent_no_match(string op, string failing, RoutingEvaluation evaluation)
    {
        // RulesEngine combines a failing child as "no match": with And the parent is then false, with Or the other child
        // decides. Either way the failure used to vanish from the plan.
        var rules = $$"""
            { "WorkflowName": "main", "Rules": [
              { "RuleName": "Parent", "Operator": "{{op}}", "Properties": { "steps": [ "notice" ], "source": "s" }, "Rules": [
                { "RuleName": "First", "Expression": "proposal.FinancialCommitment > 100" },
                { "RuleName": "Second", "Expression": {{System.Text.Json.JsonSerializer.Serialize(failing)}} } ] } ] }
            """;

        var plan = Route(rules, evaluation, Proposal(wards: 0));

        Assert.False(plan.IsComplete);
        var failed = Assert.Single(plan.Incomplete);
        Assert.Equal(("Parent", IncompleteRuleKind.NotEvaluated), (failed.Rule, failed.Kind));
        Assert.Equal(new[] { "notice" }, failed.Steps);
        Assert.Empty(plan.MatchedRules);
    }

    [Theory]
    [MemberData(nameof(Evaluations))]
    public void A_local_param_reading_an_absent_attribute_leaves_its_rule_undecided(RoutingEvaluation evaluation)
    {
        var rules = """
            { "WorkflowName": "main", "Rules": [
              { "RuleName": "Capped", "LocalParams": [ { "Name": "cap", "Expression": "proposal.Attributes.Number(\"localSpendCap\")" } ], "Expression": "proposal.FinancialCommitment > cap", "Properties": { "steps": [ "notice" ], "source": "s" } },
              { "RuleName": "Plain", "Expression": "proposal.FinancialCommitment > 100", "Properties": { "steps": [ "decision" ], "source": "s" } } ] }
            """;

        var plan = Route(rules, evaluation, Proposal());

        Assert.Equal(new[] { "Capped" }, plan.Incomplete.Select(r => r.Rule));
        Assert.Equal(new[] { "Plain" }, plan.MatchedRules.Select(r => r.Rule));
    }

    [Theory]
    [MemberData(nameof(Evaluations))]
    public void A_global_param_reading_an_absent_attribute_leaves_every_rule_of_its_workflow_undecided_and_listed(RoutingEvaluation evaluation)
    {
        var rules = """
            { "WorkflowName": "main",
              "GlobalParams": [ { "Name": "capped", "Expression": "proposal.FinancialCommitment > proposal.Attributes.Number(\"localSpendCap\")" } ],
              "Rules": [
                { "RuleName": "OverCap", "Expression": "capped", "Properties": { "steps": [ "notice" ], "source": "s" } },
                { "RuleName": "Always", "Expression": "true", "Properties": { "steps": [ "decision" ], "source": "s" } } ] }
            """;

        var plan = Route(rules, evaluation, Proposal());

        Assert.Equal(new[] { "OverCap", "Always" }, plan.Incomplete.Select(r => r.Rule));
        Assert.All(plan.Incomplete, r => Assert.Equal((IncompleteRuleKind.Undecided, "attribute 'localSpendCap'"), (r.Kind, r.MissingValue)));
        Assert.Equal(new[] { "decision" }, plan.Incomplete[1].Steps);
    }

    [Theory]
    [MemberData(nameof(Evaluations))]
    public void A_throwing_global_param_no_longer_silently_drops_the_key_decision_notice_and_call_in(RoutingEvaluation evaluation)
    {
        // The example: one throwing GlobalParam used to remove every step its workflow would add, with exit 0.
        var catalogue = """
            {
              "bodies": [ { "id": "cabinet", "name": "Cabinet", "kind": "Executive" } ],
              "roles": [ { "id": "officer", "name": "Officer" } ],
              "steps": [
                { "id": "key-decision-notice", "name": "Key decision notice", "kind": "Notice", "role": "officer", "duration": { "days": 28, "counting": "ClearCalendarDays" } },
                { "id": "cabinet-decision", "name": "Cabinet decision", "kind": "Approval", "body": "cabinet", "after": [ "key-decision-notice" ] },
                { "id": "call-in", "name": "Call-in period", "kind": "CallIn", "role": "officer", "after": [ "cabinet-decision" ], "duration": { "days": 5, "counting": "ClearWorkingDays" } }
              ]
            }
            """;
        var rules = """
            { "WorkflowName": "key-decisions",
              "GlobalParams": [ { "Name": "isKeyDecision", "Expression": "proposal.FinancialCommitment / proposal.WardsAffected > 100" } ],
              "Rules": [
                { "RuleName": "KeyDecisionNotice", "Expression": "isKeyDecision", "Properties": { "steps": [ "key-decision-notice", "cabinet-decision" ], "source": "SI 2012/2089 reg 9" } },
                { "RuleName": "CallIn", "Expression": "isKeyDecision", "Properties": { "steps": [ "call-in" ], "source": "LGA 2000 s9F" } } ] }
            """;
        using var set = TempRuleSet.With(catalogue: catalogue, rules: rules);
        var plan = new Router(RuleSet.Load(set.Directory), new RoutingOptions { Evaluation = evaluation }).Route(Proposal(wards: 0));

        Assert.False(plan.IsComplete);
        Assert.Equal(new[] { "KeyDecisionNotice", "CallIn" }, plan.Incomplete.Select(r => r.Rule));
        Assert.All(plan.Incomplete, r => Assert.Equal(IncompleteRuleKind.NotEvaluated, r.Kind));
        Assert.Contains("key-decision-notice", plan.Incomplete.SelectMany(r => r.Steps));
        Assert.Contains("call-in", plan.Incomplete.SelectMany(r => r.Steps));
        Assert.All(plan.Incomplete, r => Assert.Contains("divide by zero", r.Message, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void A_mistyped_attribute_in_code_is_an_invalid_proposal_not_a_zero()
    {
        var rules = OneRule("proposal.Attributes.Number(\"localSpendCap\") < 50000");
        using var set = TempRuleSet.With(rules: rules, manifest: Manifest);
        var router = new Router(RuleSet.Load(set.Directory));

        var e = Assert.Throws<InvalidProposalException>(() => router.Route(Proposal(new Dictionary<string, object> { ["localSpendCap"] = "90000" })));

        var error = Assert.Single(e.Diagnostics);
        Assert.Equal("DR0036", error.Id);
        Assert.Contains("'localSpendCap' must be a number", error.Message);
        Assert.Contains("write it without quotes: 90000", error.Message);
    }

    [Fact]
    public void A_required_attribute_left_out_is_an_invalid_proposal()
    {
        var manifest = Manifest.Replace("\"type\": \"text\",", "\"type\": \"text\", \"required\": true,");
        var rules = OneRule("proposal.Attributes.Text(\"localBand\") == \"B\"");
        using var set = TempRuleSet.With(rules: rules, manifest: manifest);

        var e = Assert.Throws<InvalidProposalException>(() => new Router(RuleSet.Load(set.Directory)).Route(Proposal()));

        var error = Assert.Single(e.Diagnostics);
        Assert.Equal("DR0086", error.Id);
        Assert.Contains("must give attribute 'localBand' (text)", error.Message);
    }

    [Fact]
    public void An_undeclared_attribute_in_a_proposal_is_a_warning_with_did_you_mean()
    {
        var rules = OneRule("proposal.Attributes.Number(\"localSpendCap\") < 50000");
        using var set = TempRuleSet.With(rules: rules, manifest: Manifest);

        var plan = new Router(RuleSet.Load(set.Directory)).Route(Proposal(new Dictionary<string, object> { ["localSpendcap"] = 10m }));

        var warning = Assert.Single(plan.Warnings, w => w.Kind == PlanWarningKind.UndeclaredAttribute);
        Assert.Contains("did you mean 'localSpendCap'?", warning.Message);

        // The misspelling leaves the real attribute absent: the rule is undecided, not false.
        Assert.Equal("attribute 'localSpendCap'", Assert.Single(plan.Incomplete).MissingValue);
    }

    [Fact]
    public void A_flag_given_as_text_is_reported_at_its_position_in_the_proposal_file()
    {
        var json = """
            {
              "id": "p1", "title": "T", "decisionMaker": "Cabinet", "intendedDecisionDate": "2024-06-03", "kinds": [ "PooledBudget" ],
              "attributes": { "preApproved": "true" }
            }
            """;
        var read = ProposalReader.Read("p.json", json);
        using var set = TempRuleSet.With(rules: OneRule("proposal.Attributes.Flag(\"preApproved\")"), manifest: Manifest);

        var error = Assert.Single(RuleSet.Load(set.Directory).CheckProposal(read.Proposal!));

        var (line, column) = Position.Of(json, "\"true\"");
        Assert.Equal($"p.json({line},{column}): error DR0036: ", error.ToString()[..(error.ToString().IndexOf("DR0036", StringComparison.Ordinal) + 8)]);
        Assert.Contains("write it without quotes: true", error.Message);
    }
}

/// <summary>Nullable proposal values: a schedule entry the proposal does not give is missing, not an error.</summary>
public sealed class ScheduleValueTests
{
    [Fact]
    public void Reading_a_step_the_schedule_does_not_give_is_a_missing_value_even_for_a_proposal_built_in_code()
    {
        var proposal = UndecidedRuleTests.Proposal() with
        {
            Schedule = new Dictionary<string, StepDates> { ["consultation"] = new StepDates(new LocalDate(2024, 1, 2), null) },
        };

        Assert.Equal(new LocalDate(2024, 1, 2), proposal.Schedule["consultation"].Start);
        Assert.True(proposal.Schedule.ContainsKey("consultation"));
        Assert.Equal("schedule dates for step 'notice'", Assert.Throws<ProposalValueMissingException>(() => proposal.Schedule["notice"]).Value);
    }

    [Theory]
    [MemberData(nameof(UndecidedRuleTests.Evaluations), MemberType = typeof(UndecidedRuleTests))]
    public void A_rule_reading_an_absent_schedule_entry_is_undecided_in_both_paths(RoutingEvaluation evaluation)
    {
        using var set = TempRuleSet.With(rules: UndecidedRuleTests.OneRule("proposal.Schedule[\"notice\"] != null", "NoticeScheduled"));
        var router = new Router(RuleSet.Load(set.Directory), new RoutingOptions { Evaluation = evaluation });

        var plan = router.Route(UndecidedRuleTests.Proposal());

        var undecided = Assert.Single(plan.Incomplete);
        Assert.Equal((IncompleteRuleKind.Undecided, "schedule dates for step 'notice'"), (undecided.Kind, undecided.MissingValue));
    }
}
