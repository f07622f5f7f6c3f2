using System;

namespace DecisionRouting.Text
{
    /// <summary>
    /// The placeholder <c>decision-routing new</c> writes where only the rule author can say what is true (a rule's
    /// <c>source</c> and <c>reason</c>). Every reader of authored text reports it as DR0091, an error, until it is
    /// replaced: a scaffold must never load, route or pass review as if it cited real law.
    /// </summary>
    internal static class Placeholder
    {
        /// <summary>The text every placeholder starts with.</summary>
        public const string Marker = "FILL IN:";

        /// <summary>Whether <paramref name="text"/> is (still) a placeholder: it starts with <see cref="Marker"/>, ignoring leading white space and case.</summary>
        /// <param name="text">An authored value as written in the file.</param>
        public static bool Holds(string? text) =>
            text is not null && text.TrimStart().StartsWith(Marker, StringComparison.OrdinalIgnoreCase);

        /// <summary>What to write instead, for the property <paramref name="property"/> (<c>source</c>, <c>reason</c>, <c>warning</c>).</summary>
        internal static string HowToFill(string property) => property switch
        {
            "source" => "cite the statute and section, regulation, or constitution and paragraph that requires this (and set \"verify\": true until it is checked against the primary text)",
            "reason" => "say in plain English why the steps are required",
            _ => "write the real text, or remove the property",
        };
    }
}
