using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using DecisionRouting.Text;

namespace DecisionRouting.Json
{
    /// <summary>Raised for the first syntax error in a document; carries the offending offset.</summary>
    internal sealed class JsonSyntaxException : Exception
    {
        public JsonSyntaxException(int offset, string message)
            : base(message) => Offset = offset;

        public int Offset { get; }
    }

    /// <summary>
    /// A strict RFC 8259 parser that keeps the span of every value and property name. We need spans for
    /// diagnostics, and System.Text.Json cannot be loaded by the analyzer that shares this code.
    /// </summary>
    internal sealed class JsonParser
    {
        /// <summary>Deeper nesting than any real rule file; stops hostile input from exhausting the stack.</summary>
        public const int MaxDepth = 128;

        private readonly SourceDocument _document;
        private readonly string _text;
        private readonly StringBuilder _buffer = new();

        // One stack of members for the whole document: an object's (or array's) members are pushed as they are read and
        // copied out, exact in size, when it closes, so no list grows and is thrown away per object.
        private readonly List<JsonProperty> _properties = new();
        private readonly List<JsonNode> _items = new();

        // Property names repeat in every object of a rule file ("RuleName", "Expression" …): the first spelling of each
        // is kept and reused, so each later occurrence allocates nothing. Bounded, so a file of distinct names costs
        // what it did.
        private readonly List<string> _names = new();
        private const int MaxNames = 64;
        private int _position;
        private int _depth;

        private JsonParser(SourceDocument document)
        {
            _document = document;
            _text = document.Text;
        }

        /// <summary>Parses a whole document or throws <see cref="JsonSyntaxException"/>.</summary>
        public static JsonNode Parse(SourceDocument document)
        {
            var parser = new JsonParser(document);
            parser.SkipWhitespace();
            if (parser._position < parser._text.Length && parser._text[parser._position] == '\uFEFF')
            {
                parser._position++;
                parser.SkipWhitespace();
            }

            if (parser._position >= parser._text.Length)
            {
                throw new JsonSyntaxException(parser._position, "the file is empty; expected a JSON value");
            }

            var value = parser.ParseValue();
            parser.SkipWhitespace();
            if (parser._position < parser._text.Length)
            {
                throw new JsonSyntaxException(parser._position, $"unexpected {parser.Describe(parser._position)} after the end of the JSON value");
            }

            return value;
        }

        private JsonNode ParseValue()
        {
            SkipWhitespace();
            if (_position >= _text.Length)
            {
                throw new JsonSyntaxException(_position, "unexpected end of file; expected a value");
            }

            switch (_text[_position])
            {
                case '{':
                    return ParseObject();
                case '[':
                    return ParseArray();
                case '"':
                    var start = _position;
                    var value = ParseString();
                    return new JsonString(_document, new TextSpan(start, _position - start), value);
                case 't':
                    return ParseLiteral("true", JsonKind.True);
                case 'f':
                    return ParseLiteral("false", JsonKind.False);
                case 'n':
                    return ParseLiteral("null", JsonKind.Null);
                default:
                    var c = _text[_position];
                    if (c == '-' || (c >= '0' && c <= '9'))
                    {
                        return ParseNumber();
                    }

                    throw new JsonSyntaxException(_position, $"unexpected {Describe(_position)}; expected a value");
            }
        }

        private JsonObject ParseObject()
        {
            var start = _position;
            Enter();
            _position++;
            var first = _properties.Count;
            SkipWhitespace();
            if (Peek() == '}')
            {
                _position++;
                _depth--;
                return new JsonObject(_document, new TextSpan(start, _position - start), Array.Empty<JsonProperty>());
            }

            while (true)
            {
                SkipWhitespace();
                if (Peek() != '"')
                {
                    throw new JsonSyntaxException(_position, Peek() == '}'
                        ? "trailing comma before '}'"
                        : $"unexpected {Describe(_position)}; expected a property name in double quotes");
                }

                var nameStart = _position;
                var name = ParseName();
                var nameSpan = new TextSpan(nameStart, _position - nameStart);
                SkipWhitespace();
                if (Peek() != ':')
                {
                    throw new JsonSyntaxException(_position, $"unexpected {Describe(_position)}; expected ':' after the property name");
                }

                _position++;
                var value = ParseValue();
                _properties.Add(new JsonProperty(name, nameSpan, value));
                SkipWhitespace();
                var next = Peek();
                if (next == ',')
                {
                    _position++;
                    continue;
                }

                if (next == '}')
                {
                    _position++;
                    _depth--;
                    return new JsonObject(_document, new TextSpan(start, _position - start), Pop(_properties, first));
                }

                throw new JsonSyntaxException(_position, $"unexpected {Describe(_position)}; expected ',' or '}}'");
            }
        }

        private JsonArray ParseArray()
        {
            var start = _position;
            Enter();
            _position++;
            var first = _items.Count;
            SkipWhitespace();
            if (Peek() == ']')
            {
                _position++;
                _depth--;
                return new JsonArray(_document, new TextSpan(start, _position - start), Array.Empty<JsonNode>());
            }

            while (true)
            {
                SkipWhitespace();
                if (Peek() == ']')
                {
                    throw new JsonSyntaxException(_position, "trailing comma before ']'");
                }

                _items.Add(ParseValue());
                SkipWhitespace();
                var next = Peek();
                if (next == ',')
                {
                    _position++;
                    continue;
                }

                if (next == ']')
                {
                    _position++;
                    _depth--;
                    return new JsonArray(_document, new TextSpan(start, _position - start), Pop(_items, first));
                }

                throw new JsonSyntaxException(_position, $"unexpected {Describe(_position)}; expected ',' or ']'");
            }
        }

        /// <summary>The members pushed since <paramref name="first"/>, in order, removed from the stack.</summary>
        private static T[] Pop<T>(List<T> stack, int first)
        {
            var members = new T[stack.Count - first];
            stack.CopyTo(first, members, 0, members.Length);
            stack.RemoveRange(first, members.Length);
            return members;
        }

        /// <summary>
        /// A property name: <see cref="ParseString"/>, except that a name without escapes already seen in this document
        /// is returned as the same string (equal text, so nothing that reads it can tell).
        /// </summary>
        private string ParseName()
        {
            var start = _position + 1;
            var end = start;
            while (end < _text.Length && _text[end] != '"' && _text[end] != '\\' && _text[end] >= ' ')
            {
                end++;
            }

            if (end < _text.Length && _text[end] == '"')
            {
                var length = end - start;
                foreach (var known in _names)
                {
                    if (known.Length == length && string.CompareOrdinal(_text, start, known, 0, length) == 0)
                    {
                        _position = end + 1;
                        return known;
                    }
                }
            }

            var name = ParseString();
            if (_names.Count < MaxNames)
            {
                _names.Add(name);
            }

            return name;
        }

        private string ParseString()
        {
            var start = _position;
            _position++;
            _buffer.Clear();
            while (true)
            {
                if (_position >= _text.Length)
                {
                    throw new JsonSyntaxException(start, "unterminated string");
                }

                var c = _text[_position];
                if (c == '"')
                {
                    _position++;
                    return _buffer.ToString();
                }

                if (c < ' ')
                {
                    throw new JsonSyntaxException(_position, c == '\n' || c == '\r'
                        ? "unterminated string (a line break inside a string must be written \\n)"
                        : "control character inside a string; escape it");
                }

                if (c != '\\')
                {
                    _buffer.Append(c);
                    _position++;
                    continue;
                }

                if (_position + 1 >= _text.Length)
                {
                    throw new JsonSyntaxException(start, "unterminated string");
                }

                var escape = _text[_position + 1];
                switch (escape)
                {
                    case '"': _buffer.Append('"'); break;
                    case '\\': _buffer.Append('\\'); break;
                    case '/': _buffer.Append('/'); break;
                    case 'b': _buffer.Append('\b'); break;
                    case 'f': _buffer.Append('\f'); break;
                    case 'n': _buffer.Append('\n'); break;
                    case 'r': _buffer.Append('\r'); break;
                    case 't': _buffer.Append('\t'); break;
                    case 'u':
                        if (_position + 6 > _text.Length
                            || !int.TryParse(_text.Substring(_position + 2, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code))
                        {
                            throw new JsonSyntaxException(_position, "invalid \\u escape; expected four hexadecimal digits");
                        }

                        _buffer.Append((char)code);
                        _position += 6;
                        continue;
                    default:
                        throw new JsonSyntaxException(_position, $"invalid escape '\\{escape}' in string");
                }

                _position += 2;
            }
        }

        private JsonNumber ParseNumber()
        {
            var start = _position;
            if (Peek() == '-')
            {
                _position++;
            }

            if (Peek() == '0')
            {
                _position++;
            }
            else if (IsDigit(Peek()))
            {
                SkipDigits();
            }
            else
            {
                throw new JsonSyntaxException(_position, "invalid number; expected a digit");
            }

            if (Peek() == '.')
            {
                _position++;
                if (!IsDigit(Peek()))
                {
                    throw new JsonSyntaxException(_position, "invalid number; expected a digit after '.'");
                }

                SkipDigits();
            }

            if (Peek() == 'e' || Peek() == 'E')
            {
                _position++;
                if (Peek() == '+' || Peek() == '-')
                {
                    _position++;
                }

                if (!IsDigit(Peek()))
                {
                    throw new JsonSyntaxException(_position, "invalid number; expected a digit in the exponent");
                }

                SkipDigits();
            }

            if (IsDigit(Peek()) || char.IsLetter(Peek()))
            {
                throw new JsonSyntaxException(_position, $"invalid number; unexpected {Describe(_position)}");
            }

            return new JsonNumber(_document, new TextSpan(start, _position - start), _text.Substring(start, _position - start));
        }

        private JsonLiteral ParseLiteral(string word, JsonKind kind)
        {
            if (string.CompareOrdinal(_text, _position, word, 0, word.Length) != 0)
            {
                throw new JsonSyntaxException(_position, $"unexpected {Describe(_position)}; expected a value (strings need double quotes)");
            }

            var start = _position;
            _position += word.Length;
            return new JsonLiteral(_document, new TextSpan(start, word.Length), kind);
        }

        private void Enter()
        {
            if (++_depth > MaxDepth)
            {
                throw new JsonSyntaxException(_position, $"nesting is deeper than {MaxDepth} levels");
            }
        }

        private void SkipDigits()
        {
            while (IsDigit(Peek()))
            {
                _position++;
            }
        }

        private static bool IsDigit(char c) => c >= '0' && c <= '9';

        private char Peek() => _position < _text.Length ? _text[_position] : '\0';

        private void SkipWhitespace()
        {
            while (_position < _text.Length)
            {
                var c = _text[_position];
                if (c == ' ' || c == '\t' || c == '\n' || c == '\r')
                {
                    _position++;
                }
                else if (c == '/' && _position + 1 < _text.Length && (_text[_position + 1] == '/' || _text[_position + 1] == '*'))
                {
                    throw new JsonSyntaxException(_position, "comments are not allowed in JSON; put notes in a \"description\" property");
                }
                else
                {
                    return;
                }
            }
        }

        private string Describe(int offset)
        {
            if (offset >= _text.Length)
            {
                return "end of file";
            }

            var c = _text[offset];
            return c switch
            {
                '\'' => "single quote (JSON strings need double quotes)",
                _ when char.IsLetter(c) => BareWord(ReadWord(offset)),
                _ => $"character '{c}'",
            };
        }

        /// <summary>
        /// A bare word where a value belongs. Only the literals people mistype (True, NULL, undefined …) are quoted: any
        /// other word may be the content of a file that is not a rule file at all (a hard link to a secret, read with
        /// --allow-hard-links), and a diagnostic must not disclose it; the line and column say where it is.
        /// </summary>
        private static string BareWord(string word) =>
            word.ToLowerInvariant() is "true" or "false" or "null" or "undefined" or "none" or "nan" or "infinity"
                ? $"'{word}'"
                : "bare word";

        private string ReadWord(int offset)
        {
            var end = offset;
            while (end < _text.Length && end - offset < 30 && (char.IsLetterOrDigit(_text[end]) || _text[end] == '_'))
            {
                end++;
            }

            return _text.Substring(offset, end - offset);
        }
    }
}
