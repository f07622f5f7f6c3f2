using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using DecisionRouting.Diagnostics;
using DecisionRouting.Text;
using DecisionRouting.Workflows;

namespace DecisionRouting.RuleSets
{
    /// <summary>
    /// DR0070: how many scopes the compiled evaluator will compile injected workflows in, counted before anything is
    /// compiled. An injected workflow is compiled once for each scope it can see, trimmed to the names its text uses
    /// (<see cref="InjectedWords"/>). When the rules that inject it define LocalParams under names it uses, each
    /// combination of them is a scope of its own: a fan-out two wide and eleven deep whose injecting rules each name
    /// one that way compiled 4,094 copies, 3 ms each, and took 12 s of CPU to load while every other bound passed.
    /// </summary>
    /// <remarks>
    /// The count mirrors the compiler's walk, with one difference that only makes it larger: the compiler tells two
    /// LocalParams apart by name and type, and this count, which has no types, by name, text and the parameters that
    /// text reads (which is all a type can depend on). It stops at the limit, so counting costs at most the limit
    /// times the largest workflow, whatever the expansion.
    /// </remarks>
    internal static class InjectionScopes
    {
        /// <summary>
        /// The most scopes all entry workflows together may compile injected workflows in. Each costs about 5 ms to
        /// check and compile on the loaded two-core development machine (docs/rules/DR0070.md), so this keeps it to a
        /// few seconds, while a workflow injected from any number of places in the same scope counts once.
        /// </summary>
        public const int MaxScopes = 500;

        /// <summary>Reports DR0070 at the injection where the heaviest workflow's scopes start to differ; returns whether the count is within the bound.</summary>
        public static bool Check(IReadOnlyList<WorkflowDefinition> workflows, DiagnosticBag diagnostics)
        {
            var counter = new Counter(workflows);
            if (counter.CountAll() <= MaxScopes)
            {
                return true;
            }

            var (worst, count, at, names) = counter.Heaviest();
            var shown = string.Join(", ", names.Take(6).Select(n => $"'{n}'")) + (names.Count > 6 ? ", …" : string.Empty);
            var message = $"Workflow injection needs more than {Format(MaxScopes)} compiled scopes, the limit, about what checks and compiles in a few seconds: workflow '{worst}' alone needs {Format(count)} or more, because the rules that inject it define LocalParams under names its expressions use ({shown}), so each place that injects it sees different values and needs code of its own. Name those LocalParams so the injected rules do not read them, define the value once as a GlobalParam, or inject the workflow from fewer places";
            diagnostics.Report(DiagnosticDescriptors.TooManyCompiledScopes, at, message);
            return false;
        }

        /// <summary>The scopes counted for <paramref name="workflows"/>, stopping just past <see cref="MaxScopes"/> (for tests that hold the count to the compiler's).</summary>
        internal static int Count(IReadOnlyList<WorkflowDefinition> workflows)
        {
            return new Counter(workflows).CountAll();
        }

        private static string Format(double count) => Expressions.ExpressionCost.Steps(count);

        /// <summary>A LocalParam visible at some point: its name, the identity of its value, and the one it hides or follows.</summary>
        private sealed class Local
        {
            public Local(string name, int id, Local? next)
            {
                Name = name;
                Id = id;
                Next = next;
            }

            public string Name { get; }

            public int Id { get; }

            public Local? Next { get; }

            /// <summary>The visible LocalParams (innermost first, a hidden one skipped) whose names are in <paramref name="words"/>.</summary>
            public static IEnumerable<Local> Visible(Local? chain, ISet<string> words)
            {
                var seen = new HashSet<string>(StringComparer.Ordinal);
                for (var local = chain; local is not null; local = local.Next)
                {
                    if (seen.Add(local.Name) && words.Contains(local.Name))
                    {
                        yield return local;
                    }
                }
            }
        }

        private sealed class Counter
        {
            private readonly IReadOnlyList<WorkflowDefinition> _workflows;
            private readonly Dictionary<string, WorkflowDefinition> _byName = new(StringComparer.Ordinal);
            private readonly InjectedWords _words;
            private readonly Dictionary<ScopedParameterDefinition, HashSet<string>> _localWords = new();
            private readonly Dictionary<string, int> _ids = new(StringComparer.Ordinal);
            private readonly Dictionary<string, int> _perWorkflow = new(StringComparer.Ordinal);
            private readonly Dictionary<string, SourceLocation> _firstDifference = new(StringComparer.Ordinal);
            private readonly Dictionary<string, HashSet<string>> _names = new(StringComparer.Ordinal);

            public Counter(IReadOnlyList<WorkflowDefinition> workflows)
            {
                _workflows = workflows;
                foreach (var workflow in workflows)
                {
                    _byName[workflow.Name] = workflow;
                }

                _words = new InjectedWords(_byName);
            }

            /// <summary>Scopes counted so far, over every entry workflow (each compiles its own).</summary>
            public int Total { get; private set; }

            /// <summary>Counts every entry workflow's scopes, stopping once the total is over the bound; returns the total.</summary>
            public int CountAll()
            {
                foreach (var entry in WorkflowChecks.EntryWorkflows(_workflows))
                {
                    if (!Entry(entry))
                    {
                        break;
                    }
                }

                return Total;
            }

            /// <summary>Counts the scopes entry workflow <paramref name="entry"/> compiles; false once the total is over the bound.</summary>
            public bool Entry(WorkflowDefinition entry)
            {
                var seen = new HashSet<string>(StringComparer.Ordinal);
                var pending = new Queue<(string Workflow, Local? Chain)>();
                if (!Rules(WorkflowChecks.InjectedRules(entry, _byName), null, seen, pending))
                {
                    return false;
                }

                // A queue, not recursion: a chain of 10,000 injections (DR0058's bound) would exhaust the stack.
                while (pending.Count > 0)
                {
                    var (workflow, chain) = pending.Dequeue();
                    if (!Rules(WorkflowChecks.InjectedRules(_byName[workflow], _byName), chain, seen, pending))
                    {
                        return false;
                    }
                }

                return true;
            }

            /// <summary>The workflow with the most scopes, how many, where they start to differ, and the LocalParam names that make them.</summary>
            public (string Workflow, int Count, SourceLocation At, IReadOnlyList<string> Names) Heaviest()
            {
                var worst = _perWorkflow.OrderByDescending(w => w.Value).ThenBy(w => w.Key, StringComparer.Ordinal).First();
                var names = _names.TryGetValue(worst.Key, out var found) ? found.OrderBy(n => n, StringComparer.Ordinal).ToList() : new List<string>();
                return (worst.Key, worst.Value, _firstDifference.TryGetValue(worst.Key, out var at) ? at : _byName[worst.Key].Location, names);
            }

            private bool Rules(IEnumerable<RuleDefinition> rules, Local? chain, HashSet<string> seen, Queue<(string, Local?)> pending)
            {
                foreach (var rule in rules)
                {
                    if (!Rule(rule, chain, seen, pending))
                    {
                        return false;
                    }
                }

                return true;
            }

            private bool Rule(RuleDefinition rule, Local? chain, HashSet<string> seen, Queue<(string, Local?)> pending)
            {
                foreach (var local in rule.LocalParams)
                {
                    chain = new Local(local.Name, Identity(local, chain), chain);
                }

                if (!Rules(rule.Rules, chain, seen, pending))
                {
                    return false;
                }

                for (var i = 0; i < rule.WorkflowsToInject.Count; i++)
                {
                    var name = rule.WorkflowsToInject[i];
                    if (!_byName.ContainsKey(name))
                    {
                        continue; // DR0014, reported elsewhere
                    }

                    var words = _words.For(name);
                    var visible = Local.Visible(chain, words).ToList();
                    var key = new StringBuilder(name);
                    foreach (var local in visible)
                    {
                        key.Append('\0').Append(local.Id);
                    }

                    if (!seen.Add(key.ToString()))
                    {
                        continue;
                    }

                    Total++;
                    _perWorkflow[name] = _perWorkflow.TryGetValue(name, out var count) ? count + 1 : 1;
                    if (count == 1 && i < rule.InjectNodes.Count)
                    {
                        _firstDifference[name] = rule.InjectNodes[i].Location;
                    }

                    if (!_names.TryGetValue(name, out var names))
                    {
                        names = new HashSet<string>(StringComparer.Ordinal);
                        _names[name] = names;
                    }

                    names.UnionWith(visible.Select(l => l.Name));
                    if (Total > MaxScopes)
                    {
                        return false;
                    }

                    // Only what the injected rules can read travels with them, as the compiler trims the scope.
                    Local? trimmed = null;
                    for (var v = visible.Count - 1; v >= 0; v--)
                    {
                        trimmed = new Local(visible[v].Name, visible[v].Id, trimmed);
                    }

                    pending.Enqueue((name, trimmed));
                }

                return true;
            }

            /// <summary>
            /// What a LocalParam's value is, as far as compiled code can tell: its name, its text, and what the
            /// LocalParams its text reads are. Two with the same identity have the same type wherever they appear.
            /// </summary>
            private int Identity(ScopedParameterDefinition local, Local? chain)
            {
                if (!_localWords.TryGetValue(local, out var words))
                {
                    words = InjectedWords.Of(local.Expression);
                    _localWords[local] = words;
                }

                var key = new StringBuilder(local.Name).Append('\0').Append(local.Expression);
                foreach (var read in Local.Visible(chain, words))
                {
                    key.Append('\0').Append(read.Name).Append('=').Append(read.Id);
                }

                var text = key.ToString();
                if (!_ids.TryGetValue(text, out var id))
                {
                    id = _ids.Count;
                    _ids[text] = id;
                }

                return id;
            }
        }
    }
}
