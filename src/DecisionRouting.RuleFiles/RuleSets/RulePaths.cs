using System.Collections.Generic;

namespace DecisionRouting.RuleSets
{
    /// <summary>Lexical path handling, so diagnostics show paths as the user wrote them (no disk access).</summary>
    internal static class RulePaths
    {
        public const string ManifestFile = "ruleset.json";
        public const string CatalogueFile = "catalogue.json";
        public const string RuleFileSuffix = ".rules.json";

        public static string Combine(string directory, string relative)
        {
            if (relative.StartsWith("/", System.StringComparison.Ordinal) || (relative.Length > 1 && relative[1] == ':'))
            {
                return Normalize(relative);
            }

            return Normalize(directory.Length == 0 ? relative : directory.TrimEnd('/', '\\') + "/" + relative);
        }

        /// <summary>Resolves "." and ".." segments and uses '/' throughout.</summary>
        public static string Normalize(string path)
        {
            var rooted = path.StartsWith("/", System.StringComparison.Ordinal) || path.StartsWith("\\", System.StringComparison.Ordinal);
            var parts = new List<string>();
            foreach (var segment in path.Replace('\\', '/').Split('/'))
            {
                if (segment.Length == 0 || segment == ".")
                {
                    continue;
                }

                if (segment == ".." && parts.Count > 0 && parts[parts.Count - 1] != "..")
                {
                    parts.RemoveAt(parts.Count - 1);
                }
                else
                {
                    parts.Add(segment);
                }
            }

            var joined = string.Join("/", parts);
            return rooted ? "/" + joined : (joined.Length == 0 ? "." : joined);
        }

        public static string FileName(string path)
        {
            var normalized = path.Replace('\\', '/');
            var slash = normalized.LastIndexOf('/');
            return slash < 0 ? normalized : normalized.Substring(slash + 1);
        }
    }
}
