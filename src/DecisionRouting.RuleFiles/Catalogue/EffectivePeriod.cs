using NodaTime;

namespace DecisionRouting
{
    /// <summary>
    /// The period a rule or a catalogue step is in force for, written as data (<c>"effective": { "from", "until" }</c>)
    /// so officers can read and review it, and the loader can check the versions of one requirement against each other.
    /// <see cref="From"/> is the first day in force (inclusive); <see cref="Until"/> is the first day no longer in force
    /// (exclusive), so one version's <c>until</c> is the next version's <c>from</c>. Either may be left out: no
    /// <c>from</c> means in force since before any proposal, no <c>until</c> means still in force.
    /// </summary>
    /// <param name="From">The first day in force, or null for no lower bound.</param>
    /// <param name="Until">The first day no longer in force, or null for no upper bound.</param>
    /// <param name="On">
    /// For a rule: the declared date attribute whose value the period is judged against (e.g. <c>firstDismissalDate</c>),
    /// or null to judge it against the proposal's intended decision date. A proposal that does not give the attribute
    /// leaves the rule undecided. Steps are always judged against the date of the rule that requires them, so this is
    /// null on steps.
    /// </param>
    public sealed record EffectivePeriod(LocalDate? From, LocalDate? Until, string? On = null)
    {
        /// <summary>Whether <paramref name="date"/> falls in the period (from inclusive, until exclusive).</summary>
        public bool Contains(LocalDate date) => (From is null || date >= From.Value) && (Until is null || date < Until.Value);

        /// <summary>Whether every day of <paramref name="inner"/> is in this period.</summary>
        public bool Covers(EffectivePeriod inner) =>
            (From is null || inner.From is not null && inner.From.Value >= From.Value)
            && (Until is null || inner.Until is not null && inner.Until.Value <= Until.Value);

        /// <summary>
        /// The period in words, with the last day in force rather than the exclusive <c>until</c>:
        /// "from 6 Apr 2013", "before 6 Apr 2013", "from 1 Apr 2013 to 30 Jun 2022", or "always".
        /// </summary>
        public string Describe() => (From, Until) switch
        {
            ({ } from, { } until) => $"from {Day(from)} to {Day(until.PlusDays(-1))}",
            ({ } from, null) => $"from {Day(from)}",
            (null, { } until) => $"before {Day(until)}",
            _ => "always",
        };

        /// <summary>What the period is judged against, in words: "the intended decision date" or "attribute 'x'".</summary>
        public string JudgedAgainst => On is null ? "the intended decision date" : $"attribute '{On}'";

        /// <summary>A date as the catalogue writes it: "6 Apr 2013".</summary>
        internal static string Day(LocalDate date) => Text.DateText.Plain.Format(date);
    }
}
