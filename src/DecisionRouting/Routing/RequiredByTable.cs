using System;
using System.Collections.Generic;
using System.Threading;

namespace DecisionRouting.Routing
{
    /// <summary>
    /// A plan's <see cref="PlannedStep.RequiredBy"/> lists, one per step, worked out together the first time any is
    /// read: one pass over the matched rules' step references (linear, whatever the number of steps). The plan's
    /// matched rules and the layout's steps are never changed after routing, so the lists are the same whenever they
    /// are built, and a plan stays an immutable snapshot. Two threads reading at once may both build them; either serves.
    /// </summary>
    internal sealed class RequiredByTable
    {
        private readonly IReadOnlyList<MatchedRule> _matched;
        private readonly Step[] _steps;
        private MatchedRule[][]? _lists;

        /// <summary>The table for <paramref name="matched"/> (the plan's matched rules) over <paramref name="steps"/> (the plan's steps, in order).</summary>
        public RequiredByTable(IReadOnlyList<MatchedRule> matched, Step[] steps)
        {
            _matched = matched;
            _steps = steps;
        }

        /// <summary>The matched rules requiring step <paramref name="position"/>, in matched order (a rule listing the step twice is listed twice).</summary>
        public IReadOnlyList<MatchedRule> For(int position)
        {
            var lists = Volatile.Read(ref _lists);
            if (lists is null)
            {
                lists = Build();
                Volatile.Write(ref _lists, lists);
            }

            return lists[position];
        }

        private MatchedRule[][] Build()
        {
            var position = new Dictionary<string, int>(_steps.Length, StringComparer.Ordinal);
            for (var i = 0; i < _steps.Length; i++)
            {
                position[_steps[i].Id] = i;
            }

            // A step a rule names that is not in the plan is not in the catalogue (every catalogue step a matched rule
            // names is required): it is ignored, as ordering ignores it.
            var counts = new int[_steps.Length];
            ForEachReference((at, _) => counts[at]++);
            var lists = new MatchedRule[_steps.Length][];
            for (var i = 0; i < lists.Length; i++)
            {
                lists[i] = counts[i] == 0 ? Array.Empty<MatchedRule>() : new MatchedRule[counts[i]];
                counts[i] = 0;
            }

            ForEachReference((at, rule) => lists[at][counts[at]++] = rule);
            return lists;

            void ForEachReference(Action<int, MatchedRule> visit)
            {
                for (var r = 0; r < _matched.Count; r++)
                {
                    var rule = _matched[r];
                    for (var s = 0; s < rule.Steps.Count; s++)
                    {
                        if (position.TryGetValue(rule.Steps[s], out var at))
                        {
                            visit(at, rule);
                        }
                    }
                }
            }
        }
    }
}
