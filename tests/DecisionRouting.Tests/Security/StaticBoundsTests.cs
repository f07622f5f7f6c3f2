using System;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using DecisionRouting.Diagnostics;
using DecisionRouting.Expressions;
using DecisionRouting.Proposals;
using DecisionRouting.RuleSets;
using DecisionRouting.Tests.Analyzers;
using DecisionRouting.Tests.Support;

namespace DecisionRouting.Tests.Security;

/// <summary>
/// Issue 14 §1–§3: what an expression can cost and how long a text it can build are bounded at load, from the
/// proposal limits, across GlobalParams and LocalParams chains; workflow injection is counted before it is expanded.
/// </summary>
public sealed class StaticBoundsTests
{
    private const string Properties = """ "Properties": { "steps": [ "notice", "decision" ], "source": "s", "reason": "r" } """;

    private static string Workflow(string globals, string condition, string locals = "") => $$"""
        {
          "WorkflowName": "main",
          "GlobalParams": [ {{globals}} ],
          "Rules": [ { "RuleName": "R", {{(locals.Length > 0 ? $"\"LocalParams\": [ {locals} ], " : string.Empty)}}"Expression": "{{condition}}", {{Properties}} } ]
        }
        """;

    private static string Param(string name, string expression) => $$"""{ "Name": "{{name}}", "Expression": "{{expression}}" }""";

    /// <summary>g0 = proposal.Partners, then g(n) = g(n-1).Select(x => g(n-1).&lt;op&gt;): each within two-level nesting, together 200ⁿ.</summary>
    private static string Chain(int length, Func<string, string> step, string first = "proposal.Partners") =>
        string.Join(", ", new[] { Param("g0", first) }.Concat(Enumerable.Range(1, length).Select(i => Param($"g{i}", step($"g{i - 1}")))));

    private static RuleDiagnostic Single(TempRuleSet set, string id)
    {
        var all = RuleSet.Validate(set.Directory).Diagnostics;
        var matching = all.Where(d => d.Id == id).ToList();
        Assert.True(matching.Count == 1, $"Expected one {id}, got:\n{string.Join("\n", all)}");
        Assert.Equal(1, all.Count(d => d.IsError));
        return matching[0];
    }

    private static void AssertAt(TempRuleSet set, RuleDiagnostic diagnostic, string text, string marker, int occurrence = 1)
    {
        var (line, column) = Position.Of(text, marker, occurrence);
        Assert.Equal($"{set.PathOf("main.rules.json")}({line},{column})", diagnostic.Location.ToString());
    }

    [Fact]
    public void Parameters_that_each_re_enumerate_the_previous_are_refused_at_load_naming_the_chain()
    {
        // Issue example 1: g1 = g0.Select(x => g0.Max()), g2 = g1.Select(x => g1.Max()) …
        var rules = Workflow(Chain(6, g => $"{g}.Select(x => {g}.Max())"), "g6.Count() > 0");
        using var set = TempRuleSet.With(rules: rules);
        var diagnostic = Single(set, "DR0039");
        AssertAt(set, diagnostic, rules, "g1.Select(x => g1.Max())");
        Assert.Contains("through g1 → g0", diagnostic.Message);
        Assert.Contains($"the limit is {ExpressionCost.Steps(ExpressionCost.MaxStepsPerExpression)}", diagnostic.Message);
        Assert.Throws<InvalidRuleSetException>(() => RuleSet.Load(set.Directory));
    }

    [Theory]
    [InlineData("{0}.Select(x => {0}.Distinct().Count())")] // issue example 3: Distinct() without a lambda
    [InlineData("{0}.Select(x => {0}.Contains(x))")] // Contains() without a lambda
    [InlineData("{0}.Where(x => {0}.Any(y => y == x))")] // a deferred Where
    [InlineData("{0}.Select(x => {0}.Count())")] // Count() without a lambda
    [InlineData("{0}.Where(x => {0}.First() == x)")] // First() walks from the start each time
    public void Sibling_re_enumerating_chains_are_refused_too(string step)
    {
        var rules = Workflow(Chain(4, g => string.Format(step, g)), "g4.Any(x => x != null)");
        using var set = TempRuleSet.With(rules: rules);
        Assert.Contains(RuleSet.Validate(set.Directory).Diagnostics, d => d.Id == "DR0039");
    }

    [Fact]
    public void A_chain_through_local_params_is_counted_the_same_way()
    {
        var locals = string.Join(", ", Enumerable.Range(1, 4).Select(i => Param($"l{i}", $"l{i - 1}.Select(x => l{i - 1}.Max())")));
        var rules = Workflow(Param("unused", "proposal.Urgent"), "l4.Count() > 0", Param("l0", "proposal.Partners") + ", " + locals);
        using var set = TempRuleSet.With(rules: rules);
        var diagnostic = Single(set, "DR0039");
        AssertAt(set, diagnostic, rules, "l1.Select(x => l1.Max())");
    }

    [Fact]
    public void Two_level_nesting_over_the_proposal_and_the_shipped_rule_sets_stay_within_the_budget()
    {
        var rules = Workflow(Param("pairs", "proposal.Partners.Select(p => proposal.Partners.Count(q => q == p))"), "pairs.Any(n => n > 1) && proposal.Title.ToLower().Contains(\\\"nhs\\\")");
        using var set = TempRuleSet.With(rules: rules);
        Assert.DoesNotContain(RuleSet.Validate(set.Directory).Diagnostics, d => d.IsError);
        foreach (var folder in new[] { "rules/england" }.Concat(Directory.GetDirectories(Repository.PathOf("rules/partnerships")).Select(d => "rules/partnerships/" + Path.GetFileName(d))))
        {
            Assert.DoesNotContain(RuleSet.Validate(Repository.PathOf(folder)).Diagnostics, d => d.Id is "DR0039" or "DR0040" or "DR0041" or "DR0058");
        }
    }

    [Fact]
    public void Many_rules_each_within_budget_that_add_up_past_the_route_budget_are_refused_at_the_workflow()
    {
        // 40 rules of about 4 M steps each: every one is allowed, together they are not.
        var expensive = "proposal.Partners.Any(p => proposal.Partners.Any(q => q == p))";
        var rulesJson = string.Join(", ", Enumerable.Range(0, 40).Select(i => $$"""{ "RuleName": "R{{i}}", "Expression": "{{expensive}}", {{Properties}} }"""));
        var rules = $$"""{ "WorkflowName": "main", "Rules": [ {{rulesJson}} ] }""";
        using var set = TempRuleSet.With(rules: rules);
        var diagnostic = Single(set, "DR0039");
        AssertAt(set, diagnostic, rules, "\"main\"");
        Assert.Contains("workflow 'main'", diagnostic.Message);
    }

    [Fact]
    public void Doubling_text_through_chained_parameters_is_refused_at_load()
    {
        // Issue §2 example 2.
        var rules = Workflow(Chain(22, g => $"{g} + {g}", "proposal.Title"), "g22 == \\\"x\\\"");
        using var set = TempRuleSet.With(rules: rules);
        var diagnostic = Single(set, "DR0040");
        AssertAt(set, diagnostic, rules, "g3 + g3"); // 2,000 × 2⁴ = 32,000 characters, over 20,000
        Assert.Contains("through g3 → g2 → g1 → g0", diagnostic.Message);
    }

    [Theory]
    [InlineData("string.Concat({0}, {0}, {0})", 3)] // Concat chains: 2,000 × 3³ = 54,000
    [InlineData("{0}.Select(x => x + x)", 4)] // list entries doubled
    [InlineData("{0}.ToUpper() + {0}.ToLower()", 4)]
    public void Sibling_text_growth_is_refused(string step, int over)
    {
        var first = step.Contains("Select", StringComparison.Ordinal) ? "proposal.Partners" : "proposal.Title";
        var rules = Workflow(Chain(6, g => string.Format(step, g), first), "g6 != null");
        using var set = TempRuleSet.With(rules: rules);
        var diagnostic = Single(set, "DR0040");
        AssertAt(set, diagnostic, rules, string.Format(step, $"g{over - 1}"));
    }

    [Theory]
    [InlineData("proposal.Title.PadLeft(1000000000) == \\\"x\\\"")]
    [InlineData("proposal.Title.Replace(\\\"a\\\", \\\"aaaaaaaa\\\") == \\\"x\\\"")]
    [InlineData("string.Join(\\\",\\\", proposal.Partners) == \\\"x\\\"")]
    public void Unbounded_text_methods_stay_outside_the_allow_list(string expression)
    {
        using var set = TempRuleSet.With(rules: Workflow(Param("p", "true"), expression));
        Assert.Contains(RuleSet.Validate(set.Directory).Diagnostics, d => d.Id == "DR0029");
    }

    [Theory]
    [InlineData("F999999999")] // issue §2 example 1: a 2 GB string per call
    [InlineData("N100000")]
    [InlineData("D21")]
    [InlineData("E99")]
    [InlineData("0000000000000000000000000000000000000000")] // a pattern past 32 characters
    [InlineData("{0,100000000}")]
    public void Unbounded_number_formats_are_refused_at_the_format(string format)
    {
        var rules = Workflow(Param("p", "true"), $"proposal.FinancialCommitment.ToString(\\\"{format}\\\") != \\\"x\\\"");
        using var set = TempRuleSet.With(rules: rules);
        var diagnostic = Single(set, "DR0041");
        AssertAt(set, diagnostic, rules, $"\\\"{format}");
    }

    [Theory]
    [InlineData("N0")]
    [InlineData("C2")]
    [InlineData("F20")]
    [InlineData("#,##0.00")]
    [InlineData("0.0%")]
    public void Bounded_number_formats_load(string format)
    {
        using var set = TempRuleSet.With(rules: Workflow(Param("p", "true"), $"proposal.FinancialCommitment.ToString(\\\"{format}\\\") != \\\"x\\\""));
        Assert.DoesNotContain(RuleSet.Validate(set.Directory).Diagnostics, d => d.IsError);
    }

    [Fact]
    public void A_format_read_from_the_proposal_is_refused()
    {
        var rules = Workflow(Param("p", "true"), "proposal.FinancialCommitment.ToString(proposal.Title) != \\\"x\\\"");
        using var set = TempRuleSet.With(rules: rules);
        Assert.Equal("DR0041", Single(set, "DR0041").Id);
    }

    /// <summary>Workflows w0 … w(depth-1), each of two rules that both inject the next: 2^depth rules once expanded.</summary>
    internal static string Injections(int depth, bool workflowLevel = false)
    {
        var workflows = Enumerable.Range(0, depth).Select(i =>
        {
            var next = i + 1 < depth ? $"w{i + 1}" : null;
            if (workflowLevel)
            {
                var inject = next is null ? string.Empty : $"\"WorkflowsToInject\": [ \"{next}\", \"{next}\" ], ";
                return $$"""{ "WorkflowName": "w{{i}}", {{inject}}"Rules": [ { "RuleName": "a{{i}}", "Expression": "proposal.Urgent", {{Properties}} } ] }""";
            }

            string Rule(string name) => next is null
                ? $$"""{ "RuleName": "{{name}}", "Expression": "proposal.Urgent", {{Properties}} }"""
                : $$"""{ "RuleName": "{{name}}", "Operator": "Or", "WorkflowsToInject": [ "{{next}}" ], {{Properties}} }""";
            return $$"""{ "WorkflowName": "w{{i}}", "Rules": [ {{Rule($"a{i}")}}, {{Rule($"b{i}")}} ] }""";
        });
        return "[ " + string.Join(",\n", workflows) + " ]";
    }

    [Fact]
    public void Injection_22_levels_deep_is_refused_by_validate_naming_the_chain()
    {
        // Issue §3 example.
        var rules = Injections(22);
        using var set = TempRuleSet.With(rules: rules);
        var started = System.Diagnostics.Stopwatch.StartNew();
        var diagnostic = Single(set, "DR0058");
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(10), $"validate took {started.Elapsed}");
        AssertAt(set, diagnostic, rules, "\"w1\" ]");
        Assert.Contains("'w0' → 'w1' → 'w2'", diagnostic.Message);
        Assert.Throws<InvalidRuleSetException>(() => RuleSet.Load(set.Directory));
    }

    [Fact]
    public void Workflow_level_fan_out_is_counted_too()
    {
        var rules = Injections(22, workflowLevel: true);
        using var set = TempRuleSet.With(rules: rules);
        Assert.Equal("DR0058", Single(set, "DR0058").Id);
    }

    [Fact]
    public void Shallow_injection_within_the_bound_loads()
    {
        using var set = TempRuleSet.With(rules: Injections(8));
        Assert.DoesNotContain(RuleSet.Validate(set.Directory).Diagnostics, d => d.IsError);
    }

    [Fact]
    public void Proposal_lists_and_texts_named_for_the_bound_are_exactly_the_proposals()
    {
        // The cost bound reads proposal members by name; a new list or text member must be added to its tables.
        var members = typeof(Proposal).GetProperties().Where(p => p.GetMethod!.IsPublic).ToList();
        bool IsList(Type t) => t != typeof(string) && (typeof(System.Collections.IEnumerable).IsAssignableFrom(t) || t == typeof(ProposalAttributes));
        bool IsText(Type t) => t == typeof(string) || (IsList(t) && (t.IsGenericType && t.GetGenericArguments()[0] == typeof(string) || t == typeof(ProposalAttributes)));
        Assert.Equal(members.Where(m => IsList(m.PropertyType)).Select(m => m.Name).OrderBy(n => n), ExpressionCost.ProposalLists.OrderBy(n => n));
        Assert.Equal(members.Where(m => IsText(m.PropertyType)).Select(m => m.Name).OrderBy(n => n), ExpressionCost.ProposalTexts.OrderBy(n => n));
    }

    [Fact]
    public async Task The_analyzer_reports_the_same_bounds_at_the_same_positions()
    {
        var rules = $$"""
            [
              {{Workflow(Chain(3, g => $"{g}.Select(x => {g}.Max())"), "g3.Count() > 0").Replace("\"main\"", "\"one\"")}},
              {{Workflow(Chain(5, g => $"{g} + {g}", "proposal.Title"), "proposal.Savings.ToString(\\\"F999999999\\\") == g5").Replace("\"main\"", "\"two\"")}}
            ]
            """;
        using var set = TempRuleSet.With(rules: rules);
        var loader = RuleSet.Validate(set.Directory).Diagnostics.Select(d => $"{d.Location.Path}({d.Location.Line},{d.Location.Column}): {d.Id}").OrderBy(s => s).ToArray();
        Assert.Contains(loader, l => l.EndsWith("DR0039", StringComparison.Ordinal));
        Assert.Contains(loader, l => l.EndsWith("DR0040", StringComparison.Ordinal));
        Assert.Contains(loader, l => l.EndsWith("DR0041", StringComparison.Ordinal));
        Assert.Equal(loader, await ExpressionAnalyzerTests.Analyze(Directory.GetFiles(set.Directory)));
    }
}
