namespace DecisionRouting
{
    /// <summary>What kind of body takes or shapes decisions.</summary>
    public enum BodyKind
    {
        /// <summary>The council's executive: Leader, cabinet, or a cabinet member.</summary>
        Executive,

        /// <summary>Full council.</summary>
        Council,

        /// <summary>A council committee or sub-committee.</summary>
        Committee,

        /// <summary>The Health and Wellbeing Board (a council committee under HSCA 2012 s194).</summary>
        HealthAndWellbeingBoard,

        /// <summary>An overview and scrutiny or health overview and scrutiny committee.</summary>
        Scrutiny,

        /// <summary>An NHS statutory body's board or governing body: PCT board, CCG governing body, ICB board.</summary>
        NhsBoard,

        /// <summary>An officer or group of officers acting under delegation.</summary>
        Officers,

        /// <summary>A non-statutory partnership group (for example Durham's 2019 "Integrated Care Board").</summary>
        Partnership,

        /// <summary>A body outside the partnership (the Secretary of State, a trade union).</summary>
        External,
    }
}
