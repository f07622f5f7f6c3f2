using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DecisionRouting.Graph;
using DecisionRouting.Lifecycle.Graph;
using DecisionRouting.Routing;
using DecisionRouting.Telemetry;
using DecisionRouting.Text;
using NodaTime;
using NodaTime.Text;

namespace DecisionRouting.Lifecycle
{
    /// <summary>
    /// Drives proposals through their plans, durably: create a case from a routed plan, ask what may happen next and
    /// who may do it, fire triggers (every accepted and refused one is audited), read the history and draw the machine.
    /// Safe to share between threads and app instances: each request reads the case, decides on a fresh state machine
    /// and saves with an optimistic version check.
    /// </summary>
    public sealed class ProposalLifecycle
    {
        private readonly IProposalStore _store;
        private readonly LifecycleOptions _options;

        /// <summary>A lifecycle over <paramref name="store"/>.</summary>
        public ProposalLifecycle(IProposalStore store, LifecycleOptions? options = null)
        {
            _store = store ?? throw new ArgumentNullException(nameof(store));
            _options = options ?? new LifecycleOptions();
        }

        // RS0026: these overloads predate the pinned API and differ in a required parameter, so no call is ambiguous;
        // new overloads must not add optional parameters (docs/versioning.md).
#pragma warning disable RS0026
        /// <summary>Creates a case in Draft for a routed plan, which must be complete.</summary>
        /// <exception cref="IncompletePlanException">The plan is incomplete (<see cref="RoutingPlan.IsComplete"/> is false); accept it explicitly with the overload taking an <see cref="IncompletePlanAcceptance"/>.</exception>
        /// <exception cref="CaseAlreadyExistsException">A case with the id exists.</exception>
        public Task<ProposalCase> CreateAsync(RoutingPlan plan, Actor actor, string? caseId = null, CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(plan);
            return CreateAsync(CasePlan.From(plan), actor, caseId, cancellationToken);
        }

        /// <summary>
        /// Creates a case in Draft for a routed plan that may be incomplete, because someone has decided to go ahead
        /// without the missing values. The acceptance, its reason and the plan's gaps are written to the Create audit
        /// entry and kept with the case (<see cref="CasePlan.Incomplete"/>).
        /// </summary>
        /// <exception cref="CaseAlreadyExistsException">A case with the id exists.</exception>
        public Task<ProposalCase> CreateAsync(RoutingPlan plan, Actor actor, IncompletePlanAcceptance acceptIncomplete, string? caseId = null, CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(plan);
            ArgumentNullException.ThrowIfNull(acceptIncomplete);
            var frozen = CasePlan.From(plan);
            return CreateAsync(frozen.IsComplete ? frozen : frozen with { IncompleteAcceptedReason = acceptIncomplete.Reason }, actor, caseId, cancellationToken);
        }

        /// <summary>
        /// Creates a case in Draft for a plan already frozen (kept by the app, or built by hand). An incomplete plan
        /// must carry <see cref="CasePlan.IncompleteAcceptedReason"/>.
        /// </summary>
        /// <exception cref="IncompletePlanException">The plan is incomplete and nobody accepted it.</exception>
        /// <exception cref="CaseAlreadyExistsException">A case with the id exists.</exception>
        /// <exception cref="InvalidTriggerException">The actor's name or the case id holds a control character or line break.</exception>
        public async Task<ProposalCase> CreateAsync(CasePlan plan, Actor actor, string? caseId = null, CancellationToken cancellationToken = default)
#pragma warning restore RS0026
        {
            ArgumentNullException.ThrowIfNull(plan);
            ArgumentNullException.ThrowIfNull(actor);
            if (!plan.IsComplete && string.IsNullOrWhiteSpace(plan.IncompleteAcceptedReason))
            {
                throw new IncompletePlanException(plan.ProposalId, plan.Incomplete);
            }

            var created = ProposalCase.For(plan, caseId);
            RefuseControlCharacters(actor.Name, "The actor's name", nameof(actor));
            RefuseControlCharacters(created.Id, "The case id", nameof(caseId));
            var detail = $"Plan from rule set '{plan.RuleSetName}' with {plan.Steps.Count} steps";
            if (!plan.IsComplete)
            {
                detail += $"; INCOMPLETE plan accepted by {actor.Name}, reason: {plan.IncompleteAcceptedReason}; gaps: {string.Join("; ", plan.Incomplete)}";
            }

            using var activity = CaseTelemetry.StartCreate(created.Id, plan.ProposalId);
            var entry = Entry(created, CaseTelemetry.CreateTrigger, null, actor, Now, CaseState.Draft, accepted: true, detail);
            var saved = await _store.CreateAsync(created, entry, cancellationToken).ConfigureAwait(false);
            CaseTelemetry.Created(_options.Logger, activity, created, saved, actor);
            return created;
        }

        /// <summary>The case, what may be fired now (and by which roles) and what is blocked and why.</summary>
        /// <exception cref="CaseNotFoundException">No such case.</exception>
        /// <exception cref="ArgumentOutOfRangeException"><paramref name="at"/> is outside <see cref="SupportedDates"/>.</exception>
        public async Task<CaseStatus> StatusAsync(string caseId, Instant? at = null, CancellationToken cancellationToken = default)
        {
            if (at is { } asked && !SupportedDates.Contains(asked))
            {
                throw new ArgumentOutOfRangeException(nameof(at), asked, SupportedDates.OutOfRange("The time asked about,", asked.ToString("g", CultureInfo.InvariantCulture)));
            }

            var current = await LoadAsync(caseId, cancellationToken).ConfigureAwait(false);
            var when = at ?? Now;
            var moves = new CaseMoves(current, _options.Calendar, _options.Roles, when, newDecisionDate: null);
            var machine = new CaseMachine(current.State, moves.All(), actor: null);
            var permitted = new List<PermittedTrigger>();
            var blocked = new List<BlockedTrigger>();
            foreach (var move in machine.FromHere)
            {
                if (move.Event is { Trigger: CaseTrigger.StartStep, Step: { } begun } && (current.Started.ContainsKey(begun) || current.IsComplete(begun)))
                {
                    // A start already recorded is history too.
                    continue;
                }

                // Defer needs a date only the firing request gives; it is permitted to those roles.
                if (machine.CanFire(move.Event, out var reasons) || move.Event.Trigger == CaseTrigger.Defer)
                {
                    permitted.Add(new PermittedTrigger(move.Event.Trigger, move.Event.Step, move.Roles));
                }
                else if (move.Event.Step is not { } step || !current.IsComplete(step))
                {
                    // A step already done is history, not something waiting.
                    blocked.Add(new BlockedTrigger(move.Event.Trigger, move.Event.Step, move.Roles, reasons));
                }
            }

            return new CaseStatus
            {
                Case = current,
                At = when,
                Permitted = permitted,
                Blocked = blocked,
                Outstanding = current.Plan.Steps.Where(s => !current.IsComplete(s.Id)).Select(s => s.Id).ToList(),
                CallInCloses = moves.CallInCloses,
            };
        }

        /// <summary>
        /// Fires a trigger. Accepted: the new state and the audit entry commit together. Refused (a well-formed request
        /// the rules do not allow now): the case is unchanged, the refusal is audited, and
        /// <see cref="FireOutcome.Reasons"/> says why. A malformed request throws and is not audited.
        /// </summary>
        /// <exception cref="CaseNotFoundException">No such case.</exception>
        /// <exception cref="InvalidTriggerException">
        /// A usage mistake, not audited: an unknown trigger, step or role; no step for CompleteStep or StartStep, or a
        /// step for another trigger; no new date for Defer, or a date for another trigger; a step StartStep cannot start;
        /// no actor name or no role; an actor name holding a control character or line break; a time or new decision
        /// date outside <see cref="SupportedDates"/>.
        /// </exception>
        /// <exception cref="CaseConflictException">
        /// Someone else changed the case meanwhile, or it is not at <see cref="TriggerRequest.ExpectedVersion"/>; reload and retry.
        /// </exception>
        public async Task<FireOutcome> FireAsync(string caseId, TriggerRequest request, CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(request);
            using var activity = CaseTelemetry.StartFire(caseId, request);
            var current = await LoadAsync(caseId, cancellationToken).ConfigureAwait(false);
            CheckUsage(current.Plan, request);

            // Checked before the rules are asked, so a request made on a stale view is neither fired nor audited as a refusal:
            // the refusal's reasons would describe a case the actor never saw.
            if (request.ExpectedVersion is { } expected && expected != current.Version)
            {
                throw new CaseConflictException(caseId, expected, current.Version);
            }

            var at = request.At ?? Now;
            var e = new CaseEvent(request.Trigger, TakesStep(request.Trigger) ? request.Step : null);
            var trigger = request.Trigger.ToString();

            var moves = new CaseMoves(current, _options.Calendar, _options.Roles, at, request.NewDecisionDate, latest: Now.Plus(Duration.FromTimeSpan(_options.FutureTolerance)));
            var machine = new CaseMachine(current.State, moves.All(), request.Actor);
            if (!machine.CanFire(e, out var reasons))
            {
                var refused = await RefuseAsync(current, request, at, reasons, cancellationToken).ConfigureAwait(false);
                CaseTelemetry.Refused(_options.Logger, activity, refused.Audit);
                return refused;
            }

            machine.Fire(e);
            var (updated, detail) = Apply(current, request, at, machine.State);
            var entry = Entry(current, trigger, e.Step, request.Actor, at, updated.State, accepted: true, detail);
            AuditEntry saved;
            try
            {
                saved = await _store.SaveAsync(updated, current.Version, entry, cancellationToken).ConfigureAwait(false);
            }
            catch (CaseConflictException)
            {
                CaseTelemetry.Conflict(_options.Logger, activity, entry, current.Version);
                throw;
            }

            CaseTelemetry.Accepted(_options.Logger, activity, saved);
            return new FireOutcome(true, updated, Array.Empty<string>(), saved);
        }

        /// <summary>The case's audit entries, oldest first.</summary>
        public async Task<IReadOnlyList<AuditEntry>> HistoryAsync(string caseId, CancellationToken cancellationToken = default)
        {
            await LoadAsync(caseId, cancellationToken).ConfigureAwait(false);
            return await _store.HistoryAsync(caseId, cancellationToken).ConfigureAwait(false);
        }

        /// <summary>
        /// The case's state machine as a Mermaid or DOT graph, drawn from the state the case is in: that state is the
        /// initial one and highlighted, and only the states and transitions still reachable from it are drawn.
        /// </summary>
        public async Task<string> GraphAsync(string caseId, GraphFormat format, CancellationToken cancellationToken = default)
        {
            var current = await LoadAsync(caseId, cancellationToken).ConfigureAwait(false);
            var moves = new CaseMoves(current, _options.Calendar, _options.Roles, Now, newDecisionDate: null).All();
            var ahead = CaseGraph.Ahead(current, moves);
            var machine = new CaseMachine(current.State, ahead, actor: null, guarded: false, onlyStatesOf: true);
            return CaseGraph.Format(machine.Info, current.State, format);
        }

        private static bool TakesStep(CaseTrigger trigger) => trigger is CaseTrigger.CompleteStep or CaseTrigger.StartStep;

        /// <summary>Usage mistakes: thrown, not audited, because the rules were never asked.</summary>
        private void CheckUsage(CasePlan plan, TriggerRequest request)
        {
            if (!Enum.IsDefined(request.Trigger))
            {
                throw new InvalidTriggerException($"{(int)request.Trigger} is not a trigger; use one of {string.Join(", ", Enum.GetNames<CaseTrigger>())}", nameof(request));
            }

            if (string.IsNullOrWhiteSpace(request.Actor.Name))
            {
                throw new InvalidTriggerException("Name who is acting", nameof(request));
            }

            RefuseControlCharacters(request.Actor.Name, "The actor's name", nameof(request));

            var known = plan.Steps.SelectMany(s => s.Roles).Concat(_options.Roles.All()).Distinct(StringComparer.Ordinal).ToList();
            if (request.Actor.Roles.Count == 0)
            {
                throw new InvalidTriggerException($"Give the role {request.Actor.Name} acts in: one of {string.Join(", ", known)}", nameof(request));
            }

            foreach (var role in request.Actor.Roles.Where(r => !known.Contains(r, StringComparer.Ordinal)))
            {
                throw new InvalidTriggerException($"'{role}' is not a role anyone holds in this case{Diagnostics.NameSuggestions.DidYouMean(role, known)}", nameof(request));
            }

            var startable = plan.Steps.Where(s => s.RunsFromItsStart).Select(s => s.Id).ToList();
            if (TakesStep(request.Trigger))
            {
                var candidates = request.Trigger == CaseTrigger.StartStep ? startable : plan.Steps.Where(s => s.Kind != StepKind.CallIn).Select(s => s.Id).ToList();
                var verb = CaseMoves.Verb(request.Trigger);
                if (string.IsNullOrWhiteSpace(request.Step))
                {
                    throw new InvalidTriggerException(
                        candidates.Count == 0 ? $"No step of this case's plan can be {verb}ed with {request.Trigger}" : $"Name the step to {verb}: one of {string.Join(", ", candidates)}",
                        nameof(request));
                }

                if (plan.Find(request.Step) is not { } step)
                {
                    throw new InvalidTriggerException($"'{request.Step}' is not a step of this case's plan{Diagnostics.NameSuggestions.DidYouMean(request.Step, plan.Steps.Select(s => s.Id))}", nameof(request));
                }

                if (!candidates.Contains(step.Id, StringComparer.Ordinal))
                {
                    throw new InvalidTriggerException(
                        request.Trigger == CaseTrigger.StartStep
                            ? $"'{step.Id}' has no period running from its start, so there is no start to record; complete it with CompleteStep{(startable.Count == 0 ? string.Empty : $" (steps that can be started: {string.Join(", ", startable)})")}"
                            : $"'{step.Id}' is not completed by hand: the call-in period ends with EndCallInPeriod, NoFurtherAction or ConfirmDecision",
                        nameof(request));
                }
            }
            else if (request.Step is not null)
            {
                throw new InvalidTriggerException($"{request.Trigger} takes no step; a step is named only for CompleteStep and StartStep", nameof(request));
            }

            // Out-of-range dates are usage mistakes, refused before anything is stored: once in a case, every later date
            // derived from them (call-in windows, periods) would overflow the calendar.
            if (request.At is { } at && !SupportedDates.Contains(at))
            {
                throw new InvalidTriggerException(SupportedDates.OutOfRange("The time it happened,", at.ToString("g", CultureInfo.InvariantCulture)), nameof(request));
            }

            if (request.NewDecisionDate is { } newDate && !SupportedDates.Contains(newDate))
            {
                throw new InvalidTriggerException(SupportedDates.OutOfRange("The new decision date", NodaTime.Text.LocalDatePattern.Iso.Format(newDate)), nameof(request));
            }

            if (request.Trigger == CaseTrigger.Defer && request.NewDecisionDate is null)
            {
                throw new InvalidTriggerException("Give the new intended decision date for Defer", nameof(request));
            }

            if (request.Trigger != CaseTrigger.Defer && request.NewDecisionDate is not null)
            {
                throw new InvalidTriggerException($"{request.Trigger} takes no new decision date; only Defer does", nameof(request));
            }

            if (request.DecisionRecord is { } record)
            {
                CheckDecisionRecord(plan, request, record);
            }
        }

        /// <summary>
        /// A decision record goes only with the trigger that makes (or remakes) the decision, and must be one JSON object:
        /// given with any other trigger it would be kept as the record of a decision nobody made then.
        /// </summary>
        private static void CheckDecisionRecord(CasePlan plan, TriggerRequest request, string record)
        {
            var decides = request.Trigger is CaseTrigger.Reject or CaseTrigger.ConfirmDecision
                || (request.Trigger == CaseTrigger.CompleteStep && plan.DecisionStep is { } decisionStep && string.Equals(request.Step, decisionStep, StringComparison.Ordinal));
            if (!decides)
            {
                throw new InvalidTriggerException(
                    $"A decision record goes with the trigger that makes the decision: CompleteStep {plan.DecisionStep ?? "(the plan has no decision step)"}, Reject or ConfirmDecision; not {request.Trigger}{(request.Step is { } step ? " " + step : string.Empty)}",
                    nameof(request));
            }

            if (record.Length > CaseDecisionRecord.MaxTextLength)
            {
                throw new InvalidTriggerException($"The decision record is {record.Length} characters; at most {CaseDecisionRecord.MaxTextLength} are kept", nameof(request));
            }

            try
            {
                using var document = System.Text.Json.JsonDocument.Parse(record);
                if (document.RootElement.ValueKind != System.Text.Json.JsonValueKind.Object)
                {
                    throw new InvalidTriggerException($"The decision record must be a JSON object, not {document.RootElement.ValueKind}", nameof(request));
                }
            }
            catch (System.Text.Json.JsonException e)
            {
                throw new InvalidTriggerException($"The decision record is not JSON: {e.Message}", nameof(request));
            }
        }

        /// <summary>
        /// Names go into the audit trail and every history and status line: one holding a line feed or other control
        /// character would print as a forged line for good, so it is refused before anything is stored.
        /// </summary>
        private static void RefuseControlCharacters(string name, string what, string parameter)
        {
            if (UnsafeCharacters.NameProblem(name, what) is { } problem)
            {
                throw new InvalidTriggerException(problem, parameter);
            }
        }

        /// <summary>Now by the options' clock, refused (before anything is stored) when it is outside the supported range.</summary>
        private Instant Now => Calendar.GovernanceCalendar.SupportedNow(_options.Clock, "LifecycleOptions.Clock");

        private async Task<ProposalCase> LoadAsync(string caseId, CancellationToken cancellationToken)
        {
            ArgumentNullException.ThrowIfNull(caseId);
            return await _store.FindAsync(caseId, cancellationToken).ConfigureAwait(false) ?? throw new CaseNotFoundException(caseId);
        }

        private async Task<FireOutcome> RefuseAsync(ProposalCase current, TriggerRequest request, Instant at, IReadOnlyList<string> reasons, CancellationToken cancellationToken)
        {
            var entry = Entry(current, request.Trigger.ToString(), request.Step, request.Actor, at, current.State, accepted: false, string.Join("; ", reasons));
            var saved = await _store.AppendAsync(entry, cancellationToken).ConfigureAwait(false);
            return new FireOutcome(false, current, reasons, saved);
        }

        /// <summary>What an accepted trigger records on the case besides its new state.</summary>
        private static (ProposalCase Updated, string? Detail) Apply(ProposalCase current, TriggerRequest request, Instant at, CaseState state)
        {
            var completed = new Dictionary<string, StepCompletion>(current.Completed, StringComparer.Ordinal);
            var updated = current with { State = state, Version = current.Version + 1 };
            string? detail = null;
            var plan = current.Plan;
            var done = new StepCompletion(at, request.Actor.Name);
            switch (request.Trigger)
            {
                case CaseTrigger.Start:
                    updated = updated with { StartedAt = at };
                    break;
                case CaseTrigger.StartStep:
                    var started = new Dictionary<string, StepCompletion>(current.Started, StringComparer.Ordinal) { [request.Step!] = done };
                    updated = updated with { Started = started };
                    detail = plan.Find(request.Step!)?.Duration is { } period ? $"Started; runs for {period}" : "Started";
                    break;
                case CaseTrigger.CompleteStep:
                    completed[request.Step!] = done;
                    if (request.Step == plan.DecisionStep)
                    {
                        updated = updated with { DecidedAt = at };
                    }

                    if (request.Step == plan.CallInExemption?.Id && plan.CallIn is { } callIn)
                    {
                        // Exempt from call-in: the period no longer holds up the steps after it.
                        completed[callIn.Id] = done with { By = $"{request.Actor.Name} (exempt from call-in)" };
                        detail = "The decision is exempt from call-in as urgent";
                    }

                    break;
                case CaseTrigger.Defer:
                    updated = updated with { DecisionDate = request.NewDecisionDate!.Value };
                    detail = $"Decision deferred from {LocalDatePattern.Iso.Format(current.DecisionDate)} to {LocalDatePattern.Iso.Format(request.NewDecisionDate!.Value)}";
                    break;
                case CaseTrigger.ReferBack:
                    updated = updated with { Reconsidered = true };
                    break;
                case CaseTrigger.EndCallInPeriod or CaseTrigger.NoFurtherAction or CaseTrigger.ConfirmDecision:
                    if (plan.CallIn is { } window)
                    {
                        completed[window.Id] = done;
                    }

                    break;
            }

            if (request.DecisionRecord is { } text)
            {
                // Kept with the case (so every later entry's document hash covers it) and named by hash in this entry.
                var record = new CaseDecisionRecord(request.Trigger.ToString(), at, request.Actor.Name, AuditEntry.HashDocument(text), text);
                updated = updated with { DecisionRecords = [.. current.DecisionRecords, record] };
                detail = detail is null ? record.Detail : $"{detail}; {record.Detail}";
            }

                        return (updated with { Completed = completed }, detail);
        }

        private AuditEntry Entry(ProposalCase proposalCase, string trigger, string? step, Actor actor, Instant at, CaseState to, bool accepted, string? detail) => new()
        {
            CaseId = proposalCase.Id,
            At = at,
            RecordedAt = Now,
            Actor = actor.Name,
            Roles = string.Join(",", actor.Roles),
            Trigger = trigger,
            Step = step,
            From = proposalCase.State,
            To = to,
            Accepted = accepted,
            Detail = detail,
            RuleSetHash = proposalCase.Plan.RuleSetHash,
        };
    }
}
