using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using System.Xml.Linq;
using DecisionRouting.Graph;
using DecisionRouting.Proposals;
using DecisionRouting.Routing;
using DecisionRouting.RuleSets;
using DecisionRouting.Tests.Calendar;
using DecisionRouting.Tests.Documentation;
using DecisionRouting.Tests.Support;
using NodaTime;

namespace DecisionRouting.Tests.Graph;

/// <summary>
/// docs/diagrams holds each seed's plan drawn three ways (Mermaid, DOT, SVG by Graphviz), routed as of three months
/// before its decision. This test redraws them and fails when a committed drawing is stale; with
/// <c>DECISIONROUTING_UPDATE_DOCS=1</c> it writes them instead. The Mermaid and DOT must match byte for byte; the SVG
/// is compared by what it says (every text, every cluster and node), because another Graphviz version may place the
/// same drawing a pixel differently.
/// </summary>
public sealed class DiagramDocsTests
{
    /// <summary>The five seed reports, one decision each, with the partnership rule set that routes it.</summary>
    public static TheoryData<string, string> Seeds() => new()
    {
        { "croydon-2013-integrated-commissioning-unit", "croydon" },
        { "doncaster-2018-joint-commissioner-agreement", "doncaster" },
        { "darlington-2014-proof-of-concept", "darlington" },
        { "durham-2019-integrated-strategic-commissioning", "durham" },
        { "barking-dagenham-2010-integrated-leadership", "barking-dagenham" },
    };

    private static readonly bool Update = Environment.GetEnvironmentVariable(DiagnosticPages.UpdateVariable) == "1";

    private const string Regenerate = "DECISIONROUTING_UPDATE_DOCS=1 dotnet test tests/DecisionRouting.Tests --filter FullyQualifiedName~DiagramDocsTests";

    private static RoutingPlan Plan(string sample, string partnership)
    {
        var proposal = ProposalReader.ReadFile(Repository.PathOf($"samples/proposals/{sample}.json")).Proposal!;
        var asOf = proposal.IntendedDecisionDate.PlusMonths(-3).AtMidnight().InUtc().ToDateTimeOffset().AddHours(9);
        return new Router(RuleSet.Load(Repository.PathOf($"rules/partnerships/{partnership}")), new RoutingOptions { Clock = new FixedClock(asOf) }).Route(proposal);
    }

    private static string DocPath(string sample, string extension) => Repository.PathOf(Path.Combine("docs", "diagrams", sample + "." + extension));

    private static string? ReadDoc(string sample, string extension) =>
        File.Exists(DocPath(sample, extension)) ? File.ReadAllText(DocPath(sample, extension)).Replace("\r\n", "\n") : null;

    private static void Write(string sample, string extension, string text)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(DocPath(sample, extension))!);
        File.WriteAllText(DocPath(sample, extension), text);
    }

    /// <summary>What an SVG says: its texts in order, and how many clusters and nodes it draws.</summary>
    private static (string Texts, int Clusters, int Nodes) Says(string svg)
    {
        XNamespace ns = "http://www.w3.org/2000/svg";
        var document = XDocument.Parse(svg);
        int Count(string kind) => document.Descendants(ns + "g").Count(g => (string?)g.Attribute("class") == kind);
        return (string.Join("\n", document.Descendants(ns + "text").Select(t => t.Value)), Count("cluster"), Count("node"));
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public async Task Each_seed_plan_is_drawn_in_the_docs_as_it_routes_now(string sample, string partnership)
    {
        _ = GraphvizTool.ExecutablePath;
        var plan = Plan(sample, partnership);
        var mermaid = PlanGraph.Format(plan, GraphFormat.Mermaid);
        var dot = PlanGraph.Format(plan, GraphFormat.Dot);
        var svg = await Graphviz.Find()!.RenderSvgAsync(dot);

        if (Update)
        {
            Write(sample, "mmd", mermaid);
            Write(sample, "dot", dot);
            if (ReadDoc(sample, "svg") is not { } old || Says(old) != Says(svg))
            {
                Write(sample, "svg", svg);
            }

            return;
        }

        var stale = new List<string>();
        if (ReadDoc(sample, "mmd") != mermaid)
        {
            stale.Add("mmd");
        }

        if (ReadDoc(sample, "dot") != dot)
        {
            stale.Add("dot");
        }

        if (ReadDoc(sample, "svg") is not { } committed || Says(committed) != Says(svg))
        {
            stale.Add("svg");
        }

        Assert.True(stale.Count == 0, $"docs/diagrams/{sample}.{{{string.Join(",", stale)}}} is stale. Regenerate with:\n  {Regenerate}");
    }

    [Fact]
    public void The_diagrams_page_shows_every_seed()
    {
        var page = File.ReadAllText(Repository.PathOf("docs/diagrams.md"));
        foreach (var sample in Seeds().Select(row => (string)row[0]))
        {
            Assert.Contains($"](diagrams/{sample}.svg)", page);
            Assert.Contains($"(diagrams/{sample}.mmd)", page);
            Assert.Contains($"(diagrams/{sample}.dot)", page);
        }
    }
}
