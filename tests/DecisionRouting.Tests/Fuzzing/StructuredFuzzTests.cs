using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using DecisionRouting.Explanations;
using DecisionRouting.Expressions;
using DecisionRouting.Proposals;
using DecisionRouting.Routing;
using DecisionRouting.RuleSets;
using DecisionRouting.Tests.Support;
using System.Threading;
using Xunit.Abstractions;

namespace DecisionRouting.Tests.Fuzzing;

/// <summary>
/// Structure-aware fuzzing: generators that build the shapes byte mutation rarely reaches (parameter chains, injection
/// fan-out, long <c>after</c> chains, format strings, dates at the limits of the supported range). Each generated
/// rule set must either be refused with error diagnostics, or load, route a proposal at the proposal limits, and
/// explain every step, within <see cref="TimeLimit"/> and <see cref="AllocationLimit"/>. Time and allocation are
/// checked per input, so CI finds the next kind of unbounded input rather than a reviewer.
/// </summary>
public sealed class StructuredFuzzTests
{
    /// <summary>Wall time for load + route + explain of one input; the routing budget is 5 s, so this leaves slack.</summary>
    private static readonly TimeSpan TimeLimit = TimeSpan.FromSeconds(8);

    /// <summary>Bytes allocated by one input on the test thread. A route at the limits allocates a few megabytes.</summary>
    private const long AllocationLimit = 512L * 1024 * 1024;

    private readonly ITestOutputHelper _output;

    /// <summary>The slowest and hungriest input seen in this run, reported with each generator's summary.</summary>
    private static readonly Lock WorstLock = new();
    private static TimeSpan _worstTime;
    private static long _worstAllocated;

    public StructuredFuzzTests(ITestOutputHelper output) => _output = output;

    private static int Iterations => int.TryParse(Environment.GetEnvironmentVariable("DR_FUZZ_ITERATIONS"), out var n) && n > 0 ? Math.Max(40, n / 20) : 60;

    private static readonly string Catalogue = File.ReadAllText(Repository.PathOf("tests/DecisionRouting.Tests/Fixtures/cli/rules/catalogue.json"));
    private static readonly string Manifest = File.ReadAllText(Repository.PathOf("tests/DecisionRouting.Tests/Fixtures/cli/rules/ruleset.json"));

    /// <summary>A proposal at the reader's limits: the most entries, each of the longest text, so worst cases show.</summary>
    private static readonly Proposal AtTheLimits = new()
    {
        Id = "limits",
        Title = new string('t', ProposalReader.MaxTextLength),
        DecisionMaker = DecisionMaker.Cabinet,
        IntendedDecisionDate = new NodaTime.LocalDate(2020, 6, 1),
        Kinds = [ProposalKind.JointCommissioningAgreement],
        Partners = Enumerable.Range(0, ProposalReader.MaxEntries).Select(i => $"{i:D4}" + new string('p', ProposalReader.MaxTextLength - 4)).ToList(),
        FinancialCommitment = 79_228_162_514_264_337_593_543_950_335m,
        LegallyBinding = true,
    };

    [Fact]
    public void Parameter_chains_are_refused_or_bounded() => Check("chains", 11, ParameterChain);

    /// <summary>Injection must be refused or fit: a fan-out that validates and then overruns the routing budget is D3's kind.</summary>
    [Fact]
    public void Injection_fan_out_is_refused_or_bounded() => Check("injection", 12, InjectionFanOut, budgetIsRefusal: false);

    [Fact]
    public void Long_after_chains_are_refused_or_bounded() => Check("after", 13, AfterChain);

    [Fact]
    public void Format_strings_are_refused_or_bounded() => Check("formats", 14, FormatStrings);

    [Fact]
    public void Proposal_dates_at_the_limits_are_refused_or_routed()
    {
        var random = new Random(15);
        var router = new Router(RuleSet.Load(Repository.PathOf("rules/england")));
        var years = new[] { -9998, 0, 1, 2, 1752, 1899, 2000, 2099, 2199, 2999, 9998, 9999, 10000 };
        for (var i = 0; i < Iterations; i++)
        {
            var date = $"{years[random.Next(years.Length)]:D4}-{1 + random.Next(12):D2}-{1 + random.Next(31):D2}";
            var field = random.Next(3) switch { 0 => "intendedDecisionDate", 1 => "schedule", _ => "both" };
            var schedule = field == "intendedDecisionDate" ? "" : $", \"schedule\": {{ \"cabinet\": \"{date}\" }}";
            var decided = field == "schedule" ? "2020-06-01" : date;
            var json = $"{{ \"id\": \"d{i}\", \"title\": \"Dates\", \"decisionMaker\": \"Cabinet\", \"intendedDecisionDate\": \"{decided}\", \"kinds\": [\"JointCommissioningAgreement\"], \"financialCommitment\": 900000{schedule} }}";
            Measure($"dates #{i} {field}={date}", () =>
            {
                var read = ProposalReader.Read("fuzz.json", json);
                if (read.Proposal is null)
                {
                    Assert.Contains(read.Diagnostics, d => d.IsError);
                    return false;
                }

                router.Route(read.Proposal);
                return true;
            });
        }
    }

    private void Check(string name, int seed, Func<Random, int, (Dictionary<string, string> Files, string Shape)> generate, bool budgetIsRefusal = true)
    {
        var random = new Random(seed);
        int loaded = 0, refused = 0;
        for (var i = 0; i < Iterations; i++)
        {
            var (files, shape) = generate(random, i);
            var outcome = Measure($"{name} #{i} ({shape})", () => LoadRouteExplain(files, budgetIsRefusal));
            if (outcome)
            {
                loaded++;
            }
            else
            {
                refused++;
            }
        }

        _output.WriteLine($"{name}: {Iterations} inputs, {loaded} loaded and routed, {refused} refused with diagnostics; worst so far {_worstTime.TotalMilliseconds:0} ms, {_worstAllocated / (1024 * 1024)} MB allocated");
    }

    /// <summary>
    /// Runs one input on its own thread, so a hang fails the test after <see cref="TimeLimit"/> instead of stalling
    /// the suite, and fails with the input's description when it is too slow or too hungry.
    /// </summary>
    private static bool Measure(string description, Func<bool> run)
    {
        var work = System.Threading.Tasks.Task.Factory.StartNew(
            () =>
            {
                var before = GC.GetAllocatedBytesForCurrentThread();
                var timer = Stopwatch.StartNew();
                var outcome = run();
                return (Outcome: outcome, timer.Elapsed, Allocated: GC.GetAllocatedBytesForCurrentThread() - before);
            },
            System.Threading.Tasks.TaskCreationOptions.LongRunning);
        if (System.Threading.Tasks.Task.WaitAny([work], TimeLimit + TimeLimit) < 0)
        {
            throw new Xunit.Sdk.XunitException($"{description} did not finish in {(TimeLimit + TimeLimit).TotalSeconds:0} s");
        }

        if (work.Exception?.InnerException is { } e)
        {
            throw e is Xunit.Sdk.XunitException ? e : new Xunit.Sdk.XunitException($"{description}: unhandled {e.GetType().Name}: {e.Message}");
        }

        var (result, elapsed, allocated) = work.Result;
        lock (WorstLock)
        {
            _worstTime = elapsed > _worstTime ? elapsed : _worstTime;
            _worstAllocated = Math.Max(_worstAllocated, allocated);
        }

        Assert.True(elapsed < TimeLimit, $"{description} took {elapsed.TotalSeconds:0.0} s");
        Assert.True(allocated < AllocationLimit, $"{description} allocated {allocated / (1024 * 1024)} MB");
        return result;
    }

    private static bool LoadRouteExplain(Dictionary<string, string> files, bool budgetIsRefusal)
    {
        var definition = RuleSetReader.Read(InMemoryRuleSet.Directory, new InMemoryRuleSet(files), new RulesEngineExpressionChecker());
        var result = RuleSet.FromDefinition(definition);
        if (result.RuleSet is null)
        {
            Assert.Contains(result.Diagnostics, d => d.IsError);
            return false;
        }

        RoutingPlan plan;
        try
        {
            plan = new Router(result.RuleSet).Route(AtTheLimits);
        }
        catch (RoutingTimeBudgetExceededException) when (budgetIsRefusal)
        {
            return false; // a loud, documented refusal: routing stopped within its budget
        }

        var explainer = new Explainer(result.RuleSet);
        foreach (var step in plan.Steps.Take(3))
        {
            explainer.Explain(AtTheLimits, step.Id);
        }

        return true;
    }

    private static Dictionary<string, string> RuleSetWith(params (string File, string Text)[] rules)
    {
        var files = new Dictionary<string, string> { ["ruleset.json"] = Manifest, ["catalogue.json"] = Catalogue };
        foreach (var (file, text) in rules)
        {
            files[file] = text;
        }

        return files;
    }

    private static string Json(string text) => System.Text.Json.JsonSerializer.Serialize(text);

    private static string Rule(string name, string expression, string? locals = null, string? inject = null) =>
        $"{{ \"RuleName\": \"{name}\", {locals}{inject}\"Expression\": {Json(expression)}, \"Properties\": {{ \"steps\": [\"cabinet-decision\"], \"source\": \"Fuzz\", \"reason\": \"Fuzz.\" }} }}";

    /// <summary>Each parameter re-reads the one before it, in one of the ways that multiply work or size.</summary>
    private static (Dictionary<string, string>, string) ParameterChain(Random random, int index)
    {
        var (seed, type) = random.Next(4) switch
        {
            0 => ("input1.Partners", "list"),
            1 => ("input1.Title", "text"),
            2 => ("input1.FinancialCommitment", "number"),
            _ => ("input1.LegallyBinding", "flag"),
        };
        var depth = 1 + random.Next(30);
        var parameters = new List<string> { $"{{ \"Name\": \"g0\", \"Expression\": {Json(seed)} }}" };
        for (var k = 1; k <= depth; k++)
        {
            var p = $"g{k - 1}";
            (var expression, type) = type switch
            {
                "list" => random.Next(8) switch
                {
                    0 => ($"{p}.Select(x => {p}.Max())", "list"),
                    1 => ($"{p}.Where(x => {p}.Contains(x))", "list"),
                    2 => ($"{p}.Concat({p})", "list"),
                    3 => ($"{p}.Distinct()", "list"),
                    4 => ($"{p}.SelectMany(x => {p})", "list"),
                    5 => ($"{p}.OrderBy(x => x)", "list"),
                    6 => ($"{p}.Max()", "text"),
                    _ => ($"{p}.Count()", "number"),
                },
                "text" => random.Next(6) switch
                {
                    0 => ($"{p} + {p}", "text"),
                    1 => ($"string.Concat({p}, {p})", "text"),
                    2 => ($"{p}.Replace(\"t\", {p})", "text"),
                    3 => ($"{p}.PadLeft({random.Next(1, int.MaxValue)})", "text"),
                    4 => ($"{p}.Length", "number"),
                    _ => ($"{p}.ToUpper()", "text"),
                },
                "number" => random.Next(4) switch
                {
                    0 => ($"{p} * {p}", "number"),
                    1 => ($"{p}.ToString(\"F{random.Next(0, 1_000_000_000)}\")", "text"),
                    2 => ($"{p} > 0", "flag"),
                    _ => ($"{p} + 1", "number"),
                },
                _ => random.Next(3) switch
                {
                    0 => ($"{p} && {p}", "flag"),
                    1 => ($"{p} || !{p}", "flag"),
                    _ => ($"{p} == {p}", "flag"),
                },
            };
            parameters.Add($"{{ \"Name\": \"g{k}\", \"Expression\": {Json(expression)} }}");
        }

        var last = $"g{depth}";
        var test = type switch { "list" => $"{last}.Any()", "text" => $"{last}.Length > 0", "number" => $"{last} != 0", _ => last };
        var local = random.Next(2) == 0;
        var workflow = local
            ? $"{{ \"WorkflowName\": \"chain{index}\", \"Rules\": [ {Rule("Chain", test, $"\"LocalParams\": [ {string.Join(", ", parameters)} ], ")} ] }}"
            : $"{{ \"WorkflowName\": \"chain{index}\", \"GlobalParams\": [ {string.Join(", ", parameters)} ], \"Rules\": [ {Rule("Chain", test)} ] }}";
        return (RuleSetWith(("chain.rules.json", workflow)), $"{(local ? "local" : "global")} chain of {depth}: {string.Join(" ; ", parameters.Skip(1).Take(4))}");
    }

    /// <summary>Workflows where each rule injects the next workflow, so the expansion grows as fan-out^depth.</summary>
    private static (Dictionary<string, string>, string) InjectionFanOut(Random random, int index)
    {
        var depth = 1 + random.Next(30);
        var fanOut = 1 + random.Next(4);

        // Half the inputs near DR0058's bounds: LocalParams on the injecting rules (each copy then runs in its own
        // scope) and GlobalParams that every copy sees. Hundreds of GlobalParams under a LocalParam chain are slow
        // without any fan-out (the parameter-count cost, a separate finding), so they stay at 150 here.
        var locals = random.Next(2) == 0;
        var globals = new[] { 0, 0, 30, 150 }[random.Next(4)];
        var workflows = new List<string>();
        for (var level = 0; level < depth; level++)
        {
            var local = locals ? $"\"LocalParams\": [ {{ \"Name\": \"l{level}\", \"Expression\": \"input1.FinancialCommitment > {level}\" }} ], " : "";
            var rules = Enumerable.Range(0, fanOut).Select(r => level == depth - 1
                ? Rule($"Leaf{r}", "input1.Partners.Any()")
                : $"{{ \"RuleName\": \"R{level}x{r}\", \"Operator\": \"Or\", {local}\"WorkflowsToInject\": [ \"W{level + 1}\" ], \"Rules\": [ {{ \"RuleName\": \"Own{level}x{r}\", \"Expression\": \"input1.LegallyBinding\" }} ], \"Properties\": {{ \"steps\": [\"cabinet-decision\"], \"source\": \"Fuzz\", \"reason\": \"Fuzz.\" }} }}");
            var global = level == 0 && globals > 0
                ? $"\"GlobalParams\": [ {string.Join(", ", Enumerable.Range(0, globals).Select(g => $"{{ \"Name\": \"g{g}\", \"Expression\": \"input1.FinancialCommitment > {g}\" }}"))} ], "
                : "";
            workflows.Add($"{{ \"WorkflowName\": \"W{level}\", {global}\"Rules\": [ {string.Join(", ", rules)} ] }}");
        }

        return (RuleSetWith(("injection.rules.json", $"[ {string.Join(", ", workflows)} ]")), $"depth {depth}, fan-out {fanOut}, {(locals ? "LocalParams" : "no LocalParams")}, {globals} GlobalParams");
    }

    /// <summary>A catalogue with a long <c>after</c> chain, random extra edges (some making cycles) and periods.</summary>
    private static (Dictionary<string, string>, string) AfterChain(Random random, int index)
    {
        var length = 1 + random.Next(600);
        var steps = new StringBuilder();
        for (var k = 0; k < length; k++)
        {
            var after = new List<string>();
            if (k > 0)
            {
                after.Add($"s{k - 1}");
            }

            if (index % 3 == 0 && random.Next(10) == 0)
            {
                after.Add($"s{random.Next(length)}"); // in a third of the inputs, forward edges make cycles the loader must name
            }

            var period = random.Next(3) == 0 ? $", \"duration\": {{ \"days\": {random.Next(0, 400)}, \"counting\": \"{(random.Next(2) == 0 ? "WorkingDays" : "ClearCalendarDays")}\" }}" : "";
            steps.Append($"{{ \"id\": \"s{k}\", \"name\": \"Step {k}\", \"kind\": \"SignOff\", \"role\": \"democratic-services\"{period}, \"after\": [{string.Join(", ", after.Select(a => $"\"{a}\""))}] }},");
        }

        var catalogue = Catalogue.Replace("\"steps\": [", "\"steps\": [" + steps, StringComparison.Ordinal);
        var all = string.Join(", ", Enumerable.Range(0, length).Select(k => $"\"s{k}\""));
        var rule = $"{{ \"WorkflowName\": \"after{index}\", \"Rules\": [ {{ \"RuleName\": \"All\", \"Expression\": \"true\", \"Properties\": {{ \"steps\": [{all}], \"source\": \"Fuzz\", \"reason\": \"Fuzz.\" }} }} ] }}";
        var files = RuleSetWith(("after.rules.json", rule));
        files["catalogue.json"] = catalogue;
        return (files, $"{length} steps");
    }

    /// <summary>Format strings of every shape: bounded standard ones, huge precisions, custom patterns, escapes.</summary>
    private static (Dictionary<string, string>, string) FormatStrings(Random random, int index)
    {
        string[] shapes =
        [
            "N0", "C2", "F2", "P1", "E3", "G", "X8", "D10", "0.00", "#,##0", "yyyy-MM-dd", "",
            $"F{random.Next(0, int.MaxValue)}", $"N{random.Next(100, 1_000_000_000)}", $"D{random.Next(100, 1_000_000_000)}",
            new string('0', random.Next(1, 100_000)), string.Concat(Enumerable.Repeat("\\0", random.Next(1, 10_000))),
            $"E{random.Next(0, 1_000_000)}", "{0}", "%", new string('#', random.Next(1, 50_000)) + ".0",
        ];
        var formats = Enumerable.Range(0, 1 + random.Next(50)).Select(_ => shapes[random.Next(shapes.Length)]).ToList();
        var calls = formats.Select((f, k) => $"input1.FinancialCommitment.ToString({Json(f)}).Length > {k}");
        var workflow = $"{{ \"WorkflowName\": \"formats{index}\", \"Rules\": [ {Rule("Formats", string.Join(" || ", calls))} ] }}";
        return (RuleSetWith(("formats.rules.json", workflow)), $"{formats.Count} calls, longest format {formats.Max(f => f.Length)} chars: {formats.OrderByDescending(f => f.Length).First()[..Math.Min(12, formats.Max(f => f.Length))]}");
    }
}
