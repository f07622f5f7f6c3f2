using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DecisionRouting.Lifecycle.Graph;
using DecisionRouting.Routing;
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
        private readonly IProposalStore store;
        private readonly LifecycleOptions options;

        /// <summary>A lifecycle over <paramref name="store"/>.</summary>
        public ProposalLifecycle(IProposalStore store, LifecycleOptions? options = null)
        {
            this.store = store ?? throw new ArgumentNullException(nameof(store));
            this.options = options ?? new LifecycleOptions();
        }

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
        public async Task<ProposalCase> CreateAsync(CasePlan plan, Actor actor, string? caseId = null, CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(plan);
            ArgumentNullException.ThrowIfNull(actor);
            if (!plan.IsComplete && string.IsNullOrWhiteSpace(plan.IncompleteAcceptedReason))
            {
                throw new IncompletePlanException(plan.ProposalId, plan.Incomplete);
            }

            var created = ProposalCase.For(plan, caseId);
            var detail = $"Plan from rule set '{plan.RuleSetName}' with {plan.Steps.Count} steps";
            if (!plan.IsComplete)
            {
                detail += $"; INCOMPLETE plan accepted by {actor.Name}, reason: {plan.IncompleteAcceptedReason}; gaps: {string.Join("; ", plan.Incomplete)}";
            }

            var entry = Entry(created, "Create", null, actor, Now, CaseState.Draft, accepted: true, detail);
            await store.CreateAsync(created, entry, cancellationToken).ConfigureAwait(false);
            return created;
        }

        /// <summary>The case, what may be fired now (and by which roles) and what is blocked and why.</summary>
        /// <exception cref="CaseNotFoundException">No such case.</exception>
        public async Task<CaseStatus> StatusAsync(string caseId, Instant? at = null, CancellationToken cancellationToken = default)
        {
            var current = await LoadAsync(caseId, cancellationToken).ConfigureAwait(false);
            var when = at ?? Now;
            var moves = new CaseMoves(current, options.Calendar, options.Roles, when, newDecisionDate: null);
            var machine = new CaseMachine(current.State, moves.All(), actor: null);
            var permitted = new List<PermittedTrigger>();
            var blocked = new List<BlockedTrigger>();
            foreach (var move in machine.FromHere)
            {
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
        /// Fires a trigger. Accepted: the new state and the audit entry commit together. Refused: the case is unchanged,
        /// the refusal is audited, and <see cref="FireOutcome.Reasons"/> says why.
        /// </summary>
        /// <exception cref="CaseNotFoundException">No such case.</exception>
        /// <exception cref="CaseConflictException">Someone else changed the case meanwhile; reload and retry.</exception>
        public async Task<FireOutcome> FireAsync(string caseId, TriggerRequest request, CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(request);
            var current = await LoadAsync(caseId, cancellationToken).ConfigureAwait(false);
            var at = request.At ?? Now;
            var e = new CaseEvent(request.Trigger, request.Trigger == CaseTrigger.CompleteStep ? request.Step : null);
            var trigger = request.Trigger.ToString();
            if (request.Trigger == CaseTrigger.CompleteStep && string.IsNullOrWhiteSpace(request.Step))
            {
                return await RefuseAsync(current, request, at, new[] { "Name the step to complete" }, cancellationToken).ConfigureAwait(false);
            }

            var moves = new CaseMoves(current, options.Calendar, options.Roles, at, request.NewDecisionDate);
            var machine = new CaseMachine(current.State, moves.All(), request.Actor);
            if (!machine.CanFire(e, out var reasons))
            {
                return await RefuseAsync(current, request, at, reasons, cancellationToken).ConfigureAwait(false);
            }

            machine.Fire(e);
            var (updated, detail) = Apply(current, request, at, machine.State);
            var entry = Entry(current, trigger, e.Step, request.Actor, at, updated.State, accepted: true, detail);
            var saved = await store.SaveAsync(updated, current.Version, entry, cancellationToken).ConfigureAwait(false);
            return new FireOutcome(true, updated, Array.Empty<string>(), saved);
        }

        /// <summary>The case's audit entries, oldest first.</summary>
        public async Task<IReadOnlyList<AuditEntry>> HistoryAsync(string caseId, CancellationToken cancellationToken = default)
        {
            await LoadAsync(caseId, cancellationToken).ConfigureAwait(false);
            return await store.HistoryAsync(caseId, cancellationToken).ConfigureAwait(false);
        }

        /// <summary>The case's state machine as a Mermaid or DOT graph, with its current state highlighted.</summary>
        public async Task<string> GraphAsync(string caseId, CaseGraphFormat format, CancellationToken cancellationToken = default)
        {
            var current = await LoadAsync(caseId, cancellationToken).ConfigureAwait(false);
            var moves = new CaseMoves(current, options.Calendar, options.Roles, Now, newDecisionDate: null);
            var machine = new CaseMachine(current.State, moves.All(), actor: null, guarded: false);
            return CaseGraph.Format(machine.Info, current.State, format);
        }

        private Instant Now => Instant.FromDateTimeOffset(options.Clock.GetUtcNow());

        private async Task<ProposalCase> LoadAsync(string caseId, CancellationToken cancellationToken)
        {
            ArgumentNullException.ThrowIfNull(caseId);
            return await store.FindAsync(caseId, cancellationToken).ConfigureAwait(false) ?? throw new CaseNotFoundException(caseId);
        }

        private async Task<FireOutcome> RefuseAsync(ProposalCase current, TriggerRequest request, Instant at, IReadOnlyList<string> reasons, CancellationToken cancellationToken)
        {
            var entry = Entry(current, request.Trigger.ToString(), request.Step, request.Actor, at, current.State, accepted: false, string.Join("; ", reasons));
            var saved = await store.AppendAsync(entry, cancellationToken).ConfigureAwait(false);
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
