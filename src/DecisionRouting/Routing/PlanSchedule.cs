using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using DecisionRouting.Calendar;
using DecisionRouting.Proposals;
using DecisionRouting.RuleSets;
using NodaTime;
using NodaTime.Text;

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
        private static readonly LocalDatePattern Day = LocalDatePattern.Create("ddd d MMM uuuu", CultureInfo.InvariantCulture);

        public static ScheduledPlan Apply(IReadOnlyList<PlannedStep> planned, Proposal proposal, RuleSet ruleSet, GovernanceCalendar calendar, LocalDate today, List<PlanWarning> warnings)
        {
            var decisionDate = proposal.IntendedDecisionDate;
            var steps = planned.ToList();
            var urgency = new List<UrgencyRoute>();

            // Urgency only means something while the decision is still ahead; a past decision is a record.
            if (today <= decisionDate)
            {
                ApplyUrgencyRoutes(steps, proposal, ruleSet, calendar, today, urgency, warnings);
            }

            var decision = steps.FirstOrDefault(s => s.Step.Kind is StepKind.Approval or StepKind.Recommendation && s.Body is { } b && TakesDecision(b.Kind, proposal.DecisionMaker));
            var byId = steps.ToDictionary(s => s.Id);
            var before = decision is null ? new HashSet<string>() : Ancestors(decision.Id, byId);
            var after = decision is null ? new HashSet<string>() : Descendants(decision.Id, steps);
            var timings = new Dictionary<string, StepTiming>();

            // Backwards: the reverse of stage order visits every successor before its predecessors.
            for (var i = steps.Count - 1; i >= 0; i--)
            {
                var step = steps[i];
                if (Backward(step, decision, before, steps, timings, decisionDate, calendar) is { } timing)
                {
                    timings[step.Id] = timing;
                }
            }

            var forward = steps.Where(s => after.Contains(s.Id) || s.Step.Duration?.Anchor == PeriodAnchor.AfterDecision).ToList();
            foreach (var step in steps.Where(s => !forward.Contains(s)))
            {
                ApplyGiven(step, proposal, timings, calendar, warnings);
            }

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
            for (var i = 0; i < steps.Count; i++)
            {
                var original = steps[i];
                if (original.Step.Duration is not { Anchor: PeriodAnchor.BeforeDecision } period
                    || proposal.Schedule.TryGetValue(original.Id, out var given) && given.Start is not null
                    || calendar.LatestDayBefore(proposal.IntendedDecisionDate, period) >= today)
                {
                    continue;
                }

                var latest = calendar.LatestDayBefore(proposal.IntendedDecisionDate, period);
                var current = original.Step;
                var reason = $"'{current.Name}' needed {period}, so by {Day.Format(latest)}; today is {Day.Format(today)}";
                while (current.Duration is { Anchor: PeriodAnchor.BeforeDecision } d && calendar.LatestDayBefore(proposal.IntendedDecisionDate, d) < today)
                {
                    if (current.IfImpracticable is not { } next || !ruleSet.Steps.TryGetValue(next, out var alternative))
                    {
                        break;
                    }

                    current = alternative;
                }

                if (current.Duration is { Anchor: PeriodAnchor.BeforeDecision } still && calendar.LatestDayBefore(proposal.IntendedDecisionDate, still) < today)
                {
                    warnings.Add(new PlanWarning(
                        PlanWarningKind.DateCannotBeMet,
                        $"{reason}, and no urgency route is left; the decision cannot be taken on {Day.Format(proposal.IntendedDecisionDate)}: defer it",
                        Step: original.Id));
                    if (current == original.Step)
                    {
                        continue;
                    }
                }

                var requires = current.Description is null ? current.Name : $"{current.Name}: {current.Description}";
                routes.Add(new UrgencyRoute(original.Id, current.Id, reason, requires));
                warnings.Add(new PlanWarning(PlanWarningKind.UrgencyRouteApplied, $"{reason}. The plan uses the urgency route instead: {requires}", Step: current.Id));

                var body = current.Body is null ? null : ruleSet.Bodies[current.Body];
                var role = current.Role is null ? null : ruleSet.Roles[current.Role];
                var existing = steps.FindIndex(s => s.Id == current.Id);
                if (existing >= 0)
                {
                    steps.RemoveAt(i--);
                }
                else
                {
                    steps[i] = original with { Step = current, Body = body, Role = role };
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
                .Select(s => s == decision ? decisionDate : timings[s.Id].LatestStart ?? timings[s.Id].LatestDate!.Value)
                .DefaultIfEmpty(decisionDate)
                .Min();
            if (step.Step.Duration is { } period)
            {
                var start = deadline;
                while (start > deadline.PlusDays(-4 * (period.Days + 10)) && calendar.LastDay(start, period) > deadline)
                {
                    start = start.PlusDays(-1);
                }

                return new StepTiming { LatestDate = deadline, LatestStart = start, Basis = $"Runs for {period} and must end by {Day.Format(deadline)}" };
            }

            return new StepTiming { LatestDate = deadline, Basis = $"Must be done by {Day.Format(deadline)}, when the next step is due" };
        }

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

            var start = step.After
                .Where(a => a == decision?.Id || timings.ContainsKey(a))
                .Select(a => a == decision?.Id ? decisionDate : NextFreeDay(timings[a]))
                .Where(d => d is not null)
                .Select(d => d!.Value)
                .DefaultIfEmpty(decisionDate)
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
            timing.Closes is { } closes ? closes.Date.PlusDays(closes.TimeOfDay == LocalTime.Midnight ? 0 : 1)
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
                if (given.Start is { } start)
                {
                    if (computed?.LatestDate is { } latest && period?.Anchor == PeriodAnchor.BeforeDecision && start > latest)
                    {
                        problems.Add($"it was given on {Day.Format(start)}, after the latest day {Day.Format(latest)} for {period}");
                    }

                    if (computed?.EarliestStart is { } earliest && start < earliest && period?.Anchor != PeriodAnchor.AfterDecision)
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

                if (given.End is { } last && given.Start is null && computed?.LatestDate is { } by && last > by)
                {
                    problems.Add($"it ends on {Day.Format(last)}, after the latest day {Day.Format(by)}");
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

            return callIns.Select(c => c.Timing!.Closes!.Value).OrderBy(z => z.ToInstant()).Last();
        }

        private static HashSet<string> Ancestors(string id, Dictionary<string, PlannedStep> byId)
        {
            var found = new HashSet<string>();
            var stack = new Stack<string>(byId[id].After);
            while (stack.Count > 0)
            {
                var current = stack.Pop();
                if (found.Add(current) && byId.TryGetValue(current, out var step))
                {
                    foreach (var next in step.After)
                    {
                        stack.Push(next);
                    }
                }
            }

            return found;
        }

        private static HashSet<string> Descendants(string id, List<PlannedStep> steps)
        {
            var found = new HashSet<string>();
            var changed = true;
            while (changed)
            {
                changed = false;
                foreach (var step in steps.Where(s => !found.Contains(s.Id) && s.After.Any(a => a == id || found.Contains(a))))
                {
                    changed |= found.Add(step.Id);
                }
            }

            return found;
        }
    }
}
