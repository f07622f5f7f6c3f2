using System;
using System.Collections.Generic;
using System.Linq;
using DecisionRouting.Calendar;
using DecisionRouting.Proposals;
using DecisionRouting.RuleSets;
using DecisionRouting.Text;
using NodaTime;

namespace DecisionRouting.Routing
{
    /// <summary>The dates part of a plan: the decision step, when the decision takes effect, and any urgency routes taken.</summary>
    internal sealed record ScheduledPlan(IReadOnlyList<PlannedStep> Steps, string? DecisionStep, ZonedDateTime? EffectiveFrom, IReadOnlyList<UrgencyRoute> UrgencyRoutes);

    /// <summary>
    /// Puts dates on an ordered plan. Steps before the decision are timed backwards from the intended decision date
    /// (latest days); steps after it forwards (earliest days, call-in closing). Dates the proposal already gives win,
    /// with a warning wherever they fall short of a period.
    /// </summary>
    internal static class PlanSchedule
    {
        private static readonly DayPattern Day = DateText.Day;

        public static ScheduledPlan Apply(IReadOnlyList<PlannedStep> planned, Proposal proposal, RuleSet ruleSet, GovernanceCalendar calendar, LocalDate today, List<PlanWarning> warnings)
        {
            var decisionDate = proposal.IntendedDecisionDate;
            if (proposal.Schedule.Count == 0 && NothingToDate(planned, proposal.DecisionMaker))
            {
                return new ScheduledPlan(planned, null, null, Array.Empty<UrgencyRoute>());
            }

            var steps = planned.ToList();
            var urgency = new List<UrgencyRoute>();

            // Urgency only means something while the decision is still ahead; a past decision is a record.
            if (today <= decisionDate)
            {
                ApplyUrgencyRoutes(steps, proposal, ruleSet, calendar, today, urgency, warnings);
            }

            // The decision is the decision-maker's first approval or recommendation; a step that follows a call-in
            // window follows some decision already, so it is a later decision, never this one.
            var byId = steps.ToDictionary(s => s.Id);
            var graph = StepGraph.Of(steps, s => s.Id, s => s.After);
            var decision = steps.FirstOrDefault(s => s.Step.Kind is StepKind.Approval or StepKind.Recommendation && s.Body is { } b && TakesDecision(b.Kind, proposal.DecisionMaker)
                && !graph.Ancestors(s.Id).Any(a => byId.TryGetValue(a, out var ancestor) && ancestor.Step.Kind == StepKind.CallIn));
            var after = decision is null ? new HashSet<string>() : new HashSet<string>(graph.Descendants(decision.Id));

            // Before the decision: whatever it waits for, and whatever a notice dated from the decision waits for.
            var before = new HashSet<string>();
            foreach (var anchor in steps.Where(s => s == decision || s.Step.Duration?.Anchor == PeriodAnchor.BeforeDecision && !after.Contains(s.Id)))
            {
                before.UnionWith(graph.Ancestors(anchor.Id).Where(id => !after.Contains(id) && id != decision?.Id));
            }

            var timings = new Dictionary<string, StepTiming>();
            // A period counted back from a date the proposal gives (the first dismissal, the transfer) is dated from
            // that date alone, never from the decision, whichever side of the decision it falls.
            var forward = steps.Where(s => s.Step.PeriodEndsBeforeDate is null && (after.Contains(s.Id) || s.Step.Duration?.Anchor == PeriodAnchor.AfterDecision)).ToList();

            // Backwards: the reverse of stage order visits every successor before its predecessors. A date the
            // proposal gives is applied as soon as its step is dated, so that the steps before it must be done by
            // the day it actually happens, not by the day the rules would allow at the latest.
            var givenWarnings = new Dictionary<string, List<PlanWarning>>();
            for (var i = steps.Count - 1; i >= 0; i--)
            {
                var step = steps[i];
                if (step.Step.PeriodEndsBeforeDate is { } attribute)
                {
                    timings[step.Id] = CountedBack(step, attribute, proposal, calendar, warnings);
                }
                else if (Backward(step, decision, before, steps, timings, decisionDate, calendar) is { } timing)
                {
                    timings[step.Id] = timing;
                }

                if (!forward.Contains(step))
                {
                    ApplyGiven(step, proposal, timings, calendar, givenWarnings[step.Id] = new List<PlanWarning>());
                }
            }

            warnings.AddRange(steps.Where(s => givenWarnings.ContainsKey(s.Id)).SelectMany(s => givenWarnings[s.Id]));

            // Forwards, in stage order, from the decision; a date the proposal gives moves everything after it.
            foreach (var step in forward)
            {
                timings[step.Id] = Forward(step, decision, timings, decisionDate, calendar, ruleSet.Name, warnings);
                ApplyGiven(step, proposal, timings, calendar, warnings);
            }

            foreach (var step in steps.Where(s => !timings.ContainsKey(s.Id) && s.Step.Duration is not null))
            {
                timings[step.Id] = new StepTiming { Basis = $"Runs for {step.Step.Duration}; its start depends on steps the plan does not date" };
            }

            foreach (var id in proposal.Schedule.Keys.Where(id => !byId.ContainsKey(id)).OrderBy(id => id, StringComparer.Ordinal))
            {
                warnings.Add(new PlanWarning(PlanWarningKind.ScheduleDiscrepancy, $"The proposal gives dates for '{id}', which this plan does not require", Step: id));
            }

            var dated = steps.Select(s => timings.TryGetValue(s.Id, out var t) ? s with { Timing = t } : s).ToList();
            return new ScheduledPlan(dated, decision?.Id, EffectiveFrom(dated, decision, decisionDate), urgency);
        }

        /// <summary>
        /// Whether nothing in the plan can be dated: no step has a period (so none is a notice, a window after the
        /// decision, or counted back from a proposal date) and none can be the decision, so nothing is dated from it.
        /// With no dates in the proposal's schedule either, every rule below leaves every step undated and raises no
        /// warning; the plan's steps are then dated as they are, without the walk.
        /// </summary>
        private static bool NothingToDate(IReadOnlyList<PlannedStep> steps, DecisionMaker maker)
        {
            for (var i = 0; i < steps.Count; i++)
            {
                var step = steps[i];
                if (step.Step.Duration is not null || step.Step.PeriodEndsBeforeDate is not null
                    || step.Step.Kind is StepKind.Approval or StepKind.Recommendation && step.Body is { } body && TakesDecision(body.Kind, maker))
                {
                    return false;
                }
            }

            return true;
        }

        /// <summary>Which kind of body takes a decision for each decision-maker.</summary>
        private static bool TakesDecision(BodyKind body, DecisionMaker maker) => maker switch
        {
            DecisionMaker.Leader or DecisionMaker.Cabinet or DecisionMaker.CabinetMember => body == BodyKind.Executive,
            DecisionMaker.Officer => body == BodyKind.Officers,
            DecisionMaker.FullCouncil => body == BodyKind.Council,
            DecisionMaker.Committee => body == BodyKind.Committee,
            DecisionMaker.HealthAndWellbeingBoard => body == BodyKind.HealthAndWellbeingBoard,
            _ => body == BodyKind.NhsBoard,
        };

        private static void ApplyUrgencyRoutes(List<PlannedStep> steps, Proposal proposal, RuleSet ruleSet, GovernanceCalendar calendar, LocalDate today, List<UrgencyRoute> routes, List<PlanWarning> warnings)
        {
            var decisionDate = proposal.IntendedDecisionDate;
            bool TooLate(Step step) => step.Duration is { Anchor: PeriodAnchor.BeforeDecision } d && calendar.LatestDayBefore(decisionDate, d) < today;

            // First follow each late notice's ifImpracticable chain to its end, for every notice, before changing
            // anything: if any one of them has no route left the decision cannot be taken on the day, and an urgency
            // route taken for another would be a promise the plan cannot keep.
            var late = new List<(PlannedStep Original, Step Instead, string Reason)>();
            foreach (var original in steps)
            {
                if (original.Step.Duration is not { Anchor: PeriodAnchor.BeforeDecision } period
                    || proposal.Schedule.TryGetValue(original.Id, out var given) && given.Start is not null
                    || !TooLate(original.Step))
                {
                    continue;
                }

                var current = original.Step;
                while (TooLate(current) && current.IfImpracticable is { } next && ruleSet.Steps.TryGetValue(next, out var alternative))
                {
                    current = alternative;
                }

                var latest = calendar.LatestDayBefore(decisionDate, period);
                late.Add((original, current, $"'{original.Step.Name}' needed {period}, so by {Day.Format(latest)}; today is {Day.Format(today)}"));
            }

            var stuck = late.Where(l => TooLate(l.Instead)).ToList();
            if (stuck.Count > 0)
            {
                foreach (var (original, instead, reason) in late)
                {
                    var why = !TooLate(instead) ? $"its urgency route '{instead.Name}' is not taken, since '{stuck[0].Original.Step.Name}' cannot be met either"
                        : instead == original.Step ? "no urgency route is left"
                        : $"its urgency route '{instead.Name}' is too late as well";
                    warnings.Add(new PlanWarning(
                        PlanWarningKind.DateCannotBeMet,
                        $"{reason}, and {why}; the decision cannot be taken on {Day.Format(decisionDate)}: defer it",
                        Step: original.Id));
                }

                return;
            }

            foreach (var (original, current, reason) in late)
            {
                var requires = current.Description is null ? current.Name : $"{current.Name}: {current.Description}";
                routes.Add(new UrgencyRoute(original.Id, current.Id, reason, requires));
                warnings.Add(new PlanWarning(PlanWarningKind.UrgencyRouteApplied, $"{reason}. The plan uses the urgency route instead: {requires}", Step: current.Id));

                var body = current.Body is null ? null : ruleSet.Bodies[current.Body];
                var role = current.Role is null ? null : ruleSet.Roles[current.Role];
                var i = steps.FindIndex(s => s.Id == original.Id);
                if (steps.Exists(s => s.Id == current.Id))
                {
                    steps.RemoveAt(i);
                }
                else
                {
                    steps[i] = steps[i] with { Step = current, Body = body, Role = role };
                }

                for (var j = 0; j < steps.Count; j++)
                {
                    if (steps[j].After.Contains(original.Id))
                    {
                        steps[j] = steps[j] with { After = steps[j].After.Select(a => a == original.Id ? current.Id : a).Distinct().ToList() };
                    }
                }
            }
        }

        private static StepTiming? Backward(PlannedStep step, PlannedStep? decision, HashSet<string> before, List<PlannedStep> steps, Dictionary<string, StepTiming> timings, LocalDate decisionDate, GovernanceCalendar calendar)
        {
            if (step.Step.Duration is { Anchor: PeriodAnchor.BeforeDecision } notice)
            {
                return new StepTiming
                {
                    LatestDate = calendar.LatestDayBefore(decisionDate, notice),
                    Basis = $"{notice} on {Day.Format(decisionDate)}",
                };
            }

            if (step == decision)
            {
                return new StepTiming { EarliestStart = decisionDate, LatestDate = decisionDate, Basis = "The intended decision date" };
            }

            if (!before.Contains(step.Id))
            {
                return null;
            }

            // Done by the time its earliest-due successor must start.
            var deadline = steps
                .Where(s => s.After.Contains(step.Id) && timings.ContainsKey(s.Id) && (s == decision || before.Contains(s.Id) || s.Step.Duration?.Anchor == PeriodAnchor.BeforeDecision))
                .Select(s => s == decision ? decisionDate : DueToStart(timings[s.Id]))
                .Where(d => d is not null)
                .Select(d => d!.Value)
                .DefaultIfEmpty(decisionDate)
                .Min();
            if (step.Step.Duration is { } period)
            {
                var start = calendar.LatestStart(deadline, period);
                return new StepTiming { LatestDate = deadline, LatestStart = start, Basis = $"Runs for {period} and must end by {Day.Format(deadline)}" };
            }

            return new StepTiming { LatestDate = deadline, Basis = $"Must be done by {Day.Format(deadline)}, when the next step is due" };
        }

        /// <summary>
        /// A period that must lie wholly before a date the proposal gives in a declared date attribute (HR1 at least 45
        /// days before the first dismissal takes effect; employee liability information at least 28 days before the
        /// transfer): the latest day to do the step is that date less the period, counted as a notice is counted before
        /// a decision. Without the date the step stays undated and the plan says so, never a date built on the decision.
        /// </summary>
        internal static StepTiming CountedBack(PlannedStep step, string attribute, Proposal proposal, GovernanceCalendar calendar, List<PlanWarning> warnings)
        {
            var period = step.Step.Duration!;
            var what = step.Step.PeriodEndsBefore is { } before ? $": {before}" : string.Empty;
            if (!proposal.Attributes.Has(attribute) || !ProposalAttributes.TryDate(proposal.Attributes.Values[attribute], out var date))
            {
                warnings.Add(new PlanWarning(
                    PlanWarningKind.PeriodNotSet,
                    $"'{step.Step.Name}' must be done at least {period} before the proposal's '{attribute}'{(step.Step.PeriodEndsBefore is { } when ? $" ({when})" : string.Empty)}; the proposal does not give it, so the plan cannot date the step: give '{attribute}'",
                    Step: step.Id));
                return new StepTiming { Basis = $"At least {period} before '{attribute}', which the proposal does not give" };
            }

            var latest = calendar.LatestDayBefore(date, period with { Anchor = PeriodAnchor.BeforeDecision });
            return new StepTiming { LatestDate = latest, Basis = $"At least {period} before {Day.Format(date)} (the proposal's '{attribute}'{what})" };
        }

        /// <summary>The day a successor dated backwards must start: the day the proposal gives, else its latest start or day.</summary>
        private static LocalDate? DueToStart(StepTiming timing) =>
            timing.FromSchedule && timing.EarliestStart is { } given ? given : timing.LatestStart ?? timing.LatestDate;

        private static StepTiming Forward(PlannedStep step, PlannedStep? decision, Dictionary<string, StepTiming> timings, LocalDate decisionDate, GovernanceCalendar calendar, string ruleSetName, List<PlanWarning> warnings)
        {
            var period = step.Step.Duration;
            if (period is { Anchor: PeriodAnchor.AfterDecision })
            {
                var lastDay = calendar.LastDay(decisionDate, period);
                return new StepTiming
                {
                    EarliestStart = decisionDate,
                    EarliestEnd = lastDay,
                    Closes = GovernanceCalendar.Closes(lastDay, period.CutOff),
                    Basis = $"{period} on {Day.Format(decisionDate)}",
                };
            }

            // Never before the decision it follows, even when a predecessor's given dates say otherwise.
            var start = step.After
                .Where(a => a == decision?.Id || timings.ContainsKey(a))
                .Select(a => a == decision?.Id ? decisionDate : NextFreeDay(timings[a]))
                .Where(d => d is not null)
                .Select(d => d!.Value)
                .Append(decisionDate)
                .Max();
            if (period is null)
            {
                if (step.Step.Kind == StepKind.CallIn)
                {
                    warnings.Add(new PlanWarning(PlanWarningKind.PeriodNotSet, $"Step '{step.Id}' has no period in rule set '{ruleSetName}', so the plan cannot say when the decision takes effect; set the constitution's call-in period in the partnership's catalogue", Step: step.Id));
                }

                return new StepTiming { EarliestStart = start, Basis = $"Can start on {Day.Format(start)}, once the steps before it are done" };
            }

            return new StepTiming
            {
                EarliestStart = start,
                EarliestEnd = calendar.LastDay(start, period),
                Basis = $"Runs for {period} from {Day.Format(start)}, once the steps before it are done",
            };
        }

        /// <summary>The first day a successor can start: the day after a period or window ends, else the step's own day.</summary>
        private static LocalDate? NextFreeDay(StepTiming timing) =>
            timing.Closes is { } closes ? GovernanceCalendar.LastDayOf(closes).PlusDays(1)
            : timing.EarliestEnd is { } end ? end.PlusDays(1)
            : timing.EarliestStart ?? timing.LatestDate;

        private static void ApplyGiven(PlannedStep step, Proposal proposal, Dictionary<string, StepTiming> timings, GovernanceCalendar calendar, List<PlanWarning> warnings)
        {
            var id = step.Id;
            if (proposal.Schedule.TryGetValue(id, out var given))
            {
                timings.TryGetValue(id, out var computed);
                var problems = new List<string>();
                var period = step.Step.Duration;
                // Whatever the proposal gives, a step dated backwards from the decision must be done by its latest day.
                if (computed?.LatestDate is { } latest)
                {
                    if (period?.Anchor == PeriodAnchor.BeforeDecision && given.Start is { } published && published > latest)
                    {
                        problems.Add($"it was given on {Day.Format(published)}, after the latest day {Day.Format(latest)} for {period}");
                    }
                    else if (given.End is { } last && last > latest)
                    {
                        problems.Add($"it ends on {Day.Format(last)}, after the latest day {Day.Format(latest)}");
                    }
                    else if (given.Start is { } begins && begins > latest)
                    {
                        problems.Add($"it starts on {Day.Format(begins)}, after the latest day {Day.Format(latest)}");
                    }
                }

                if (given.Start is { } start)
                {

                    if (computed?.EarliestStart is { } earliest && start < earliest)
                    {
                        problems.Add($"it starts on {Day.Format(start)}, before {Day.Format(earliest)}, when the steps before it allow");
                    }

                    if (period is { Anchor: PeriodAnchor.FromStart } && given.End is { } end)
                    {
                        var due = calendar.LastDay(start, period);
                        if (end < due)
                        {
                            problems.Add($"it runs {Day.Format(start)} to {Day.Format(end)}, shorter than {period}, which would end {Day.Format(due)}");
                        }
                        else if (end != due)
                        {
                            problems.Add($"it ends on {Day.Format(end)}{NonWorking(end, calendar)}, but {period} from {Day.Format(start)} end on {Day.Format(due)}");
                        }
                    }
                }

                if (given.Start is null && given.End is { } ends && computed?.EarliestStart is { } from && ends < from)
                {
                    problems.Add($"it ends on {Day.Format(ends)}, before {Day.Format(from)}, when it can start");
                }

                if (problems.Count > 0)
                {
                    warnings.Add(new PlanWarning(PlanWarningKind.ScheduleDiscrepancy, $"The proposal's dates for '{id}' disagree with the rules: {string.Join("; ", problems)}. The plan uses the proposal's dates; check which the report intended", Step: id));
                }

                timings[id] = (computed ?? new StepTiming { Basis = string.Empty }) with
                {
                    EarliestStart = given.Start ?? computed?.EarliestStart,
                    EarliestEnd = given.End ?? computed?.EarliestEnd,
                    Closes = given.End is { } closed && computed?.Closes is not null ? GovernanceCalendar.Closes(closed, step.Step.Duration?.CutOff) : computed?.Closes,
                    FromSchedule = true,
                    Basis = "Dates given by the proposal" + (computed is null || computed.Basis.Length == 0 ? string.Empty : $" (rules: {computed.Basis})"),
                };
            }
        }

        private static string NonWorking(LocalDate date, GovernanceCalendar calendar) =>
            calendar.IsWorkingDay(date) ? string.Empty
            : calendar.Holidays.Find(date) is { } holiday ? $" ({holiday.Title}, not a working day)"
            : $" (a {date.DayOfWeek}, not a working day)";

        private static ZonedDateTime? EffectiveFrom(List<PlannedStep> steps, PlannedStep? decision, LocalDate decisionDate)
        {
            if (decision is null)
            {
                return null;
            }

            var callIns = steps.Where(s => s.Step.Kind == StepKind.CallIn).ToList();
            if (callIns.Count == 0)
            {
                return decisionDate.AtStartOfDayInZone(GovernanceCalendar.London);
            }

            if (callIns.Any(c => c.Timing?.Closes is null))
            {
                return null;
            }

            // A window dated to open before the decision, or to close by the start of the decision day, contradicts the
            // decision (the plan's consistency check says so); no date of the decision's effect can be built on it.
            var decided = decisionDate.AtStartOfDayInZone(GovernanceCalendar.London);
            if (callIns.Any(c => c.Timing!.Closes!.Value.ToInstant() <= decided.ToInstant() || c.Timing.EarliestStart is { } opens && opens < decisionDate))
            {
                return null;
            }

            return callIns.Select(c => c.Timing!.Closes!.Value).OrderBy(z => z.ToInstant()).Last();
        }

    }
}
