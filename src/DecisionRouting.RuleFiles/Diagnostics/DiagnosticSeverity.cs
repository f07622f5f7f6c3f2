namespace DecisionRouting.Diagnostics
{
    /// <summary>How serious a diagnostic is. Errors stop a rule set from loading; warnings do not.</summary>
    public enum DiagnosticSeverity
    {
        /// <summary>Worth a look; the rule set still loads.</summary>
        Warning,

        /// <summary>The rule set cannot be trusted to route anything and is not loaded.</summary>
        Error,
    }
}
