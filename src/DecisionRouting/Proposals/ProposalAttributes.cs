using System;
using System.Collections.Generic;
using System.Globalization;
using DecisionRouting.Text;
using NodaTime;

namespace DecisionRouting.Proposals
{
    /// <summary>
    /// The local attributes a constitution's own rules test, read in expressions as
    /// <c>proposal.Attributes.Number("name")</c>, <c>.Text("name")</c>, <c>.Flag("name")</c>, <c>.Date("name")</c> or
    /// <c>.Has("name")</c>. A rule set declares the attributes its rules read (name, type, required or optional) in
    /// <c>ruleset.json</c>; routing checks the proposal against those declarations first.
    /// </summary>
    /// <remarks>
    /// An accessor never invents a value. Reading an attribute the proposal does not give throws
    /// <see cref="ProposalValueMissingException"/>, which makes the rule that read it <em>undecided</em> (listed in
    /// <see cref="Routing.RoutingPlan.Incomplete"/>), never true or false. Reading a value of another type (text with
    /// <see cref="Number"/>) throws <see cref="InvalidOperationException"/>; a declared attribute cannot reach that
    /// point, because the proposal check rejects the mistyped value first (DR0036).
    /// </remarks>
    public sealed class ProposalAttributes
    {
        private readonly IReadOnlyDictionary<string, object> _values;

        /// <summary>
        /// Creates the bag; values must be <see cref="decimal"/> (number), <see cref="string"/> (text, or a date written
        /// <c>yyyy-MM-dd</c>), <see cref="bool"/> (flag) or <see cref="LocalDate"/> (date).
        /// </summary>
        /// <exception cref="ArgumentException">A value of another type.</exception>
        public ProposalAttributes(IReadOnlyDictionary<string, object> values)
        {
            foreach (var pair in values ?? throw new ArgumentNullException(nameof(values)))
            {
                if (pair.Value is not (decimal or string or bool or LocalDate))
                {
                    throw new ArgumentException($"Attribute '{pair.Key}' must be a decimal, string, bool or LocalDate.", nameof(values));
                }
            }

            _values = values;
        }

        /// <summary>An empty bag.</summary>
        public static ProposalAttributes Empty { get; } = new(new Dictionary<string, object>());

        /// <summary>Every attribute.</summary>
        public IReadOnlyDictionary<string, object> Values => _values;

        /// <summary>Where each attribute's value is in the proposal file, when the proposal was read from one.</summary>
        internal IReadOnlyDictionary<string, SourceLocation> Locations { get; init; } = new Dictionary<string, SourceLocation>();

        /// <summary>Where the proposal gives its attributes (or the proposal itself when it gives none), when read from a file.</summary>
        internal SourceLocation? Origin { get; init; }

        /// <summary>Whether the attribute is present. The one read that decides on an absent attribute: it is false.</summary>
        public bool Has(string name) => _values.ContainsKey(name);

        /// <summary>A number attribute.</summary>
        /// <exception cref="ProposalValueMissingException">The proposal does not give it.</exception>
        /// <exception cref="InvalidOperationException">It is not a number.</exception>
        public decimal Number(string name) => Read(name) is decimal d ? d : throw WrongType(name, "a number");

        /// <summary>A text attribute.</summary>
        /// <exception cref="ProposalValueMissingException">The proposal does not give it.</exception>
        /// <exception cref="InvalidOperationException">It is not text.</exception>
        public string Text(string name) => Read(name) is string s ? s : throw WrongType(name, "text");

        /// <summary>A true/false attribute.</summary>
        /// <exception cref="ProposalValueMissingException">The proposal does not give it.</exception>
        /// <exception cref="InvalidOperationException">It is not true or false.</exception>
        public bool Flag(string name) => Read(name) is bool b ? b : throw WrongType(name, "a flag (true or false)");

        /// <summary>A date attribute, given as a <see cref="LocalDate"/> or as text written <c>yyyy-MM-dd</c>.</summary>
        /// <exception cref="ProposalValueMissingException">The proposal does not give it.</exception>
        /// <exception cref="InvalidOperationException">It is not a date.</exception>
        public LocalDate Date(string name) => TryDate(Read(name), out var date) ? date : throw WrongType(name, "a date (yyyy-MM-dd)");

        /// <summary>Whether <paramref name="value"/> is a date, or text that is one.</summary>
        internal static bool TryDate(object? value, out LocalDate date)
        {
            switch (value)
            {
                case LocalDate d:
                    date = d;
                    return true;
                case string s when DecisionRouting.Text.IsoDates.Parse(s) is { Success: true } parsed:
                    date = parsed.Value;
                    return true;
                default:
                    date = default;
                    return false;
            }
        }

        private object Read(string name) =>
            _values.TryGetValue(name ?? throw new ArgumentNullException(nameof(name)), out var value)
                ? value
                : throw new ProposalValueMissingException($"attribute '{name}'");

        private InvalidOperationException WrongType(string name, string expected) =>
            new(string.Format(CultureInfo.InvariantCulture, "Attribute '{0}' is {1}, not {2}", name, Describe(_values[name]), expected));

        internal static string Describe(object value) => value switch
        {
            decimal => "a number",
            bool => "a flag",
            LocalDate => "a date",
            _ => "text",
        };
    }
}
