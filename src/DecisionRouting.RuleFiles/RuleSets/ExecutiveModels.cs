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

        /// <summary>
        /// A committee system (LGA 2000 s9B(1)(b), (4); Part 1A Chapter 3): no executive, so no cabinet, no executive
        /// (key) decisions under SI 2012/2089 and no executive call-in; functions are discharged by the council, its
        /// committees and officers under LGA 1972 Part 6 (s101).
        /// </summary>
        public const string CommitteeSystem = "CommitteeSystem";

        /// <summary>Every value <c>executiveModel</c> may take.</summary>
        public static IReadOnlyList<string> Names { get; } = new[] { LeaderAndCabinet, MayorAndCabinet, CommitteeSystem };

        private static readonly Regex ParameterThenLiteral = new(@"parameters\.executiveModel\s*(?:==|!=)\s*""((?:[^""\\]|\\.)*)""", RegexOptions.CultureInvariant);
        private static readonly Regex LiteralThenParameter = new(@"""((?:[^""\\]|\\.)*)""\s*(?:==|!=)\s*parameters\.executiveModel\b", RegexOptions.CultureInvariant);

        /// <summary>
        /// Reads <c>"executiveModel"</c> from a manifest as the parameter rules read: a model
        /// (<c>"MayorAndCabinet"</c>), a dated timeline (<c>[ { "model", "from", "until" }, … ]</c>), or either as the
        /// <c>value</c> of <c>{ "value", "source", "description" }</c>. Null when absent or invalid (reported at the value).
        /// A timeline's unknown model is DR0055, two entries in force on one day DR0045 (error), and days between entries
        /// with no model DR0046 (warning: a proposal dated in the gap is routed as incomplete).
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
                source = detail.Authored("source");
                var inner = detail.Property("value", required: true);
                detail.Finish();
                if (inner is null)
                {
                    return null;
                }

                value = inner.Value;
            }

            if (value is JsonArray array)
            {
                var timeline = ReadTimeline(array, diagnostics);
                return timeline is null
                    ? null
                    : new RuleSetParameter(ParameterName, RuleSetParameterKind.Text, timeline[timeline.Count - 1].Model, source, ruleSet, property.NameLocation) { Timeline = timeline };
            }

            if (value is not JsonString text)
            {
                diagnostics.Report(DiagnosticDescriptors.WrongValueType, value.Location, ParameterName, "a string or a dated list of { \"model\", \"from\", \"until\" }", value.KindInWords);
                return null;
            }

            return IsModel(text, diagnostics)
                ? new RuleSetParameter(ParameterName, RuleSetParameterKind.Text, text.Value, source, ruleSet, property.NameLocation)
                : null;
        }

        private static bool IsModel(JsonString text, DiagnosticBag diagnostics)
        {
            if (Names.Contains(text.Value))
            {
                return true;
            }

            diagnostics.Report(
                DiagnosticDescriptors.UnknownExecutiveModel,
                text.Location,
                text.Value,
                string.Join(", ", Names) + NameSuggestions.DidYouMean(text.Value, Names.ToArray()));
            return false;
        }

        /// <summary>The timeline in date order, or null if any entry is unreadable or two overlap (each reported).</summary>
        private static IReadOnlyList<ExecutiveModelPeriod>? ReadTimeline(JsonArray array, DiagnosticBag diagnostics)
        {
            if (array.Items.Length == 0)
            {
                diagnostics.Report(DiagnosticDescriptors.InvalidValue, array.Location, $"'{ParameterName}' lists no model; give a model, or at least one {{ \"model\", \"from\", \"until\" }}");
                return null;
            }

            var entries = new List<ExecutiveModelPeriod>();
            var whole = true;
            foreach (var item in array.Items)
            {
                var reader = ObjectReader.For(item, "an executiveModel timeline entry", ParameterName, diagnostics);
                if (reader is null)
                {
                    whole = false;
                    continue;
                }

                var model = reader.StringNode("model", required: true);
                var from = reader.Date("from");
                var until = reader.Date("until");
                reader.Finish();
                if (model is null || !IsModel(model, diagnostics))
                {
                    whole = false;
                    continue;
                }

                if (from is not null && until is not null && until.Value <= from.Value)
                {
                    diagnostics.Report(DiagnosticDescriptors.DateRangeBackwards, reader.Property("until")!.Value.Location, $"'{model.Value}' ends ({until:uuuu-MM-dd}, the first day it no longer holds) on or before it begins ({from:uuuu-MM-dd}): 'until' is exclusive and must be after 'from'");
                    whole = false;
                    continue;
                }

                entries.Add(new ExecutiveModelPeriod(model.Value, new EffectivePeriod(from, until), item.Location));
            }

            if (!whole)
            {
                return null;
            }

            // Undated first: an entry with no 'from' holds since before any proposal.
            var ordered = entries.OrderBy(e => e.Period.From is null ? 0 : 1).ThenBy(e => e.Period.From).ToList();
            var overlapping = false;
            for (var i = 1; i < ordered.Count; i++)
            {
                var earlier = ordered[i - 1];
                var later = ordered[i];
                if (earlier.Period.Until is null || later.Period.From is null || earlier.Period.Until.Value > later.Period.From.Value)
                {
                    var from = later.Period.From is { } f ? f : earlier.Period.From;
                    diagnostics.Report(
                        DiagnosticDescriptors.ExecutiveModelsOverlap,
                        later.Location,
                        later.Model,
                        earlier.Model,
                        $"({earlier.Location.Line},{earlier.Location.Column})",
                        from is { } day ? EffectivePeriod.Day(day) : "the start");
                    overlapping = true;
                }
                else if (earlier.Period.Until.Value < later.Period.From.Value)
                {
                    diagnostics.Report(
                        DiagnosticDescriptors.ExecutiveModelGap,
                        later.Location,
                        EffectivePeriod.Day(earlier.Period.Until.Value),
                        EffectivePeriod.Day(later.Period.From.Value.PlusDays(-1)),
                        earlier.Model,
                        later.Model);
                }
            }

            return overlapping ? null : ordered;
        }

        /// <summary>Reports each literal an expression compares <c>parameters.executiveModel</c> with that is not a model (DR0044).</summary>
        public static void CheckComparisons(JsonString expression, DiagnosticBag diagnostics)
        {
            if (expression.Value.IndexOf("parameters.executiveModel", System.StringComparison.Ordinal) < 0)
            {
                return;
            }

            foreach (var match in ParameterThenLiteral.Matches(expression.Value).Cast<Match>().Concat(LiteralThenParameter.Matches(expression.Value).Cast<Match>()))
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
