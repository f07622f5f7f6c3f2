using System.Collections.Generic;

namespace DecisionRouting.Routing
{
    /// <summary>A step the proposal must pass, placed in the plan's order.</summary>
    /// <param name="Step">The step from the catalogue.</param>
    /// <param name="Body">The body that performs it, if a body does.</param>
    /// <param name="Role">The role that performs it, if an officer does.</param>
    /// <param name="Stage">Its stage, from 1: steps in one stage can run in parallel once earlier stages are done.</param>
    /// <param name="After">The required steps it must follow directly (implied orderings omitted).</param>
    /// <param name="RequiredBy">The matched rules that require it.</param>
    public sealed record PlannedStep(Step Step, Body? Body, Role? Role, int Stage, IReadOnlyList<string> After, IReadOnlyList<MatchedRule> RequiredBy)
    {
        private readonly IReadOnlyList<MatchedRule>? _requiredBy = RequiredBy;
        private readonly RequiredByTable? _table;
        private readonly int _position;

        /// <summary>A step whose <see cref="RequiredBy"/> is position <paramref name="position"/> of a plan's table, built when first read.</summary>
        internal PlannedStep(Step step, Body? body, Role? role, int stage, IReadOnlyList<string> after, RequiredByTable table, int position)
            : this(step, body, role, stage, after, RequiredBy: null!)
        {
            _table = table;
            _position = position;
        }

        /// <summary>The matched rules that require it, in the plan's order of matched rules (a rule listing the step twice is listed twice).</summary>
        public IReadOnlyList<MatchedRule> RequiredBy
        {
            get => _requiredBy ?? _table!.For(_position);
            init => (_requiredBy, _table) = (value, null);
        }

        /// <summary>When the step can or must happen; null when nothing fixes its date.</summary>
        public StepTiming? Timing { get; init; }

        /// <summary>The step's id.</summary>
        public string Id => Step.Id;
    }
}
