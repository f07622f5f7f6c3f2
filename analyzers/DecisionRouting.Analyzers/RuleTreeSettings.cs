using System;
using DecisionRouting.RuleSets;
using Microsoft.CodeAnalysis.Diagnostics;

namespace DecisionRouting.Analyzers
{
    /// <summary>
    /// The analyzer's counterpart of the CLI's <c>--rules-root</c> and <c>--allow-absolute-extends</c>: the MSBuild
    /// properties <c>DecisionRoutingRulesRoot</c> and <c>DecisionRoutingAllowAbsoluteExtends</c>, which the package's
    /// props make visible to the compiler (<c>CompilerVisibleProperty</c>), so they arrive as the global options
    /// <c>build_property.DecisionRoutingRulesRoot</c> and <c>build_property.DecisionRoutingAllowAbsoluteExtends</c>.
    /// A <c>.globalconfig</c> may set those keys directly. Unset, the loader's defaults apply, as for the CLI.
    /// </summary>
    internal sealed class RuleTreeSettings
    {
        /// <summary>The global-option key for the root (an MSBuild property seen by the compiler).</summary>
        public const string RootKey = "build_property.DecisionRoutingRulesRoot";

        /// <summary>The global-option key for allowing absolute <c>extends</c>.</summary>
        public const string AllowAbsoluteKey = "build_property.DecisionRoutingAllowAbsoluteExtends";

        /// <summary>The project folder, made visible by the .NET SDK itself; a relative root is taken from it.</summary>
        private const string ProjectDirKey = "build_property.ProjectDir";

        private RuleTreeSettings(RuleSetReadOptions options, string key)
        {
            Options = options;
            Key = key;
        }

        /// <summary>The options the loader reads the rule files with.</summary>
        public RuleSetReadOptions Options { get; }

        /// <summary>What the options are, for the cache key: the same files read with another root can say otherwise.</summary>
        public string Key { get; }

        public static RuleTreeSettings From(AnalyzerOptions options)
        {
            var global = options.AnalyzerConfigOptionsProvider.GlobalOptions;
            string? root = null;
            if (global.TryGetValue(RootKey, out var written) && !string.IsNullOrWhiteSpace(written))
            {
                // The compiler may run in any folder (a build server): a relative root means relative to the project.
                root = written.Trim();
                if (!System.IO.Path.IsPathRooted(root) && global.TryGetValue(ProjectDirKey, out var project) && !string.IsNullOrWhiteSpace(project))
                {
                    root = System.IO.Path.Combine(project.Trim(), root);
                }
            }

            var allowAbsolute = global.TryGetValue(AllowAbsoluteKey, out var allow) && string.Equals(allow.Trim(), "true", StringComparison.OrdinalIgnoreCase);
            return new RuleTreeSettings(
                new RuleSetReadOptions { ExtendsRoot = root, AllowAbsoluteExtends = allowAbsolute },
                (root ?? string.Empty) + "\0" + (allowAbsolute ? "absolute" : "relative"));
        }
    }
}
