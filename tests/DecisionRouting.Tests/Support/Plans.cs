using System;
using System.Linq;
using DecisionRouting.Lifecycle;
using DecisionRouting.Proposals;
using DecisionRouting.Routing;
using DecisionRouting.RuleSets;

namespace DecisionRouting.Tests.Support;

/// <summary>Plans for lifecycle tests: the seed samples routed with their partnerships, and synthetic parallel plans.</summary>
public static class Plans
{
    /// <summary>A sample proposal routed with a partnership's rules, as of <paramref name="today"/>.</summary>
    public static RoutingPlan Seed(string sample, string partnership, string today, Func<Proposal, Proposal>? change = null)
    {
        var proposal = ProposalReader.ReadFile(Repository.PathOf($"samples/proposals/{sample}.json")).Proposal
            ?? throw new InvalidOperationException($"sample {sample} does not load");
        proposal = change?.Invoke(proposal) ?? proposal;
        var rules = RuleSet.Load(Repository.PathOf($"rules/partnerships/{partnership}"));
        var day = NodaTime.Text.LocalDatePattern.Iso.Parse(today).Value;
        var clock = new ManualClock(day.AtMidnight().InUtc().ToInstant().Plus(NodaTime.Duration.FromHours(12)));
        return new Router(rules, new RoutingOptions { Clock = clock }).Route(proposal);
    }

    /// <summary>A plan of <paramref name="roles"/> × <paramref name="stepsPerRole"/> parallel sign-offs, step <c>role-r-step-s</c> for role <c>role-r</c>.</summary>
    public static CasePlan Parallel(int roles, int stepsPerRole) => new()
    {
        ProposalId = "parallel",
        Title = "Parallel sign-offs",
        RuleSetName = "synthetic",
        RuleSetHash = new string('a', 64),
        IntendedDecisionDate = new NodaTime.LocalDate(2026, 12, 1),
        Steps = Enumerable.Range(0, roles).SelectMany(r => Enumerable.Range(0, stepsPerRole).Select(s => new CaseStep
        {
            Id = $"role-{r}-step-{s}",
            Name = $"Sign-off {s} by role {r}",
            Kind = StepKind.SignOff,
            Roles = new[] { $"role-{r}" },
        })).ToList(),
    };
}

/// <summary>A clock that stays where a test puts it.</summary>
public sealed class ManualClock(NodaTime.Instant now) : TimeProvider
{
    /// <summary>The time it shows.</summary>
    public NodaTime.Instant Now { get; set; } = now;

    /// <inheritdoc/>
    public override DateTimeOffset GetUtcNow() => Now.ToDateTimeOffset();
}
