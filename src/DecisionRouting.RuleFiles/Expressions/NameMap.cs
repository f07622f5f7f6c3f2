using System;
using System.Collections.Generic;
using System.Linq;

namespace DecisionRouting.Expressions
{
    /// <summary>
    /// An immutable map from names (compared ordinally) to values, where adding a name makes a new map sharing almost
    /// all of the old one: a hash trie, 16 ways per level, so adding or finding a name costs at most eight small steps
    /// whatever the map holds.
    /// </summary>
    /// <remarks>
    /// Expression scopes grow one parameter at a time, and every rule's LocalParams branch off its workflow's
    /// GlobalParams. Copying a dictionary per parameter made a chain of n parameters cost n² (20,000 chained
    /// GlobalParams ran out of memory in <c>validate</c>); sharing structure keeps each step constant. netstandard2.0
    /// without packages (the analyzer loads this assembly), so no System.Collections.Immutable.
    /// </remarks>
    internal sealed class NameMap<TValue>
    {
        private const int Bits = 4;
        private const int Mask = (1 << Bits) - 1;

        /// <summary>The map with no names.</summary>
        public static readonly NameMap<TValue> Empty = new(null, 0, 0);

        private readonly object?[]? _root;

        private readonly int _next;

        private NameMap(object?[]? root, int count, int next)
        {
            _root = root;
            Count = count;
            _next = next;
        }

        /// <summary>How many names the map holds.</summary>
        public int Count { get; }

        /// <summary>The value of <paramref name="name"/>, when the map holds it.</summary>
        public bool TryGetValue(string name, out TValue value)
        {
            var hash = Hash(name);
            var node = _root;
            for (var shift = 0; node is not null; shift += Bits)
            {
                switch (node[(hash >> shift) & Mask])
                {
                    case object?[] child:
                        node = child;
                        continue;
                    case Leaf leaf:
                        for (var l = leaf; l is not null; l = l.Next)
                        {
                            if (l.Hash == hash && string.Equals(l.Name, name, StringComparison.Ordinal))
                            {
                                value = l.Value;
                                return true;
                            }
                        }

                        break;
                }

                break;
            }

            value = default!;
            return false;
        }

        /// <summary>Whether the map holds <paramref name="name"/>.</summary>
        public bool ContainsKey(string name) => TryGetValue(name, out _);

        /// <summary>A map that also holds <paramref name="name"/> as <paramref name="value"/>, replacing any value it had; this map is unchanged.</summary>
        public NameMap<TValue> SetItem(string name, TValue value)
        {
            var order = _next;
            var root = Set(_root ?? new object?[1 << Bits], Hash(name), 0, name, value, ref order);
            var added = order == _next;
            return new NameMap<TValue>(root, added ? Count + 1 : Count, added ? _next + 1 : _next);
        }

        /// <summary>
        /// The names, in the order they were first added (as a dictionary lists them). Walks the whole map: for
        /// messages, such as suggestions for a misspelt name, not for lookups.
        /// </summary>
        public IReadOnlyList<string> Keys
        {
            get
            {
                var leaves = new List<Leaf>(Count);
                var pending = new Stack<object?[]>();
                if (_root is not null)
                {
                    pending.Push(_root);
                }

                while (pending.Count > 0)
                {
                    foreach (var slot in pending.Pop())
                    {
                        if (slot is object?[] child)
                        {
                            pending.Push(child);
                        }

                        for (var leaf = slot as Leaf; leaf is not null; leaf = leaf.Next)
                        {
                            leaves.Add(leaf);
                        }
                    }
                }

                return leaves.OrderBy(l => l.Order).Select(l => l.Name).ToList();
            }
        }

        // order: in, the order a new name gets; out, the order of the name it replaces, if any (which it keeps).
        private static object?[] Set(object?[] node, int hash, int shift, string name, TValue value, ref int order)
        {
            var copy = (object?[])node.Clone();
            var slot = (hash >> shift) & Mask;
            switch (node[slot])
            {
                case null:
                    copy[slot] = new Leaf(hash, name, value, order, null);
                    break;
                case object?[] child:
                    copy[slot] = Set(child, hash, shift + Bits, name, value, ref order);
                    break;
                case Leaf leaf when leaf.Hash == hash || shift + Bits >= 32:
                    // Same hash (or no bits left): a short list, with this name replaced or put first.
                    var rest = Without(leaf, name, ref order);
                    copy[slot] = new Leaf(hash, name, value, order, rest);
                    break;
                case Leaf leaf:
                    // Two hashes share this slot: push the one already here a level down, then add beside it.
                    var below = new object?[1 << Bits];
                    below[(leaf.Hash >> (shift + Bits)) & Mask] = leaf;
                    copy[slot] = Set(below, hash, shift + Bits, name, value, ref order);
                    break;
            }

            return copy;
        }

        private static Leaf? Without(Leaf? leaf, string name, ref int order)
        {
            if (leaf is null)
            {
                return null;
            }

            if (string.Equals(leaf.Name, name, StringComparison.Ordinal))
            {
                order = leaf.Order;
                return leaf.Next;
            }

            var rest = Without(leaf.Next, name, ref order);
            return ReferenceEquals(rest, leaf.Next) ? leaf : new Leaf(leaf.Hash, leaf.Name, leaf.Value, leaf.Order, rest);
        }

        // Ordinal and stable within the process; Keys lists names by when they were added, so the hash order never reaches output.
        private static int Hash(string name) => StringComparer.Ordinal.GetHashCode(name);

        private sealed class Leaf
        {
            public Leaf(int hash, string name, TValue value, int order, Leaf? next)
            {
                Hash = hash;
                Name = name;
                Value = value;
                Order = order;
                Next = next;
            }

            public int Order { get; }

            public int Hash { get; }

            public string Name { get; }

            public TValue Value { get; }

            public Leaf? Next { get; }
        }
    }
}
