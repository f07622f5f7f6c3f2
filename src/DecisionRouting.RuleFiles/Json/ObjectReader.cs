using System;
using System.Collections.Generic;
using System.Linq;
using DecisionRouting.Diagnostics;
using DecisionRouting.Text;
using NodaTime;

namespace DecisionRouting.Json
{
    /// <summary>
    /// Reads the properties of one JSON object strictly: every property read is "known", wrong types are reported,
    /// and <see cref="Finish"/> reports the properties nobody asked for (the typos RulesEngine would ignore).
    /// </summary>
    internal sealed class ObjectReader
    {
        private readonly JsonObject _object;
        private readonly DiagnosticBag _diagnostics;
        private string _what;
        // Sized for a rule object, which asks for about a dozen names: one array rather than three grown and dropped.
        private readonly List<string> _known = new(16);

        private ObjectReader(JsonObject obj, string what, DiagnosticBag diagnostics)
        {
            _object = obj;
            _what = what;
            _diagnostics = diagnostics;
            var properties = obj.Properties;
            if (properties.Length <= SmallObject)
            {
                // A rule file is thousands of small objects: compare each name with those before it rather than build a
                // dictionary per object. Same finding, same order: each repeat, against the name's first occurrence.
                for (var i = 1; i < properties.Length; i++)
                {
                    for (var j = 0; j < i; j++)
                    {
                        if (string.Equals(properties[j].Name, properties[i].Name, StringComparison.Ordinal))
                        {
                            diagnostics.Report(DiagnosticDescriptors.DuplicateJsonProperty, properties[i].NameLocation, properties[i].Name, properties[j].NameLocation);
                            break;
                        }
                    }
                }

                return;
            }

            var seen = new Dictionary<string, JsonProperty>(StringComparer.Ordinal);
            foreach (var property in properties)
            {
                if (seen.TryGetValue(property.Name, out var first))
                {
                    diagnostics.Report(DiagnosticDescriptors.DuplicateJsonProperty, property.NameLocation, property.Name, first.NameLocation);
                }
                else
                {
                    seen.Add(property.Name, property);
                }
            }
        }

        /// <summary>Up to this many properties, duplicates are found by comparing names pairwise (at most 120 comparisons).</summary>
        private const int SmallObject = 16;

        public JsonObject Object => _object;

        /// <summary>How the object is named in messages; set once its name is known ("rule 'KeyDecision'").</summary>
        public string What
        {
            get => _what;
            set => _what = value;
        }

        /// <summary>Whether the object has properties no one has read (typos, usually): the cause of most follow-on errors.</summary>
        public bool HasUnknownProperties
        {
            get
            {
                foreach (var property in _object.Properties)
                {
                    if (!_known.Contains(property.Name))
                    {
                        return true;
                    }
                }

                return false;
            }
        }

        public DiagnosticBag Diagnostics => _diagnostics;

        /// <summary>A reader for <paramref name="node"/>, or null (with a diagnostic) when it is not an object.</summary>
        public static ObjectReader? For(JsonNode node, string what, string propertyName, DiagnosticBag diagnostics)
        {
            if (node is JsonObject obj)
            {
                return new ObjectReader(obj, what, diagnostics);
            }

            diagnostics.Report(DiagnosticDescriptors.WrongValueType, node.Location, propertyName, "an object", node.KindInWords);
            return null;
        }

        /// <summary>Accepts properties that are allowed but carry nothing we read, such as <c>$schema</c>.</summary>
        public void Allow(params string[] names) => _known.AddRange(names);

        public JsonProperty? Property(string name, bool required = false)
        {
            _known.Add(name);
            var property = _object.Find(name);
            if (property is null && required)
            {
                _diagnostics.Report(DiagnosticDescriptors.MissingProperty, StartOf(_object), _what, name);
            }

            return property;
        }

        public JsonString? StringNode(string name, bool required = false)
        {
            var property = Property(name, required);
            if (property is null || property.Value.Kind == JsonKind.Null && !required)
            {
                return null;
            }

            if (property.Value is JsonString s)
            {
                return s;
            }

            WrongType(property, "a string");
            return null;
        }

        public string? String(string name, bool required = false) => StringNode(name, required)?.Value;

        /// <summary>
        /// Text a rule author must write themselves (a <c>source</c>, <c>reason</c> or <c>warning</c>): a string, reported
        /// as DR0091 while it still starts with the placeholder <see cref="Placeholder.Marker"/> that
        /// <c>decision-routing new</c> writes, so a scaffold never loads as if it cited real law.
        /// </summary>
        public string? Authored(string name, string? of = null)
        {
            var node = StringNode(name);
            CheckPlaceholder(name, node, of);
            return node?.Value;
        }

        /// <summary>
        /// Reports DR0091 when <paramref name="node"/>, the value of <paramref name="name"/>, is still a placeholder;
        /// <paramref name="of"/> names the object in the message when it says more than the reader's own name.
        /// </summary>
        public void CheckPlaceholder(string name, JsonString? node, string? of = null)
        {
            if (node is not null && Placeholder.Holds(node.Value))
            {
                _diagnostics.Report(DiagnosticDescriptors.PlaceholderNotFilledIn, node.Location, name, of ?? _what, Placeholder.HowToFill(name));
            }
        }

        /// <summary>A required string that must not be blank (ids, names).</summary>
        public JsonString? Name(string name, bool required = true)
        {
            var node = StringNode(name, required);
            if (node is not null && string.IsNullOrWhiteSpace(node.Value))
            {
                _diagnostics.Report(DiagnosticDescriptors.EmptyName, node.Location, $"'{name}' of {_what} must not be empty");
                return null;
            }

            return node;
        }

        /// <summary>
        /// A required, non-blank name that other parts of the rule files refer to (a workflow, rule, parameter, step, body
        /// or role): also checked for control characters (DR0068) and for letters from more than one script (DR0065),
        /// which would make it look like a different name.
        /// </summary>
        public JsonString? Identifier(string name, string what)
        {
            var node = Name(name);
            if (node is not null)
            {
                NameCharacters.Check(node, what, _diagnostics);
                if (Scripts.MayMix(node.Value))
                {
                    Scripts.CheckIdentifier(node.Value, what, node.Location, _diagnostics);
                }
            }

            return node;
        }

        /// <summary>
        /// A name shown to people but not referred to (a step's, body's or role's <c>name</c>, a rule set's
        /// <c>title</c>): checked for control characters (DR0068), since it is printed on one line of plans and graphs.
        /// </summary>
        public string? Label(string name, string what, bool required = false)
        {
            var node = StringNode(name, required);
            if (node is not null)
            {
                NameCharacters.Check(node, what, _diagnostics);
            }

            return node?.Value;
        }

        public bool? Boolean(string name)
        {
            var property = Property(name);
            switch (property?.Value.Kind)
            {
                case null:
                case JsonKind.Null:
                    return null;
                case JsonKind.True:
                    return true;
                case JsonKind.False:
                    return false;
                default:
                    WrongType(property, "true or false");
                    return null;
            }
        }

        public int? Int32(string name, int minimum, bool required = false, int maximum = int.MaxValue, DiagnosticDescriptor? maximumDescriptor = null)
        {
            var property = Property(name, required);
            if (property is null || property.Value.Kind == JsonKind.Null && !required)
            {
                return null;
            }

            if (property.Value is not JsonNumber number)
            {
                WrongType(property, "a whole number");
                return null;
            }

            if (!number.TryGetInt32(out var value))
            {
                _diagnostics.Report(DiagnosticDescriptors.NumberOutOfRange, number.Location, $"'{name}' must be a whole number, not {number.Raw}");
                return null;
            }

            if (value < minimum)
            {
                _diagnostics.Report(DiagnosticDescriptors.NumberOutOfRange, number.Location, $"'{name}' must be at least {minimum}, not {value}");
                return null;
            }

            if (value > maximum)
            {
                _diagnostics.Report(maximumDescriptor ?? DiagnosticDescriptors.NumberOutOfRange, number.Location, $"'{name}' must be at most {maximum}, not {value}");
                return null;
            }

            return value;
        }

        public LocalDate? Date(string name, bool required = false)
        {
            var node = StringNode(name, required);
            if (node is null)
            {
                return null;
            }

            // The plain shape without NodaTime's pattern engine (a cold start's cost, see IsoDates); anything else,
            // valid or not, is read by LocalDatePattern.Iso as before.
            if (!IsoDates.TryParseExact(node.Value, out var date))
            {
                var result = IsoDates.Parse(node.Value);
                if (!result.Success)
                {
                    _diagnostics.Report(DiagnosticDescriptors.DateOrTimeNotIso, node.Location, $"'{name}' must be a date written yyyy-MM-dd, not \"{node.Value}\"");
                    return null;
                }

                date = result.Value;
            }

            // One range for every date read from a file (proposals, catalogues, bank holidays), so nothing derived
            // from it later can overflow the calendar.
            if (!SupportedDates.Contains(date))
            {
                _diagnostics.Report(DiagnosticDescriptors.DateOutOfRange, node.Location, SupportedDates.OutOfRange($"'{name}'", node.Value));
                return null;
            }

            return date;
        }

        public TEnum? Enum<TEnum>(string name, bool required = false)
            where TEnum : struct, Enum
        {
            var node = StringNode(name, required);
            return node is null ? null : ParseEnum<TEnum>(node, name, _diagnostics);
        }

        /// <summary>Enum names match exactly: RulesEngine-style case slips ("and" for "And") are errors, not guesses.</summary>
        public static TEnum? ParseEnum<TEnum>(JsonString node, string name, DiagnosticBag diagnostics)
            where TEnum : struct, Enum
        {
            var names = System.Enum.GetNames(typeof(TEnum));
            if (names.Contains(node.Value, StringComparer.Ordinal))
            {
                return (TEnum)System.Enum.Parse(typeof(TEnum), node.Value);
            }

            diagnostics.Report(
                DiagnosticDescriptors.NotAnAllowedValue,
                node.Location,
                $"'{node.Value}' is not a valid {name}; expected one of {string.Join(", ", names)}{NameSuggestions.DidYouMean(node.Value, names)}");
            return null;
        }

        public JsonArray? Array(string name, bool required = false)
        {
            var property = Property(name, required);
            if (property is null || property.Value.Kind == JsonKind.Null && !required)
            {
                return null;
            }

            if (property.Value is JsonArray array)
            {
                return array;
            }

            WrongType(property, "an array");
            return null;
        }

        /// <summary>An array of strings; wrong-typed items are reported and skipped.</summary>
        public IReadOnlyList<JsonString> StringArray(string name, bool required = false)
        {
            var array = Array(name, required);
            if (array is null)
            {
                return System.Array.Empty<JsonString>();
            }

            var result = new List<JsonString>();
            foreach (var item in array.Items)
            {
                if (item is JsonString s)
                {
                    result.Add(s);
                }
                else
                {
                    _diagnostics.Report(DiagnosticDescriptors.WrongValueType, item.Location, name + "[]", "a string", item.KindInWords);
                }
            }

            return result;
        }

        /// <summary>Reports every property that no one read, suggesting the known name it was probably meant to be.</summary>
        public void Finish()
        {
            foreach (var property in _object.Properties)
            {
                if (!_known.Contains(property.Name))
                {
                    _diagnostics.Report(
                        DiagnosticDescriptors.UnknownProperty,
                        property.NameLocation,
                        property.Name,
                        _what,
                        NameSuggestions.DidYouMean(property.Name, _known.Where(k => !k.StartsWith("$", StringComparison.Ordinal))));
                }
            }
        }

        private void WrongType(JsonProperty property, string expected) =>
            _diagnostics.Report(DiagnosticDescriptors.WrongValueType, property.Value.Location, property.Name, expected, property.Value.KindInWords);

        private static Text.SourceLocation StartOf(JsonNode node) => node.Document.Locate(node.Span.Start, 1);
    }
}
