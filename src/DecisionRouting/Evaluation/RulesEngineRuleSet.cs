using System;
using System.Collections.Generic;
using System.Linq;
using DecisionRouting.Diagnostics;
using DecisionRouting.Expressions;
using DecisionRouting.Proposals;
using DecisionRouting.RuleSets;
using DecisionRouting.Workflows;
using RulesEngine.Models;

namespace DecisionRouting.Evaluation
{
    /// <summary>
    /// RulesEngine's own evaluator over a rule set: the oracle the compiled path is tested against
    /// (<c>DifferentialTests</c>), and what callers get with <see cref="Routing.RoutingEvaluation.RulesEngine"/>.
    /// Its model is built, and its lazy compilation forced, on first use rather than on every load.
    /// </summary>
    internal sealed class RulesEngineRuleSet : IRuleEvaluator
    {
        private readonly Lazy<RulesEngine.RulesEngine> _engine;
        private readonly Lazy<RuleDiagnostic?> _refusal;
        private readonly string _ruleSetName;
        private readonly IReadOnlyList<string> _entryWorkflowNames;
        private readonly IReadOnlyDictionary<(string Workflow, string Rule), RuleDefinition> _topLevel;
        private readonly Func<Proposal, object> _parametersFor;
        private readonly ExpressionEnvironment _environment;

        public RulesEngineRuleSet(
            RuleSetDefinition definition,
            IReadOnlyDictionary<string, WorkflowDefinition> byName,
            IReadOnlyList<string> entryWorkflowNames,
            IReadOnlyDictionary<(string Workflow, string Rule), RuleDefinition> topLevel,
            ExpressionEnvironment environment,
            Func<Proposal, object> parametersFor)
        {
            _entryWorkflowNames = entryWorkflowNames;
            _topLevel = topLevel;
            _environment = environment;
            _parametersFor = parametersFor;
            _ruleSetName = definition.Name;

            // Counted once, from the files, before anything is built: RulesEngine's build cannot be stopped (DR0081).
            _refusal = new Lazy<RuleDiagnostic?>(() => RulesEngineCost.Check(definition.Workflows));

            // RulesEngine is only the oracle now (RoutingEvaluation.RulesEngine, differential tests), so it is built,
            // and its lazy compilation forced, on first use rather than on every load.
            // PublicationOnly: a fault while building (out of memory) is not cached, so a later route can try again.
            _engine = new Lazy<RulesEngine.RulesEngine>(() =>
            {
                ThrowIfRefused();
                var workflows = definition.EntryWorkflows
                    .Where(w => entryWorkflowNames.Contains(w.Name))
                    .Select(w => ToRulesEngine(w, byName, new Dictionary<(string, string), RuleDefinition>(), new Dictionary<string, IReadOnlyList<ScopedParameterDefinition>>(), build: true))
                    .ToArray();
                var engine = new RulesEngine.RulesEngine(workflows, ExpressionEnvironment.Settings);
                WarmUp(engine);
                return engine;
            }, System.Threading.LazyThreadSafetyMode.PublicationOnly);
        }

        /// <summary>The engine, built and warmed on first use.</summary>
        /// <exception cref="InvalidRuleSetException">Building it would cost more than DR0081 allows.</exception>
        public RulesEngine.RulesEngine Engine => _engine.Value;

        /// <summary>
        /// DR0081 when building RulesEngine over this rule set would cost more than <see cref="RulesEngineCost.MaxUnits"/>;
        /// null when it may be built. Counted on first ask, from the files, without building anything.
        /// </summary>
        public RuleDiagnostic? Refusal => _refusal.Value;

        /// <summary>
        /// Refuses the rule set if it is over DR0081's bound, then builds and warms the engine: asked for when a router
        /// is created with <see cref="Routing.RoutingEvaluation.RulesEngine"/>, so building, which RulesEngine gives no
        /// way to stop, is bounded up front like loading and is not charged to a route's time budget.
        /// </summary>
        /// <exception cref="InvalidRuleSetException">Building it would cost more than DR0081 allows; nothing is built.</exception>
        /// <exception cref="Routing.RoutingFaultException">Building ran out of memory or stack.</exception>
        public void Prepare()
        {
            ThrowIfRefused();
            try
            {
                _ = _engine.Value;
            }
            catch (Exception e) when (HostFaults.IsFault(e))
            {
                throw Routing.RoutingFaultException.Loading(_ruleSetName, e);
            }
        }

        private void ThrowIfRefused()
        {
            if (Refusal is { } refusal)
            {
                throw new InvalidRuleSetException(_ruleSetName, new[] { refusal });
            }
        }

        /// <summary>The RulesEngine inputs for one proposal: <c>proposal</c>, <c>input1</c> and the parameters in force on its decision date.</summary>
        public RuleParameter[] Inputs(Proposal proposal) => _environment.Inputs(proposal, _parametersFor(proposal));

        /// <inheritdoc/>
        public void Evaluate(Proposal proposal, object parameters, RuleOutcome collect)
        {
            var inputs = _environment.Inputs(proposal, parameters);
            foreach (var workflow in _entryWorkflowNames)
            {
                // RulesEngine's execution is synchronous under its ValueTask; blocking here costs nothing. It catches every
                // exception into the rule's result, so a fault it swallowed is raised here, before any result is read.
                EvaluationGuard.InWorkflow(workflow);
                var results = Engine.ExecuteAllRulesAsync(workflow, inputs).AsTask().GetAwaiter().GetResult();
                EvaluationGuard.ThrowIfFaulted();
                foreach (var result in results)
                {
                    collect(workflow, _topLevel[(workflow, result.Rule.RuleName)], result.IsSuccess, FirstError(result));
                }

                EvaluationGuard.CheckBudget();
            }
        }

        /// <summary>
        /// The first error anywhere in a rule's result tree, depth first. RulesEngine evaluates every child of a nested
        /// rule and keeps a child's error on the child, combining it as "no match"; an error must not be swallowed by its
        /// parent's And/Or, so it makes the whole top-level rule undecided (a missing value) or not evaluated, as the
        /// compiled evaluator does.
        /// </summary>
        private static string? FirstError(RulesEngine.Models.RuleResultTree result)
        {
            if (!string.IsNullOrEmpty(result.ExceptionMessage))
            {
                return result.ExceptionMessage;
            }

            foreach (var child in result.ChildResults ?? Enumerable.Empty<RulesEngine.Models.RuleResultTree>())
            {
                if (FirstError(child) is { } error)
                {
                    return error;
                }
            }

            return null;
        }

        /// <summary>
        /// RulesEngine compiles lazily on first execution. Doing it here, once, means routing threads only read its
        /// caches, and a first route costs no more than any other.
        /// </summary>
        private void WarmUp(RulesEngine.RulesEngine engine)
        {
            var sample = new Proposal
            {
                Id = "warm-up",
                Title = "warm-up",
                DecisionMaker = DecisionMaker.Cabinet,
                IntendedDecisionDate = new NodaTime.LocalDate(2020, 1, 1),
                Kinds = new[] { ProposalKind.Mou },
            };
            foreach (var name in _entryWorkflowNames)
            {
                engine.ExecuteAllRulesAsync(name, Inputs(sample)).AsTask().GetAwaiter().GetResult();
            }
        }

        /// <summary>
        /// Maps a checked definition to RulesEngine's model. Injection is expanded here rather than left to
        /// RulesEngine, whose cache appends injected rules again on every execution. Without <paramref name="build"/>
        /// only the top-level rules and GlobalParams are recorded: <see cref="RuleEvaluation"/> lays out the entry
        /// workflows with it, so both evaluators see the same rules in the same order.
        /// </summary>
        internal static Workflow ToRulesEngine(
            WorkflowDefinition workflow,
            IReadOnlyDictionary<string, WorkflowDefinition> byName,
            Dictionary<(string Workflow, string Rule), RuleDefinition> topLevel,
            Dictionary<string, IReadOnlyList<ScopedParameterDefinition>> globalsByWorkflow,
            bool build)
        {
            var rules = new List<Rule>();
            var globals = new List<ScopedParam>();
            var definitions = new List<ScopedParameterDefinition>();
            globalsByWorkflow[workflow.Name] = definitions;
            Collect(workflow, new HashSet<string>());
            return new Workflow { WorkflowName = workflow.Name, Rules = rules, GlobalParams = globals };

            void Collect(WorkflowDefinition w, HashSet<string> seen)
            {
                if (!seen.Add(w.Name))
                {
                    return;
                }

                // Only the entry workflow's GlobalParams are evaluated, as RulesEngine does: an injected workflow's
                // rules run in the scope of the workflow that routes them (its own GlobalParams are DR0038).
                if (w == workflow)
                {
                    definitions.AddRange(w.GlobalParams);
                    globals.AddRange(w.GlobalParams.Select(g => new ScopedParam { Name = g.Name, Expression = ExpressionNames.NormalizeKeywords(g.Expression) }));
                }

                foreach (var rule in w.Rules.Where(r => r.Enabled))
                {
                    // Names are unique across an injection chain: validation reports collisions as DR0005.
                    topLevel.Add((workflow.Name, rule.Name), rule);
                    if (build)
                    {
                        rules.Add(ToRule(rule, byName));
                    }
                }
                foreach (var injected in w.WorkflowsToInject)
                {
                    Collect(byName[injected], seen);
                }
            }
        }

        private static Rule ToRule(RuleDefinition rule, IReadOnlyDictionary<string, WorkflowDefinition> workflows)
        {
            var children = rule.Rules.Where(r => r.Enabled).Select(r => ToRule(r, workflows))
                .Concat(rule.WorkflowsToInject.SelectMany(w => WorkflowChecks.InjectedRules(workflows[w], workflows).Where(r => r.Enabled).Select(r => ToRule(r, workflows))))
                .ToList();
            return new Rule
            {
                RuleName = rule.Name,
                // A rule whose injected workflows hold no enabled rule has nothing to combine: it does not match, as in the
                // compiled evaluator, rather than failing RulesEngine's "Expression cannot be null or empty" check.
                Expression = children.Count == 0 ? ExpressionNames.NormalizeKeywords(rule.Expression ?? "false") : null,
                Operator = children.Count == 0 ? null : rule.Operator,
                Rules = children.Count == 0 ? null : children,
                LocalParams = rule.LocalParams.Select(p => new ScopedParam { Name = p.Name, Expression = ExpressionNames.NormalizeKeywords(p.Expression) }).ToList(),

                // Not passed on: RulesEngine copies ErrorMessage into ExceptionMessage when a rule simply does not
                // match, and evaluation reads ExceptionMessage as "this rule threw". Routing never uses it.
                ErrorMessage = null,
                SuccessEvent = rule.SuccessEvent,
                Enabled = true,
                RuleExpressionType = RuleExpressionType.LambdaExpression,
                Properties = rule.Properties.ToDictionary(p => p.Key, p => p.Value!),
            };
        }
    }
}
