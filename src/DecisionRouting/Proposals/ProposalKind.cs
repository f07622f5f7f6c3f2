namespace DecisionRouting.Proposals
{
    /// <summary>What a proposal is. A proposal can be several at once (an s75 agreement with a pooled budget).</summary>
    public enum ProposalKind
    {
        /// <summary>Entering into or varying a Section 75 (NHS Act 2006) partnership agreement.</summary>
        S75Agreement,

        /// <summary>A pooled fund under s75 or s65Z6.</summary>
        PooledBudget,

        /// <summary>A Better Care Fund plan.</summary>
        BcfPlan,

        /// <summary>A change to chief officer structures or grades.</summary>
        ChiefOfficerStructure,

        /// <summary>Senior pay, pay policy or a severance package.</summary>
        SeniorPay,

        /// <summary>An appointment (for example to a joint post).</summary>
        Appointment,

        /// <summary>A change to how services are delivered or what is available.</summary>
        ServiceChange,

        /// <summary>Entering into a memorandum of understanding.</summary>
        Mou,

        /// <summary>Varying a memorandum of understanding.</summary>
        MouVariation,

        /// <summary>A joint commissioning agreement.</summary>
        JointCommissioningAgreement,

        /// <summary>A provider collaboration agreement.</summary>
        ProviderCollaborationAgreement,

        /// <summary>A procurement.</summary>
        Procurement,

        /// <summary>Adopting or changing a plan or strategy.</summary>
        Strategy,

        /// <summary>A risk-share arrangement.</summary>
        RiskShare,

        /// <summary>A secondment of staff (LGA 1972 s113).</summary>
        Secondment,

        /// <summary>Delegating a decision or its finalisation to officers.</summary>
        Delegation,

        /// <summary>Setting the budget or council tax.</summary>
        Budget,

        /// <summary>A change to the council's constitution.</summary>
        ConstitutionChange,

        /// <summary>A signatory leaving a memorandum of understanding.</summary>
        MouExit,

        /// <summary>Dismissing an officer (the statutory officers' dismissal has its own procedure).</summary>
        Dismissal,

        /// <summary>A joint committee or delegation between an ICB and the council (NHS Act 2006 s65Z5).</summary>
        JointCommittee,

        /// <summary>
        /// Agreeing an officer's early retirement or early release of pension (a discretion under the Local Government
        /// Pension Scheme, with a pension strain cost to the employer).
        /// </summary>
        EarlyRetirement,

        /// <summary>
        /// A restructure of posts that may lead to dismissals. The numbers come from <c>ProposedRedundancies</c>; the
        /// rule set's date attributes <c>proposalToDismissDate</c> (which collective-redundancy period applies) and
        /// <c>firstDismissalDate</c> (from which collective consultation and HR1 are dated back) complete it.
        /// </summary>
        Restructure,
    }
}
