using System;
using System.Collections.Generic;
using System.Linq;
using DecisionRouting.Diagnostics;
using Stateless;

namespace DecisionRouting.Lifecycle
{
    /// <summary>
    /// A Stateless machine for one case and one request. Stateless is not thread-safe and has no parallel states, so the
    /// machine lives only for the request; parallel sign-offs are reentry transitions guarded on the stored completions.
    /// </summary>
    internal sealed class CaseMachine
    {
        private readonly StateMachine<CaseState, CaseEvent> _machine;
        private readonly IReadOnlyList<Move> _moves;
        private CaseState _state;

        public CaseMachine(CaseState current, IReadOnlyList<Move> moves, Actor? actor, bool guarded = true, bool onlyStatesOf = false)
        {
            _state = current;
            _moves = moves;
            _machine = new StateMachine<CaseState, CaseEvent>(() => _state, s => _state = s);
            foreach (var move in moves)
            {
                var guards = !guarded ? Array.Empty<Requirement>()
                    : actor is null ? move.Requirements
                    : move.Requirements.Prepend(CaseMoves.HoldsRole(actor, move)).ToList();
                var tuples = guards.Select(g => Tuple.Create(g.IsMet, g.Unmet)).ToArray();
                var configuration = _machine.Configure(move.From);
                if (move.To == move.From)
                {
                    if (tuples.Length == 0)
                    {
                        configuration.PermitReentry(move.Event);
                    }
                    else
                    {
                        configuration.PermitReentryIf(move.Event, tuples);
                    }
                }
                else if (tuples.Length == 0)
                {
                    configuration.Permit(move.Event, move.To);
                }
                else
                {
                    configuration.PermitIf(move.Event, move.To, tuples);
                }
            }

            // Every state the moves touch appears in the graph, including the ones nothing leaves; all of them unless
            // the moves were chosen (the graph drawn from the current state).
            var states = onlyStatesOf ? moves.SelectMany(m => new[] { m.From, m.To }).Append(current).Distinct() : Enum.GetValues<CaseState>();
            foreach (var terminal in states)
            {
                _machine.Configure(terminal);
            }
        }

        public CaseState State => _state;

        /// <summary>The moves configured from the current state.</summary>
        public IEnumerable<Move> FromHere => _moves.Where(m => m.From == _state);

        /// <summary>Whether the event may fire now, and if not why (the guard descriptions of unmet guards).</summary>
        public bool CanFire(CaseEvent e, out IReadOnlyList<string> reasons)
        {
            if (!FromHere.Any(m => m.Event == e))
            {
                reasons = new[] { NotFromHere(e) };
                return false;
            }

            var ok = _machine.CanFire(e, out var unmet);
            reasons = ok ? Array.Empty<string>() : unmet.ToList();
            return ok;
        }

        public void Fire(CaseEvent e) => _machine.Fire(e);

        public Stateless.Reflection.StateMachineInfo Info => _machine.GetInfo();

        private string NotFromHere(CaseEvent e)
        {
            if (e.Step is { } unknown && !_moves.Any(m => m.Event.Step == unknown))
            {
                var steps = _moves.Select(m => m.Event.Step).OfType<string>().Distinct();
                return $"'{unknown}' is not a step of this case's plan{NameSuggestions.DidYouMean(unknown, steps)}";
            }

            var possible = FromHere.Select(m => m.Event.Trigger).Distinct().Select(t => t.ToString()).ToList();
            var what = e.Step is { } step
                ? $"'{step}' cannot be {(e.Trigger == CaseTrigger.StartStep ? "started" : "completed")} while the case is {_state}"
                : $"{e.Trigger} is not possible while the case is {_state}";
            return possible.Count == 0
                ? $"{what}; nothing more can happen to it"
                : $"{what}; possible now: {string.Join(", ", possible)}";
        }
    }
}
