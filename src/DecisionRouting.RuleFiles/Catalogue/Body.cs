using NodaTime;

namespace DecisionRouting
{
    /// <summary>A body that decides, recommends or is consulted, with the dates it exists.</summary>
    /// <param name="Id">The id rule files use, e.g. <c>ccg-governing-body</c>.</param>
    /// <param name="Name">The name officers use.</param>
    /// <param name="Kind">What kind of body it is.</param>
    /// <param name="ExistsFrom">First day it exists, or null if it always has.</param>
    /// <param name="ExistsUntil">Last day it exists, or null if it still does.</param>
    /// <param name="Source">The legal or constitutional basis, if cited.</param>
    public sealed record Body(string Id, string Name, BodyKind Kind, LocalDate? ExistsFrom, LocalDate? ExistsUntil, string? Source)
    {
        /// <summary>Whether the body exists on <paramref name="date"/>.</summary>
        public bool ExistsOn(LocalDate date) =>
            (ExistsFrom is null || date >= ExistsFrom.Value) && (ExistsUntil is null || date <= ExistsUntil.Value);
    }
}
