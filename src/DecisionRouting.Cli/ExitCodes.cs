namespace DecisionRouting.Cli
{
    /// <summary>The CLI's exit codes, documented in the README.</summary>
    internal static class ExitCodes
    {
        /// <summary>Everything worked.</summary>
        public const int Success = 0;

        /// <summary><c>validate</c> found errors in the rule set.</summary>
        public const int ValidationErrors = 1;

        /// <summary>Bad input: usage, a missing file or folder, an invalid proposal, a rule set that does not load.</summary>
        public const int BadInput = 2;

        /// <summary>A fault in decision-routing itself; please report it.</summary>
        public const int InternalError = 3;

        /// <summary>Someone else changed the case meanwhile; nothing was saved, and the same command may be retried.</summary>
        public const int Conflict = 4;

        /// <summary>
        /// The plan is incomplete: some rules are undecided (the proposal lacks a value they read) or could not be
        /// evaluated, so it may lack required steps. <c>route</c> still prints it; <c>proposal create</c> refuses it
        /// unless given <c>--accept-incomplete --reason</c>.
        /// </summary>
        public const int IncompletePlan = 5;
    }
}
