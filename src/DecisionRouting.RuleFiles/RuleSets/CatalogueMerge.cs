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
    /// <c>"replaces": true</c>; a replaced step may lengthen its period but never shorten it (DR0017), and keeps every
    /// inherited ordering unless it drops one explicitly (DR0043).
    /// </summary>
    internal sealed class CatalogueMerge
    {
        private readonly DiagnosticBag _diagnostics;
        private readonly Dictionary<string, Declared<Body>> _bodies = new();
        private readonly Dictionary<string, Declared<Role>> _roles = new();
        private readonly Dictionary<string, StepDeclaration> _steps = new();
        private readonly List<string> _stepOrder = new();

        public CatalogueMerge(DiagnosticBag diagnostics) => _diagnostics = diagnostics;

        /// <summary>
        /// Set when <c>extends</c> could not be followed: "replaces" then has nothing to replace because the base is
        /// missing, which the chain has already reported as the root cause.
        /// </summary>
        public bool BaseMissing { get; private set; }

        /// <summary>
        /// Whether some catalogue of the chain is missing what it declares (the chain is broken, or a catalogue.json does
        /// not parse): references to steps, bodies and roles cannot be checked without producing knock-on errors.
        /// </summary>
        public bool Incomplete => BaseMissing || _unreadable;

        private bool _unreadable;

        /// <summary>Marks the chain as broken before any layer is added.</summary>
        public void ChainBroken() => BaseMissing = true;

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
            // A lost catalogue lower in the chain makes later "replaces" look like they replace nothing.
            _unreadable |= content.Unreadable;
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
                if (entry.Replaces && !Incomplete)
                {
                    _diagnostics.Report(DiagnosticDescriptors.ReplacesNothing, entry.IdLocation, what, id, what.ToLowerInvariant());
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
                if (step.Replaces && !Incomplete)
                {
                    _diagnostics.Report(DiagnosticDescriptors.ReplacesNothing, step.IdLocation, "Step", id, "step");
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

            if (inherited.Step.Duration is { } statutory && step.Step.Duration is { } local && !local.IsAtLeast(statutory))
            {
                _diagnostics.Report(
                    DiagnosticDescriptors.PeriodShortened,
                    step.DurationLocation ?? step.IdLocation,
                    id,
                    local.ToString(),
                    statutory,
                    inherited.RuleSet,
                    inherited.Step.Source ?? "no source cited");
            }

            step = Inherit(step, inherited);
            _steps[id] = step;
        }

        /// <summary>
        /// What a replacement keeps from the step it replaces. Whatever it leaves out is inherited: performer, period,
        /// urgency alternative, parallel group, source and description. Orderings are never lost by accident: a
        /// replacement that lists <c>after</c> or <c>before</c> keeps every inherited entry too, and leaving one out
        /// without saying so in <c>drops</c> is DR0043.
        /// </summary>
        private StepDeclaration Inherit(StepDeclaration step, StepDeclaration inherited)
        {
            var drops = step.Drops;
            var after = InheritOrdering(step, inherited, "after", step.AfterNodes, step.AfterLocation, inherited.AfterNodes, drops?.After ?? System.Array.Empty<JsonString>());
            var before = InheritOrdering(step, inherited, "before", step.BeforeNodes, step.BeforeLocation, inherited.BeforeNodes, drops?.Before ?? System.Array.Empty<JsonString>());
            CheckDroppedValue(step, drops?.IfImpracticable, "ifImpracticable", inherited.Step.IfImpracticable, step.IfImpracticableNode is not null);
            CheckDroppedValue(step, drops?.ParallelGroup, "parallelGroup", inherited.Step.ParallelGroup, step.Step.ParallelGroup is not null);

            var performerGiven = step.BodyNode is not null || step.RoleNode is not null;
            var keepAlternative = step.IfImpracticableNode is null && drops?.IfImpracticable is null;
            var merged = step.Step with
            {
                Body = performerGiven ? step.Step.Body : inherited.Step.Body,
                Role = performerGiven ? step.Step.Role : inherited.Step.Role,
                Duration = step.Step.Duration ?? inherited.Step.Duration,
                IfImpracticable = keepAlternative ? inherited.Step.IfImpracticable : step.Step.IfImpracticable,
                ParallelGroup = step.Step.ParallelGroup ?? (drops?.ParallelGroup is null ? inherited.Step.ParallelGroup : null),
                PeriodEndsBefore = step.Step.PeriodEndsBefore ?? inherited.Step.PeriodEndsBefore,
                PeriodEndsBeforeDate = step.Step.PeriodEndsBeforeDate ?? inherited.Step.PeriodEndsBeforeDate,
                Source = step.Step.Source ?? inherited.Step.Source,
                Description = step.Step.Description ?? inherited.Step.Description,
                Effective = step.Step.Effective ?? inherited.Step.Effective,
                // A check dates the source it was made against: a replacement citing its own source is not covered by it.
                Checked = step.Step.Source is null ? step.Step.Checked ?? inherited.Step.Checked : step.Step.Checked,
                After = after.Select(a => a.Value).ToList(),
                Before = before.Select(b => b.Value).ToList(),
            };
            return step with
            {
                Step = merged,
                BodyNode = performerGiven ? step.BodyNode : inherited.BodyNode,
                RoleNode = performerGiven ? step.RoleNode : inherited.RoleNode,
                IfImpracticableNode = keepAlternative ? inherited.IfImpracticableNode : step.IfImpracticableNode,
                AfterNodes = after,
                BeforeNodes = before,
                PeriodEndsBeforeDateNode = step.PeriodEndsBeforeDateNode ?? inherited.PeriodEndsBeforeDateNode,
            };
        }

        /// <summary>
        /// The replacement's list for one ordering: its own entries, then each inherited entry it did not drop (so an
        /// omitted list inherits everything). Inherited entries keep their nodes, so later errors point where they were written.
        /// </summary>
        private IReadOnlyList<JsonString> InheritOrdering(
            StepDeclaration step,
            StepDeclaration inherited,
            string property,
            IReadOnlyList<JsonString> own,
            SourceLocation? ownLocation,
            IReadOnlyList<JsonString> parent,
            IReadOnlyList<JsonString> dropped)
        {
            var parentIds = parent.Select(p => p.Value).ToList();
            foreach (var drop in dropped)
            {
                if (!parentIds.Contains(drop.Value))
                {
                    _diagnostics.Report(DiagnosticDescriptors.DropDoesNotFit, drop.Location, $"Step '{step.Step.Id}' drops '{drop.Value}' from '{property}', but the step it replaces in '{inherited.RuleSet}' does not list it{NameSuggestions.DidYouMean(drop.Value, parentIds)}");
                }
                else if (own.Any(o => o.Value == drop.Value))
                {
                    _diagnostics.Report(DiagnosticDescriptors.DropDoesNotFit, drop.Location, $"Step '{step.Step.Id}' both lists '{drop.Value}' in '{property}' and drops it; keep one");
                }
            }

            var droppedIds = new HashSet<string>(dropped.Select(d => d.Value));
            var missing = parent.Where(p => !droppedIds.Contains(p.Value) && own.All(o => o.Value != p.Value)).ToList();
            if (ownLocation is not null && missing.Count > 0)
            {
                var names = string.Join(", ", missing.Select(m => $"'{m.Value}'"));
                _diagnostics.Report(
                    DiagnosticDescriptors.InheritedOrderingDropped,
                    ownLocation,
                    step.Step.Id,
                    inherited.RuleSet,
                    property,
                    $"the inherited {names}",
                    missing.Count == 1 ? "it" : "them",
                    missing.Count == 1 ? "it" : "them");
            }

            // Missing entries are kept even when reported: a rule set with errors never loads, but nothing downstream
            // should see a plan without them either.
            return own.Concat(missing).ToList();
        }

        private void CheckDroppedValue(StepDeclaration step, SourceLocation? drop, string property, string? inherited, bool given)
        {
            if (drop is null)
            {
                return;
            }

            if (inherited is null)
            {
                _diagnostics.Report(DiagnosticDescriptors.DropDoesNotFit, drop, $"Step '{step.Step.Id}' drops '{property}', but the step it replaces has none");
            }
            else if (given)
            {
                _diagnostics.Report(DiagnosticDescriptors.DropDoesNotFit, drop, $"Step '{step.Step.Id}' both gives '{property}' and drops it; keep one");
            }
        }

        /// <summary>Checks that every body, role and predecessor a step names exists, and that ordering has no cycle.</summary>
        public void CheckReferences()
        {
            foreach (var step in _steps.Values)
            {
                CheckReference(step.BodyNode, "body", _bodies.Keys);
                CheckReference(step.RoleNode, "role", _roles.Keys);
                foreach (var node in step.AfterNodes.Concat(step.BeforeNodes))
                {
                    if (!_steps.ContainsKey(node.Value))
                    {
                        _diagnostics.Report(DiagnosticDescriptors.UnknownStep, node.Location, node.Value, NameSuggestions.DidYouMean(node.Value, _steps.Keys));
                    }
                    else if (node.Value == step.Step.Id)
                    {
                        _diagnostics.Report(DiagnosticDescriptors.StepOrderingCycle, node.Location, $"{node.Value} → {node.Value}");
                    }
                }
            }

            CheckImpracticableAlternatives();

            // The graph checks hold a reachability bit set of steps² bits and compare the steps of a parallel group
            // pairwise: with 55,000 steps validating ran for minutes. Over the step bound (DR0060, reported by
            // RuleSetBounds) they are not run.
            if (_steps.Count > RuleSetBounds.MaxSteps)
            {
                return;
            }

            CheckOrderingCycles();
            CheckParallelGroups();
            CheckPeriodsTiedToDecisions();
        }

        /// <summary>
        /// DR0047–DR0049. A period counted back from a proposal date (<c>periodEndsBeforeDate</c>) names a declared
        /// date attribute, and the step has a period running from its start to count. Checked on the merged catalogue
        /// with the chain's merged attributes, so a base's declaration serves an extending set's step and the loader,
        /// the CLI and the analyzer report it alike.
        /// </summary>
        public void CheckDatedPeriods(IReadOnlyDictionary<string, RuleSetAttribute> attributes)
        {
            foreach (var id in _stepOrder)
            {
                var declaration = _steps[id];
                if (declaration.Step.PeriodEndsBeforeDate is not { } name)
                {
                    continue;
                }

                var location = declaration.PeriodEndsBeforeDateNode?.Location ?? declaration.IdLocation;
                if (!attributes.TryGetValue(name, out var attribute))
                {
                    var hint = NameSuggestions.DidYouMean(name, attributes.Keys);
                    _diagnostics.Report(DiagnosticDescriptors.PeriodDateAttributeNotDeclared, location, id, name, hint.Length > 0 ? hint : "; declare it in ruleset.json under \"attributes\" with \"type\": \"date\"");
                }
                else if (attribute.Kind != RuleSetAttributeKind.Date)
                {
                    _diagnostics.Report(DiagnosticDescriptors.PeriodDateAttributeNotDate, location, id, name, attribute.RuleSet, attribute.KindInWords);
                }

                var problem = declaration.Step.Duration switch
                {
                    null => "has no duration",
                    { Anchor: not PeriodAnchor.FromStart } period => $"its period is measured {(period.Anchor == PeriodAnchor.BeforeDecision ? "back from the decision" : "from the decision")} (anchor {period.Anchor}), not from its own start",
                    _ => null,
                };
                if (problem is not null)
                {
                    _diagnostics.Report(DiagnosticDescriptors.PeriodDateWithoutPeriod, location, id, name, problem);
                }
            }
        }

        /// <summary>Where step <paramref name="id"/> is defined (its id), or null for a step this merge does not know.</summary>
        public SourceLocation? StepLocation(string id) => _steps.TryGetValue(id, out var step) ? step.IdLocation : null;

        /// <summary>
        /// Each step's direct predecessors among known steps: its own (merged) <c>after</c>, plus every step that names
        /// it in <c>before</c>. The one place the two ways of writing an ordering become one graph.
        /// </summary>
        public IReadOnlyDictionary<string, IReadOnlyList<string>> Predecessors()
        {
            var result = _stepOrder.ToDictionary(id => id, id => _steps[id].Step.After.Where(a => _steps.ContainsKey(a) && a != id).ToList());
            foreach (var id in _stepOrder)
            {
                foreach (var later in _steps[id].Step.Before.Where(b => _steps.ContainsKey(b) && b != id))
                {
                    if (!result[later].Contains(id))
                    {
                        result[later].Add(id);
                    }
                }
            }

            return result.ToDictionary(p => p.Key, p => (IReadOnlyList<string>)p.Value);
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
            foreach (var cycle in new StepGraph(Predecessors(), _stepOrder).FindCycles())
            {
                // Report at the edge that closes the circle, where the fix most likely belongs: the later step's
                // "after" entry, or the earlier step's "before" entry when that is how the edge was written.
                var later = _steps[cycle[cycle.Count - 2]];
                var earlier = _steps[cycle[cycle.Count - 1]];
                var node = later.AfterNodes.FirstOrDefault(a => a.Value == earlier.Step.Id)
                    ?? earlier.BeforeNodes.First(b => b.Value == later.Step.Id);
                _diagnostics.Report(DiagnosticDescriptors.StepOrderingCycle, node.Location, string.Join(" → ", cycle.Select(c => $"'{c}'")));
            }
        }

        private void CheckParallelGroups()
        {
            // One report per step, naming the first step of its group (in catalogue order) that it must follow, found
            // from its reachability row. Comparing every pair took 24 s for a group of 10,000 steps, and a group
            // ordered as one chain would have reported 50 million pairs.
            var reach = new StepGraph(Predecessors()).Reachability();
            var position = _stepOrder.Select((id, i) => (id, i)).ToDictionary(p => p.id, p => p.i, System.StringComparer.Ordinal);
            foreach (var step in _stepOrder.Select(id => _steps[id]).Where(s => s.Step.ParallelGroup is not null))
            {
                var first = reach.ReachedFrom(step.Step.Id)
                    .Where(id => id != step.Step.Id && _steps.TryGetValue(id, out var other) && other.Step.ParallelGroup == step.Step.ParallelGroup)
                    .OrderBy(id => position[id])
                    .FirstOrDefault();
                if (first is not null)
                {
                    _diagnostics.Report(DiagnosticDescriptors.ParallelGroupOrdered, step.IdLocation, step.Step.Id, step.Step.ParallelGroup, first);
                }
            }
        }

        /// <summary>
        /// DR0042. A period that runs from its own start (consultation, sign-off, a notice such as HR1) only protects
        /// the decision if something orders it against the decision; otherwise plans leave it undated in stage 1 and a
        /// case lets it finish after the decision. Decided statically, on the merged catalogue, so it is reported once
        /// by validate, the loader and the analyzer alike rather than on every plan.
        /// </summary>
        private void CheckPeriodsTiedToDecisions()
        {
            var reach = new StepGraph(Predecessors()).Reachability();
            // An approval after a call-in window is a later decision on a decision already taken (as the router
            // sees it): a period before it is not before the decision, so being its ancestor ties nothing.
            var callIns = _stepOrder.Where(id => _steps[id].Step.Kind == StepKind.CallIn).ToList();
            var decisions = _stepOrder.Where(id => _steps[id].Step.Kind is StepKind.Approval or StepKind.Recommendation && !callIns.Any(c => reach.Reaches(id, c))).ToList();
            foreach (var id in _stepOrder)
            {
                var step = _steps[id].Step;
                if (step.Kind is not (StepKind.Consultation or StepKind.SignOff or StepKind.Notice)
                    || step.Duration is not { Anchor: PeriodAnchor.FromStart } period
                    || step.PeriodEndsBefore is not null
                    || decisions.Any(d => reach.Reaches(d, id) || reach.Reaches(id, d)))
                {
                    continue;
                }

                _diagnostics.Report(DiagnosticDescriptors.PeriodNotTiedToDecision, _steps[id].IdLocation, id, period);
            }
        }
    }
}
