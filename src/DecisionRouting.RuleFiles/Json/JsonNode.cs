using DecisionRouting.Text;

namespace DecisionRouting.Json
{
    /// <summary>The kind of a JSON value.</summary>
    internal enum JsonKind
    {
        Object,
        Array,
        String,
        Number,
        True,
        False,
        Null,
    }

    /// <summary>A JSON value that remembers where it came from.</summary>
    internal abstract class JsonNode
    {
        protected JsonNode(SourceDocument document, TextSpan span)
        {
            Document = document;
            Span = span;
        }

        public SourceDocument Document { get; }

        public TextSpan Span { get; }

        public abstract JsonKind Kind { get; }

        public SourceLocation Location => Document.Locate(Span);

        /// <summary>How the kind reads in an error message ("a string", "an array", ...).</summary>
        public string KindInWords => Describe(Kind);

        /// <summary>A number (as decimal), string or boolean value; null for anything else. Parameters and proposal attributes take only these.</summary>
        public static object? ScalarValue(JsonNode node) => node switch
        {
            JsonNumber n when n.TryGetDecimal(out var d) => d,
            JsonString s => s.Value,
            JsonLiteral { Kind: JsonKind.True } => true,
            JsonLiteral { Kind: JsonKind.False } => false,
            _ => null,
        };

        /// <summary>
        /// Why <see cref="ScalarValue"/> refused the node, in words: its kind, or for a number too large for a decimal
        /// (beyond about ±7.9 × 10^28, e.g. <c>1e400</c>) that it is out of range, which "not a number" would hide.
        /// </summary>
        public static string NotScalarInWords(JsonNode node) =>
            node is JsonNumber number ? $"{number.Raw}, which is out of range (a number here must lie within about ±7.9e28)" : node.KindInWords;

        public static string Describe(JsonKind kind) => kind switch
        {
            JsonKind.Object => "an object",
            JsonKind.Array => "an array",
            JsonKind.String => "a string",
            JsonKind.Number => "a number",
            JsonKind.True or JsonKind.False => "a boolean",
            _ => "null",
        };
    }

    internal sealed class JsonProperty
    {
        public JsonProperty(string name, TextSpan nameSpan, JsonNode value)
        {
            Name = name;
            NameSpan = nameSpan;
            Value = value;
        }

        public string Name { get; }

        public TextSpan NameSpan { get; }

        public JsonNode Value { get; }

        public SourceLocation NameLocation => Value.Document.Locate(NameSpan);

        /// <summary>The location of the character at <paramref name="index"/> of the decoded name (its escape, if written as one).</summary>
        public SourceLocation LocateInName(int index)
        {
            var start = JsonString.OffsetInToken(Value.Document, NameSpan, index);
            var end = JsonString.OffsetInToken(Value.Document, NameSpan, index + 1);
            return Value.Document.Locate(start, System.Math.Max(1, end - start));
        }
    }

    internal sealed class JsonObject : JsonNode
    {
        public JsonObject(SourceDocument document, TextSpan span, JsonProperty[] properties)
            : base(document, span) => Properties = properties;

        /// <remarks>
        /// An array, exact in size, rather than an <c>IReadOnlyList</c>: a rule file has thousands of small objects, and
        /// every <c>foreach</c> over the interface boxed an enumerator (about 1 MB for 1,000 rules).
        /// </remarks>
        public JsonProperty[] Properties { get; }

        public override JsonKind Kind => JsonKind.Object;

        public JsonProperty? Find(string name)
        {
            foreach (var property in Properties)
            {
                if (property.Name == name)
                {
                    return property;
                }
            }

            return null;
        }
    }

    internal sealed class JsonArray : JsonNode
    {
        public JsonArray(SourceDocument document, TextSpan span, JsonNode[] items)
            : base(document, span) => Items = items;

        /// <remarks>An array, exact in size: see <see cref="JsonObject.Properties"/>.</remarks>
        public JsonNode[] Items { get; }

        public override JsonKind Kind => JsonKind.Array;
    }

    internal sealed class JsonString : JsonNode
    {
        public JsonString(SourceDocument document, TextSpan span, string value)
            : base(document, span) => Value = value;

        public string Value { get; }

        public override JsonKind Kind => JsonKind.String;

        /// <summary>
        /// The document offset of the character at <paramref name="index"/> in the decoded value, so an error
        /// inside an expression points at the right column even after escapes such as <c>\"</c>.
        /// </summary>
        public int SourceOffsetOf(int index) => OffsetInToken(Document, Span, index);

        /// <summary>
        /// The document offset of the character at <paramref name="index"/> of the decoded text of the string token
        /// at <paramref name="token"/> (quotes included): a value's or a property name's.
        /// </summary>
        public static int OffsetInToken(SourceDocument document, TextSpan token, int index)
        {
            var text = document.Text;
            var offset = token.Start + 1;
            var end = token.End - 1;
            for (var decoded = 0; decoded < index && offset < end; decoded++)
            {
                if (text[offset] != '\\')
                {
                    offset++;
                }
                else
                {
                    offset += text[offset + 1] == 'u' ? 6 : 2;
                }
            }

            return offset;
        }

        /// <summary>The location of a range of characters of the decoded value.</summary>
        public SourceLocation LocateInValue(int index, int length)
        {
            var start = SourceOffsetOf(index);
            var end = SourceOffsetOf(index + length);
            return Document.Locate(start, System.Math.Max(1, end - start));
        }
    }

    internal sealed class JsonNumber : JsonNode
    {
        public JsonNumber(SourceDocument document, TextSpan span, string raw)
            : base(document, span) => Raw = raw;

        public string Raw { get; }

        public override JsonKind Kind => JsonKind.Number;

        public bool TryGetInt32(out int value) =>
            int.TryParse(Raw, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out value);

        public bool TryGetDecimal(out decimal value) =>
            decimal.TryParse(Raw, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out value);
    }

    internal sealed class JsonLiteral : JsonNode
    {
        public JsonLiteral(SourceDocument document, TextSpan span, JsonKind kind)
            : base(document, span) => Kind = kind;

        public override JsonKind Kind { get; }
    }
}
