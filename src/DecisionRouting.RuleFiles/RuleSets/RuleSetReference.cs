using System;
using System.Linq;
using DecisionRouting.Diagnostics;

namespace DecisionRouting.RuleSets
{
    /// <summary>
    /// What a rule-set folder or an <c>extends</c> value names: a path (the usual case, checked against the rule tree's
    /// root), a built-in baseline (<c>baseline:england</c>), or something written as a reference that names nothing.
    /// </summary>
    internal static class RuleSetReference
    {
        /// <summary>
        /// Null when <paramref name="written"/> is a path or a known baseline, otherwise why it names nothing (a DR0093 or
        /// DR0094 message, without the trailing "fix this first").
        /// </summary>
        public static (DiagnosticDescriptor Descriptor, string Message)? Problem(string written)
        {
            if (RuleSetBaselines.Split(written) is { } split)
            {
                if (split.File is null && RuleSetBaselines.Files(split.Name) is not null)
                {
                    return null;
                }

                var names = RuleSetBaselines.Names;
                var guess = NameSuggestions.Closest(split.File is null ? split.Name.Trim() : split.Name, names);
                var hint = guess is null ? string.Empty : $"; did you mean '{RuleSetBaselines.Scheme}{guess}'?";
                var what = split.File is null
                    ? $"there is no built-in baseline named '{split.Name}'"
                    : split.File.Length == 0
                        ? "a baseline reference ends with the baseline's name, with no '/' after it"
                        : $"a baseline is named whole, with no folder or file after its name ('{split.File}')";
                return (DiagnosticDescriptors.UnknownBaseline, $"'{written}': {what}; the baselines built into DecisionRouting are {string.Join(", ", names.Select(n => RuleSetBaselines.Scheme + n))}{hint}");
            }

            if (Scheme(written) is not { } scheme)
            {
                return null;
            }

            var advice = scheme.Equals("package", StringComparison.OrdinalIgnoreCase) || scheme.Equals("nuget", StringComparison.OrdinalIgnoreCase)
                ? $"the England baseline is built into the DecisionRouting package (there is no package to name): write \"{RuleSetBaselines.England}\""
                : NameSuggestions.Closest(scheme, new[] { "baseline" }) is not null
                    ? $"did you mean \"{RuleSetBaselines.Scheme}{NameSuggestions.Closest(written.Substring(scheme.Length + 1), RuleSetBaselines.Names) ?? written.Substring(scheme.Length + 1)}\"? (lower case, as written here)"
                    : $"only \"{RuleSetBaselines.Scheme}\" names a built-in rule set; name a folder by its path relative to this one (a folder whose name has a colon is written './{written}')";
            return (DiagnosticDescriptors.UnknownReferenceScheme, $"'{written}' starts with '{scheme}:', which is not a rule-set reference: {advice}");
        }

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
