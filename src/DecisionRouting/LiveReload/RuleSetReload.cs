using System;
using System.Collections.Generic;
using DecisionRouting.Diagnostics;
using DecisionRouting.RuleSets;

namespace DecisionRouting.LiveReload
{
    /// <summary>The outcome of one reload of a watched rule set.</summary>
    /// <param name="Accepted">Whether the edited files validated and replaced the rule set in use.</param>
    /// <param name="InUse">The rule set in use afterwards: the new one if accepted, otherwise the last good one.</param>
    /// <param name="Diagnostics">Everything the reload found: the errors that rejected it, or the warnings of the new set.</param>
    public sealed record RuleSetReload(bool Accepted, RuleSet InUse, IReadOnlyList<RuleDiagnostic> Diagnostics);

    /// <summary>Raised after each reload, accepted or not.</summary>
    public sealed class RuleSetReloadedEventArgs : EventArgs
    {
        /// <summary>Creates the arguments.</summary>
        public RuleSetReloadedEventArgs(RuleSetReload reload) => Reload = reload;

        /// <summary>What the reload did.</summary>
        public RuleSetReload Reload { get; }
    }
}
