using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using DecisionRouting.Lifecycle;
using DecisionRouting.Routing;
using DecisionRouting.Stores;
using DecisionRouting.Tests.Support;
using Microsoft.Data.Sqlite;
using NodaTime;
using NodaTime.Text;

namespace DecisionRouting.Tests.Serialization;

/// <summary>
/// A real case on a real SQLite file: Croydon 2013 routed with its shipped rule set, created, started, its sign-offs
/// and notices completed, decided at Cabinet on 15 July 2013 (BST), with one refused trigger on the way.
/// </summary>
public sealed class CaseFixture : IDisposable
{
    public const string Id = "croydon-2013-integrated-commissioning-unit";
    private readonly string _directory;

    private CaseFixture(string directory)
    {
        _directory = directory;
        Store = new SqliteProposalStore(Path.Combine(directory, "cases.db"));
        Lifecycle = new ProposalLifecycle(Store);
    }

    public SqliteProposalStore Store { get; }

    public ProposalLifecycle Lifecycle { get; }

    public RoutingPlan Plan { get; private set; } = null!;

    public FireOutcome Accepted { get; private set; } = null!;

    public FireOutcome Refused { get; private set; } = null!;

    /// <summary>Status after the decision, while the call-in window is open.</summary>
    public CaseStatus Status { get; private set; } = null!;

    public IReadOnlyList<AuditEntry> History { get; private set; } = null!;

    public static async Task<CaseFixture> CreateAsync()
    {
        var fixture = new CaseFixture(Directory.CreateTempSubdirectory("dr-json-").FullName);
        await fixture.RunAsync();
        return fixture;
    }

    public static Instant At(string london) =>
        LocalDateTimePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd'T'HH':'mm").Parse(london).Value.InZoneLeniently(DateTimeZoneProviders.Tzdb["Europe/London"]).ToInstant();

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    private async Task RunAsync()
    {
        Plan = Plans.Seed(Id, "croydon", "2013-06-01");
        var clerk = new Actor("Dem Services", "democratic-services");
        await Lifecycle.CreateAsync(Plan, clerk);
        await Fire(new TriggerRequest(CaseTrigger.Start, clerk), "2013-06-01T09:00");

        // A finance sign-off by the wrong role: refused, with the reason, and audited.
        Refused = await Lifecycle.FireAsync(Id, TriggerRequest.Complete("finance-sign-off", new Actor("Mo", "monitoring-officer")) with { At = At("2013-06-03T09:00") });
        Assert.False(Refused.Accepted);

        var before = (await Store.FindAsync(Id))!.Plan.Ancestors("cabinet-decision");
        foreach (var (at, round) in new[] { "2013-06-03T10:00", "2013-06-10T10:00", "2013-07-05T10:00" }.SelectMany(at => Enumerable.Range(0, before.Count).Select(r => (at, r))))
        {
            var status = await Lifecycle.StatusAsync(Id, At(at));
            if (status.Permitted.FirstOrDefault(p => p.Trigger == CaseTrigger.CompleteStep && p.Step is { } st && before.Contains(st)) is { } next)
            {
                await Fire(TriggerRequest.Complete(next.Step!, new Actor("Officer", next.Roles)), at);
            }
        }

        Accepted = await Fire(TriggerRequest.Complete("cabinet-decision", new Actor("Cabinet Clerk", "clerk-to-cabinet")), "2013-07-15T19:00");
        await Fire(TriggerRequest.Complete("decision-record", clerk), "2013-07-16T10:00");
        Status = await Lifecycle.StatusAsync(Id, At("2013-07-17T10:00"));
        Assert.Equal(CaseState.CallInWindow, Status.Case.State);
        History = await Lifecycle.HistoryAsync(Id);
    }

    private async Task<FireOutcome> Fire(TriggerRequest request, string at)
    {
        var outcome = await Lifecycle.FireAsync(Id, request with { At = At(at) });
        Assert.True(outcome.Accepted, $"{request.Trigger} {request.Step}: {string.Join("; ", outcome.Reasons)}");
        return outcome;
    }
}

/// <summary>One <see cref="CaseFixture"/> shared by a test class: the case is only read, never fired at again.</summary>
public sealed class DecidedCase : IAsyncLifetime
{
    public CaseFixture Case { get; private set; } = null!;

    public async Task InitializeAsync() => Case = await CaseFixture.CreateAsync();

    public Task DisposeAsync()
    {
        Case.Dispose();
        return Task.CompletedTask;
    }
}
