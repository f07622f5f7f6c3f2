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

        /// <summary>A fingerprint of every file's path and text, to reuse results across compilations.</summary>
        public string Fingerprint() => string.Join("\0", _files.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => f.Key + "\0" + (f.Value.GetText(_cancellation)?.ToString() ?? string.Empty)));

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
