using System;
using System.Linq.Expressions;
using System.Reflection;
using System.Runtime.CompilerServices;
using DecisionRouting.Routing;

namespace DecisionRouting.Evaluation
{
    /// <summary>
    /// Keeps evaluation within its time budget while it runs, and keeps host faults from being read as rule outcomes.
    /// The static cost bound (<see cref="Expressions.ExpressionCost"/>) caps what any rule set that loads can cost; this
    /// is the second line: compiled expressions call <see cref="Tick"/> on entering every lambda and before every
    /// parameter and rule, and it stops evaluation by throwing once the deadline passes, instead of finding out after.
    /// Out-of-memory and out-of-stack are faults: the compiled path's catch blocks let them through (an exception
    /// filter), and RulesEngine, which catches everything itself, is watched through first-chance exceptions on the
    /// routing thread, so a fault it swallows still aborts routing.
    /// </summary>
    internal static class EvaluationGuard
    {
        private const int TicksBetweenClockReads = 256;

        [ThreadStatic]
        private static Context? _context;

        [ThreadStatic]
        private static int _countdown;

        /// <summary>A context no scope uses, kept for this thread's next scope: guarding allocates nothing.</summary>
        [ThreadStatic]
        private static Context? _spare;

        static EvaluationGuard()
        {
            // First-chance notifications run on the throwing thread, so only the routing thread's own faults are recorded.
            AppDomain.CurrentDomain.FirstChanceException += (_, e) =>
            {
                if (_context is { } context && HostFaults.IsFault(e.Exception))
                {
                    context.Fault ??= e.Exception;
                }
            };
        }

        /// <summary>The method compiled expressions call; it throws when the budget is spent.</summary>
        public static MethodInfo TickMethod { get; } = typeof(EvaluationGuard).GetMethod(nameof(Tick))!;

        /// <summary>The filter for compiled catch blocks: catch a rule's error, never a fault.</summary>
        public static MethodInfo IsNotFaultMethod { get; } = typeof(EvaluationGuard).GetMethod(nameof(IsNotFault))!;

        /// <summary>Whether the exception is a rule's own error (the compiled catch blocks catch only these).</summary>
        public static bool IsNotFault(Exception exception) => !HostFaults.IsFault(exception);

        /// <summary>Starts guarding evaluation on this thread until the returned scope is disposed.</summary>
        /// <remarks><paramref name="explaining"/> names the step being explained, so the errors say explaining stopped, not routing.</remarks>
        public static Scope Enter(string proposalId, string ruleSet, TimeProvider clock, TimeSpan budget, long started, string? explaining = null)
        {
            var previous = _context;
            var context = _spare ?? new Context();
            _spare = null;
            context.Start(proposalId, ruleSet, clock, budget, started, explaining);
            _context = context;
            _countdown = 0;
            return new Scope(previous, context);
        }

        /// <summary>
        /// <see cref="Run{T}"/> for a body that returns nothing and takes its state as an argument, so a static lambda
        /// serves: evaluating a proposal allocates no closure (<see cref="RuleSets.RuleSet.Match(Proposals.Proposal, RuleMatches)"/>).
        /// </summary>
        public static void RunWithState<TState>(string proposalId, string ruleSet, TimeProvider clock, TimeSpan budget, long started, TState state, Action<TState> body)
        {
            using (Enter(proposalId, ruleSet, clock, budget, started))
            {
                try
                {
                    body(state);
                }
                catch (Exception e) when (HostFaults.IsFault(e) && e is not RoutingTimeBudgetExceededException and not RoutingFaultException)
                {
                    throw Wrap(e);
                }
            }
        }

        /// <summary>
        /// Runs <paramref name="body"/> guarded: within the budget from <paramref name="started"/> (a timestamp of
        /// <paramref name="clock"/>), with a fault of the host (out of memory or stack), however wrapped, raised as
        /// <see cref="RoutingFaultException"/> and never read as a rule's outcome. Routing and explaining share it.
        /// </summary>
        public static T Run<T>(string proposalId, string ruleSet, TimeProvider clock, TimeSpan budget, long started, Func<T> body, string? explaining = null)
        {
            using (Enter(proposalId, ruleSet, clock, budget, started, explaining))
            {
                try
                {
                    return body();
                }
                catch (Exception e) when (HostFaults.IsFault(e) && e is not RoutingTimeBudgetExceededException and not RoutingFaultException)
                {
                    // Out of memory or stack: never a rule outcome, never a plan missing a step.
                    throw Wrap(e);
                }
            }
        }

        /// <summary>Names the workflow being evaluated, for messages.</summary>
        public static void InWorkflow(string workflow)
        {
            if (_context is { } context)
            {
                context.Workflow = workflow;
            }
        }

        /// <summary>Called from compiled expressions: reads the clock every few calls and stops evaluation past the deadline.</summary>
        public static void Tick()
        {
            if (--_countdown > 0 || _context is not { } context)
            {
                return;
            }

            _countdown = TicksBetweenClockReads;
            RuntimeHelpers.EnsureSufficientExecutionStack();
            context.CheckBudget();
        }

        /// <summary>Throws the budget error when the deadline has passed (between workflows, and on the RulesEngine path).</summary>
        public static void CheckBudget() => _context?.CheckBudget();

        /// <summary>Throws <see cref="RoutingFaultException"/> (or the budget error) when a fault was swallowed since the scope began.</summary>
        public static void ThrowIfFaulted()
        {
            if (_context is { Fault: { } fault } context)
            {
                throw context.Wrap(fault);
            }
        }

        /// <summary>The error to raise for a fault that reached the router.</summary>
        public static Exception Wrap(Exception fault) => _context?.Wrap(fault) ?? fault;

        /// <summary>Every lambda in the tree (each list operation's per-entry function) ticks on entry.</summary>
        public static Expression Instrument(Expression expression) => new Ticker().Visit(expression);

        private sealed class Ticker : ExpressionVisitor
        {
            protected override Expression VisitLambda<T>(Expression<T> node)
            {
                var body = Visit(node.Body);
                return Expression.Lambda<T>(Expression.Block(node.Body.Type, Expression.Call(TickMethod), body), node.Name, node.TailCall, node.Parameters);
            }
        }

        /// <summary>Ends the guard.</summary>
        public readonly struct Scope : IDisposable
        {
            private readonly Context? _previous;
            private readonly Context? _owned;

            internal Scope(Context? previous, Context context)
            {
                _previous = previous;
                _owned = context;
            }

            /// <summary>Restores the guard that was in force before, and keeps this one's context for the thread's next scope.</summary>
            public void Dispose()
            {
                EvaluationGuard._context = _previous;
                if (_owned is not null)
                {
                    _owned.Start(string.Empty, string.Empty, TimeProvider.System, TimeSpan.Zero, 0, null);
                    _spare = _owned;
                }
            }
        }

        internal sealed class Context
        {
            private string _proposalId = string.Empty;
            private string _ruleSet = string.Empty;
            private TimeProvider _clock = TimeProvider.System;
            private TimeSpan _budget;
            private long _started;
            private string? _explaining;

            /// <summary>Begins guarding one evaluation: what it is of, and its budget from <paramref name="started"/>.</summary>
            public void Start(string proposalId, string ruleSet, TimeProvider clock, TimeSpan budget, long started, string? explaining)
            {
                _explaining = explaining;
                _proposalId = proposalId;
                _ruleSet = ruleSet;
                _clock = clock;
                _budget = budget;
                _started = started;
                Workflow = string.Empty;
                Fault = null;
            }

            public string Workflow { get; set; } = string.Empty;

            public Exception? Fault { get; set; }

            public void CheckBudget()
            {
                var elapsed = _clock.GetElapsedTime(_started);
                if (elapsed > _budget)
                {
                    throw new RoutingTimeBudgetExceededException(_proposalId, _ruleSet, _budget, elapsed, Workflow, _explaining);
                }
            }

            public Exception Wrap(Exception fault)
            {
                var cause = HostFaults.Cause(fault);
                return cause is RoutingTimeBudgetExceededException or RoutingFaultException ? cause : new RoutingFaultException(_proposalId, _ruleSet, Workflow, cause, _explaining);
            }
        }
    }
}
