using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using System.Xml.Linq;
using DecisionRouting.Graph;
using DecisionRouting.Proposals;
using DecisionRouting.Routing;
using DecisionRouting.RuleSets;
using DecisionRouting.Tests.Calendar;
using DecisionRouting.Tests.Incomplete;
using DecisionRouting.Tests.Support;

namespace DecisionRouting.Tests.Graph;

/// <summary>
/// Plan diagrams: one column per stage holding exactly that stage's steps, each with its dates; every name escaped for
/// its format; an incomplete plan says why in the drawing. The DOT is drawn by the real Graphviz, and its SVG read back.
/// </summary>
public sealed partial class PlanGraphTests
{
    /// <summary>Markup, entity codes, quotes, a DOT escape (<c>\n</c> as two characters), braces and pipes: all must stay text.</summary>
    private const string Hostile = "Pool \"A\" & <b>B</b> <script>alert(1)</script> #quot; #35; &amp; a\\nb \\l {x} [y] |z| ;";

    private static Proposal Croydon() =>
        ProposalReader.ReadFile(Repository.PathOf("samples/proposals/croydon-2013-integrated-commissioning-unit.json")).Proposal!;

    private static RoutingPlan Route(Proposal proposal, string partnership = "croydon") =>
        new Router(RuleSet.Load(Repository.PathOf($"rules/partnerships/{partnership}")), new RoutingOptions { Clock = new FixedClock(new DateTimeOffset(2013, 5, 1, 9, 0, 0, TimeSpan.Zero)) }).Route(proposal);

    /// <summary>The node names in each DOT cluster, by stage number.</summary>
    private static Dictionary<int, List<string>> DotClusters(string dot) =>
        Cluster().Matches(dot).ToDictionary(
            m => int.Parse(m.Groups["stage"].Value, System.Globalization.CultureInfo.InvariantCulture),
            m => DotNode().Matches(m.Groups["body"].Value).Select(n => n.Groups["node"].Value).ToList());

    private static string Node(RoutingPlan plan, PlannedStep step) => "s" + plan.Steps.ToList().IndexOf(step).ToString(System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public void Dot_puts_each_stage_in_its_own_column_with_exactly_its_steps_dated()
    {
        var plan = Route(Croydon());
        var dot = PlanGraph.Format(plan, GraphFormat.Dot);

        var clusters = DotClusters(dot);
        Assert.Equal(plan.Stages.Count, clusters.Count);
        Assert.True(plan.Stages.Count >= 3);
        foreach (var stage in plan.Stages)
        {
            Assert.Equal(stage.Select(s => Node(plan, s)).OrderBy(n => n, StringComparer.Ordinal), clusters[stage[0].Stage].OrderBy(n => n, StringComparer.Ordinal));
            Assert.Contains($"{{ rank=same; {string.Join("; ", stage.Select(s => Node(plan, s)))}; }}", dot);
        }

        // Every ordering is an arrow, and the dates are the plan's own words.
        foreach (var step in plan.Steps)
        {
            foreach (var before in step.After)
            {
                Assert.Contains($"  {Node(plan, plan.Find(before)!)} -> {Node(plan, step)};\n", dot);
            }
        }

        Assert.Contains("closes 13:00 on Mon 22 Jul 2013", dot);
        Assert.Contains("decision by Cabinet on Mon 15 Jul 2013", dot);
        Assert.DoesNotContain("incomplete [", dot);
    }

    [Fact]
    public void Mermaid_puts_each_stage_in_its_own_subgraph_with_exactly_its_steps_dated()
    {
        var plan = Route(Croydon());
        var mermaid = PlanGraph.Format(plan, GraphFormat.Mermaid);

        var subgraphs = MermaidStage().Matches(mermaid).ToDictionary(
            m => int.Parse(m.Groups["stage"].Value, System.Globalization.CultureInfo.InvariantCulture),
            m => MermaidNode().Matches(m.Groups["body"].Value).Select(n => n.Groups["node"].Value).ToList());
        Assert.Equal(plan.Stages.Count, subgraphs.Count);
        foreach (var stage in plan.Stages)
        {
            Assert.Equal(stage.Select(s => Node(plan, s)), subgraphs[stage[0].Stage]);
        }

        Assert.StartsWith("flowchart LR\n", mermaid);
        Assert.Contains("closes 13:00 on Mon 22 Jul 2013", mermaid);
        Assert.DoesNotContain("incomplete[", mermaid);
    }

    [Fact]
    public void Mermaid_labels_keep_markup_quotes_and_entity_codes_as_text()
    {
        var plan = Route(Croydon() with { Title = Hostile });
        var mermaid = PlanGraph.Format(plan, GraphFormat.Mermaid);
        var heading = mermaid.Split('\n').Single(l => l.StartsWith("  plan[\"", StringComparison.Ordinal));

        // Inside the quotes: no quote, no angle bracket but the line breaks we put there, no & (Mermaid would read an entity).
        var label = heading["  plan[\"".Length..^"\"]".Length];
        Assert.DoesNotContain("\"", label);
        Assert.DoesNotContain("&", label);
        Assert.Equal(2, Regex.Matches(label, "<").Count);
        Assert.Equal(2, Regex.Matches(label, "<br/>").Count);
        Assert.StartsWith("Pool #quot;A#quot; #amp; #lt;b#gt;B#lt;/b#gt; #lt;script#gt;alert(1)#lt;/script#gt; #35;quot; #35;35; #amp;amp; a\\nb", label);

        // Decoding Mermaid's entity codes (what it does before drawing) gives the title back, character for character.
        var decoded = MermaidEntity().Replace(label.Split("<br/>")[0], m => m.Groups[1].Value switch
        {
            "quot" => "\"",
            "amp" => "&",
            "lt" => "<",
            "gt" => ">",
            var number => ((char)int.Parse(number, System.Globalization.CultureInfo.InvariantCulture)).ToString(),
        });
        Assert.Equal(Hostile, decoded);
    }

    [Fact]
    public void Dot_labels_escape_quotes_backslashes_and_entities()
    {
        var plan = Route(Croydon() with { Title = Hostile });
        var dot = PlanGraph.Format(plan, GraphFormat.Dot);

        Assert.Contains("label=\"Pool \\\"A\\\" &amp; <b>B</b> <script>alert(1)</script> #quot; #35; &amp;amp; a\\\\nb \\\\l {x} [y] |z| ;\\n", dot);
    }

    [Fact]
    public async Task Graphviz_draws_a_hostile_title_as_the_exact_text_and_no_markup()
    {
        _ = GraphvizTool.ExecutablePath;
        var plan = Route(Croydon() with { Title = Hostile });

        var svg = await Graphviz.Find()!.RenderSvgAsync(PlanGraph.Format(plan, GraphFormat.Dot));

        var document = XDocument.Parse(svg);
        XNamespace ns = "http://www.w3.org/2000/svg";
        Assert.Empty(document.Descendants(ns + "script"));
        Assert.Empty(document.Descendants(ns + "b"));
        var texts = document.Descendants(ns + "text").Select(t => t.Value).ToList();
        Assert.Contains(Hostile, texts);

        // Each stage is a cluster titled with its number; each step's dates are drawn.
        var clusters = document.Descendants(ns + "g").Where(g => (string?)g.Attribute("class") == "cluster").ToList();
        Assert.Equal(plan.Stages.Count, clusters.Count);
        Assert.Contains(texts, t => t.Contains("closes 13:00 on Mon 22 Jul 2013", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("croydon-2013-integrated-commissioning-unit", "croydon")]
    [InlineData("doncaster-2018-joint-commissioner-agreement", "doncaster")]
    [InlineData("darlington-2014-proof-of-concept", "darlington")]
    [InlineData("durham-2019-integrated-strategic-commissioning", "durham")]
    [InlineData("barking-dagenham-2010-integrated-leadership", "barking-dagenham")]
    public async Task Every_seed_plan_draws_with_one_cluster_per_stage(string sample, string partnership)
    {
        _ = GraphvizTool.ExecutablePath;
        var plan = Route(ProposalReader.ReadFile(Repository.PathOf($"samples/proposals/{sample}.json")).Proposal!, partnership);

        var svg = await Graphviz.Find()!.RenderSvgAsync(PlanGraph.Format(plan, GraphFormat.Dot));

        XNamespace ns = "http://www.w3.org/2000/svg";
        var document = XDocument.Parse(svg);
        Assert.Equal(plan.Stages.Count, document.Descendants(ns + "g").Count(g => (string?)g.Attribute("class") == "cluster"));
        Assert.Equal(plan.Steps.Count, document.Descendants(ns + "g").Count(g => (string?)g.Attribute("class") == "node"));
    }

    [Fact]
    public void An_incomplete_plan_draws_a_warning_naming_each_reason_in_both_formats()
    {
        using var set = TempRuleSet.With(rules: UndecidedRuleTests.OneRule("proposal.Attributes.Number(\"localSpendCap\") < 50000", "UnderLocalCap"), manifest: UndecidedRuleTests.Manifest);
        var proposal = UndecidedRuleTests.Proposal();
        var plan = new Router(RuleSet.Load(set.Directory)).Route(proposal);
        Assert.False(plan.IsComplete);

        var mermaid = PlanGraph.Format(plan, GraphFormat.Mermaid);
        var dot = PlanGraph.Format(plan, GraphFormat.Dot);

        Assert.Contains("  incomplete[\"INCOMPLETE PLAN: it may lack required steps or carry wrong dates<br/>main/UnderLocalCap: undecided, the proposal gives no value for attribute 'localSpendCap'", mermaid);
        Assert.Contains("  class incomplete incomplete\n", mermaid);
        Assert.Contains("  incomplete [shape=note", dot);
        Assert.Contains("label=\"INCOMPLETE PLAN: it may lack required steps or carry wrong dates\\nmain/UnderLocalCap: undecided, the proposal gives no value for attribute 'localSpendCap'", dot);
    }

    [Fact]
    public void A_plan_with_no_decision_step_says_so_in_the_drawing()
    {
        using var set = TempRuleSet.With(rules: UndecidedRuleTests.OneRule("proposal.FinancialCommitment > 0", "AnyMoney"), manifest: UndecidedRuleTests.Manifest);
        var proposal = UndecidedRuleTests.Proposal() with { DecisionMaker = DecisionMaker.FullCouncil };
        var plan = new Router(RuleSet.Load(set.Directory)).Route(proposal);
        Assert.True(plan.DecisionStepMissing);

        Assert.Contains("no decision step: no rule gives the decision-maker (FullCouncil) its decision", PlanGraph.Format(plan, GraphFormat.Mermaid));
        Assert.Contains("no decision step: no rule gives the decision-maker (FullCouncil) its decision", PlanGraph.Format(plan, GraphFormat.Dot));
    }

    [Fact]
    public void An_unknown_format_is_refused_by_name()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => PlanGraph.Format(Route(Croydon()), (GraphFormat)7));
        Assert.Contains("GraphFormat.Mermaid or GraphFormat.Dot", e.Message);
    }

    [GeneratedRegex(@"subgraph cluster_stage(?<stage>\d+) \{\n(?<body>.*?)\n  \}\n", RegexOptions.Singleline)]
    private static partial Regex Cluster();

    [GeneratedRegex(@"^    (?<node>s\d+) \[label=", RegexOptions.Multiline)]
    private static partial Regex DotNode();

    [GeneratedRegex(@"  subgraph stage(?<stage>\d+)\[""Stage \d+""\]\n(?<body>.*?)  end\n", RegexOptions.Singleline)]
    private static partial Regex MermaidStage();

    [GeneratedRegex(@"^    (?<node>s\d+)\[""", RegexOptions.Multiline)]
    private static partial Regex MermaidNode();

    [GeneratedRegex("#(quot|amp|lt|gt|[0-9]+);")]
    private static partial Regex MermaidEntity();
}
