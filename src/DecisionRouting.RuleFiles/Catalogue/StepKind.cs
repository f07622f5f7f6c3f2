namespace DecisionRouting
{
    /// <summary>What a step in a decision's route is.</summary>
    public enum StepKind
    {
        /// <summary>A consultation that must run for a period before the decision (staff, unions, public, HOSC).</summary>
        Consultation,

        /// <summary>An officer's sign-off of the report's implications (finance, legal, HR, equality).</summary>
        SignOff,

        /// <summary>A body or officer takes the decision.</summary>
        Approval,

        /// <summary>A body recommends the decision to another body that takes it.</summary>
        Recommendation,

        /// <summary>A notice that must be published a set time before the decision or meeting.</summary>
        Notice,

        /// <summary>The window after an executive decision during which councillors may call it in.</summary>
        CallIn,

        /// <summary>A record that must be made or kept (decision record, s75 reporting).</summary>
        Record,
    }
}
