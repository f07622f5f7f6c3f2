using System;
using DecisionRouting.Diagnostics;

namespace DecisionRouting.Text
{
    /// <summary>
    /// Names and identifiers in rule files hold no control characters and no line or paragraph separators
    /// (<see cref="UnsafeCharacters.IsControlOrSeparator"/>): DR0068, at the character. A name is shown on one line
    /// wherever it appears, so a line feed in a step name would print what looks like another plan line. Output also
    /// escapes such characters in every field (defence in depth), but a name that carries one is refused at load, by
    /// the library, the CLI and the analyzer alike, so nothing built from the rule set carries it either.
    /// </summary>
    internal static class NameCharacters
    {
        /// <summary>Reports DR0068 at the first control character of the string <paramref name="node"/>'s value, in the file; true when it did.</summary>
        public static bool Check(Json.JsonString node, string what, DiagnosticBag diagnostics)
        {
            // The clean case, nearly every name, allocates nothing: the locator (a delegate over the node) is made only
            // for a name that needs it.
            foreach (var c in node.Value)
            {
                if (UnsafeCharacters.IsControlOrSeparator(c))
                {
                    return CheckAt(node, what, diagnostics);
                }
            }

            return false;
        }

        private static bool CheckAt(Json.JsonString node, string what, DiagnosticBag diagnostics) =>
            Check(node.Value, what, i => node.LocateInValue(i, 1), diagnostics);

        /// <summary>
        /// Reports DR0068 at the first control character of <paramref name="name"/>, located by
        /// <paramref name="locate"/> (index in the decoded name to its place in the file); true when it did.
        /// </summary>
        public static bool Check(string name, string what, Func<int, SourceLocation> locate, DiagnosticBag diagnostics)
        {
            for (var i = 0; i < name.Length; i++)
            {
                if (UnsafeCharacters.IsControlOrSeparator(name[i]))
                {
                    diagnostics.Report(DiagnosticDescriptors.ControlCharacterInName, locate(i), what, name, UnsafeCharacters.DescribeControl(name[i]));
                    return true;
                }
            }

            return false;
        }
    }
}
