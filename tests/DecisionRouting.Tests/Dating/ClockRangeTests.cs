using System;
using System.IO;
using System.Threading.Tasks;
using DecisionRouting.Explanations;
using DecisionRouting.Lifecycle;
using DecisionRouting.Proposals;
using DecisionRouting.Routing;
using DecisionRouting.RuleSets;
using DecisionRouting.Stores;
using DecisionRouting.Tests.Support;
using Microsoft.Data.Sqlite;
using NodaTime;

namespace DecisionRouting.Tests.Dating;

/// <summary>
/// Issue 14 §5, its library side: a clock given as an option (<see cref="RoutingOptions.Clock"/>,
/// <see cref="LifecycleOptions.Clock"/>) is a date input like any other. Outside 1900-01-01..2199-12-31 it is refused
/// with an <see cref="ArgumentOutOfRangeException"/> naming the option, before anything is evaluated or stored.
/// </summary>
public sealed class ClockRangeTests : IDisposable
{
    private const string Id = "croydon-2013-integrated-commissioning-unit";
    private static readonly Actor Clerk = new("Dem Services", "democratic-services");
    private readonly string _directory = Directory.CreateTempSubdirectory("dr-clock-").FullName;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    public static TheoryData<string> OutOfRange() => new() { "9999-12-31T23:59:00Z", "2200-01-01T00:00:00Z", "0001-01-01T00:00:00Z", "1899-12-31T23:59:59Z" };

    private static Instant Parse(string text) => NodaTime.Text.InstantPattern.General.Parse(text).GetValueOrThrow();

    private static Proposal Croydon() => ProposalReader.ReadFile(Repository.PathOf($"samples/proposals/{Id}.json")).Proposal!;

    [Theory]
    [MemberData(nameof(OutOfRange))]
    public void Routing_refuses_a_clock_outside_the_range_naming_the_option(string now)
    {
        var router = new Router(RuleSet.Load(Repository.PathOf("rules/partnerships/croydon")), new RoutingOptions { Clock = new ManualClock(Parse(now)) });
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => router.Route(Croydon()));
        Assert.Equal("RoutingOptions.Clock", error.ParamName);
        Assert.Contains("outside the supported range of dates, 1900-01-01 to 2199-12-31", error.Message);
    }

    [Theory]
    [MemberData(nameof(OutOfRange))]
    public void Explain_refuses_it_too(string now)
    {
        var explainer = new Explainer(RuleSet.Load(Repository.PathOf("rules/partnerships/croydon")), new RoutingOptions { Clock = new ManualClock(Parse(now)) });
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => explainer.Explain(Croydon(), "key-decision-notice"));
        Assert.Equal("RoutingOptions.Clock", error.ParamName);
    }

    [Theory]
    [InlineData("1900-01-01T00:00:00Z")]
    [InlineData("2199-12-31T12:00:00Z")]
    public void The_ends_of_the_range_route(string now)
    {
        var plan = new Router(RuleSet.Load(Repository.PathOf("rules/partnerships/croydon")), new RoutingOptions { Clock = new ManualClock(Parse(now)) }).Route(Croydon());
        Assert.True(plan.Requires("key-decision-notice"));
    }

    [Theory]
    [MemberData(nameof(OutOfRange))]
    public async Task A_lifecycle_clock_outside_the_range_stores_nothing(string now)
    {
        var store = new SqliteProposalStore(Path.Combine(_directory, "cases.db"));
        var clock = new ManualClock(Parse("2013-06-01T09:00:00Z"));
        var lifecycle = new ProposalLifecycle(store, new LifecycleOptions { Clock = clock });
        var plan = Plans.Seed(Id, "croydon", "2013-06-01");

        // Creating with the clock out of range: refused, no case.
        clock.Now = Parse(now);
        var create = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => lifecycle.CreateAsync(plan, Clerk, Id));
        Assert.Equal("LifecycleOptions.Clock", create.ParamName);
        Assert.Null(await store.FindAsync(Id));

        // A case made in range: a trigger with no time of its own, and a status "now", are refused and nothing is recorded.
        clock.Now = Parse("2013-06-01T09:00:00Z");
        await lifecycle.CreateAsync(plan, Clerk, Id);
        clock.Now = Parse(now);
        var fire = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => lifecycle.FireAsync(Id, new TriggerRequest(CaseTrigger.Withdraw, Clerk)));
        Assert.Equal("LifecycleOptions.Clock", fire.ParamName);
        Assert.Single(await store.HistoryAsync(Id));
        Assert.Equal(CaseState.Draft, (await store.FindAsync(Id))!.State);
        Assert.Equal("LifecycleOptions.Clock", (await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => lifecycle.StatusAsync(Id))).ParamName);

        // The case is still whole: back in range, it can be read and withdrawn.
        clock.Now = Parse("2013-06-02T09:00:00Z");
        Assert.Equal(CaseState.Draft, (await lifecycle.StatusAsync(Id)).Case.State);
    }
}
