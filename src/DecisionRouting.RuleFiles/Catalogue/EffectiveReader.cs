using DecisionRouting.Diagnostics;
using DecisionRouting.Json;
using DecisionRouting.Text;

namespace DecisionRouting.Catalogue
{
    /// <summary>Reads <c>"effective": { "from", "until", "on" }</c> on a rule's Properties or a catalogue step.</summary>
    internal static class EffectiveReader
    {
        /// <summary>
        /// The period, or null when absent or unreadable (with diagnostics). <c>on</c> is read only where
        /// <paramref name="allowOn"/> (rules); on a step it is an unknown property. An empty or reversed period is an
        /// error: a law in force for no day at all is a typo.
        /// </summary>
        public static EffectivePeriod? Read(ObjectReader owner, bool allowOn, string what, out JsonString? on, out SourceLocation? location)
        {
            on = null;
            location = null;
            var property = owner.Property("effective");
            if (property is null || property.Value.Kind == JsonKind.Null)
            {
                return null;
            }

            location = property.Value.Location;
            var reader = ObjectReader.For(property.Value, $"'effective' of {what}", "effective", owner.Diagnostics);
            if (reader is null)
            {
                return null;
            }

            var from = reader.Date("from");
            var until = reader.Date("until");
            if (allowOn)
            {
                on = reader.StringNode("on");
            }

            reader.Finish();
            if (reader.Object.Find("from") is null && reader.Object.Find("until") is null)
            {
                owner.Diagnostics.Report(DiagnosticDescriptors.InvalidValue, location, $"'effective' of {what} gives neither 'from' nor 'until'; leave it out for a rule or step always in force");
                return null;
            }

            if (from is not null && until is not null && until.Value <= from.Value)
            {
                owner.Diagnostics.Report(DiagnosticDescriptors.DateRangeBackwards, reader.Property("until")!.Value.Location, $"'effective' of {what} ends ({until:uuuu-MM-dd}, the first day no longer in force) on or before it begins ({from:uuuu-MM-dd}): 'until' is exclusive and must be after 'from'");
                return null;
            }

            return new EffectivePeriod(from, until, on?.Value);
        }
    }
}
