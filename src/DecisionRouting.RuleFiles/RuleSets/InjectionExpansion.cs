using System;
using System.Collections.Generic;
using System.Linq;
using DecisionRouting.Diagnostics;
using DecisionRouting.Text;
using DecisionRouting.Workflows;

namespace DecisionRouting.RuleSets
{
    /// <summary>
    /// How many rules the entry workflows hold once every injection is expanded, and what checking and evaluating
    /// them costs, counted without expanding anything. Injection copies a workflow's rules into each place that
    /// injects it, so 22 workflows of two rules, each rule injecting the next, expand to four million rules: a rule set
    /// that validates in a blink would exhaust memory when loaded to route. The count is memoised per rule and per
    /// workflow, so it is linear in the files.
    /// </summary>
    /// <remarks>
    /// The compiled evaluator shares an injected workflow between the places that inject it and, in the workflow's
    /// own scope, evaluates it once per route; but under a LocalParam (whose value differs from rule to rule) every
    /// copy is checked and evaluated, and RulesEngine (the opt-in evaluator) always expands every copy. Each such copy
    /// costs in proportion to the names it can see, so the bound is on both the copies and the copies weighted by
    /// their scope. The limits are measured (docs/rules/DR0058.md): checking a copy under a LocalParam costs about
    /// 0.3 ms and each name it sees about 8 µs on a loaded two-core machine, so at either limit a worst-case fan-out
    /// loads in about 3 s and routes in a fraction of one, inside the 5 s routing budget.
    /// </remarks>
    internal static class InjectionExpansion
    {
        /// <summary>The most rules all entry workflows together may hold with their injections expanded.</summary>
        public const double MaxExpandedRules = 10_000;

        /// <summary>
        /// The most work the expansion may cost: every expanded rule counted once for each name it can see (the three
        /// inputs, the entry workflow's GlobalParams, and the LocalParams of the rules it is nested or injected in).
        /// </summary>
        public const double MaxExpandedScopeWork = 500_000;

        /// <summary>
        /// The most expression text, in characters, that loading may compile (DR0069): every rule's <c>Expression</c> and
        /// <c>LocalParams</c> once for each copy injection makes of it, and each entry workflow's <c>GlobalParams</c>.
        /// Compiling costs about 2 s per million characters of plain rules and about 5 s under <c>LocalParams</c> (each
        /// copy is compiled in its own scope) on the loaded two-core development machine, so this keeps loading within
        /// a few seconds while 50,000 one-comparison rules (1.35 million characters) still fit (docs/rules/DR0069.md).
        /// </summary>
        public const double MaxCompiledText = 1_500_000;

        /// <summary>The names every expression sees before any parameter: <c>proposal</c>, <c>input1</c> and <c>parameters</c>.</summary>
        private const int Inputs = 3;

        /// <summary>Reports DR0058, naming the chain of injections, when the expansion is over either bound; returns whether it is within them.</summary>
        public static bool Check(IReadOnlyList<WorkflowDefinition> workflows, DiagnosticBag diagnostics)
        {
            var counter = new Counter(workflows);
            var entries = WorkflowChecks.EntryWorkflows(workflows);
            // Plain loops and a class, not LINQ over a value tuple: that generic code is in no ReadyToRun image, so every
            // cold load jitted it. Summed in the same order, so every figure is the same.
            var sizes = new List<EntrySize>(entries.Count);
            double total = 0, work = 0;
            foreach (var e in entries)
            {
                var expansion = counter.Workflow(e.Name);
                var entry = new EntrySize(e, expansion.Count, expansion.CopyCount * (Inputs + e.GlobalParams.Count) + expansion.CopyExtra, expansion.CopyExtra > 0);
                sizes.Add(entry);
                total += entry.Size;

                // Weighted by scope, only the copies injection makes: a workflow's own rules are checked and evaluated once.
                work += entry.Work;
            }

            if (total <= MaxExpandedRules && work <= MaxExpandedScopeWork)
            {
                return CheckText(entries, counter, diagnostics);
            }

            var overCount = total > MaxExpandedRules;
            var (worst, size, worstWork, local) = sizes.OrderByDescending(s => overCount ? s.Size : s.Work).First();
            var (chain, at) = counter.HeaviestPath(worst, s => s.Count);
            var through = $"through {string.Join(" → ", chain.Select(c => $"'{c}'"))} (each injection copies the injected rules into every place that injects them)";
            var message = !overCount
                ? $"Workflow injection expands entry workflow '{worst.Name}' to {Format(size)} rules {through}; each copy is checked{(local ? ", and evaluated under a LocalParam," : string.Empty)} against the {Format(Inputs + worst.GlobalParams.Count)} or more names it can see (inputs, GlobalParams, LocalParams), {Format(worstWork)} in all, and {Format(work)} for all entry workflows; the limit is {Format(MaxExpandedScopeWork)}. Inject each workflow from one place, or move the GlobalParams and LocalParams the injected rules do not need out of their scope"
                : chain.Count > 1
                    ? $"Workflow injection expands entry workflow '{worst.Name}' to {Format(size)} rules {through}, and all entry workflows to {Format(total)}; the limit is {Format(MaxExpandedRules)}. Inject each workflow from one place, or list its rules once"
                    : $"The entry workflows hold {Format(total)} rules ('{worst.Name}' {Format(size)}); the limit is {Format(MaxExpandedRules)}. Split the rule set";
            diagnostics.Report(DiagnosticDescriptors.InjectionTooLarge, at ?? worst.Location, message);
            return false;
        }

        /// <summary>
        /// Reports DR0069 when the expression text to compile, every injected copy counted, is over
        /// <see cref="MaxCompiledText"/>, at the entry workflow (or its first injection) that brings the most.
        /// </summary>
        /// <remarks>
        /// Every copy is counted, as RulesEngine (the opt-in evaluator) compiles every copy and the compiled evaluator
        /// compiles a copy under a LocalParam in its own scope; a fan-out without LocalParams, which the compiled evaluator
        /// compiles once per workflow, is counted in full too, so the bound holds for either evaluator. Only the
        /// counts already memoised for DR0058 are read, so nothing is expanded.
        /// </remarks>
        private static bool CheckText(IReadOnlyList<WorkflowDefinition> entries, Counter counter, DiagnosticBag diagnostics)
        {
            var texts = new double[entries.Count];
            double total = 0;
            for (var i = 0; i < entries.Count; i++)
            {
                double globals = 0;
                foreach (var global in entries[i].GlobalParams)
                {
                    globals += global.Expression.Length;
                }

                texts[i] = counter.Workflow(entries[i].Name).Text + globals;
                total += texts[i];
            }

            if (total <= MaxCompiledText)
            {
                return true;
            }

            var worstAt = Enumerable.Range(0, entries.Count).OrderByDescending(i => texts[i]).First();
            var (worst, text) = (entries[worstAt], texts[worstAt]);
            var (chain, at) = counter.HeaviestPath(worst, s => s.Text);
            var through = chain.Count > 1
                ? $", most of it through {string.Join(" → ", chain.Select(c => $"'{c}'"))} (each injection copies the injected rules, and their expressions, into every place that injects them)"
                : string.Empty;
            var message = $"The rule set has {Format(total)} characters of expressions to compile, every injected copy counted (rule Expressions, LocalParams and GlobalParams); entry workflow '{worst.Name}' brings {Format(text)} of them{through}; the limit is {Format(MaxCompiledText)}, about what compiles in a few seconds. Shorten the expressions (name a long condition once as a GlobalParam), inject long rules from one place, or split the rule set";
            diagnostics.Report(DiagnosticDescriptors.CompiledTextTooLarge, at ?? worst.Location, message);
            return false;
        }

        private static string Format(double count) => Expressions.ExpressionCost.Steps(count);

        /// <summary>An entry workflow's expansion: its rules, the scope work of its copies, and whether a LocalParam is in it.</summary>
        private sealed record EntrySize(WorkflowDefinition Workflow, double Size, double Work, bool Local);

        /// <summary>
        /// An expansion: <see cref="Count"/> rules, which see <see cref="Extra"/> LocalParams in all beyond their
        /// entry workflow's scope; of them <see cref="CopyCount"/> are copies made by injection, seeing
        /// <see cref="CopyExtra"/>. Entered with s names in scope, the copies cost CopyCount × s + CopyExtra.
        /// <see cref="Text"/> is the characters of their Expressions and LocalParams, every copy counted.
        /// </summary>
        internal readonly record struct Size(double Count, double Extra, double CopyCount, double CopyExtra, double Text)
        {
            public static Size Add(Size a, Size b) => new(a.Count + b.Count, a.Extra + b.Extra, a.CopyCount + b.CopyCount, a.CopyExtra + b.CopyExtra, a.Text + b.Text);

            /// <summary>This expansion injected somewhere: all of it is copies.</summary>
            public Size AsCopy() => new(Count, Extra, Count, Extra, Text);
        }

        private sealed class Counter
        {
            private readonly Dictionary<string, WorkflowDefinition> _byName;
            private readonly Dictionary<string, Size> _workflows = new(StringComparer.Ordinal);
            private readonly Dictionary<RuleDefinition, Size> _rules = new();
            private readonly HashSet<string> _expanding = new(StringComparer.Ordinal);

            public Counter(IReadOnlyList<WorkflowDefinition> workflows)
            {
                _byName = new Dictionary<string, WorkflowDefinition>(StringComparer.Ordinal);
                foreach (var workflow in workflows)
                {
                    _byName[workflow.Name] = workflow;
                }

                Prime(workflows);
            }

            /// <summary>
            /// Counts every workflow after the workflows it injects, found with an explicit stack, so that counting one
            /// recurses only through its own nested rules (which the JSON depth limit bounds) and finds what it injects
            /// already counted. Counting straight from the entry recursed once per level of injection, and a chain of
            /// 10,000 injections overflowed the stack and crashed the process (the CLI, or the compiler running the analyzer).
            /// </summary>
            private void Prime(IReadOnlyList<WorkflowDefinition> workflows)
            {
                var state = new Dictionary<string, bool>(StringComparer.Ordinal); // false: its injections pending; true: counted
                foreach (var root in workflows)
                {
                    var pending = new Stack<(string Name, bool Ready)>();
                    pending.Push((root.Name, false));
                    while (pending.Count > 0)
                    {
                        var (name, ready) = pending.Pop();
                        if (ready)
                        {
                            Workflow(name);
                            state[name] = true;
                            continue;
                        }

                        // Already counted, or on the path (an injection cycle, DR0016: counted as Workflow counts it).
                        if (state.ContainsKey(name) || !_byName.TryGetValue(name, out var workflow))
                        {
                            continue;
                        }

                        state[name] = false;
                        pending.Push((name, true));
                        foreach (var target in workflow.WorkflowsToInject.Concat(WorkflowChecks.AllRules(workflow.Rules).SelectMany(r => r.WorkflowsToInject)))
                        {
                            if (!state.ContainsKey(target))
                            {
                                pending.Push((target, false));
                            }
                        }
                    }
                }
            }

            /// <summary>
            /// A workflow's rules with everything it injects, as the checks and both evaluators expand it (an upper bound);
            /// see <see cref="Size"/> for what else is counted.
            /// </summary>
            public Size Workflow(string name)
            {
                if (_workflows.TryGetValue(name, out var known))
                {
                    return known;
                }

                if (!_byName.TryGetValue(name, out var workflow) || !_expanding.Add(name))
                {
                    return default; // unknown (DR0014) or an injection cycle (DR0016), both reported elsewhere
                }

                // Rules injected at workflow level are copies in their entirety.
                var size = Sum(workflow.Rules, workflow.WorkflowsToInject);
                _expanding.Remove(name);
                _workflows[name] = size;
                return size;
            }

            /// <summary>
            /// The rules' sizes, then each injected workflow's as copies, added in that order. A plain loop, not LINQ:
            /// LINQ over this value type is generic code of the framework that no ReadyToRun image holds, so every
            /// cold load jitted about 20 methods for it.
            /// </summary>
            private Size Sum(IReadOnlyList<RuleDefinition> rules, IReadOnlyList<string> injected)
            {
                var sum = default(Size);
                foreach (var rule in rules)
                {
                    sum = Size.Add(sum, Rule(rule));
                }

                foreach (var name in injected)
                {
                    sum = Size.Add(sum, Workflow(name).AsCopy());
                }

                return sum;
            }

            private Size Rule(RuleDefinition rule)
            {
                if (_rules.TryGetValue(rule, out var known))
                {
                    return known;
                }

                // The rule and everything below it see its LocalParams too.
                var below = Sum(rule.Rules, rule.WorkflowsToInject);
                var locals = rule.LocalParams.Count;
                var text = (rule.Expression?.Length ?? 0) + rule.LocalParams.Sum(p => (double)p.Expression.Length) + below.Text;
                var size = new Size(1 + below.Count, locals * (1 + below.Count) + below.Extra, below.CopyCount, locals * below.CopyCount + below.CopyExtra, text);

                // A rule with nothing below it costs less to count again than to remember (most rules: no entry per rule).
                if (rule.Rules.Count > 0 || rule.WorkflowsToInject.Count > 0)
                {
                    _rules[rule] = size;
                }

                return size;
            }

            /// <summary>The injections the bulk of the expansion comes through, from the entry, and the first of them to point at.</summary>
            public (List<string> Chain, SourceLocation? At) HeaviestPath(WorkflowDefinition entry, Func<Size, double> weight)
            {
                var chain = new List<string> { entry.Name };
                SourceLocation? at = null;
                var current = entry;
                var seen = new HashSet<string>(StringComparer.Ordinal) { entry.Name };
                while (true)
                {
                    // Every injection in the workflow, at any depth of its nested rules, with what it brings.
                    var injections = current.InjectNodes.Select(n => (Node: n, Size: weight(Workflow(n.Value))))
                        .Concat(WorkflowChecks.AllRules(current.Rules).SelectMany(r => r.InjectNodes.Select(n => (Node: n, Size: weight(Workflow(n.Value))))))
                        .Where(i => _byName.ContainsKey(i.Node.Value) && !seen.Contains(i.Node.Value))
                        .OrderByDescending(i => i.Size)
                        .ToList();
                    if (injections.Count == 0)
                    {
                        return (chain, at);
                    }

                    var heaviest = injections[0].Node;
                    at ??= heaviest.Location;
                    chain.Add(heaviest.Value);
                    seen.Add(heaviest.Value);
                    current = _byName[heaviest.Value];
                    if (chain.Count > 12)
                    {
                        chain.Add("…");
                        return (chain, at);
                    }
                }
            }
        }
    }
}
