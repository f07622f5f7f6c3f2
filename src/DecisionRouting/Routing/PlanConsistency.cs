using System;
using System.Collections.Generic;
using System.Linq;
using DecisionRouting.Calendar;
using DecisionRouting.Text;
using NodaTime;

namespace DecisionRouting.Routing
{
    /// <summary>
    /// Checks a finished plan against itself: its dates, its urgency routes and its warnings must tell one story.
    /// The router runs it on every plan, so a fault in the scheduling shows up as a loud contradiction instead of a
    /// confident wrong date; the tests run it over every sample and over generated proposals.
    /// </summary>
    /// <remarks>
    /// Dates the proposal gives itself may disagree with the rules' periods (too short a consultation, a late
    /// notice): that is the proposal's business, warned about as a schedule discrepancy, and not reported here again.
    /// But a date that breaks the order of the steps (a step dated before one it must follow, a step after the
    /// decision dated before it, a call-in window closing before the decision, a step ending before it starts) is a
    /// contradiction whatever its source: the plan built on it cannot be relied on.
    /// </remarks>
    internal static class PlanConsistency
    {
        private static readonly DayPattern Day = DateText.Day;

        /// <summary>Every contradiction in <paramref name="plan"/>, in a stable order; empty when the plan is consistent.</summary>
        public static IReadOnlyList<PlanContradiction> Check(RoutingPlan plan, GovernanceCalendar calendar)
        {
            if (NothingDated(plan))
            {
                return Array.Empty<PlanContradiction>();
            }

            var found = new List<PlanContradiction>();
            var byId = plan.Steps.ToDictionary(s => s.Id);
            var flagged = plan.Warnings.Where(w => w.Kind == PlanWarningKind.ScheduleDiscrepancy && w.Step is not null).Select(w => w.Step!).ToHashSet(StringComparer.Ordinal);
            bool Excused(params PlannedStep[] steps) => steps.Any(s => s.Timing?.FromSchedule == true && flagged.Contains(s.Id));
            void Add(string check, string message, string? step = null) => found.Add(new PlanContradiction(check, message, step));

            // 1. An urgency route is only worth taking if the decision can then be taken on the day.
            var cannot = plan.Warnings.Where(w => w.Kind == PlanWarningKind.DateCannotBeMet).ToList();
            if (plan.UrgencyRoutes.Count > 0 && cannot.Count > 0)
            {
                Add(
                    PlanContradiction.UrgencyAndCannotBeTaken,
                    $"the plan takes the urgency route{(plan.UrgencyRoutes.Count == 1 ? string.Empty : "s")} {string.Join(", ", plan.UrgencyRoutes.Select(r => $"'{r.Instead}'"))} and also says the decision cannot be taken on {Day.Format(plan.DecisionDate)} ({string.Join(", ", cannot.Select(w => $"'{w.Step}'"))})",
                    cannot[0].Step);
            }

            foreach (var route in plan.UrgencyRoutes)
            {
                if (!byId.ContainsKey(route.Instead))
                {
                    Add(PlanContradiction.UrgencyRouteMissing, $"the plan takes the urgency route '{route.Instead}' for '{route.Impracticable}' but does not require it", route.Instead);
                }

                if (byId.ContainsKey(route.Impracticable))
                {
                    Add(PlanContradiction.UrgencyRouteMissing, $"the plan replaces '{route.Impracticable}' by its urgency route '{route.Instead}' but still requires it", route.Impracticable);
                }
            }

            // 2. No step is dated before a step it must follow.
            foreach (var step in plan.Steps)
            {
                if (Start(step) is not { } start)
                {
                    continue;
                }

                foreach (var before in step.After)
                {
                    if (byId.TryGetValue(before, out var predecessor) && Finish(predecessor) is { } finish && finish > start)
                    {
                        Add(PlanContradiction.BeforePredecessor, $"'{step.Id}' is dated {Day.Format(start)}, before '{before}', which it must follow, is done on {Day.Format(finish)}{Source(step, predecessor)}", step.Id);
                    }
                }
            }

            var decision = plan.DecisionStep is { } id && byId.TryGetValue(id, out var d) ? d : null;
            var decisionStart = plan.DecisionDate.AtStartOfDayInZone(GovernanceCalendar.London);

            // 3. The decision step is taken on the decision date, and nothing after it is dated before it.
            if (decision?.Timing is { } decisionTiming && !Excused(decision)
                && (decisionTiming.LatestDate is { } latest && latest != plan.DecisionDate || decisionTiming.EarliestStart is { } earliest && earliest != plan.DecisionDate))
            {
                Add(PlanContradiction.DecisionStepOffDate, $"the decision step '{decision.Id}' is dated {Day.Format((decisionTiming.EarliestStart ?? decisionTiming.LatestDate)!.Value)}, not on the decision date {Day.Format(plan.DecisionDate)}", decision.Id);
            }

            if (decision is not null)
            {
                foreach (var step in Descendants(decision.Id, plan.Steps))
                {
                    if (Earliest(step) is { } first && first < plan.DecisionDate)
                    {
                        Add(PlanContradiction.AfterDecisionDatedBefore, $"'{step.Id}' follows the decision but is dated {Day.Format(first)}, before the decision on {Day.Format(plan.DecisionDate)}{Source(step)}", step.Id);
                    }
                }
            }

            // 4. When the decision takes effect.
            if (plan.EffectiveFrom is { } effective)
            {
                if (effective.ToInstant() < decisionStart.ToInstant())
                {
                    Add(PlanContradiction.EffectiveBeforeDecision, $"the decision takes effect {effective:uuuu'-'MM'-'dd HH':'mm}, before it is made on {Day.Format(plan.DecisionDate)}");
                }

                foreach (var callIn in plan.Steps.Where(s => s.Step.Kind == StepKind.CallIn && s.Timing?.Closes is not null))
                {
                    if (effective.ToInstant() < callIn.Timing!.Closes!.Value.ToInstant())
                    {
                        Add(PlanContradiction.EffectiveBeforeCallInCloses, $"the decision takes effect {effective:uuuu'-'MM'-'dd HH':'mm}, before the call-in window '{callIn.Id}' closes {callIn.Timing.Closes.Value:uuuu'-'MM'-'dd HH':'mm}", callIn.Id);
                    }
                }
            }

            foreach (var callIn in plan.Steps.Where(s => s.Step.Kind == StepKind.CallIn && s.Timing?.Closes is not null))
            {
                if (callIn.Timing!.Closes!.Value.ToInstant() <= decisionStart.ToInstant())
                {
                    Add(PlanContradiction.CallInClosesBeforeDecision, $"the call-in window '{callIn.Id}' closes {callIn.Timing.Closes.Value:uuuu'-'MM'-'dd HH':'mm}, before the decision is made on {Day.Format(plan.DecisionDate)}{Source(callIn)}", callIn.Id);
                }
            }

            // 5. Every dated step ends after it starts, whoever dated it, and lies within its period unless the
            // proposal dated it and the plan already warns about those dates.
            foreach (var step in plan.Steps)
            {
                if (step.Timing is { } timing)
                {
                    CheckOrder(step, timing, Add);
                    if (!Excused(step))
                    {
                        CheckPeriod(plan, step, timing, calendar, Add);
                    }
                }
            }

            // 6. A notice whose latest day has passed is either replaced by its urgency route or said to be impossible.
            if (plan.AsOf <= plan.DecisionDate)
            {
                foreach (var step in plan.Steps.Where(s => s.Step.Duration?.Anchor == PeriodAnchor.BeforeDecision && s.Timing is { FromSchedule: false, LatestDate: { } }))
                {
                    if (step.Timing!.LatestDate < plan.AsOf && !cannot.Any(w => w.Step == step.Id))
                    {
                        Add(PlanContradiction.LateNoticeUnremarked, $"'{step.Id}' is due by {Day.Format(step.Timing.LatestDate!.Value)}, before today ({Day.Format(plan.AsOf)}), yet the plan neither takes an urgency route nor says the date cannot be met", step.Id);
                    }
                }
            }

            return found;
        }

        /// <summary>
        /// Whether the plan has nothing any check below reads: no urgency route, no decision step, no date of effect and
        /// no dated step. Every check compares dates or urgency routes, so such a plan cannot contradict itself.
        /// </summary>
        private static bool NothingDated(RoutingPlan plan)
        {
            if (plan.UrgencyRoutes.Count != 0 || plan.DecisionStep is not null || plan.EffectiveFrom is not null)
            {
                return false;
            }

            var steps = plan.Steps;
            for (var i = 0; i < steps.Count; i++)
            {
                if (steps[i].Timing is not null)
                {
                    return false;
                }
            }

            return true;
        }

        private static void CheckOrder(PlannedStep step, StepTiming timing, Action<string, string, string?> add)
        {
            if (timing.EarliestStart is { } es && timing.EarliestEnd is { } ee && ee < es)
            {
                add(PlanContradiction.EndsBeforeStart, $"'{step.Id}' ends on {Day.Format(ee)}, before it starts on {Day.Format(es)}{Source(step)}", step.Id);
            }

            if (timing.LatestStart is { } ls && timing.LatestDate is { } ld && ld < ls)
            {
                add(PlanContradiction.EndsBeforeStart, $"'{step.Id}' must end by {Day.Format(ld)}, before its latest start {Day.Format(ls)}", step.Id);
            }
        }

        /// <summary>Names the proposal's schedule as the source of the dates where it is, so the reader knows what to correct.</summary>
        private static string Source(params PlannedStep[] steps) =>
            steps.Where(s => s.Timing?.FromSchedule == true).Select(s => $"'{s.Id}'").ToList() is { Count: > 0 } given
                ? $" (the proposal's schedule gives the dates for {string.Join(" and ", given)}; correct them)"
                : string.Empty;

        private static void CheckPeriod(RoutingPlan plan, PlannedStep step, StepTiming timing, GovernanceCalendar calendar, Action<string, string, string?> add)
        {
            if (step.Step.Duration is not { } period)
            {
                return;
            }

            // A period counted back from a proposal date: its latest day is that date less the period, or none at all.
            if (step.Step.PeriodEndsBeforeDate is { } attribute)
            {
                if (timing.LatestDate is { } counted
                    && (!plan.Proposal.Attributes.Has(attribute) || !Proposals.ProposalAttributes.TryDate(plan.Proposal.Attributes.Values[attribute], out var date)
                        || counted != calendar.LatestDayBefore(date, period with { Anchor = PeriodAnchor.BeforeDecision })))
                {
                    add(PlanContradiction.OutsidePeriod, $"'{step.Id}' is due by {Day.Format(counted)}, which is not {period} before the proposal's '{attribute}'", step.Id);
                }

                return;
            }

            switch (period.Anchor)
            {
                case PeriodAnchor.BeforeDecision when timing.LatestDate is { } latest:
                    var due = calendar.LatestDayBefore(plan.DecisionDate, period);
                    if (latest != due)
                    {
                        add(PlanContradiction.OutsidePeriod, $"'{step.Id}' is due by {Day.Format(latest)}, but {period} on {Day.Format(plan.DecisionDate)} means by {Day.Format(due)}", step.Id);
                    }

                    break;

                case PeriodAnchor.AfterDecision:
                    if (timing.EarliestStart is { } from && from != plan.DecisionDate)
                    {
                        add(PlanContradiction.OutsidePeriod, $"'{step.Id}' runs for {period} but starts on {Day.Format(from)}, not on the decision date {Day.Format(plan.DecisionDate)}", step.Id);
                    }

                    var last = calendar.LastDay(plan.DecisionDate, period);
                    if (timing.EarliestEnd is { } end && end != last)
                    {
                        add(PlanContradiction.OutsidePeriod, $"'{step.Id}' ends on {Day.Format(end)}, but {period} on {Day.Format(plan.DecisionDate)} end on {Day.Format(last)}", step.Id);
                    }

                    if (timing.Closes is { } closes && !closes.Equals(GovernanceCalendar.Closes(last, period.CutOff)))
                    {
                        add(PlanContradiction.OutsidePeriod, $"'{step.Id}' closes {closes:uuuu'-'MM'-'dd HH':'mm}, but {period} on {Day.Format(plan.DecisionDate)} close {GovernanceCalendar.Closes(last, period.CutOff):uuuu'-'MM'-'dd HH':'mm}", step.Id);
                    }

                    break;

                default:
                    if (timing.EarliestStart is { } start && timing.EarliestEnd is { } finish && finish != calendar.LastDay(start, period))
                    {
                        add(PlanContradiction.OutsidePeriod, $"'{step.Id}' runs {Day.Format(start)} to {Day.Format(finish)}, but {period} from {Day.Format(start)} end on {Day.Format(calendar.LastDay(start, period))}", step.Id);
                    }

                    if (timing.LatestStart is { } latestStart && timing.LatestDate is { } by)
                    {
                        if (calendar.LastDay(latestStart, period) > by)
                        {
                            add(PlanContradiction.OutsidePeriod, $"'{step.Id}' starts by {Day.Format(latestStart)}, but {period} from then end on {Day.Format(calendar.LastDay(latestStart, period))}, after {Day.Format(by)}", step.Id);
                        }
                        else if (calendar.LastDay(latestStart.PlusDays(1), period) <= by)
                        {
                            add(PlanContradiction.OutsidePeriod, $"'{step.Id}' is said to start by {Day.Format(latestStart)}, but starting on {Day.Format(latestStart.PlusDays(1))} still ends {period} by {Day.Format(by)}", step.Id);
                        }
                    }

                    break;
            }
        }

        /// <summary>The day a step is dated to start: its earliest start where it has one, else the latest day it can start or be done.</summary>
        private static LocalDate? Start(PlannedStep step) =>
            step.Timing is { } t ? t.EarliestStart ?? t.LatestStart ?? t.LatestDate : null;

        /// <summary>The day a step is finished: the last day of its window or period, else its one day.</summary>
        private static LocalDate? Finish(PlannedStep step) =>
            step.Timing is not { } t ? null
            : t.Closes is { } closes ? GovernanceCalendar.LastDayOf(closes)
            : t.EarliestEnd ?? t.LatestDate ?? t.EarliestStart;

        /// <summary>The earliest date the plan gives the step, whatever its field.</summary>
        private static LocalDate? Earliest(PlannedStep step) =>
            step.Timing is not { } t ? null
            : new[] { t.EarliestStart, t.LatestStart, t.LatestDate, t.EarliestEnd }.Where(x => x is not null).Min();

        private static IEnumerable<PlannedStep> Descendants(string id, IReadOnlyList<PlannedStep> steps)
        {
            var found = new HashSet<string>(StepGraph.Of(steps, s => s.Id, s => s.After).Descendants(id), StringComparer.Ordinal);
            return steps.Where(s => found.Contains(s.Id));
        }
    }
}
