using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;

namespace DecisionRouting.Benchmarks;

/// <summary>
/// Generated rule sets that are large in one dimension only, for <see cref="LoadScaleBenchmarks"/>: many trivial
/// rules, a long chain of <c>after</c> orderings, a long chain of GlobalParams. Each is a rule set of its own (no
/// <c>extends</c>), so what is measured is how load and routing grow with that dimension.
/// </summary>
internal static class ScaleRuleSets
{
    /// <summary>Rules per workflow file: keeps each file far under the 4 MiB file limit.</summary>
    private const int RulesPerWorkflow = 1_000;

    /// <summary>
    /// <paramref name="rules"/> one-comparison rules in workflows of 1,000, each requiring one of 20 unordered steps;
    /// about a fifth match the benchmark proposal.
    /// </summary>
    public static string Rules(int rules)
    {
        var directory = NewDirectory($"rules-{rules}");
        WriteRuleSet(directory);
        WriteCatalogue(directory, 20, chained: false);
        for (var w = 0; w * RulesPerWorkflow < rules; w++)
        {
            var count = Math.Min(RulesPerWorkflow, rules - (w * RulesPerWorkflow));
            WriteWorkflow(directory, $"w{w}", globals: null, Enumerable.Range(w * RulesPerWorkflow, count).Select(i => Rule($"R{i}", $"proposal.WardsAffected >= {i % 5}", $"s{i % 20}")));
        }

        return directory;
    }

    /// <summary>
    /// <paramref name="steps"/> steps, each <c>after</c> the one before, and one rule per ten steps requiring ten of
    /// them, every rule matching: the plan holds every step, ordered along the whole chain.
    /// </summary>
    public static string StepChain(int steps)
    {
        var directory = NewDirectory($"chain-{steps}");
        WriteRuleSet(directory);
        WriteCatalogue(directory, steps, chained: true);
        var rules = Enumerable.Range(0, (steps + 9) / 10)
            .Select(r => Rule($"R{r}", "proposal.WardsAffected >= 0", Enumerable.Range(r * 10, Math.Min(10, steps - (r * 10))).Select(s => $"s{s}").ToArray()));
        WriteWorkflow(directory, "chain", globals: null, rules);
        return directory;
    }

    /// <summary>
    /// One workflow whose GlobalParams form a chain of <paramref name="parameters"/>, each built on the one before
    /// (<c>g1 = g0 &amp;&amp; …</c>, breaker finding D5), and one rule reading the last.
    /// </summary>
    public static string ParameterChain(int parameters)
    {
        var directory = NewDirectory($"params-{parameters}");
        WriteRuleSet(directory);
        WriteCatalogue(directory, 20, chained: false);
        var globals = Enumerable.Range(0, parameters)
            .Select(i => (Name: $"g{i}", Expression: i == 0 ? "proposal.WardsAffected >= 0" : $"g{i - 1} && proposal.WardsAffected >= 0"));
        WriteWorkflow(directory, "params", globals, new[] { Rule("R", $"g{parameters - 1}", "s0") });
        return directory;
    }

    private static string NewDirectory(string name)
    {
        var directory = Path.Combine(Path.GetTempPath(), "dr-bench", $"{name}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(directory);
        return directory;
    }

    private static void WriteRuleSet(string directory) =>
        File.WriteAllText(Path.Combine(directory, "ruleset.json"), """{ "name": "scale", "parameters": { "threshold": 250000 } }""");

    private static void WriteCatalogue(string directory, int steps, bool chained)
    {
        var text = new StringBuilder("{ \"roles\": [ { \"id\": \"officer\", \"name\": \"Officer\" } ],\n  \"steps\": [\n");
        for (var i = 0; i < steps; i++)
        {
            text.Append(i == 0 ? string.Empty : ",\n")
                .Append(CultureInfo.InvariantCulture, $"    {{ \"id\": \"s{i}\", \"name\": \"Step {i}\", \"kind\": \"SignOff\", \"role\": \"officer\"")
                .Append(chained && i > 0 ? $", \"after\": [ \"s{i - 1}\" ]" : string.Empty)
                .Append(" }");
        }

        File.WriteAllText(Path.Combine(directory, "catalogue.json"), text.Append("\n  ]\n}\n").ToString());
    }

    private static string Rule(string name, string expression, params string[] steps) =>
        $"{{ \"RuleName\": \"{name}\", \"Expression\": \"{expression}\", \"Properties\": {{ \"steps\": [ {string.Join(", ", steps.Select(s => $"\"{s}\""))} ], \"source\": \"generated\" }} }}";

    private static void WriteWorkflow(string directory, string name, System.Collections.Generic.IEnumerable<(string Name, string Expression)>? globals, System.Collections.Generic.IEnumerable<string> rules)
    {
        var text = new StringBuilder($"{{ \"WorkflowName\": \"{name}\",\n");
        if (globals is not null)
        {
            text.Append("  \"GlobalParams\": [\n    ")
                .Append(string.Join(",\n    ", globals.Select(g => $"{{ \"Name\": \"{g.Name}\", \"Expression\": \"{g.Expression}\" }}")))
                .Append("\n  ],\n");
        }

        text.Append("  \"Rules\": [\n    ").Append(string.Join(",\n    ", rules)).Append("\n  ]\n}\n");
        File.WriteAllText(Path.Combine(directory, $"{name}.rules.json"), text.ToString());
    }
}
