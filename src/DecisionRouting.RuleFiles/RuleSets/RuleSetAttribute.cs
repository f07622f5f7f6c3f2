using DecisionRouting.Text;

namespace DecisionRouting.RuleSets
{
    /// <summary>The type of a declared proposal attribute, and so the one accessor that may read it.</summary>
    public enum RuleSetAttributeKind
    {
        /// <summary>A number, read with <c>proposal.Attributes.Number("name")</c> (a decimal; pounds, counts, days …).</summary>
        Number,

        /// <summary>Text, read with <c>proposal.Attributes.Text("name")</c>.</summary>
        Text,

        /// <summary>True or false, read with <c>proposal.Attributes.Flag("name")</c>.</summary>
        Flag,

        /// <summary>A calendar date written <c>yyyy-MM-dd</c>, read with <c>proposal.Attributes.Date("name")</c>.</summary>
        Date,
    }

    /// <summary>
    /// A local fact about a proposal that the rule set's expressions read through <c>proposal.Attributes</c>, declared
    /// in <c>ruleset.json</c> under <c>attributes</c> so that a misspelt name is a load error, a mistyped value is a
    /// proposal error, and an absent optional value leaves the rules reading it undecided instead of silently false.
    /// A rule set inherits the attributes of the rule sets it extends; it may add attributes but not change a type.
    /// </summary>
    /// <param name="Name">The name proposals and expressions use.</param>
    /// <param name="Kind">The value's type.</param>
    /// <param name="Required">Whether every proposal routed with the rule set must give it (absent: a proposal error).</param>
    /// <param name="Description">What the attribute means, for officers filling in proposals.</param>
    /// <param name="Source">Where the need for it comes from (constitution paragraph, statute).</param>
    /// <param name="RuleSet">The rule set that declared it.</param>
    /// <param name="Location">Where it is declared (the property name in <c>ruleset.json</c>).</param>
    public sealed record RuleSetAttribute(string Name, RuleSetAttributeKind Kind, bool Required, string? Description, string? Source, string RuleSet, SourceLocation Location)
    {
        /// <summary>The accessor expressions read this attribute with, e.g. <c>Number</c>.</summary>
        public string Accessor => Kind.ToString();

        /// <summary>The type in words, e.g. "a number", for messages.</summary>
        public string KindInWords => Kind switch
        {
            RuleSetAttributeKind.Number => "a number",
            RuleSetAttributeKind.Text => "text",
            RuleSetAttributeKind.Flag => "a flag (true or false)",
            _ => "a date (yyyy-MM-dd)",
        };
    }
}
