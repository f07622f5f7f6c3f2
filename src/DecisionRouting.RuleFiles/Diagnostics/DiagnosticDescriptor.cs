namespace DecisionRouting.Diagnostics
{
    /// <summary>One kind of problem the loader can find, with a stable ID (DR0001 …) and a documentation page.</summary>
    public sealed class DiagnosticDescriptor
    {
        internal DiagnosticDescriptor(string id, string title, string messageFormat, DiagnosticSeverity severity)
        {
            Id = id;
            Title = title;
            MessageFormat = messageFormat;
            DefaultSeverity = severity;
        }

        /// <summary>The stable ID, e.g. <c>DR0009</c>.</summary>
        public string Id { get; }

        /// <summary>A short title for documentation and rule lists.</summary>
        public string Title { get; }

        /// <summary>The message, with <c>{0}</c>-style placeholders.</summary>
        public string MessageFormat { get; }

        /// <summary>The severity unless configured otherwise.</summary>
        public DiagnosticSeverity DefaultSeverity { get; }

        /// <summary>The page that explains the diagnostic and how to fix it.</summary>
        public string HelpLink => DiagnosticDescriptors.HelpLinkBase + Id + ".md";

        /// <inheritdoc/>
        public override string ToString() => Id + ": " + Title;
    }
}
