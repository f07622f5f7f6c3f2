using System;
using System.Collections.Generic;
using System.Linq;
using DecisionRouting.Diagnostics;

namespace DecisionRouting.RuleSets
{
    /// <summary>Thrown by <see cref="RuleSet.Load(string)"/> when a rule set has errors; carries every diagnostic.</summary>
    public sealed class InvalidRuleSetException : Exception
    {
        /// <summary>Creates the exception from the load's diagnostics.</summary>
        internal InvalidRuleSetException(string directory, IReadOnlyList<RuleDiagnostic> diagnostics)
            : base($"Rule set '{directory}' has {diagnostics.Count(d => d.IsError)} error(s):{Environment.NewLine}{string.Join(Environment.NewLine, diagnostics.Where(d => d.IsError))}")
        {
            Diagnostics = diagnostics;
        }

        /// <summary>Every diagnostic of the load, errors and warnings.</summary>
        public IReadOnlyList<RuleDiagnostic> Diagnostics { get; }
    }
}
