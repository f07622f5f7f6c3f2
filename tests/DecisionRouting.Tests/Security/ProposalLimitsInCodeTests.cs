using System;
using System.Collections.Generic;
using System.Linq;
using DecisionRouting.Expressions;
using DecisionRouting.Proposals;
using DecisionRouting.Routing;
using DecisionRouting.Tests.Support;

namespace DecisionRouting.Tests.Security;

/// <summary>
/// Issue 14 §1–§3: the static cost and size bounds of a rule set are worked out from <see cref="ProposalLimits"/>, which
/// the proposal reader enforces. A proposal built in code skips the reader, so the router refuses one over the limits,
/// naming the field, before anything is evaluated.
/// </summary>
public sealed class ProposalLimitsInCodeTests
{
    private const string Id = "croydon-2013-integrated-commissioning-unit";
    private static readonly string LongText = new('x', ProposalLimits.MaxTextLength + 1);
    private static readonly string LongestText = new('x', ProposalLimits.MaxTextLength);

    private static Proposal Sample() => ProposalReader.ReadFile(Repository.PathOf($"samples/proposals/{Id}.json")).Proposal!;

    private static Router CroydonRouter() => new(DecisionRouting.RuleSets.RuleSet.Load(Repository.PathOf("rules/partnerships/croydon")));

    public static TheoryData<string, string> OverTheLimits() => new()
    {
        { "title", "title is 2001 characters long" },
        { "partners", "partners has 201 entries" },
        { "partner", "partners[0] is 2001 characters long" },
        { "organisation", "organisation is 2001 characters long" },
        { "urgencyReason", "urgencyReason is 2001 characters long" },
        { "schedule", "schedule has 201 entries" },
        { "attributes", "attributes has 201 entries" },
        { "attributeText", "attribute 'note' is 2001 characters long" },
        { "kinds", "kinds has 201 entries" },
    };

    [Theory]
    [MemberData(nameof(OverTheLimits))]
    public void A_proposal_built_in_code_over_the_limits_is_refused_naming_the_field(string field, string expected)
    {
        var proposal = Over(Sample(), field);

        var refused = Assert.Throws<InvalidProposalException>(() => CroydonRouter().Route(proposal));

        var error = Assert.Single(refused.Diagnostics);
        Assert.Equal("DR0080", error.Id);
        Assert.Contains($"The proposal's {expected}", error.Message);
        Assert.Contains($"more than the {(expected.Contains("entries") ? ProposalLimits.MaxEntries : ProposalLimits.MaxTextLength)}", error.Message);
    }

    [Fact]
    public void A_proposal_built_in_code_exactly_at_the_limits_routes()
    {
        var sample = Sample();
        var proposal = sample with
        {
            Title = LongestText,
            Partners = Enumerable.Range(0, ProposalLimits.MaxEntries).Select(i => $"p{i}" + new string('x', ProposalLimits.MaxTextLength - 4)).ToList(),
            UrgencyReason = LongestText,
        };

        var plan = CroydonRouter().Route(proposal);

        Assert.NotEmpty(plan.Steps);
    }

    private static Proposal Over(Proposal p, string field) => field switch
    {
        "title" => p with { Title = LongText },
        "partners" => p with { Partners = Enumerable.Range(0, ProposalLimits.MaxEntries + 1).Select(i => $"p{i}").ToList() },
        "partner" => p with { Partners = [LongText] },
        "organisation" => p with { Organisation = LongText },
        "urgencyReason" => p with { UrgencyReason = LongText },
        "schedule" => p with { Schedule = Enumerable.Range(0, ProposalLimits.MaxEntries + 1).ToDictionary(i => $"step-{i}", _ => new StepDates(null, null)) },
        "attributes" => p with { Attributes = new ProposalAttributes(Enumerable.Range(0, ProposalLimits.MaxEntries + 1).ToDictionary(i => $"a{i}", i => (object)(decimal)i)) },
        "attributeText" => p with { Attributes = new ProposalAttributes(new Dictionary<string, object> { ["note"] = LongText }) },
        "kinds" => p with { Kinds = Enumerable.Repeat(p.Kinds.Count > 0 ? p.Kinds[0] : default, ProposalLimits.MaxEntries + 1).ToList() },
        _ => throw new ArgumentOutOfRangeException(nameof(field)),
    };
}
