using System.Collections.Generic;

namespace DecisionRouting.Expressions
{
    /// <summary>
    /// Reading expression text without a parser. The checks that scan the text itself (limits, keyword case,
    /// implicit defaults, operator positions, the analyzer's argument split, the explainer) must all step over string
    /// literals the same way, or a quote inside a literal would make them disagree about where code is.
    /// </summary>
    internal static class ExpressionText
    {
        /// <summary>
        /// The index of the quote that closes the string or character literal opening at <paramref name="start"/>
        /// (a backslash escapes the next character), or the text's length when the literal is never closed.
        /// </summary>
        public static int EndOfLiteral(string text, int start)
        {
            for (var i = start + 1; i < text.Length; i++)
            {
                if (text[i] == '\\')
                {
                    i++;
                }
                else if (text[i] == text[start])
                {
                    return i;
                }
            }

            return text.Length;
        }

        /// <summary>
        /// Each word outside string and character literals that could name a parameter: a run of letters, digits and
        /// underscores not starting with a digit. More is harmless (member and method names come too); the point is
        /// that a parameter whose name is not among them cannot be bound by parsing the text. The compiler trims the
        /// scope it parses and shares code by these words, and DR0070 counts what it will compile by the same words.
        /// </summary>
        public static IEnumerable<string> Words(string text)
        {
            for (var i = 0; i < text.Length; i++)
            {
                var c = text[i];
                if (c is '"' or '\'')
                {
                    i = EndOfLiteral(text, i);
                    continue;
                }

                if (!char.IsLetterOrDigit(c) && c != '_')
                {
                    continue;
                }

                var start = i;
                while (i + 1 < text.Length && (char.IsLetterOrDigit(text[i + 1]) || text[i + 1] == '_'))
                {
                    i++;
                }

                if (!char.IsDigit(c))
                {
                    yield return text.Substring(start, i - start + 1);
                }
            }
        }
    }
}
