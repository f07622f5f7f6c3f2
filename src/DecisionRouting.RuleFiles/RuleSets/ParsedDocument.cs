using DecisionRouting.Diagnostics;
using DecisionRouting.Json;
using DecisionRouting.Text;

namespace DecisionRouting.RuleSets
{
    /// <summary>Parses one JSON file, turning a syntax error into DR0001 at its position.</summary>
    internal static class ParsedDocument
    {
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
