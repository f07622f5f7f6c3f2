using System.Text;

namespace DecisionRouting.Text
{
    /// <summary>
    /// Characters that change how text is displayed rather than what it says: terminal controls (C0, DEL, C1, and so
    /// ESC sequences) and the hidden text-direction controls of the "Trojan Source" attack. The rule-file loader
    /// refuses the direction controls (DR0064); the CLI escapes both in every line of text it writes.
    /// </summary>
    internal static class UnsafeCharacters
    {
        /// <summary>
        /// U+061C, U+200E, U+200F, U+202A–U+202E and U+2066–U+2069: the characters that reorder the display of the
        /// text around them without being visible.
        /// </summary>
        public static bool IsTextDirectionControl(char c) =>
            c == '\u061C' || c == '\u200E' || c == '\u200F' || (c >= '\u202A' && c <= '\u202E') || (c >= '\u2066' && c <= '\u2069');

        /// <summary>C0 controls other than tab and line feed, DEL, C1 controls, and the Unicode line and paragraph separators.</summary>
        public static bool IsTerminalControl(char c) =>
            (c < ' ' && c != '\t' && c != '\n') || (c >= '\u007F' && c <= '\u009F') || c == '\u2028' || c == '\u2029';

        /// <summary>Whether the character must not reach a terminal as it is.</summary>
        public static bool IsUnsafe(char c) => IsTerminalControl(c) || IsTextDirectionControl(c);

        /// <summary>
        /// Characters a name or identifier in a rule file must not hold: every C0 control (tab, line feed and carriage
        /// return included), DEL, every C1 control, and the Unicode line and paragraph separators (U+2028, U+2029).
        /// Each of them can end a line or hide a character wherever the name is shown; DR0068 refuses them at load.
        /// </summary>
        public static bool IsControlOrSeparator(char c) =>
            c < ' ' || (c >= '\u007F' && c <= '\u009F') || c == '\u2028' || c == '\u2029';

        /// <summary>
        /// Whether the character must not appear as it is inside one field of a line of text output: anything
        /// <see cref="IsUnsafe"/>, and also tab and line feed, which a whole line may contain but a value placed in
        /// it may not (they would start what looks like another line or column).
        /// </summary>
        public static bool IsUnsafeInField(char c) => IsUnsafe(c) || c == '\t' || c == '\n';

        /// <summary>
        /// A value (a title, reason, name, id, actor or message) made safe to place inside one line of text output:
        /// every character <see cref="IsUnsafeInField"/> is written as its visible form (<c>&lt;U+000A&gt;</c> for a
        /// line feed), so the value stays on its line and cannot forge another. The empty string for null. JSON output
        /// does not need this: the serializer escapes control characters itself and keeps the exact value.
        /// </summary>
        public static string Field(string? value) => value is null ? string.Empty : Replace(value, IsUnsafeInField);

        /// <summary>A control character or separator in words, with its code point: "a line feed (U+000A)".</summary>
        public static string DescribeControl(char c)
        {
            var code = "U+" + ((int)c).ToString("X4", System.Globalization.CultureInfo.InvariantCulture);
            return c switch
            {
                '\n' => $"a line feed ({code})",
                '\r' => $"a carriage return ({code})",
                '\t' => $"a tab ({code})",
                '\u001b' => $"an escape character ({code})",
                '\u2028' => $"a line separator ({code})",
                '\u2029' => $"a paragraph separator ({code})",
                _ => $"the control character {code}",
            };
        }

        /// <summary>
        /// Why <paramref name="name"/> (an actor, case id or other name given as input, described by
        /// <paramref name="what"/>) may not be used, or null when it may: a name holding a control character or a
        /// line or paragraph separator (<see cref="IsControlOrSeparator"/>) is refused, so nothing stored carries one.
        /// The message quotes the name with those characters shown visibly.
        /// </summary>
        public static string? NameProblem(string? name, string what)
        {
            if (name is null)
            {
                return null;
            }

            foreach (var c in name)
            {
                if (IsControlOrSeparator(c))
                {
                    return $"{what} '{Field(name)}' contains {DescribeControl(c)}: names are recorded in the audit trail and shown on one line, so they may not hold control characters or line breaks";
                }
            }

            return null;
        }

        /// <summary>The visible form written in its place: <c>&lt;U+001B&gt;</c>.</summary>
        public static string Visible(char c) => "<U+" + ((int)c).ToString("X4", System.Globalization.CultureInfo.InvariantCulture) + ">";

        /// <summary>The text with every unsafe character replaced by its visible form; the same string when there are none.</summary>
        public static string Escape(string text) => text is null ? string.Empty : Replace(text, IsUnsafe);

        private static string Replace(string text, System.Func<char, bool> unsafeHere)
        {
            var i = 0;
            while (i < text.Length && !unsafeHere(text[i]))
            {
                i++;
            }

            if (i == text.Length)
            {
                return text;
            }

            var result = new StringBuilder(text.Length + 16).Append(text, 0, i);
            for (; i < text.Length; i++)
            {
                if (unsafeHere(text[i]))
                {
                    result.Append(Visible(text[i]));
                }
                else
                {
                    result.Append(text[i]);
                }
            }

            return result.ToString();
        }

        /// <summary>The name of a text-direction control, for diagnostics.</summary>
        public static string DirectionControlName(char c) => c switch
        {
            '\u061C' => "ARABIC LETTER MARK",
            '\u200E' => "LEFT-TO-RIGHT MARK",
            '\u200F' => "RIGHT-TO-LEFT MARK",
            '\u202A' => "LEFT-TO-RIGHT EMBEDDING",
            '\u202B' => "RIGHT-TO-LEFT EMBEDDING",
            '\u202C' => "POP DIRECTIONAL FORMATTING",
            '\u202D' => "LEFT-TO-RIGHT OVERRIDE",
            '\u202E' => "RIGHT-TO-LEFT OVERRIDE",
            '\u2066' => "LEFT-TO-RIGHT ISOLATE",
            '\u2067' => "RIGHT-TO-LEFT ISOLATE",
            '\u2068' => "FIRST STRONG ISOLATE",
            '\u2069' => "POP DIRECTIONAL ISOLATE",
            _ => "text-direction control",
        };
    }
}
