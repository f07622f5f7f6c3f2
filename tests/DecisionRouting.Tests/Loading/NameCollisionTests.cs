using System;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using DecisionRouting.Diagnostics;
using DecisionRouting.Proposals;
using DecisionRouting.Routing;
using DecisionRouting.RuleSets;
using DecisionRouting.Tests.Analyzers;
using DecisionRouting.Tests.Support;

namespace DecisionRouting.Tests.Loading;

/// <summary>
/// Issue 12 §2: names cannot collide. Every GlobalParam or LocalParam whose name is already taken in its scope is a
/// load error at the name (DR0037, and since 2026-11 DR0087, DR0088 and DR0089 for the frequent cases), and an injected workflow's GlobalParams, which RulesEngine never evaluates, are
/// refused (DR0038). Where a shape loads, the compiled path and RulesEngine agree on it.
/// </summary>
public sealed class NameCollisionTests
{
    private const string Manifest = """{ "name": "t", "parameters": { "threshold": 5 } }""";

    private static RuleDiagnostic[] Errors(TempRuleSet set, string id) =>
        RuleSet.Validate(set.Directory).Diagnostics.Where(d => d.Id == id).ToArray();

    private static void AssertSingleAt(TempRuleSet set, string id, string text, string marker, int occurrence = 1)
    {
        var all = RuleSet.Validate(set.Directory).Diagnostics;
        var matching = all.Where(d => d.Id == id).ToList();
        Assert.True(matching.Count == 1, $"Expected one {id}, got:\n{string.Join("\n", all)}");
        var (line, column) = Position.Of(text, marker, occurrence);
        Assert.Equal($"{set.PathOf("main.rules.json")}({line},{column})", matching[0].Location.ToString());
    }

    private static string Globals(string name, string rule = """{ "RuleName": "R", "Expression": "proposal.Urgent" }""") => $$"""
        {
          "WorkflowName": "main",
          "GlobalParams": [ { "Name": "{{name}}", "Expression": "proposal.Urgent" } ],
          "Rules": [ {{rule}} ]
        }
        """;

    private static string Local(string name, string globals = "[]") => $$"""
        {
          "WorkflowName": "main",
          "GlobalParams": {{globals}},
          "Rules": [ { "RuleName": "R", "LocalParams": [ { "Name": "{{name}}", "Expression": "proposal.Urgent" } ], "Expression": "proposal.Urgent" } ]
        }
        """;

    // Dynamic LINQ's other reserved words and the types its parser resolves by name: they loaded, then failed (or
    // silently shadowed a type) only where used.
    [Theory]
    [InlineData("parent")]
    [InlineData("root")]
    [InlineData("np")]
    [InlineData("isnull")]
    [InlineData("cast")]
    [InlineData("Math")]
    [InlineData("String")]
    [InlineData("Int32")]
    [InlineData("DateTime")]
    [InlineData("Convert")]
    [InlineData("Enumerable")]
    [InlineData("decimal")]
    public void A_GlobalParam_named_like_a_reserved_word_or_a_parser_type_is_an_error_at_its_name(string name)
    {
        var rules = Globals(name);
        using var set = TempRuleSet.With(rules: rules);
        AssertSingleAt(set, "DR0088", rules, $"\"{name}\"");
    }

    // RulesEngine's default settings read identifiers in any case: names that differ only in case are one name.
    [Theory]
    [InlineData("Proposal")]
    [InlineData("PARAMETERS")]
    [InlineData("Input1")]
    [InlineData("math")]
    [InlineData("Parent")]
    public void A_GlobalParam_named_like_a_reserved_name_in_another_case_is_an_error_at_its_name(string name)
    {
        var rules = Globals(name);
        using var set = TempRuleSet.With(rules: rules);
        AssertSingleAt(set, "DR0088", rules, $"\"{name}\"");
    }

    [Fact]
    public void A_LocalParam_differing_only_in_case_from_a_GlobalParam_is_an_error_at_its_name()
    {
        var rules = Local("G", """[ { "Name": "g", "Expression": "proposal.Urgent" } ]""");
        using var set = TempRuleSet.With(rules: rules);
        AssertSingleAt(set, "DR0089", rules, "\"G\"");
        Assert.Contains("differ only in case", Errors(set, "DR0089")[0].Message);
    }

    [Fact]
    public void Two_GlobalParams_differing_only_in_case_are_an_error_at_the_second()
    {
        var rules = """
        {
          "WorkflowName": "main",
          "GlobalParams": [ { "Name": "big", "Expression": "proposal.Urgent" }, { "Name": "Big", "Expression": "proposal.Urgent" } ],
          "Rules": [ { "RuleName": "R", "Expression": "big" } ]
        }
        """;
        using var set = TempRuleSet.With(rules: rules);
        AssertSingleAt(set, "DR0087", rules, "\"Big\"");
    }

    // The issue's examples: a GlobalParam named input1 or proposal, a LocalParam named input1, a LocalParam shadowing a GlobalParam.
    [Theory]
    [InlineData("input1")]
    [InlineData("proposal")]
    [InlineData("parameters")]
    public void A_GlobalParam_named_like_an_input_is_an_error_at_its_name(string name)
    {
        var rules = Globals(name);
        using var set = TempRuleSet.With(rules: rules);
        AssertSingleAt(set, "DR0088", rules, $"\"{name}\"");
        Assert.Contains($"the input '{name}'", Errors(set, "DR0088")[0].Message);
    }

    [Theory]
    [InlineData("input1")]
    [InlineData("proposal")]
    [InlineData("parameters")]
    public void A_LocalParam_named_like_an_input_is_an_error_at_its_name(string name)
    {
        var rules = Local(name);
        using var set = TempRuleSet.With(rules: rules);
        AssertSingleAt(set, "DR0088", rules, $"\"{name}\"");
    }

    [Fact]
    public void A_LocalParam_shadowing_a_GlobalParam_is_an_error_at_the_LocalParam()
    {
        var rules = Local("big", """[ { "Name": "big", "Expression": "proposal.FinancialCommitment > 100" } ]""");
        using var set = TempRuleSet.With(rules: rules);
        AssertSingleAt(set, "DR0089", rules, "\"big\"", occurrence: 2);
        Assert.Contains("GlobalParam 'big' of workflow 'main'", Errors(set, "DR0089")[0].Message);
    }

    // Siblings found: the enum and date type names, keywords in any case, rule-set parameter names, duplicates in
    // one list, a nested rule's LocalParam shadowing its parent's.
    [Theory]
    [InlineData("ProposalKind", "the type 'ProposalKind'")]
    [InlineData("DecisionMaker", "the type 'DecisionMaker'")]
    [InlineData("LocalDate", "the type 'LocalDate'")]
    [InlineData("AND", "the keyword 'and'")]
    [InlineData("True", "the keyword 'true'")]
    [InlineData("null", "the keyword 'null'")]
    [InlineData("threshold", "the rule-set parameter 'threshold'")]
    public void A_name_the_language_or_the_rule_set_already_gives_a_meaning_is_an_error(string name, string meaning)
    {
        var rules = Globals(name);
        using var set = TempRuleSet.With(rules: rules, manifest: Manifest);
        // A rule-set parameter's name keeps DR0037; a name the language gives a meaning is DR0088 (split in 2026-11).
        var id = meaning.StartsWith("the rule-set parameter", StringComparison.Ordinal) ? "DR0037" : "DR0088";
        AssertSingleAt(set, id, rules, $"\"{name}\"");
        Assert.Contains(meaning, Errors(set, id)[0].Message);
    }

    [Fact]
    public void A_GlobalParam_defined_twice_is_an_error_at_the_second()
    {
        var rules = """
            {
              "WorkflowName": "main",
              "GlobalParams": [ { "Name": "big", "Expression": "true" }, { "Name": "big", "Expression": "false" } ],
              "Rules": [ { "RuleName": "R", "Expression": "big" } ]
            }
            """;
        using var set = TempRuleSet.With(rules: rules);
        AssertSingleAt(set, "DR0087", rules, "\"big\"", occurrence: 2);
        Assert.Contains("more than once", Errors(set, "DR0087")[0].Message);
    }

    [Fact]
    public void A_LocalParam_defined_twice_on_one_rule_is_an_error_at_the_second()
    {
        var rules = """
            {
              "WorkflowName": "main",
              "Rules": [ { "RuleName": "R", "LocalParams": [ { "Name": "x", "Expression": "true" }, { "Name": "x", "Expression": "false" } ], "Expression": "x" } ]
            }
            """;
        using var set = TempRuleSet.With(rules: rules);
        AssertSingleAt(set, "DR0087", rules, "\"x\"", occurrence: 2);
    }

    [Fact]
    public void A_nested_rules_LocalParam_shadowing_its_parents_is_an_error()
    {
        var rules = """
            {
              "WorkflowName": "main",
              "Rules": [ { "RuleName": "R", "Operator": "And", "LocalParams": [ { "Name": "x", "Expression": "proposal.Urgent" } ],
                "Rules": [ { "RuleName": "C", "LocalParams": [ { "Name": "x", "Expression": "!proposal.Urgent" } ], "Expression": "x" } ] } ]
            }
            """;
        using var set = TempRuleSet.With(rules: rules);
        AssertSingleAt(set, "DR0089", rules, "\"x\"", occurrence: 2);
    }

    [Fact]
    public void A_LocalParam_in_an_injected_workflow_shadowing_the_injecting_GlobalParam_is_an_error()
    {
        var rules = """
            [
              { "WorkflowName": "main", "WorkflowsToInject": [ "extra" ], "GlobalParams": [ { "Name": "big", "Expression": "proposal.FinancialCommitment > 100" } ],
                "Rules": [ { "RuleName": "A", "Expression": "big" } ] },
              { "WorkflowName": "extra", "Rules": [ { "RuleName": "B", "LocalParams": [ { "Name": "big", "Expression": "false" } ], "Expression": "big" } ] }
            ]
            """;
        using var set = TempRuleSet.With(rules: rules);
        AssertSingleAt(set, "DR0089", rules, "\"big\"", occurrence: 3);
    }

    [Fact]
    public async Task The_analyzer_reports_the_same_collisions_at_the_same_positions()
    {
        var rules = """
            [
              { "WorkflowName": "main", "GlobalParams": [ { "Name": "input1", "Expression": "true" }, { "Name": "big", "Expression": "true" } ],
                "Rules": [ { "RuleName": "A", "LocalParams": [ { "Name": "big", "Expression": "false" } ], "Expression": "big" } ] }
            ]
            """;
        using var set = TempRuleSet.With(rules: rules);
        var loader = RuleSet.Validate(set.Directory).Diagnostics.Select(d => $"{d.Location.Path}({d.Location.Line},{d.Location.Column}): {d.Id}").OrderBy(s => s).ToArray();
        Assert.Equal(1, loader.Count(l => l.EndsWith("DR0088", StringComparison.Ordinal)));
        Assert.Equal(1, loader.Count(l => l.EndsWith("DR0089", StringComparison.Ordinal)));
        Assert.Equal(loader, await ExpressionAnalyzerTests.Analyze(Directory.GetFiles(set.Directory)));
    }

    // Injection scoping: injected rules run in the scope of the workflow that routes them, as in RulesEngine.
    private const string InjectedReadsInjecting = """
        [
          { "WorkflowName": "main", "WorkflowsToInject": [ "extra" ],
            "GlobalParams": [ { "Name": "big", "Expression": "proposal.FinancialCommitment > 100" } ],
            "Rules": [ { "RuleName": "Main", "Expression": "big && proposal.Urgent", "Properties": { "steps": [ "notice" ], "source": "s" } } ] },
          { "WorkflowName": "extra",
            "Rules": [ { "RuleName": "Extra", "Expression": "big", "Properties": { "steps": [ "decision" ], "source": "s" } } ] }
        ]
        """;

    [Fact]
    public void An_injected_workflows_rule_reads_the_injecting_workflows_GlobalParams_on_both_paths()
    {
        using var set = TempRuleSet.With(rules: InjectedReadsInjecting);
        var ruleSet = RuleSet.Load(set.Directory);
        foreach (var evaluation in new[] { RoutingEvaluation.Compiled, RoutingEvaluation.RulesEngine })
        {
            var router = new Router(ruleSet, new RoutingOptions { Evaluation = evaluation });
            var big = router.Route(Proposal(commitment: 500, urgent: false));
            Assert.Equal(new[] { "Extra" }, big.MatchedRules.Select(m => m.Rule));
            Assert.DoesNotContain(big.Warnings, w => w.Kind == PlanWarningKind.RuleNotEvaluated);
            var small = router.Route(Proposal(commitment: 50, urgent: true));
            Assert.Empty(small.MatchedRules);
        }
    }

    [Fact]
    public void An_injected_workflows_own_GlobalParam_is_an_error_at_its_name()
    {
        var rules = """
            [
              { "WorkflowName": "main", "WorkflowsToInject": [ "extra" ], "Rules": [ { "RuleName": "Main", "Expression": "proposal.Urgent" } ] },
              { "WorkflowName": "extra", "GlobalParams": [ { "Name": "own", "Expression": "proposal.Urgent" } ],
                "Rules": [ { "RuleName": "Extra", "Expression": "own" } ] }
            ]
            """;
        using var set = TempRuleSet.With(rules: rules);
        AssertSingleAt(set, "DR0038", rules, "\"own\"");
        Assert.Contains("injected by 'main'", Errors(set, "DR0038")[0].Message);

        // The rule reading it is out of scope where it runs, and says so at its position.
        var unknown = Assert.Single(Errors(set, "DR0010"));
        var (line, column) = Position.Of(rules, "own\" }");
        Assert.Equal((line, column), (unknown.Location.Line, unknown.Location.Column));
    }

    [Fact]
    public void A_rule_injected_into_two_workflows_must_find_its_names_in_both()
    {
        var rules = """
            [
              { "WorkflowName": "a", "WorkflowsToInject": [ "shared" ], "GlobalParams": [ { "Name": "big", "Expression": "true" } ], "Rules": [ { "RuleName": "A", "Expression": "big" } ] },
              { "WorkflowName": "b", "WorkflowsToInject": [ "shared" ], "Rules": [ { "RuleName": "B", "Expression": "true" } ] },
              { "WorkflowName": "shared", "Rules": [ { "RuleName": "S", "Expression": "big" } ] }
            ]
            """;
        using var set = TempRuleSet.With(rules: rules);
        var unknown = Assert.Single(Errors(set, "DR0010"));
        var (line, column) = Position.Of(rules, "big\" }", occurrence: 2);
        Assert.Equal((line, column), (unknown.Location.Line, unknown.Location.Column));
        Assert.Contains("'big'", unknown.Message);
    }

    [Fact]
    public void A_rule_level_injection_sees_the_injecting_rules_LocalParams_on_both_paths()
    {
        var rules = """
            [
              { "WorkflowName": "checks", "Rules": [ { "RuleName": "Many", "Expression": "count > 2" } ] },
              { "WorkflowName": "main", "Rules": [ { "RuleName": "Composite", "Operator": "And", "LocalParams": [ { "Name": "count", "Expression": "proposal.StaffAffected" } ],
                "WorkflowsToInject": [ "checks" ], "Rules": [ { "RuleName": "Urgent", "Expression": "proposal.Urgent" } ], "Properties": { "steps": [ "notice" ], "source": "s" } } ] }
            ]
            """;
        using var set = TempRuleSet.With(rules: rules);
        var ruleSet = RuleSet.Load(set.Directory);
        foreach (var evaluation in new[] { RoutingEvaluation.Compiled, RoutingEvaluation.RulesEngine })
        {
            var router = new Router(ruleSet, new RoutingOptions { Evaluation = evaluation });
            Assert.Single(router.Route(Proposal(500, urgent: true, staff: 3)).MatchedRules);
            Assert.Empty(router.Route(Proposal(500, urgent: true, staff: 1)).MatchedRules);
        }
    }

    /// <summary>
    /// Sibling found: a rule that injects a workflow which itself injects another used to take only the first
    /// workflow's rules, silently dropping the rest on both paths. RulesEngine appends injected workflows
    /// transitively; so does a rule's injection now, and the injected rules are checked in the rule's scope.
    /// </summary>
    [Fact]
    public void A_rule_level_injection_takes_the_injected_workflows_own_injections_too()
    {
        var rules = """
            [
              { "WorkflowName": "more", "Rules": [ { "RuleName": "Many", "Expression": "count > 2" } ] },
              { "WorkflowName": "checks", "WorkflowsToInject": [ "more" ], "Rules": [ { "RuleName": "Binding", "Expression": "proposal.Urgent" } ] },
              { "WorkflowName": "main", "Rules": [ { "RuleName": "Composite", "Operator": "And", "LocalParams": [ { "Name": "count", "Expression": "proposal.StaffAffected" } ],
                "WorkflowsToInject": [ "checks" ], "Properties": { "steps": [ "notice" ], "source": "s" } } ] }
            ]
            """;
        using var set = TempRuleSet.With(rules: rules);
        var ruleSet = RuleSet.Load(set.Directory);
        foreach (var evaluation in new[] { RoutingEvaluation.Compiled, RoutingEvaluation.RulesEngine })
        {
            var router = new Router(ruleSet, new RoutingOptions { Evaluation = evaluation });
            Assert.Single(router.Route(Proposal(500, urgent: true, staff: 3)).MatchedRules);
            Assert.Empty(router.Route(Proposal(500, urgent: true, staff: 1)).MatchedRules);
        }

        // Read out of scope (no 'count' where 'more' is injected at workflow level), the same rule is an error at its name.
        using var outOfScope = TempRuleSet.With(rules: rules.Replace("\"WorkflowsToInject\": [ \"checks\" ], \"Properties\"", "\"Rules\": [ { \"RuleName\": \"U\", \"Expression\": \"proposal.Urgent\" } ], \"Properties\"").Replace("{ \"WorkflowName\": \"main\"", "{ \"WorkflowName\": \"main\", \"WorkflowsToInject\": [ \"checks\" ]"));
        var unknown = Assert.Single(RuleSet.Validate(outOfScope.Directory).Diagnostics, d => d.Id == "DR0010");
        Assert.Contains("'count'", unknown.Message);
    }

    /// <summary>
    /// Generated shapes: each parameter name in each place either is rejected at load with DR0037 or DR0038, or
    /// loads and the compiled path and RulesEngine give the same matches on every proposal.
    /// </summary>
    [Fact]
    public void Generated_name_shapes_are_rejected_or_agree_on_both_paths()
    {
        var names = new[] { "input1", "proposal", "parameters", "threshold", "ProposalKind", "LocalDate", "Or", "big", "small", "x" };
        var random = new Random(1207);
        int rejected = 0, compared = 0;
        for (var shape = 0; shape < 60; shape++)
        {
            var global = names[random.Next(names.Length)];
            var local = names[random.Next(names.Length)];
            var injectedGlobal = random.Next(3) == 0 ? names[random.Next(names.Length)] : null;
            var injectedLocal = names[random.Next(names.Length)];
            var rules = $$"""
                [
                  { "WorkflowName": "main", "WorkflowsToInject": [ "extra" ],
                    "GlobalParams": [ { "Name": "{{global}}", "Expression": "proposal.FinancialCommitment > 100" } ],
                    "Rules": [
                      { "RuleName": "G", "Expression": "{{Reads(global)}} && proposal.Urgent", "Properties": { "steps": [ "notice" ], "source": "s" } },
                      { "RuleName": "L", "LocalParams": [ { "Name": "{{local}}", "Expression": "proposal.StaffAffected > 2" } ], "Expression": "{{Reads(local)}}", "Properties": { "steps": [ "decision" ], "source": "s" } }
                    ] },
                  { "WorkflowName": "extra",
                    "GlobalParams": {{(injectedGlobal is null ? "[]" : $$"""[ { "Name": "{{injectedGlobal}}", "Expression": "true" } ]""")}},
                    "Rules": [ { "RuleName": "I", "LocalParams": [ { "Name": "{{injectedLocal}}", "Expression": "proposal.LegallyBinding" } ], "Expression": "{{Reads(injectedLocal)}} || {{Reads(global)}}" } ] }
                ]
                """;
            using var set = TempRuleSet.With(rules: rules, manifest: Manifest);
            var result = RuleSet.TryLoad(set.Directory);
            var clash = Clashes(global, local, injectedGlobal, injectedLocal);
            if (result.RuleSet is null)
            {
                var errors = result.Diagnostics.Where(d => d.IsError).Select(d => d.Id).Distinct().ToList();
                Assert.True(clash, $"{global}/{local}/{injectedGlobal}/{injectedLocal} rejected without a collision: {string.Join("\n", result.Diagnostics)}");
                Assert.True(new[] { "DR0037", "DR0038", "DR0087", "DR0088", "DR0089" }.Any(errors.Contains), string.Join("\n", result.Diagnostics));
                rejected++;
                continue;
            }

            Assert.False(clash, $"{global}/{local}/{injectedGlobal}/{injectedLocal} loaded although the names collide");
            var compiled = new Router(result.RuleSet, new RoutingOptions { Evaluation = RoutingEvaluation.Compiled });
            var oracle = new Router(result.RuleSet, new RoutingOptions { Evaluation = RoutingEvaluation.RulesEngine });
            var proposals = new Random(shape);
            for (var i = 0; i < 20; i++)
            {
                var proposal = Synthetic.Proposal(proposals, i);
                var expected = oracle.Route(proposal);
                var actual = compiled.Route(proposal);
                Assert.Equal(expected.MatchedRules.Select(m => m.Rule), actual.MatchedRules.Select(m => m.Rule));
                Assert.DoesNotContain(expected.Warnings, w => w.Kind == PlanWarningKind.RuleNotEvaluated);
            }

            compared++;
        }

        Assert.True(rejected > 0 && compared > 0, $"rejected {rejected}, compared {compared}: the generator must produce both");
    }

    /// <summary>How a rule reads a name: the inputs through a member, types through a value, parameters directly.</summary>
    private static string Reads(string name) => name switch
    {
        "input1" or "proposal" => $"{name}.Urgent",
        "parameters" => "parameters.threshold > 1",
        "ProposalKind" => "proposal.Has(ProposalKind.Mou)",
        "LocalDate" => "proposal.IntendedDecisionDate > LocalDate(2000, 1, 1)",
        "Or" => "true",
        "threshold" => "parameters.threshold > 1",
        _ => name,
    };

    private static bool Clashes(string global, string local, string? injectedGlobal, string injectedLocal)
    {
        static bool Reserved(string n) => n is "input1" or "proposal" or "parameters" or "threshold" or "ProposalKind" or "LocalDate" or "Or";
        return Reserved(global) || Reserved(local) || Reserved(injectedLocal) || injectedGlobal is not null
            || local == global || injectedLocal == global;
    }

    private static Proposal Proposal(decimal commitment, bool urgent, int staff = 0) => new()
    {
        Id = "p",
        Title = "p",
        DecisionMaker = DecisionMaker.Cabinet,
        IntendedDecisionDate = new NodaTime.LocalDate(2030, 1, 10),
        Kinds = new[] { ProposalKind.Mou },
        FinancialCommitment = commitment,
        Urgent = urgent,
        StaffAffected = staff,
    };
}
