using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading.Tasks;
using DecisionRouting.Explanations;
using DecisionRouting.Proposals;
using DecisionRouting.Routing;
using DecisionRouting.RuleSets;
using DecisionRouting.Tests.Calendar;
using DecisionRouting.Tests.Support;
using FsCheck;
using FsCheck.Fluent;
using NodaTime;

namespace DecisionRouting.Tests.Security;

/// <summary>
/// Issue 14 §1, §2, §3 and §6 at run time: the time budget stops evaluation while it runs, host faults abort routing
/// rather than reading as rule outcomes, the explainer is bounded, and whatever validates loads and routes within
/// bounded time and memory.
/// </summary>
public sealed class EvaluationBoundsTests
{
    private const string Properties = """ "Properties": { "steps": [ "notice", "decision" ], "source": "s", "reason": "r" } """;

    /// <summary>A proposal at the limits: 200 partners of 2,000 characters, a 2,000-character title.</summary>
    internal static Proposal AtTheLimits(string id = "limits") => new()
    {
        Id = id,
        Title = new string('t', ProposalReader.MaxTextLength),
        DecisionMaker = DecisionMaker.Cabinet,
        IntendedDecisionDate = new LocalDate(2026, 6, 1),
        Kinds = new[] { ProposalKind.Mou },
        FinancialCommitment = 1_000_000,
        Partners = Enumerable.Range(0, ProposalReader.MaxEntries).Select(i => i.ToString("D4") + new string('p', ProposalReader.MaxTextLength - 4)).ToList(),
    };

    [Fact]
    public void The_time_budget_stops_evaluation_while_it_runs_not_after()
    {
        // Issue §1 example 2. Each clock read advances one second; the old router read it twice, before and after.
        var rules = $$"""{ "WorkflowName": "main", "Rules": [ { "RuleName": "Pairs", "Expression": "proposal.Partners.Any(p => proposal.Partners.Any(q => q == p && q != p))", {{Properties}} } ] }""";
        using var set = TempRuleSet.With(rules: rules);
        var ruleSet = RuleSet.Load(set.Directory);
        var options = new RoutingOptions { Clock = new SteppingClock(TimeSpan.FromSeconds(1)), TimeBudget = TimeSpan.FromSeconds(3) };
        var error = Assert.Throws<RoutingTimeBudgetExceededException>(() => new Router(ruleSet, options).Route(AtTheLimits()));
        Assert.Contains("in workflow 'main'", error.Message);
        Assert.True(error.Elapsed < TimeSpan.FromSeconds(10), $"stopped only after {error.Elapsed}");
    }

    [Fact]
    public void Within_the_budget_both_evaluators_give_the_same_plan_at_the_limits()
    {
        var rules = $$"""{ "WorkflowName": "main", "Rules": [ { "RuleName": "Pairs", "Expression": "proposal.Partners.Any(p => proposal.Partners.Count(q => q == p) > 1)", {{Properties}} }, { "RuleName": "Title", "Expression": "proposal.Title.ToUpper().Contains(\"T\")", {{Properties}} } ] }""";
        using var set = TempRuleSet.With(rules: rules);
        var ruleSet = RuleSet.Load(set.Directory);
        var compiled = new Router(ruleSet).Route(AtTheLimits());
        var reference = new Router(ruleSet, new RoutingOptions { Evaluation = RoutingEvaluation.RulesEngine }).Route(AtTheLimits());
        Assert.Equal(reference.MatchedRules.Select(r => r.Rule), compiled.MatchedRules.Select(r => r.Rule));
        Assert.Equal(new[] { "Title" }, compiled.MatchedRules.Select(r => r.Rule));
        Assert.True(compiled.IsComplete);
    }

    private static string AndChain(int length, string op) =>
        string.Join(", ", new[] { """{ "Name": "b0", "Expression": "proposal.Urgent" }""" }
            .Concat(Enumerable.Range(1, length).Select(i => $$"""{ "Name": "b{{i}}", "Expression": "{{string.Format(op, $"b{i - 1}")}}" }""")));

    [Theory]
    [InlineData("{0} && {0}", false)] // issue §6 example
    [InlineData("{0} || !{0}", false)]
    [InlineData("({0} && {0}) || {0}", false)]
    [InlineData("{0} && {0}", true)] // the chain in LocalParams
    public async Task Explain_expands_each_named_term_once_and_finishes(string op, bool local)
    {
        var chain = AndChain(22, op);
        var rules = local
            ? $$"""{ "WorkflowName": "main", "Rules": [ { "RuleName": "R", "LocalParams": [ {{chain}} ], "Expression": "b22 || proposal.FinancialCommitment > 100", {{Properties}} } ] }"""
            : $$"""{ "WorkflowName": "main", "GlobalParams": [ {{chain}} ], "Rules": [ { "RuleName": "R", "Expression": "b22 || proposal.FinancialCommitment > 100", {{Properties}} } ] }""";
        using var set = TempRuleSet.With(rules: rules);
        var ruleSet = RuleSet.Load(set.Directory);
        var proposal = AtTheLimits();
        var explaining = Task.Run(() => new Explainer(ruleSet).Explain(proposal, "decision"));
        var explanation = await explaining.WaitAsync(TimeSpan.FromSeconds(30)); // times out (fails) on the old, unmemoised expansion
        var rule = Assert.Single(explanation.Rules);
        Assert.True(rule.Matched);

        // Every term appears, each expanded once: the explanation is as large as the chain, not 2²² (terms too deep
        // to nest are defined once in Terms).
        var nodes = Count(rule.Conditions) + Count(rule.Terms) + Count(explanation.Terms);
        Assert.InRange(nodes, 22, 200);
    }

    private static int Count(IEnumerable<ConditionExplanation> conditions) => conditions.Sum(c => 1 + Count(c.Because));

    [Fact]
    public void Explain_stops_at_the_routing_budget()
    {
        var rules = $$"""{ "WorkflowName": "main", "GlobalParams": [ {{AndChain(22, "{0} && {0}")}} ], "Rules": [ { "RuleName": "R", "Expression": "b22", {{Properties}} } ] }""";
        using var set = TempRuleSet.With(rules: rules);
        var explainer = new Explainer(RuleSet.Load(set.Directory), new RoutingOptions { Clock = new SteppingClock(TimeSpan.FromSeconds(1)), TimeBudget = TimeSpan.FromSeconds(5) });
        Assert.Throws<RoutingTimeBudgetExceededException>(() => explainer.Explain(AtTheLimits(), "decision"));
    }

    // ---- Property: whatever validates loads and routes within bounded time and memory. ----

    /// <summary>A generated rule set: workflows injecting later ones (fan-out, depth), and chains of parameters.</summary>
    public sealed record Shape(int Workflows, int[][] Injections, int RulesPerWorkflow, string[] Chain, bool RuleLevel)
    {
        public override string ToString() => $"{Workflows} workflows × {RulesPerWorkflow} rules, {(RuleLevel ? "rule" : "workflow")}-level injections [{string.Join(" ", Injections.Select(i => "[" + string.Join(",", i) + "]"))}], chain [{string.Join("; ", Chain)}]";

        public string Json()
        {
            var globals = string.Join(", ", Chain.Select((e, i) => $$"""{ "Name": "g{{i}}", "Expression": "{{e}}" }"""));
            var workflows = Enumerable.Range(0, Workflows).Select(w =>
            {
                var targets = Injections[w].Where(t => t > w && t < Workflows).Select(t => $"\"w{t}\"").ToList();
                var condition = Chain.Length > 0 && w == 0 ? $"g{Chain.Length - 1}.Any(x => x != null) || proposal.Urgent" : "proposal.Urgent";
                var rules = Enumerable.Range(0, RulesPerWorkflow).Select(r => RuleLevel && targets.Count > 0
                    ? $$"""{ "RuleName": "r{{w}}_{{r}}", "Operator": "Or", "WorkflowsToInject": [ {{string.Join(", ", targets)}} ], {{Properties}} }"""
                    : $$"""{ "RuleName": "r{{w}}_{{r}}", "Expression": "{{condition}}", {{Properties}} }""");
                var inject = !RuleLevel && targets.Count > 0 ? $"\"WorkflowsToInject\": [ {string.Join(", ", targets)} ], " : string.Empty;
                var global = w == 0 && Chain.Length > 0 ? $"\"GlobalParams\": [ {globals} ], " : string.Empty;
                return $$"""{ "WorkflowName": "w{{w}}", {{inject}}{{global}}"Rules": [ {{string.Join(", ", rules)}} ] }""";
            });
            return "[ " + string.Join(",\n", workflows) + " ]";
        }
    }

    private static Gen<string[]> Chains() =>
        from length in Gen.Choose(0, 8)
        from steps in Gen.Elements(
            "{0}.Select(x => {0}.Max())", "{0}.Where(x => {0}.Contains(x))", "{0}.Select(x => x + x)", "{0}.Distinct()",
            "{0}.Select(x => x.ToUpper() + x.Trim())", "{0}.Where(x => x.Length > 3)").ArrayOf(length)
        select new[] { "proposal.Partners" }.Concat(steps.Select((s, i) => string.Format(s, $"g{i}"))).ToArray();

    private static Gen<Shape> Shapes() =>
        from workflows in Gen.Choose(1, 26)
        from fanOut in Gen.Choose(0, 3)
        from injections in Gen.Choose(1, 26).ArrayOf(fanOut).ArrayOf(workflows)
        from rules in Gen.Choose(1, 3)
        from chain in Chains()
        from ruleLevel in Gen.Elements(true, false)
        select new Shape(workflows, injections, rules, chain, ruleLevel);

    [Fact]
    public void Any_generated_rule_set_that_validates_loads_and_routes_within_bounded_time_and_memory()
    {
        var shapes = Shapes().Sample(40, new Rnd(20261129UL), 20).ToList();
        var refused = 0;
        foreach (var shape in shapes)
        {
            using var set = TempRuleSet.With(rules: shape.Json());
            var watch = Stopwatch.StartNew();
            var validation = RuleSet.Validate(set.Directory);
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(20), $"validate took {watch.Elapsed}: {shape}");
            if (validation.Diagnostics.Any(d => d.IsError))
            {
                Assert.All(validation.Diagnostics.Where(d => d.IsError), d => Assert.Contains(d.Id, new[] { "DR0039", "DR0040", "DR0058" }));
                refused++;
                continue;
            }

            watch.Restart();
            var allocated = GC.GetAllocatedBytesForCurrentThread();
            var ruleSet = RuleSet.Load(set.Directory);
            var plan = new Router(ruleSet, new RoutingOptions { TimeBudget = TimeSpan.FromSeconds(20) }).Route(AtTheLimits());
            var used = GC.GetAllocatedBytesForCurrentThread() - allocated;
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(20), $"load and route took {watch.Elapsed}: {shape}");
            Assert.True(used < 1L << 30, $"load and route allocated {used / (1 << 20)} MB on this thread: {shape}");
            Assert.True(plan.IsComplete, $"{string.Join("; ", plan.Incomplete.Select(i => i.Message))}: {shape}");
        }

        // The generator must reach both sides of the bounds, or the property proves little.
        Assert.InRange(refused, 1, shapes.Count - 1);
    }

    /// <summary>
    /// An injection fan-out near DR0058's and DR0069's bounds: depth, width, LocalParams on the injecting rules (named
    /// per depth, or per rule so that every copy has a scope of its own), GlobalParams in scope, and the leaf's length
    /// (the tester's N1: a 3,900-character leaf copied a thousand times validated, then took 20 s to compile).
    /// With <see cref="DistinctLocals"/> each injecting rule names its LocalParam differently (the second tester's
    /// b11, which compiled every copy on its own until scopes were trimmed to the words the injected rules use); with
    /// <see cref="ReadLocals"/> too, those names are members the leaf reads, so every copy really has a scope of its
    /// own and DR0070 bounds how many (generated in <see cref="CompiledScopeTests"/>, near that bound).
    /// </summary>
    public sealed record FanOutShape(int Depth, int Width, bool Locals, int Globals, int Leaf = 0, bool DistinctLocals = false, bool ReadLocals = false)
    {
        public override string ToString() => $"fan-out {Width} wide, {Depth} deep, {(Locals ? DistinctLocals ? ReadLocals ? "with a LocalParam per rule that the leaf reads" : "with a LocalParam per rule" : "with LocalParams" : "without LocalParams")}, {Globals} GlobalParams, leaf of {Leaf} characters";
    }

    private static Gen<FanOutShape> FanOuts() =>
        from depth in Gen.Choose(7, 14)
        from width in Gen.Choose(2, 3)
        from locals in Gen.Elements(true, false)
        from globals in Gen.Elements(0, 20, 150, 400, 1000)
        from leaf in Gen.Elements(0, 1_000, 3_900)
        from distinct in Gen.Elements(false, true)
        select new FanOutShape(depth, width, locals, globals, leaf, locals && distinct);

    /// <summary>A leaf condition of about <paramref name="length"/> characters, as fan2.py builds it; 0 for the short default.</summary>
    internal static string LongCondition(int length)
    {
        var text = new System.Text.StringBuilder("proposal.FinancialCommitment > 5");
        for (var i = 1; text.Length < length; i++)
        {
            text.Append(System.FormattableString.Invariant($" || proposal.FinancialCommitment == {i}"));
        }

        return text.ToString();
    }

    [Fact]
    public void Any_generated_fan_out_that_validates_routes_and_explains_within_the_routing_budget()
    {
        // The tester's D3 as a property: near the expansion bounds, whatever validates must load, route and explain
        // inside the routing budget itself (5 s), not merely finish. The budget is the router's own, so an overrun
        // fails here as RoutingTimeBudgetExceededException.
        var shapes = FanOuts().Sample(20, new Rnd(20261130UL), 20).ToList();
        var budget = new RoutingOptions().TimeBudget;
        var refused = 0;
        var byText = 0;
        foreach (var shape in shapes)
        {
            var leaf = (shape.ReadLocals ? CompiledScopeTests.ReadsEveryMember + " || " : string.Empty) + (shape.Leaf == 0 ? "proposal.Partners.Any()" : LongCondition(shape.Leaf));
            var localName = shape.ReadLocals ? (d, i) => CompiledScopeTests.MemberName(d, i, shape.Width) : (Func<int, int, string>?)null;
            using var set = TempRuleSet.With(rules: InjectionFanOutTests.FanOut(shape.Depth, shape.Width, shape.Locals, shape.Globals, leaf, shape.DistinctLocals, localName));
            var watch = Stopwatch.StartNew();
            var load = RuleSet.TryLoad(set.Directory);
            var loading = watch.Elapsed;
            if (load.RuleSet is not { } ruleSet)
            {
                Assert.All(load.Diagnostics.Where(d => d.IsError), d => Assert.Contains(d.Id, new[] { "DR0058", "DR0069", "DR0070" }));
                Assert.True(loading < budget, $"refusing took {loading}: {shape}");
                refused++;
                byText += load.Diagnostics.Any(d => d.Id == "DR0069") ? 1 : 0;
                continue;
            }

            var allocated = GC.GetAllocatedBytesForCurrentThread();
            watch.Restart();
            var plan = new Router(ruleSet).Route(AtTheLimits());
            var routing = watch.Elapsed;
            watch.Restart();
            new Explainer(ruleSet).Explain(AtTheLimits(), "decision");
            var explaining = watch.Elapsed;
            var used = GC.GetAllocatedBytesForCurrentThread() - allocated;
            Assert.True(loading < budget && routing < budget && explaining < budget, $"load {loading}, route {routing}, explain {explaining}: {shape}");
            Assert.True(used < 1L << 29, $"route and explain allocated {used >> 20} MB: {shape}");
            Assert.True(plan.IsComplete, shape.ToString());
        }

        Assert.InRange(refused, 1, shapes.Count - 1);

        // Long leaves must reach the text bound too, or N1 would go unseen again.
        Assert.InRange(byText, 1, refused);
    }
}
