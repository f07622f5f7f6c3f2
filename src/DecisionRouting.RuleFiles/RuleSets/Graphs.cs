using System;
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

        /// <summary>
        /// For each node, every node reachable from it (not itself unless on a cycle), as one bit set per node. Dense
        /// orderings (thousands of steps, each after a whole layer of others) would make a search from every node cost
        /// steps × edges; joining the successors' sets in post-order costs edges × steps / 64 instead.
        /// </summary>
        public static Reach Reachability(IReadOnlyDictionary<string, IReadOnlyList<string>> edges)
        {
            var index = new Dictionary<string, int>(StringComparer.Ordinal);
            void Add(string node)
            {
                if (!index.ContainsKey(node))
                {
                    index.Add(node, index.Count);
                }
            }

            foreach (var pair in edges)
            {
                Add(pair.Key);
                foreach (var n in pair.Value)
                {
                    Add(n);
                }
            }

            var successors = new int[index.Count][];
            foreach (var pair in index)
            {
                successors[pair.Value] = edges.TryGetValue(pair.Key, out var next) ? next.Select(n => index[n]).Distinct().ToArray() : new int[0];
            }

            var words = (index.Count + 63) / 64;
            var bits = new ulong[index.Count][];
            for (var i = 0; i < bits.Length; i++)
            {
                bits[i] = new ulong[words];
            }

            // Post-order first, so on an acyclic graph one pass is exact; a cycle needs further passes until nothing
            // changes, each at most as costly as the first (cycles are reported as errors elsewhere anyway).
            var order = PostOrder(successors);
            bool changed;
            do
            {
                changed = false;
                foreach (var i in order)
                {
                    var row = bits[i];
                    foreach (var j in successors[i])
                    {
                        var other = bits[j];
                        var before = row[j >> 6];
                        row[j >> 6] |= 1UL << (j & 63);
                        changed |= row[j >> 6] != before;
                        for (var w = 0; w < words; w++)
                        {
                            var merged = row[w] | other[w];
                            changed |= merged != row[w];
                            row[w] = merged;
                        }
                    }
                }
            }
            while (changed && order.Count > 0 && HasCycle(successors));

            return new Reach(index, bits);
        }

        private static List<int> PostOrder(int[][] successors)
        {
            var order = new List<int>(successors.Length);
            var state = new byte[successors.Length];
            var stack = new Stack<(int Node, int Next)>();
            for (var root = 0; root < successors.Length; root++)
            {
                if (state[root] != 0)
                {
                    continue;
                }

                stack.Push((root, 0));
                state[root] = 1;
                while (stack.Count > 0)
                {
                    var (node, next) = stack.Pop();
                    if (next < successors[node].Length)
                    {
                        stack.Push((node, next + 1));
                        var child = successors[node][next];
                        if (state[child] == 0)
                        {
                            state[child] = 1;
                            stack.Push((child, 0));
                        }
                    }
                    else
                    {
                        state[node] = 2;
                        order.Add(node);
                    }
                }
            }

            return order;
        }

        private static bool HasCycle(int[][] successors)
        {
            var incoming = new int[successors.Length];
            foreach (var next in successors)
            {
                foreach (var n in next)
                {
                    incoming[n]++;
                }
            }

            var ready = new Queue<int>(Enumerable.Range(0, successors.Length).Where(i => incoming[i] == 0));
            var seen = 0;
            while (ready.Count > 0)
            {
                var node = ready.Dequeue();
                seen++;
                foreach (var n in successors[node])
                {
                    if (--incoming[n] == 0)
                    {
                        ready.Enqueue(n);
                    }
                }
            }

            return seen < successors.Length;
        }

        /// <summary>What <see cref="Reachability"/> found: whether one node reaches another.</summary>
        public sealed class Reach
        {
            private readonly Dictionary<string, int> _index;
            private readonly ulong[][] _bits;

            internal Reach(Dictionary<string, int> index, ulong[][] bits)
            {
                _index = index;
                _bits = bits;
            }

            /// <summary>True when <paramref name="to"/> is reachable from <paramref name="from"/> by one or more edges.</summary>
            public bool Reaches(string from, string to) =>
                _index.TryGetValue(from, out var i) && _index.TryGetValue(to, out var j) && (_bits[i][j >> 6] & (1UL << (j & 63))) != 0;
        }
    }
}
