using System;
using System.Collections.Generic;

namespace DecisionRouting.Proposals
{
    /// <summary>
    /// The open bag of local attributes a constitution's own rules may test, read in expressions as
    /// <c>proposal.Attributes.Number("name")</c>, <c>.Text("name")</c>, <c>.Flag("name")</c> or <c>.Has("name")</c>.
    /// Absent attributes read as 0, empty text and false, so a rule about an attribute a proposal lacks does not match.
    /// </summary>
    public sealed class ProposalAttributes
    {
        private readonly IReadOnlyDictionary<string, object> _values;

        /// <summary>Creates the bag; values must be <see cref="decimal"/>, <see cref="string"/> or <see cref="bool"/>.</summary>
        public ProposalAttributes(IReadOnlyDictionary<string, object> values)
        {
            foreach (var pair in values ?? throw new ArgumentNullException(nameof(values)))
            {
                if (pair.Value is not (decimal or string or bool))
                {
                    throw new ArgumentException($"Attribute '{pair.Key}' must be a decimal, string or bool.", nameof(values));
                }
            }

            _values = values;
        }

        /// <summary>An empty bag.</summary>
        public static ProposalAttributes Empty { get; } = new(new Dictionary<string, object>());

        /// <summary>Every attribute.</summary>
        public IReadOnlyDictionary<string, object> Values => _values;

        /// <summary>Whether the attribute is present.</summary>
        public bool Has(string name) => _values.ContainsKey(name);

        /// <summary>A number attribute, or 0 when absent or not a number.</summary>
        public decimal Number(string name) => _values.TryGetValue(name, out var v) && v is decimal d ? d : 0m;

        /// <summary>A text attribute, or the empty string when absent or not text.</summary>
        public string Text(string name) => _values.TryGetValue(name, out var v) && v is string s ? s : string.Empty;

        /// <summary>A true/false attribute, or false when absent or not a flag.</summary>
        public bool Flag(string name) => _values.TryGetValue(name, out var v) && v is bool b && b;
    }
}
