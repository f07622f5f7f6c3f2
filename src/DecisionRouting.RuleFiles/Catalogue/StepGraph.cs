using System;
using System.Collections.Generic;
using System.Linq;

namespace DecisionRouting
{
    /// <summary>
    /// The one home of graph questions over steps (and over workflows that inject each other): ancestors,
    /// descendants, cycles and reachability, over a map from each node to the nodes directly before it (a step's
    /// <c>after</c>, as merged into <c>RuleSetDefinition.Predecessors</c>, or a plan step's <c>After</c>).
    /// </summary>
    /// <remarks>
    /// Every answer is in a stable order: nodes in the order the graph was given them (catalogue or plan order), then
    /// nodes only referenced, in the order first referenced. Immutable once built and safe to share between threads;
    /// the successor map is built on first use.
    /// </remarks>
    internal sealed partial class StepGraph
    {
        /// <summary>
        /// Each elementary cycle found by depth-first search from the nodes in their order, following edges to
        /// predecessors, as a path whose last element repeats its first. Each back edge is reported once.
        /// </summary>
        /// <remarks>
        /// Iterative with an explicit stack: a recursive search used one frame per step of an <c>after</c> chain,
        /// and a long enough chain overflowed the stack, which no catch can handle (it ends the compiler or the
        /// process), before the bound on steps (<c>RuleSetBounds.MaxSteps</c>) was checked.
        /// </remarks>
        public IReadOnlyList<IReadOnlyList<string>> FindCycles()
        {
            const int onPath = 1, done = 2;
            var cycles = new List<IReadOnlyList<string>>();
            var state = new Dictionary<string, int>(StringComparer.Ordinal);
            var path = new List<string>();
            var stack = new Stack<(string Node, int Next)>();

            foreach (var start in _order)
            {
                if (state.ContainsKey(start))
                {
                    continue;
                }

                state[start] = onPath;
                path.Add(start);
                stack.Push((start, 0));
                while (stack.Count > 0)
                {
                    var (node, next) = stack.Pop();
                    var before = Before(node);
                    if (next == before.Count)
                    {
                        path.RemoveAt(path.Count - 1);
                        state[node] = done;
                        continue;
                    }

                    stack.Push((node, next + 1));
                    var n = before[next];
                    state.TryGetValue(n, out var s);
                    if (s == onPath)
                    {
                        cycles.Add(path.Skip(path.IndexOf(n)).Concat(new[] { n }).ToList());
                    }
                    else if (s != done)
                    {
                        state[n] = onPath;
                        path.Add(n);
                        stack.Push((n, 0));
                    }
                }
            }

            return cycles;
        }

        /// <summary>
        /// For each node, every node reachable from it by following edges to predecessors (not itself unless on a
        /// cycle), as one bit set per node. Dense
        /// orderings (thousands of steps, each after a whole layer of others) would make a search from every node cost
        /// steps × edges; joining the successors' sets in post-order costs edges × steps / 64 instead.
        /// </summary>
        public Reach Reachability()
        {
            var edges = _before;
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
                successors[pair.Value] = edges.TryGetValue(pair.Key, out var next) ? next.Select(n => index[n]).Distinct().ToArray() : Array.Empty<int>();
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
            private string[]? _names;

            internal Reach(Dictionary<string, int> index, ulong[][] bits)
            {
                _index = index;
                _bits = bits;
            }

            /// <summary>
            /// Every node reachable from <paramref name="from"/> by one or more edges, read from its bit row: as costly
            /// as the row, not as asking <see cref="Reaches"/> of every node.
            /// </summary>
            public IEnumerable<string> ReachedFrom(string from)
            {
                if (!_index.TryGetValue(from, out var i))
                {
                    yield break;
                }

                _names ??= _index.OrderBy(p => p.Value).Select(p => p.Key).ToArray();
                var row = _bits[i];
                for (var w = 0; w < row.Length; w++)
                {
                    for (var word = row[w]; word != 0; word &= word - 1)
                    {
                        var bit = 0;
                        while (((word >> bit) & 1UL) == 0)
                        {
                            bit++;
                        }

                        yield return _names[(w << 6) + bit];
                    }
                }
            }

            /// <summary>True when <paramref name="to"/> is reachable from <paramref name="from"/> by one or more edges.</summary>
            public bool Reaches(string from, string to) =>
                _index.TryGetValue(from, out var i) && _index.TryGetValue(to, out var j) && (_bits[i][j >> 6] & (1UL << (j & 63))) != 0;
        }
    }
}
