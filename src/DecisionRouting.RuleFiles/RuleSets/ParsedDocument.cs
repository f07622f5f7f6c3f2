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
        /// is read, inside a string or out of one. A control written as a JSON escape (<c>\u202e</c>) is reported too,
        /// at the escape: the file looks harmless, but the decoded name, reason or expression it puts into a plan, a
        /// diagnostic or the analyzer's build output does not. Proposals are not rule files and are not held to this.
        /// </summary>
        public static JsonNode? ParseRuleFile(SourceDocument document, DiagnosticBag diagnostics)
        {
            var text = document.Text;
            var reported = 0;
            for (var i = 0; i < text.Length && reported < MaxDirectionReports; i++)
            {
                if (UnsafeCharacters.IsTextDirectionControl(text[i]))
                {
                    diagnostics.Report(DiagnosticDescriptors.HiddenDirectionControl, document.Locate(i, 1), CodePoint(text[i]), UnsafeCharacters.DirectionControlName(text[i]));
                    reported++;
                }
                else if (text[i] == '\\' && i + 1 < text.Length)
                {
                    // A backslash is only valid inside a string, where it starts an escape: decode \uXXXX, and step
                    // over any other escape whole, so an escaped backslash followed by "u202e" is not mistaken for one.
                    if (text[i + 1] == 'u' && EscapedCharacter(text, i) is { } escaped && UnsafeCharacters.IsTextDirectionControl(escaped))
                    {
                        diagnostics.Report(DiagnosticDescriptors.HiddenDirectionControl, document.Locate(i, 6), CodePoint(escaped), UnsafeCharacters.DirectionControlName(escaped) + ", written as the escape " + text.Substring(i, 6));
                        reported++;
                        i += 5;
                    }
                    else
                    {
                        i++;
                    }
                }
            }

            return Parse(document, diagnostics);
        }

        private static string CodePoint(char c) => "U+" + ((int)c).ToString("X4", System.Globalization.CultureInfo.InvariantCulture);

        /// <summary>The character a <c>\uXXXX</c> escape at <paramref name="at"/> stands for, or null when it is malformed (DR0001 reports that).</summary>
        private static char? EscapedCharacter(string text, int at) =>
            at + 6 <= text.Length && int.TryParse(text.Substring(at + 2, 4), System.Globalization.NumberStyles.AllowHexSpecifier, System.Globalization.CultureInfo.InvariantCulture, out var code)
                ? (char)code
                : null;

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
