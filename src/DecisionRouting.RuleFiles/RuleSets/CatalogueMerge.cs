using System.Collections.Generic;
using System.Linq;
using DecisionRouting.Catalogue;
using DecisionRouting.Diagnostics;
using DecisionRouting.Json;
using DecisionRouting.Text;

namespace DecisionRouting.RuleSets
{
    /// <summary>
    /// Merges the catalogues of a chain, base first. A layer may replace an inherited entry only by saying
    /// <c>"replaces": true</c>, and a replaced step may lengthen its period but never shorten it.
    /// </summary>
    internal sealed class CatalogueMerge
    {
        private readonly DiagnosticBag _diagnostics;
        private readonly Dictionary<string, Declared<Body>> _bodies = new();
        private readonly Dictionary<string, Declared<Role>> _roles = new();
        private readonly Dictionary<string, StepDeclaration> _steps = new();
        private readonly List<string> _stepOrder = new();

        public CatalogueMerge(DiagnosticBag diagnostics) => _diagnostics = diagnostics;

        public IReadOnlyDictionary<string, Body> Bodies => _bodies.ToDictionary(p => p.Key, p => p.Value.Value);

        public IReadOnlyDictionary<string, Role> Roles => _roles.ToDictionary(p => p.Key, p => p.Value.Value);

        /// <summary>Steps in declaration order (base first), so plans list them in a stable order.</summary>
        public IReadOnlyDictionary<string, Step> Steps
        {
            get
            {
                var ordered = new Dictionary<string, Step>();
                foreach (var id in _stepOrder)
                {
                    ordered[id] = _steps[id].Step;
                }

                return ordered;
            }
        }

        /// <summary>For each step, the rule set whose catalogue declared it last (added or replaced it).</summary>
        public IReadOnlyDictionary<string, string> StepOrigins => _stepOrder.ToDictionary(id => id, id => _steps[id].RuleSet);

        public void Add(CatalogueContent content)
        {
            foreach (var body in content.Bodies)
            {
                AddEntry(_bodies, body.Value.Id, body, "Body");
            }

            foreach (var role in content.Roles)
            {
                AddEntry(_roles, role.Value.Id, role, "Role");
            }

            foreach (var step in content.Steps)
            {
                AddStep(step);
            }
        }

        private void AddEntry<T>(Dictionary<string, Declared<T>> entries, string id, Declared<T> entry, string what)
        {
            if (!entries.TryGetValue(id, out var existing))
            {
                if (entry.Replaces)
                {
                    _diagnostics.Report(DiagnosticDescriptors.InvalidValue, entry.IdLocation, $"{what} '{id}' says it replaces an inherited {what.ToLowerInvariant()}, but no rule set it extends defines '{id}'");
                }

                entries.Add(id, entry);
            }
            else if (entry.Replaces && existing.RuleSet != entry.RuleSet)
            {
                entries[id] = entry;
            }
            else
            {
                _diagnostics.Report(DiagnosticDescriptors.DuplicateBodyOrRoleId, entry.IdLocation, what, id, existing.IdLocation);
            }
        }

        private void AddStep(StepDeclaration step)
        {
            var id = step.Step.Id;
            if (!_steps.TryGetValue(id, out var inherited))
            {
                if (step.Replaces)
                {
                    _diagnostics.Report(DiagnosticDescriptors.InvalidValue, step.IdLocation, $"Step '{id}' says it replaces an inherited step, but no rule set it extends defines '{id}'");
                }

                _steps.Add(id, step);
                _stepOrder.Add(id);
                return;
            }

            if (!step.Replaces || inherited.RuleSet == step.RuleSet)
            {
                var hint = inherited.RuleSet != step.RuleSet ? $"; to change the inherited step, add \"replaces\": true" : string.Empty;
                _diagnostics.Report(DiagnosticDescriptors.DuplicateStepId, step.IdLocation, id, inherited.IdLocation, hint);
                return;
            }

            if (step.Step.Kind != inherited.Step.Kind)
            {
                _diagnostics.Report(DiagnosticDescriptors.InvalidValue, step.IdLocation, $"Step '{id}' replaces a {inherited.Step.Kind} step with a {step.Step.Kind} step; a replacement may change details but not the kind");
            }

            if (inherited.Step.Duration is { } statutory)
            {
                var local = step.Step.Duration;
                if (local is null || !local.IsAtLeast(statutory))
                {
                    _diagnostics.Report(
                        DiagnosticDescriptors.PeriodShortened,
                        step.DurationLocation ?? step.IdLocation,
                        id,
                        local?.ToString() ?? "given no period",
                        statutory,
                        inherited.RuleSet,
                        inherited.Step.Source ?? "no source cited");
                }
            }

            _steps[id] = step;
        }

        /// <summary>Checks that every body, role and predecessor a step names exists, and that ordering has no cycle.</summary>
        public void CheckReferences()
        {
            foreach (var step in _steps.Values)
            {
                CheckReference(step.BodyNode, "body", _bodies.Keys);
                CheckReference(step.RoleNode, "role", _roles.Keys);
                foreach (var after in step.AfterNodes)
                {
                    if (!_steps.ContainsKey(after.Value))
                    {
                        _diagnostics.Report(DiagnosticDescriptors.UnknownStep, after.Location, after.Value, NameSuggestions.DidYouMean(after.Value, _steps.Keys));
                    }
                    else if (after.Value == step.Step.Id)
                    {
                        _diagnostics.Report(DiagnosticDescriptors.StepOrderingCycle, after.Location, $"{after.Value} → {after.Value}");
                    }
                }
            }

            CheckImpracticableAlternatives();
            CheckOrderingCycles();
            CheckParallelGroups();
        }

        private void CheckImpracticableAlternatives()
        {
            var inReportedCycle = new HashSet<string>();
            foreach (var step in _steps.Values)
            {
                var node = step.IfImpracticableNode;
                if (node is null)
                {
                    continue;
                }

                if (!_steps.TryGetValue(node.Value, out var alternative))
                {
                    _diagnostics.Report(DiagnosticDescriptors.UnknownStep, node.Location, node.Value, NameSuggestions.DidYouMean(node.Value, _steps.Keys));
                    continue;
                }

                // Following the fallbacks must end: an alternative that leads back here would never settle.
                var seen = new HashSet<string> { step.Step.Id };
                for (var next = alternative; next is not null; next = next.Step.IfImpracticable is { } id && _steps.TryGetValue(id, out var further) ? further : null)
                {
                    if (!seen.Add(next.Step.Id))
                    {
                        // One report per circle, at the first step in it, not one per member.
                        if (next.Step.Id != step.Step.Id || !inReportedCycle.Add(step.Step.Id))
                        {
                            break;
                        }

                        inReportedCycle.UnionWith(seen);
                        _diagnostics.Report(DiagnosticDescriptors.StepOrderingCycle, node.Location, string.Join(" → ", seen.Select(s => $"'{s}'")) + $" → '{next.Step.Id}' (ifImpracticable)");
                        break;
                    }
                }
            }
        }

        private void CheckReference(JsonString? node, string what, IEnumerable<string> known)
        {
            if (node is not null && !known.Contains(node.Value))
            {
                _diagnostics.Report(DiagnosticDescriptors.UnknownBodyOrRole, node.Location, what, node.Value, NameSuggestions.DidYouMean(node.Value, known));
            }
        }

        private void CheckOrderingCycles()
        {
            var edges = _steps.ToDictionary(
                s => s.Key,
                s => (IReadOnlyList<string>)s.Value.Step.After.Where(a => _steps.ContainsKey(a) && a != s.Key).ToList());
            foreach (var cycle in Graphs.FindCycles(edges, _stepOrder))
            {
                // Report at the edge that closes the circle, where the fix most likely belongs.
                var last = _steps[cycle[cycle.Count - 2]];
                var node = last.AfterNodes.First(a => a.Value == cycle[cycle.Count - 1]);
                _diagnostics.Report(DiagnosticDescriptors.StepOrderingCycle, node.Location, string.Join(" → ", cycle.Select(c => $"'{c}'")));
            }
        }

        private void CheckParallelGroups()
        {
            var reach = Graphs.Reachability(_steps.ToDictionary(s => s.Key, s => (IReadOnlyList<string>)s.Value.Step.After));
            foreach (var step in _steps.Values.Where(s => s.Step.ParallelGroup is not null))
            {
                foreach (var other in _steps.Values.Where(o => o != step && o.Step.ParallelGroup == step.Step.ParallelGroup))
                {
                    if (reach[step.Step.Id].Contains(other.Step.Id))
                    {
                        _diagnostics.Report(DiagnosticDescriptors.ParallelGroupOrdered, step.IdLocation, step.Step.Id, step.Step.ParallelGroup, other.Step.Id);
                    }
                }
            }
        }
    }
}
