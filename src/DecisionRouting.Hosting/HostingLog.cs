using System;
using Microsoft.Extensions.Logging;

namespace DecisionRouting.Hosting
{
    /// <summary>The hosting layer's log lines (event ids 5xxx; the library uses 1xxx–3xxx, the stores 4xxx).</summary>
    internal static partial class HostingLog
    {
        [LoggerMessage(5001, LogLevel.Information, "Rule set '{RuleSet}' loaded from {Source} (hash {Hash}; watching for edits: {Watching})")]
        internal static partial void RulesLoaded(ILogger logger, string ruleSet, string source, string hash, bool watching);

        [LoggerMessage(5002, LogLevel.Warning, "{Diagnostic}")]
        internal static partial void RuleWarning(ILogger logger, string diagnostic);

        [LoggerMessage(5003, LogLevel.Critical, "The rules at {Source} did not load; the host will not start")]
        internal static partial void RulesFailed(ILogger logger, Exception exception, string source);

        [LoggerMessage(5004, LogLevel.Information, "Cases are kept in {Store}")]
        internal static partial void StoreChosen(ILogger logger, string store);
    }
}
