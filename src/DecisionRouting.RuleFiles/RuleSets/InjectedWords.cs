using System;
using System.Collections.Generic;
using DecisionRouting.Expressions;
using DecisionRouting.Workflows;

namespace DecisionRouting.RuleSets
{
    /// <summary>
    /// The words in the texts a workflow brings where it is injected: its rules at any depth, their LocalParams, and
    /// the workflows they inject in turn. A name outside these cannot change what the injected rules mean, so the
    /// compiled evaluator trims the scope it compiles an injected workflow in to them, and DR0070 counts the scopes it
    /// will compile by the same words. One home, so the count and the compiler cannot drift apart.
    /// </summary>
    internal sealed class InjectedWords
    {
        private readonly IReadOnlyDictionary<string, WorkflowDefinition> _byName;
        private readonly Dictionary<string, HashSet<string>> _workflows = new(StringComparer.Ordinal);

        public InjectedWords(IReadOnlyDictionary<string, WorkflowDefinition> byName) => _byName = byName;

        /// <summary>The words of workflow <paramref name="name"/> with everything it injects (empty for an unknown workflow).</summary>
        public ISet<string> For(string name)
        {
            if (_workflows.TryGetValue(name, out var known))
            {
                return known;
            }

            var words = new HashSet<string>(StringComparer.Ordinal);

            // Recorded before the walk: an injection cycle (refused as DR0016) then ends instead of recursing forever.
            _workflows[name] = words;
            if (_byName.TryGetValue(name, out var workflow))
            {
                foreach (var rule in WorkflowChecks.InjectedRules(workflow, _byName))
                {
                    Collect(rule, words);
                }
            }

            return words;
        }

        /// <summary>The words of one expression text.</summary>
        public static HashSet<string> Of(string text) => new(ExpressionText.Words(text), StringComparer.Ordinal);

        /// <summary>
        /// Adds to <paramref name="words"/> the words of <paramref name="rule"/>: its expression, its LocalParams, its
        /// child rules at any depth and the workflows it injects. The explainer trims the GlobalParams it evaluates to them.
        /// </summary>
        public void Collect(RuleDefinition rule, ISet<string> words)
        {
            words.UnionWith(ExpressionText.Words(rule.Expression ?? string.Empty));
            foreach (var local in rule.LocalParams)
            {
                words.UnionWith(ExpressionText.Words(local.Expression));
            }

            foreach (var child in rule.Rules)
            {
                Collect(child, words);
            }

            foreach (var injected in rule.WorkflowsToInject)
            {
                words.UnionWith(For(injected));
            }
        }
    }
}
