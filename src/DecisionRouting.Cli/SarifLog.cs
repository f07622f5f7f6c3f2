using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using DecisionRouting.Diagnostics;

namespace DecisionRouting.Cli
{
    /// <summary>
    /// Diagnostics as a SARIF 2.1.0 log, so partner CI (code scanning) shows the same findings as the build. Paths are
    /// written as given, relative when the command was given a relative folder.
    /// </summary>
    internal static class SarifLog
    {
        public static string Write(IReadOnlyList<RuleDiagnostic> diagnostics, string toolVersion)
        {
            using var stream = new MemoryStream();
            using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            {
                w.WriteStartObject();
                w.WriteString("$schema", "https://json.schemastore.org/sarif-2.1.0.json");
                w.WriteString("version", "2.1.0");
                w.WriteStartArray("runs");
                w.WriteStartObject();
                w.WriteStartObject("tool");
                w.WriteStartObject("driver");
                w.WriteString("name", "decision-routing");
                w.WriteString("version", toolVersion);
                w.WriteString("informationUri", "https://github.com/decision-routing/decision-routing");
                w.WriteStartArray("rules");
                foreach (var descriptor in DiagnosticDescriptors.All)
                {
                    w.WriteStartObject();
                    w.WriteString("id", descriptor.Id);
                    w.WriteString("name", string.Concat(descriptor.Title.Split(' ').Select(Capitalise)));
                    w.WriteStartObject("shortDescription");
                    w.WriteString("text", descriptor.Title);
                    w.WriteEndObject();
                    w.WriteString("helpUri", descriptor.HelpLink);
                    w.WriteStartObject("defaultConfiguration");
                    w.WriteString("level", Level(descriptor.DefaultSeverity));
                    w.WriteEndObject();
                    w.WriteEndObject();
                }

                w.WriteEndArray();
                w.WriteEndObject();
                w.WriteEndObject();

                w.WriteStartArray("results");
                foreach (var diagnostic in diagnostics)
                {
                    w.WriteStartObject();
                    w.WriteString("ruleId", diagnostic.Id);
                    w.WriteNumber("ruleIndex", DiagnosticDescriptors.All.ToList().FindIndex(d => d.Id == diagnostic.Id));
                    w.WriteString("level", Level(diagnostic.Severity));
                    w.WriteStartObject("message");
                    w.WriteString("text", diagnostic.Message);
                    w.WriteEndObject();
                    w.WriteStartArray("locations");
                    w.WriteStartObject();
                    w.WriteStartObject("physicalLocation");
                    w.WriteStartObject("artifactLocation");
                    w.WriteString("uri", diagnostic.Location.Path.Replace('\\', '/'));
                    w.WriteEndObject();
                    if (diagnostic.Location.HasPosition)
                    {
                        w.WriteStartObject("region");
                        w.WriteNumber("startLine", diagnostic.Location.Line);
                        w.WriteNumber("startColumn", diagnostic.Location.Column);
                        w.WriteNumber("endLine", System.Math.Max(diagnostic.Location.EndLine, diagnostic.Location.Line));
                        w.WriteNumber("endColumn", System.Math.Max(diagnostic.Location.EndColumn, diagnostic.Location.Column + 1));
                        w.WriteEndObject();
                    }

                    w.WriteEndObject();
                    w.WriteEndObject();
                    w.WriteEndArray();
                    w.WriteEndObject();
                }

                w.WriteEndArray();
                w.WriteEndObject();
                w.WriteEndArray();
                w.WriteEndObject();
            }

            return Encoding.UTF8.GetString(stream.ToArray());
        }

        private static string Level(DiagnosticSeverity severity) => severity == DiagnosticSeverity.Error ? "error" : "warning";

        private static string Capitalise(string word) => word.Length == 0 ? word : char.ToUpperInvariant(word[0]) + word.Substring(1);
    }
}
