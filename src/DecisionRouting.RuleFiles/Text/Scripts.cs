using System.Collections.Generic;
using System.Linq;
using System.Text;
using DecisionRouting.Diagnostics;

namespace DecisionRouting.Text
{
    /// <summary>
    /// Which writing system an identifier's letters come from. An identifier that mixes them (a Latin name with one
    /// Cyrillic "е") looks like another name but is not: DR0065, wherever rule files name something.
    /// </summary>
    internal static class Scripts
    {
        /// <summary>
        /// Look-alikes of Latin letters in Cyrillic and Greek, to suggest the name the writer most likely meant. Only a
        /// suggestion: the diagnostic stands whether or not every letter has a look-alike here.
        /// </summary>
        private static readonly Dictionary<char, char> LatinLookAlikes = new()
        {
            ['а'] = 'a', ['е'] = 'e', ['о'] = 'o', ['р'] = 'p', ['с'] = 'c', ['у'] = 'y', ['х'] = 'x', ['і'] = 'i', ['ј'] = 'j', ['ѕ'] = 's', ['ԁ'] = 'd', ['ԛ'] = 'q', ['ԝ'] = 'w', ['һ'] = 'h',
            ['А'] = 'A', ['В'] = 'B', ['Е'] = 'E', ['К'] = 'K', ['М'] = 'M', ['Н'] = 'H', ['О'] = 'O', ['Р'] = 'P', ['С'] = 'C', ['Т'] = 'T', ['Х'] = 'X', ['І'] = 'I', ['Ј'] = 'J', ['Ѕ'] = 'S',
            ['ο'] = 'o', ['α'] = 'a', ['ν'] = 'v', ['ι'] = 'i', ['κ'] = 'k', ['ρ'] = 'p', ['τ'] = 't', ['υ'] = 'u', ['χ'] = 'x',
            ['Α'] = 'A', ['Β'] = 'B', ['Ε'] = 'E', ['Ζ'] = 'Z', ['Η'] = 'H', ['Ι'] = 'I', ['Κ'] = 'K', ['Μ'] = 'M', ['Ν'] = 'N', ['Ο'] = 'O', ['Ρ'] = 'P', ['Τ'] = 'T', ['Υ'] = 'Y', ['Χ'] = 'X',
        };

        /// <summary>The script of a letter, or null for digits, punctuation and other script-neutral characters.</summary>
        public static string? Of(char c)
        {
            if (!char.IsLetter(c))
            {
                return null;
            }

            return c switch
            {
                <= '\u024F' => "Latin",
                >= '\u1E00' and <= '\u1EFF' => "Latin",
                >= '\u0370' and <= '\u03FF' => "Greek",
                >= '\u1F00' and <= '\u1FFF' => "Greek",
                >= '\u0400' and <= '\u052F' => "Cyrillic",
                >= '\u1C80' and <= '\u1C8F' => "Cyrillic",
                >= '\u2DE0' and <= '\u2DFF' => "Cyrillic",
                >= '\uA640' and <= '\uA69F' => "Cyrillic",
                >= '\u0530' and <= '\u058F' => "Armenian",
                >= '\u0590' and <= '\u05FF' => "Hebrew",
                >= '\u0600' and <= '\u06FF' => "Arabic",
                >= '\u0750' and <= '\u077F' => "Arabic",
                >= '\uFF21' and <= '\uFF5A' => "Fullwidth Latin",
                _ => $"the script of U+{(int)c:X4}",
            };
        }

        /// <summary>
        /// Whether <paramref name="identifier"/> can have letters of two scripts: false when every character is below
        /// U+0250, where a letter can only be Latin. Lets the usual name skip <see cref="CheckIdentifier"/> and its location.
        /// </summary>
        public static bool MayMix(string identifier)
        {
            foreach (var c in identifier)
            {
                if (c > '\u024F')
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>The scripts an identifier's letters come from, in order of first use.</summary>
        public static IReadOnlyList<string> In(string identifier) =>
            identifier.Select(Of).Where(s => s is not null).Select(s => s!).Distinct().ToList();

        /// <summary>The name with look-alike letters written in Latin, or null when some letter has no Latin look-alike.</summary>
        public static string? AsLatin(string identifier)
        {
            var result = new StringBuilder(identifier.Length);
            foreach (var c in identifier)
            {
                if (LatinLookAlikes.TryGetValue(c, out var latin))
                {
                    result.Append(latin);
                }
                else if (Of(c) is null or "Latin")
                {
                    result.Append(c);
                }
                else
                {
                    return null;
                }
            }

            return result.ToString();
        }

        /// <summary>Reports DR0065 at <paramref name="location"/> when <paramref name="identifier"/> mixes scripts; true when it does.</summary>
        public static bool CheckIdentifier(string identifier, string what, SourceLocation location, DiagnosticBag diagnostics)
        {
            var scripts = In(identifier);
            if (scripts.Count < 2)
            {
                return false;
            }

            var latin = AsLatin(identifier);
            var hint = latin is not null && latin != identifier ? $"; did you mean '{latin}' (all Latin)?" : string.Empty;
            diagnostics.Report(DiagnosticDescriptors.MixedScriptIdentifier, location, what, identifier, string.Join(" and ", scripts), hint);
            return true;
        }
    }
}
