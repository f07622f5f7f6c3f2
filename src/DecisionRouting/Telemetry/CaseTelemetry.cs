using System.Collections.Generic;
using System.Diagnostics;
using DecisionRouting.Lifecycle;
using Microsoft.Extensions.Logging;

namespace DecisionRouting.Telemetry
{
    /// <summary>
    /// What <see cref="ProposalLifecycle"/> reports about cases: one call per outcome, each recording the transition
    /// counter, the audit-append counter, the log line and the activity's tags together, so they cannot disagree.
    /// </summary>
    internal static class CaseTelemetry
    {
        internal const string CreateTrigger = "Create";

        internal static Activity? StartCreate(string? caseId, string proposalId)
        {
            var activity = Instruments.Source.StartActivity(DecisionRoutingTelemetry.CreateCaseActivity, ActivityKind.Internal);
            activity?.SetTag(DecisionRoutingTelemetry.CaseIdTag, caseId);
            activity?.SetTag(DecisionRoutingTelemetry.ProposalIdTag, proposalId);
            activity?.SetTag(DecisionRoutingTelemetry.TriggerTag, CreateTrigger);
            return activity;
        }

        internal static Activity? StartFire(string caseId, TriggerRequest request)
        {
            var activity = Instruments.Source.StartActivity(DecisionRoutingTelemetry.FireActivity, ActivityKind.Internal);
            activity?.SetTag(DecisionRoutingTelemetry.CaseIdTag, caseId);
            activity?.SetTag(DecisionRoutingTelemetry.TriggerTag, request?.Trigger.ToString());
            activity?.SetTag(DecisionRoutingTelemetry.StepTag, request?.Step);
            return activity;
        }

        internal static void Created(ILogger logger, Activity? activity, ProposalCase created, AuditEntry saved, Actor actor)
        {
            Count(CreateTrigger, Instruments.Outcomes.Accepted, activity);
            Appended(logger, saved);
            LibraryLog.CaseCreated(logger, created.Id, created.Plan.ProposalId, created.Plan.RuleSetName, actor.Name);
            activity?.SetTag(DecisionRoutingTelemetry.CaseIdTag, created.Id);
        }

        internal static void Accepted(ILogger logger, Activity? activity, AuditEntry saved)
        {
            Count(saved.Trigger, Instruments.Outcomes.Accepted, activity);
            Appended(logger, saved);
            LibraryLog.TransitionAccepted(logger, saved.CaseId, saved.Trigger, saved.Step, saved.Actor, saved.Roles, saved.From.ToString(), saved.To.ToString());
        }

        internal static void Refused(ILogger logger, Activity? activity, AuditEntry saved)
        {
            Count(saved.Trigger, Instruments.Outcomes.Refused, activity);
            Appended(logger, saved);
            LibraryLog.TransitionRefused(logger, saved.CaseId, saved.Trigger, saved.Step, saved.Actor, saved.Roles, saved.Detail ?? string.Empty);
        }

        internal static void Conflict(ILogger logger, Activity? activity, AuditEntry attempted, long expectedVersion)
        {
            Count(attempted.Trigger, Instruments.Outcomes.Conflict, activity);
            LibraryLog.TransitionConflict(logger, attempted.CaseId, attempted.Trigger, attempted.Step, attempted.Actor, expectedVersion);
            activity?.SetStatus(ActivityStatusCode.Error, "The case changed meanwhile; nothing was saved");
        }

        private static void Count(string trigger, string outcome, Activity? activity)
        {
            Instruments.Transitions.Add(
                1,
                new KeyValuePair<string, object?>(DecisionRoutingTelemetry.TriggerTag, trigger),
                new KeyValuePair<string, object?>(DecisionRoutingTelemetry.OutcomeTag, outcome));
            activity?.SetTag(DecisionRoutingTelemetry.OutcomeTag, outcome);
        }

        /// <summary>An entry the store has committed (the lifecycle is the only writer of entries, whatever the store).</summary>
        private static void Appended(ILogger logger, AuditEntry saved)
        {
            Instruments.AuditAppends.Add(
                1,
                new KeyValuePair<string, object?>(DecisionRoutingTelemetry.TriggerTag, saved.Trigger),
                new KeyValuePair<string, object?>(DecisionRoutingTelemetry.OutcomeTag, saved.Accepted ? Instruments.Outcomes.Accepted : Instruments.Outcomes.Refused));
            LibraryLog.AuditAppended(logger, saved.Sequence, saved.CaseId, saved.Trigger, saved.Accepted);
        }
    }
}
