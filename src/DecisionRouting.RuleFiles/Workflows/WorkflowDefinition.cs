using System.Collections.Generic;
using DecisionRouting.Json;
using DecisionRouting.Text;

namespace DecisionRouting.Workflows
{
    /// <summary>One RulesEngine workflow as read and checked from a <c>*.rules.json</c> file.</summary>
    public sealed class WorkflowDefinition
    {
        internal WorkflowDefinition(string name, SourceLocation location, string ruleSet)
        {
            Name = name;
            Location = location;
            RuleSet = ruleSet;
        }

        /// <summary>The workflow's name, unique across a rule set and everything it extends.</summary>
        public string Name { get; }

        /// <summary>Where its <c>WorkflowName</c> is written.</summary>
        public SourceLocation Location { get; }

        /// <summary>The name of the rule set (layer) whose folder holds the file.</summary>
        public string RuleSet { get; }

        /// <summary>Workflows whose rules are appended to this one's.</summary>
        public IReadOnlyList<string> WorkflowsToInject { get; internal set; } = System.Array.Empty<string>();

        /// <summary>Named expressions every rule of the workflow can use.</summary>
        public IReadOnlyList<ScopedParameterDefinition> GlobalParams { get; internal set; } = System.Array.Empty<ScopedParameterDefinition>();

        /// <summary>The rules.</summary>
        public IReadOnlyList<RuleDefinition> Rules { get; internal set; } = System.Array.Empty<RuleDefinition>();

        internal IReadOnlyList<JsonString> InjectNodes { get; set; } = System.Array.Empty<JsonString>();
    }
}
