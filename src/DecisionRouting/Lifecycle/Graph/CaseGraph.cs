using System;
using System.Collections.Generic;
using System.Linq;
using DecisionRouting.Graph;
using Stateless.Graph;
using Stateless.Reflection;

namespace DecisionRouting.Lifecycle.Graph
{
    /// <summary>
    /// Draws a case's machine with Stateless's exporters, from the state the case is in: Stateless makes the state the
    /// machine was built in the initial one (<c>[*]</c> in Mermaid, the point node in DOT), and it is highlighted.
    /// </summary>
    internal static class CaseGraph
    {
        private const string Highlight = "#ffd966";

        /// <summary>
        /// The moves from states reachable from the state <paramref name="proposalCase"/> is in, nearest first: what may still happen. States
        /// the case has left (Draft, once started) are not drawn as if the case could go back to them, and neither are
        /// steps it has done: completing a completed step, or starting one already started or completed, is refused,
        /// so it is not something that may still happen.
        /// </summary>
        public static IReadOnlyList<Move> Ahead(ProposalCase proposalCase, IReadOnlyList<Move> moves)
        {
            var current = proposalCase.State;
            moves = moves.Where(m => m.Event switch
            {
                { Trigger: CaseTrigger.CompleteStep, Step: { } step } => !proposalCase.IsComplete(step),
                { Trigger: CaseTrigger.StartStep, Step: { } step } => !proposalCase.IsComplete(step) && !proposalCase.Started.ContainsKey(step),
                _ => true,
            }).ToList();
            var depth = new Dictionary<CaseState, int> { [current] = 0 };
            var queue = new Queue<CaseState>(new[] { current });
            while (queue.Count > 0)
            {
                var state = queue.Dequeue();
                foreach (var next in moves.Where(m => m.From == state).Select(m => m.To).Where(t => !depth.ContainsKey(t)))
                {
                    depth[next] = depth[state] + 1;
                    queue.Enqueue(next);
                }
            }

            return moves.Where(m => depth.ContainsKey(m.From)).OrderBy(m => depth[m.From]).ToList();
        }

        public static string Format(StateMachineInfo info, CaseState current, GraphFormat format)
        {
            if (format == GraphFormat.Mermaid)
            {
                // Stateless writes the initial-state line last; put it first, so the diagram reads from where the case is.
                var lines = MermaidGraph.Format(info).TrimEnd().Split('\n').ToList();
                var initial = lines.FindIndex(l => l.TrimStart().StartsWith("[*] -->", StringComparison.Ordinal));
                if (initial > 0)
                {
                    var line = lines[initial];
                    lines.RemoveAt(initial);
                    lines.Insert(1, "\t" + line.Trim());
                }

                return $"{string.Join("\n", lines)}\n\tclassDef current fill:{Highlight},stroke:#333,stroke-width:2px\n\tclass {current} current\n";
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
