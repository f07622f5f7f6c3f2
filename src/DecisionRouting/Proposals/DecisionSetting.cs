namespace DecisionRouting.Proposals
{
    /// <summary>
    /// Whether the decision is taken at a meeting of a body or by one person. The access-to-information law differs:
    /// a meeting needs the meeting notice (SI 2012/2089 regs 6–7; LGA 1972 s100B) and, to meet in private, the
    /// private-meeting notices (SI 2012/2089 reg 5), and its executive decisions are recorded under reg 12; an
    /// individual executive decision has no meeting and is recorded under reg 13.
    /// </summary>
    public enum DecisionSetting
    {
        /// <summary>At a meeting of the decision-making body (Cabinet, Council, a committee, the HWB, or an individual member's public decision meeting).</summary>
        Meeting,

        /// <summary>By one person alone: the Leader (or elected mayor), a cabinet member or an officer.</summary>
        Individual,
    }
}
