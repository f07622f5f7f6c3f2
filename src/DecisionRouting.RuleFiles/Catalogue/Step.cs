using System.Collections.Generic;

namespace DecisionRouting
{
    /// <summary>One thing that must happen on a decision's route: a consultation, sign-off, approval, notice …</summary>
    public sealed record Step
    {
        /// <summary>The id rule files use, e.g. <c>key-decision-notice</c>.</summary>
        public required string Id { get; init; }

        /// <summary>What officers call it.</summary>
        public required string Name { get; init; }

        /// <summary>What kind of step it is.</summary>
        public required StepKind Kind { get; init; }

        /// <summary>The body that performs it, if a body does.</summary>
        public string? Body { get; init; }

        /// <summary>The officer role that performs it, if an officer does.</summary>
        public string? Role { get; init; }

        /// <summary>The period it needs (notice or consultation length, call-in window), if any.</summary>
        public StepPeriod? Duration { get; init; }

        /// <summary>
        /// Steps that, when also required, must be complete before this one (catalogue <c>after</c>). On a step that
        /// replaces an inherited one this includes the inherited predecessors it did not drop explicitly.
        /// </summary>
        public IReadOnlyList<string> After { get; init; } = System.Array.Empty<string>();

        /// <summary>
        /// Steps that, when also required, may not be completed until this one is (catalogue <c>before</c>): the mirror
        /// of <see cref="After"/>, written on the earlier step. Ordering reads both through
        /// <c>RuleSetDefinition.Predecessors</c>.
        /// </summary>
        public IReadOnlyList<string> Before { get; init; } = System.Array.Empty<string>();

        /// <summary>
        /// For a period that is measured to an event outside the plan rather than to the decision (collective
        /// consultation ends before the first dismissal takes effect), that event in words. Saying so is what stops
        /// DR0042 warning that nothing ties the period to the decision.
        /// </summary>
        public string? PeriodEndsBefore { get; init; }

        /// <summary>
        /// The declared <c>date</c> attribute of the proposal that the period is counted back from (catalogue
        /// <c>periodEndsBeforeDate</c>), e.g. <c>firstDismissalDate</c> for HR1 or <c>transferDate</c> for employee
        /// liability information. The plan then gives the latest day to do the step so that the whole period lies
        /// before that date (HR1 at least 45 days before the first dismissal: that date minus 45 calendar days); a
        /// proposal without the date leaves the step undated and the plan warns. The attribute must be declared with
        /// type <c>date</c> (DR0047, DR0048) and the step must have a period that runs from its start (DR0049).
        /// </summary>
        public string? PeriodEndsBeforeDate { get; init; }

        /// <summary>
        /// The step that takes this one's place when its period can no longer be met before the intended decision date
        /// (the key-decision notice's general exception, whose own fallback is special urgency). On the call-in step it
        /// names the urgency exemption: when the plan requires it, completing it makes the decision effective at once.
        /// </summary>
        public string? IfImpracticable { get; init; }

        /// <summary>Steps expected to run side by side share a group (e.g. the officer sign-offs).</summary>
        public string? ParallelGroup { get; init; }

        /// <summary>The legal or constitutional basis of the step itself, if cited.</summary>
        public string? Source { get; init; }

        /// <summary>Further explanation for officers.</summary>
        public string? Description { get; init; }

        /// <summary>
        /// The period the step's law is in force for (<c>effective</c>; <see cref="EffectivePeriod.On"/> is always null),
        /// judged against the date of the rule that requires it. A plan warns when a rule requires a step that is not in
        /// force on that date, and the loader reports a dated rule whose period the step's does not cover (DR0053).
        /// </summary>
        public EffectivePeriod? Effective { get; init; }

        /// <summary>The day the step's source was last checked against the primary text (<c>checked</c>), if recorded.</summary>
        public NodaTime.LocalDate? Checked { get; init; }
    }
}
