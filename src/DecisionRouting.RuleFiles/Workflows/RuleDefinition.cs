using System.Collections.Generic;
using DecisionRouting.Json;
using DecisionRouting.Text;

namespace DecisionRouting.Workflows
{
    /// <summary>
    /// One RulesEngine rule as read and checked from a <c>*.rules.json</c> file. Mirrors RulesEngine 6's
    /// <c>Rule</c>, plus our governance metadata.
    /// </summary>
    public sealed class RuleDefinition
    {
        internal RuleDefinition(string name, SourceLocation location)
        {
            Name = name;
            Location = location;
        }

        /// <summary>The rule's name, unique among its siblings.</summary>
        public string Name { get; }

        /// <summary>Where its <c>RuleName</c> is written.</summary>
        public SourceLocation Location { get; }

        /// <summary>The lambda expression, for a leaf rule.</summary>
        public string? Expression => ExpressionNode?.Value;

        /// <summary>And, AndAlso, Or or OrElse, for a rule with child rules.</summary>
        public string? Operator { get; internal set; }

        /// <summary>Disabled rules are checked but never evaluated.</summary>
        public bool Enabled { get; internal set; } = true;

        /// <summary>RulesEngine's error message for a failed rule.</summary>
        public string? ErrorMessage { get; internal set; }

        /// <summary>RulesEngine's success event name.</summary>
        public string? SuccessEvent { get; internal set; }

        /// <summary>Child rules combined with <see cref="Operator"/>.</summary>
        public IReadOnlyList<RuleDefinition> Rules { get; internal set; } = System.Array.Empty<RuleDefinition>();

        /// <summary>Workflows whose rules become child rules of this one.</summary>
        public IReadOnlyList<string> WorkflowsToInject { get; internal set; } = System.Array.Empty<string>();

        /// <summary>Named sub-expressions available to this rule's expression.</summary>
        public IReadOnlyList<ScopedParameterDefinition> LocalParams { get; internal set; } = System.Array.Empty<ScopedParameterDefinition>();

        /// <summary>The rule's <c>Properties</c> as plain values (strings, numbers, booleans, lists, dictionaries).</summary>
        public IReadOnlyDictionary<string, object?> Properties { get; internal set; } = new Dictionary<string, object?>();

        /// <summary>Our metadata, when the rule carries any.</summary>
        public RuleGovernance? Governance { get; internal set; }

        internal JsonString? ExpressionNode { get; set; }

        internal IReadOnlyList<JsonString> InjectNodes { get; set; } = System.Array.Empty<JsonString>();

        internal IReadOnlyList<JsonString> StepNodes { get; set; } = System.Array.Empty<JsonString>();

        /// <summary>Where <c>effective</c> is written, when it is.</summary>
        internal SourceLocation? EffectiveLocation { get; set; }

        /// <summary>The <c>effective.on</c> attribute name as written, when given.</summary>
        internal JsonString? OnNode { get; set; }

        /// <summary>The <c>requirement</c> as written, when given.</summary>
        internal JsonString? RequirementNode { get; set; }
    }
}
