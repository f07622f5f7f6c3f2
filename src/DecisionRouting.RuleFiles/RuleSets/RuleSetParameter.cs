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
    public sealed record RuleSetParameter(string Name, RuleSetParameterKind Kind, object Value, string? Source, string RuleSet, SourceLocation Location)
    {
        /// <summary>
        /// For <c>executiveModel</c> written as a dated timeline: its entries in date order; otherwise null. Routing reads
        /// the model in force on the proposal's intended decision date, not <see cref="Value"/> (which then holds the
        /// latest entry's model, for display).
        /// </summary>
        public System.Collections.Generic.IReadOnlyList<ExecutiveModelPeriod>? Timeline { get; init; }

        /// <summary>
        /// The value in force on <paramref name="day"/>: <see cref="Value"/> for an undated parameter; for a timeline the
        /// model of the entry whose period contains the day, or null when no entry does (before the first, after the last,
        /// or in a gap, DR0046).
        /// </summary>
        public object? ValueOn(NodaTime.LocalDate day)
        {
            if (Timeline is null)
            {
                return Value;
            }

            foreach (var entry in Timeline)
            {
                if (entry.Period.Contains(day))
                {
                    return entry.Model;
                }
            }

            return null;
        }
    }
}
