using System;
using System.Linq;
using System.Threading.Tasks;
using DecisionRouting.Proposals;
using DecisionRouting.Routing;
using DecisionRouting.RuleSets;
using DecisionRouting.Tests.Support;
using NodaTime;

namespace DecisionRouting.Tests.Routing;

public sealed class RouterTests
{
    private static Proposal Proposal(decimal commitment = 0, LocalDate? date = null, params ProposalKind[] kinds) => new()
    {
        Id = "p",
        Title = "t",
        DecisionMaker = DecisionMaker.Cabinet,
        IntendedDecisionDate = date ?? new LocalDate(2020, 1, 1),
        Kinds = kinds.Length == 0 ? new[] { ProposalKind.Mou } : kinds,
        FinancialCommitment = commitment,
    };

    [Fact]
    public void Ordering_passes_through_steps_that_are_not_required()
    {
        var catalogue = """
            {
              "steps": [
                { "id": "a", "name": "A", "kind": "Notice" },
                { "id": "b", "name": "B", "kind": "SignOff", "after": [ "a" ] },
                { "id": "c", "name": "C", "kind": "Approval", "after": [ "b" ] }
              ]
            }
            """;
        var rules = """{ "WorkflowName": "w", "Rules": [ { "RuleName": "R", "Expression": "true", "Properties": { "steps": [ "c", "a" ], "source": "s" } } ] }""";
        using var set = TempRuleSet.With(catalogue: catalogue, rules: rules);
        var plan = new Router(RuleSet.Load(set.Directory)).Route(Proposal());
        Assert.Equal(new[] { "a", "c" }, plan.Steps.Select(s => s.Id));
        Assert.Equal(new[] { "a" }, plan.Find("c")!.After);
        Assert.Equal(2, plan.Find("c")!.Stage);
    }

    [Fact]
    public void Implied_orderings_are_dropped_from_after()
    {
        var catalogue = """
            {
              "steps": [
                { "id": "a", "name": "A", "kind": "Notice" },
                { "id": "b", "name": "B", "kind": "SignOff", "after": [ "a" ] },
                { "id": "c", "name": "C", "kind": "Approval", "after": [ "a", "b" ] }
              ]
            }
            """;
        var rules = """{ "WorkflowName": "w", "Rules": [ { "RuleName": "R", "Expression": "true", "Properties": { "steps": [ "a", "b", "c" ], "source": "s" } } ] }""";
        using var set = TempRuleSet.With(catalogue: catalogue, rules: rules);
        var plan = new Router(RuleSet.Load(set.Directory)).Route(Proposal());
        Assert.Equal(new[] { "b" }, plan.Find("c")!.After);
        Assert.Equal(new[] { 1, 2, 3 }, plan.Steps.Select(s => s.Stage));
    }

    [Fact]
    public void A_step_required_by_two_rules_appears_once_with_both_reasons()
    {
        var rules = """
            { "WorkflowName": "w", "Rules": [
              { "RuleName": "R1", "Expression": "true", "Properties": { "steps": [ "decision" ], "source": "s1" } },
              { "RuleName": "R2", "Expression": "proposal.FinancialCommitment > 10", "Properties": { "steps": [ "decision" ], "source": "s2" } }
            ] }
            """;
        using var set = TempRuleSet.With(rules: rules);
        var plan = new Router(RuleSet.Load(set.Directory)).Route(Proposal(commitment: 20));
        var step = Assert.Single(plan.Steps);
        Assert.Equal(new[] { "R1", "R2" }, step.RequiredBy.Select(r => r.Rule));
    }

    [Fact]
    public void Rule_set_parameters_are_used_and_overridden_by_extending_sets()
    {
        var rules = """{ "WorkflowName": "w", "Rules": [ { "RuleName": "Key", "Expression": "proposal.FinancialCommitment >= parameters.threshold", "Properties": { "steps": [ "notice" ], "source": "s" } } ] }""";
        using var baseline = TempRuleSet.With(rules: rules, manifest: """{ "name": "base", "parameters": { "threshold": 500000 } }""");
        using var local = new TempRuleSet(baseline.Directory + "-local");
        local.Write("ruleset.json", $$"""{ "name": "local", "extends": "../{{System.IO.Path.GetFileName(baseline.Directory)}}", "parameters": { "threshold": { "value": 250000, "source": "constitution 4.2" } } }""");
        local.Write("local.rules.json", """{ "WorkflowName": "local", "Rules": [ { "RuleName": "L", "Expression": "false" } ] }""");

        var proposal = Proposal(commitment: 300000);
        Assert.False(new Router(RuleSet.Load(baseline.Directory)).Route(proposal).Requires("notice"));
        Assert.True(new Router(RuleSet.Load(local.Directory)).Route(proposal).Requires("notice"));
    }

    [Fact]
    public void Changing_a_parameters_type_in_an_extending_set_is_an_error()
    {
        using var baseline = TempRuleSet.With(manifest: """{ "name": "base", "parameters": { "threshold": 500000 } }""");
        using var local = new TempRuleSet(baseline.Directory + "-local");
        var manifest = $$"""{ "name": "local", "extends": "../{{System.IO.Path.GetFileName(baseline.Directory)}}", "parameters": { "threshold": "high" } }""";
        local.Write("ruleset.json", manifest);
        local.Write("local.rules.json", """{ "WorkflowName": "local", "Rules": [ { "RuleName": "L", "Expression": "true" } ] }""");
        var diagnostic = Assert.Single(RuleSet.Validate(local.Directory).Diagnostics);
        Assert.Equal("DR0003", diagnostic.Id);
    }

    [Fact]
    public void A_body_that_does_not_exist_on_the_decision_date_is_a_warning()
    {
        var england = RuleSet.Load(Repository.PathOf("rules/england"));
        var plan = new Router(england).Route(Proposal(date: new LocalDate(2023, 1, 10), kinds: ProposalKind.S75Agreement));
        Assert.True(plan.Requires("icb-board-approval"));
        Assert.False(plan.Requires("ccg-governing-body-approval"));
        Assert.DoesNotContain(plan.Warnings, w => w.Kind == PlanWarningKind.BodyNotInExistence);

        var catalogue = TempRuleSet.Catalogue.Replace(
            "\"kind\": \"Executive\" }",
            "\"kind\": \"Executive\", \"existsUntil\": \"2022-06-30\" }");
        using var set = TempRuleSet.With(catalogue: catalogue);
        var late = new Router(RuleSet.Load(set.Directory)).Route(Proposal(commitment: 500, date: new LocalDate(2023, 1, 10)));
        var warning = Assert.Single(late.Warnings, w => w.Kind == PlanWarningKind.BodyNotInExistence);
        Assert.Equal("decision", warning.Step);
    }

    [Fact]
    public void A_rule_that_throws_at_evaluation_makes_the_plan_incomplete_not_a_silent_miss()
    {
        var rules = """{ "WorkflowName": "w", "Rules": [ { "RuleName": "Divides", "Expression": "100 / proposal.WardsAffected > 1", "Properties": { "steps": [ "notice" ], "source": "s" } } ] }""";
        using var set = TempRuleSet.With(rules: rules);
        var plan = new Router(RuleSet.Load(set.Directory)).Route(Proposal());
        Assert.False(plan.Requires("notice"));
        Assert.False(plan.IsComplete);
        var failed = Assert.Single(plan.Incomplete);
        Assert.Equal(("Divides", IncompleteRuleKind.NotEvaluated, null), (failed.Rule, failed.Kind, failed.MissingValue));
        Assert.Contains("divide by zero", failed.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(new[] { "notice" }, failed.Steps);
    }

    [Fact]
    public void Nested_rules_injection_and_local_params_follow_rulesengine_semantics()
    {
        var rules = """
            [
              { "WorkflowName": "main", "WorkflowsToInject": [ "extra" ], "Rules": [
                { "RuleName": "Both", "Operator": "AndAlso", "Properties": { "steps": [ "notice" ], "source": "s" }, "Rules": [
                  { "RuleName": "Big", "Expression": "proposal.FinancialCommitment > 100" },
                  { "RuleName": "Urgent", "LocalParams": [ { "Name": "u", "Expression": "proposal.Urgent" } ], "Expression": "!u" }
                ] },
                { "RuleName": "Disabled", "Enabled": false, "Expression": "true", "Properties": { "steps": [ "decision" ], "source": "s" } }
              ] },
              { "WorkflowName": "extra", "Rules": [ { "RuleName": "Extra", "Expression": "proposal.Has(ProposalKind.Mou)", "Properties": { "steps": [ "decision" ], "source": "x" } } ] }
            ]
            """;
        using var set = TempRuleSet.With(rules: rules);
        var router = new Router(RuleSet.Load(set.Directory));
        var plan = router.Route(Proposal(commitment: 500));
        Assert.Equal(new[] { "Both", "Extra" }, plan.MatchedRules.Select(r => r.Rule));
        Assert.Equal(new[] { "notice", "decision" }, plan.Steps.Select(s => s.Id));
        Assert.DoesNotContain(router.Route(Proposal(commitment: 5)).MatchedRules, r => r.Rule == "Both");
    }

    [Fact]
    public void Many_parallel_routes_over_one_shared_rule_set_give_identical_plans()
    {
        var ruleSet = RuleSet.Load(Repository.PathOf("rules/england"));
        var router = new Router(ruleSet);
        var samples = System.IO.Directory.GetFiles(Repository.PathOf("samples/proposals"), "*.json")
            .Select(f => ProposalReader.ReadFile(f).Proposal!)
            .ToArray();
        var expected = samples.Select(p => DecisionRouting.Serialization.DecisionRoutingJson.Write(router.Route(p))).ToArray();

        var results = new string[64 * samples.Length];
        Parallel.For(0, results.Length, new ParallelOptions { MaxDegreeOfParallelism = 16 }, i =>
            results[i] = DecisionRouting.Serialization.DecisionRoutingJson.Write(router.Route(samples[i % samples.Length])));

        for (var i = 0; i < results.Length; i++)
        {
            Assert.Equal(expected[i % samples.Length], results[i]);
        }
    }
}
