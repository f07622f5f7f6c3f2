using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;

namespace DecisionRouting.Expressions
{
    /// <summary>
    /// An immutable map from names (compared ordinally) to values, where adding a name makes a new map sharing almost
    /// all of the old one (<see cref="ImmutableDictionary{TKey, TValue}"/>), and which lists its names in the order
    /// they were first added.
    /// </summary>
    /// <remarks>
    /// Expression scopes grow one parameter at a time, and every rule's LocalParams branch off its workflow's
    /// GlobalParams. Copying a dictionary per parameter made a chain of n parameters cost n² (20,000 chained
    /// GlobalParams ran out of memory in <c>validate</c>); sharing structure keeps each step logarithmic.
    /// <para>
    /// The order matters and <see cref="ImmutableDictionary{TKey, TValue}"/> does not keep it (it lists by hash):
    /// a scope lists its parameters inputs first then as defined, which fixes the order of the values the compiled
    /// evaluator passes to shared code, and the order "did you mean" suggestions are weighed in. So each name carries
    /// the order it was added in, and <see cref="Keys"/> sorts by it.
    /// </para>
    /// <para>
    /// This assembly also loads inside the compiler, for the analyzer, where System.Collections.Immutable is the
    /// compiler's own (Roslyn is built on it): the package is referenced at the version Roslyn 4.14 (the lowest the
    /// analyzer supports) requires, for compiling only, and is never shipped beside the analyzer; the library and the
    /// CLI get the one in .NET.
    /// </para>
    /// </remarks>
    internal sealed class NameMap<TValue>
    {
        /// <summary>The map with no names.</summary>
        public static readonly NameMap<TValue> Empty = new(ImmutableDictionary.Create<string, Entry>(StringComparer.Ordinal), 0);

        private readonly ImmutableDictionary<string, Entry> _entries;

        private readonly int _next;

        private NameMap(ImmutableDictionary<string, Entry> entries, int next)
        {
            _entries = entries;
            _next = next;
        }

        /// <summary>How many names the map holds.</summary>
        public int Count => _entries.Count;

        /// <summary>The value of <paramref name="name"/>, when the map holds it.</summary>
        public bool TryGetValue(string name, out TValue value)
        {
            if (_entries.TryGetValue(name, out var entry))
            {
                value = entry.Value;
                return true;
            }

            value = default!;
            return false;
        }

        /// <summary>Whether the map holds <paramref name="name"/>.</summary>
        public bool ContainsKey(string name) => _entries.ContainsKey(name);

        /// <summary>A map that also holds <paramref name="name"/> as <paramref name="value"/>, replacing any value it had (the name keeps its place); this map is unchanged.</summary>
        public NameMap<TValue> SetItem(string name, TValue value) =>
            _entries.TryGetValue(name, out var known)
                ? new NameMap<TValue>(_entries.SetItem(name, new Entry(value, known.Order)), _next)
                : new NameMap<TValue>(_entries.Add(name, new Entry(value, _next)), _next + 1);

        /// <summary>
        /// The names, in the order they were first added (as a dictionary lists them). Sorts the whole map: for
        /// messages, such as suggestions for a misspelt name, not for lookups.
        /// </summary>
        public IReadOnlyList<string> Keys => _entries.OrderBy(e => e.Value.Order).Select(e => e.Key).ToList();

        // A class, not a struct: ImmutableDictionary over a reference type is the framework's shared code, which its
        // ReadyToRun image holds; over a struct of ours it was about 90 methods the JIT compiled on every cold load.
        private sealed class Entry
        {
            public Entry(TValue value, int order)
            {
                Value = value;
                Order = order;
            }

            public TValue Value { get; }

            public int Order { get; }
        }
    }
}
