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
    }
}
