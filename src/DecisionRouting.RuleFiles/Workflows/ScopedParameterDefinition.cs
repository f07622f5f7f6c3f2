using DecisionRouting.Json;
using DecisionRouting.Text;

namespace DecisionRouting.Workflows
{
    /// <summary>A RulesEngine global or local parameter: a named expression later expressions can use.</summary>
    public sealed class ScopedParameterDefinition
    {
        internal ScopedParameterDefinition(string name, SourceLocation location, JsonString expression)
        {
            Name = name;
            Location = location;
            ExpressionNode = expression;
        }

        /// <summary>The name expressions use.</summary>
        public string Name { get; }

        /// <summary>Where the name is written.</summary>
        public SourceLocation Location { get; }

        /// <summary>The expression that gives its value.</summary>
        public string Expression => ExpressionNode.Value;

        internal JsonString ExpressionNode { get; }
    }
}
