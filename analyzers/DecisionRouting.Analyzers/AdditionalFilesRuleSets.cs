using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using DecisionRouting.RuleSets;
using Microsoft.CodeAnalysis;

namespace DecisionRouting.Analyzers
{
    /// <summary>The rule-set folders among a compilation's AdditionalFiles, read through the loader's file-system seam.</summary>
    internal sealed class AdditionalFilesRuleSets : IRuleSetFileSystem
    {
        private readonly Dictionary<string, AdditionalText> _files;
        private readonly CancellationToken _cancellation;

        public AdditionalFilesRuleSets(ImmutableArray<AdditionalText> files, CancellationToken cancellation)
        {
            _cancellation = cancellation;
            _files = new Dictionary<string, AdditionalText>(StringComparer.Ordinal);
            foreach (var file in files.Where(f => f.Path.EndsWith(".json", StringComparison.OrdinalIgnoreCase)))
            {
                _files[Normalise(file.Path)] = file;
            }
        }

        /// <summary>Folders holding a ruleset.json or a *.rules.json: each is a rule set to check.</summary>
        public IReadOnlyList<string> RuleSetFolders() => _files.Keys
            .Where(p => p.EndsWith("/ruleset.json", StringComparison.Ordinal) || p.EndsWith(".rules.json", StringComparison.Ordinal))
            .Select(p => p.Substring(0, p.LastIndexOf('/')))
            .Distinct(StringComparer.Ordinal)
            .OrderBy(p => p, StringComparer.Ordinal)
            .ToList();

        /// <summary>
        /// A hash of a file's text (the compiler's own checksum, computed once per text and kept with it), or null when
        /// no such file is passed: what a cached rule set compares to see that a file it read is unchanged.
        /// </summary>
        public string? HashOf(string path)
        {
            if (!_files.TryGetValue(Normalise(path), out var file) || file.GetText(_cancellation) is not { } text)
            {
                return null;
            }

            var checksum = text.GetChecksum();
            var hex = new System.Text.StringBuilder((checksum.Length * 2) + 8);
            foreach (var b in checksum)
            {
                hex.Append(b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
            }

            // The length too: the checksum alone is SHA-1, and a length mismatch is the cheapest edit to see.
            return hex.Append(':').Append(text.Length.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToString();
        }

        public bool DirectoryExists(string path)
        {
            var folder = Normalise(path).TrimEnd('/') + "/";
            return _files.Keys.Any(k => k.StartsWith(folder, StringComparison.Ordinal));
        }

        public IEnumerable<string> EnumerateFiles(string directory)
        {
            var folder = Normalise(directory).TrimEnd('/') + "/";
            return _files.Keys.Where(k => k.StartsWith(folder, StringComparison.Ordinal) && k.IndexOf('/', folder.Length) < 0).ToList();
        }

        public string? ReadAllText(string path) =>
            _files.TryGetValue(Normalise(path), out var file) ? file.GetText(_cancellation)?.ToString() : null;

        /// <summary>One spelling per path: forward slashes, "." and ".." resolved, so extends paths match AdditionalFiles.</summary>
        internal static string Normalise(string path)
        {
            var parts = new List<string>();
            foreach (var part in path.Replace('\\', '/').Split('/'))
            {
                if (part == "..")
                {
                    if (parts.Count > 1)
                    {
                        parts.RemoveAt(parts.Count - 1);
                    }
                }
                else if (part != "." && (part.Length > 0 || parts.Count == 0))
                {
                    parts.Add(part);
                }
            }

            return string.Join("/", parts);
        }
    }
}
