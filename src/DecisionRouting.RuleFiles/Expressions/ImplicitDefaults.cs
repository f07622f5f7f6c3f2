using System;

namespace DecisionRouting.Expressions
{
    /// <summary>
    /// Ways of writing an expression that silently put a default in place of an absent value:
    /// <c>End.GetValueOrDefault() &lt; LocalDate(2013, 1, 1)</c> reads a missing date as 1 January 0001 and decides the
    /// rule. An absent value must never decide a rule implicitly, so these are refused at load (DR0029) by the
    /// library and the analyzer alike, from this one scan of the text. Testing <c>.HasValue</c> and choosing
    /// (<c>x.End.HasValue ? x.End.Value : …</c>) stays allowed: that is an explicit choice.
    /// </summary>
    internal static class ImplicitDefaults
    {
        /// <summary>
        /// The first implicit default in the expression, outside string literals: its position (0-based, in the text
        /// as written), the length of the construct and the message; null when there is none.
        /// </summary>
        public static (int Position, int Length, string Message)? Find(string expression)
        {
            if (string.IsNullOrEmpty(expression))
            {
                return null;
            }

            for (var i = 0; i < expression.Length; i++)
            {
                var c = expression[i];
                if (c is '"' or '\'')
                {
                    i = ExpressionText.EndOfLiteral(expression, i);

                    continue;
                }

                if (c == '?' && i + 1 < expression.Length && expression[i + 1] is '?' or '.')
                {
                    var op = expression.Substring(i, 2);
                    var what = op == "??"
                        ? "The '??' operator supplies a value when one is absent"
                        : "The '?.' operator reads an absent value as null";
                    return (i, 2, Message(what));
                }

                if (!(char.IsLetter(c) || c == '_'))
                {
                    continue;
                }

                var start = i;
                while (i < expression.Length && (char.IsLetterOrDigit(expression[i]) || expression[i] == '_'))
                {
                    i++;
                }

                var word = expression.Substring(start, i - start);
                i--;
                if (word is "GetValueOrDefault" && NextNonSpace(expression, start + word.Length) == '(')
                {
                    return (start, word.Length, Message("'GetValueOrDefault' supplies a default (for a date, 1 January 0001) when the value is absent"));
                }

                // System.Linq.Dynamic.Core's null-propagation np(a.b.c) and coalesce isnull(a, b), in any case as
                // RulesEngine's default settings read them; as member names (after a dot) they are something else.
                if ((string.Equals(word, "np", StringComparison.OrdinalIgnoreCase) || string.Equals(word, "isnull", StringComparison.OrdinalIgnoreCase))
                    && NextNonSpace(expression, start + word.Length) == '(' && PreviousNonSpace(expression, start - 1) != '.')
                {
                    return (start, word.Length, Message($"'{word}(…)' reads an absent value as null or a default"));
                }
            }

            return null;
        }

        private static string Message(string what) =>
            $"{what}, so a missing proposal value would decide the rule without anyone choosing to. Test the value explicitly: e.g. 'x.End.HasValue && x.End.Value < LocalDate(2013, 1, 1)', or 'proposal.Attributes.Has(\"name\")' for an attribute";

        private static char NextNonSpace(string text, int at)
        {
            while (at < text.Length && char.IsWhiteSpace(text[at]))
            {
                at++;
            }

            return at < text.Length ? text[at] : '\0';
        }

        private static char PreviousNonSpace(string text, int at)
        {
            while (at >= 0 && char.IsWhiteSpace(text[at]))
            {
                at--;
            }

            return at >= 0 ? text[at] : '\0';
        }
    }
}
