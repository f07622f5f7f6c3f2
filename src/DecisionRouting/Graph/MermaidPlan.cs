using System.Collections.Generic;
using System.Linq;
using System.Text;
using DecisionRouting.Routing;

namespace DecisionRouting.Graph
{
    /// <summary>Draws a routing plan as a Mermaid flowchart: one box per step, one column per stage.</summary>
    public static class MermaidPlan
    {
        /// <summary>The flowchart's Mermaid source.</summary>
        public static string Format(RoutingPlan plan)
        {
            var ids = plan.Steps.Select((s, i) => (s.Id, Node: "s" + i.ToString(System.Globalization.CultureInfo.InvariantCulture)))
                .ToDictionary(p => p.Id, p => p.Node);
            var text = new StringBuilder();
            text.Append("flowchart LR\n");
            if (!plan.IsComplete)
            {
                // A node of its own, styled as a warning, so the drawing cannot be mistaken for the whole route.
                var rules = string.Join("<br/>", plan.Incomplete.Select(r => r.Kind == IncompleteRuleKind.Undecided
                    ? $"{r.Rule}: undecided, no {r.MissingValue}"
                    : $"{r.Rule}: not evaluated"));
                text.Append("  incomplete[\"").Append(Escape("INCOMPLETE PLAN: may lack required steps<br/>" + rules)).Append("\"]\n");
                text.Append("  classDef incomplete fill:#fff3cd,stroke:#b02a37,stroke-width:3px,font-weight:bold\n");
                text.Append("  class incomplete incomplete\n");
            }

            foreach (var stage in plan.Stages)
            {
                var number = stage[0].Stage;
                text.Append("  subgraph stage").Append(number).Append("[\"Stage ").Append(number).Append("\"]\n");
                foreach (var step in stage)
                {
                    text.Append("    ").Append(ids[step.Id]).Append("[\"").Append(Escape(Label(step))).Append("\"]\n");
                }

                text.Append("  end\n");
            }

            foreach (var step in plan.Steps)
            {
                foreach (var before in step.After)
                {
                    text.Append("  ").Append(ids[before]).Append(" --> ").Append(ids[step.Id]).Append('\n');
                }
            }

            foreach (var kind in plan.Steps.Select(s => s.Step.Kind).Distinct())
            {
                text.Append("  classDef ").Append(kind.ToString().ToLowerInvariant()).Append(' ').Append(Styles[kind]).Append('\n');
                var members = plan.Steps.Where(s => s.Step.Kind == kind).Select(s => ids[s.Id]);
                text.Append("  class ").Append(string.Join(",", members)).Append(' ').Append(kind.ToString().ToLowerInvariant()).Append('\n');
            }

            return text.ToString();
        }

        /// <summary>One colour per kind of step, so notices, sign-offs and approvals stand apart at a glance.</summary>
        private static readonly Dictionary<StepKind, string> Styles = new()
        {
            [StepKind.Consultation] = "fill:#e8f4fd,stroke:#1c6ea4",
            [StepKind.SignOff] = "fill:#f0f0f0,stroke:#555",
            [StepKind.Approval] = "fill:#e6f4ea,stroke:#1e7e34,font-weight:bold",
            [StepKind.Recommendation] = "fill:#fff8e1,stroke:#b8860b",
            [StepKind.Notice] = "fill:#fdecea,stroke:#b02a37",
            [StepKind.CallIn] = "fill:#f3e8fd,stroke:#6f42c1",
            [StepKind.Record] = "fill:#ffffff,stroke:#888,stroke-dasharray:3 3",
        };

        private static string Label(PlannedStep step)
        {
            var parts = new List<string> { step.Step.Name };
            if ((step.Body?.Name ?? step.Role?.Name) is { } by)
            {
                parts.Add(by);
            }

            if (step.Step.Duration is { } duration)
            {
                parts.Add(duration.ToString());
            }

            return string.Join("<br/>", parts);
        }

        /// <summary>
        /// A label kept on its line (a line feed in a step or body name would end the node and start a Mermaid statement
        /// of its own) and inside its quotes.
        /// </summary>
        private static string Escape(string text) => Text.UnsafeCharacters.Field(text).Replace("\"", "#quot;");
    }
}
