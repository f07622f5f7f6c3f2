using System;
using System.Collections.Generic;
using System.Linq;
using DecisionRouting.Diagnostics;

namespace DecisionRouting.Lifecycle
{
    /// <summary>
    /// Reads a <see cref="CaseTrigger"/> from text typed by a person or sent by a program. A trigger is accepted by its
    /// name (<c>CompleteStep</c>) or by its words joined with hyphens (<c>complete-step</c>) or underscores
    /// (<c>complete_step</c>), ignoring case. Nothing else is accepted: no numbers, no spaces, no surrounding white space,
    /// no comma-separated lists (which <see cref="Enum.TryParse{TEnum}(string, bool, out TEnum)"/> would combine into
    /// another trigger), and no hyphens inside a word.
    /// </summary>
    public static class CaseTriggers
    {
        private static readonly CaseTrigger[] All = Enum.GetValues<CaseTrigger>();

        /// <summary>Every trigger in its hyphenated form, in declaration order: <c>start</c>, <c>complete-step</c>, ….</summary>
        public static IReadOnlyList<string> Names { get; } = All.Select(t => Hyphenated(t)).ToArray();

        /// <summary>The trigger's hyphenated form, as typed on the command line: <c>CompleteStep</c> → <c>complete-step</c>.</summary>
        public static string Hyphenated(this CaseTrigger trigger) =>
            string.Concat(trigger.ToString().Select((c, i) => char.IsUpper(c) && i > 0 ? "-" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));

        /// <summary>Reads a trigger, or returns false (see the class for what is accepted).</summary>
        /// <param name="text">The trigger's name or hyphenated form; null is not a trigger.</param>
        /// <param name="trigger">The trigger read, or <see cref="CaseTrigger.Start"/> when none was.</param>
        public static bool TryParse(string? text, out CaseTrigger trigger)
        {
            if (!string.IsNullOrEmpty(text))
            {
                foreach (var candidate in All)
                {
                    var hyphenated = Hyphenated(candidate);
                    if (string.Equals(text, candidate.ToString(), StringComparison.OrdinalIgnoreCase)
                        || string.Equals(text, hyphenated, StringComparison.OrdinalIgnoreCase)
                        || string.Equals(text, hyphenated.Replace('-', '_'), StringComparison.OrdinalIgnoreCase))
                    {
                        trigger = candidate;
                        return true;
                    }
                }
            }

            trigger = default;
            return false;
        }

        /// <summary>Reads a trigger (see the class for what is accepted).</summary>
        /// <param name="text">The trigger's name or hyphenated form.</param>
        /// <returns>The trigger.</returns>
        /// <exception cref="ArgumentNullException"><paramref name="text"/> is null.</exception>
        /// <exception cref="FormatException">
        /// <paramref name="text"/> is not a trigger. The message quotes it, suggests the nearest name when one is close,
        /// and lists every valid name: <c>'complet-step' is not a trigger; did you mean 'complete-step'? (triggers: start, complete-step, …)</c>.
        /// </exception>
        public static CaseTrigger Parse(string text)
        {
            ArgumentNullException.ThrowIfNull(text);
            return TryParse(text, out var trigger) ? trigger : throw new FormatException(NotATrigger(text));
        }

        /// <summary>Why <paramref name="text"/> is not a trigger, with the nearest name and the list of valid ones.</summary>
        internal static string NotATrigger(string text) =>
            $"'{text}' is not a trigger{NameSuggestions.DidYouMean(text, Names)} (triggers: {string.Join(", ", Names)})";
    }
}
