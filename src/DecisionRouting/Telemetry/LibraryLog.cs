using System;
using Microsoft.Extensions.Logging;

namespace DecisionRouting.Telemetry
{
    /// <summary>
    /// Every log line the library writes, source-generated (no formatting cost when the level is off). Event ids by
    /// area: 1xxx routing, 2xxx cases, 3xxx rule-set reload; the stores use 4xxx and hosting 5xxx in their own assemblies.
    /// </summary>
    internal static partial class LibraryLog
    {
        [LoggerMessage(1001, LogLevel.Debug, "Routed proposal {ProposalId} with rule set '{RuleSet}': {Steps} step(s) from {Matched} matched rule(s) in {ElapsedMs:0.###} ms")]
        internal static partial void Routed(ILogger logger, string proposalId, string ruleSet, int steps, int matched, double elapsedMs);

        [LoggerMessage(1002, LogLevel.Warning, "Plan for proposal {ProposalId} with rule set '{RuleSet}' is incomplete: {Undecided} rule(s) undecided or not evaluated, {Contradictions} contradiction(s), decision step missing: {DecisionStepMissing}")]
        internal static partial void PlanIncomplete(ILogger logger, string proposalId, string ruleSet, int undecided, int contradictions, bool decisionStepMissing);

        [LoggerMessage(1003, LogLevel.Information, "Proposal {ProposalId} refused by rule set '{RuleSet}': {Problem}")]
        internal static partial void RouteRefused(ILogger logger, string? proposalId, string ruleSet, string problem);

        [LoggerMessage(1004, LogLevel.Error, "Routing proposal {ProposalId} with rule set '{RuleSet}' failed; no plan was made")]
        internal static partial void RouteFailed(ILogger logger, Exception exception, string? proposalId, string ruleSet);

        [LoggerMessage(2001, LogLevel.Information, "Case {CaseId} created for proposal {ProposalId} from rule set '{RuleSet}' by {Actor}")]
        internal static partial void CaseCreated(ILogger logger, string caseId, string proposalId, string ruleSet, string actor);

        [LoggerMessage(2002, LogLevel.Information, "Case {CaseId}: {Trigger} {Step} accepted from {Actor} ({Roles}); {From} -> {To}")]
        internal static partial void TransitionAccepted(ILogger logger, string caseId, string trigger, string? step, string actor, string roles, string from, string to);

        [LoggerMessage(2003, LogLevel.Information, "Case {CaseId}: {Trigger} {Step} refused for {Actor} ({Roles}): {Reasons}")]
        internal static partial void TransitionRefused(ILogger logger, string caseId, string trigger, string? step, string actor, string roles, string reasons);

        [LoggerMessage(2004, LogLevel.Warning, "Case {CaseId}: {Trigger} {Step} from {Actor} lost a race (version {ExpectedVersion} was changed meanwhile); nothing was saved")]
        internal static partial void TransitionConflict(ILogger logger, string caseId, string trigger, string? step, string actor, long expectedVersion);

        [LoggerMessage(2005, LogLevel.Debug, "Audit entry {Sequence} appended to case {CaseId} ({Trigger}, accepted: {Accepted})")]
        internal static partial void AuditAppended(ILogger logger, long sequence, string caseId, string trigger, bool accepted);

        [LoggerMessage(3001, LogLevel.Information, "Rule set '{RuleSet}' reloaded from {Directory} (hash {Hash})")]
        internal static partial void ReloadAccepted(ILogger logger, string ruleSet, string directory, string hash);

        [LoggerMessage(3002, LogLevel.Warning, "Edit to rule set {Directory} rejected with {Count} error(s); still routing with hash {Hash}")]
        internal static partial void ReloadRejected(ILogger logger, string directory, int count, string hash);

        [LoggerMessage(3003, LogLevel.Warning, "{Diagnostic}")]
        internal static partial void ReloadDiagnostic(ILogger logger, string diagnostic);

        [LoggerMessage(3004, LogLevel.Error, "Reloading rule set {Directory} failed; still routing with hash {Hash}")]
        internal static partial void ReloadFaulted(ILogger logger, Exception exception, string directory, string hash);
    }
}
