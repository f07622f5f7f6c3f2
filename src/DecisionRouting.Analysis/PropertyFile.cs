using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using DecisionRouting.Diagnostics;
using DecisionRouting.Json;
using DecisionRouting.RuleSets;
using DecisionRouting.Text;

namespace DecisionRouting.Analysis
{
    /// <summary>One property an officer asks of a rule set: a formula every proposal must satisfy.</summary>
    internal sealed record PropertyDefinition(string Name, string? Description, JsonString Holds, SourceLocation NameLocation);

    /// <summary>
    /// Reads a properties file (<c>schemas/properties.schema.json</c>): <c>{ "properties": [ { "name", "description",
    /// "holds" } ] }</c>, strictly and with positions, reporting what is wrong with the same IDs the rule files use.
    /// </summary>
    internal static class PropertyFile
    {
        private static readonly string[] TopNames = { "$schema", "description", "properties" };
        private static readonly string[] PropertyNames = { "name", "description", "holds" };

        public static IReadOnlyList<PropertyDefinition> Read(string path, DiagnosticBag diagnostics)
        {
            string text;
            try
            {
                text = File.ReadAllText(path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                diagnostics.Report(DiagnosticDescriptors.RuleSetNotFound, new SourceLocation(path, 0, 0, 0, 0, 0, 0), $"Properties file {path} cannot be read: {e.Message}");
                return Array.Empty<PropertyDefinition>();
            }

            var document = new SourceDocument(path, text);
            if (ParsedDocument.Parse(document, diagnostics) is not { } root)
            {
                return Array.Empty<PropertyDefinition>();
            }

            if (root is not JsonObject top)
            {
                diagnostics.Report(DiagnosticDescriptors.WrongValueType, root.Location, "properties file", "an object", root.KindInWords);
                return Array.Empty<PropertyDefinition>();
            }

            Unknown(top, TopNames, "the properties file", diagnostics);
            var list = top.Find("properties");
            if (list is null)
            {
                diagnostics.Report(DiagnosticDescriptors.MissingProperty, top.Location, "The properties file", "properties");
                return Array.Empty<PropertyDefinition>();
            }

            if (list.Value is not JsonArray items)
            {
                diagnostics.Report(DiagnosticDescriptors.WrongValueType, list.Value.Location, "properties", "an array", list.Value.KindInWords);
                return Array.Empty<PropertyDefinition>();
            }

            var result = new List<PropertyDefinition>();
            foreach (var item in items.Items)
            {
                if (item is not JsonObject o)
                {
                    diagnostics.Report(DiagnosticDescriptors.WrongValueType, item.Location, "properties[]", "an object", item.KindInWords);
                    continue;
                }

                Unknown(o, PropertyNames, "a property", diagnostics);
                var name = String(o, "name", diagnostics);
                var holds = String(o, "holds", diagnostics);
                var description = o.Find("description")?.Value is JsonString d ? d.Value : null;
                if (name is not null && holds is not null)
                {
                    result.Add(new PropertyDefinition(name.Value, description, holds, name.Location));
                }
            }

            return result;
        }

        private static JsonString? String(JsonObject o, string name, DiagnosticBag diagnostics)
        {
            var property = o.Find(name);
            if (property is null)
            {
                diagnostics.Report(DiagnosticDescriptors.MissingProperty, o.Location, "A property", name);
                return null;
            }

            if (property.Value is not JsonString s)
            {
                diagnostics.Report(DiagnosticDescriptors.WrongValueType, property.Value.Location, name, "a string", property.Value.KindInWords);
                return null;
            }

            return s;
        }

        private static void Unknown(JsonObject o, string[] known, string where, DiagnosticBag diagnostics)
        {
            foreach (var property in o.Properties.Where(p => !known.Contains(p.Name, StringComparer.Ordinal)))
            {
                diagnostics.Report(DiagnosticDescriptors.UnknownProperty, property.NameLocation, property.Name, where, NameSuggestions.DidYouMean(property.Name, known));
            }
        }
    }
}
