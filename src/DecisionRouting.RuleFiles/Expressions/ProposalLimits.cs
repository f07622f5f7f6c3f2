namespace DecisionRouting.Expressions
{
    /// <summary>
    /// The most a proposal may hold. The proposal reader refuses anything larger (DR0080) and the router refuses a
    /// proposal built in code that is larger, because the static cost and size bounds of rule expressions
    /// (<see cref="ExpressionCost"/>) are worked out from exactly these figures: a rule set that loads is bounded for
    /// every proposal within them.
    /// </summary>
    internal static class ProposalLimits
    {
        /// <summary>The most characters any text field (title, partner, attribute text, schedule key …) may hold.</summary>
        public const int MaxTextLength = 2000;

        /// <summary>The most entries any list or map in a proposal may hold (partners, kinds, attributes, schedule).</summary>
        public const int MaxEntries = 200;
    }
}
