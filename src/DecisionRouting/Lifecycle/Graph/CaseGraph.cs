using System;
using Stateless.Graph;
using Stateless.Reflection;

namespace DecisionRouting.Lifecycle.Graph
{
    /// <summary>How to draw a case's state machine.</summary>
    public enum CaseGraphFormat
    {
        /// <summary>Mermaid <c>stateDiagram-v2</c>, for Markdown pages.</summary>
        Mermaid,

        /// <summary>Graphviz DOT (<c>dot -Tsvg</c>).</summary>
        Dot,
    }

    /// <summary>Draws a case's machine with Stateless's exporters and marks the state the case is in.</summary>
    internal static class CaseGraph
    {
        private const string Highlight = "#ffd966";

        public static string Format(StateMachineInfo info, CaseState current, CaseGraphFormat format)
        {
            if (format == CaseGraphFormat.Mermaid)
            {
                var mermaid = MermaidGraph.Format(info).TrimEnd();
                return $"{mermaid}\n\tclassDef current fill:{Highlight},stroke:#333,stroke-width:2px\n\tclass {current} current\n";
            }

            var dot = UmlDotGraph.Format(info).TrimEnd();
            var close = dot.LastIndexOf('}');
            if (close < 0)
            {
                throw new InvalidOperationException("Stateless produced DOT without a closing brace");
            }

            // A second statement for the node adds attributes to it; Graphviz merges them.
            return $"{dot[..close]}\"{current}\" [style=\"filled\", fillcolor=\"{Highlight}\", penwidth=2];\n}}\n";
        }
    }
}
