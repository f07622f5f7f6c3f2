using System.Collections.Generic;
using System.Linq;
using DecisionRouting.Diagnostics;
using DecisionRouting.Workflows;

namespace DecisionRouting.RuleSets
{
    /// <summary>
    /// Everything read from a rule-set folder and the folders it extends, merged and checked. When
    /// <see cref="HasErrors"/> is true the contents are partial and must not be used to route.
    /// </summary>
    public sealed class RuleSetDefinition
    {
        internal RuleSetDefinition(IReadOnlyList<RuleDiagnostic> diagnostics)
        {
            Diagnostics = diagnostics;
        }

        /// <summary>The rule set's name (its own, not the one it extends).</summary>
        public string Name => Layers.Count == 0 ? string.Empty : Layers[Layers.Count - 1].Name;

        /// <summary>The chain of folders, the base first and this rule set last.</summary>
        public IReadOnlyList<RuleSetLayer> Layers { get; internal set; } = System.Array.Empty<RuleSetLayer>();

        /// <summary>Bodies by id, after local replacements.</summary>
        public IReadOnlyDictionary<string, Body> Bodies { get; internal set; } = new Dictionary<string, Body>();

        /// <summary>Roles by id, after local replacements.</summary>
        public IReadOnlyDictionary<string, Role> Roles { get; internal set; } = new Dictionary<string, Role>();

        /// <summary>Steps by id, after local replacements, in catalogue order.</summary>
        public IReadOnlyDictionary<string, Step> Steps { get; internal set; } = new Dictionary<string, Step>();

        /// <summary>
        /// Each step's direct predecessors: the steps its <c>after</c> names plus the steps that name it in their
        /// <c>before</c>. Plans order, stage and date steps by this, passing through steps a plan does not require.
        /// </summary>
        public IReadOnlyDictionary<string, IReadOnlyList<string>> Predecessors { get; internal set; } = new Dictionary<string, IReadOnlyList<string>>();

        /// <summary>For each step, the rule set in the chain that declared it last (added it, or replaced an inherited one).</summary>
        public IReadOnlyDictionary<string, string> StepOrigins { get; internal set; } = new Dictionary<string, string>();

        /// <summary>Parameters by name, local values overriding inherited ones.</summary>
        public IReadOnlyDictionary<string, RuleSetParameter> Parameters { get; internal set; } = new Dictionary<string, RuleSetParameter>();

        /// <summary>The proposal attributes the rules may read, by name, declared in this rule set or inherited.</summary>
        public IReadOnlyDictionary<string, RuleSetAttribute> Attributes { get; internal set; } = new Dictionary<string, RuleSetAttribute>();

        /// <summary>All workflows of the chain.</summary>
        public IReadOnlyList<WorkflowDefinition> Workflows { get; internal set; } = System.Array.Empty<WorkflowDefinition>();

        /// <summary>The workflows a proposal is routed through: those no other workflow injects.</summary>
        public IReadOnlyList<WorkflowDefinition> EntryWorkflows { get; internal set; } = System.Array.Empty<WorkflowDefinition>();

        /// <summary>A SHA-256 over every file of the chain, identifying exactly which rules a plan came from.</summary>
        public string Hash { get; internal set; } = string.Empty;

        /// <summary>Everything found, in file and position order.</summary>
        public IReadOnlyList<RuleDiagnostic> Diagnostics { get; }

        /// <summary>Whether any diagnostic is an error.</summary>
        public bool HasErrors => Diagnostics.Any(d => d.IsError);
    }
}
