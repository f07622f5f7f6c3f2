using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using DecisionRouting.Cli;
using DecisionRouting.Diagnostics;
using DecisionRouting.Explanations;
using DecisionRouting.Proposals;
using DecisionRouting.Routing;
using DecisionRouting.RuleSets;
using DecisionRouting.Tests.Incomplete;
using DecisionRouting.Tests.Support;
using NodaTime;

namespace DecisionRouting.Tests.Dating;

/// <summary>
/// Issue 13 §5: law dated as data. A rule's or step's <c>effective</c> period is judged on the intended decision date,
/// or on a declared date attribute; versions of one requirement are checked against each other when the rule set loads.
/// Every routing case runs through both evaluators, which must agree.
/// </summary>
public sealed class EffectivePeriodTests
{
    private const string Manifest = """
        {
          "name": "local",
          "attributes": {
            "firstDismissalDate": { "type": "date", "description": "The day the first dismissal takes effect", "source": "TULRCA 1992 s188(1A)" },
            "headcount": { "type": "number", "description": "Staff affected", "source": "HR" }
          }
        }
        """;

    public static TheoryData<RoutingEvaluation> Evaluations() => new() { RoutingEvaluation.Compiled, RoutingEvaluation.RulesEngine };

    /// <summary>Two versions of one requirement: 90 days before 6 April 2013, 45 days from then, judged as <paramref name="on"/> says.</summary>
    private static string Versions(string? on = null, string expression = "proposal.FinancialCommitment > 100")
    {
        var judged = on is null ? string.Empty : $", \"on\": \"{on}\"";
        return $$"""
            {
              "WorkflowName": "main",
              "Rules": [
                { "RuleName": "Consult45", "Expression": "{{expression}}", "Properties": { "effective": { "from": "2013-04-06"{{judged}} }, "requirement": "s188-consultation", "steps": [ "notice", "decision" ], "source": "TULRCA 1992 s188(1A)(a)" } },
                { "RuleName": "Consult90", "Expression": "{{expression}}", "Properties": { "effective": { "until": "2013-04-06"{{judged}} }, "requirement": "s188-consultation", "steps": [ "decision" ], "source": "TULRCA 1992 s188(1A)(a) as it stood before SI 2013/763" } }
              ]
            }
            """;
    }

    private static Proposal Dated(int year, int month, int day, IReadOnlyDictionary<string, object>? attributes = null) =>
        UndecidedRuleTests.Proposal(attributes) with { IntendedDecisionDate = new LocalDate(year, month, day) };

    private static RoutingPlan Route(string rules, RoutingEvaluation evaluation, Proposal proposal, string? catalogue = TempRuleSet.Catalogue)
    {
        using var set = TempRuleSet.With(catalogue: catalogue, rules: rules, manifest: Manifest);
        return new Router(RuleSet.Load(set.Directory), new RoutingOptions { Evaluation = evaluation }).Route(proposal);
    }

    [Theory]
    [MemberData(nameof(Evaluations))]
    public void A_rule_matches_only_in_its_period_from_inclusive_until_exclusive(RoutingEvaluation evaluation)
    {
        var onTheDay = Route(Versions(), evaluation, Dated(2013, 4, 6));
        Assert.Equal(new[] { "Consult45" }, onTheDay.MatchedRules.Select(m => m.Rule));
        Assert.True(onTheDay.IsComplete);

        var dayBefore = Route(Versions(), evaluation, Dated(2013, 4, 5));
        Assert.Equal(new[] { "Consult90" }, dayBefore.MatchedRules.Select(m => m.Rule));
        Assert.True(dayBefore.IsComplete);
    }

    [Theory]
    [MemberData(nameof(Evaluations))]
    public void A_rule_judged_on_a_date_attribute_ignores_the_decision_date(RoutingEvaluation evaluation)
    {
        // Cabinet decides in March 2013, but the first dismissal is in May: the 45-day version applies.
        var plan = Route(Versions(on: "firstDismissalDate"), evaluation, Dated(2013, 3, 1, new Dictionary<string, object> { ["firstDismissalDate"] = new LocalDate(2013, 5, 20) }));
        Assert.Equal(new[] { "Consult45" }, plan.MatchedRules.Select(m => m.Rule));
        Assert.True(plan.IsComplete);
    }

    [Theory]
    [MemberData(nameof(Evaluations))]
    public void Without_the_date_attribute_a_rule_that_would_match_is_undecided_never_in_or_out_of_force(RoutingEvaluation evaluation)
    {
        var plan = Route(Versions(on: "firstDismissalDate"), evaluation, Dated(2013, 3, 1));
        Assert.Empty(plan.MatchedRules);
        Assert.False(plan.IsComplete);
        Assert.Equal(new[] { "Consult45", "Consult90" }, plan.Incomplete.Select(r => r.Rule));
        Assert.All(plan.Incomplete, r =>
        {
            Assert.Equal(IncompleteRuleKind.Undecided, r.Kind);
            Assert.Equal("attribute 'firstDismissalDate'", r.MissingValue);
            Assert.Contains("judged on attribute 'firstDismissalDate'", r.Message);
        });
        Assert.Equal(new[] { "notice", "decision" }, plan.Incomplete[0].Steps);
    }

    [Theory]
    [MemberData(nameof(Evaluations))]
    public void Without_the_date_attribute_a_rule_whose_condition_fails_is_simply_not_matched(RoutingEvaluation evaluation)
    {
        var plan = Route(Versions(on: "firstDismissalDate", expression: "proposal.FinancialCommitment > 1000000"), evaluation, Dated(2013, 3, 1));
        Assert.Empty(plan.MatchedRules);
        Assert.True(plan.IsComplete);
    }

    [Theory]
    [MemberData(nameof(Evaluations))]
    public void A_rule_out_of_force_is_not_matched_even_when_its_condition_reads_a_missing_value(RoutingEvaluation evaluation)
    {
        var plan = Route(Versions(expression: "proposal.Attributes.Number(\\\"headcount\\\") > 19"), evaluation, Dated(2024, 6, 3));
        Assert.Empty(plan.MatchedRules);
        var undecided = Assert.Single(plan.Incomplete);
        Assert.Equal("Consult45", undecided.Rule);
        Assert.Equal("attribute 'headcount'", undecided.MissingValue);
    }

    [Theory]
    [MemberData(nameof(Evaluations))]
    public void A_matched_rule_requiring_a_step_out_of_force_keeps_it_and_warns(RoutingEvaluation evaluation)
    {
        var catalogue = TempRuleSet.Catalogue.Replace("\"id\": \"notice\", \"name\": \"Notice\",", "\"id\": \"notice\", \"name\": \"Notice\", \"effective\": { \"from\": \"2012-09-10\" },");
        var plan = Route(TempRuleSet.Rules, evaluation, Dated(2011, 5, 3), catalogue);
        Assert.True(plan.Requires("notice"));
        var warning = Assert.Single(plan.Warnings, w => w.Kind == PlanWarningKind.StepNotInForce);
        Assert.Equal("notice", warning.Step);
        Assert.Equal("Big", warning.Rule);
        Assert.Contains("from 10 Sep 2012", warning.Message);
        Assert.Contains("3 May 2011", warning.Message);

        Assert.DoesNotContain(Route(TempRuleSet.Rules, evaluation, Dated(2012, 9, 10), catalogue).Warnings, w => w.Kind == PlanWarningKind.StepNotInForce);
    }

    [Fact]
    public void Both_evaluators_agree_on_dated_rules_for_many_proposals()
    {
        var rules = """
            {
              "WorkflowName": "main",
              "Rules": [
                { "RuleName": "Early", "Expression": "proposal.FinancialCommitment > 500", "Properties": { "effective": { "until": "2015-01-01" }, "requirement": "r", "steps": [ "notice" ], "source": "s" } },
                { "RuleName": "Late", "Expression": "proposal.FinancialCommitment > 500", "Properties": { "effective": { "from": "2015-01-01" }, "requirement": "r", "steps": [ "decision" ], "source": "s" } },
                { "RuleName": "OnDismissal", "Expression": "proposal.Attributes.Number(\"headcount\") >= 20", "Properties": { "effective": { "from": "2013-04-06", "on": "firstDismissalDate" }, "steps": [ "notice" ], "source": "s" } },
                { "RuleName": "OnDismissalBefore", "Expression": "proposal.WardsAffected > 1", "Properties": { "effective": { "until": "2013-04-06", "on": "firstDismissalDate" }, "steps": [ "decision" ], "source": "s" } }
              ]
            }
            """;
        using var set = TempRuleSet.With(rules: rules, manifest: Manifest);
        var ruleSet = RuleSet.Load(set.Directory);
        var compiled = new Router(ruleSet, new RoutingOptions { Evaluation = RoutingEvaluation.Compiled });
        var oracle = new Router(ruleSet, new RoutingOptions { Evaluation = RoutingEvaluation.RulesEngine });
        var random = new Random(13);
        int matched = 0, undecided = 0;
        for (var i = 0; i < 300; i++)
        {
            var attributes = new Dictionary<string, object>();
            if (random.Next(3) > 0)
            {
                attributes["firstDismissalDate"] = new LocalDate(2012, 1, 1).PlusDays(random.Next(1500));
            }

            if (random.Next(3) > 0)
            {
                attributes["headcount"] = (decimal)random.Next(40);
            }

            var proposal = UndecidedRuleTests.Proposal(attributes, wards: random.Next(3)) with
            {
                IntendedDecisionDate = new LocalDate(2013, 1, 1).PlusDays(random.Next(1000)),
                FinancialCommitment = random.Next(1000),
            };
            var expected = oracle.Route(proposal);
            var actual = compiled.Route(proposal);
            Assert.Equal(expected.MatchedRules.Select(m => m.Rule), actual.MatchedRules.Select(m => m.Rule));
            Assert.Equal(expected.Incomplete.Select(r => (r.Rule, r.Kind, r.MissingValue)), actual.Incomplete.Select(r => (r.Rule, r.Kind, r.MissingValue)));
            Assert.Equal(expected.Steps.Select(s => s.Id), actual.Steps.Select(s => s.Id));
            matched += expected.MatchedRules.Count;
            undecided += expected.Incomplete.Count;
        }

        Assert.True(matched > 100 && undecided > 20, $"the proposals exercise both outcomes ({matched} matched, {undecided} undecided)");
    }

    [Fact]
    public void Explain_shows_the_period_as_the_first_condition()
    {
        using var set = TempRuleSet.With(rules: Versions(), manifest: Manifest);
        var explanation = new Explainer(RuleSet.Load(set.Directory)).Explain(Dated(2013, 4, 5), "notice");
        var rule = Assert.Single(explanation.Rules);
        Assert.False(rule.Matched);
        Assert.Equal("in force on 5 Apr 2013 (the intended decision date): effective from 6 Apr 2013", rule.Conditions[0].Text);
        Assert.False(rule.Conditions[0].Holds);
        Assert.True(rule.Conditions[1].Holds);
    }

    // ---- Load-time checks: each at its file, line and column ----

    private static (RuleDiagnostic Diagnostic, string Expected) Single(string rules, string id, string marker, int occurrence = 1, string manifest = Manifest, string catalogue = TempRuleSet.Catalogue)
    {
        using var set = TempRuleSet.With(catalogue: catalogue, rules: rules, manifest: manifest);
        var diagnostic = Assert.Single(RuleSet.Validate(set.Directory).Diagnostics, d => d.Id == id);
        var (line, column) = Position.Of(rules, marker, occurrence);
        return (diagnostic, $"{set.PathOf("main.rules.json")}({line},{column})");
    }

    [Fact]
    public void DR0051_two_versions_in_force_on_one_day_is_an_error_at_the_later_period()
    {
        var rules = Versions().Replace("\"until\": \"2013-04-06\"", "\"until\": \"2013-05-01\"");
        var (overlap, at) = Single(rules, "DR0051", "{ \"from\": \"2013-04-06\"");
        Assert.True(overlap.IsError);
        Assert.Equal(at, overlap.Location.ToString());
        Assert.Contains("'Consult45' and rule 'Consult90'", overlap.Message);
        Assert.Contains("requirement 's188-consultation'", overlap.Message);
        Assert.Contains("from 6 Apr 2013 to 30 Apr 2013", overlap.Message);
    }

    [Fact]
    public void DR0052_a_day_with_no_version_inside_the_requirements_span_is_a_warning_at_the_later_period()
    {
        var rules = Versions().Replace("\"until\": \"2013-04-06\"", "\"until\": \"2013-04-01\"");
        var (gap, at) = Single(rules, "DR0052", "{ \"from\": \"2013-04-06\"");
        Assert.False(gap.IsError);
        Assert.Equal(at, gap.Location.ToString());
        Assert.Contains("no version in force from 1 Apr 2013 to 5 Apr 2013", gap.Message);
    }

    [Fact]
    public void DR0054_versions_judged_on_different_dates_or_undated_cannot_be_compared()
    {
        var mixed = Versions().Replace("{ \"until\": \"2013-04-06\" }", "{ \"until\": \"2013-04-06\", \"on\": \"firstDismissalDate\" }");
        var (different, at) = Single(mixed, "DR0054", "{ \"until\"");
        Assert.Equal(at, different.Location.ToString());
        Assert.Contains("judged against attribute 'firstDismissalDate' while rule 'Consult45' is judged against the intended decision date", different.Message);

        var undated = Versions().Replace("\"effective\": { \"until\": \"2013-04-06\" }, ", string.Empty);
        var (missing, where) = Single(undated, "DR0054", "\"s188-consultation\"", occurrence: 2);
        Assert.Equal(where, missing.Location.ToString());
        Assert.Contains("has no 'effective' period", missing.Message);
    }

    [Fact]
    public void DR0050_reports_an_undeclared_and_a_wrongly_typed_attribute_each_at_its_name()
    {
        var rules = """
            {
              "WorkflowName": "main",
              "Rules": [
                { "RuleName": "A", "Expression": "true", "Properties": { "effective": { "from": "2013-04-06", "on": "firstDismisalDate" }, "steps": [ "notice" ], "source": "s" } },
                { "RuleName": "B", "Expression": "true", "Properties": { "effective": { "from": "2013-04-06", "on": "headcount" }, "steps": [ "notice" ], "source": "s" } }
              ]
            }
            """;
        using var set = TempRuleSet.With(rules: rules, manifest: Manifest);
        var found = RuleSet.Validate(set.Directory).Diagnostics.Where(d => d.Id == "DR0050").ToList();
        Assert.Equal(2, found.Count);
        var (line, column) = Position.Of(rules, "\"firstDismisalDate\"");
        Assert.Equal($"{set.PathOf("main.rules.json")}({line},{column})", found[0].Location.ToString());
        Assert.Contains("is not declared", found[0].Message);
        Assert.Contains("did you mean 'firstDismissalDate'", found[0].Message);
        (line, column) = Position.Of(rules, "\"headcount\"");
        Assert.Equal($"{set.PathOf("main.rules.json")}({line},{column})", found[1].Location.ToString());
        Assert.Contains("declared as a number", found[1].Message);
    }

    [Fact]
    public void DR0053_a_dated_rule_requiring_a_step_not_in_force_for_all_its_period_is_an_error_at_the_step()
    {
        var catalogue = TempRuleSet.Catalogue.Replace("\"id\": \"notice\", \"name\": \"Notice\",", "\"id\": \"notice\", \"name\": \"Notice\", \"effective\": { \"from\": \"2012-09-10\", \"until\": \"2014-01-01\" },");
        var (error, at) = Single(Versions(), "DR0053", "\"notice\"", catalogue: catalogue);
        Assert.True(error.IsError);
        Assert.Equal(at, error.Location.ToString());
        Assert.Contains("Rule 'Consult45' is in force from 6 Apr 2013 but requires step 'notice', which is in force only from 10 Sep 2012 to 31 Dec 2013", error.Message);
    }

    [Theory]
    [InlineData("{ \"from\": \"2013-04-06\", \"until\": \"2013-04-06\" }", "\"2013-04-06\" }", "DR0074", "ends (2013-04-06, the first day no longer in force) on or before it begins")]
    [InlineData("{ }", "{ }", "DR0018", "gives neither 'from' nor 'until'")]
    public void An_empty_period_is_an_error_at_its_position(string effective, string marker, string id, string message)
    {
        var rules = $$"""
            { "WorkflowName": "main", "Rules": [
              { "RuleName": "A", "Expression": "true", "Properties": { "effective": {{effective}}, "steps": [ "notice" ], "source": "s" } }
            ] }
            """;
        var (error, _) = Single(rules, id, marker);
        Assert.Contains(message, error.Message);
        var (line, column) = Position.Of(rules, marker);
        Assert.EndsWith($"({line},{column})", error.Location.ToString());
    }

    [Fact]
    public void A_period_on_a_nested_rule_would_be_ignored_so_it_is_an_error()
    {
        var rules = """
            { "WorkflowName": "main", "Rules": [
              { "RuleName": "A", "Operator": "And", "Properties": { "steps": [ "notice" ], "source": "s" }, "Rules": [
                { "RuleName": "A1", "Expression": "true", "Properties": { "effective": { "from": "2013-04-06" } } }
              ] }
            ] }
            """;
        var (error, at) = Single(rules, "DR0078", "{ \"from\"");
        Assert.Equal(at, error.Location.ToString());
        Assert.Contains("nested rule 'A1'", error.Message);
    }

    [Fact]
    public void The_cli_reports_the_overlap_at_the_same_position_as_the_library()
    {
        var rules = Versions().Replace("\"until\": \"2013-04-06\"", "\"until\": \"2014-01-01\"");
        using var set = TempRuleSet.With(rules: rules, manifest: Manifest);
        var expected = Assert.Single(RuleSet.Validate(set.Directory).Diagnostics, d => d.Id == "DR0051").ToString();
        var output = new StringWriter();
        var exit = Program.Run(new[] { "validate", set.Directory }, output, new StringWriter());
        Assert.Equal(1, exit);
        Assert.Contains(expected, output.ToString());
    }

    [Fact]
    public void A_step_replacement_inherits_the_period_and_its_own_source_drops_the_inherited_check()
    {
        using var baseSet = TempRuleSet.With(catalogue: TempRuleSet.Catalogue.Replace("\"id\": \"notice\", \"name\": \"Notice\",", "\"id\": \"notice\", \"name\": \"Notice\", \"effective\": { \"from\": \"2012-09-10\" }, \"checked\": \"2026-11-29\", \"source\": \"SI 2012/2089 reg 9\","), manifest: """{ "name": "base" }""");
        using var local = new TempRuleSet();
        local.Write("ruleset.json", $$"""{ "name": "local", "extends": "{{Path.GetRelativePath(local.Directory, baseSet.Directory).Replace('\\', '/')}}" }""");
        local.Write("catalogue.json", """{ "steps": [ { "id": "notice", "name": "Local notice", "kind": "Notice", "replaces": true, "source": "Constitution Part 4" } ] }""");
        local.Write("local.rules.json", """{ "WorkflowName": "local", "Rules": [ { "RuleName": "L", "Expression": "true", "Properties": { "steps": [ "notice" ], "source": "s" } } ] }""");
        var definition = RuleSet.Validate(local.Directory);
        Assert.False(definition.HasErrors, string.Join("\n", definition.Diagnostics));
        var notice = definition.Steps["notice"];
        Assert.Equal(new LocalDate(2012, 9, 10), notice.Effective!.From);
        Assert.Null(notice.Checked);
    }
}
