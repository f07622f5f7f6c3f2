using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using DecisionRouting.Diagnostics;
using DecisionRouting.Expressions;
using DecisionRouting.Text;
using DecisionRouting.Workflows;

namespace DecisionRouting.RuleSets
{
    /// <summary>
    /// Names in one expression scope must not collide (DR0037 with a rule-set parameter, DR0087 twice in one list,
    /// DR0088 with the language, DR0089 a LocalParam hiding a parameter it sees), and an injected workflow's GlobalParams, which
    /// RulesEngine never evaluates, are refused (DR0038). RulesEngine 6.0.1 accepts most collisions at load and then
    /// fails or shadows when it runs, and our compiled evaluator would resolve them its own way, so the two paths
    /// could disagree: a collision is an error at the name, before anything routes.
    /// </summary>
    internal static class ParameterNameChecks
    {
        public static void Check(IReadOnlyList<WorkflowDefinition> workflows, IReadOnlyList<RuleSetParameter> parameters, DiagnosticBag diagnostics)
        {
            var byName = workflows.ToDictionary(w => w.Name);
            var injectedBy = InjectedBy(workflows);
            var injectingLocals = new InjectingLocals(byName, injectedBy);
            var entries = new EntryWorkflows(byName, injectedBy);
            // Names that differ only in case are one name: RulesEngine's default settings read identifiers in any case, so a
            // rule file must not depend on case to tell two names apart (it would behave differently in a plain host).
            var ruleSetParameters = parameters.GroupBy(p => p.Name, System.StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.First().Location, System.StringComparer.OrdinalIgnoreCase);
            foreach (var workflow in workflows)
            {
                var globals = new Dictionary<string, SourceLocation>(System.StringComparer.OrdinalIgnoreCase);
                foreach (var global in workflow.GlobalParams)
                {
                    CheckName("GlobalParam", global, ruleSetParameters, globals, diagnostics);
                    if (injectedBy.TryGetValue(workflow.Name, out var injecting))
                    {
                        diagnostics.Report(
                            DiagnosticDescriptors.InjectedWorkflowGlobalParam,
                            global.Location,
                            global.Name,
                            workflow.Name,
                            string.Join(", ", injecting.Select(n => $"'{n}'")));
                    }
                }

                // The GlobalParams a rule of this workflow runs with: its own, or, when injected, those of every
                // workflow that routes it (see ExpressionChecks for the scoping rule).
                var scopeGlobals = new Dictionary<string, (SourceLocation Location, string Workflow)>(System.StringComparer.OrdinalIgnoreCase);
                foreach (var owner in entries.For(workflow.Name))
                {
                    foreach (var global in byName[owner].GlobalParams)
                    {
                        if (!scopeGlobals.ContainsKey(global.Name))
                        {
                            scopeGlobals.Add(global.Name, (global.Location, owner));
                        }
                    }
                }

                // The LocalParams of the rules that inject this workflow (at any depth of injection) are in scope
                // too: the compiled evaluator would let an inner one hide them and RulesEngine would fail the rule, so
                // the two evaluators disagreed. A collision with one is the same error as with an enclosing rule's.
                var fromInjecting = injectingLocals.For(workflow.Name);
                foreach (var rule in workflow.Rules)
                {
                    CheckLocals(rule, scopeGlobals, fromInjecting, ruleSetParameters, diagnostics);
                }
            }
        }

        /// <summary>Names compared as RulesEngine compares identifiers, in any case, mapped to where each was first defined.</summary>
        private static readonly ImmutableDictionary<string, SourceLocation> NoNames = ImmutableDictionary.Create<string, SourceLocation>(System.StringComparer.OrdinalIgnoreCase);

        /// <summary>
        /// For each workflow, the LocalParams visible where it is injected: those of the injecting rule and the rules
        /// enclosing it, and those visible where their workflow is injected in turn.
        /// </summary>
        /// <remarks>
        /// Linear in a chain of injections, and without recursion over it. The sets are immutable and share structure:
        /// a workflow injected by one workflow starts from that workflow's set as is and adds only the LocalParams of
        /// its injecting rules. Copying the set per level made a chain of n injections, each rule with a LocalParam,
        /// cost n²/2 additions, and recursing per level made its depth the stack's. Each injecting workflow's rules are
        /// walked once for all the workflows it injects, not once per injected workflow.
        /// </remarks>
        private sealed class InjectingLocals
        {
            private readonly IReadOnlyDictionary<string, WorkflowDefinition> _byName;
            private readonly IReadOnlyDictionary<string, IReadOnlyList<string>> _injectedBy;
            private readonly Dictionary<string, ImmutableDictionary<string, SourceLocation>> _known = new(System.StringComparer.Ordinal);
            private readonly Dictionary<string, Dictionary<string, List<ScopedParameterDefinition>>> _byInjector = new(System.StringComparer.Ordinal);

            // Only the workflows that inject this one (InjectedBy), not every workflow: asking all of them made a chain
            // of 10,000 injections cost 10,000² rule walks.
            public InjectingLocals(IReadOnlyDictionary<string, WorkflowDefinition> byName, IReadOnlyDictionary<string, IReadOnlyList<string>> injectedBy)
            {
                _byName = byName;
                _injectedBy = injectedBy;
            }

            public ImmutableDictionary<string, SourceLocation> For(string workflow)
            {
                // Injectors before the workflows they inject, with an explicit stack. A workflow met again while its
                // own injectors are still pending is in an injection cycle (DR0016): it counts with what is known so far.
                var inProgress = new HashSet<string>(System.StringComparer.Ordinal);
                var pending = new Stack<(string Name, bool Ready)>();
                pending.Push((workflow, false));
                while (pending.Count > 0)
                {
                    var (name, ready) = pending.Pop();
                    if (_known.ContainsKey(name))
                    {
                        continue;
                    }

                    if (ready)
                    {
                        _known[name] = Compute(name);
                        continue;
                    }

                    if (!inProgress.Add(name))
                    {
                        continue;
                    }

                    pending.Push((name, true));
                    foreach (var injector in Injectors(name).Reverse())
                    {
                        if (_byName.ContainsKey(injector) && !_known.ContainsKey(injector) && !inProgress.Contains(injector))
                        {
                            pending.Push((injector, false));
                        }
                    }
                }

                return _known[workflow];
            }

            private IReadOnlyList<string> Injectors(string workflow) =>
                _injectedBy.TryGetValue(workflow, out var injecting) ? injecting : System.Array.Empty<string>();

            /// <summary>The set for <paramref name="workflow"/>, from the sets of its injectors (already known, or in a cycle).</summary>
            private ImmutableDictionary<string, SourceLocation> Compute(string workflow)
            {
                var names = NoNames;
                foreach (var injector in Injectors(workflow))
                {
                    if (!_byName.ContainsKey(injector))
                    {
                        continue;
                    }

                    if (_known.TryGetValue(injector, out var outer))
                    {
                        names = names.IsEmpty ? outer : AddAbsent(names, outer.Select(p => (p.Key, p.Value)));
                    }

                    if (LocalsOf(injector).TryGetValue(workflow, out var locals))
                    {
                        names = AddAbsent(names, locals.Select(l => (l.Name, l.Location)));
                    }
                }

                return names;
            }

            /// <summary>
            /// For each workflow the rules of <paramref name="injector"/> inject, the LocalParams of the injecting rules
            /// and of the rules enclosing them, each rule's once, in document order (enclosing rules first).
            /// </summary>
            private Dictionary<string, List<ScopedParameterDefinition>> LocalsOf(string injector)
            {
                if (_byInjector.TryGetValue(injector, out var known))
                {
                    return known;
                }

                var result = new Dictionary<string, List<ScopedParameterDefinition>>(System.StringComparer.Ordinal);
                var added = new Dictionary<string, HashSet<RuleDefinition>>(System.StringComparer.Ordinal);
                var path = new List<RuleDefinition>();

                // Recursion over rule nesting only, which the JSON depth limit bounds (JsonParser.MaxDepth).
                void Walk(RuleDefinition rule)
                {
                    path.Add(rule);
                    foreach (var target in rule.WorkflowsToInject.Distinct())
                    {
                        if (!added.TryGetValue(target, out var seen))
                        {
                            added[target] = seen = new HashSet<RuleDefinition>();
                            result[target] = new List<ScopedParameterDefinition>();
                        }

                        foreach (var frame in path)
                        {
                            if (seen.Add(frame))
                            {
                                result[target].AddRange(frame.LocalParams);
                            }
                        }
                    }

                    foreach (var child in rule.Rules)
                    {
                        Walk(child);
                    }

                    path.RemoveAt(path.Count - 1);
                }

                foreach (var rule in _byName[injector].Rules)
                {
                    Walk(rule);
                }

                _byInjector[injector] = result;
                return result;
            }
        }

        /// <summary>Adds each name not already there (the first definition of a name is the one a message points at).</summary>
        private static ImmutableDictionary<string, SourceLocation> AddAbsent(ImmutableDictionary<string, SourceLocation> names, IEnumerable<(string Name, SourceLocation Location)> more)
        {
            var builder = names.ToBuilder();
            foreach (var (name, location) in more)
            {
                if (!builder.ContainsKey(name))
                {
                    builder.Add(name, location);
                }
            }

            return builder.Count == names.Count ? names : builder.ToImmutable();
        }

        /// <summary>
        /// For each workflow, the entry workflows whose evaluation reaches its rules (<see cref="RoutedBy"/>), remembered
        /// so that a chain of n injections costs n steps rather than one walk up the chain per workflow (n²/2).
        /// </summary>
        internal sealed class EntryWorkflows
        {
            private readonly IReadOnlyDictionary<string, WorkflowDefinition> _byName;
            private readonly IReadOnlyDictionary<string, IReadOnlyList<string>> _injectedBy;
            private readonly Dictionary<string, IReadOnlyList<string>> _known = new(System.StringComparer.Ordinal);

            public EntryWorkflows(IReadOnlyDictionary<string, WorkflowDefinition> byName, IReadOnlyDictionary<string, IReadOnlyList<string>> injectedBy)
            {
                _byName = byName;
                _injectedBy = injectedBy;
            }

            public IReadOnlyList<string> For(string workflow)
            {
                // Injectors first, with an explicit stack. A workflow in or below an injection cycle (DR0016) is not
                // remembered from partial answers: it gets the full walk, exactly as RoutedBy answers it.
                var inProgress = new HashSet<string>(System.StringComparer.Ordinal);
                var cyclic = new HashSet<string>(System.StringComparer.Ordinal);
                var pending = new Stack<(string Name, bool Ready)>();
                pending.Push((workflow, false));
                while (pending.Count > 0)
                {
                    var (name, ready) = pending.Pop();
                    if (_known.ContainsKey(name) || cyclic.Contains(name) || !_byName.ContainsKey(name))
                    {
                        continue;
                    }

                    var parents = _injectedBy.TryGetValue(name, out var injecting) ? injecting.Where(_byName.ContainsKey).ToList() : new List<string>();
                    if (ready)
                    {
                        if (parents.Count == 0)
                        {
                            _known[name] = new[] { name };
                        }
                        else if (parents.All(_known.ContainsKey))
                        {
                            // One injector (a chain): share its list. Several: their entries, each once, in the order
                            // RoutedBy's walk meets them (it pops the last injector first).
                            _known[name] = parents.Count == 1 ? _known[parents[0]] : Enumerable.Reverse(parents).SelectMany(p => _known[p]).Distinct().ToList();
                        }
                        else
                        {
                            cyclic.Add(name);
                        }

                        continue;
                    }

                    if (!inProgress.Add(name))
                    {
                        continue;
                    }

                    pending.Push((name, true));
                    foreach (var parent in Enumerable.Reverse(parents))
                    {
                        if (!_known.ContainsKey(parent) && !inProgress.Contains(parent))
                        {
                            pending.Push((parent, false));
                        }
                    }
                }

                return _known.TryGetValue(workflow, out var entries) ? entries : RoutedBy(workflow, _byName, _injectedBy);
            }
        }

        private static void CheckLocals(
            RuleDefinition rule,
            IReadOnlyDictionary<string, (SourceLocation Location, string Workflow)> globals,
            ImmutableDictionary<string, SourceLocation> enclosing,
            IReadOnlyDictionary<string, SourceLocation> ruleSetParameters,
            DiagnosticBag diagnostics)
        {
            var locals = new Dictionary<string, SourceLocation>(System.StringComparer.OrdinalIgnoreCase);
            var inner = enclosing;
            foreach (var local in rule.LocalParams)
            {
                if (!CheckName("LocalParam", local, ruleSetParameters, locals, diagnostics))
                {
                    continue;
                }

                if (globals.TryGetValue(local.Name, out var global))
                {
                    diagnostics.Report(DiagnosticDescriptors.LocalParamHidesParameter, local.Location, local.Name, $"the GlobalParam '{local.Name}' of workflow '{global.Workflow}'", global.Location, CaseNote(globals.Keys, local.Name));
                }
                else if (enclosing.TryGetKey(local.Name, out var outerName))
                {
                    diagnostics.Report(DiagnosticDescriptors.LocalParamHidesParameter, local.Location, local.Name, "a LocalParam of an enclosing rule, or of a rule that injects this one's workflow", enclosing[outerName], CaseNote(new[] { outerName }, local.Name));
                }

                // The child rules' scope shares the enclosing one's structure: adding is logarithmic, where copying it per
                // rule was linear (quadratic down a long injection chain whose rules have child rules).
                if (!inner.ContainsKey(local.Name))
                {
                    inner = inner.Add(local.Name, local.Location);
                }
            }

            foreach (var child in rule.Rules)
            {
                CheckLocals(child, globals, inner, ruleSetParameters, diagnostics);
            }
        }

        /// <summary>Reports a name that collides with the language, a rule-set parameter or an earlier entry of the same list; false when it does.</summary>
        private static bool CheckName(
            string kind,
            ScopedParameterDefinition parameter,
            IReadOnlyDictionary<string, SourceLocation> ruleSetParameters,
            Dictionary<string, SourceLocation> seen,
            DiagnosticBag diagnostics)
        {
            if (seen.TryGetValue(parameter.Name, out var first))
            {
                diagnostics.Report(DiagnosticDescriptors.ParameterDefinedTwice, parameter.Location, kind, parameter.Name, first, CaseNote(seen.Keys, parameter.Name));
                return false;
            }

            if (ExpressionNames.ReservedMeaning(parameter.Name) is { } meaning)
            {
                diagnostics.Report(DiagnosticDescriptors.ParameterNameReserved, parameter.Location, kind, parameter.Name, meaning);
                return false;
            }

            if (ruleSetParameters.TryGetValue(parameter.Name, out var declared))
            {
                diagnostics.Report(DiagnosticDescriptors.ParameterNameCollision, parameter.Location, kind, parameter.Name, declared, CaseNote(ruleSetParameters.Keys, parameter.Name));
                return false;
            }

            seen.Add(parameter.Name, parameter.Location);
            return true;
        }

        /// <summary>Says why two spellings collide, when the earlier name differs from this one only in case.</summary>
        private static string CaseNote(IEnumerable<string> names, string name) =>
            names.Contains(name, System.StringComparer.Ordinal)
                ? string.Empty
                : " (names that differ only in case are one name: RulesEngine reads identifiers in any case)";

        /// <summary>For each injected workflow, the workflows that inject it directly (by workflow or by rule), in order.</summary>
        internal static IReadOnlyDictionary<string, IReadOnlyList<string>> InjectedBy(IReadOnlyList<WorkflowDefinition> workflows)
        {
            var result = new Dictionary<string, List<string>>();
            foreach (var workflow in workflows)
            {
                var targets = workflow.WorkflowsToInject.Concat(WorkflowChecks.AllRules(workflow.Rules).SelectMany(r => r.WorkflowsToInject));
                foreach (var target in targets.Distinct())
                {
                    if (!result.TryGetValue(target, out var list))
                    {
                        result[target] = list = new List<string>();
                    }

                    if (!list.Contains(workflow.Name))
                    {
                        list.Add(workflow.Name);
                    }
                }
            }

            return result.ToDictionary(p => p.Key, p => (IReadOnlyList<string>)p.Value);
        }

        /// <summary>The entry workflows whose evaluation reaches this workflow's rules (itself, when it is an entry).</summary>
        internal static IReadOnlyList<string> RoutedBy(string workflow, IReadOnlyDictionary<string, WorkflowDefinition> byName, IReadOnlyDictionary<string, IReadOnlyList<string>> injectedBy)
        {
            var result = new List<string>();
            var seen = new HashSet<string>();
            var pending = new Stack<string>();
            pending.Push(workflow);
            while (pending.Count > 0)
            {
                var current = pending.Pop();
                if (!seen.Add(current) || !byName.ContainsKey(current))
                {
                    continue;
                }

                if (!injectedBy.TryGetValue(current, out var parents))
                {
                    result.Add(current);
                    continue;
                }

                foreach (var parent in parents)
                {
                    pending.Push(parent);
                }
            }

            return result;
        }
    }
}
