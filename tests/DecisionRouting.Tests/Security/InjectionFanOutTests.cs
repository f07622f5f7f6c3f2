using System;
using System.Diagnostics;
using System.Linq;
using System.Reflection;
using DecisionRouting.Explanations;
using DecisionRouting.Routing;
using DecisionRouting.RuleSets;
using DecisionRouting.Tests.Support;
using Xunit.Abstractions;

namespace DecisionRouting.Tests.Security;

/// <summary>
/// Issue 14 §3, the tester's D3: what validates loads, routes and explains within the budget, for workflow injection
/// that fans out. Injection copies a workflow's rules into every rule that injects it, so a fan-out two wide and
/// fifteen deep is 98,302 rules. It was under DR0058's old bound of 100,000 and validated, then took more than a minute
/// to route: each copy was compiled inline. Now each injected workflow is compiled once and shared, the expansion is
/// bounded at 10,000 rules, and the copies are also bounded weighted by the names each can see.
/// </summary>
public sealed class InjectionFanOutTests
{
    private const string Properties = """ "Properties": { "steps": [ "notice", "decision" ], "source": "s", "reason": "r" } """;

    /// <summary>The routing budget (<see cref="RoutingOptions.TimeBudget"/>'s default) every phase must stay within.</summary>
    private static readonly TimeSpan Budget = new RoutingOptions().TimeBudget;

    private readonly ITestOutputHelper _output;

    public InjectionFanOutTests(ITestOutputHelper output) => _output = output;

    /// <summary>
    /// Workflows w0…w{depth}, each of <paramref name="width"/> rules injecting the next; the last holds one leaf.
    /// With <paramref name="locals"/> every injecting rule defines a LocalParam (so no copy can be memoised), and
    /// w0 has <paramref name="globals"/> GlobalParams in the scope of every copy. With <paramref name="distinctLocals"/>
    /// each injecting rule names its LocalParam differently (as the tester's fan2.py does), so every copy has a scope of its own.
    /// </summary>
    /// <paramref name="localName"/>, when given, names the LocalParam of rule i at depth d instead.
    internal static string FanOut(int depth, int width = 2, bool locals = false, int globals = 0, string leaf = "proposal.Partners.Any()", bool distinctLocals = false, Func<int, int, string>? localName = null)
    {
        var workflows = Enumerable.Range(0, depth + 1).Select(d =>
        {
            var rules = d == depth
                ? new[] { $$"""{ "RuleName": "leaf", "Expression": "{{leaf}}", {{Properties}} }""" }
                : Enumerable.Range(0, width).Select(i =>
                {
                    var local = locals ? $$""" "LocalParams": [ { "Name": "{{localName?.Invoke(d, i) ?? $"l{d}{(distinctLocals ? $"_{i}" : string.Empty)}"}}", "Expression": "proposal.FinancialCommitment > {{d}}" } ], """ : string.Empty;
                    return $$"""{ "RuleName": "r{{d}}_{{i}}", "Operator": "OrElse", {{local}}"WorkflowsToInject": [ "w{{d + 1}}" ], {{Properties}} }""";
                }).ToArray();
            var global = d == 0 && globals > 0
                ? $"\"GlobalParams\": [ {string.Join(", ", Enumerable.Range(0, globals).Select(g => $$"""{ "Name": "g{{g}}", "Expression": "proposal.FinancialCommitment > {{g}}" }"""))} ], "
                : string.Empty;
            return $$"""{ "WorkflowName": "w{{d}}", {{global}}"Rules": [ {{string.Join(", ", rules)}} ] }""";
        });
        return "[ " + string.Join(",\n", workflows) + " ]";
    }

    [Fact]
    public void The_testers_98302_rule_fan_out_is_refused_by_validate_naming_the_chain()
    {
        // D3: width 2, depth 15 expands to 98,302 rules; it validated under the old bound of 100,000.
        var rules = FanOut(15);
        using var set = TempRuleSet.With(rules: rules);
        var watch = Stopwatch.StartNew();
        var errors = RuleSet.Validate(set.Directory).Diagnostics.Where(d => d.IsError).ToList();
        _output.WriteLine($"validate: {watch.ElapsedMilliseconds} ms");
        var error = Assert.Single(errors);
        Assert.Equal("DR0058", error.Id);
        Assert.Contains("to 98,302 rules through 'w0' → 'w1' → 'w2'", error.Message);
        Assert.Contains("the limit is 10,000", error.Message);
        Assert.Equal(Position.Of(rules, "\"w1\" ]"), (error.Location.Line, error.Location.Column));
        Assert.True(watch.Elapsed < Budget, $"validate took {watch.Elapsed}");
    }

    [Theory]
    [InlineData(11, false, 0)] // 6,142 rules, every copy in the workflow's own scope: shared and memoised
    [InlineData(11, true, 0)] // the same under LocalParams: shared, but every copy checked and evaluated
    [InlineData(10, true, 50)] // 3,070 copies under LocalParams, each seeing 53 names and more: a third of the weighted bound
    [InlineData(12, false, 0)] // 12,286 rules: over the count bound, refused
    public void A_fan_out_that_validates_loads_routes_and_explains_within_the_budget(int depth, bool locals, int globals)
    {
        using var set = TempRuleSet.With(rules: FanOut(depth, locals: locals, globals: globals));
        var watch = Stopwatch.StartNew();
        var load = RuleSet.TryLoad(set.Directory);
        var loading = watch.Elapsed;
        if (load.RuleSet is not { } ruleSet)
        {
            Assert.Equal("DR0058", Assert.Single(load.Diagnostics, d => d.IsError).Id);
            Assert.Equal(12, depth);
            return;
        }

        Assert.NotEqual(12, depth);
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        watch.Restart();
        var plan = new Router(ruleSet).Route(EvaluationBoundsTests.AtTheLimits());
        var routing = watch.Elapsed;
        watch.Restart();
        var explanation = new Explainer(ruleSet).Explain(EvaluationBoundsTests.AtTheLimits(), "decision");
        var explaining = watch.Elapsed;
        var used = (GC.GetAllocatedBytesForCurrentThread() - allocated) >> 20;
        _output.WriteLine($"depth {depth}, locals {locals}, globals {globals}: load {loading.TotalMilliseconds:0} ms, route {routing.TotalMilliseconds:0} ms, explain {explaining.TotalMilliseconds:0} ms, {used} MB allocated routing and explaining");

        // The leaf matches at the limits, so the entry rules do, through every level of injection.
        Assert.Contains(plan.MatchedRules, m => m.Rule == "r0_0");
        Assert.True(plan.IsComplete);
        Assert.True(explanation.Required);
        Assert.True(loading < Budget && routing < Budget && explaining < Budget, $"load {loading}, route {routing}, explain {explaining}");
        Assert.True(used < 512, $"{used} MB allocated");
    }

    [Fact]
    public void Copies_weighted_by_the_names_they_see_are_bounded_too()
    {
        // 6,142 copies is well under the count bound, but each sees the entry's 1,000 GlobalParams: checking and
        // evaluating them under a LocalParam took more than 20 s. The message names the chain and the weight.
        var rules = FanOut(11, locals: true, globals: 1000);
        using var set = TempRuleSet.With(rules: rules);
        var error = Assert.Single(RuleSet.Validate(set.Directory).Diagnostics, d => d.IsError);
        Assert.Equal("DR0058", error.Id);
        Assert.Contains("to 6,142 rules through 'w0' → 'w1'", error.Message);
        Assert.Contains("1,003 or more names", error.Message);
        Assert.Contains("the limit is 500,000", error.Message);
        Assert.Equal(Position.Of(rules, "\"w1\" ]"), (error.Location.Line, error.Location.Column));
    }

    [Fact]
    public void A_workflows_own_rules_are_not_weighted_as_copies()
    {
        // 2,000 plain rules seeing 1,000 GlobalParams is no expansion; one small injection must not make it one.
        var plain = string.Join(", ", Enumerable.Range(0, 2000).Select(i => $$"""{ "RuleName": "p{{i}}", "Expression": "g0", {{Properties}} }"""));
        var globals = string.Join(", ", Enumerable.Range(0, 1000).Select(g => $$"""{ "Name": "g{{g}}", "Expression": "proposal.FinancialCommitment > {{g}}" }"""));
        var rules = $$"""[ { "WorkflowName": "main", "GlobalParams": [ {{globals}} ], "Rules": [ {{plain}}, { "RuleName": "inj", "Operator": "Or", "WorkflowsToInject": [ "small" ], {{Properties}} } ] }, { "WorkflowName": "small", "Rules": [ { "RuleName": "s", "Expression": "proposal.Urgent" } ] } ]""";
        using var set = TempRuleSet.With(rules: rules);
        Assert.DoesNotContain(RuleSet.Validate(set.Directory).Diagnostics, d => d.Id == "DR0058");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Shared_injected_workflows_keep_each_copys_outcome_and_error(bool locals)
    {
        // Sharing must not change what a copy means: a leaf that throws (at the limits there are 200 partners) leaves
        // every rule above it not evaluated, under LocalParams or not, exactly as RulesEngine (which expands every
        // copy) has it; never a silent "no match".
        var rules = FanOut(4, locals: locals, leaf: "1 / (proposal.Partners.Count() - 200) > 0");
        using var set = TempRuleSet.With(rules: rules);
        var ruleSet = RuleSet.Load(set.Directory);
        var proposal = EvaluationBoundsTests.AtTheLimits();
        var compiled = new Router(ruleSet).Route(proposal);
        var reference = new Router(ruleSet, new RoutingOptions { Evaluation = RoutingEvaluation.RulesEngine }).Route(proposal);
        Assert.False(compiled.IsComplete);
        Assert.Equal(reference.Incomplete.Select(i => (i.Rule, i.Kind)), compiled.Incomplete.Select(i => (i.Rule, i.Kind)));
        Assert.Equal(new[] { "r0_0", "r0_1" }, compiled.Incomplete.Select(i => i.Rule));
        Assert.Empty(compiled.MatchedRules);
    }

    [Fact]
    public void Shared_injected_workflows_see_the_LocalParams_of_the_rule_that_injects_them()
    {
        // Two rules inject the same workflow under a LocalParam of the same name with different values: a shared
        // delegate or memo that ignored the scope would give both the first one's answer.
        var rules = $$"""
            [ { "WorkflowName": "main", "Rules": [
                { "RuleName": "yes", "Operator": "And", "LocalParams": [ { "Name": "flag", "Expression": "true" } ], "WorkflowsToInject": [ "check" ], {{Properties}} },
                { "RuleName": "no", "Operator": "And", "LocalParams": [ { "Name": "flag", "Expression": "false" } ], "WorkflowsToInject": [ "check" ], {{Properties}} } ] },
              { "WorkflowName": "check", "Rules": [ { "RuleName": "c", "Expression": "flag && proposal.Partners.Any()" } ] } ]
            """;
        using var set = TempRuleSet.With(rules: rules);
        var ruleSet = RuleSet.Load(set.Directory);
        foreach (var evaluation in new[] { RoutingEvaluation.Compiled, RoutingEvaluation.RulesEngine })
        {
            var plan = new Router(ruleSet, new RoutingOptions { Evaluation = evaluation }).Route(EvaluationBoundsTests.AtTheLimits());
            Assert.Equal(new[] { "yes" }, plan.MatchedRules.Select(m => m.Rule));
        }
    }

    // ---- D4: a fault wrapped by the runtime is still a fault, named by its cause. ----

    public static TheoryData<string, Exception> Wrapped() => new()
    {
        { "ran out of memory", new AggregateException(new OutOfMemoryException()) }, // PLINQ compile, Parallel.For checks
        { "ran out of memory", new AggregateException(new InvalidOperationException("other"), new TargetInvocationException(new OutOfMemoryException())) },
        { "ran out of stack", new TargetInvocationException(new InsufficientExecutionStackException()) }, // reflection invoke (explain)
        { "ran out of stack", new TypeInitializationException("T", new InsufficientExecutionStackException()) }, // a static constructor
        { "ran out of memory", new TypeInitializationException("T", new AggregateException(new OutOfMemoryException())) },
    };

    [Theory]
    [MemberData(nameof(Wrapped))]
    public void A_fault_inside_runtime_wrappers_is_a_fault_named_by_its_cause(string cause, Exception wrapped)
    {
        Assert.True(RoutingFaultException.IsFault(wrapped));
        var fault = RoutingFaultException.ForCommand("route", wrapped);
        Assert.Contains($"'route' stopped: the command {cause}", fault.Message);
        Assert.DoesNotContain("Exception", fault.Message);
        Assert.Same(wrapped, fault.InnerException);
    }

    [Fact]
    public void An_error_inside_the_same_wrappers_is_not_a_fault()
    {
        Assert.False(RoutingFaultException.IsFault(new AggregateException(new InvalidOperationException())));
        Assert.False(RoutingFaultException.IsFault(new TypeInitializationException("T", new FormatException())));
        Assert.False(RoutingFaultException.IsFault(new TargetInvocationException(new ArgumentException())));
    }
}
