using System;
using System.Linq;
using DecisionRouting.Diagnostics;
using DecisionRouting.Text;

namespace DecisionRouting.RuleSets
{
    /// <summary>
    /// What a rule-set folder or an <c>extends</c> value names: a path (the usual case, checked against the rule tree's
    /// root), a built-in baseline (<c>baseline:england</c>), or something written as a reference that names nothing.
    /// </summary>
    internal static class RuleSetReference
    {
        /// <summary>
        /// Reports what is wrong with <paramref name="written"/> at <paramref name="location"/> (DR0093 or DR0094) and
        /// returns true, or returns false when it is a path or a known baseline. <paramref name="subject"/> starts the
        /// message ("Rule set extends", "Rule-set folder"); <paramref name="suffix"/> ends it.
        /// </summary>
        public static bool Report(string written, string subject, SourceLocation location, string suffix, DiagnosticBag diagnostics)
        {
            if (RuleSetBaselines.Split(written) is { } split)
            {
                if (split.File is null && RuleSetBaselines.Files(split.Name) is not null)
                {
                    return false;
                }

                var names = RuleSetBaselines.Names;
                var guess = NameSuggestions.Closest(split.File is null ? split.Name.Trim() : split.Name, names);
                var hint = guess is null ? string.Empty : $"; did you mean '{RuleSetBaselines.Scheme}{guess}'?";
                var what = split.File is null
                    ? $"there is no built-in baseline named '{split.Name}'"
                    : split.File.Length == 0
                        ? "a baseline reference ends with the baseline's name, with no '/' after it"
                        : $"a baseline is named whole, with no folder or file after its name ('{split.File}')";
                diagnostics.Report(DiagnosticDescriptors.UnknownBaseline, location, subject, written, what, string.Join(", ", names.Select(n => RuleSetBaselines.Scheme + n)), hint, suffix);
                return true;
            }

            if (Scheme(written) is not { } scheme)
            {
                return false;
            }

            var advice = scheme.Equals("package", StringComparison.OrdinalIgnoreCase) || scheme.Equals("nuget", StringComparison.OrdinalIgnoreCase)
                ? $"the England baseline is built into the DecisionRouting package (there is no package to name): write \"{RuleSetBaselines.England}\""
                : NameSuggestions.Closest(scheme, new[] { "baseline" }) is not null
                    ? $"did you mean \"{RuleSetBaselines.Scheme}{NameSuggestions.Closest(written.Substring(scheme.Length + 1), RuleSetBaselines.Names) ?? written.Substring(scheme.Length + 1)}\"? (lower case, as written here)"
                    : $"only \"{RuleSetBaselines.Scheme}\" names a built-in rule set; name a folder by its path relative to this one (a folder whose name has a colon is written './{written}')";
            diagnostics.Report(DiagnosticDescriptors.UnknownReferenceScheme, location, subject, written, scheme, advice, suffix);
            return true;
        }

        /// <summary>Whether <paramref name="written"/> is a path or a known baseline, so the loader may be given it (nothing is reported).</summary>
        public static bool IsResolvable(string written) => !Report(written, string.Empty, SourceLocation.ForPath(written), string.Empty, new DiagnosticBag());

        /// <summary>
        /// The scheme of a value written as <c>word:…</c> (a letter, then letters, digits, '+', '-' or '.', at least two
        /// characters, so a drive letter such as <c>C:</c> is a path), or null for a path.
        /// </summary>
        private static string? Scheme(string written)
        {
            var colon = written.IndexOf(':');
            if (colon < 2 || !char.IsLetter(written[0]))
            {
                return null;
            }

            for (var i = 1; i < colon; i++)
            {
                var c = written[i];
                if (!(char.IsLetterOrDigit(c) || c is '+' or '-' or '.'))
                {
                    return null;
                }
            }

            return written.Substring(0, colon);
        }
    }
}
