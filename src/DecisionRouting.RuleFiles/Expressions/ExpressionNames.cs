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
    internal static class ExpressionNames
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
        public static IReadOnlyList<string> Types { get; } = new[] { "ProposalKind", "DecisionMaker", "StatutoryRole", "LocalDate" };

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

        /// <summary>
        /// The other words System.Linq.Dynamic.Core 1.7.4 gives a meaning to (checked against its keyword and
        /// function tables): <c>parent</c> and <c>root</c> (with <c>it</c>, the lambda scopes), <c>np</c> and
        /// <c>isnull</c> (null propagation and coalesce), <c>as</c>, <c>is</c>, <c>cast</c> and <c>in</c>. They are
        /// not rewritten by <see cref="NormalizeKeywords"/>; a GlobalParam or LocalParam may not take them (DR0037).
        /// </summary>
        public static IReadOnlyList<string> ReservedWords { get; } = new[] { "parent", "root", "np", "isnull", "as", "is", "cast", "in", "outerIt" };

        /// <summary>
        /// The types the parser resolves by name without being told (System.Linq.Dynamic.Core 1.7.4's predefined
        /// types and their C# aliases, plus <c>Enumerable</c>, which RulesEngine's expressions reach): a parameter
        /// with one of these names would shadow the type, or be shadowed by it.
        /// </summary>
        public static IReadOnlyList<string> PredefinedTypes { get; } = new[]
        {
            "Object", "Boolean", "Char", "String", "SByte", "Byte", "Int16", "UInt16", "Int32", "UInt32", "Int64", "UInt64", "Single", "Double",
            "Decimal", "DateTime", "DateTimeOffset", "TimeSpan", "Guid", "Math", "Convert", "Uri", "DateOnly", "TimeOnly", "Enumerable", "Enum",
            "object", "bool", "char", "string", "sbyte", "byte", "short", "ushort", "int", "uint", "long", "ulong", "float", "double", "decimal",
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
                    i = ExpressionText.EndOfLiteral(expression, i);

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

        /// <summary>
        /// What the name already means in expressions, or null when it is free for a GlobalParam or LocalParam. Names
        /// are compared in any case: RulesEngine's default settings read identifiers case-insensitively, so
        /// <c>Proposal</c> or <c>PARAMETERS</c> would collide with the input in a plain RulesEngine host.
        /// </summary>
        public static string? ReservedMeaning(string name)
        {
            if (Inputs.FirstOrDefault(n => string.Equals(n, name, StringComparison.OrdinalIgnoreCase)) is { } input)
            {
                return $"the input '{input}' every expression reads (the inputs are {string.Join(", ", Inputs.Select(n => $"'{n}'"))}; names are read in any case)";
            }

            if (Types.Concat(PredefinedTypes).FirstOrDefault(n => string.Equals(n, name, StringComparison.OrdinalIgnoreCase)) is { } type)
            {
                return $"the type '{type}' expressions name (names are read in any case)";
            }

            if (ReservedWords.FirstOrDefault(n => string.Equals(n, name, StringComparison.OrdinalIgnoreCase)) is { } word)
            {
                return $"the word '{word}' the expression language reserves (names are read in any case)";
            }

            return IsKeyword(name) ? $"the keyword '{name.ToLowerInvariant()}' (keywords are read in any case)" : null;
        }
    }
}
