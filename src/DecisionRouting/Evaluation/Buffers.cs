using System;

namespace DecisionRouting.Evaluation
{
    /// <summary>
    /// Per-thread result arrays for the compiled evaluator, so routing allocates nothing to evaluate rules. A router is
    /// shared across threads; each thread reuses its own pair.
    /// </summary>
    internal static class Buffers
    {
        [ThreadStatic]
        private static Results? _cached;

        public static Results Rent(int size)
        {
            var results = _cached;
            _cached = null;
            return results is not null && results.Matched.Length >= size ? results : new Results(new bool[size], new string?[size]);
        }

        public static void Return(Results results) => Return(results, errorsWritten: true);

        /// <summary>
        /// Hands the arrays back for the thread's next call; <paramref name="errorsWritten"/> false (no compiled delegate
        /// ran, so nothing wrote an error) skips clearing errors that are all still null.
        /// </summary>
        public static void Return(Results results, bool errorsWritten)
        {
            // Errors are rare; clear them so the next proposal does not inherit one.
            if (errorsWritten)
            {
                Array.Clear(results.Errors);
            }

            _cached = results;
        }

        public sealed record Results(bool[] Matched, string?[] Errors);
    }
}
