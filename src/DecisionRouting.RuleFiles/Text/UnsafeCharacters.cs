using System.Text;

namespace DecisionRouting.Text
{
    /// <summary>
    /// Characters that change how text is displayed rather than what it says: terminal controls (C0, DEL, C1, and so
    /// ESC sequences) and the hidden text-direction controls of the "Trojan Source" attack. The rule-file loader
    /// refuses the direction controls (DR0064); the CLI escapes both in every line of text it writes.
    /// </summary>
    public static class UnsafeCharacters
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

        /// <summary>The visible form written in its place: <c>&lt;U+001B&gt;</c>.</summary>
        public static string Visible(char c) => "<U+" + ((int)c).ToString("X4", System.Globalization.CultureInfo.InvariantCulture) + ">";

        /// <summary>The text with every unsafe character replaced by its visible form; the same string when there are none.</summary>
        public static string Escape(string text)
        {
            if (text is null)
            {
                return string.Empty;
            }

            var i = 0;
            while (i < text.Length && !IsUnsafe(text[i]))
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
                if (IsUnsafe(text[i]))
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
