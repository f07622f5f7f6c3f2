using System;

namespace DecisionRouting.Analysis
{
    /// <summary>What <see cref="RuleSetAnalysis.Analyse(RuleSets.RuleSetDefinition, RuleSetAnalysisOptions?)"/> checks, and how long it may take.</summary>
    public sealed class RuleSetAnalysisOptions
    {
        /// <summary>The default options: no properties file, 10 seconds per solver question.</summary>
        public static RuleSetAnalysisOptions Default { get; } = new();

        /// <summary>
        /// A properties file (docs/analysis.md, <c>schemas/properties.schema.json</c>) whose properties are checked
        /// against the rule set, or null for none. <value>Default: null.</value>
        /// </summary>
        public string? PropertiesFile { get; init; }

        /// <summary>
        /// The longest the solver may spend on one question (is this rule satisfiable, does that one imply this one…).
        /// A question it cannot settle in time is reported as not analysed (DR0101), never as a finding.
        /// <value>Default: 10 seconds. Must be positive.</value>
        /// </summary>
        public TimeSpan TimePerQuestion { get; init; } = TimeSpan.FromSeconds(10);
    }
}
