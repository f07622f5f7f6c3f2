using System;
using System.Collections.Generic;
using System.Threading;

namespace DecisionRouting.Routing
{
    /// <summary>A rule the proposal matched: why steps are required, and on what authority.</summary>
    /// <param name="Workflow">The workflow holding the rule.</param>
    /// <param name="Rule">The rule's name.</param>
    /// <param name="Source">The statute and section, or constitution and paragraph, it cites.</param>
    /// <param name="Reason">Why, in plain English.</param>
    /// <param name="Verify">True where the source has not been checked against the primary text.</param>
    /// <param name="Steps">The steps it requires.</param>
    public sealed record MatchedRule(string Workflow, string Rule, string? Source, string? Reason, bool Verify, IReadOnlyList<string> Steps)
    {
        // Where Steps sit in a rule set's catalogue, worked out by the first route that needs it (StepLayouts.IndicesOf).
        // The compiled evaluator shares one MatchedRule per rule between all plans, so ordering looks each step id up once
        // per rule set rather than once per route: those dictionary look-ups were most of ordering's time. Not part of the
        // record's value (Equals and GetHashCode below leave it out); it holds the catalogue's indices, nothing of a proposal.
        private StepIndices? _stepIndices;

        /// <summary>The catalogue indices of <see cref="Steps"/> in the rule set that last routed this rule, if worked out; checked by the reader against its rule set and the list.</summary>
        internal StepIndices? CachedStepIndices
        {
            get => Volatile.Read(ref _stepIndices);
            set => Volatile.Write(ref _stepIndices, value);
        }

        /// <summary>Whether <paramref name="other"/> is a matched rule with the same workflow, rule, source, reason, verification and step list (the list compared by reference, as a record compares it).</summary>
        /// <param name="other">The matched rule to compare with; null is never equal.</param>
        /// <returns>True when every property is equal.</returns>
        public bool Equals(MatchedRule? other) =>
            ReferenceEquals(this, other)
            || (other is not null
                && string.Equals(Workflow, other.Workflow, StringComparison.Ordinal)
                && string.Equals(Rule, other.Rule, StringComparison.Ordinal)
                && string.Equals(Source, other.Source, StringComparison.Ordinal)
                && string.Equals(Reason, other.Reason, StringComparison.Ordinal)
                && Verify == other.Verify
                && EqualityComparer<IReadOnlyList<string>>.Default.Equals(Steps, other.Steps));

        /// <summary>A hash of the properties <see cref="Equals(MatchedRule)"/> compares.</summary>
        /// <returns>The hash code.</returns>
        public override int GetHashCode() =>
            HashCode.Combine(
                StringComparer.Ordinal.GetHashCode(Workflow),
                StringComparer.Ordinal.GetHashCode(Rule),
                Source is null ? 0 : StringComparer.Ordinal.GetHashCode(Source),
                Reason is null ? 0 : StringComparer.Ordinal.GetHashCode(Reason),
                Verify,
                EqualityComparer<IReadOnlyList<string>>.Default.GetHashCode(Steps));
    }

    /// <summary>
    /// The catalogue indices of a <see cref="MatchedRule.Steps"/> list in one rule set's catalogue (steps not in the
    /// catalogue left out, as ordering ignores them): valid only for that <paramref name="Owner"/> and that list.
    /// </summary>
    /// <param name="Owner">The token of the rule set's <see cref="StepLayouts"/> that numbered the catalogue (renewed when its memo is emptied).</param>
    /// <param name="Steps">The step list the indices are of (a <c>with</c> copy that changes the list does not reuse them).</param>
    /// <param name="Indices">Each step's catalogue index, in the list's order.</param>
    internal sealed record StepIndices(object Owner, IReadOnlyList<string> Steps, int[] Indices);
}
