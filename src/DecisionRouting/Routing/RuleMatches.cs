using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using System.Threading;
using DecisionRouting.Evaluation;
using DecisionRouting.Proposals;
using DecisionRouting.RuleSets;

namespace DecisionRouting.Routing
{
    /// <summary>
    /// Which rules of a rule set one proposal matched, and which it could not decide, without a plan: what
    /// <see cref="RuleSet.Match(Proposal, RuleMatches)"/> fills. Made to be reused: each call empties it and fills it
    /// again, keeping its storage, so matching many proposals (register-wide impact analysis) allocates nothing once
    /// it has grown to the largest result. Read it before the next call; copy what you keep (<c>Matched.ToArray()</c>).
    /// </summary>
    /// <remarks>
    /// <para>Not thread-safe: give each thread its own. Two calls filling the same instance at once are refused with
    /// <see cref="InvalidOperationException"/>, not interleaved. The <see cref="MatchedRule"/> and
    /// <see cref="IncompleteRule"/> records it holds are immutable and may be kept and shared.</para>
    /// <para>When a call throws (an invalid proposal, the time budget, a fault), the instance is left empty, with
    /// <see cref="ProposalId"/> null, so a failed call cannot be read as "nothing matched".</para>
    /// </remarks>
    public sealed class RuleMatches
    {
        private readonly RuleOutcomes _outcomes = new(EmptySteps, warnings: false);
        private int _filling;

        private static readonly IReadOnlyDictionary<string, Step> EmptySteps = new Dictionary<string, Step>();

        /// <summary>The id of the proposal the last successful call matched; null before the first, and after a call that threw.</summary>
        public string? ProposalId { get; private set; }

        /// <summary>The name of the rule set the last successful call matched against; null when <see cref="ProposalId"/> is.</summary>
        public string? RuleSetName { get; private set; }

        /// <summary>
        /// The top-level rules the proposal matched, in evaluation order (entry workflows in order, rules in order):
        /// exactly the rules <see cref="RoutingPlan.MatchedRules"/> lists for the same proposal. Valid until the next call
        /// that fills this instance.
        /// </summary>
        public ReadOnlySpan<MatchedRule> Matched => CollectionsMarshal.AsSpan(_outcomes.Matched);

        /// <summary>
        /// The rules whose outcome could not be given, in evaluation order: undecided (the proposal lacks a value a rule
        /// reads, or the date its law is judged on) or not evaluated (the rule threw). Exactly what
        /// <see cref="RoutingPlan.Incomplete"/> lists, including the rule set's executive model when its timeline has no
        /// entry for the decision date. Each may hide steps the proposal needs.
        /// </summary>
        public ReadOnlySpan<IncompleteRule> Incomplete => CollectionsMarshal.AsSpan(_outcomes.Incomplete);

        /// <summary>
        /// Whether every rule was decided (<see cref="Incomplete"/> is empty). Not the same as
        /// <see cref="RoutingPlan.IsComplete"/>, which also needs a plan that has its decision step and does not contradict
        /// itself: only a plan can tell those.
        /// </summary>
        public bool AllDecided => _outcomes.Incomplete.Count == 0;

        /// <summary>Empties this instance and marks it in use, refusing a second filler at once.</summary>
        internal RuleOutcomes Begin(RuleSet ruleSet)
        {
            if (Interlocked.Exchange(ref _filling, 1) != 0)
            {
                throw new InvalidOperationException("This RuleMatches is being filled by another call: give each thread its own RuleMatches");
            }

            ProposalId = null;
            RuleSetName = null;
            _outcomes.Reset(ruleSet.Steps);
            return _outcomes;
        }

        /// <summary>Ends a call: on success records what was matched; on failure leaves the instance empty.</summary>
        internal void End(RuleSet ruleSet, Proposal proposal, bool succeeded)
        {
            if (succeeded)
            {
                ProposalId = proposal.Id;
                RuleSetName = ruleSet.Name;
            }
            else
            {
                _outcomes.Reset(EmptySteps);
            }

            Volatile.Write(ref _filling, 0);
        }
    }
}
