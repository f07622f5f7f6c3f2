using System.Collections.Generic;

namespace DecisionRouting.Analysis.Formulas
{
    /// <summary>
    /// A term of the decidable subset of rule expressions: what <see cref="FormulaReader"/> makes of an expression's
    /// text, and what <see cref="Solving.Encoder"/> turns into CP-SAT constraints. Every term may be undecided (it reads
    /// a value the proposal does not give), as routing treats a missing value.
    /// </summary>
    internal abstract record Formula;

    /// <summary>A boolean constant (<c>true</c>, <c>false</c>).</summary>
    internal sealed record BoolConstant(bool Value) : Formula;

    /// <summary><c>a &amp;&amp; b</c>, <c>a || b</c>: evaluated left to right and short-circuited, as in C#.</summary>
    internal sealed record Junction(bool IsAnd, Formula Left, Formula Right) : Formula;

    /// <summary><c>!a</c>.</summary>
    internal sealed record Negation(Formula Operand) : Formula;

    /// <summary>A comparison of two values: <c>==</c>, <c>!=</c>, <c>&lt;</c>, <c>&lt;=</c>, <c>&gt;</c>, <c>&gt;=</c>.</summary>
    internal sealed record Comparison(string Operator, Value Left, Value Right) : Formula;

    /// <summary>A boolean field of the proposal (<c>proposal.Urgent</c>, <c>proposal.IsExecutiveDecision</c>).</summary>
    internal sealed record BoolField(string Name) : Formula;

    /// <summary><c>proposal.Has(ProposalKind.X)</c> and <c>proposal.Kinds.Contains(ProposalKind.X)</c>.</summary>
    internal sealed record HasKind(string Kind) : Formula;

    /// <summary><c>proposal.Touches(StatutoryRole.X)</c> and <c>proposal.StatutoryRoles.Contains(StatutoryRole.X)</c>.</summary>
    internal sealed record TouchesRole(string Role) : Formula;

    /// <summary><c>proposal.ExemptParagraphs.Contains(n)</c>, n in 1–7.</summary>
    internal sealed record ExemptParagraph(int Paragraph) : Formula;

    /// <summary><c>proposal.Attributes.Flag("name")</c>: undecided when the proposal does not give it.</summary>
    internal sealed record FlagAttribute(string Name) : Formula;

    /// <summary><c>proposal.Attributes.Has("name")</c>: always decided.</summary>
    internal sealed record HasAttribute(string Name) : Formula;

    /// <summary>A boolean rule-set parameter (its value is known at analysis time).</summary>
    internal sealed record NamedFormula(string Name) : Formula;

    /// <summary><c>requires("step")</c>, in a property only: the plan requires the step.</summary>
    internal sealed record Requires(string Step) : Formula;

    /// <summary>A value a comparison reads.</summary>
    internal abstract record Value;

    /// <summary>The kinds of value, each modelled in its own integer unit.</summary>
    internal enum ValueKind
    {
        /// <summary>Money, in pence.</summary>
        Money,

        /// <summary>A count (wards, staff, redundancies).</summary>
        Count,

        /// <summary>A date, in days since 1970-01-01.</summary>
        Date,

        /// <summary>An enum member, by its name.</summary>
        Enum,

        /// <summary>A text, by the literals it is compared with.</summary>
        Text,

        /// <summary>A number literal not yet given a unit (it takes the unit of what it is compared with).</summary>
        Number,
    }

    /// <summary>A numeric field of the proposal (<c>FinancialCommitment</c>, <c>WardsAffected</c>, <c>IntendedDecisionDate</c>).</summary>
    internal sealed record NumericField(string Name, ValueKind Kind) : Value;

    /// <summary><c>proposal.DecisionMaker</c>.</summary>
    internal sealed record EnumField(string Name, string EnumType) : Value;

    /// <summary><c>DecisionMaker.Cabinet</c>.</summary>
    internal sealed record EnumConstant(string EnumType, string Member) : Value;

    /// <summary>A number written in the expression or given by a rule-set parameter, exact.</summary>
    internal sealed record NumberConstant(decimal Value, ValueKind Kind) : Value;

    /// <summary>A text written in the expression or given by a rule-set parameter.</summary>
    internal sealed record TextConstant(string Value) : Value;

    /// <summary><c>null</c>.</summary>
    internal sealed record NullConstant : Value;

    /// <summary><c>proposal.Attributes.Number/Date/Text("name")</c>: undecided when the proposal does not give it.</summary>
    internal sealed record AttributeValue(string Name, ValueKind Kind) : Value;

    /// <summary><c>parameters.executiveModel</c> when the rule set gives a dated timeline: the model in force on the decision date.</summary>
    internal sealed record ExecutiveModel : Value;

    /// <summary>Where a term was read, for a finding's position: the offset in the expression's text.</summary>
    internal sealed record Positioned(Formula Formula, int Offset);

    /// <summary>Why an expression is outside the subset, and where.</summary>
    internal sealed class OutsideSubsetException : System.Exception
    {
        public OutsideSubsetException(string reason, int offset, int length)
            : base(reason)
        {
            Offset = offset;
            Length = length;
        }

        /// <summary>The offset in the expression's text of what is not understood.</summary>
        public int Offset { get; }

        /// <summary>Its length in characters.</summary>
        public int Length { get; }
    }

    /// <summary>A property names a step the rule set does not define.</summary>
    internal sealed class UnknownStepException : System.Exception
    {
        public UnknownStepException(string step, int offset, int length)
            : base(step)
        {
            Step = step;
            Offset = offset;
            Length = length;
        }

        public string Step { get; }

        public int Offset { get; }

        public int Length { get; }
    }

    /// <summary>Names an expression sees beyond the proposal: GlobalParams, LocalParams, rule-set parameters.</summary>
    internal interface IFormulaScope
    {
        /// <summary>A named boolean term (a GlobalParam or LocalParam), or null.</summary>
        Formula? Named(string name);

        /// <summary>A rule-set parameter's value as a term, or null when there is none by that name.</summary>
        object? Parameter(string name);

        /// <summary>Whether <c>requires("step")</c> may be written (properties only).</summary>
        bool AllowsRequires { get; }

        /// <summary>The declared kind of a proposal attribute, or null when it is not declared.</summary>
        string? AttributeKind(string name);

        /// <summary>Step ids the rule set defines (for <c>requires</c>).</summary>
        ICollection<string> Steps { get; }
    }
}
