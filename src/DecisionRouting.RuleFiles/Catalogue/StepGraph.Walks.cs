using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;

namespace DecisionRouting
{
    /// <summary>Building a <see cref="StepGraph"/>, and walking it: ancestors, descendants, predecessors first.</summary>
    internal sealed partial class StepGraph
    {
        private static readonly IReadOnlyList<string> None = Array.Empty<string>();

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
    }
}
