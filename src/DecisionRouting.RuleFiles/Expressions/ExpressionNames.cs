using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace DecisionRouting.Expressions
{
    /// <summary>
    /// The names the expression language already gives a meaning to: the inputs the router passes, the types
    /// expressions name, and the keywords of System.Linq.Dynamic.Core as RulesEngine configures it. One home, so the
    /// library, the analyzer and the name-collision check (DR0037) agree.
    /// </summary>
    public static class ExpressionNames
    {
        /// <summary>The proposal, as expressions read it.</summary>
        public const string Proposal = "proposal";

        /// <summary>The proposal again, under RulesEngine's default name for the first input.</summary>
        public const string DefaultInput = "input1";

        /// <summary>The rule set's parameters from ruleset.json.</summary>
        public const string Parameters = "parameters";

        /// <summary>The inputs every expression sees, in the order the router passes them.</summary>
        public static IReadOnlyList<string> Inputs { get; } = new[] { Proposal, DefaultInput, Parameters };

        /// <summary>The types expressions may name: the proposal's enums and the date type.</summary>
        public static IReadOnlyList<string> Types { get; } = new[] { "ProposalKind", "DecisionMaker", "LocalDate" };

        /// <summary>
        /// The word keywords RulesEngine's default settings accept in any case (checked against
        /// System.Linq.Dynamic.Core 1.7.4 with <c>IsCaseSensitive = false</c>, RulesEngine's default): <c>AND</c>,
        /// <c>Or</c>, <c>TRUE</c>, <c>Null</c>, <c>EQ</c>, <c>MOD</c>, <c>IIF</c> … The loader keeps member names
        /// case-sensitive, so these are written lower-case before parsing (<see cref="NormalizeKeywords"/>).
        /// </summary>
        public static IReadOnlyList<string> Keywords { get; } = new[]
        {
            "and", "or", "not", "true", "false", "null", "eq", "ne", "neq", "lt", "le", "gt", "ge", "mod", "iif", "it", "new",
        };

        private static readonly HashSet<string> KeywordSet = new(Keywords, StringComparer.OrdinalIgnoreCase);

        /// <summary>Whether the name is a keyword of the expression language, in any case.</summary>
        public static bool IsKeyword(string name) => KeywordSet.Contains(name);

        /// <summary>
        /// The expression with every keyword written lower-case, and nothing else changed: same length, so positions
        /// in it are positions in the text as written. Words in string literals, member names (after a dot) and
        /// lambda parameters (before <c>=&gt;</c>) are left alone.
        /// </summary>
        public static string NormalizeKeywords(string expression)
        {
            if (string.IsNullOrEmpty(expression))
            {
                return expression;
            }

            StringBuilder? result = null;
            for (var i = 0; i < expression.Length; i++)
            {
                var c = expression[i];
                if (c is '"' or '\'')
                {
                    for (i++; i < expression.Length && expression[i] != c; i++)
                    {
                        if (expression[i] == '\\')
                        {
                            i++;
                        }
                    }

                    continue;
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
                if (!KeywordSet.Contains(word) || word == word.ToLowerInvariant() || AfterDot(expression, start) || BeforeArrow(expression, i + 1))
                {
                    continue;
                }

                result ??= new StringBuilder(expression);
                for (var k = start; k < start + word.Length; k++)
                {
                    result[k] = char.ToLowerInvariant(expression[k]);
                }
            }

            return result?.ToString() ?? expression;
        }

        private static bool AfterDot(string text, int at)
        {
            for (var k = at - 1; k >= 0; k--)
            {
                if (!char.IsWhiteSpace(text[k]))
                {
                    return text[k] == '.';
                }
            }

            return false;
        }

        private static bool BeforeArrow(string text, int at)
        {
            var k = at;
            while (k < text.Length && char.IsWhiteSpace(text[k]))
            {
                k++;
            }

            return k + 1 < text.Length && text[k] == '=' && text[k + 1] == '>';
        }

        /// <summary>What the name already means in expressions, or null when it is free for a GlobalParam or LocalParam.</summary>
        public static string? ReservedMeaning(string name)
        {
            if (Inputs.Contains(name, StringComparer.Ordinal))
            {
                return $"the input '{name}' every expression reads (the inputs are {string.Join(", ", Inputs.Select(n => $"'{n}'"))})";
            }

            if (Types.Contains(name, StringComparer.Ordinal))
            {
                return $"the type '{name}' expressions name";
            }

            return IsKeyword(name) ? $"the keyword '{name.ToLowerInvariant()}' (keywords are read in any case)" : null;
        }
    }
}
