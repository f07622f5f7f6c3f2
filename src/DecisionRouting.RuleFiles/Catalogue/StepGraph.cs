using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;

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
    internal sealed class StepGraph
    {
        private static readonly IReadOnlyList<string> None = new string[0];

        private readonly IReadOnlyDictionary<string, IReadOnlyList<string>> _before;
        private readonly IEnumerable<string> _order;
        private Index? _index;

        /// <summary>A graph over <paramref name="before"/>: each node's direct predecessors (edges are followed from a node to them).</summary>
        /// <param name="before">Node → the nodes directly before it. Nodes that only appear as predecessors need no entry.</param>
        /// <param name="order">The nodes in their stable order; the keys of <paramref name="before"/> in enumeration order when null.</param>
        public StepGraph(IReadOnlyDictionary<string, IReadOnlyList<string>> before, IEnumerable<string>? order = null)
        {
            _before = before ?? throw new ArgumentNullException(nameof(before));
            _order = order ?? before.Keys;
        }

        /// <summary>A graph over <paramref name="steps"/>, in their order, each directly after the ids <paramref name="after"/> gives.</summary>
        public static StepGraph Of<T>(IEnumerable<T> steps, Func<T, string> id, Func<T, IEnumerable<string>> after)
        {
            var before = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
            var order = new List<string>();
            foreach (var step in steps)
            {
                var key = id(step);
                order.Add(key);
                before[key] = after(step).ToList();
            }

            return new StepGraph(before, order);
        }

        /// <summary>The nodes directly before <paramref name="id"/> (empty for a node with none or unknown).</summary>
        public IReadOnlyList<string> Before(string id) => _before.TryGetValue(id, out var list) ? list : None;

        /// <summary>Every node before <paramref name="id"/>, directly or through others; <paramref name="id"/> itself only when on a cycle.</summary>
        public IReadOnlyList<string> Ancestors(string id) => Sorted(Walk(id, Before));

        /// <summary>Every node after <paramref name="id"/>, directly or through others; <paramref name="id"/> itself only when on a cycle.</summary>
        public IReadOnlyList<string> Descendants(string id)
        {
            var index = GetIndex();
            return Sorted(Walk(id, n => index.After.TryGetValue(n, out var list) ? (IReadOnlyList<string>)list : None));
        }

        /// <summary>
        /// <paramref name="roots"/> and every node before them, each after all its predecessors (a post-order walk
        /// backwards, roots in the order given). Iterative, so a long <c>after</c> chain cannot exhaust the stack;
        /// on a cycle a node is listed once, where it was first finished.
        /// </summary>
        public IReadOnlyList<string> AncestorsFirst(IEnumerable<string> roots)
        {
            var order = new List<string>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            var stack = new Stack<(string Id, int Next)>();
            foreach (var root in roots)
            {
                if (!seen.Add(root))
                {
                    continue;
                }

                stack.Push((root, 0));
                while (stack.Count > 0)
                {
                    var (id, next) = stack.Pop();
                    var before = Before(id);
                    if (next < before.Count)
                    {
                        stack.Push((id, next + 1));
                        if (seen.Add(before[next]))
                        {
                            stack.Push((before[next], 0));
                        }

                        continue;
                    }

                    order.Add(id);
                }
            }

            return order;
        }

        /// <summary>
        /// Each elementary cycle found by depth-first search from the nodes in their order, following edges to
        /// predecessors, as a path whose last element repeats its first. Each back edge is reported once.
        /// </summary>
        public IReadOnlyList<IReadOnlyList<string>> FindCycles()
        {
            var cycles = new List<IReadOnlyList<string>>();
            var state = new Dictionary<string, int>();
            var path = new List<string>();

            foreach (var start in _order)
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
                foreach (var n in Before(node))
                {
                    Visit(n);
                }

                path.RemoveAt(path.Count - 1);
                state[node] = 2;
            }
        }

        private static HashSet<string> Walk(string id, Func<string, IReadOnlyList<string>> next)
        {
            var found = new HashSet<string>(StringComparer.Ordinal);
            var pending = new Stack<string>(next(id));
            while (pending.Count > 0)
            {
                var current = pending.Pop();
                if (found.Add(current))
                {
                    foreach (var n in next(current))
                    {
                        pending.Push(n);
                    }
                }
            }

            return found;
        }

        private IReadOnlyList<string> Sorted(HashSet<string> found)
        {
            var index = GetIndex();
            return found.OrderBy(n => index.Position.TryGetValue(n, out var p) ? p : int.MaxValue).ThenBy(n => n, StringComparer.Ordinal).ToList();
        }

        private Index GetIndex() => LazyInitializer.EnsureInitialized(ref _index, () => new Index(_order, _before))!;

        /// <summary>Node positions (declared nodes first, then referenced ones) and the successor map, built once.</summary>
        private sealed class Index
        {
            public Index(IEnumerable<string> order, IReadOnlyDictionary<string, IReadOnlyList<string>> before)
            {
                void Add(string node)
                {
                    if (!Position.ContainsKey(node))
                    {
                        Position.Add(node, Position.Count);
                    }
                }

                var nodes = order.ToList();
                nodes.ForEach(Add);
                foreach (var node in nodes.Concat(before.Keys).ToList())
                {
                    Add(node);
                    foreach (var earlier in before.TryGetValue(node, out var list) ? list : None)
                    {
                        Add(earlier);
                        if (!After.TryGetValue(earlier, out var later))
                        {
                            After[earlier] = later = new List<string>();
                        }

                        later.Add(node);
                    }
                }
            }

            public Dictionary<string, int> Position { get; } = new(StringComparer.Ordinal);

            public Dictionary<string, List<string>> After { get; } = new(StringComparer.Ordinal);
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
