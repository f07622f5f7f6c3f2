using System.Collections.Generic;
using System.Linq;
using DecisionRouting.Diagnostics;
using DecisionRouting.Expressions;
using DecisionRouting.Text;
using DecisionRouting.Workflows;

namespace DecisionRouting.RuleSets
{
    /// <summary>
    /// Names in one expression scope must not collide (DR0037), and an injected workflow's GlobalParams, which
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
                foreach (var owner in RoutedBy(workflow.Name, byName, injectedBy))
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

        /// <summary>For each workflow, the LocalParams visible where it is injected: those of the injecting rule and the rules enclosing it, and those visible where their workflow is injected in turn.</summary>
        private sealed class InjectingLocals
        {
            private readonly IReadOnlyDictionary<string, WorkflowDefinition> _byName;
            private readonly IReadOnlyDictionary<string, IReadOnlyList<string>> _injectedBy;
            private readonly Dictionary<string, Dictionary<string, SourceLocation>> _known = new(System.StringComparer.Ordinal);

            // Only the workflows that inject this one (InjectedBy), not every workflow: asking all of them made a chain
            // of 10,000 injections cost 10,000² rule walks.
            public InjectingLocals(IReadOnlyDictionary<string, WorkflowDefinition> byName, IReadOnlyDictionary<string, IReadOnlyList<string>> injectedBy)
            {
                _byName = byName;
                _injectedBy = injectedBy;
            }

            public IReadOnlyDictionary<string, SourceLocation> For(string workflow)
            {
                if (_known.TryGetValue(workflow, out var known))
                {
                    return known;
                }

                var names = new Dictionary<string, SourceLocation>(System.StringComparer.OrdinalIgnoreCase);
                _known[workflow] = names; // an injection cycle (DR0016) ends here
                foreach (var name in _injectedBy.TryGetValue(workflow, out var injecting) ? injecting : System.Array.Empty<string>())
                {
                    if (!_byName.TryGetValue(name, out var outer))
                    {
                        continue;
                    }

                    foreach (var pair in For(name))
                    {
                        Add(names, pair.Key, pair.Value);
                    }

                    foreach (var rule in outer.Rules)
                    {
                        Collect(rule, new List<ScopedParameterDefinition>(), workflow, names);
                    }
                }

                return names;
            }

            private static void Collect(RuleDefinition rule, List<ScopedParameterDefinition> enclosing, string workflow, Dictionary<string, SourceLocation> names)
            {
                var scope = new List<ScopedParameterDefinition>(enclosing);
                scope.AddRange(rule.LocalParams);
                if (rule.WorkflowsToInject.Contains(workflow))
                {
                    foreach (var local in scope)
                    {
                        Add(names, local.Name, local.Location);
                    }
                }

                foreach (var child in rule.Rules)
                {
                    Collect(child, scope, workflow, names);
                }
            }

            private static void Add(Dictionary<string, SourceLocation> names, string name, SourceLocation location)
            {
                if (!names.ContainsKey(name))
                {
                    names.Add(name, location);
                }
            }
        }

        private static void CheckLocals(
            RuleDefinition rule,
            IReadOnlyDictionary<string, (SourceLocation Location, string Workflow)> globals,
            IReadOnlyDictionary<string, SourceLocation> enclosing,
            IReadOnlyDictionary<string, SourceLocation> ruleSetParameters,
            DiagnosticBag diagnostics)
        {
            var locals = new Dictionary<string, SourceLocation>(System.StringComparer.OrdinalIgnoreCase);
            foreach (var local in rule.LocalParams)
            {
                if (!CheckName("LocalParam", local, ruleSetParameters, locals, diagnostics))
                {
                    continue;
                }

                if (globals.TryGetValue(local.Name, out var global))
                {
                    diagnostics.Report(DiagnosticDescriptors.ParameterNameCollision, local.Location, $"LocalParam '{local.Name}' has the name of the GlobalParam '{local.Name}' of workflow '{global.Workflow}' ({global.Location}), which this rule also sees{CaseNote(globals.Keys, local.Name)}; rename one of them");
                }
                else if (enclosing.TryGetValue(local.Name, out var outer))
                {
                    diagnostics.Report(DiagnosticDescriptors.ParameterNameCollision, local.Location, $"LocalParam '{local.Name}' has the name of a LocalParam of an enclosing rule, or of a rule that injects this one's workflow ({outer}), which this rule also sees{CaseNote(enclosing.Keys, local.Name)}; rename one of them");
                }
            }

            var inner = enclosing.Concat(locals.Where(l => !enclosing.ContainsKey(l.Key))).ToDictionary(p => p.Key, p => p.Value, System.StringComparer.OrdinalIgnoreCase);
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
            string? problem = null;
            if (seen.TryGetValue(parameter.Name, out var first))
            {
                problem = $"{kind} '{parameter.Name}' is defined more than once in this list (first at {first}){CaseNote(seen.Keys, parameter.Name)}; RulesEngine 6.0.1 rejects duplicate names";
            }
            else if (ExpressionNames.ReservedMeaning(parameter.Name) is { } meaning)
            {
                problem = $"{kind} '{parameter.Name}' has the name of {meaning}; RulesEngine would reject or shadow it. Rename it";
            }
            else if (ruleSetParameters.TryGetValue(parameter.Name, out var declared))
            {
                problem = $"{kind} '{parameter.Name}' has the name of the rule-set parameter '{parameter.Name}' ({declared}), which expressions read as 'parameters.{parameter.Name}'{CaseNote(ruleSetParameters.Keys, parameter.Name)}; a reader cannot tell which one '{parameter.Name}' means. Rename it";
            }

            if (problem is not null)
            {
                diagnostics.Report(DiagnosticDescriptors.ParameterNameCollision, parameter.Location, problem);
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
