using System.Collections.Generic;
using DecisionRouting.Diagnostics;
using DecisionRouting.RuleSets;

namespace DecisionRouting.LiveReload
{
    /// <summary>
    /// Where an app gets the rule set to route with when it may change while the app runs: <see cref="WatchedRuleSet"/>
    /// follows a folder; an app keeping rules elsewhere (a database table) implements this over
    /// <see cref="RuleSet.TryLoad(string, IRuleSetFileSystem)"/>. Read <see cref="Current"/> per request, never keep it.
    /// </summary>
    public interface IRuleSetProvider
    {
        /// <summary>The rule set to route with now: always one that loaded and validated.</summary>
        RuleSet Current { get; }

        /// <summary>
        /// The errors of the latest version that failed to load and is therefore not in use; empty when the rules in
        /// use are the latest. Non-empty means the rules being edited are not the rules routing, which health checks
        /// report as unhealthy.
        /// </summary>
        IReadOnlyList<RuleDiagnostic> RejectedDiagnostics { get; }
    }
}
