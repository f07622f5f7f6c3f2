using DecisionRouting.Text;

namespace DecisionRouting.RuleSets
{
    /// <summary>The type of a rule-set parameter's value.</summary>
    public enum RuleSetParameterKind
    {
        /// <summary>A number (compared as decimal).</summary>
        Number,

        /// <summary>Text.</summary>
        Text,

        /// <summary>True or false.</summary>
        Flag,
    }

    /// <summary>
    /// A named local value, such as a council's key-decision threshold, that expressions read as
    /// <c>parameters.name</c>. A rule set may change a value it inherits but not its type.
    /// </summary>
    /// <param name="Name">The name expressions use.</param>
    /// <param name="Kind">The value's type.</param>
    /// <param name="Value">The value: a <see cref="decimal"/>, <see cref="string"/> or <see cref="bool"/>.</param>
    /// <param name="Source">Where the value comes from (constitution paragraph, statute).</param>
    /// <param name="RuleSet">The rule set that set this value.</param>
    /// <param name="Location">Where it is set.</param>
    public sealed record RuleSetParameter(string Name, RuleSetParameterKind Kind, object Value, string? Source, string RuleSet, SourceLocation Location);
}
