using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;
using DecisionRouting.RuleSets;

namespace DecisionRouting.Documentation
{
    /// <summary>
    /// Turns a rule expression into words a governance officer can review without knowing the expression language:
    /// <c>proposal.SpendOrSaving &gt;= parameters.keyDecisionThreshold</c> becomes "spend or saving ≥ key decision
    /// threshold (£500,000)". A reading aid, not a translation: the expression stays the authority.
    /// Money is shown as money: a number compared with one of the proposal's money fields (its <c>decimal</c> members,
    /// all in pounds), and a parameter compared with one anywhere in the rule set (<see cref="MoneyParameters"/>).
    /// </summary>
    internal static class TriggerWords
    {
        private static readonly (Regex Pattern, MatchEvaluator Replace)[] Rewrites =
        {
            (new Regex(@"LocalDate\((\d{4}),\s*(\d{1,2}),\s*(\d{1,2})\)"), m => DecisionRouting.Text.DateText.Plain.Format(new NodaTime.LocalDate(int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture), int.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture)))),
            (new Regex(@"!\s*(?:proposal|input1)\.Has\(ProposalKind\.(\w+)\)"), m => $"it is not {Words(m.Groups[1].Value)}"),
            (new Regex(@"(?:proposal|input1)\.Has\(ProposalKind\.(\w+)\)"), m => $"it is {Words(m.Groups[1].Value)}"),
            (new Regex(@"!\s*(?:proposal|input1)\.Touches\(StatutoryRole\.(\w+)\)"), m => $"it does not touch the {Words(m.Groups[1].Value)} role"),
            (new Regex(@"(?:proposal|input1)\.Touches\(StatutoryRole\.(\w+)\)"), m => $"it touches the {Words(m.Groups[1].Value)} role"),
            (new Regex(@"!\s*(?:proposal|input1)\.Attributes\.Flag\(""(\w+)""\)"), m => $"not '{m.Groups[1].Value}'"),
            (new Regex(@"(?:proposal|input1)\.Attributes\.(?:Flag|Number|Text|Has)\(""(\w+)""\)"), m => $"'{m.Groups[1].Value}'"),
            (new Regex(@"(?:proposal|input1)\.IntendedDecisionDate"), _ => "decision date"),
            (new Regex(@"!\s*(?:proposal|input1)\.(\w+)"), m => $"not {Words(m.Groups[1].Value)}"),
            (new Regex(@"(?:proposal|input1)\.(\w+)"), m => Words(m.Groups[1].Value)),
            (new Regex(@"DecisionMaker\.(\w+)"), m => Words(m.Groups[1].Value)),
            (new Regex(@"ProposalKind\.(\w+)"), m => Words(m.Groups[1].Value)),
            (new Regex(@"\s*&&\s*"), _ => " and "),
            (new Regex(@"\s*\|\|\s*"), _ => " or "),
            (new Regex(@"\s*==\s*"), _ => " is "),
            (new Regex(@"\s*!=\s*"), _ => " is not "),
            (new Regex(@"\s*>=\s*"), _ => " ≥ "),
            (new Regex(@"\s*<=\s*"), _ => " ≤ "),
            (new Regex(@"!\s*(\w+)"), m => $"not {Words(m.Groups[1].Value)}"),
            (new Regex(@"!\s*\("), _ => "not ("),
        };

        /// <summary>The proposal's money fields: its <c>decimal</c> members (FinancialCommitment, Savings, SpendOrSaving), all in pounds.</summary>
        private static readonly string MoneyMembers = string.Join("|", typeof(Proposals.Proposal).GetProperties()
            .Where(p => p.PropertyType == typeof(decimal))
            .Select(p => p.Name));

        private static readonly Regex MoneyThenNumber = new($@"((?:proposal|input1)\.(?:{MoneyMembers})\s*(?:>=|<=|==|!=|>|<)\s*)(\d+(?:\.\d+)?)m?\b");
        private static readonly Regex NumberThenMoney = new($@"\b(\d+(?:\.\d+)?)m?(\s*(?:>=|<=|==|!=|>|<)\s*(?:proposal|input1)\.(?:{MoneyMembers})\b)");
        private static readonly Regex MoneyParameter = new($@"(?:proposal|input1)\.(?:{MoneyMembers})\s*(?:>=|<=|==|!=|>|<)\s*parameters\.(\w+)|parameters\.(\w+)\s*(?:>=|<=|==|!=|>|<)\s*(?:proposal|input1)\.(?:{MoneyMembers})\b");

        /// <summary>An expression in words. <paramref name="money"/> names the parameters that hold money (<see cref="MoneyParameters"/>).</summary>
        public static string Describe(string expression, IReadOnlyDictionary<string, RuleSetParameter> parameters, IReadOnlyCollection<string>? money = null)
        {
            money ??= MoneyParameters(new[] { expression });
            var text = MoneyThenNumber.Replace(expression, m => m.Groups[1].Value + Pounds(decimal.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture)));
            text = NumberThenMoney.Replace(text, m => Pounds(decimal.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)) + m.Groups[2].Value);
            text = Regex.Replace(text, @"parameters\.(\w+)", m =>
                parameters.TryGetValue(m.Groups[1].Value, out var p) ? $"{Words(p.Name)} ({ValueOf(p, money)})" : Words(m.Groups[1].Value));
            foreach (var (pattern, replace) in Rewrites)
            {
                text = pattern.Replace(text, replace);
            }

            // Scoped parameters (isKeyDecision, accessRegime2012) read as words too.
            return Regex.Replace(text, @"\b[a-z]+[A-Z0-9]\w*\b", m => Words(m.Value));
        }

        /// <summary>"SpendOrSaving" → "spend or saving"; "S75Agreement" → "s75 agreement"; "accessRegime2012" → "access regime 2012".</summary>
        public static string Words(string name)
        {
            var spaced = Regex.Replace(name, @"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Za-z])(?=[0-9]{4})|(?<=[A-Z])(?=[A-Z][a-z])", " ");
            return string.Join(" ", spaced.Split(' ').Select(w => w.Length > 1 && w.All(char.IsUpper) ? w : w.ToLowerInvariant()));
        }

        /// <summary>
        /// A named term in words, saying how its parts combine: "any of: a; b; c" for a chain of <c>||</c>, "all of: a; b"
        /// for a chain of <c>&amp;&amp;</c>, with bracketed groups inside as "any of (a, b)". Split as the parser reads
        /// the expression (<c>||</c> binds loosest), so the words never suggest a grouping the expression does not have.
        /// </summary>
        public static string DescribeTerm(string expression, IReadOnlyDictionary<string, RuleSetParameter> parameters, IReadOnlyCollection<string>? money = null)
        {
            money ??= MoneyParameters(new[] { expression });
            var (joiner, parts) = Split(expression);
            return parts.Count == 1
                ? Describe(expression, parameters, money)
                : $"{joiner} of: " + string.Join("; ", parts.Select(p => Group(p, parameters, money)));
        }

        /// <summary>The parameters the given expressions compare with one of the proposal's money fields.</summary>
        public static IReadOnlyCollection<string> MoneyParameters(IEnumerable<string> expressions) =>
            new HashSet<string>(
                expressions.SelectMany(e => MoneyParameter.Matches(e).Cast<Match>()).Select(m => m.Groups[1].Success ? m.Groups[1].Value : m.Groups[2].Value),
                System.StringComparer.Ordinal);

        /// <summary>A parameter's value as the catalogue's parameter table shows it: money as money.</summary>
        public static string ValueOf(RuleSetParameter parameter, IReadOnlyCollection<string> money) =>
            parameter.Value is decimal d && money.Contains(parameter.Name) ? Pounds(d) : Value(parameter.Value);

        /// <summary>Pounds as an officer writes them: £750,000; £1,250.50.</summary>
        public static string Pounds(decimal amount) => amount.ToString(amount == decimal.Truncate(amount) ? "£#,0" : "£#,0.00", CultureInfo.InvariantCulture);

        private static string Group(string part, IReadOnlyDictionary<string, RuleSetParameter> parameters, IReadOnlyCollection<string> money)
        {
            var inner = Unwrap(part);
            var (joiner, parts) = Split(inner);
            return parts.Count == 1
                ? Describe(inner, parameters, money)
                : $"{joiner} of (" + string.Join(", ", parts.Select(p => Group(p, parameters, money))) + ")";
        }

        /// <summary>The text inside one pair of brackets that encloses all of it, else the text itself.</summary>
        private static string Unwrap(string text)
        {
            var trimmed = text.Trim();
            while (trimmed.Length > 1 && trimmed[0] == '(' && Closing(trimmed, 0) == trimmed.Length - 1)
            {
                trimmed = trimmed.Substring(1, trimmed.Length - 2).Trim();
            }

            return trimmed;
        }

        private static int Closing(string text, int open)
        {
            var depth = 0;
            for (var i = open; i < text.Length; i++)
            {
                if (text[i] == '"')
                {
                    i = StringEnd(text, i);
                }
                else if (text[i] == '(')
                {
                    depth++;
                }
                else if (text[i] == ')' && --depth == 0)
                {
                    return i;
                }
            }

            return -1;
        }

        private static int StringEnd(string text, int quote)
        {
            for (var i = quote + 1; i < text.Length; i++)
            {
                if (text[i] == '\\')
                {
                    i++;
                }
                else if (text[i] == '"')
                {
                    return i;
                }
            }

            return text.Length - 1;
        }

        /// <summary>The operands of the loosest-binding chain outside brackets and strings: "any" for or, "all" for and.</summary>
        private static (string Joiner, List<string> Parts) Split(string expression)
        {
            foreach (var (joiner, symbol, word) in new[] { ("any", "||", "or"), ("all", "&&", "and") })
            {
                var parts = new List<string>();
                var depth = 0;
                var start = 0;
                for (var i = 0; i < expression.Length; i++)
                {
                    var c = expression[i];
                    if (c == '"')
                    {
                        i = StringEnd(expression, i);
                    }
                    else if (c == '(')
                    {
                        depth++;
                    }
                    else if (c == ')')
                    {
                        depth--;
                    }
                    else if (depth == 0 && string.CompareOrdinal(expression, i, symbol, 0, 2) == 0)
                    {
                        parts.Add(expression.Substring(start, i - start).Trim());
                        start = i + 2;
                        i++;
                    }
                    else if (depth == 0 && IsWord(expression, i, word))
                    {
                        parts.Add(expression.Substring(start, i - start).Trim());
                        start = i + word.Length;
                        i += word.Length - 1;
                    }
                }

                if (parts.Count > 0)
                {
                    parts.Add(expression.Substring(start).Trim());
                    return (joiner, parts);
                }
            }

            return ("all", new List<string> { expression.Trim() });
        }

        /// <summary>The keyword form (<c>or</c>, <c>AND</c> …) standing alone between spaces or brackets.</summary>
        private static bool IsWord(string text, int at, string word) =>
            at > 0 && at + word.Length < text.Length
            && string.Compare(text, at, word, 0, word.Length, System.StringComparison.OrdinalIgnoreCase) == 0
            && (char.IsWhiteSpace(text[at - 1]) || text[at - 1] == ')')
            && (char.IsWhiteSpace(text[at + word.Length]) || text[at + word.Length] == '(');

        private static string Value(object value) => value switch
        {
            decimal d => d.ToString("#,0.##", CultureInfo.InvariantCulture),
            bool b => b ? "yes" : "no",
            _ => System.Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty,
        };
    }
}
