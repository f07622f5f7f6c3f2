using System;
using System.Collections.Generic;
using System.Linq;
using DecisionRouting.Calendar;
using DecisionRouting.Text;
using NodaTime;
using NodaTime.Text;

namespace DecisionRouting.Lifecycle
{
    /// <summary>A trigger as the state machine sees it: completing each step is its own trigger, so each has its own guards.</summary>
    internal readonly record struct CaseEvent(CaseTrigger Trigger, string? Step)
    {
        /// <summary>The event as graphs and messages show it; the step id kept on one line (a hand-built plan's ids are not checked at load).</summary>
        public override string ToString() => Step is null ? Trigger.ToString() : $"{Trigger} {Text.UnsafeCharacters.Field(Step)}";
    }

    /// <summary>A condition a move needs; <see cref="Unmet"/> is the plain-English reason shown when it does not hold.</summary>
    internal sealed record Requirement(string Unmet, Func<bool> IsMet);

    /// <summary>One transition a case may take: from, to, who may fire it, and what it needs.</summary>
    internal sealed record Move(CaseEvent Event, CaseState From, CaseState To, IReadOnlyList<string> Roles, IReadOnlyList<Requirement> Requirements);

    /// <summary>
    /// The governance of a case as transitions: which steps may be completed in which state, what each needs (its
    /// predecessors, notice periods run, consultation windows closed, the actor's role), and the call-in outcomes.
    /// Worked out for one moment and one case; the machine is rebuilt for every request.
    /// </summary>
    internal sealed class CaseMoves
    {
        private static readonly DayPattern Day = DateText.Day;
        private static readonly ZonedDateTimePattern Moment = DateText.Moment;

        private readonly ProposalCase _proposalCase;
        private readonly GovernanceCalendar _calendar;
        private readonly LifecycleRoles _roles;
        private readonly Instant _at;
        private readonly LocalDate _today;
        private readonly LocalDate? _newDecisionDate;
        private readonly CasePlan _plan;
        private readonly IReadOnlySet<string> _decisionAncestors;
        private readonly IReadOnlySet<string> _decisionDescendants;

        private readonly Instant? _latest;

        /// <param name="proposalCase">The case as read.</param>
        /// <param name="calendar">Working days and bank holidays.</param>
        /// <param name="roles">Who fires the triggers that are not steps.</param>
        /// <param name="at">The moment the request is for (a status may look ahead; a trigger is dated then).</param>
        /// <param name="newDecisionDate">The new date a deferral gives.</param>
        /// <param name="latest">When firing, the latest moment a trigger may be dated (now plus the clock-skew tolerance); null for a status.</param>
        public CaseMoves(ProposalCase proposalCase, GovernanceCalendar calendar, LifecycleRoles roles, Instant at, LocalDate? newDecisionDate, Instant? latest = null)
        {
            _latest = latest;
            _proposalCase = proposalCase;
            _calendar = calendar;
            _roles = roles;
            _at = at;
            _newDecisionDate = newDecisionDate;
            _plan = proposalCase.Plan;
            // One graph for the request: which steps come before the decision, and which after it.
            var graph = _plan.Graph();
            _decisionAncestors = _plan.DecisionStep is { } decision ? new HashSet<string>(graph.Ancestors(decision), StringComparer.Ordinal) : new HashSet<string>();
            _decisionDescendants = _plan.DecisionStep is { } d ? new HashSet<string>(graph.Descendants(d).Where(id => id != d), StringComparer.Ordinal) : new HashSet<string>();
            _today = GovernanceCalendar.DateInLondon(at);
            OutOfRange = DatesOutOfRange(proposalCase);
        }

        /// <summary>
        /// The dates the case records that are outside <see cref="Text.SupportedDates"/>, in words; empty for every case
        /// this version writes. An earlier version could store one (a trigger dated 9999-12-31): such a case may only
        /// be withdrawn, and nothing is computed from its dates, so reading it never overflows the calendar.
        /// </summary>
        public IReadOnlyList<string> OutOfRange { get; }

        /// <summary>When the call-in period closes, once the decision is made and the plan gives the period.</summary>
        public ZonedDateTime? CallInCloses =>
            OutOfRange.Count == 0 && _plan.CallIn?.Duration is { } period && _proposalCase.DecidedAt is { } decided
                ? GovernanceCalendar.Closes(_calendar.LastDay(decided.InZone(GovernanceCalendar.London).Date, period), period.CutOff)
                : null;

        /// <summary>Every move of the case's machine, from every state.</summary>
        public IReadOnlyList<Move> All()
        {
            var moves = new List<Move>();
            var decision = _plan.DecisionStep is { } d ? _plan.Find(d) : null;
            var decisionRoles = decision?.Roles ?? Array.Empty<string>();
            var deferRoles = _roles.Defer.Concat(decisionRoles).Distinct().ToList();

            moves.Add(new Move(new(CaseTrigger.Start, null), CaseState.Draft, CaseState.InProgress, _roles.Start, Array.Empty<Requirement>()));

            // Not outcomes of the meeting, so not held to its notice: the proposer withdrawing the proposal, and taking
            // the item off the agenda (deferral is the remedy when the notice has not run).
            foreach (var from in new[] { CaseState.Draft, CaseState.InProgress, CaseState.Deferred })
            {
                moves.Add(new Move(new(CaseTrigger.Withdraw, null), from, CaseState.Withdrawn, _roles.Withdraw, Array.Empty<Requirement>()));
            }

            moves.Add(new Move(new(CaseTrigger.Defer, null), CaseState.InProgress, CaseState.Deferred, deferRoles, Guarded(() => NewDateGiven())));
            moves.Add(new Move(new(CaseTrigger.Resume, null), CaseState.Deferred, CaseState.InProgress, deferRoles, Array.Empty<Requirement>()));

            foreach (var step in _plan.Steps.Where(s => s.Kind != StepKind.CallIn))
            {
                foreach (var from in StatesCompleting(step))
                {
                    if (step.RunsFromItsStart)
                    {
                        moves.Add(new Move(new(CaseTrigger.StartStep, step.Id), from, from, step.Roles, Guarded(() => StartRequirements(step))));
                    }

                    moves.Add(new Move(new(CaseTrigger.CompleteStep, step.Id), from, AfterCompleting(step, from), step.Roles, Guarded(() => StepRequirements(step))));
                }
            }

            if (decision is not null)
            {
                // Every outcome of the decision meeting needs what the meeting needs, whatever the outcome is.
                var meeting = Guarded(() => MeetingMayDecide(decision));
                moves.Add(new Move(new(CaseTrigger.Reject, null), CaseState.InProgress, CaseState.Rejected, decisionRoles, meeting));
                moves.Add(new Move(new(CaseTrigger.Reject, null), CaseState.Reconsidering, CaseState.Rejected, decisionRoles, meeting));
                moves.Add(new Move(new(CaseTrigger.ConfirmDecision, null), CaseState.Reconsidering, CaseState.Effective, decisionRoles, meeting));
            }

            if (_plan.CallIn is not null)
            {
                moves.Add(new Move(new(CaseTrigger.CallIn, null), CaseState.CallInWindow, CaseState.CalledIn, _roles.CallIn, Guarded(() => new[] { CallInOpen() })));
                moves.Add(new Move(new(CaseTrigger.EndCallInPeriod, null), CaseState.CallInWindow, CaseState.Effective, _roles.EndCallInPeriod, Guarded(() => new[] { CallInEnded() })));
                moves.Add(new Move(new(CaseTrigger.NoFurtherAction, null), CaseState.CalledIn, CaseState.Effective, _roles.ScrutinyOutcome, Array.Empty<Requirement>()));
                moves.Add(new Move(new(CaseTrigger.ReferBack, null), CaseState.CalledIn, CaseState.Reconsidering, _roles.ScrutinyOutcome, Guarded(() => new[] { NotYetReconsidered() })));
                moves.Add(new Move(new(CaseTrigger.ReferToFullCouncil, null), CaseState.CalledIn, CaseState.ReferredToFullCouncil, _roles.ScrutinyOutcome, Guarded(() => new[] { ContraryToFramework() })));
                moves.Add(new Move(new(CaseTrigger.NoFurtherAction, null), CaseState.ReferredToFullCouncil, CaseState.Effective, _roles.CouncilOutcome, Array.Empty<Requirement>()));
                moves.Add(new Move(new(CaseTrigger.ReferBack, null), CaseState.ReferredToFullCouncil, CaseState.Reconsidering, _roles.CouncilOutcome, Guarded(() => new[] { NotYetReconsidered() })));
            }

            // A case holding a date outside the supported range: withdrawing it needs nothing computed from its dates;
            // every other move says why it cannot happen instead of evaluating guards that would overflow.
            if (OutOfRange.Count > 0)
            {
                var unusable = new Requirement(
                    $"The case records {string.Join(" and ", OutOfRange)}, outside the supported range of dates ({Text.SupportedDates.Range}), so nothing dated can be worked out; it can only be withdrawn",
                    () => false);
                return moves.Select(m => m with { Requirements = m.Event.Trigger == CaseTrigger.Withdraw ? NotInTheFuture().ToList() : new[] { unusable } }).ToList();
            }

            // Nothing is dated before what it follows (the case's start, and for everything after it the decision), nor
            // after now: a case records what has happened.
            return moves.Select(m => m with { Requirements = NotInTheFuture().Concat(NotBeforeTheCaseGotHere(m.From)).Concat(m.Requirements).ToList() }).ToList();
        }

        /// <summary>The requirements a builder gives, or none for a case with dates out of range (they would be computed from them).</summary>
        private IReadOnlyList<Requirement> Guarded(Func<IEnumerable<Requirement>> build) =>
            OutOfRange.Count > 0 ? Array.Empty<Requirement>() : build().ToList();

        private static IReadOnlyList<string> DatesOutOfRange(ProposalCase c)
        {
            var found = new List<string>();
            if (!Text.SupportedDates.Contains(c.DecisionDate))
            {
                found.Add($"the decision date {DateText.Iso.Format(c.DecisionDate)}");
            }

            void Check(Instant? instant, string what)
            {
                if (instant is { } i && !Text.SupportedDates.Contains(i))
                {
                    found.Add($"{what} {InstantPattern.General.Format(i)}");
                }
            }

            Check(c.StartedAt, "the start");
            Check(c.DecidedAt, "the decision");
            foreach (var (step, done) in c.Started.OrderBy(e => e.Key, StringComparer.Ordinal))
            {
                Check(done.At, $"the start of '{step}'");
            }

            foreach (var (step, done) in c.Completed.OrderBy(e => e.Key, StringComparer.Ordinal))
            {
                Check(done.At, $"the completion of '{step}'");
            }

            return found;
        }

        /// <summary>The role requirement for <paramref name="actor"/>.</summary>
        public static Requirement HoldsRole(Actor actor, Move move)
        {
            var what = move.Event.Step is { } step ? $"{Verb(move.Event.Trigger)} '{step}'" : $"fire {move.Event.Trigger}";
            var allowed = string.Join(" or ", move.Roles);
            return new Requirement($"Only {allowed} may {what}; {actor.Name} acts as {actor.RoleList}", () => actor.HoldsAny(move.Roles));
        }

        /// <summary>
        /// The states in which a step may be completed. Steps up to the decision belong to InProgress; the decision's
        /// successors to the states after it; steps unrelated to the decision (the NHS body's own approval) to both.
        /// </summary>
        private IEnumerable<CaseState> StatesCompleting(CaseStep step)
        {
            if (_plan.DecisionStep is null || step.Id == _plan.DecisionStep)
            {
                return new[] { CaseState.InProgress };
            }

            var after = _decisionDescendants.Contains(step.Id);
            var beforeDecision = _decisionAncestors.Contains(step.Id);
            var states = new List<CaseState>();
            if (!after)
            {
                states.Add(CaseState.InProgress);
            }

            if (!beforeDecision)
            {
                states.AddRange(new[] { CaseState.Decided, CaseState.CallInWindow, CaseState.Effective });
            }

            return states;
        }

        /// <summary>Where completing <paramref name="step"/> in <paramref name="from"/> leads.</summary>
        private CaseState AfterCompleting(CaseStep step, CaseState from)
        {
            var callIn = _plan.CallIn;
            if (step.Id == _plan.DecisionStep)
            {
                return callIn is null ? CaseState.Effective : CallInReadyAfter(step.Id) ? CaseState.CallInWindow : CaseState.Decided;
            }

            if (from is CaseState.Decided or CaseState.CallInWindow && step.Id == _plan.CallInExemption?.Id)
            {
                return CaseState.Effective;
            }

            return from == CaseState.Decided && CallInReadyAfter(step.Id) ? CaseState.CallInWindow : from;
        }

        /// <summary>Whether <paramref name="stepId"/> is the last predecessor of the call-in step still to be completed.</summary>
        private bool CallInReadyAfter(string stepId) =>
            _plan.CallIn is { } callIn
            && (callIn.After.Contains(stepId) || callIn.After.Count == 0 && stepId == _plan.DecisionStep)
            && callIn.After.All(a => a == stepId || _proposalCase.IsComplete(a));

        /// <summary>"complete" or "start", for reasons naming a step.</summary>
        internal static string Verb(CaseTrigger trigger) => trigger == CaseTrigger.StartStep ? "start" : "complete";

        private IReadOnlyList<Requirement> StepRequirements(CaseStep step)
        {
            var requirements = new List<Requirement>();
            if (_proposalCase.Completed.TryGetValue(step.Id, out var done))
            {
                requirements.Add(new Requirement($"'{step.Name}' was already completed on {Format(done.At)} by {done.By}", () => false));
            }

            requirements.AddRange(step.Id == _plan.DecisionStep ? MeetingMayDecide(step) : Ready(step));
            requirements.AddRange(PeriodRun(step));
            return requirements;
        }

        /// <summary>
        /// What the decision meeting needs before it may decide anything on the item: the decision's predecessors, and
        /// every notice before it run. One list for every outcome of the meeting (deciding, rejecting, and on
        /// reconsideration confirming or rejecting), so no outcome can get round the notice the others wait for.
        /// </summary>
        private IReadOnlyList<Requirement> MeetingMayDecide(CaseStep decision) => Ready(decision).ToList();

        /// <summary>What a step needs before it may start or be completed: its predecessors done before it, and their notices run.</summary>
        private IEnumerable<Requirement> Ready(CaseStep step) =>
            PredecessorsDone(step).Concat(NotBeforePredecessors(step)).Concat(NoticesRun(step));

        private IReadOnlyList<Requirement> StartRequirements(CaseStep step)
        {
            var requirements = new List<Requirement>();
            if (_proposalCase.Started.TryGetValue(step.Id, out var started))
            {
                requirements.Add(new Requirement($"'{step.Name}' was already started on {Format(started.At)} by {started.By}", () => false));
            }

            if (_proposalCase.Completed.TryGetValue(step.Id, out var done))
            {
                requirements.Add(new Requirement($"'{step.Name}' was already completed on {Format(done.At)} by {done.By}", () => false));
            }

            requirements.AddRange(Ready(step));
            return requirements;
        }

        /// <summary>A step's period: a consultation's from its recorded start, a standstill's from the decision.</summary>
        private IEnumerable<Requirement> PeriodRun(CaseStep step)
        {
            if (step.RunsFromItsStart && !_proposalCase.Started.ContainsKey(step.Id))
            {
                yield return new Requirement(
                    $"'{step.Name}' runs for {step.Duration} from its start: record when it started (StartStep) before completing it",
                    () => false);
                yield break;
            }

            if (WindowCloses(step) is { } closes)
            {
                var ends = closes.TimeOfDay == LocalTime.Midnight ? $"the end of {Day.Format(GovernanceCalendar.LastDayOf(closes))}" : Moment.Format(closes);
                yield return new Requirement(
                    $"'{step.Name}' runs for {step.Duration}: it cannot be completed until it ends at {ends}",
                    () => _at >= closes.ToInstant());
            }
        }

        /// <summary>A step is not dated before any of its predecessors was completed.</summary>
        private IEnumerable<Requirement> NotBeforePredecessors(CaseStep step) =>
            step.After
                .Where(a => _proposalCase.Completed.ContainsKey(a))
                .Select(a => (Id: a, Done: _proposalCase.Completed[a]))
                .Select(p => new Requirement(
                    $"'{_plan.Find(p.Id)?.Name ?? p.Id}' ({p.Id}) was completed on {Format(p.Done.At)}: nothing after it can be dated earlier ({Format(_at)})",
                    () => _at >= p.Done.At));

        private IEnumerable<Requirement> NotInTheFuture()
        {
            if (_latest is { } limit)
            {
                yield return new Requirement($"It is dated {Format(_at)}, which has not happened yet: record what has happened, once it has", () => _at <= limit);
            }
        }

        /// <summary>A trigger is not dated before the case started, nor, once it is decided, before the decision.</summary>
        private IEnumerable<Requirement> NotBeforeTheCaseGotHere(CaseState from)
        {
            if (from != CaseState.Draft && _proposalCase.StartedAt is { } started)
            {
                yield return new Requirement($"Work on the case started on {Format(started)}: nothing can be dated earlier ({Format(_at)})", () => _at >= started);
            }

            if (from is not (CaseState.Draft or CaseState.InProgress or CaseState.Deferred) && _proposalCase.DecidedAt is { } decided)
            {
                yield return new Requirement($"The decision was made on {Format(decided)}: nothing after it can be dated earlier ({Format(_at)})", () => _at >= decided);
            }
        }

        private IEnumerable<Requirement> PredecessorsDone(CaseStep step) =>
            step.After
                .Where(a => !_proposalCase.IsComplete(a))
                .Select(a => new Requirement($"'{_plan.Find(a)?.Name ?? a}' ({a}) must be completed first", () => false));

        /// <summary>
        /// Notices that must have run before this step: the step's own completed predecessors with a notice period, and
        /// for the decision every completed notice before it (a key-decision notice runs until the decision).
        /// </summary>
        private IEnumerable<Requirement> NoticesRun(CaseStep step)
        {
            var notices = step.Id == _plan.DecisionStep ? _decisionAncestors : (IEnumerable<string>)step.After;
            foreach (var id in notices.Distinct().OrderBy(i => i, StringComparer.Ordinal))
            {
                if (_plan.Find(id) is not { Kind: StepKind.Notice, Duration: { Anchor: not PeriodAnchor.AfterDecision } period } notice
                    || !_proposalCase.Completed.TryGetValue(id, out var done))
                {
                    continue;
                }

                var published = done.At.InZone(GovernanceCalendar.London).Date;
                var earliest = _calendar.EarliestAfter(published, period);
                yield return new Requirement(
                    $"'{notice.Name}' was given on {Day.Format(published)} and must run {period}: '{step.Name}' cannot be completed before {Day.Format(earliest)}",
                    () => _today >= earliest);
            }
        }

        /// <summary>
        /// When a step's period ends: a consultation's from its recorded start, a period after the decision (a
        /// standstill) from the decision. Notices are not here: their period holds up what follows them.
        /// </summary>
        private ZonedDateTime? WindowCloses(CaseStep step)
        {
            if (step.Kind is StepKind.Notice or StepKind.CallIn || step.Duration is not { } period)
            {
                return null;
            }

            var start = period.Anchor switch
            {
                PeriodAnchor.AfterDecision => _proposalCase.DecidedAt,
                PeriodAnchor.FromStart => _proposalCase.Started.TryGetValue(step.Id, out var started) ? started.At : null,
                _ => null,
            };
            return start is { } s ? GovernanceCalendar.Closes(_calendar.LastDay(s.InZone(GovernanceCalendar.London).Date, period), period.CutOff) : null;
        }

        /// <summary>Deferral moves the decision later: after the date it is now intended for, and after today.</summary>
        private IReadOnlyList<Requirement> NewDateGiven() => _newDecisionDate is { } date
            ? new[]
            {
                new Requirement($"The new decision date {Day.Format(date)} must be later than the date the decision is now intended for ({Day.Format(_proposalCase.DecisionDate)})", () => date > _proposalCase.DecisionDate),
                new Requirement($"The new decision date {Day.Format(date)} must be after today ({Day.Format(_today)})", () => date > _today),
            }
            : new[] { new Requirement("Give the new intended decision date", () => false) };

        private Requirement CallInOpen() => CallInCloses is { } closes
            ? new Requirement($"The call-in period closed at {Moment.Format(closes)}", () => _at < closes.ToInstant())
            : new Requirement("The call-in period is open", () => true);

        private Requirement CallInEnded() => CallInCloses is { } closes
            ? new Requirement($"The call-in period runs until {Moment.Format(closes)}", () => _at >= closes.ToInstant())
            : new Requirement("The call-in period has ended", () => true);

        private Requirement NotYetReconsidered() =>
            new("The decision has already been reconsidered once; it cannot be referred back again", () => !_proposalCase.Reconsidered);

        private Requirement ContraryToFramework() =>
            new("Only a decision contrary to the budget or policy framework can be referred to full council, and this proposal is not marked as affecting it", () => _plan.AffectsBudgetAndPolicyFramework);

        private static string Format(Instant instant) => Moment.Format(instant.InZone(GovernanceCalendar.London));
    }
}
