using System.Collections.Generic;
using DecisionRouting.Diagnostics;

namespace DecisionRouting.Analysis
{
    /// <summary>What <see cref="RuleSetAnalysis"/> found in a rule set.</summary>
    public sealed class RuleSetAnalysisReport
    {
        internal RuleSetAnalysisReport(string ruleSet, IReadOnlyList<RuleDiagnostic> findings, IReadOnlyList<AnalysisCounterexample> counterexamples, int rules, int rulesInSubset, int properties)
        {
            RuleSet = ruleSet;
            Findings = findings;
            Counterexamples = counterexamples;
            Rules = rules;
            RulesInSubset = rulesInSubset;
            Properties = properties;
        }

        /// <summary>The analysed rule set's name.</summary>
        public string RuleSet { get; }

        /// <summary>
        /// The findings, as warnings DR0095–DR0101 at their positions in the rule files (or the properties file), in
        /// the order: rules outside the subset, dead rules, shadowed rules, gaps, ordering conflicts, unreachable
        /// steps, failed properties.
        /// </summary>
        public IReadOnlyList<RuleDiagnostic> Findings { get; }

        /// <summary>For each finding a proposal shows (an ordering conflict, a failed property), that proposal, ready to route.</summary>
        public IReadOnlyList<AnalysisCounterexample> Counterexamples { get; }

        /// <summary>How many enabled top-level rules the entry workflows hold.</summary>
        public int Rules { get; }

        /// <summary>How many of them the analysis decides (the rest are reported as DR0101).</summary>
        public int RulesInSubset { get; }

        /// <summary>How many properties were checked.</summary>
        public int Properties { get; }
    }

    /// <summary>A proposal that shows a finding: routing it with the analysed rule set gives the plan the finding describes.</summary>
    public sealed class AnalysisCounterexample
    {
        internal AnalysisCounterexample(RuleDiagnostic finding, string name, string proposalJson)
        {
            Finding = finding;
            Name = name;
            ProposalJson = proposalJson;
        }

        /// <summary>The finding it shows.</summary>
        public RuleDiagnostic Finding { get; }

        /// <summary>A file name for it, without folder: <c>DR0099-1.json</c>.</summary>
        public string Name { get; }

        /// <summary>The proposal as a proposal file (schemas/proposal.schema.json), ready for <c>decision-routing route</c>.</summary>
        public string ProposalJson { get; }
    }
}
