using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using DecisionRouting.Routing;
using DecisionRouting.RuleSets;
using DecisionRouting.Tests.Support;
using FsCheck;
using FsCheck.Fluent;
using Xunit.Abstractions;

namespace DecisionRouting.Tests.Security;

/// <summary>
/// Issue 14 §3, the second tester's N1 residual: a fan-out whose injecting rules each name their LocalParam
/// differently validated and took 12 s of CPU to route, because the compiled evaluator compiled an injected workflow
/// once per scope and every copy's scope differed by a name it never read. Now the scope is trimmed to the words the
/// injected rules use, so those copies share one delegate (and its memoised outcome); the copies that really differ,
/// because the injected rules read the injecting rule's LocalParam, are counted before compiling and bounded (DR0070).
/// </summary>
public sealed class CompiledScopeTests
{
    private const string Properties = """ "Properties": { "steps": [ "notice", "decision" ], "source": "s", "reason": "r" } """;

    /// <summary>The routing budget (<see cref="RoutingOptions.TimeBudget"/>'s default) every phase must stay within.</summary>
    private static readonly TimeSpan Budget = new RoutingOptions().TimeBudget;

    /// <summary>Proposal members the leaf below reads, each with a condition on it: a LocalParam under one of these names is a word the leaf uses.</summary>
    private static readonly (string Name, string Condition)[] Members =
    {
        ("Id", "proposal.Id == \\\"x\\\""), ("Title", "proposal.Title == \\\"x\\\""), ("Organisation", "proposal.Organisation == \\\"x\\\""),
        ("UrgencyReason", "proposal.UrgencyReason == \\\"x\\\""), ("Savings", "proposal.Savings > 1"), ("WardsAffected", "proposal.WardsAffected > 1"),
        ("StaffAffected", "proposal.StaffAffected > 1"), ("ProposedRedundancies", "proposal.ProposedRedundancies > 1"), ("AllWards", "proposal.AllWards"),
        ("SignificantEffectOnCommunities", "proposal.SignificantEffectOnCommunities"), ("TupeTransfer", "proposal.TupeTransfer"), ("Urgent", "proposal.Urgent"),
        ("AffectsBudgetAndPolicyFramework", "proposal.AffectsBudgetAndPolicyFramework"), ("LegallyBinding", "proposal.LegallyBinding"),
        ("SubstantialVariationOfHealthServices", "proposal.SubstantialVariationOfHealthServices"), ("Kinds", "proposal.Kinds.Any()"),
        ("ExemptParagraphs", "proposal.ExemptParagraphs.Any()"), ("FinancialCommitment", "proposal.FinancialCommitment > 1"),
    };

    private readonly ITestOutputHelper _output;

    public CompiledScopeTests(ITestOutputHelper output) => _output = output;

    /// <summary>
    /// Workflows w0…w{depth}, each of <paramref name="width"/> rules defining one LocalParam named
    /// <paramref name="local"/>(depth, index) with text <paramref name="text"/>(depth, index) and injecting the next;
    /// the last holds one rule, <paramref name="leaf"/>.
    /// </summary>
    private static string FanOut(int depth, int width, Func<int, int, string> local, Func<int, int, string> text, string leaf) =>
        "[ " + string.Join(",\n", Enumerable.Range(0, depth + 1).Select(d =>
        {
            var rules = d == depth
                ? new[] { $$"""{ "RuleName": "leaf", "Expression": "{{leaf}}", {{Properties}} }""" }
                : Enumerable.Range(0, width).Select(i => $$"""{ "RuleName": "r{{d}}_{{i}}", "Operator": "OrElse", "LocalParams": [ { "Name": "{{local(d, i)}}", "Expression": "{{text(d, i)}}" } ], "WorkflowsToInject": [ "w{{d + 1}}" ], {{Properties}} }""").ToArray();
            return $$"""{ "WorkflowName": "w{{d}}", "Rules": [ {{string.Join(", ", rules)}} ] }""";
        })) + " ]";

    /// <summary>A leaf condition that reads every member in <see cref="Members"/>.</summary>
    internal static string ReadsEveryMember => string.Join(" || ", Members.Select(m => m.Condition)) + " || proposal.Partners.Any()";

    /// <summary>The LocalParam name of rule <paramref name="i"/> at depth <paramref name="d"/>: a member the leaf reads, a different one for each rule (so depth × width must not pass the members' count, or a name repeats down the chain, which DR0037 refuses).</summary>
    internal static string MemberName(int d, int i, int width) => Members[((d * width) + i) % Members.Length].Name;

    /// <summary>A fan-out whose every injecting rule defines a LocalParam named after a member the leaf reads, each rule a different one.</summary>
    private static string EveryCopyItsOwnScope(int depth, int width) =>
        FanOut(depth, width, (d, i) => MemberName(d, i, width), (_, _) => "proposal.FinancialCommitment > 1", ReadsEveryMember);

    [Fact]
    public void The_testers_b11_fan_out_compiles_each_injected_workflow_once()
    {
        // fan2.py b11 2 11 1 30 1 0: every injecting rule names its LocalParam differently, and nothing reads them.
        // Each of the 4,094 copies was compiled on its own; now each workflow is compiled once, and memoised.
        using var set = TempRuleSet.With(rules: InjectionFanOutTests.FanOut(11, locals: true, distinctLocals: true));
        var watch = Stopwatch.StartNew();
        var ruleSet = RuleSet.Load(set.Directory);
        var loading = watch.Elapsed;
        watch.Restart();
        var plan = new Router(ruleSet).Route(EvaluationBoundsTests.AtTheLimits());
        var routing = watch.Elapsed;
        _output.WriteLine($"load {loading.TotalMilliseconds:0} ms, route {routing.TotalMilliseconds:0} ms, {ruleSet.Evaluation.Compiled.CompiledScopes} scopes");

        Assert.Equal(11, ruleSet.Evaluation.Compiled.CompiledScopes);
        Assert.Contains(plan.MatchedRules, m => m.Rule == "r0_0");
        Assert.True(loading < Budget && routing < Budget, $"load {loading}, route {routing}");
    }

    [Fact]
    public void LocalParams_the_injected_rules_read_under_a_different_name_on_every_rule_are_refused_where_the_scopes_start_to_differ()
    {
        // The sibling that trimming cannot share: the leaf reads every member whose name the injecting rules give their
        // LocalParams, so each copy really sees different values. Two wide, nine deep is 1,022 scopes; counting stops
        // past 500, in the eighth workflow, and points at the second injection of it, where its scopes first differ.
        var rules = EveryCopyItsOwnScope(9, 2);
        using var set = TempRuleSet.With(rules: rules);
        var watch = Stopwatch.StartNew();
        var error = Assert.Single(RuleSet.Validate(set.Directory).Diagnostics, d => d.IsError);
        _output.WriteLine($"validate {watch.ElapsedMilliseconds} ms: {error.Message}");
        Assert.Equal("DR0070", error.Id);
        Assert.Contains("more than 500 compiled scopes", error.Message);
        Assert.Contains("workflow 'w8' alone needs", error.Message);
        Assert.Contains("'AllWards'", error.Message);
        Assert.Equal(Position.Of(rules, "\"w8\" ]", 2), (error.Location.Line, error.Location.Column));
        Assert.Equal("DR0070", Assert.Single(RuleSet.TryLoad(set.Directory).Diagnostics, d => d.IsError).Id);
        Assert.True(watch.Elapsed < Budget, $"validate and load took {watch.Elapsed}");
    }

    [Fact]
    public void Under_the_limit_every_scope_is_compiled_once_and_agrees_with_RulesEngine()
    {
        // Three wide, five deep: 363 scopes, each its own. Loading compiles exactly those, and the outcome of every
        // copy is what RulesEngine, which expands every copy, gives.
        using var set = TempRuleSet.With(rules: EveryCopyItsOwnScope(5, 3));
        var watch = Stopwatch.StartNew();
        var ruleSet = RuleSet.Load(set.Directory);
        var loading = watch.Elapsed;
        _output.WriteLine($"load {loading.TotalMilliseconds:0} ms, {ruleSet.Evaluation.Compiled.CompiledScopes} scopes");
        Assert.Equal(3 + 9 + 27 + 81 + 243, ruleSet.Evaluation.Compiled.CompiledScopes);

        // Loading is not under the routing budget; about 5 ms of CPU a scope (docs/rules/DR0070.md). Wall time on a
        // shared machine is several times that, so this only catches a return to compiling every copy (4,094 here).
        Assert.True(loading < TimeSpan.FromSeconds(30), $"load {loading}");

        var proposal = EvaluationBoundsTests.AtTheLimits();
        var compiled = new Router(ruleSet).Route(proposal);
        var reference = new Router(ruleSet, new RoutingOptions { Evaluation = RoutingEvaluation.RulesEngine, TimeBudget = TimeSpan.FromSeconds(60) }).Route(proposal);
        Assert.Equal(reference.MatchedRules.Select(m => m.Rule), compiled.MatchedRules.Select(m => m.Rule));
        Assert.Equal(reference.Incomplete.Select(i => (i.Rule, i.Kind)), compiled.Incomplete.Select(i => (i.Rule, i.Kind)));
    }

    [Fact]
    public void LocalParams_of_the_same_name_and_text_are_one_scope_however_many_rules_define_them()
    {
        // The benign pattern: both rules of each level define 'x{level}' the same way and the leaf reads them all.
        // 4,094 copies, one scope per workflow: validated and loaded, not refused as 4,094 scopes. (One name at every
        // level would hide the outer ones, which DR0037 refuses: the evaluators would disagree.)
        var rules = FanOut(11, 2, (d, _) => $"x{d}", (d, _) => $"proposal.FinancialCommitment > {d}", string.Join(" && ", Enumerable.Range(0, 11).Select(d => $"x{d}")) + " && proposal.Partners.Any()");
        using var set = TempRuleSet.With(rules: rules);
        Assert.DoesNotContain(RuleSet.Validate(set.Directory).Diagnostics, d => d.IsError);
        var ruleSet = RuleSet.Load(set.Directory);
        Assert.Equal(11, ruleSet.Evaluation.Compiled.CompiledScopes);
        Assert.Contains(new Router(ruleSet).Route(EvaluationBoundsTests.AtTheLimits()).MatchedRules, m => m.Rule == "r0_0");
    }

    public static TheoryData<string, string> Readers() => new()
    {
        // How the injected workflow 'mid' reaches the LocalParam 'x' of the rule that injects it: each must keep
        // 'x' in the trimmed scope, and keep 'mid' from being memoised, or 'low' gets 'high''s answer.
        { "an injected workflow's rule", """{ "WorkflowName": "mid", "Rules": [ { "RuleName": "m", "Expression": "x" } ] }""" },
        { "a workflow it injects in turn", """{ "WorkflowName": "mid", "Rules": [ { "RuleName": "m", "Operator": "And", "WorkflowsToInject": [ "leaf" ] } ] }, { "WorkflowName": "leaf", "Rules": [ { "RuleName": "l", "Expression": "x" } ] }""" },
        { "a nested rule", """{ "WorkflowName": "mid", "Rules": [ { "RuleName": "m", "Operator": "And", "Rules": [ { "RuleName": "n", "Expression": "x" } ] } ] }""" },
        { "a LocalParam of the injected rule", """{ "WorkflowName": "mid", "Rules": [ { "RuleName": "m", "LocalParams": [ { "Name": "y", "Expression": "x && true" } ], "Expression": "y" } ] }""" },
        { "a workflow-level injection", """{ "WorkflowName": "mid", "WorkflowsToInject": [ "leaf" ], "Rules": [] }, { "WorkflowName": "leaf", "Rules": [ { "RuleName": "l", "Expression": "x" } ] }""" },
    };

    [Theory]
    [MemberData(nameof(Readers))]
    public void An_injected_workflow_that_reads_the_injecting_rules_LocalParam_sees_each_rules_own_value(string how, string mid)
    {
        var rules = $$"""
            [ { "WorkflowName": "main", "Rules": [
                { "RuleName": "high", "Operator": "And", "LocalParams": [ { "Name": "x", "Expression": "proposal.FinancialCommitment > 5" } ], "WorkflowsToInject": [ "mid" ], {{Properties}} },
                { "RuleName": "low", "Operator": "And", "LocalParams": [ { "Name": "x", "Expression": "proposal.FinancialCommitment > 5000000" } ], "WorkflowsToInject": [ "mid" ], {{Properties}} } ] },
              {{mid}} ]
            """;
        using var set = TempRuleSet.With(rules: rules);
        var ruleSet = RuleSet.Load(set.Directory);
        foreach (var evaluation in new[] { RoutingEvaluation.Compiled, RoutingEvaluation.RulesEngine })
        {
            var plan = new Router(ruleSet, new RoutingOptions { Evaluation = evaluation }).Route(EvaluationBoundsTests.AtTheLimits());
            Assert.True(new[] { "high" }.SequenceEqual(plan.MatchedRules.Select(m => m.Rule)), $"{how}, {evaluation}: matched {string.Join(", ", plan.MatchedRules.Select(m => m.Rule))}");
            Assert.True(plan.IsComplete, $"{how}, {evaluation}: {string.Join("; ", plan.Incomplete.Select(i => i.Message))}");
        }
    }

    [Fact]
    public void A_LocalParam_cannot_hide_a_GlobalParam_the_injected_rules_read()
    {
        // 'g' the LocalParam and 'g' the GlobalParam would compile to the same parameter (same name, same type), and
        // only the scope's record of which one is in force would keep 'hidden' from sharing 'plain''s memoised
        // outcome. DR0089 refuses the hiding itself, in the injecting rule, so that case never reaches the compiler.
        var rules = $$"""
            [ { "WorkflowName": "main", "GlobalParams": [ { "Name": "g", "Expression": "proposal.FinancialCommitment > 5" } ], "Rules": [
                { "RuleName": "plain", "Operator": "And", "WorkflowsToInject": [ "check" ], {{Properties}} },
                { "RuleName": "hidden", "Operator": "And", "LocalParams": [ { "Name": "g", "Expression": "proposal.FinancialCommitment > 5000000" } ], "WorkflowsToInject": [ "check" ], {{Properties}} } ] },
              { "WorkflowName": "check", "Rules": [ { "RuleName": "c", "Expression": "g" } ] } ]
            """;
        using var set = TempRuleSet.With(rules: rules);
        var error = Assert.Single(RuleSet.Validate(set.Directory).Diagnostics, d => d.IsError);
        Assert.Equal("DR0089", error.Id);
        Assert.Equal(Position.Of(rules, "\"g\", \"Expression\": \"proposal.FinancialCommitment > 5000000"), (error.Location.Line, error.Location.Column));
    }

    [Fact]
    public void A_LocalParam_cannot_hide_an_outer_LocalParam_the_injected_rules_read()
    {
        // The sibling: a nested rule's LocalParam over its parent's, both named as the injected rule reads. Refused
        // too, so the scope an injected workflow is compiled in never has two meanings for one name.
        var rules = $$"""
            [ { "WorkflowName": "main", "Rules": [
                { "RuleName": "outer", "Operator": "And", "LocalParams": [ { "Name": "x", "Expression": "proposal.FinancialCommitment > 5" } ], "Rules": [
                    { "RuleName": "inner", "Operator": "And", "LocalParams": [ { "Name": "x", "Expression": "proposal.FinancialCommitment > 5000000" } ], "WorkflowsToInject": [ "check" ] } ], {{Properties}} } ] },
              { "WorkflowName": "check", "Rules": [ { "RuleName": "c", "Expression": "x" } ] } ]
            """;
        using var set = TempRuleSet.With(rules: rules);
        var error = Assert.Single(RuleSet.Validate(set.Directory).Diagnostics, d => d.IsError);
        Assert.Equal("DR0089", error.Id);
        Assert.Equal(Position.Of(rules, "\"x\", \"Expression\": \"proposal.FinancialCommitment > 5000000"), (error.Location.Line, error.Location.Column));
    }

    [Fact]
    public void A_LocalParam_cannot_share_its_name_with_one_of_a_rule_that_injects_its_workflow()
    {
        // The third tester's F2: DR0037 (now DR0089) looked at enclosing rules only. 'x' in the injected rule hid the injecting
        // rule's 'x' in the compiled evaluator and failed the rule in RulesEngine, so the two gave different plans.
        // Now it is refused at the inner name, pointing at the outer one, through any depth of injection.
        var rules = $$"""
            [ { "WorkflowName": "main", "Rules": [
                { "RuleName": "inj", "Operator": "OrElse", "LocalParams": [ { "Name": "x", "Expression": "false" } ], "WorkflowsToInject": [ "mid" ], {{Properties}} } ] },
              { "WorkflowName": "mid", "Rules": [ { "RuleName": "m", "Operator": "And", "WorkflowsToInject": [ "leaf" ] } ] },
              { "WorkflowName": "leaf", "Rules": [ { "RuleName": "l", "LocalParams": [ { "Name": "X", "Expression": "true" } ], "Expression": "X" } ] } ]
            """;
        using var set = TempRuleSet.With(rules: rules);
        var error = Assert.Single(RuleSet.Validate(set.Directory).Diagnostics, d => d.IsError);
        Assert.Equal("DR0089", error.Id);
        Assert.Equal(Position.Of(rules, "\"X\", \"Expression\": \"true"), (error.Location.Line, error.Location.Column));
        Assert.Contains("or of a rule that injects this one's workflow", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_rule_injecting_only_disabled_rules_does_not_match_in_either_evaluator()
    {
        // The third tester's F3: the RulesEngine evaluator threw a bare RuleValidationException ("Expression cannot be
        // null or empty"); the compiled one read the rule as not matching.
        var rules = $$"""
            [ { "WorkflowName": "main", "Rules": [
                { "RuleName": "inj", "Operator": "And", "WorkflowsToInject": [ "off" ], {{Properties}} },
                { "RuleName": "on", "Expression": "proposal.Partners.Any()", {{Properties}} } ] },
              { "WorkflowName": "off", "Rules": [ { "RuleName": "o", "Enabled": false, "Expression": "true" } ] } ]
            """;
        using var set = TempRuleSet.With(rules: rules);
        var ruleSet = RuleSet.Load(set.Directory);
        foreach (var evaluation in new[] { RoutingEvaluation.Compiled, RoutingEvaluation.RulesEngine })
        {
            var plan = new Router(ruleSet, new RoutingOptions { Evaluation = evaluation }).Route(EvaluationBoundsTests.AtTheLimits());
            Assert.Equal(new[] { "on" }, plan.MatchedRules.Select(m => m.Rule));
            Assert.True(plan.IsComplete);
        }
    }

    [Fact]
    public void DR0070_counts_LocalParams_of_one_name_and_different_texts_apart_a_known_over_count()
    {
        // README, known limits: without types the count tells 'x3' written two ways apart, so every level doubling
        // it and a leaf reading them all is 2 + 4 + … combinations, though the compiler (name and type) compiles one
        // scope per workflow. Pinned so the limit is seen if it changes, either way.
        var rules = FanOut(9, 2, (d, _) => $"x{d}", (_, i) => $"proposal.FinancialCommitment > {i}", string.Join(" && ", Enumerable.Range(0, 9).Select(d => $"x{d}")));
        using var set = TempRuleSet.With(rules: rules);
        Assert.Equal("DR0070", Assert.Single(RuleSet.Validate(set.Directory).Diagnostics, d => d.IsError).Id);

        var smaller = FanOut(6, 2, (d, _) => $"x{d}", (_, i) => $"proposal.FinancialCommitment > {i}", string.Join(" && ", Enumerable.Range(0, 6).Select(d => $"x{d}")));
        using var loads = TempRuleSet.With(rules: smaller);
        var ruleSet = RuleSet.Load(loads.Directory);
        Assert.Equal(2 + 4 + 8 + 16 + 32 + 64, InjectionScopes.Count(ruleSet.Definition.Workflows));
        Assert.Equal(6, ruleSet.Evaluation.Compiled.CompiledScopes);
    }

    [Fact]
    public void DR0070_counts_what_the_compiler_compiles_or_more_never_less()
    {
        // The static count (no types) tells LocalParams apart by name, text and what the text reads; the compiler by
        // name and type. For fan-outs of each kind above, under the limit, the count is at least what was compiled.
        var shapes = new List<(string Name, string Rules)>
        {
            ("distinct unread", InjectionFanOutTests.FanOut(8, locals: true, distinctLocals: true)),
            ("distinct read", EveryCopyItsOwnScope(4, 3)),
            ("same name, different text", FanOut(6, 2, (d, _) => $"x{d}", (d, i) => $"proposal.FinancialCommitment > {(d * 2) + i}", "x5")),
            ("chained", FanOut(6, 2, (d, _) => $"x{d}", (d, i) => d == 0 ? $"proposal.FinancialCommitment > {i}" : $"x{d - 1} && proposal.Savings >= {i}", "x5")),
        };
        foreach (var (name, rules) in shapes)
        {
            using var set = TempRuleSet.With(rules: rules);
            var ruleSet = RuleSet.Load(set.Directory);
            var counted = InjectionScopes.Count(ruleSet.Definition.Workflows);
            _output.WriteLine($"{name}: counted {counted}, compiled {ruleSet.Evaluation.Compiled.CompiledScopes}");
            Assert.True(counted >= ruleSet.Evaluation.Compiled.CompiledScopes, $"{name}: counted {counted} < compiled {ruleSet.Evaluation.Compiled.CompiledScopes}");
        }
    }

    private static Gen<EvaluationBoundsTests.FanOutShape> NearTheScopeBound() =>
        from depth in Gen.Choose(5, 9)
        from width in Gen.Choose(2, 3)
        from read in Gen.Elements(true, true, false)
        from leaf in Gen.Elements(0, 0, 1_000)
        select new EvaluationBoundsTests.FanOutShape(read ? Math.Min(depth, Members.Length / width) : depth, width, Locals: true, Globals: 0, leaf, DistinctLocals: true, ReadLocals: read);

    [Fact]
    public void Any_generated_fan_out_near_the_scope_bound_is_refused_by_it_or_loads_what_it_counted()
    {
        // A property over fan-outs whose copies do or do not read their injecting rules' LocalParams: each is refused
        // (DR0070, or DR0058/DR0069 first), or loads, compiling no more scopes than DR0070 counted, and routes
        // inside the budget with every rule decided.
        var shapes = NearTheScopeBound().Sample(12, new Rnd(20261130UL), 12).ToList();
        var byScopes = 0;
        var loadedReading = 0;
        foreach (var shape in shapes)
        {
            var leaf = (shape.ReadLocals ? ReadsEveryMember + " || " : string.Empty) + (shape.Leaf == 0 ? "proposal.Partners.Any()" : EvaluationBoundsTests.LongCondition(shape.Leaf));
            var localName = shape.ReadLocals ? (d, i) => MemberName(d, i, shape.Width) : (Func<int, int, string>?)null;
            using var set = TempRuleSet.With(rules: InjectionFanOutTests.FanOut(shape.Depth, shape.Width, locals: true, leaf: leaf, distinctLocals: true, localName: localName));
            var load = RuleSet.TryLoad(set.Directory);
            if (load.RuleSet is not { } ruleSet)
            {
                var errors = load.Diagnostics.Where(d => d.IsError).Select(d => d.Id).ToList();
                _output.WriteLine($"{shape}: refused {string.Join(", ", errors)}");
                Assert.All(errors, id => Assert.Contains(id, new[] { "DR0058", "DR0069", "DR0070" }));
                byScopes += errors.Contains("DR0070") ? 1 : 0;
                continue;
            }

            var counted = InjectionScopes.Count(ruleSet.Definition.Workflows);
            var watch = Stopwatch.StartNew();
            var plan = new Router(ruleSet).Route(EvaluationBoundsTests.AtTheLimits());
            _output.WriteLine($"{shape}: counted {counted}, compiled {ruleSet.Evaluation.Compiled.CompiledScopes}, route {watch.ElapsedMilliseconds} ms");
            Assert.InRange(ruleSet.Evaluation.Compiled.CompiledScopes, 1, Math.Min(counted, InjectionScopes.MaxScopes));
            Assert.True(plan.IsComplete, shape.ToString());
            Assert.Contains(plan.MatchedRules, m => m.Rule == "r0_0");
            loadedReading += shape.ReadLocals ? 1 : 0;
        }

        // A sample that never reaches the bound, or never loads a fan-out reading its LocalParams, tests neither.
        Assert.InRange(byScopes, 1, shapes.Count - 1);
        Assert.True(loadedReading > 0, "no generated fan-out whose leaf reads its LocalParams loaded");
    }
}
