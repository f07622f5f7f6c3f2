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
            // Which steps are required is the proposal's; how they are ordered and staged depends only on that set,
            // so it is worked out once per set (StepLayouts) and shared.
            var layouts = StepLayouts.For(ruleSet);
            var required = layouts.Scratch();
            var any = false;
            for (var r = 0; r < matched.Count; r++)
            {
                // Catalogue indices worked out once per rule, not a dictionary look-up per step per route.
                var indices = layouts.IndicesOf(matched[r]);
                for (var s = 0; s < indices.Length; s++)
                {
                    var index = indices[s];
                    required[index >> 6] |= 1UL << (index & 63);
                    any = true;
                }
            }

            if (!any)
            {
                return Array.Empty<PlannedStep>();
            }

            var layout = layouts.Get(required);
            var count = layout.Steps.Length;

            // The rules requiring each step are the plan's matched rules, sorted by step: worked out when first read
            // (RequiredByTable), since most plans are used for their steps and dates and never for them. Copying every
            // matched rule into its steps' lists was most of a route's time and allocation at 1,000 rules.
            var requiredBy = new RequiredByTable(matched, layout.Steps);

            var planned = new PlannedStep[count];
            var decisionDate = proposal.IntendedDecisionDate;
            for (var i = 0; i < count; i++)
            {
                var step = layout.Steps[i];
                var body = layout.Bodies[i];
                if (body is not null && !body.ExistsOn(decisionDate))
                {
                    warnings.Add(new PlanWarning(
                        PlanWarningKind.BodyNotInExistence,
                        $"Step '{step.Id}' is for {body.Name}, which {Existence(body)}, but the decision is intended for {Iso(decisionDate)}",
                        Step: step.Id));
                }

                planned[i] = new PlannedStep(step, body, layout.Roles[i], layout.Stages[i], layout.After[i], requiredBy, i);
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
        internal static (Dictionary<string, int> Stages, Dictionary<string, List<string>> After) Reduce(
            IReadOnlyList<string> required,
            IReadOnlyDictionary<string, IReadOnlyList<string>> predecessors,
            Dictionary<string, int> isRequired)
        {
            // Every step before a required one, predecessors first (a post-order walk back from the required steps).
            var graph = new StepGraph(predecessors);
            var order = graph.AncestorsFirst(required);

            // Required steps numbered in that order, so every step's required predecessors have lower numbers.
            var numbered = order.Where(isRequired.ContainsKey).ToList();
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
