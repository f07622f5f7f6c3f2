using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using DecisionRouting.Routing;
using DecisionRouting.Text;

namespace DecisionRouting.Graph
{
    /// <summary>
    /// Draws a routing plan: one column per stage, left to right, one box per step with who performs it, its period and
    /// its dates, and an arrow for each ordering. An incomplete plan gets a warning box of its own listing every reason,
    /// so a drawing can never be mistaken for the whole route.
    /// </summary>
    public static partial class PlanGraph
    {
        /// <summary>
        /// The plan's diagram as text in <paramref name="format"/>. Every name, date and reason is escaped for that format
        /// (a quote, bracket, backslash, <c>#</c>, <c>&amp;</c> or line feed in a title or step name stays text).
        /// </summary>
        /// <param name="plan">A plan from <see cref="Router.Route(Proposals.Proposal)"/>.</param>
        /// <param name="format">Mermaid <c>flowchart LR</c> with a subgraph per stage, or Graphviz DOT with a cluster per stage.</param>
        /// <returns>The diagram's source, ending with a line feed.</returns>
        /// <exception cref="ArgumentOutOfRangeException"><paramref name="format"/> is not a <see cref="GraphFormat"/>.</exception>
        public static string Format(RoutingPlan plan, GraphFormat format)
        {
            ArgumentNullException.ThrowIfNull(plan);
            return format switch
            {
                GraphFormat.Mermaid => Mermaid(plan),
                GraphFormat.Dot => Dot(plan),
                _ => throw new ArgumentOutOfRangeException(nameof(format), format, "Draw a plan as GraphFormat.Mermaid or GraphFormat.Dot."),
            };
        }

        /// <summary>Fill and line colours per kind of step, so notices, sign-offs and approvals stand apart at a glance.</summary>
        private static readonly Dictionary<StepKind, (string Fill, string Line)> Colours = new()
        {
            [StepKind.Consultation] = ("#e8f4fd", "#1c6ea4"),
            [StepKind.SignOff] = ("#f0f0f0", "#555555"),
            [StepKind.Approval] = ("#e6f4ea", "#1e7e34"),
            [StepKind.Recommendation] = ("#fff8e1", "#b8860b"),
            [StepKind.Notice] = ("#fdecea", "#b02a37"),
            [StepKind.CallIn] = ("#f3e8fd", "#6f42c1"),
            [StepKind.Record] = ("#ffffff", "#888888"),
        };

        private const string WarningFill = "#fff3cd";
        private const string WarningLine = "#b02a37";

        private static string Mermaid(RoutingPlan plan)
        {
            var ids = NodeIds(plan);
            var text = new StringBuilder();
            text.Append("flowchart LR\n");
            text.Append("  plan[\"").Append(MermaidLabel(Heading(plan))).Append("\"]\n");
            text.Append("  classDef heading fill:#ffffff,stroke:#333333,font-weight:bold\n  class plan heading\n");
            if (!plan.IsComplete)
            {
                text.Append("  incomplete[\"").Append(MermaidLabel(Warning(plan))).Append("\"]\n");
                text.Append("  classDef incomplete fill:").Append(WarningFill).Append(",stroke:").Append(WarningLine).Append(",stroke-width:3px,font-weight:bold\n");
                text.Append("  class incomplete incomplete\n");
            }

            foreach (var stage in plan.Stages)
            {
                var number = stage[0].Stage.ToString(CultureInfo.InvariantCulture);
                text.Append("  subgraph stage").Append(number).Append("[\"Stage ").Append(number).Append("\"]\n");
                foreach (var step in stage)
                {
                    text.Append("    ").Append(ids[step.Id]).Append("[\"").Append(MermaidLabel(Lines(step))).Append("\"]\n");
                }

                text.Append("  end\n");
            }

            foreach (var (from, to) in Orderings(plan))
            {
                text.Append("  ").Append(ids[from]).Append(" --> ").Append(ids[to]).Append('\n');
            }

            foreach (var kind in plan.Steps.Select(s => s.Step.Kind).Distinct())
            {
                var (fill, line) = Colours[kind];
                var name = kind.ToString().ToLowerInvariant();
                text.Append("  classDef ").Append(name).Append(" fill:").Append(fill).Append(",stroke:").Append(line)
                    .Append(kind == StepKind.Approval ? ",font-weight:bold" : string.Empty).Append('\n');
                text.Append("  class ").Append(string.Join(",", plan.Steps.Where(s => s.Step.Kind == kind).Select(s => ids[s.Id]))).Append(' ').Append(name).Append('\n');
            }

            return text.ToString();
        }

        private static string Dot(RoutingPlan plan)
        {
            var ids = NodeIds(plan);
            var text = new StringBuilder();
            text.Append("digraph plan {\n");
            text.Append("  graph [rankdir=LR, newrank=true, nodesep=0.3, ranksep=0.6, fontname=\"Helvetica\", labelloc=t, label=\"").Append(DotLabel(Heading(plan))).Append("\"];\n");
            text.Append("  node [shape=box, style=\"rounded,filled\", fontname=\"Helvetica\", fontsize=10];\n");
            text.Append("  edge [color=\"#555555\"];\n");
            if (!plan.IsComplete)
            {
                text.Append("  incomplete [shape=note, style=filled, fillcolor=\"").Append(WarningFill).Append("\", color=\"").Append(WarningLine)
                    .Append("\", penwidth=3, fontname=\"Helvetica-Bold\", label=\"").Append(DotLabel(Warning(plan))).Append("\"];\n");
            }

            string? previousFirst = null;
            foreach (var stage in plan.Stages)
            {
                var number = stage[0].Stage.ToString(CultureInfo.InvariantCulture);
                text.Append("  subgraph cluster_stage").Append(number).Append(" {\n");
                text.Append("    label=\"Stage ").Append(number).Append(stage.Count > 1 ? " (in parallel)" : string.Empty).Append("\"; style=dashed; color=\"#999999\";\n");
                foreach (var step in stage)
                {
                    var (fill, line) = Colours[step.Step.Kind];
                    text.Append("    ").Append(ids[step.Id]).Append(" [label=\"").Append(DotLabel(Lines(step).SelectMany(WrapStepLine))).Append("\", fillcolor=\"").Append(fill)
                        .Append("\", color=\"").Append(line).Append('"').Append(step.Step.Kind == StepKind.Approval ? ", penwidth=2" : string.Empty).Append("];\n");
                }

                // One rank per stage keeps each stage a column even where no ordering crosses from the stage before.
                text.Append("    { rank=same; ").Append(string.Join("; ", stage.Select(s => ids[s.Id]))).Append("; }\n");
                text.Append("  }\n");
                var first = ids[stage[0].Id];
                if (previousFirst is not null)
                {
                    text.Append("  ").Append(previousFirst).Append(" -> ").Append(first).Append(" [style=invis];\n");
                }

                previousFirst = first;
            }

            foreach (var (from, to) in Orderings(plan))
            {
                text.Append("  ").Append(ids[from]).Append(" -> ").Append(ids[to]).Append(";\n");
            }

            text.Append("}\n");
            return text.ToString();
        }

        /// <summary>Node names the formats never have to escape: s0, s1, … in plan order.</summary>
        private static Dictionary<string, string> NodeIds(RoutingPlan plan) =>
            plan.Steps.Select((s, i) => (s.Id, Node: "s" + i.ToString(CultureInfo.InvariantCulture))).ToDictionary(p => p.Id, p => p.Node, StringComparer.Ordinal);

        private static IEnumerable<(string From, string To)> Orderings(RoutingPlan plan) =>
            plan.Steps.SelectMany(step => step.After.Select(before => (before, step.Id)));

        private static List<string> Heading(RoutingPlan plan) => new()
        {
            plan.Proposal.Title,
            $"decision by {plan.Proposal.DecisionMaker} on {DateText.Day.Format(plan.DecisionDate)}" +
                (plan.EffectiveFrom is { } effective ? $"; effective from {StepTimingText.When(effective)}" : string.Empty),
            $"rule set {plan.RuleSetName} ({plan.RuleSetHash[..Math.Min(12, plan.RuleSetHash.Length)]})",
        };

        private static List<string> Warning(RoutingPlan plan)
        {
            var lines = new List<string> { "INCOMPLETE PLAN: it may lack required steps or carry wrong dates" };
            lines.AddRange(IncompleteText.Reasons(plan).Select(r => r.Text));
            return lines;
        }

        private static List<string> Lines(PlannedStep step)
        {
            var lines = new List<string> { step.Step.Name };
            if ((step.Body?.Name ?? step.Role?.Name) is { } by)
            {
                lines.Add(by);
            }

            if (step.Step.Duration is { } duration)
            {
                lines.Add(duration.ToString());
            }

            if (step.Timing is { } timing && StepTimingText.Describe(timing) is { Length: > 0 } dates)
            {
                lines.Add(dates);
            }

            return lines;
        }

        /// <summary>
        /// A Mermaid label inside its double quotes: each line kept on its line (a line feed would end the node and start a
        /// statement of its own) and every character Mermaid reads as markup written as an entity code, <c>#</c> first
        /// because entity codes start with it. Lines are joined with <c>&lt;br/&gt;</c>, the only markup in a label.
        /// </summary>
        private static string MermaidLabel(IEnumerable<string> lines) =>
            string.Join("<br/>", lines.Select(line => UnsafeCharacters.Field(line)
                .Replace("#", "#35;", StringComparison.Ordinal)
                .Replace("\"", "#quot;", StringComparison.Ordinal)
                .Replace("&", "#amp;", StringComparison.Ordinal)
                .Replace("<", "#lt;", StringComparison.Ordinal)
                .Replace(">", "#gt;", StringComparison.Ordinal)));

        /// <summary>The widest line of a DOT label, in characters: Graphviz never wraps, and a long step name would make one box the width of the page.</summary>
        private const int DotLineWidth = 48;

        /// <summary>
        /// A step's line cut into lines of at most <see cref="DotLineWidth"/> characters where that can be done without
        /// splitting a date: a line of dates ("from Mon 15 Jul 2013, closes 13:00 on …") only between its parts, anything
        /// else at spaces; a longer part stays whole. Only steps: the heading spans the drawing, and the warning's reasons
        /// read best a reason to a line.
        /// </summary>
        private static IEnumerable<string> WrapStepLine(string line)
        {
            var separator = line.Contains(", ", StringComparison.Ordinal) && DateLine().IsMatch(line) ? ", " : " ";
            var current = new StringBuilder();
            foreach (var part in line.Split(separator))
            {
                if (current.Length > 0 && current.Length + separator.Length + part.Length > DotLineWidth)
                {
                    yield return current.Append(separator.TrimEnd()).ToString();
                    current.Clear();
                }

                current.Append(current.Length > 0 ? separator : string.Empty).Append(part);
            }

            yield return current.ToString();
        }

        /// <summary>
        /// A DOT label inside its double quotes: backslashes doubled first (Graphviz reads <c>\n</c>, <c>\l</c>, <c>\N</c>
        /// and friends in labels), quotes escaped, and <c>&amp;</c> written as <c>&amp;amp;</c> because Graphviz passes
        /// entities through to SVG. Lines are joined with <c>\n</c>.
        /// </summary>
        private static string DotLabel(IEnumerable<string> lines) =>
            string.Join("\\n", lines.Select(line => UnsafeCharacters.Field(line)
                .Replace("\\", "\\\\", StringComparison.Ordinal)
                .Replace("\"", "\\\"", StringComparison.Ordinal)
                .Replace("&", "&amp;", StringComparison.Ordinal)));

        /// <summary>A line of dates as <c>StepTimingText</c> words them: it starts with one of its part words and a date.</summary>
        [GeneratedRegex(@"^(on|by|from|to|start by|closes) ", RegexOptions.CultureInvariant)]
        private static partial Regex DateLine();
    }
}
