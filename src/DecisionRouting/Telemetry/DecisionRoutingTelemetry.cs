using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace DecisionRouting.Telemetry
{
    /// <summary>
    /// The names of DecisionRouting's traces and metrics, in one place: one <see cref="ActivitySource"/> and one
    /// <see cref="Meter"/>, both named <see cref="Name"/>. Listen with <c>AddSource("DecisionRouting")</c> and
    /// <c>AddMeter("DecisionRouting")</c> in OpenTelemetry, or a <see cref="MeterListener"/>/<see cref="ActivityListener"/>;
    /// with no listener they cost next to nothing. Every instrument, unit and tag is described in docs/observability.md.
    /// </summary>
    public static class DecisionRoutingTelemetry
    {
        /// <summary>The name of the activity source and of the meter: <c>DecisionRouting</c>.</summary>
        public const string Name = "DecisionRouting";

        /// <summary>Activity for one <c>Router.Route</c> call.</summary>
        public const string RouteActivity = "DecisionRouting.Route";

        /// <summary>Activity for one <c>ProposalLifecycle.CreateAsync</c> call (a case created from a plan).</summary>
        public const string CreateCaseActivity = "DecisionRouting.CreateCase";

        /// <summary>Activity for one <c>ProposalLifecycle.FireAsync</c> call (a trigger fired on a case).</summary>
        public const string FireActivity = "DecisionRouting.Fire";

        /// <summary>Histogram, seconds (<c>s</c>): how long one route took, refused and failed routes included. Tags: <see cref="RuleSetTag"/>, <see cref="OutcomeTag"/> (<c>complete</c>, <c>incomplete</c>, <c>refused</c>, <c>failed</c>).</summary>
        public const string RouteDuration = "decision_routing.route.duration";

        /// <summary>Histogram, rules (<c>{rule}</c>): how many rules one routed plan matched. Tags: <see cref="RuleSetTag"/>.</summary>
        public const string RulesMatched = "decision_routing.route.rules_matched";

        /// <summary>Counter, plans (<c>{plan}</c>): plans routed incomplete (a rule undecided or not evaluated). Tags: <see cref="RuleSetTag"/>.</summary>
        public const string IncompletePlans = "decision_routing.route.incomplete_plans";

        /// <summary>Counter, transitions (<c>{transition}</c>): triggers fired on cases and cases created. Tags: <see cref="TriggerTag"/>, <see cref="OutcomeTag"/> (<c>accepted</c>, <c>refused</c>, <c>conflict</c>).</summary>
        public const string Transitions = "decision_routing.case.transitions";

        /// <summary>Counter, entries (<c>{entry}</c>): audit entries the store committed. Tags: <see cref="TriggerTag"/>, <see cref="OutcomeTag"/> (<c>accepted</c>, <c>refused</c>).</summary>
        public const string AuditAppends = "decision_routing.audit.appends";

        /// <summary>Counter, reloads (<c>{reload}</c>): reloads of a watched rule set. Tags: <see cref="RuleSetTag"/>, <see cref="OutcomeTag"/> (<c>accepted</c>; the failures <c>rejected</c>, an edit that does not validate, and <c>faulted</c>, a reload that threw).</summary>
        public const string Reloads = "decision_routing.rule_set.reloads";

        /// <summary>Tag: the rule set's name (from <c>ruleset.json</c>, or its folder).</summary>
        public const string RuleSetTag = "decision_routing.rule_set";

        /// <summary>Tag: how the operation ended; the values are listed with each instrument.</summary>
        public const string OutcomeTag = "decision_routing.outcome";

        /// <summary>Tag: the trigger fired (a <c>CaseTrigger</c> name, or <c>Create</c>).</summary>
        public const string TriggerTag = "decision_routing.trigger";

        /// <summary>Activity tag only (unbounded): the proposal's id.</summary>
        public const string ProposalIdTag = "decision_routing.proposal.id";

        /// <summary>Activity tag only (unbounded): the case's id.</summary>
        public const string CaseIdTag = "decision_routing.case.id";

        /// <summary>Activity tag only: the step a trigger names.</summary>
        public const string StepTag = "decision_routing.step";

        /// <summary>Activity tag only: the SHA-256 of the rule set that routed the plan.</summary>
        public const string RuleSetHashTag = "decision_routing.rule_set.hash";

        /// <summary>Tag (OpenTelemetry's <c>error.type</c>): the exception type's full name when an operation failed.</summary>
        public const string ErrorTypeTag = "error.type";
    }
}
