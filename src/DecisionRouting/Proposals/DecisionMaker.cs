namespace DecisionRouting.Proposals
{
    /// <summary>Who is to take the decision.</summary>
    public enum DecisionMaker
    {
        /// <summary>The Leader of the council (executive).</summary>
        Leader,

        /// <summary>The cabinet (executive).</summary>
        Cabinet,

        /// <summary>A single cabinet member (executive).</summary>
        CabinetMember,

        /// <summary>An officer taking an executive decision under delegation.</summary>
        Officer,

        /// <summary>Full council.</summary>
        FullCouncil,

        /// <summary>A council committee (non-executive).</summary>
        Committee,

        /// <summary>The Health and Wellbeing Board.</summary>
        HealthAndWellbeingBoard,

        /// <summary>An NHS body's board or governing body.</summary>
        NhsBoard,
    }
}
