using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DecisionRouting.Lifecycle;
using DecisionRouting.LiveReload;
using DecisionRouting.Proposals;
using DecisionRouting.Routing;
using DecisionRouting.RuleSets;
using DecisionRouting.Stores;
using DecisionRouting.Telemetry;
using DecisionRouting.Tests.Incomplete;
using DecisionRouting.Tests.Support;
using Microsoft.Data.Sqlite;

namespace DecisionRouting.Tests.Embedding;

/// <summary>
/// The meter and activity source are process-wide, so these tests run alone (after the parallel ones) and count exactly.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TelemetryCollection
{
    public const string Name = "Telemetry (alone)";
}

/// <summary>Issue 16 §2: every instrument records what happened, with its tags, read back by a real MeterListener.</summary>
[Collection(TelemetryCollection.Name)]
public sealed class TelemetryTests : IDisposable
{
    private static readonly Actor Clerk = new("Dem Services", "democratic-services");
    private readonly Recorder _recorder = new();
    private readonly string _directory = Directory.CreateTempSubdirectory("dr-telemetry-").FullName;

    public void Dispose()
    {
        _recorder.Dispose();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public void A_route_records_its_duration_matched_rules_and_an_activity()
    {
        var ruleSet = RuleSet.Load(TestHost.Croydon);
        var plan = new Router(ruleSet, new RoutingOptions { Clock = AddDecisionRoutingTests.June2013() }).Route(AddDecisionRoutingTests.Croydon());

        var duration = Assert.Single(_recorder.Measurements(DecisionRoutingTelemetry.RouteDuration));
        Assert.InRange(duration.Value, 0, 60);
        Assert.Equal("croydon", duration.Tag(DecisionRoutingTelemetry.RuleSetTag));
        Assert.Equal("complete", duration.Tag(DecisionRoutingTelemetry.OutcomeTag));
        var matched = Assert.Single(_recorder.Measurements(DecisionRoutingTelemetry.RulesMatched));
        Assert.Equal(plan.MatchedRules.Count, matched.Value);
        Assert.True(plan.MatchedRules.Count > 0);
        Assert.Empty(_recorder.Measurements(DecisionRoutingTelemetry.IncompletePlans));

        var activity = Assert.Single(_recorder.Activities, a => a.OperationName == DecisionRoutingTelemetry.RouteActivity);
        Assert.Equal(plan.RuleSetHash, activity.GetTagItem(DecisionRoutingTelemetry.RuleSetHashTag));
        Assert.Equal(plan.Proposal.Id, activity.GetTagItem(DecisionRoutingTelemetry.ProposalIdTag));
        Assert.Equal("complete", activity.GetTagItem(DecisionRoutingTelemetry.OutcomeTag));
    }

    [Fact]
    public void An_incomplete_plan_is_counted_and_tagged_incomplete()
    {
        using var set = TempRuleSet.With(rules: UndecidedRuleTests.OneRule("proposal.Attributes.Number(\"localSpendCap\") < 50000"), manifest: UndecidedRuleTests.Manifest);
        var plan = new Router(RuleSet.Load(set.Directory)).Route(UndecidedRuleTests.Proposal());
        Assert.False(plan.IsComplete);

        var counted = Assert.Single(_recorder.Measurements(DecisionRoutingTelemetry.IncompletePlans));
        Assert.Equal(1, counted.Value);
        Assert.Equal("local", counted.Tag(DecisionRoutingTelemetry.RuleSetTag));
        Assert.Equal("incomplete", Assert.Single(_recorder.Measurements(DecisionRoutingTelemetry.RouteDuration)).Tag(DecisionRoutingTelemetry.OutcomeTag));
    }

    [Fact]
    public void A_refused_proposal_is_timed_as_refused_with_its_error_type_and_no_plan_counts()
    {
        using var set = TempRuleSet.With(rules: UndecidedRuleTests.OneRule("proposal.Attributes.Number(\"localSpendCap\") < 50000"), manifest: UndecidedRuleTests.Manifest);
        var router = new Router(RuleSet.Load(set.Directory));
        var wrongType = UndecidedRuleTests.Proposal(new Dictionary<string, object> { ["localSpendCap"] = "lots" });

        Assert.Throws<InvalidProposalException>(() => router.Route(wrongType));

        var duration = Assert.Single(_recorder.Measurements(DecisionRoutingTelemetry.RouteDuration));
        Assert.Equal("refused", duration.Tag(DecisionRoutingTelemetry.OutcomeTag));
        Assert.Equal(typeof(InvalidProposalException).FullName, duration.Tag(DecisionRoutingTelemetry.ErrorTypeTag));
        Assert.Empty(_recorder.Measurements(DecisionRoutingTelemetry.RulesMatched));
        var activity = Assert.Single(_recorder.Activities, a => a.OperationName == DecisionRoutingTelemetry.RouteActivity);
        Assert.Equal(ActivityStatusCode.Error, activity.Status);
    }

    [Fact]
    public async Task Transitions_count_accepted_refused_and_conflict_and_audit_appends_count_each_entry()
    {
        var clock = AddDecisionRoutingTests.June2013();
        var store = new SqliteProposalStore(Path.Combine(_directory, "cases.db"));
        var lifecycle = new ProposalLifecycle(store, new LifecycleOptions { Clock = clock });
        var created = await lifecycle.CreateAsync(Plans.Seed("croydon-2013-integrated-commissioning-unit", "croydon", "2013-06-01"), Clerk);
        Assert.True((await lifecycle.FireAsync(created.Id, new TriggerRequest(CaseTrigger.Start, Clerk))).Accepted);
        Assert.False((await lifecycle.FireAsync(created.Id, TriggerRequest.Complete("finance-sign-off", new Actor("Mo", "monitoring-officer")))).Accepted);

        // A malformed request is a usage mistake, not a transition: thrown, not audited, not counted.
        await Assert.ThrowsAsync<InvalidTriggerException>(() => lifecycle.FireAsync(created.Id, TriggerRequest.Complete("no-such-step", Clerk)));

        // A real race: another writer completes a sign-off between this request's read and its save.
        var racing = new ProposalLifecycle(new RacingStore(store, () => lifecycle.FireAsync(created.Id, TriggerRequest.Complete("hr-sign-off", new Actor("H", "hr-lead")))), new LifecycleOptions { Clock = clock });
        await Assert.ThrowsAsync<CaseConflictException>(() => racing.FireAsync(created.Id, TriggerRequest.Complete("legal-sign-off", new Actor("L", "monitoring-officer"))));

        var transitions = _recorder.Measurements(DecisionRoutingTelemetry.Transitions)
            .Select(m => (Trigger: m.Tag(DecisionRoutingTelemetry.TriggerTag), Outcome: m.Tag(DecisionRoutingTelemetry.OutcomeTag), m.Value))
            .ToList();
        Assert.Equal(
            new (object?, object?, double)[]
            {
                ("Create", "accepted", 1), ("Start", "accepted", 1), ("CompleteStep", "refused", 1),
                ("CompleteStep", "accepted", 1), // the racing writer's hr-sign-off
                ("CompleteStep", "conflict", 1),
            },
            transitions);

        // Every committed entry, and only those: the conflict wrote nothing.
        var appends = _recorder.Measurements(DecisionRoutingTelemetry.AuditAppends)
            .Select(m => (Trigger: m.Tag(DecisionRoutingTelemetry.TriggerTag), Outcome: m.Tag(DecisionRoutingTelemetry.OutcomeTag)))
            .ToList();
        Assert.Equal(new (object?, object?)[] { ("Create", "accepted"), ("Start", "accepted"), ("CompleteStep", "refused"), ("CompleteStep", "accepted") }, appends);
        Assert.Equal(appends.Count, (await store.HistoryAsync(created.Id)).Count);

        var fires = _recorder.Activities.Where(a => a.OperationName == DecisionRoutingTelemetry.FireActivity).ToList();
        Assert.Equal(new object?[] { "accepted", "refused", null, "accepted", "conflict" }, fires.Select(a => a.GetTagItem(DecisionRoutingTelemetry.OutcomeTag)));
        Assert.All(fires, a => Assert.Equal(created.Id, a.GetTagItem(DecisionRoutingTelemetry.CaseIdTag)));
        Assert.Equal(ActivityStatusCode.Error, fires[^1].Status);
        Assert.Single(_recorder.Activities, a => a.OperationName == DecisionRoutingTelemetry.CreateCaseActivity);
    }

    [Fact]
    public void A_rejected_reload_is_counted_as_a_failure_and_an_accepted_one_is_not()
    {
        using var set = TempRuleSet.With(manifest: """{ "name": "telemetry-reload" }""");
        using var watched = WatchedRuleSet.Start(set.Directory, new WatchedRuleSetOptions { Debounce = TimeSpan.FromHours(1) });

        set.Write("main.rules.json", "{ \"WorkflowName\": ");
        Assert.False(watched.Reload().Accepted);
        set.Write("main.rules.json", TempRuleSet.Rules);
        Assert.True(watched.Reload().Accepted);

        var reloads = _recorder.Measurements(DecisionRoutingTelemetry.Reloads)
            .Where(m => Equals(m.Tag(DecisionRoutingTelemetry.RuleSetTag), "telemetry-reload"))
            .Select(m => m.Tag(DecisionRoutingTelemetry.OutcomeTag))
            .ToList();
        Assert.Equal(new object?[] { "rejected", "accepted" }, reloads);
    }

    [Fact]
    public void Every_instrument_is_named_under_the_one_meter_and_documented()
    {
        var names = typeof(DecisionRoutingTelemetry).GetFields().Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!).ToList();
        var documented = File.ReadAllText(Repository.PathOf("docs/observability.md"));
        Assert.All(names, n => Assert.Contains($"`{n}`", documented, StringComparison.Ordinal));

        // Every instrument the library creates hangs off the meter named DecisionRouting, under a documented name.
        Assert.Equal(DecisionRoutingTelemetry.Name, Instruments.Meter.Name);
        var published = new List<Instrument>();
        using (var listener = new MeterListener { InstrumentPublished = (i, _) => { if (i.Meter.Name == DecisionRoutingTelemetry.Name) { published.Add(i); } } })
        {
            listener.Start();
        }

        Assert.Equal(6, published.Count);
        Assert.All(published, i => Assert.Contains(i.Name, names));
        Assert.All(published, i => Assert.Contains($"`{i.Unit}`", documented, StringComparison.Ordinal));
    }

    /// <summary>The real store, with another writer let in once between a request's read and its save.</summary>
    private sealed class RacingStore(IProposalStore inner, Func<Task<FireOutcome>> rival) : IProposalStore
    {
        private int _raced;

        public Task<AuditEntry> CreateAsync(ProposalCase proposalCase, AuditEntry created, CancellationToken cancellationToken = default) => inner.CreateAsync(proposalCase, created, cancellationToken);

        public Task<ProposalCase?> FindAsync(string caseId, CancellationToken cancellationToken = default) => inner.FindAsync(caseId, cancellationToken);

        public async Task<AuditEntry> SaveAsync(ProposalCase updated, long expectedVersion, AuditEntry entry, CancellationToken cancellationToken = default)
        {
            if (Interlocked.Exchange(ref _raced, 1) == 0)
            {
                Assert.True((await rival()).Accepted);
            }

            return await inner.SaveAsync(updated, expectedVersion, entry, cancellationToken);
        }

        public Task<AuditEntry> AppendAsync(AuditEntry entry, CancellationToken cancellationToken = default) => inner.AppendAsync(entry, cancellationToken);

        public Task<IReadOnlyList<AuditEntry>> HistoryAsync(string caseId, CancellationToken cancellationToken = default) => inner.HistoryAsync(caseId, cancellationToken);

        public IAsyncEnumerable<AuditEntry> ReadAuditAsync(CancellationToken cancellationToken = default) => inner.ReadAuditAsync(cancellationToken);

        public Task<(long Sequence, string Hash)> HeadAsync(CancellationToken cancellationToken = default) => inner.HeadAsync(cancellationToken);

        public Task<(long Sequence, string Hash)> ReadSnapshotAsync(Func<AuditEntry, ValueTask> onEntry, Func<StoredCase, ValueTask> onCase, Func<string, ValueTask> onDamage, CancellationToken cancellationToken = default) =>
            inner.ReadSnapshotAsync(onEntry, onCase, onDamage, cancellationToken);

        public Task<long> SealedSequenceAsync(CancellationToken cancellationToken = default) => inner.SealedSequenceAsync(cancellationToken);
    }

    /// <summary>Everything the DecisionRouting meter and activity source emit while a test runs.</summary>
    private sealed class Recorder : IDisposable
    {
        private readonly MeterListener _meters = new();
        private readonly ActivityListener _activities;
        private readonly ConcurrentQueue<Measured> _measured = new();
        private readonly ConcurrentQueue<Activity> _stopped = new();

        public Recorder()
        {
            _meters.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == DecisionRoutingTelemetry.Name)
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _meters.SetMeasurementEventCallback<double>((i, v, tags, _) => _measured.Enqueue(new Measured(i.Name, v, tags.ToArray())));
            _meters.SetMeasurementEventCallback<int>((i, v, tags, _) => _measured.Enqueue(new Measured(i.Name, v, tags.ToArray())));
            _meters.SetMeasurementEventCallback<long>((i, v, tags, _) => _measured.Enqueue(new Measured(i.Name, v, tags.ToArray())));
            _meters.Start();
            _activities = new ActivityListener
            {
                ShouldListenTo = s => s.Name == DecisionRoutingTelemetry.Name,
                Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
                ActivityStopped = a => _stopped.Enqueue(a),
            };
            ActivitySource.AddActivityListener(_activities);
        }

        public IReadOnlyList<Activity> Activities => _stopped.ToList();

        public IReadOnlyList<Measured> Measurements(string instrument) => _measured.Where(m => m.Instrument == instrument).ToList();

        public void Dispose()
        {
            _meters.Dispose();
            _activities.Dispose();
        }
    }

    private sealed record Measured(string Instrument, double Value, KeyValuePair<string, object?>[] Tags)
    {
        public object? Tag(string name) => Tags.FirstOrDefault(t => t.Key == name).Value;
    }
}
