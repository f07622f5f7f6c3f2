using System;
using System.Collections.Generic;
using System.Text;
using DecisionRouting.Expressions;

namespace DecisionRouting.Explanations
{
    /// <summary>
    /// Splits an expression's text at its top-level <c>||</c> or <c>&amp;&amp;</c>, so each condition can be shown and
    /// evaluated as the officer wrote it. Brackets and string literals are respected.
    /// </summary>
    internal static class ConditionText
    {
        /// <summary>The top-level parts joined by <c>||</c> (if any), otherwise by <c>&amp;&amp;</c>.</summary>
        public static (IReadOnlyList<string> Parts, string Joiner) Split(string expression)
        {
            var trimmed = StripOuterBrackets(expression.Trim());
            var any = SplitAt(trimmed, "||");
            if (any.Count > 1)
            {
                return (any, "any");
            }

            return (SplitAt(trimmed, "&&"), "all");
        }

        private static List<string> SplitAt(string text, string separator)
        {
            var parts = new List<string>();
            var current = new StringBuilder();
            var depth = 0;
            for (var i = 0; i < text.Length; i++)
            {
                var c = text[i];
                if (c == '"' || c == '\'')
                {
                    var end = Math.Min(ExpressionText.EndOfLiteral(text, i), text.Length - 1);
                    current.Append(text, i, end - i + 1);
                    i = end;
                    continue;
                }

                depth += c is '(' or '[' ? 1 : c is ')' or ']' ? -1 : 0;
                if (depth == 0 && string.CompareOrdinal(text, i, separator, 0, separator.Length) == 0)
                {
                    parts.Add(current.ToString().Trim());
                    current.Clear();
                    i += separator.Length - 1;
                    continue;
                }

                current.Append(c);
            }

            parts.Add(current.ToString().Trim());
            return parts;
        }

        /// <summary>"(a || b)" is the same condition as "a || b"; "(a) || (b)" is not wrapped.</summary>
        private static string StripOuterBrackets(string text)
        {
            while (text.Length > 1 && text[0] == '(' && MatchingBracket(text, 0) == text.Length - 1)
            {
                text = text.Substring(1, text.Length - 2).Trim();
            }

            return text;
        }

        private static int MatchingBracket(string text, int open)
        {
            var depth = 0;
            for (var i = open; i < text.Length; i++)
            {
                if (text[i] is '"' or '\'')
                {
                    i = ExpressionText.EndOfLiteral(text, i);
                    continue;
                }

                depth += text[i] == '(' ? 1 : text[i] == ')' ? -1 : 0;
                if (depth == 0)
                {
                    return i;
                }
            }

            return -1;
        }
    }
}
