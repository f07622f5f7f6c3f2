using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Runtime.CompilerServices;
using System.Threading;
using DecisionRouting.RuleSets;

namespace DecisionRouting.Routing
{
    /// <summary>
    /// The part of a plan that depends only on which steps are required, never on the proposal: the required steps in
    /// plan order, each with its body, role, stage and direct predecessors. Immutable and shared between plans (and
    /// threads); a plan adds only what is its own (the rules that require each step, dates, warnings).
    /// </summary>
    internal sealed class StepLayout
    {
        public StepLayout(Step[] steps, Body?[] bodies, Role?[] roles, int[] stages, IReadOnlyList<string>[] after, int[] positionOf)
        {
            Steps = steps;
            Bodies = bodies;
            Roles = roles;
            Stages = stages;
            After = after;
            PositionOf = positionOf;
        }

        /// <summary>The required steps, ordered by stage and then catalogue order.</summary>
        public Step[] Steps { get; }

        /// <summary>Each step's body, by position in <see cref="Steps"/>.</summary>
        public Body?[] Bodies { get; }

        /// <summary>Each step's role, by position in <see cref="Steps"/>.</summary>
        public Role?[] Roles { get; }

        /// <summary>Each step's stage, from 1, by position in <see cref="Steps"/>.</summary>
        public int[] Stages { get; }

        /// <summary>Each step's direct required predecessors (read-only: shared by every plan with this layout).</summary>
        public IReadOnlyList<string>[] After { get; }

        /// <summary>For each catalogue index, the step's position in <see cref="Steps"/>, or -1 when it is not required.</summary>
        public int[] PositionOf { get; }
    }

    /// <summary>
    /// Per rule set: the catalogue's steps numbered in catalogue order, and a bounded, thread-safe memo of
    /// <see cref="StepLayout"/>s by the set of required steps. Ordering and staging the steps (a walk of the catalogue's
    /// orderings) is the same work for every proposal that requires the same steps, and a register has few such sets.
    /// </summary>
    /// <remarks>
    /// The key is the set of required steps alone and the value is a pure function of it and of the rule set, so a
    /// memoised layout can never carry one proposal's data into another's plan. When the memo holds
    /// <see cref="MaxLayouts"/> sets it is emptied and starts again: a register with more distinct sets than that
    /// costs the walk it cost before, never unbounded memory.
    /// </remarks>
    internal sealed class StepLayouts
    {
        /// <summary>How many distinct sets of required steps one rule set memoises at most.</summary>
        internal const int MaxLayouts = 1024;

        /// <summary>
        /// How many cells (catalogue entries plus required steps) the memo of one rule set holds at most: on a
        /// 10,000-step catalogue each layout is tens of kilobytes, so there the bound on size bites before the count.
        /// </summary>
        internal const long MaxCells = 4_000_000;

        private static readonly ConditionalWeakTable<RuleSet, StepLayouts> ByRuleSet = new();

        [ThreadStatic]
        private static ulong[]? _threadScratch;

        private readonly RuleSet _ruleSet;
        private readonly Dictionary<string, int> _index;
        private readonly string[] _ids;
        private readonly int _words;
        private readonly ConcurrentDictionary<ulong[], StepLayout> _layouts = new(BitsComparer.Instance);
        private int _count;
        private long _cells;

        // What the step indices kept on matched rules (IndicesOf) are valid for: this rule set's catalogue, until Clear.
        private object _epoch = new();

        private StepLayouts(RuleSet ruleSet)
        {
            _ruleSet = ruleSet;
            _index = new Dictionary<string, int>(ruleSet.Steps.Count, StringComparer.Ordinal);
            _ids = new string[ruleSet.Steps.Count];
            foreach (var id in ruleSet.Steps.Keys)
            {
                _ids[_index.Count] = id;
                _index.Add(id, _index.Count);
            }

            _words = Math.Max(1, (_ids.Length + 63) / 64);
        }

        /// <summary>The layouts of <paramref name="ruleSet"/>, made on first use and kept while the rule set lives.</summary>
        public static StepLayouts For(RuleSet ruleSet) => ByRuleSet.GetValue(ruleSet, static r => new StepLayouts(r));

        /// <summary>The number of steps in the catalogue.</summary>
        public int CatalogueCount => _ids.Length;

        /// <summary>The catalogue index of a step id, or -1 when the catalogue has no such step.</summary>
        public int IndexOf(string id) => _index.TryGetValue(id, out var i) ? i : -1;

        /// <summary>
        /// The catalogue indices of the steps <paramref name="rule"/> requires, in its order, leaving out any the
        /// catalogue lacks: kept on the rule (<see cref="MatchedRule.CachedStepIndices"/>) for the next route, and
        /// worked out again when the rule was last numbered by another rule set or its step list is not the one numbered.
        /// </summary>
        public int[] IndicesOf(MatchedRule rule)
        {
            var steps = rule.Steps;
            var epoch = Volatile.Read(ref _epoch);
            if (rule.CachedStepIndices is { } cached && ReferenceEquals(cached.Owner, epoch) && ReferenceEquals(cached.Steps, steps))
            {
                return cached.Indices;
            }

            // -1 for a step not in the catalogue, which ordering ignores.
            var known = 0;
            for (var s = 0; s < steps.Count; s++)
            {
                known += IndexOf(steps[s]) >= 0 ? 1 : 0;
            }

            var computed = known == 0 ? Array.Empty<int>() : new int[known];
            for (int s = 0, at = 0; s < steps.Count; s++)
            {
                if (IndexOf(steps[s]) is var index and >= 0)
                {
                    computed[at++] = index;
                }
            }

            rule.CachedStepIndices = new StepIndices(epoch, steps, computed);
            return computed;
        }

        /// <summary>
        /// The layout for the steps whose catalogue indices are set in <paramref name="required"/> (one bit per
        /// catalogue step, in a thread-local buffer from <see cref="Scratch"/>), memoised.
        /// </summary>
        public StepLayout Get(ulong[] required)
        {
            if (_layouts.TryGetValue(required, out var layout))
            {
                return layout;
            }

            var key = required.AsSpan(0, _words).ToArray();
            layout = Build(key);
            var cells = Cells(layout);
            if (Interlocked.Increment(ref _count) > MaxLayouts || Interlocked.Add(ref _cells, cells) > MaxCells)
            {
                // Bounded: start again rather than grow. Racing threads may each clear; every entry stays correct.
                _layouts.Clear();
                Interlocked.Exchange(ref _count, 1);
                Interlocked.Exchange(ref _cells, cells);
            }

            return _layouts.GetOrAdd(key, layout);
        }

        /// <summary>How many layouts are memoised now (for tests of the bound).</summary>
        internal int Count => _layouts.Count;

        /// <summary>The size of a layout in cells, counted against <see cref="MaxCells"/>.</summary>
        internal static long Cells(StepLayout layout) => layout.PositionOf.Length + (4L * layout.Steps.Length);

        /// <summary>How many cells the memo holds now (for tests of the bound).</summary>
        internal long CellCount => Interlocked.Read(ref _cells);

        /// <summary>
        /// Forgets every memoised layout and every step index kept on a matched rule (for tests comparing plans routed
        /// with and without the memos).
        /// </summary>
        internal void Clear()
        {
            Volatile.Write(ref _epoch, new object());
            _layouts.Clear();
            Interlocked.Exchange(ref _count, 0);
            Interlocked.Exchange(ref _cells, 0);
        }

        /// <summary>The layout for <paramref name="required"/> built from nothing, bypassing the memo (for tests).</summary>
        internal static StepLayout BuildUncached(RuleSet ruleSet, ulong[] required) =>
            For(ruleSet).Build(required.AsSpan(0, For(ruleSet)._words).ToArray());

        /// <summary>A cleared bit set over the catalogue, owned by the calling thread until its next call.</summary>
        public ulong[] Scratch()
        {
            var bits = _threadScratch;
            if (bits is null || bits.Length < _words)
            {
                _threadScratch = bits = new ulong[Math.Max(_words, 4)];
            }
            else
            {
                Array.Clear(bits);
            }

            return bits;
        }

        private StepLayout Build(ulong[] required)
        {
            // Catalogue order keeps the output stable and in the order governance officers wrote it.
            var ids = new List<string>();
            for (var w = 0; w < required.Length; w++)
            {
                for (var bits = required[w]; bits != 0; bits &= bits - 1)
                {
                    ids.Add(_ids[(w << 6) + System.Numerics.BitOperations.TrailingZeroCount(bits)]);
                }
            }

            var position = new Dictionary<string, int>(ids.Count, StringComparer.Ordinal);
            for (var i = 0; i < ids.Count; i++)
            {
                position[ids[i]] = i;
            }

            var (stages, after) = StepOrdering.Reduce(ids, _ruleSet.Definition.Predecessors, position);
            var ordered = ids.ToArray();
            Array.Sort(ordered, (a, b) => stages[a] != stages[b] ? stages[a].CompareTo(stages[b]) : position[a].CompareTo(position[b]));

            var catalogue = _ruleSet.Steps;
            var steps = new Step[ordered.Length];
            var bodies = new Body?[ordered.Length];
            var roles = new Role?[ordered.Length];
            var stageOf = new int[ordered.Length];
            var direct = new IReadOnlyList<string>[ordered.Length];
            var positionOf = new int[_ids.Length];
            Array.Fill(positionOf, -1);
            for (var i = 0; i < ordered.Length; i++)
            {
                var id = ordered[i];
                var step = catalogue[id];
                steps[i] = step;
                bodies[i] = step.Body is null ? null : _ruleSet.Bodies[step.Body];
                roles[i] = step.Role is null ? null : _ruleSet.Roles[step.Role];
                stageOf[i] = stages[id];
                var before = after[id].ToArray();
                Array.Sort(before, (a, b) => stages[a] != stages[b] ? stages[a].CompareTo(stages[b]) : position[a].CompareTo(position[b]));
                direct[i] = before.Length == 0 ? Array.Empty<string>() : new ReadOnlyCollection<string>(before);
                positionOf[_index[id]] = i;
            }

            return new StepLayout(steps, bodies, roles, stageOf, direct, positionOf);
        }

        /// <summary>Bit sets equal when their set bits are: a longer buffer's trailing zero words do not count.</summary>
        private sealed class BitsComparer : IEqualityComparer<ulong[]>
        {
            public static readonly BitsComparer Instance = new();

            public bool Equals(ulong[]? x, ulong[]? y)
            {
                if (x is null || y is null)
                {
                    return ReferenceEquals(x, y);
                }

                var common = Math.Min(x.Length, y.Length);
                return x.AsSpan(0, common).SequenceEqual(y.AsSpan(0, common))
                    && !x.AsSpan(common).ContainsAnyExcept(0UL)
                    && !y.AsSpan(common).ContainsAnyExcept(0UL);
            }

            public int GetHashCode(ulong[] obj)
            {
                var last = obj.AsSpan().LastIndexOfAnyExcept(0UL);
                var hash = default(HashCode);
                for (var i = 0; i <= last; i++)
                {
                    hash.Add(obj[i]);
                }

                return hash.ToHashCode();
            }
        }
    }
}
