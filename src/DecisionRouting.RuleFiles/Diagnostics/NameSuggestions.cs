using System;
using System.Collections.Generic;

namespace DecisionRouting.Diagnostics
{
    /// <summary>Finds the known name an unknown one was probably meant to be, for "did you mean …" messages and code fixes.</summary>
    internal static class NameSuggestions
    {
        /// <summary>
        /// The edit-distance cells one reading of a rule set may spend on suggestions. Each suggestion compares the
        /// unknown name with every candidate, so 9,000 steps each naming a misspelt predecessor made 81 million
        /// comparisons and validating took more than five minutes. Past the budget the diagnostics are still
        /// reported, without "did you mean". About a tenth of a second; real rule sets use a fraction of it.
        /// </summary>
        public const long ReadingBudget = 20_000_000;

        [ThreadStatic]
        private static long? _cellsLeft;

        /// <summary>
        /// Limits the suggestions made on this thread until the result is disposed to <paramref name="cells"/>
        /// edit-distance cells (see <see cref="ReadingBudget"/>); outside any such scope there is no limit.
        /// </summary>
        public static IDisposable Budget(long cells)
        {
            var previous = _cellsLeft;
            _cellsLeft = cells;
            return new Restore(previous);
        }

        /// <summary>The closest candidate to <paramref name="name"/>, or null when none is close enough to be a typo (or the budget is spent).</summary>
        public static string? Closest(string name, IEnumerable<string> candidates)
        {
            // A third of the length, at least two edits: catches transpositions and slips without offering
            // unrelated names.
            var limit = Math.Max(2, name.Length / 3);
            var lower = name.ToLowerInvariant();
            string? best = null;
            var bestDistance = int.MaxValue;
            foreach (var candidate in candidates)
            {
                if (string.Equals(candidate, name, StringComparison.OrdinalIgnoreCase))
                {
                    return candidate;
                }

                // Lengths differing by more than the limit (or the best so far) cannot be closer: skip them uncomputed.
                if (Math.Abs(candidate.Length - name.Length) > Math.Min(limit, bestDistance))
                {
                    continue;
                }

                if (_cellsLeft is { } left)
                {
                    var cells = (long)(name.Length + 1) * (candidate.Length + 1);
                    if (cells > left)
                    {
                        _cellsLeft = 0;
                        return null;
                    }

                    _cellsLeft = left - cells;
                }

                var distance = Distance(lower, candidate.ToLowerInvariant());
                if (distance < bestDistance)
                {
                    bestDistance = distance;
                    best = candidate;
                }
            }

            return bestDistance <= limit ? best : null;
        }

        /// <summary>"; did you mean 'x'?" or an empty string, ready to append to a message.</summary>
        public static string DidYouMean(string name, IEnumerable<string> candidates)
        {
            var closest = Closest(name, candidates);
            return closest is null ? string.Empty : $"; did you mean '{closest}'?";
        }

        /// <summary>Optimal string alignment distance (Levenshtein plus adjacent transpositions).</summary>
        internal static int Distance(string a, string b)
        {
            var d = new int[a.Length + 1, b.Length + 1];
            for (var i = 0; i <= a.Length; i++)
            {
                d[i, 0] = i;
            }

            for (var j = 0; j <= b.Length; j++)
            {
                d[0, j] = j;
            }

            for (var i = 1; i <= a.Length; i++)
            {
                for (var j = 1; j <= b.Length; j++)
                {
                    var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                    d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                    if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                    {
                        d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                    }
                }
            }

            return d[a.Length, b.Length];
        }

        private sealed class Restore : IDisposable
        {
            private readonly long? _previous;

            public Restore(long? previous) => _previous = previous;

            public void Dispose() => _cellsLeft = _previous;
        }
    }
}
