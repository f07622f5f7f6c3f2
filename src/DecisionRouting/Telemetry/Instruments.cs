using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Reflection;

namespace DecisionRouting.Telemetry
{
    /// <summary>
    /// The one activity source and meter, and every instrument on it. Static, as .NET's own libraries do: routers and
    /// lifecycles are created without a container, and a listener subscribes by name.
    /// </summary>
    internal static class Instruments
    {
        private static readonly string? Version = typeof(Instruments).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;

        internal static readonly ActivitySource Source = new(DecisionRoutingTelemetry.Name, Version);

        internal static readonly Meter Meter = new(DecisionRoutingTelemetry.Name, Version);

        internal static readonly Histogram<double> RouteDuration = Meter.CreateHistogram<double>(
            DecisionRoutingTelemetry.RouteDuration, "s", "How long one route took, refused and failed routes included");

        internal static readonly Histogram<int> RulesMatched = Meter.CreateHistogram<int>(
            DecisionRoutingTelemetry.RulesMatched, "{rule}", "How many rules one routed plan matched");

        internal static readonly Counter<long> IncompletePlans = Meter.CreateCounter<long>(
            DecisionRoutingTelemetry.IncompletePlans, "{plan}", "Plans routed incomplete: a rule undecided or not evaluated");

        internal static readonly Counter<long> Transitions = Meter.CreateCounter<long>(
            DecisionRoutingTelemetry.Transitions, "{transition}", "Triggers fired on cases, and cases created, by outcome");

        internal static readonly Counter<long> AuditAppends = Meter.CreateCounter<long>(
            DecisionRoutingTelemetry.AuditAppends, "{entry}", "Audit entries committed by the store");

        internal static readonly Counter<long> Reloads = Meter.CreateCounter<long>(
            DecisionRoutingTelemetry.Reloads, "{reload}", "Reloads of a watched rule set, by outcome");

        /// <summary>The outcome tag's values, as constants so every site spells them alike.</summary>
        internal static class Outcomes
        {
            internal const string Complete = "complete";
            internal const string Incomplete = "incomplete";
            internal const string Refused = "refused";
            internal const string Failed = "failed";
            internal const string Accepted = "accepted";
            internal const string Conflict = "conflict";
            internal const string Rejected = "rejected";
            internal const string Faulted = "faulted";
        }
    }
}
