using System;
using System.Collections.Generic;
using System.Linq;
using DecisionRouting.Proposals;
using DecisionRouting.RuleSets;

namespace DecisionRouting.Routing
{
    /// <summary>
    /// Turns the steps matched rules require into an ordered plan. Catalogue orderings (<c>after</c>, and its mirror
    /// <c>before</c>) apply between required steps, including through steps that are not required (if A is after B and
    /// B after C, A is after C even without B).
    /// </summary>
    internal static class StepOrdering
    {
        public static IReadOnlyList<PlannedStep> Order(IReadOnlyList<MatchedRule> matched, RuleSet ruleSet, Proposal proposal, List<PlanWarning> warnings)
        {
            var catalogue = ruleSet.Steps;
            var requiredBy = new Dictionary<string, List<MatchedRule>>();
            foreach (var rule in matched)
            {
                foreach (var id in rule.Steps)
                {
                    if (!requiredBy.TryGetValue(id, out var rules))
                    {
                        requiredBy[id] = rules = new List<MatchedRule>();
                    }

                    rules.Add(rule);
                }
            }

            // Catalogue order keeps the output stable and in the order governance officers wrote it.
            var required = catalogue.Keys.Where(requiredBy.ContainsKey).ToList();
            var position = new Dictionary<string, int>(required.Count);
            for (var i = 0; i < required.Count; i++)
            {
                position[required[i]] = i;
            }

            var (stages, after) = Reduce(required, ruleSet.Definition.Predecessors, requiredBy);
            var planned = new List<PlannedStep>();
            foreach (var id in required.OrderBy(id => stages[id]).ThenBy(id => position[id]))
            {
                var step = catalogue[id];
                var body = step.Body is null ? null : ruleSet.Bodies[step.Body];
                var role = step.Role is null ? null : ruleSet.Roles[step.Role];
                if (body is not null && !body.ExistsOn(proposal.IntendedDecisionDate))
                {
                    warnings.Add(new PlanWarning(
                        PlanWarningKind.BodyNotInExistence,
                        $"Step '{id}' is for {body.Name}, which {Existence(body)}, but the decision is intended for {Iso(proposal.IntendedDecisionDate)}",
                        Step: id));
                }

                var direct = after[id].OrderBy(p => stages[p]).ThenBy(p => position[p]).ToList();
                planned.Add(new PlannedStep(step, body, role, stages[id], direct, requiredBy[id]));
            }

            return planned;
        }

        /// <summary>
        /// For each required step, its stage (1 + the most stages of required steps before it) and the required steps
        /// directly before it: reachable backwards through the catalogue's orderings (<c>after</c>, and <c>before</c>
        /// written on the earlier step), passing through steps not required, less those implied by another.
        /// </summary>
        /// <remarks>
        /// Linear in the catalogue's orderings, and in required steps × required steps / 64 for the bit sets, with no
        /// recursion. Walking back from every step and comparing every pair of predecessors cost the square (and more)
        /// of a chain's length: a 4,000-step <c>after</c> chain took 20 s and 2.3 GB to route, and a recursive stage
        /// count could exhaust the stack on a long one.
        /// </remarks>
        private static (Dictionary<string, int> Stages, Dictionary<string, List<string>> After) Reduce(
            IReadOnlyList<string> required,
            IReadOnlyDictionary<string, IReadOnlyList<string>> predecessors,
            Dictionary<string, List<MatchedRule>> requiredBy)
        {
            // Every step before a required one, predecessors first (a post-order walk back from the required steps).
            var graph = new StepGraph(predecessors);
            var order = graph.AncestorsFirst(required);

            // Required steps numbered in that order, so every step's required predecessors have lower numbers.
            var numbered = order.Where(requiredBy.ContainsKey).ToList();
            var number = new Dictionary<string, int>(numbered.Count, StringComparer.Ordinal);
            for (var i = 0; i < numbered.Count; i++)
            {
                number[numbered[i]] = i;
            }

            // For every step, the required steps before it, as a bit set over those numbers.
            var words = (numbered.Count + 63) / 64;
            var reach = new Dictionary<string, ulong[]>(order.Count, StringComparer.Ordinal);
            foreach (var id in order)
            {
                var bits = new ulong[words];
                foreach (var p in graph.Before(id))
                {
                    if (!reach.TryGetValue(p, out var earlier))
                    {
                        continue; // only on a cycle, which the loader refuses (DR0015)
                    }

                    for (var w = 0; w < words; w++)
                    {
                        bits[w] |= earlier[w];
                    }

                    if (number.TryGetValue(p, out var n))
                    {
                        bits[n >> 6] |= 1UL << (n & 63);
                    }
                }

                reach[id] = bits;
            }

            // Direct predecessors: the latest first; each one taken covers everything before it, so a predecessor is
            // kept only when no later one already implies it.
            var stages = new Dictionary<string, int>(numbered.Count, StringComparer.Ordinal);
            var after = new Dictionary<string, List<string>>(numbered.Count, StringComparer.Ordinal);
            var covered = new ulong[words];
            foreach (var id in numbered)
            {
                Array.Clear(covered, 0, words);
                var bits = reach[id];
                var direct = new List<string>();
                var stage = 1;
                for (var w = words - 1; w >= 0; w--)
                {
                    var candidates = bits[w] & ~covered[w];
                    while (candidates != 0)
                    {
                        var bit = 63 - System.Numerics.BitOperations.LeadingZeroCount(candidates);
                        var p = numbered[(w << 6) + bit];
                        direct.Add(p);
                        stage = Math.Max(stage, stages[p] + 1);
                        var implied = reach[p];
                        for (var v = 0; v <= w; v++)
                        {
                            covered[v] |= implied[v];
                        }

                        candidates &= ~covered[w] & ~(1UL << bit);
                    }
                }

                stages[id] = stage;
                after[id] = direct;
            }

            return (stages, after);
        }

        private static string Existence(Body body) => body switch
        {
            { ExistsUntil: { } until } when body.ExistsFrom is { } from => $"existed from {Iso(from)} to {Iso(until)}",
            { ExistsUntil: { } until } => $"ceased to exist after {Iso(until)}",
            { ExistsFrom: { } start } => $"exists only from {Iso(start)}",
            _ => "exists",
        };

        private static string Iso(NodaTime.LocalDate date) => Text.DateText.Iso.Format(date);
    }
}
