using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text;

namespace DecisionRouting.RuleSets
{
    /// <summary>
    /// The statutory baselines built into DecisionRouting, and how a rule set names one. Today there is one:
    /// <see cref="England"/>, the repository's <c>rules/england</c> embedded in <c>DecisionRouting.RuleFiles.dll</c> when
    /// it is built (the same files its tests load, never a copy). A partner rule set extends it with
    /// <c>"extends": "baseline:england"</c> in its <c>ruleset.json</c>, and an app loads it on its own with
    /// <c>RuleSet.Load(RuleSetBaselines.England)</c>.
    /// </summary>
    /// <remarks>
    /// <para>
    /// The library loader, the CLI and the Roslyn analyzer all read the baseline from this one assembly (the analyzer
    /// ships a copy of it beside itself, from the same package), so all three check and route exactly the same files,
    /// and the baseline always matches the checks and the <c>Proposal</c> type of the library version in use. A
    /// baseline is never a folder on disk: it needs no copy in the app's output, no path outside the rule tree, and
    /// the <c>extends</c> root checks (DR0063, DR0062) are unchanged for ordinary relative paths.
    /// </para>
    /// <para>
    /// A reference is a scheme and a name: <c>baseline:</c> followed by a baseline's name, nothing else (no
    /// sub-folder, no spaces, lower case). Any other <c>word:</c> prefix in an <c>extends</c> is refused (DR0094) rather
    /// than read as a folder, so a misspelt scheme cannot silently become a path; a folder whose name really has a colon
    /// is written <c>./name:with-colon</c>. An unknown baseline name is DR0093. Diagnostics inside a baseline's files
    /// are reported at <c>baseline:england/&lt;file&gt;(line,col)</c>.
    /// </para>
    /// </remarks>
    public static class RuleSetBaselines
    {
        /// <summary>The scheme that starts a baseline reference: <c>baseline:</c>.</summary>
        public const string Scheme = "baseline:";

        /// <summary>
        /// The England statutory baseline, <c>baseline:england</c>: what to write in <c>extends</c>, or to pass as the
        /// rule-set folder to <c>RuleSet.Load</c>, the CLI's <c>--rules</c> and <c>validate</c>, or
        /// <c>DecisionRoutingOptions.RulesPath</c>.
        /// </summary>
        public const string England = Scheme + "england";

        private const string ResourcePrefix = "DecisionRouting.Baselines.";

        private static readonly Lazy<IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>>> Embedded = new(ReadEmbedded);

        /// <summary>The names of the built-in baselines (without the scheme), sorted: <c>england</c>.</summary>
        public static IReadOnlyList<string> Names => Embedded.Value.Keys.OrderBy(n => n, StringComparer.Ordinal).ToList();

        /// <summary>Whether <paramref name="path"/> is written as a baseline reference (<c>baseline:…</c>), known or not.</summary>
        /// <param name="path">A rule-set folder or an <c>extends</c> value as written.</param>
        public static bool IsReference(string? path) => path is not null && path.StartsWith(Scheme, StringComparison.Ordinal);

        /// <summary>
        /// The files of a built-in baseline, by file name (<c>ruleset.json</c>, <c>catalogue.json</c>,
        /// <c>*.rules.json</c>), with their text exactly as in <c>rules/&lt;name&gt;</c> when this assembly was built;
        /// null when there is no baseline of that name. For reading or exporting a baseline; loading goes through
        /// <c>RuleSet.Load(RuleSetBaselines.England)</c>.
        /// </summary>
        /// <param name="name">A baseline name without the scheme, such as <c>england</c>.</param>
        public static IReadOnlyDictionary<string, string>? Files(string name) =>
            name is not null && Embedded.Value.TryGetValue(name, out var files) ? files : null;

        /// <summary>The baseline's folder as the reader names it (<c>baseline:england</c>), or null when <paramref name="path"/> is not one of its files or itself.</summary>
        internal static (string Name, string? File)? Split(string path)
        {
            if (!IsReference(path))
            {
                return null;
            }

            var rest = path.Substring(Scheme.Length).Replace('\\', '/');
            var slash = rest.IndexOf('/');
            return slash < 0 ? (rest, null) : (rest.Substring(0, slash), rest.Substring(slash + 1));
        }

        private static IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> ReadEmbedded()
        {
            // Resources are named DecisionRouting.Baselines.<name>/<file> by the project file (LogicalName), so the
            // baseline's name and each file's name survive as written.
            var assembly = typeof(RuleSetBaselines).GetTypeInfo().Assembly;
            var result = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
            foreach (var resource in assembly.GetManifestResourceNames().Where(r => r.StartsWith(ResourcePrefix, StringComparison.Ordinal)))
            {
                var relative = resource.Substring(ResourcePrefix.Length);
                var slash = relative.IndexOf('/');
                if (slash <= 0)
                {
                    continue;
                }

                using var stream = assembly.GetManifestResourceStream(resource)!;
                using var reader = new StreamReader(stream, new UTF8Encoding(false), detectEncodingFromByteOrderMarks: true);
                var name = relative.Substring(0, slash);
                if (!result.TryGetValue(name, out var files))
                {
                    files = new Dictionary<string, string>(StringComparer.Ordinal);
                    result.Add(name, files);
                }

                files[relative.Substring(slash + 1)] = reader.ReadToEnd();
            }

            return result.ToDictionary(p => p.Key, p => (IReadOnlyDictionary<string, string>)p.Value, StringComparer.Ordinal);
        }
    }
}
