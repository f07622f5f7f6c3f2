using System;
using System.Collections.Generic;
using System.Diagnostics;
using DecisionRouting.Proposals;
using DecisionRouting.Routing;
using DecisionRouting.RuleSets;
using Microsoft.Extensions.Logging;

namespace DecisionRouting.Telemetry
{
    /// <summary>
    /// One route, observed: the activity, the timer, the metrics and the log lines, kept out of <see cref="Router"/> so
    /// that routing itself stays a few lines away from its telemetry.
    /// </summary>
    internal readonly struct RouteObservation
    {
        private readonly Activity? _activity;
        private readonly long _started;
        private readonly RuleSet _ruleSet;
        private readonly Proposal _proposal;
        private readonly ILogger _logger;

        private RouteObservation(RuleSet ruleSet, Proposal proposal, ILogger logger)
        {
            _ruleSet = ruleSet;
            _proposal = proposal;
            _logger = logger;
            _started = Stopwatch.GetTimestamp();
            _activity = Instruments.Source.StartActivity(DecisionRoutingTelemetry.RouteActivity, ActivityKind.Internal);
            if (_activity is { } activity)
            {
                activity.SetTag(DecisionRoutingTelemetry.RuleSetTag, ruleSet.Name);
                activity.SetTag(DecisionRoutingTelemetry.RuleSetHashTag, ruleSet.Hash);
                activity.SetTag(DecisionRoutingTelemetry.ProposalIdTag, proposal?.Id);
            }
        }

        internal static RouteObservation Start(RuleSet ruleSet, Proposal proposal, ILogger logger) => new(ruleSet, proposal, logger);

        /// <summary>Records a plan made (complete or not) and hands it back.</summary>
        internal RoutingPlan Routed(RoutingPlan plan)
        {
            var outcome = plan.IsComplete ? Instruments.Outcomes.Complete : Instruments.Outcomes.Incomplete;
            var elapsed = Stopwatch.GetElapsedTime(_started);
            var ruleSet = new KeyValuePair<string, object?>(DecisionRoutingTelemetry.RuleSetTag, _ruleSet.Name);
            Instruments.RouteDuration.Record(elapsed.TotalSeconds, ruleSet, new KeyValuePair<string, object?>(DecisionRoutingTelemetry.OutcomeTag, outcome));
            Instruments.RulesMatched.Record(plan.MatchedRules.Count, ruleSet);
            if (!plan.IsComplete)
            {
                Instruments.IncompletePlans.Add(1, ruleSet);
                LibraryLog.PlanIncomplete(_logger, plan.Proposal.Id, _ruleSet.Name, plan.Incomplete.Count, plan.Contradictions.Count, plan.DecisionStepMissing);
            }

            LibraryLog.Routed(_logger, plan.Proposal.Id, _ruleSet.Name, plan.Steps.Count, plan.MatchedRules.Count, elapsed.TotalMilliseconds);
            if (_activity is { } activity)
            {
                activity.SetTag(DecisionRoutingTelemetry.OutcomeTag, outcome);
                activity.SetTag(DecisionRoutingTelemetry.RulesMatched, plan.MatchedRules.Count);
                activity.Dispose();
            }

            return plan;
        }

        /// <summary>Records a route that ended in an exception; the caller rethrows it.</summary>
        internal void Failed(Exception exception)
        {
            // A proposal the rule set refuses is the caller's input, not the library failing.
            var outcome = exception is InvalidProposalException ? Instruments.Outcomes.Refused : Instruments.Outcomes.Failed;
            var elapsed = Stopwatch.GetElapsedTime(_started);
            Instruments.RouteDuration.Record(
                elapsed.TotalSeconds,
                new KeyValuePair<string, object?>(DecisionRoutingTelemetry.RuleSetTag, _ruleSet.Name),
                new KeyValuePair<string, object?>(DecisionRoutingTelemetry.OutcomeTag, outcome),
                new KeyValuePair<string, object?>(DecisionRoutingTelemetry.ErrorTypeTag, exception.GetType().FullName));
            if (outcome == Instruments.Outcomes.Refused)
            {
                LibraryLog.RouteRefused(_logger, _proposal?.Id, _ruleSet.Name, exception.Message);
            }
            else
            {
                LibraryLog.RouteFailed(_logger, exception, _proposal?.Id, _ruleSet.Name);
            }

            if (_activity is { } activity)
            {
                activity.SetTag(DecisionRoutingTelemetry.OutcomeTag, outcome);
                activity.SetTag(DecisionRoutingTelemetry.ErrorTypeTag, exception.GetType().FullName);
                activity.SetStatus(ActivityStatusCode.Error, exception.Message);
                activity.Dispose();
            }
        }
    }
}
