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
            var predecessors = required.ToDictionary(id => id, id => RequiredPredecessors(id, ruleSet.Definition.Predecessors, requiredBy));
            var reduced = required.ToDictionary(id => id, id => Reduce(predecessors[id], predecessors));
            var stages = new Dictionary<string, int>();
            foreach (var id in required)
            {
                StageOf(id);
            }

            var planned = new List<PlannedStep>();
            foreach (var id in required.OrderBy(id => stages[id]).ThenBy(id => required.IndexOf(id)))
            {
                var step = catalogue[id];
                var body = step.Body is null ? null : ruleSet.Bodies[step.Body];
                var role = step.Role is null ? null : ruleSet.Roles[step.Role];
                if (body is not null && !body.ExistsOn(proposal.IntendedDecisionDate))
                {
                    warnings.Add(new PlanWarning(
                        PlanWarningKind.BodyNotInExistence,
                        $"Step '{id}' is for {body.Name}, which {Existence(body)}, but the decision is intended for {proposal.IntendedDecisionDate:uuuu-MM-dd}",
                        Step: id));
                }

                var after = reduced[id].OrderBy(p => stages[p]).ThenBy(p => required.IndexOf(p)).ToList();
                planned.Add(new PlannedStep(step, body, role, stages[id], after, requiredBy[id]));
            }

            return planned;

            int StageOf(string id)
            {
                if (!stages.TryGetValue(id, out var stage))
                {
                    stage = 1 + predecessors[id].Select(StageOf).DefaultIfEmpty(0).Max();
                    stages[id] = stage;
                }

                return stage;
            }
        }

        /// <summary>
        /// Required steps reachable backwards through the catalogue's orderings (<c>after</c>, and <c>before</c> written
        /// on the earlier step), passing through steps not required.
        /// </summary>
        private static HashSet<string> RequiredPredecessors(string id, IReadOnlyDictionary<string, IReadOnlyList<string>> catalogue, Dictionary<string, List<MatchedRule>> required)
        {
            var found = new HashSet<string>();
            var visited = new HashSet<string>();
            var stack = new Stack<string>(catalogue[id]);
            while (stack.Count > 0)
            {
                var current = stack.Pop();
                if (!visited.Add(current))
                {
                    continue;
                }

                if (required.ContainsKey(current))
                {
                    found.Add(current);
                }

                // Keep walking past required steps too: their own predecessors are implied, and Reduce drops them.
                foreach (var next in catalogue[current])
                {
                    stack.Push(next);
                }
            }

            return found;
        }

        /// <summary>Drops predecessors implied by another predecessor, so "after" lists only direct dependencies.</summary>
        private static IReadOnlyList<string> Reduce(HashSet<string> predecessors, Dictionary<string, HashSet<string>> all) =>
            predecessors.Where(p => !predecessors.Any(q => q != p && all[q].Contains(p))).ToList();

        private static string Existence(Body body) => body switch
        {
            { ExistsUntil: { } until } when body.ExistsFrom is { } from => $"existed from {from:uuuu-MM-dd} to {until:uuuu-MM-dd}",
            { ExistsUntil: { } until } => $"ceased to exist after {until:uuuu-MM-dd}",
            { ExistsFrom: { } start } => $"exists only from {start:uuuu-MM-dd}",
            _ => "exists",
        };
    }
}
