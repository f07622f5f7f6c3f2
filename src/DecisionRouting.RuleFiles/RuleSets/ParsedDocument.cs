using DecisionRouting.Diagnostics;
using DecisionRouting.Json;
using DecisionRouting.Text;

namespace DecisionRouting.RuleSets
{
    /// <summary>Parses one JSON file, turning a syntax error into DR0001 at its position.</summary>
    internal static class ParsedDocument
    {
        /// <summary>The most hidden-direction characters reported per file: one is enough to refuse it.</summary>
        private const int MaxDirectionReports = 10;

        /// <summary>
        /// Parses a rule file (manifest, catalogue or workflows), first reporting every hidden text-direction control in
        /// it (DR0064) at its line and column: the "Trojan Source" trick makes a file display differently from how it
        /// is read, inside a string or out of one. Proposals are not rule files and are not held to this.
        /// </summary>
        public static JsonNode? ParseRuleFile(SourceDocument document, DiagnosticBag diagnostics)
        {
            var text = document.Text;
            var reported = 0;
            for (var i = 0; i < text.Length && reported < MaxDirectionReports; i++)
            {
                if (UnsafeCharacters.IsTextDirectionControl(text[i]))
                {
                    diagnostics.Report(DiagnosticDescriptors.HiddenDirectionControl, document.Locate(i, 1), "U+" + ((int)text[i]).ToString("X4", System.Globalization.CultureInfo.InvariantCulture), UnsafeCharacters.DirectionControlName(text[i]));
                    reported++;
                }
            }

            return Parse(document, diagnostics);
        }

        public static JsonNode? Parse(SourceDocument document, DiagnosticBag diagnostics)
        {
            try
            {
                return JsonParser.Parse(document);
            }
            catch (JsonSyntaxException e)
            {
                diagnostics.Report(DiagnosticDescriptors.MalformedJson, document.Locate(e.Offset, 1), e.Message);
                return null;
            }
        }
    }
}
