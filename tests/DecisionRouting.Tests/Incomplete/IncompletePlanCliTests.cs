using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using DecisionRouting.Cli;
using DecisionRouting.Cli.Commands;
using DecisionRouting.Lifecycle;
using DecisionRouting.Routing;
using DecisionRouting.Stores;
using DecisionRouting.Tests.Support;
using Microsoft.Data.Sqlite;
using RuleSet = DecisionRouting.RuleSets.RuleSet;

namespace DecisionRouting.Tests.Incomplete;

/// <summary>Incomplete plans are loud: route exits 5, route-batch counts them, proposal create refuses them unless accepted (audited, real SQLite file).</summary>
public sealed class IncompletePlanCliTests : IDisposable
{
    private const string Rule = "proposal.Attributes.Number(\"localSpendCap\") < 50000";
    private readonly TempRuleSet _set = TempRuleSet.With(rules: UndecidedRuleTests.OneRule(Rule, "UnderLocalCap"), manifest: UndecidedRuleTests.Manifest);
    private readonly string _directory = Directory.CreateTempSubdirectory("dr-incomplete-").FullName;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _set.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    private static (int Exit, string Out, string Error) Run(params string[] args) => InProcessCli.Run(args);

    private string ProposalFile(string name, string attributes = "")
    {
        var path = Path.Combine(_directory, name + ".json");
        File.WriteAllText(path, $$"""
            {
              "id": "{{name}}",
              "title": "Pooled budget",
              "decisionMaker": "Cabinet",
              "intendedDecisionDate": "2024-06-03",
              "kinds": [ "PooledBudget" ],
              "financialCommitment": 1000{{(attributes.Length > 0 ? ",\n  \"attributes\": { " + attributes + " }" : string.Empty)}}
            }
            """);
        return path;
    }

    [Fact]
    public void Route_prints_an_incomplete_plan_loudly_top_and_bottom_and_exits_5()
    {
        var result = Run("route", ProposalFile("no-attributes"), "--rules", _set.Directory, "--today", "2024-01-02");

        Assert.Equal(ExitCodes.IncompletePlan, result.Exit);
        Assert.Equal(5, result.Exit);
        var lines = result.Out.Split('\n');
        Assert.StartsWith("!! INCOMPLETE PLAN: 1 rule(s) undecided, 0 not evaluated; the plan may lack required steps", lines[3]);
        Assert.Equal(2, lines.Count(l => l.StartsWith("!! INCOMPLETE PLAN", StringComparison.Ordinal)));
        Assert.Contains("  ? main/UnderLocalCap: undecided, the proposal gives no value for attribute 'localSpendCap'\n      would require: notice, decision\n", result.Out);
    }

    [Theory]
    [InlineData("--step")]
    [InlineData("--why-not")]
    public void Explain_a_step_whose_only_rule_is_undecided_says_UNDECIDED_and_exits_5(string option)
    {
        var result = Run("explain", ProposalFile("explain-undecided" + option.Trim('-')), "--rules", _set.Directory, option, "notice");

        Assert.Equal(ExitCodes.IncompletePlan, result.Exit);
        var headline = result.Out.Split('\n')[0];
        Assert.Contains("is UNDECIDED (neither required nor not required)", headline);
        Assert.DoesNotContain("NOT required for", headline);
    }

    [Fact]
    public void Explain_a_step_once_its_rule_is_decided_exits_0()
    {
        var result = Run("explain", ProposalFile("explain-decided", "\"localSpendCap\": 60000"), "--rules", _set.Directory, "--step", "notice");

        Assert.Equal(0, result.Exit);
        Assert.StartsWith("Step notice (Notice) is NOT required for explain-decided", result.Out);
    }

    [Fact]
    public void A_plan_that_contradicts_itself_is_incomplete_with_the_banner_and_the_contradiction_listed()
    {
        // Routed plans carry no contradictions (PlanConsistencyTests), so the plan is doctored as there: Doncaster's
        // agenda dated 60 days early, before the sign-offs it must follow; the router's own checker finds it.
        var routed = Plans.Seed("doncaster-2018-joint-commissioner-agreement", "doncaster", "2018-01-02");
        Assert.True(routed.IsComplete);
        var plan = new RoutingPlan(routed.Proposal, routed.RuleSetName, routed.RuleSetHash, routed.MatchedRules,
            routed.Steps.Select(s => s.Id == "meeting-notice" ? s with { Timing = s.Timing! with { LatestDate = s.Timing.LatestDate!.Value.PlusDays(-60) } } : s).ToList(),
            routed.Warnings)
        {
            AsOf = routed.AsOf,
            DecisionStep = routed.DecisionStep,
            EffectiveFrom = routed.EffectiveFrom,
            UrgencyRoutes = routed.UrgencyRoutes,
        };
        plan.Contradictions = PlanConsistency.Check(plan, DecisionRouting.Calendar.GovernanceCalendar.EnglandAndWales);

        var contradiction = plan.Contradictions.First(c => c.Check == PlanContradiction.BeforePredecessor);
        Assert.Equal("meeting-notice", contradiction.Step);
        Assert.Empty(plan.Incomplete);
        Assert.False(plan.IsComplete);
        var text = PlanText.Write(plan);
        var banner = $"!! INCOMPLETE PLAN: 0 rule(s) undecided, 0 not evaluated and {plan.Contradictions.Count} contradiction(s); the plan may lack required steps or carry wrong dates.";
        Assert.StartsWith(banner, text.Split('\n')[3]);
        Assert.Equal(2, text.Split('\n').Count(l => l.StartsWith(banner, StringComparison.Ordinal)));
        Assert.Contains($"  ? contradiction ({PlanContradiction.BeforePredecessor}): {contradiction.Message}\n", text);
        Assert.Equal(ExitCodes.IncompletePlan, RouteCommand.ExitCodeFor(plan));
        Assert.Equal(ExitCodes.Success, RouteCommand.ExitCodeFor(routed));

        var json = JsonDocument.Parse(DecisionRouting.Serialization.DecisionRoutingJson.Write(plan)).RootElement;
        Assert.False(json.GetProperty("isComplete").GetBoolean());
        Assert.Contains(json.GetProperty("contradictions").EnumerateArray(), c => c.GetProperty("check").GetString() == PlanContradiction.BeforePredecessor);
    }

    [Fact]
    public void Route_json_says_isComplete_false_with_each_reason()
    {
        var result = Run("route", ProposalFile("json-plan"), "--rules", _set.Directory, "--today", "2024-01-02", "--format", "json");

        Assert.Equal(5, result.Exit);
        var json = JsonDocument.Parse(result.Out).RootElement;
        Assert.False(json.GetProperty("isComplete").GetBoolean());
        var reason = Assert.Single(json.GetProperty("incomplete").EnumerateArray().ToList());
        Assert.Equal("Undecided", reason.GetProperty("kind").GetString());
        Assert.Equal("attribute 'localSpendCap'", reason.GetProperty("missingValue").GetString());
        Assert.Equal(new[] { "notice", "decision" }, reason.GetProperty("steps").EnumerateArray().Select(s => s.GetString()));
    }

    [Fact]
    public void Route_with_the_attribute_given_is_complete_and_exits_0()
    {
        var result = Run("route", ProposalFile("given", "\"localSpendCap\": 10000"), "--rules", _set.Directory, "--today", "2024-01-02");

        Assert.Equal(0, result.Exit);
        Assert.DoesNotContain("INCOMPLETE", result.Out);
        Assert.Contains("[notice, Notice]", result.Out);
    }

    [Fact]
    public void Route_rejects_a_number_given_as_text_at_its_position_with_exit_2()
    {
        var file = ProposalFile("text-number", "\"localSpendCap\": \"90000\"");

        var result = Run("route", file, "--rules", _set.Directory, "--today", "2024-01-02");

        Assert.Equal(ExitCodes.BadInput, result.Exit);
        var (line, column) = Position.Of(File.ReadAllText(file), "\"90000\"");
        Assert.StartsWith($"{file}({line},{column}): error DR0036: Attribute 'localSpendCap' must be a number", result.Error);
        Assert.DoesNotContain("Exception", result.Error);
        Assert.Equal(string.Empty, result.Out);
    }

    [Fact]
    public void Route_warns_about_an_undeclared_proposal_attribute_on_stderr()
    {
        var file = ProposalFile("typo", "\"localSpendcap\": 10000");

        var result = Run("route", file, "--rules", _set.Directory, "--today", "2024-01-02");

        Assert.Equal(5, result.Exit);
        var (line, column) = Position.Of(File.ReadAllText(file), "10000");
        Assert.Contains($"{file}({line},{column}): warning DR0035: Attribute 'localSpendcap' is not declared by rule set 'local', so no rule reads it; did you mean 'localSpendCap'?", result.Error);
    }

    [Fact]
    public void Route_batch_counts_incomplete_plans_in_its_summary_and_exits_5()
    {
        var register = Directory.CreateDirectory(Path.Combine(_directory, "register")).FullName;
        File.Move(ProposalFile("a-complete", "\"localSpendCap\": 10000"), Path.Combine(register, "a-complete.json"));
        File.Move(ProposalFile("b-incomplete"), Path.Combine(register, "b-incomplete.json"));
        File.Move(ProposalFile("c-incomplete", "\"preApproved\": true"), Path.Combine(register, "c-incomplete.json"));

        var result = Run("route-batch", register, "--rules", _set.Directory, "--output", Path.Combine(_directory, "plans"), "--today", "2024-01-02");

        Assert.Equal(5, result.Exit);
        Assert.Contains("3 plan(s) written to", result.Out);
        Assert.Contains("; 2 INCOMPLETE;", result.Out);
        Assert.Contains("  incomplete: b-incomplete.json: 1 rule(s) undecided, 0 not evaluated (UnderLocalCap)", result.Out);
        Assert.Contains("  incomplete: c-incomplete.json:", result.Out);
        Assert.False(JsonDocument.Parse(File.ReadAllText(Path.Combine(_directory, "plans", "b-incomplete.plan.json"))).RootElement.GetProperty("isComplete").GetBoolean());
    }

    [Fact]
    public void Route_batch_exits_2_when_a_proposal_is_invalid_even_if_others_are_incomplete()
    {
        var register = Directory.CreateDirectory(Path.Combine(_directory, "register2")).FullName;
        File.Move(ProposalFile("bad", "\"localSpendCap\": \"90000\""), Path.Combine(register, "bad.json"));
        File.Move(ProposalFile("short"), Path.Combine(register, "short.json"));

        var result = Run("route-batch", register, "--rules", _set.Directory, "--output", Path.Combine(_directory, "plans2"), "--today", "2024-01-02");

        Assert.Equal(2, result.Exit);
        Assert.Contains("error DR0036", result.Error);
        Assert.Contains("1 invalid proposal(s)", result.Out);
        Assert.Contains("; 1 INCOMPLETE;", result.Out);
    }

    [Fact]
    public void Proposal_create_refuses_an_incomplete_plan_with_exit_5_and_creates_nothing()
    {
        var db = Path.Combine(_directory, "cases.db");

        var result = Run("proposal", "create", ProposalFile("refused"), "--rules", _set.Directory, "--today", "2024-01-02", "--db", db, "--actor", "Clerk");

        Assert.Equal(5, result.Exit);
        Assert.Contains("!! INCOMPLETE PLAN", result.Error);
        Assert.Contains("main/UnderLocalCap: undecided, the proposal gives no value for attribute 'localSpendCap'", result.Error);
        Assert.Contains("--accept-incomplete --reason", result.Error);
        Assert.False(File.Exists(db));
    }

    [Fact]
    public void Proposal_create_needs_a_reason_to_accept_an_incomplete_plan()
    {
        var db = Path.Combine(_directory, "cases.db");

        var result = Run("proposal", "create", ProposalFile("no-reason"), "--rules", _set.Directory, "--today", "2024-01-02", "--db", db, "--accept-incomplete");

        Assert.Equal(2, result.Exit);
        Assert.Contains("--accept-incomplete and --reason go together", result.Error);
        Assert.False(File.Exists(db));
    }

    [Fact]
    public void Proposal_create_with_accept_incomplete_records_the_reason_in_the_audit_trail_and_the_case()
    {
        var db = Path.Combine(_directory, "cases.db");
        const string Reason = "Monitoring officer: the local cap is set at the next full council";

        var created = Run("proposal", "create", ProposalFile("accepted"), "--rules", _set.Directory, "--today", "2024-01-02", "--db", db, "--actor", "Clerk", "--accept-incomplete", "--reason", Reason, "--format", "json");
        var history = Run("proposal", "history", "accepted", "--db", db);

        Assert.True(created.Exit == 0, created.Error);
        var json = JsonDocument.Parse(created.Out).RootElement;
        Assert.False(json.GetProperty("isComplete").GetBoolean());
        Assert.Equal(Reason, json.GetProperty("incompleteAcceptedReason").GetString());
        Assert.Equal(0, history.Exit);
        Assert.Contains($"INCOMPLETE plan accepted by Clerk, reason: {Reason}", history.Out);
        Assert.Contains("attribute 'localSpendCap'", history.Out);
    }

    [Fact]
    public async Task The_library_refuses_an_incomplete_plan_unless_accepted_and_the_case_keeps_the_gaps()
    {
        var plan = new Router(RuleSet.Load(_set.Directory)).Route(UndecidedRuleTests.Proposal());
        var store = new SqliteProposalStore(Path.Combine(_directory, "library.db"));
        var lifecycle = new ProposalLifecycle(store);
        var clerk = new Actor("Clerk", new[] { "democratic-services" });

        var refused = await Assert.ThrowsAsync<IncompletePlanException>(() => lifecycle.CreateAsync(plan, clerk));
        Assert.Contains("attribute 'localSpendCap'", Assert.Single(refused.Reasons));
        Assert.Throws<ArgumentException>(() => new IncompletePlanAcceptance("  "));

        await lifecycle.CreateAsync(plan, clerk, new IncompletePlanAcceptance("cap confirmed by email"));
        var status = await lifecycle.StatusAsync("p1");
        var history = await lifecycle.HistoryAsync("p1");

        Assert.False(status.Case.Plan.IsComplete);
        Assert.Equal("cap confirmed by email", status.Case.Plan.IncompleteAcceptedReason);
        Assert.Contains("would require: notice, decision", Assert.Single(status.Case.Plan.Incomplete));
        Assert.Contains("reason: cap confirmed by email", Assert.Single(history).Detail);
    }
}
