namespace DecisionRouting.Proposals
{
    /// <summary>
    /// A statutory officer role a proposal touches: it creates, moves, redesignates or fills the post that holds it.
    /// The council must then confirm who holds the role. Rule expressions test it with
    /// <c>proposal.Touches(StatutoryRole.DirectorOfAdultSocialServices)</c>.
    /// </summary>
    public enum StatutoryRole
    {
        /// <summary>Director of adult social services (Local Authority Social Services Act 1970 s6(A1)).</summary>
        DirectorOfAdultSocialServices,

        /// <summary>Director of children's services (Children Act 2004 s18).</summary>
        DirectorOfChildrensServices,

        /// <summary>Director of public health, appointed jointly with the Secretary of State (NHS Act 2006 s73A(1)).</summary>
        DirectorOfPublicHealth,

        /// <summary>Head of paid service (Local Government and Housing Act 1989 s4).</summary>
        HeadOfPaidService,

        /// <summary>Chief finance officer (LGA 1972 s151).</summary>
        ChiefFinanceOfficer,

        /// <summary>Monitoring officer (Local Government and Housing Act 1989 s5).</summary>
        MonitoringOfficer,
    }
}
