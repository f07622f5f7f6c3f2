using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Xml.Linq;
using DecisionRouting.Cli;
using DecisionRouting.Graph;
using DecisionRouting.Tests.Incomplete;
using DecisionRouting.Tests.Support;

namespace DecisionRouting.Tests.Graph;

/// <summary>
/// <c>route --format mermaid|dot|svg</c> and <c>proposal graph --format svg</c>: SVG from the machine's Graphviz, a
/// clear refusal (exit 2, nothing on stdout) where there is none, and an incomplete plan still exits 5 when drawn.
/// </summary>
public sealed class DiagramCliTests : IDisposable
{
    private const string Sample = "croydon-2013-integrated-commissioning-unit";
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";
    private readonly TempCaseStore _store = new("dr-diagram-");

    public void Dispose() => _store.Dispose();

    private static string Proposal => Repository.PathOf($"samples/proposals/{Sample}.json");

    private static string Rules => Repository.PathOf("rules/partnerships/croydon");

    /// <summary>A PATH with everything the CLI needs but no Graphviz: an empty folder.</summary>
    private Dictionary<string, string?> NoGraphviz() => new() { ["PATH"] = Directory.CreateDirectory(Path.Combine(_store.Folder, "empty-path")).FullName };

    [Theory]
    [InlineData("dot", "digraph plan {\n")]
    [InlineData("mermaid", "flowchart LR\n")]
    public void Route_writes_the_plan_diagram_as_text(string format, string start)
    {
        var result = InProcessCli.Run("route", Proposal, "--rules", Rules, "--today", "2013-05-01", "--format", format);

        Assert.Equal(0, result.Exit);
        Assert.StartsWith(start, result.Out);
        Assert.Contains("closes 13:00 on Mon 22 Jul 2013", result.Out);
        Assert.Equal(string.Empty, result.Error);
    }

    [Fact]
    public void Route_draws_svg_with_graphviz_one_cluster_per_stage()
    {
        _ = GraphvizTool.ExecutablePath;
        var result = InProcessCli.Run("route", Proposal, "--rules", Rules, "--today", "2013-05-01", "--format", "svg");

        Assert.Equal(0, result.Exit);
        var svg = XDocument.Parse(result.Out);
        var stages = svg.Descendants(Svg + "g").Where(g => (string?)g.Attribute("class") == "cluster").Select(g => g.Element(Svg + "text")?.Value).ToList();
        Assert.True(stages.Count >= 3);
        Assert.Equal(Enumerable.Range(1, stages.Count).Select(i => $"Stage {i}"), stages.Select(s => s!.Replace(" (in parallel)", string.Empty, StringComparison.Ordinal)).Order(StringComparer.Ordinal));
        Assert.Contains(svg.Descendants(Svg + "text"), t => t.Value.EndsWith("closes 13:00 on Mon 22 Jul 2013", StringComparison.Ordinal));
    }

    [Fact]
    public void Route_draws_an_incomplete_plan_with_its_warning_and_still_exits_5()
    {
        _ = GraphvizTool.ExecutablePath;
        using var set = TempRuleSet.With(rules: UndecidedRuleTests.OneRule("proposal.Attributes.Number(\"localSpendCap\") < 50000", "UnderLocalCap"), manifest: UndecidedRuleTests.Manifest);
        var proposal = Path.Combine(_store.Folder, "p.json");
        File.WriteAllText(proposal, """
            { "id": "p", "title": "Pooled budget", "decisionMaker": "Cabinet", "intendedDecisionDate": "2024-06-03", "kinds": [ "PooledBudget" ], "financialCommitment": 1000 }
            """);

        foreach (var format in new[] { "svg", "dot", "mermaid" })
        {
            var result = InProcessCli.Run("route", proposal, "--rules", set.Directory, "--today", "2024-01-02", "--format", format);
            Assert.Equal(ExitCodes.IncompletePlan, result.Exit);
            Assert.Contains("INCOMPLETE PLAN: it may lack required steps or carry wrong dates", result.Out);
        }
    }

    [Fact]
    public void Without_graphviz_svg_is_refused_with_what_to_install_and_nothing_on_stdout()
    {
        var db = Path.Combine(_store.Folder, "cases.db");
        Assert.Equal(0, InProcessCli.Run("proposal", "create", Proposal, "--rules", Rules, "--today", "2013-06-01", "--db", db, "--actor", "Test").Exit);

        foreach (var args in new[]
        {
            new[] { "route", Proposal, "--rules", Rules, "--format", "svg" },
            new[] { "proposal", "graph", Sample, "--db", db, "--format", "svg" },
        })
        {
            var result = CliProcess.Run(TimeSpan.FromSeconds(120), NoGraphviz(), args);
            Assert.Equal(ExitCodes.BadInput, result.Exit);
            Assert.Equal(string.Empty, result.Out);
            Assert.Equal($"decision-routing: {Graphviz.NotInstalled}\n", result.Error);
        }

        // The text formats need nothing but the CLI.
        var dot = CliProcess.Run(TimeSpan.FromSeconds(120), NoGraphviz(), "route", Proposal, "--rules", Rules, "--format", "dot");
        Assert.Equal(0, dot.Exit);
        Assert.StartsWith("digraph plan {", dot.Out);
    }

    [Fact]
    public void Proposal_graph_draws_the_case_as_svg_with_its_state_highlighted()
    {
        _ = GraphvizTool.ExecutablePath;
        var db = Path.Combine(_store.Folder, "cases.db");
        Assert.Equal(0, InProcessCli.Run("proposal", "create", Proposal, "--rules", Rules, "--today", "2013-06-01", "--db", db, "--actor", "Test").Exit);

        var result = InProcessCli.Run("proposal", "graph", Sample, "--db", db, "--format", "svg");

        Assert.Equal(0, result.Exit);
        var svg = XDocument.Parse(result.Out);
        var draft = svg.Descendants(Svg + "g").Single(g => (string?)g.Attribute("class") == "node" && g.Element(Svg + "title")?.Value == "Draft");
        Assert.Contains(draft.Descendants(), e => (string?)e.Attribute("fill") == "#ffd966");
    }
}
