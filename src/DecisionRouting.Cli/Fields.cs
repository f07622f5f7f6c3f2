using System;
using System.Runtime.CompilerServices;
using System.Text;
using DecisionRouting.Text;

namespace DecisionRouting.Cli
{
    /// <summary>
    /// How text output puts values into lines. <see cref="TerminalSafeWriter"/> lets line feeds through, because the
    /// renderers' own lines need them; so a value holding a line feed or tab (a title, reason, step or body name, rule
    /// name, actor, case id, warning) could start a line of its own that looks like part of the plan or the history.
    /// Every text renderer therefore writes its lines with an interpolated string passed to <see cref="Line"/>,
    /// <see cref="Part"/> or <see cref="Text"/>: the literal parts, written by this code, go through as they are, and
    /// every value interpolated into them goes through <see cref="UnsafeCharacters.Field"/>, which shows controls
    /// (line feed, tab, carriage return, ESC …) as <c>&lt;U+000A&gt;</c>. A value cannot forget to be escaped.
    /// </summary>
    internal static class Fields
    {
        /// <summary>One line: its literal text, its values each made single-line, then a line feed.</summary>
        public static StringBuilder Line(this StringBuilder target, [InterpolatedStringHandlerArgument("target")] ref FieldsHandler line)
        {
            _ = line;
            return target.Append('\n');
        }

        /// <summary>Part of a line: its literal text and its values each made single-line, with no line feed.</summary>
        public static StringBuilder Part(this StringBuilder target, [InterpolatedStringHandlerArgument("target")] ref FieldsHandler part)
        {
            _ = part;
            return target;
        }

        /// <summary>The text with its values each made single-line (for <c>WriteLine</c> and messages).</summary>
        public static string Text(ref FieldsHandler text) => text.ToStringAndClear();

        /// <summary>
        /// A message made into one line as a whole: for text built elsewhere (an exception's or a diagnostic's message)
        /// that quotes values and is meant to be one line.
        /// </summary>
        public static string OneLine(string? message) => UnsafeCharacters.Field(message);
    }

    /// <summary>
    /// The interpolated-string handler behind <see cref="Fields"/>: literals as written, each value through
    /// <see cref="UnsafeCharacters.Field"/>. Values are formatted as C# interpolation formats them (current culture,
    /// alignment and format string honoured).
    /// </summary>
    [InterpolatedStringHandler]
    internal ref struct FieldsHandler
    {
        private readonly StringBuilder _builder;

        /// <summary>A handler building its own text.</summary>
        public FieldsHandler(int literalLength, int formattedCount)
        {
            _builder = new StringBuilder(literalLength + (formattedCount * 16));
        }

        /// <summary>A handler appending to <paramref name="target"/>.</summary>
        public FieldsHandler(int literalLength, int formattedCount, StringBuilder target)
        {
            _ = literalLength;
            _ = formattedCount;
            _builder = target;
        }

        public readonly void AppendLiteral(string value) => _builder.Append(value);

        public readonly void AppendFormatted<T>(T value) => AppendFormatted(value, 0, null);

        public readonly void AppendFormatted<T>(T value, string? format) => AppendFormatted(value, 0, format);

        public readonly void AppendFormatted<T>(T value, int alignment) => AppendFormatted(value, alignment, null);

        public readonly void AppendFormatted<T>(T value, int alignment, string? format)
        {
            var text = UnsafeCharacters.Field(value is IFormattable formattable ? formattable.ToString(format, null) : value?.ToString());
            var padding = Math.Abs(alignment) - text.Length;
            if (alignment > 0 && padding > 0)
            {
                _builder.Append(' ', padding);
            }

            _builder.Append(text);
            if (alignment < 0 && padding > 0)
            {
                _builder.Append(' ', padding);
            }
        }

        public readonly string ToStringAndClear() => _builder.ToString();
    }
}
