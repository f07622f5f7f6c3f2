using System;
using System.Collections.Generic;
using System.Linq;
using DecisionRouting.Diagnostics;
using DecisionRouting.RuleSets;
using DecisionRouting.Workflows;

namespace DecisionRouting.Evaluation
{
    /// <summary>
    /// What building RulesEngine's evaluator (the opt-in <c>RoutingEvaluation.RulesEngine</c>) costs, counted from the
    /// files without expanding anything, and DR0081 when it is over <see cref="MaxUnits"/>. The compiled evaluator,
    /// the default, is not affected: its compile cost is DR0058's, DR0069's and DR0070's.
    /// </summary>
    /// <remarks>
    /// <para>
    /// RulesEngine 6.0.1 (read in its source, <c>RuleCompiler</c> and <c>RuleExpressionParser</c>) compiles the entry
    /// workflow's GlobalParams once, but every rule, nested rule and injected copy into a delegate of its own whose body
    /// first copies <em>every</em> name in scope out of the argument array: the three inputs, all the entry workflow's
    /// GlobalParams, and the LocalParams of the rule and of every rule it is nested or injected in, whether the rule
    /// reads them or not. A rule with LocalParams also gets a second delegate that computes them, over the same names,
    /// and each LocalParam (and each GlobalParam) is parsed with every name before it in scope. So the cost is rules ×
    /// names in scope, which DR0058 (injected copies only), DR0069 (text, GlobalParams once) and DR0039 (evaluation
    /// steps) do not bound: 1,500 rules under 5,000 GlobalParams validate in 1.6 s, route compiled in 3.2 s, and took
    /// 72 s to build with RulesEngine, unstoppable, because RulesEngine cannot be instrumented inside a workflow.
    /// </para>
    /// <para>
    /// The unit is one name copied into one compiled delegate. Each delegate costs its names plus
    /// <see cref="PerDelegate"/> (compiling any delegate costs about 1.5 ms, what 20 to 80 names cost); parsing one
    /// parameter costs one unit per <see cref="ParseNamesPerUnit"/> names in scope (building the parser's symbol table
    /// is that much cheaper than compiling a copy). Every rule is counted, disabled ones and every injected copy
    /// included, and RulesEngine's delegate cache, which a copy with the same text and scope can hit, is not assumed:
    /// the count is never below what is compiled. It is memoised per rule and per workflow, as DR0058's is, so it is
    /// linear in the files. The measurements are in docs/rules/DR0081.md.
    /// </para>
    /// <para>
    /// It lives with <see cref="RulesEngineRuleSet"/>, not with the load checks in <c>DecisionRouting.RuleFiles</c>: only
    /// the library can be asked for the RulesEngine evaluator, so <c>validate</c> and the analyzer, which do not know
    /// the evaluator and stand for the compiled default, do not report it.
    /// </para>
    /// </remarks>
    internal static class RulesEngineCost
    {
        /// <summary>
        /// The most units building RulesEngine's evaluator may cost, all entry workflows together. Measured at 15 to 80 µs
        /// a unit on the loaded two-core development machine, so about 2 to 8 s of CPU at the limit.
        /// </summary>
        public const double MaxUnits = 100_000;

        /// <summary>What compiling one delegate costs beyond its names, in units (measured about 1.5 ms a delegate).</summary>
        public const double PerDelegate = 64;

        /// <summary>How many names in scope while parsing one parameter cost one unit.</summary>
        public const double ParseNamesPerUnit = 64;

        /// <summary>The names every expression sees before any parameter: <c>proposal</c>, <c>input1</c> and <c>parameters</c>.</summary>
        private const int Inputs = 3;

        /// <summary>
        /// DR0081 when building RulesEngine's evaluator over <paramref name="workflows"/> would cost more than
        /// <see cref="MaxUnits"/>, at the entry workflow that costs the most; null when it is within the bound.
        /// </summary>
        /// <param name="workflows">Every workflow of the rule set, as loaded (entry workflows are those nothing injects).</param>
        public static RuleDiagnostic? Check(IReadOnlyList<WorkflowDefinition> workflows)
        {
            var costs = Entries(workflows);
            var total = costs.Sum(c => c.Cost.Units);
            if (total <= MaxUnits || costs.Count == 0)
            {
                return null;
            }

            var (worst, cost) = costs.OrderByDescending(c => c.Cost.Units).First();
            var globals = worst.GlobalParams.Count;
            var message =
                $"Entry workflow '{worst.Name}' is too costly for the RulesEngine evaluator: RulesEngine compiles each of its {Format(cost.Rules)} rules (nested rules and injected copies counted) "
                + $"into a delegate that copies in every name in scope, the {Inputs} inputs and its {Format(globals)} GlobalParams{(cost.Locals > 0 ? $", with {Format(cost.Locals)} LocalParams seen in all" : string.Empty)}, "
                + $"whether the rule reads them or not, and parses each parameter with every name before it; that costs {Format(cost.Units)} units (a unit is one name in one compiled delegate), "
                + $"{Format(total)} for the rule set, and the limit is {Format(MaxUnits)}, about what builds in a few seconds. It cannot be stopped once started, so the rule set is refused before it is built. "
                + "Route with the compiled evaluator (RoutingEvaluation.Compiled, the default), which compiles only the names each rule reads; or move GlobalParams the rules do not share into LocalParams of the rules that read them, or split the workflow";
            return new RuleDiagnostic(DiagnosticDescriptors.RulesEngineTooCostly, worst.Location, new object?[] { message });
        }

        /// <summary>What building RulesEngine's evaluator costs, in units, for every entry workflow in <paramref name="workflows"/>.</summary>
        public static IReadOnlyList<(WorkflowDefinition Workflow, EntryCost Cost)> Entries(IReadOnlyList<WorkflowDefinition> workflows)
        {
            var counter = new Counter(workflows);
            return WorkflowChecks.EntryWorkflows(workflows).Select(e => (e, counter.Entry(e))).ToList();
        }

        private static string Format(double count) => Expressions.ExpressionCost.Steps(count);

        /// <summary>An entry workflow's cost: <see cref="Units"/>, from <see cref="Rules"/> compiled rules seeing <see cref="Locals"/> LocalParams in all.</summary>
        internal readonly record struct EntryCost(double Units, double Rules, double Locals);

        /// <summary>
        /// A rule or workflow expanded, entered with E names in scope: it costs <see cref="PerName"/> × E +
        /// <see cref="Fixed"/> units, holds <see cref="Rules"/> rules, and they see <see cref="Locals"/> LocalParams in
        /// all beyond E. Linear in E, so a workflow injected in many places is counted once and entered many times.
        /// </summary>
        private readonly record struct Cost(double PerName, double Fixed, double Rules, double Locals)
        {
            public static Cost Add(Cost a, Cost b) => new(a.PerName + b.PerName, a.Fixed + b.Fixed, a.Rules + b.Rules, a.Locals + b.Locals);

            /// <summary>This cost entered under <paramref name="locals"/> more names than its parent's scope.</summary>
            public Cost Under(int locals) => new(PerName, Fixed + PerName * locals, Rules, Locals + Rules * locals);
        }

        private sealed class Counter
        {
            private readonly Dictionary<string, WorkflowDefinition> _byName = new(StringComparer.Ordinal);
            private readonly Dictionary<string, Cost> _workflows = new(StringComparer.Ordinal);
            private readonly Dictionary<RuleDefinition, Cost> _rules = new();
            private readonly HashSet<string> _expanding = new(StringComparer.Ordinal);

            public Counter(IReadOnlyList<WorkflowDefinition> workflows)
            {
                foreach (var workflow in workflows)
                {
                    _byName[workflow.Name] = workflow;
                }
            }

            /// <summary>
            /// An entry workflow: its GlobalParams, each parsed with those before it and compiled together into one
            /// delegate, then every rule it holds with its injections expanded, in the scope of the inputs and all of them.
            /// </summary>
            public EntryCost Entry(WorkflowDefinition entry)
            {
                var globals = (double)entry.GlobalParams.Count;
                var parse = (globals * Inputs + globals * (globals - 1) / 2) / ParseNamesPerUnit;
                var delegateOfGlobals = globals > 0 ? Inputs + globals + PerDelegate : 0;
                var rules = Workflow(entry.Name);
                var units = parse + delegateOfGlobals + rules.PerName * (Inputs + globals) + rules.Fixed;
                return new EntryCost(units, rules.Rules, rules.Locals);
            }

            private Cost Workflow(string name)
            {
                if (_workflows.TryGetValue(name, out var known))
                {
                    return known;
                }

                if (!_byName.TryGetValue(name, out var workflow) || !_expanding.Add(name))
                {
                    return default; // unknown (DR0014) or an injection cycle (DR0016), both reported elsewhere
                }

                // Only the entry's GlobalParams are in scope (an injected workflow's own are DR0038), so an injected
                // workflow is entered in its injector's scope.
                var cost = workflow.Rules.Select(Rule).Concat(workflow.WorkflowsToInject.Select(Workflow)).Aggregate(default(Cost), Cost.Add);
                _expanding.Remove(name);
                _workflows[name] = cost;
                return cost;
            }

            /// <summary>
            /// One rule entered with E names in scope, and L LocalParams of its own: its delegate copies E + L names;
            /// with LocalParams, a second delegate computing them copies as many, and parsing them sees E, E + 1, …
            /// E + L − 1 names. What it nests or injects is entered with E + L.
            /// </summary>
            private Cost Rule(RuleDefinition rule)
            {
                if (_rules.TryGetValue(rule, out var known))
                {
                    return known;
                }

                var locals = rule.LocalParams.Count;
                var delegates = locals > 0 ? 2 : 1;
                var own = new Cost(
                    PerName: delegates + locals / ParseNamesPerUnit,
                    Fixed: delegates * (locals + PerDelegate) + (double)locals * (locals - 1) / 2 / ParseNamesPerUnit,
                    Rules: 1,
                    Locals: locals);
                var below = rule.Rules.Select(Rule).Concat(rule.WorkflowsToInject.Select(Workflow)).Aggregate(default(Cost), Cost.Add);
                var cost = Cost.Add(own, below.Under(locals));
                _rules[rule] = cost;
                return cost;
            }
        }
    }
}
