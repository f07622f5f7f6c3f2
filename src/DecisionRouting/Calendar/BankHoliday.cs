using NodaTime;

namespace DecisionRouting.Calendar
{
    /// <summary>A bank holiday in England and Wales.</summary>
    /// <param name="Date">The day it is kept (a substitute day when the holiday itself falls at a weekend).</param>
    /// <param name="Title">Its name, e.g. "Boxing Day" or "Royal wedding".</param>
    public sealed record BankHoliday(LocalDate Date, string Title);
}
