using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using DecisionRouting.Diagnostics;
using DecisionRouting.Json;

namespace DecisionRouting.RuleSets
{
    /// <summary>
    /// The executive arrangements a council's rule set declares with <c>"executiveModel"</c> in <c>ruleset.json</c>
    /// (LGA 2000 s9B, s9C): the law on officer appointments (SI 2001/3384 Sch 1 Part I or Part II) and on who holds
    /// executive functions turns on it. It is inherited through <c>extends</c>, and a partnership overrides it. Rules read
    /// it as the text parameter <c>parameters.executiveModel</c>; comparing that with anything but one of
    /// <see cref="Names"/> is refused at load (DR0044), so a misspelt model can never silently match nothing.
    /// </summary>
    internal static class ExecutiveModels
    {
        /// <summary>The parameter name expressions read.</summary>
        public const string ParameterName = "executiveModel";

        /// <summary>A leader and cabinet executive (LGA 2000 s9C(3)); SI 2001/3384 Sch 1 Part II.</summary>
        public const string LeaderAndCabinet = "LeaderAndCabinet";

        /// <summary>A directly elected mayor and cabinet executive (LGA 2000 s9C(2)); SI 2001/3384 Sch 1 Part I.</summary>
        public const string MayorAndCabinet = "MayorAndCabinet";

        /// <summary>Every value <c>executiveModel</c> may take.</summary>
        public static IReadOnlyList<string> Names { get; } = new[] { LeaderAndCabinet, MayorAndCabinet };

        private static readonly Regex ParameterThenLiteral = new(@"parameters\.executiveModel\s*(?:==|!=)\s*""((?:[^""\\]|\\.)*)""", RegexOptions.CultureInvariant);
        private static readonly Regex LiteralThenParameter = new(@"""((?:[^""\\]|\\.)*)""\s*(?:==|!=)\s*parameters\.executiveModel\b", RegexOptions.CultureInvariant);

        /// <summary>
        /// Reads <c>"executiveModel": "MayorAndCabinet"</c> or <c>{ "value": …, "source": …, "description": … }</c> from a
        /// manifest as the parameter rules read. Null when absent or invalid (reported at the value).
        /// </summary>
        public static RuleSetParameter? Read(ObjectReader manifest, string ruleSet, IReadOnlyList<RuleSetParameter> parameters, DiagnosticBag diagnostics)
        {
            var property = manifest.Property("executiveModel");
            if (property is null)
            {
                return null;
            }

            if (parameters.FirstOrDefault(p => p.Name == ParameterName) is { } clash)
            {
                diagnostics.Report(DiagnosticDescriptors.InvalidValue, clash.Location, $"'{ParameterName}' is set by the top-level \"executiveModel\", not as a parameter; remove it from parameters");
            }

            var value = property.Value;
            string? source = null;
            if (value is JsonObject)
            {
                var detail = ObjectReader.For(value, "executiveModel", ParameterName, diagnostics)!;
                detail.Allow("description");
                source = detail.String("source");
                var inner = detail.Property("value", required: true);
                detail.Finish();
                if (inner is null)
                {
                    return null;
                }

                value = inner.Value;
            }

            if (value is not JsonString text)
            {
                diagnostics.Report(DiagnosticDescriptors.WrongValueType, value.Location, ParameterName, "a string", value.KindInWords);
                return null;
            }

            if (!Names.Contains(text.Value))
            {
                diagnostics.Report(
                    DiagnosticDescriptors.InvalidValue,
                    text.Location,
                    $"'{text.Value}' is not an executive model; expected one of {string.Join(", ", Names)}{NameSuggestions.DidYouMean(text.Value, Names.ToArray())}");
                return null;
            }

            return new RuleSetParameter(ParameterName, RuleSetParameterKind.Text, text.Value, source, ruleSet, property.NameLocation);
        }

        /// <summary>Reports each literal an expression compares <c>parameters.executiveModel</c> with that is not a model (DR0044).</summary>
        public static void CheckComparisons(JsonString expression, DiagnosticBag diagnostics)
        {
            if (expression.Value.IndexOf("parameters.executiveModel", System.StringComparison.Ordinal) < 0)
            {
                return;
            }

            foreach (Match match in ParameterThenLiteral.Matches(expression.Value).Cast<Match>().Concat(LiteralThenParameter.Matches(expression.Value).Cast<Match>()))
            {
                var literal = match.Groups[1];
                if (!Names.Contains(literal.Value))
                {
                    diagnostics.Report(
                        DiagnosticDescriptors.NotAnExecutiveModel,
                        expression.LocateInValue(literal.Index - 1, literal.Length + 2),
                        literal.Value,
                        string.Join(", ", Names) + NameSuggestions.DidYouMean(literal.Value, Names.ToArray()));
                }
            }
        }
    }
}
