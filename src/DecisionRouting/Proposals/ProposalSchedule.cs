using System.Collections;
using System.Collections.Generic;

namespace DecisionRouting.Proposals
{
    /// <summary>
    /// The dates a proposal gives for its steps, by step id. Read like any dictionary, except that asking for a step
    /// the proposal gives no dates for throws <see cref="ProposalValueMissingException"/> rather than
    /// <see cref="KeyNotFoundException"/>: a rule that reads <c>proposal.Schedule["consultation"]</c> for a proposal
    /// without it is undecided, not an error and not a non-match. Use <c>ContainsKey</c> to test for it.
    /// </summary>
    internal sealed class ProposalSchedule : IReadOnlyDictionary<string, StepDates>
    {
        private readonly IReadOnlyDictionary<string, StepDates> _dates;

        public ProposalSchedule(IReadOnlyDictionary<string, StepDates> dates) =>
            _dates = dates is ProposalSchedule schedule ? schedule._dates : dates ?? throw new System.ArgumentNullException(nameof(dates));

        public static ProposalSchedule Empty { get; } = new(new Dictionary<string, StepDates>());

        public StepDates this[string key] =>
            _dates.TryGetValue(key, out var dates) ? dates : throw new ProposalValueMissingException($"schedule dates for step '{key}'");

        public IEnumerable<string> Keys => _dates.Keys;

        public IEnumerable<StepDates> Values => _dates.Values;

        public int Count => _dates.Count;

        public bool ContainsKey(string key) => _dates.ContainsKey(key);

        public bool TryGetValue(string key, out StepDates value) => _dates.TryGetValue(key, out value!);

        public IEnumerator<KeyValuePair<string, StepDates>> GetEnumerator() => _dates.GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
