namespace DecisionRouting.Routing
{
    /// <summary>
    /// A notice that can no longer be given in time for the intended decision date, and the urgency route the plan uses
    /// instead (general exception, then special urgency), as the catalogue's <c>ifImpracticable</c> chain says.
    /// </summary>
    /// <param name="Impracticable">The step whose period can no longer be met.</param>
    /// <param name="Instead">The step the plan requires in its place.</param>
    /// <param name="Reason">Why, with the dates, in plain English.</param>
    /// <param name="Requires">What the urgency route requires: the replacement step's name and description.</param>
    public sealed record UrgencyRoute(string Impracticable, string Instead, string Reason, string Requires);
}
