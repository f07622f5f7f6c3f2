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
    /// threshold (500,000)". A reading aid, not a translation: the expression stays the authority.
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
        };

        public static string Describe(string expression, IReadOnlyDictionary<string, RuleSetParameter> parameters)
        {
            var text = Regex.Replace(expression, @"parameters\.(\w+)", m =>
                parameters.TryGetValue(m.Groups[1].Value, out var p) ? $"{Words(p.Name)} ({Value(p.Value)})" : Words(m.Groups[1].Value));
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

        private static string Value(object value) => value switch
        {
            decimal d => d.ToString("#,0.##", CultureInfo.InvariantCulture),
            bool b => b ? "yes" : "no",
            _ => System.Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty,
        };
    }
}
