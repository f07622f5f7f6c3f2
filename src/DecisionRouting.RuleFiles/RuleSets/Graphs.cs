using System.Collections.Generic;
using System.Linq;

namespace DecisionRouting.RuleSets
{
    /// <summary>Small graph helpers over id → successor-id lists.</summary>
    internal static class Graphs
    {
        /// <summary>
        /// Each elementary cycle found by depth-first search, as a path whose last element repeats its first.
        /// Each back edge is reported once; iteration follows <paramref name="order"/> so results are stable.
        /// </summary>
        public static IReadOnlyList<IReadOnlyList<string>> FindCycles(IReadOnlyDictionary<string, IReadOnlyList<string>> edges, IEnumerable<string> order)
        {
            var cycles = new List<IReadOnlyList<string>>();
            var state = new Dictionary<string, int>();
            var path = new List<string>();

            foreach (var start in order)
            {
                Visit(start);
            }

            return cycles;

            void Visit(string node)
            {
                state.TryGetValue(node, out var s);
                if (s == 2)
                {
                    return;
                }

                if (s == 1)
                {
                    var from = path.IndexOf(node);
                    cycles.Add(path.Skip(from).Concat(new[] { node }).ToList());
                    return;
                }

                state[node] = 1;
                path.Add(node);
                if (edges.TryGetValue(node, out var next))
                {
                    foreach (var n in next)
                    {
                        Visit(n);
                    }
                }

                path.RemoveAt(path.Count - 1);
                state[node] = 2;
            }
        }

        /// <summary>For each node, every node reachable from it (not itself unless on a cycle).</summary>
        public static IReadOnlyDictionary<string, HashSet<string>> Reachability(IReadOnlyDictionary<string, IReadOnlyList<string>> edges)
        {
            var result = new Dictionary<string, HashSet<string>>();
            foreach (var node in edges.Keys)
            {
                var seen = new HashSet<string>();
                var stack = new Stack<string>(edges[node]);
                while (stack.Count > 0)
                {
                    var n = stack.Pop();
                    if (seen.Add(n) && edges.TryGetValue(n, out var next))
                    {
                        foreach (var m in next)
                        {
                            stack.Push(m);
                        }
                    }
                }

                result[node] = seen;
            }

            return result;
        }
    }
}
