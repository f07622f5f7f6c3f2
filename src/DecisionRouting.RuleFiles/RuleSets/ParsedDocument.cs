using System;
using System.Collections.Generic;
using System.Linq;
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

        [ThreadStatic]
        private static int _parsesOnThisThread;

        /// <summary>How many rule files this thread has parsed (a shared parse counts once): for tests.</summary>
        internal static int ParsesOnThisThread => _parsesOnThisThread;

        [ThreadStatic]
        private static Dictionary<(string Path, string Text), (JsonNode? Root, RuleDiagnostic[] Diagnostics)>? _shared;

        /// <summary>
        /// Until the result is disposed, each rule file this thread parses is parsed once: a file read again with the
        /// same path and the same text gets the first parse's tree (immutable) and the same diagnostics. The analyzer
        /// reads every rule set of a compilation in one such scope, so a base that five rule sets extend (england) is
        /// parsed once, not six times. Keyed by the whole text, so an edit is never served a stale tree. Scopes nest:
        /// an inner one shares the outer one's parses.
        /// </summary>
        public static IDisposable ShareParses()
        {
            if (_shared is not null)
            {
                return NoScope.Instance;
            }

            _shared = new Dictionary<(string, string), (JsonNode?, RuleDiagnostic[])>();
            return new Scope();
        }

        private sealed class Scope : IDisposable
        {
            public void Dispose() => _shared = null;
        }

        private sealed class NoScope : IDisposable
        {
            public static readonly NoScope Instance = new();

            public void Dispose()
            {
            }
        }

        /// <summary>
        /// Parses a rule file (manifest, catalogue or workflows), first reporting every hidden text-direction control in
        /// it (DR0064) at its line and column: the "Trojan Source" trick makes a file display differently from how it
        /// is read, inside a string or out of one. A control written as a JSON escape (<c>\u202e</c>) is reported too,
        /// at the escape: the file looks harmless, but the decoded name, reason or expression it puts into a plan, a
        /// diagnostic or the analyzer's build output does not. Proposals are not rule files and are not held to this.
        /// </summary>
        public static JsonNode? ParseRuleFile(SourceDocument document, DiagnosticBag diagnostics)
        {
            if (_shared is not { } shared)
            {
                return ParseRuleFileOnce(document, diagnostics);
            }

            if (!shared.TryGetValue((document.Path, document.Text), out var parsed))
            {
                var own = new DiagnosticBag();
                parsed = (ParseRuleFileOnce(document, own), own.Items.ToArray());
                shared[(document.Path, document.Text)] = parsed;
            }

            diagnostics.AddRange(parsed.Diagnostics);
            return parsed.Root;
        }

        private static JsonNode? ParseRuleFileOnce(SourceDocument document, DiagnosticBag diagnostics)
        {
            _parsesOnThisThread++;
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
