using System;
using System.Collections.Generic;
using System.IO;
using DecisionRouting.Diagnostics;
using DecisionRouting.Json;
using DecisionRouting.RuleSets;
using DecisionRouting.Text;

namespace DecisionRouting.Cli.Publication
{
    /// <summary>
    /// Reads a small JSON input file the publication commands take (a forward plan's publication file, a decision
    /// record) the way proposals are read: a regular file of at most 4 MiB, parsed with positions, so every mistake is a
    /// <c>file(line,col)</c> diagnostic with the rule files' IDs (DR0001 malformed, DR0002 unknown property …).
    /// </summary>
    internal static class JsonInputFile
    {
        /// <summary>The parsed root, or null with the diagnostics (a missing, refused or malformed file) in <paramref name="diagnostics"/>.</summary>
        /// <param name="path">The file, as named on the command line.</param>
        /// <param name="what">What it is, for DR0092's message: "Publication file", "Decision record file".</param>
        /// <param name="diagnostics">Where problems go.</param>
        public static JsonNode? Parse(string path, string what, DiagnosticBag diagnostics)
        {
            string? text;
            try
            {
                text = SafeFile.ReadText(path, root: null, RuleSetReadOptions.DefaultMaxFileBytes);
            }
            catch (RuleFileRefusedException e)
            {
                diagnostics.Report(DiagnosticDescriptors.FileRefused, SourceLocation.ForPath(path), Path.GetFileName(path), e.Reason);
                return null;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                diagnostics.Report(DiagnosticDescriptors.PublicationFileUnreadable, SourceLocation.ForPath(path), what, path, $"cannot be read: {e.Message}");
                return null;
            }

            if (text is null || Directory.Exists(path))
            {
                diagnostics.Report(DiagnosticDescriptors.PublicationFileUnreadable, SourceLocation.ForPath(path), what, path, Directory.Exists(path) ? "is a folder, not a file" : "does not exist");
                return null;
            }

            return ParsedDocument.Parse(new SourceDocument(path, text), diagnostics);
        }

        /// <summary>A list of non-blank strings; a blank one is reported (a blank document name is not a document).</summary>
        public static List<string> Texts(ObjectReader reader, string name, DiagnosticBag diagnostics)
        {
            var values = new List<string>();
            foreach (var item in reader.StringArray(name))
            {
                if (string.IsNullOrWhiteSpace(item.Value))
                {
                    diagnostics.Report(DiagnosticDescriptors.EmptyName, item.Location, $"An entry of '{name}' in {reader.What} must not be empty");
                }
                else
                {
                    values.Add(item.Value);
                }
            }

            return values;
        }

        /// <summary>A text that, when given, must not be blank: a blank statutory content would be a silent gap.</summary>
        public static string? Text(ObjectReader reader, string name, DiagnosticBag diagnostics)
        {
            var node = reader.StringNode(name);
            if (node is not null && string.IsNullOrWhiteSpace(node.Value))
            {
                diagnostics.Report(DiagnosticDescriptors.EmptyName, node.Location, $"'{name}' of {reader.What} must not be empty; leave it out to have the document say it is missing");
                return null;
            }

            return node?.Value;
        }
    }
}
