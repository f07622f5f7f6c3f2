using System;
using System.Collections.Generic;
using System.Linq;
using DecisionRouting.Text;

namespace DecisionRouting.Routing
{
    /// <summary>
    /// Compares two routing plans for the same proposal, typically routed under an old and a new rule set, and says what a
    /// governance officer would see change: steps added, removed or reordered, dates moved, periods changed, urgency
    /// routes taken or dropped, and whether the plan became incomplete (or complete).
    /// </summary>
    /// <remarks>
    /// Pure and thread-safe. Steps are matched by id; orderings, dates and periods are compared only for steps both plans
    /// require (an added or removed step is reported once, as such). Dates are compared as the plans give them, so both
    /// plans should be routed with the same clock and calendar for a date change to mean a rule change.
    /// </remarks>
    public static class PlanComparison
    {
        /// <summary>Compares <paramref name="before"/> with <paramref name="after"/>.</summary>
        /// <param name="before">The plan under the old rules.</param>
        /// <param name="after">The plan under the new rules.</param>
        /// <returns>The differences, each list in the order of the plans' steps (<paramref name="after"/>'s, then removed ones in <paramref name="before"/>'s).</returns>
        /// <exception cref="ArgumentNullException">Either plan is null.</exception>
        public static PlanDifference Compare(RoutingPlan before, RoutingPlan after)
        {
            ArgumentNullException.ThrowIfNull(before);
            ArgumentNullException.ThrowIfNull(after);
            var old = before.Steps.ToDictionary(s => s.Id, StringComparer.Ordinal);
            var current = after.Steps.ToDictionary(s => s.Id, StringComparer.Ordinal);
            var added = after.Steps.Where(s => !old.ContainsKey(s.Id)).Select(s => s.Id).ToList();
            var removed = before.Steps.Where(s => !current.ContainsKey(s.Id)).Select(s => s.Id).ToList();
            var oldRank = Ranks(before.Steps.Where(s => current.ContainsKey(s.Id)));
            var newRank = Ranks(after.Steps.Where(s => old.ContainsKey(s.Id)));
            var reordered = new List<StepReordering>();
            var dates = new List<PlanDateChange>();
            var periods = new List<PeriodChange>();
            foreach (var step in after.Steps)
            {
                if (!old.TryGetValue(step.Id, out var was))
                {
                    continue;
                }

                // A step added or removed is reported as such; that it also shifts later stages or leaves a
                // predecessor list is its consequence, not a reordering. So orderings are compared among the steps
                // both plans require: the steps this one waits for, and its rank among their stages.
                var afterBefore = was.After.Where(current.ContainsKey).OrderBy(a => a, StringComparer.Ordinal).ToList();
                var afterAfter = step.After.Where(old.ContainsKey).OrderBy(a => a, StringComparer.Ordinal).ToList();
                if (oldRank[was.Stage] != newRank[step.Stage] || !afterBefore.SequenceEqual(afterAfter, StringComparer.Ordinal))
                {
                    reordered.Add(new StepReordering(step.Id, was.Stage, step.Stage, afterBefore, afterAfter));
                }

                if (!Equals(was.Step.Duration, step.Step.Duration))
                {
                    periods.Add(new PeriodChange(step.Id, was.Step.Duration?.ToString(), step.Step.Duration?.ToString()));
                }

                AddDate(dates, step.Id, "latestDate", Day(was.Timing?.LatestDate), Day(step.Timing?.LatestDate));
                AddDate(dates, step.Id, "latestStart", Day(was.Timing?.LatestStart), Day(step.Timing?.LatestStart));
                AddDate(dates, step.Id, "earliestStart", Day(was.Timing?.EarliestStart), Day(step.Timing?.EarliestStart));
                AddDate(dates, step.Id, "earliestEnd", Day(was.Timing?.EarliestEnd), Day(step.Timing?.EarliestEnd));
                AddDate(dates, step.Id, "closes", Moment(was.Timing?.Closes), Moment(step.Timing?.Closes));
            }

            AddDate(dates, null, "effectiveFrom", Moment(before.EffectiveFrom), Moment(after.EffectiveFrom));
            static (string, string) Key(UrgencyRoute r) => (r.Impracticable, r.Instead);
            var oldRoutes = before.UrgencyRoutes.Select(Key).ToHashSet();
            var newRoutes = after.UrgencyRoutes.Select(Key).ToHashSet();
            return new PlanDifference
            {
                StepsAdded = added,
                StepsRemoved = removed,
                StepsReordered = reordered,
                DatesMoved = dates,
                PeriodsChanged = periods,
                UrgencyRoutesAdded = after.UrgencyRoutes.Where(r => !oldRoutes.Contains(Key(r))).ToList(),
                UrgencyRoutesRemoved = before.UrgencyRoutes.Where(r => !newRoutes.Contains(Key(r))).ToList(),
                WasComplete = before.IsComplete,
                IsComplete = after.IsComplete,
            };
        }

        /// <summary>Each stage's place among the distinct stages of <paramref name="steps"/> (0 for the first).</summary>
        private static Dictionary<int, int> Ranks(IEnumerable<PlannedStep> steps) =>
            steps.Select(s => s.Stage).Distinct().OrderBy(s => s).Select((stage, rank) => (stage, rank)).ToDictionary(p => p.stage, p => p.rank);

        private static string? Day(NodaTime.LocalDate? day) => day is { } d ? DateText.Iso.Format(d) : null;

        private static string? Moment(NodaTime.ZonedDateTime? moment) => moment is { } m ? DateText.IsoMoment.Format(m.ToOffsetDateTime()) : null;

        private static void AddDate(List<PlanDateChange> dates, string? step, string date, string? before, string? after)
        {
            if (!string.Equals(before, after, StringComparison.Ordinal))
            {
                dates.Add(new PlanDateChange(step, date, before, after));
            }
        }
    }

    /// <summary>What changed between two plans for one proposal (<see cref="PlanComparison.Compare"/>).</summary>
    public sealed class PlanDifference
    {
        /// <summary>Ids of steps the new plan requires and the old one did not, in the new plan's order.</summary>
        public required IReadOnlyList<string> StepsAdded { get; init; }

        /// <summary>Ids of steps the old plan required and the new one does not, in the old plan's order.</summary>
        public required IReadOnlyList<string> StepsRemoved { get; init; }

        /// <summary>Steps both plans require whose stage or predecessors changed.</summary>
        public required IReadOnlyList<StepReordering> StepsReordered { get; init; }

        /// <summary>Dates that moved, per step and per date the plans give (and the plan's effective-from date).</summary>
        public required IReadOnlyList<PlanDateChange> DatesMoved { get; init; }

        /// <summary>Steps both plans require whose period (catalogue <c>duration</c>) changed.</summary>
        public required IReadOnlyList<PeriodChange> PeriodsChanged { get; init; }

        /// <summary>Urgency routes the new plan takes that the old one did not.</summary>
        public required IReadOnlyList<UrgencyRoute> UrgencyRoutesAdded { get; init; }

        /// <summary>Urgency routes the old plan took that the new one does not.</summary>
        public required IReadOnlyList<UrgencyRoute> UrgencyRoutesRemoved { get; init; }

        /// <summary>Whether the old plan was complete (<see cref="RoutingPlan.IsComplete"/>).</summary>
        public required bool WasComplete { get; init; }

        /// <summary>Whether the new plan is complete (<see cref="RoutingPlan.IsComplete"/>).</summary>
        public required bool IsComplete { get; init; }

        /// <summary>True when the new plan is incomplete and the old one was not: it may now lack required steps.</summary>
        public bool BecameIncomplete => WasComplete && !IsComplete;

        /// <summary>True when the new plan is complete and the old one was not.</summary>
        public bool BecameComplete => !WasComplete && IsComplete;

        /// <summary>True when anything above changed.</summary>
        public bool HasChanges =>
            StepsAdded.Count > 0 || StepsRemoved.Count > 0 || StepsReordered.Count > 0 || DatesMoved.Count > 0 || PeriodsChanged.Count > 0
            || UrgencyRoutesAdded.Count > 0 || UrgencyRoutesRemoved.Count > 0 || WasComplete != IsComplete;
    }

    /// <summary>
    /// A step both plans require, in a different place among the steps both require: its stage's rank among theirs, or
    /// which of them it waits for, changed. A step merely shifted to a later stage by an added step is not reordered.
    /// </summary>
    /// <param name="Step">The step id.</param>
    /// <param name="StageBefore">Its stage in the old plan.</param>
    /// <param name="StageAfter">Its stage in the new plan.</param>
    /// <param name="AfterBefore">The step ids it came after in the old plan, of those both plans require, sorted ordinally.</param>
    /// <param name="AfterAfter">The step ids it comes after in the new plan, of those both plans require, sorted ordinally.</param>
    public sealed record StepReordering(string Step, int StageBefore, int StageAfter, IReadOnlyList<string> AfterBefore, IReadOnlyList<string> AfterAfter);

    /// <summary>A date that moved between two plans.</summary>
    /// <param name="Step">The step whose date it is, or null for the plan's <c>effectiveFrom</c>.</param>
    /// <param name="Date">Which date, named as in the plan JSON: <c>latestDate</c>, <c>latestStart</c>, <c>earliestStart</c>, <c>earliestEnd</c>, <c>closes</c> or <c>effectiveFrom</c>.</param>
    /// <param name="Before">The old value (ISO 8601: <c>yyyy-MM-dd</c> for days, with time and UTC offset for <c>closes</c> and <c>effectiveFrom</c>), or null when the old plan gave none.</param>
    /// <param name="After">The new value in the same form, or null when the new plan gives none.</param>
    public sealed record PlanDateChange(string? Step, string Date, string? Before, string? After);

    /// <summary>A step whose period changed.</summary>
    /// <param name="Step">The step id.</param>
    /// <param name="Before">The old period in words (e.g. <c>28 clear days</c>), or null for none.</param>
    /// <param name="After">The new period in words, or null for none.</param>
    public sealed record PeriodChange(string Step, string? Before, string? After);
}
