using System;
using System.Globalization;
using DecisionRouting.Text;

namespace DecisionRouting.Diagnostics
{
    /// <summary>One problem found in a rule set or proposal, at a file, line and column.</summary>
    public sealed class RuleDiagnostic
    {
        /// <summary>
        /// Creates a diagnostic, formatting the descriptor's message with <paramref name="arguments"/>. The message is
        /// one line: arguments quote names and values from the files, and a line feed or control character in one is
        /// shown as <c>&lt;U+000A&gt;</c> (<see cref="UnsafeCharacters.Field"/>), so no printed diagnostic, in the CLI or
        /// in a build log through the analyzer, can forge another.
        /// </summary>
        internal RuleDiagnostic(DiagnosticDescriptor descriptor, SourceLocation location, params object?[] arguments)
        {
            Descriptor = descriptor ?? throw new ArgumentNullException(nameof(descriptor));
            Location = location ?? throw new ArgumentNullException(nameof(location));
            Message = UnsafeCharacters.Field(string.Format(CultureInfo.InvariantCulture, descriptor.MessageFormat, arguments));
        }

        /// <summary>What kind of problem this is.</summary>
        public DiagnosticDescriptor Descriptor { get; }

        /// <summary>The stable ID, e.g. <c>DR0002</c>.</summary>
        public string Id => Descriptor.Id;

        /// <summary>The severity.</summary>
        public DiagnosticSeverity Severity => Descriptor.DefaultSeverity;

        /// <summary>Whether this diagnostic stops the rule set from loading.</summary>
        public bool IsError => Severity == DiagnosticSeverity.Error;

        /// <summary>Where the problem is.</summary>
        public SourceLocation Location { get; }

        /// <summary>The message in plain English, on one line.</summary>
        public string Message { get; }

        /// <summary>The MSBuild form: <c>path(line,col): error DR0002: message</c>.</summary>
        public override string ToString() =>
            $"{Location}: {(IsError ? "error" : "warning")} {Id}: {Message}";
    }
}
