using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using DecisionRouting.Lifecycle;
using DecisionRouting.Tests.Support;
using NodaTime;

namespace DecisionRouting.Tests.Stores;

/// <summary>
/// The store test suite, run against every implementation on a real server or file: round trips, duplicate ids,
/// optimistic concurrency (8 actors × 1,000 transitions), tamper detection, append-only tables, and a writer killed
/// with SIGKILL mid-burst.
/// </summary>
public abstract partial class ProposalStoreContract
{
    private static readonly Actor Clerk = new("Clerk", "democratic-services");

    /// <summary>A new, empty store.</summary>
    protected abstract IProposalStore NewStore();

    /// <summary>Runs SQL on the store's database as someone with direct access would (no triggers in the way).</summary>
    protected abstract Task TamperAsync(IProposalStore store, string sql);

    /// <summary>Runs SQL through the normal connection, triggers and all.</summary>
    protected abstract Task ExecuteAsync(IProposalStore store, string sql);

    /// <summary>The first column of the first row <paramref name="sql"/> returns, as text, read directly from the store's database.</summary>
    protected abstract Task<string> QueryTextAsync(IProposalStore store, string sql);

    /// <summary>The crash writer's first two arguments for this store.</summary>
    protected abstract (string Kind, string Target) WriterTarget(IProposalStore store);

    [Fact]
    public async Task A_created_case_reads_back_whole()
    {
        var store = NewStore();
        var plan = Plans.Seed("croydon-2013-integrated-commissioning-unit", "croydon", "2013-06-01");
        var created = await new ProposalLifecycle(store).CreateAsync(plan, Clerk);

        var read = await store.FindAsync(created.Id);

        Assert.NotNull(read);
        Assert.Equal(CaseJson.Write(created), CaseJson.Write(read!));
        Assert.Equal(plan.Steps.Select(s => s.Id), read!.Plan.Steps.Select(s => s.Id));
        Assert.Equal("cabinet-decision", read.Plan.DecisionStep);
        Assert.Null(await store.FindAsync("no-such-case"));
    }

    [Fact]
    public async Task Reading_a_store_that_does_not_exist_finds_nothing_and_creates_nothing()
    {
        var store = (DecisionRouting.Stores.RelationalProposalStore)NewStore();
        var lifecycle = new ProposalLifecycle(store);

        Assert.False(await store.ExistsAsync());
        Assert.Null(await store.FindAsync("anything"));
        Assert.Empty(await store.HistoryAsync("anything"));
        Assert.Equal((0L, AuditEntry.Genesis), await store.HeadAsync());
        Assert.Equal(0, (await AuditChain.VerifyAsync(store)).Entries);
        await Assert.ThrowsAsync<CaseNotFoundException>(() => lifecycle.StatusAsync("anything"));
        await Assert.ThrowsAsync<CaseNotFoundException>(() => lifecycle.FireAsync("anything", new TriggerRequest(CaseTrigger.Start, Clerk)));

        // Still nothing there: reading made no tables. Writing is what creates the store.
        Assert.False(await store.ExistsAsync());
        await lifecycle.CreateAsync(Plans.Parallel(1, 1), Clerk, "made");
        Assert.True(await store.ExistsAsync());
    }

    [Fact]
    public async Task A_duplicate_id_is_refused_and_changes_nothing()
    {
        var store = NewStore();
        var lifecycle = new ProposalLifecycle(store);
        await lifecycle.CreateAsync(Plans.Parallel(1, 2), Clerk, "same");
        await lifecycle.FireAsync("same", new TriggerRequest(CaseTrigger.Start, Clerk));

        var e = await Assert.ThrowsAsync<CaseAlreadyExistsException>(() => lifecycle.CreateAsync(Plans.Parallel(2, 2), Clerk, "same"));

        Assert.Contains("'same' already exists", e.Message);
        var kept = await store.FindAsync("same");
        Assert.Equal(CaseState.InProgress, kept!.State);
        Assert.Equal(2, kept.Plan.Steps.Count);
        Assert.Equal(2, (await store.HistoryAsync("same")).Count);
    }

    [Fact]
    public async Task A_save_from_a_stale_version_is_a_conflict_and_saves_nothing()
    {
        var store = NewStore();
        var lifecycle = new ProposalLifecycle(store);
        var created = await lifecycle.CreateAsync(Plans.Parallel(1, 2), Clerk, "stale");
        await lifecycle.FireAsync("stale", new TriggerRequest(CaseTrigger.Start, Clerk));
        var head = await store.HeadAsync();

        // Someone read version 0 and saves after the Start above moved it to 1.
        var late = created with { State = CaseState.Withdrawn, Version = 1 };
        var entry = new AuditEntry { CaseId = "stale", At = Instant.FromUnixTimeSeconds(0), RecordedAt = Instant.FromUnixTimeSeconds(0), Actor = "Late", Roles = "x", Trigger = "Withdraw", From = CaseState.Draft, To = CaseState.Withdrawn, Accepted = true, RuleSetHash = created.Plan.RuleSetHash };
        var e = await Assert.ThrowsAsync<CaseConflictException>(() => store.SaveAsync(late, 0, entry));

        Assert.Contains("changed by someone else", e.Message);
        Assert.Equal(CaseState.InProgress, (await store.FindAsync("stale"))!.State);
        Assert.Equal(head, await store.HeadAsync());
    }

    [Fact]
    public async Task A_trigger_made_on_a_stale_view_is_a_conflict_neither_fired_nor_audited()
    {
        var store = NewStore();
        var lifecycle = new ProposalLifecycle(store);
        var created = await lifecycle.CreateAsync(Plans.Parallel(1, 2), Clerk, "seen");
        Assert.Equal(0, created.Version);
        await lifecycle.FireAsync("seen", new TriggerRequest(CaseTrigger.Start, Clerk));
        var head = await store.HeadAsync();

        // The officer's screen still shows version 0. The sign-off would be accepted now, and a trigger the rules refuse
        // (Start, again) would be audited: both must stop at the version check, before the rules are asked.
        var officer = new Actor("officer", "role-0");
        var stale = await Assert.ThrowsAsync<CaseConflictException>(() => lifecycle.FireAsync("seen", TriggerRequest.Complete("role-0-step-0", officer) with { ExpectedVersion = 0 }));
        await Assert.ThrowsAsync<CaseConflictException>(() => lifecycle.FireAsync("seen", new TriggerRequest(CaseTrigger.Start, Clerk) { ExpectedVersion = 0 }));

        Assert.Equal((0L, (long?)1), (stale.ExpectedVersion, stale.FoundVersion));
        Assert.Contains("is at version 1, not the version 0 you acted on", stale.Message);
        Assert.Equal(CaseState.InProgress, (await store.FindAsync("seen"))!.State);
        Assert.Equal(head, await store.HeadAsync());

        // The version the officer now sees is accepted.
        var fired = await lifecycle.FireAsync("seen", TriggerRequest.Complete("role-0-step-0", officer) with { ExpectedVersion = 1 });
        Assert.True(fired.Accepted, string.Join("; ", fired.Reasons));
        Assert.Equal(2, fired.Case.Version);
    }

    [Fact]
    public async Task Accepted_and_refused_triggers_are_chained_in_order_and_verify()
    {
        var store = NewStore();
        var lifecycle = new ProposalLifecycle(store);
        await lifecycle.CreateAsync(Plans.Parallel(2, 1), Clerk, "chain");
        await lifecycle.FireAsync("chain", new TriggerRequest(CaseTrigger.Start, Clerk));
        var refused = await lifecycle.FireAsync("chain", TriggerRequest.Complete("role-0-step-0", new Actor("Eve", "role-1")));
        await lifecycle.FireAsync("chain", TriggerRequest.Complete("role-0-step-0", new Actor("Ann", "role-0")));

        var history = await store.HistoryAsync("chain");

        Assert.False(refused.Accepted);
        Assert.Equal(new[] { "Create", "Start", "CompleteStep", "CompleteStep" }, history.Select(h => h.Trigger));
        Assert.Equal(new[] { true, true, false, true }, history.Select(h => h.Accepted));
        Assert.Equal(new long[] { 1, 2, 3, 4 }, history.Select(h => h.Sequence));
        Assert.Contains("Only role-0 may complete 'role-0-step-0'; Eve acts as role-1", history[2].Detail);
        Assert.All(history.Skip(1).Zip(history), pair => Assert.Equal(pair.Second.Hash, pair.First.PreviousHash));
        Assert.True((await AuditChain.VerifyAsync(store)).IsIntact);
    }

    [Fact]
    public async Task The_audit_table_refuses_updates_and_deletes()
    {
        var store = NewStore();
        await new ProposalLifecycle(store).CreateAsync(Plans.Parallel(1, 1), Clerk, "locked");

        var update = await Assert.ThrowsAnyAsync<Exception>(() => ExecuteAsync(store, "UPDATE audit SET actor = 'Mallory' WHERE seq = 1"));
        var delete = await Assert.ThrowsAnyAsync<Exception>(() => ExecuteAsync(store, "DELETE FROM audit WHERE seq = 1"));

        Assert.Contains("append-only", update.Message);
        Assert.Contains("append-only", delete.Message);
        Assert.Equal("Clerk", (await store.HistoryAsync("locked"))[0].Actor);
    }

    [Theory]
    [InlineData("UPDATE audit SET actor = 'Mallory' WHERE seq = 3", "Entry 3 (CompleteStep role-0-step-0 on case 'tamper' by Mallory) was changed after it was written")]
    [InlineData("UPDATE audit SET to_state = 'Effective' WHERE seq = 3", "Entry 3 (CompleteStep role-0-step-0 on case 'tamper' by Ann) was changed after it was written")]
    [InlineData("DELETE FROM audit WHERE seq = 2", "Case 'tamper' is missing its entries 2–2 (before entry 3)")]
    [InlineData("DELETE FROM audit WHERE seq = 4", "Case 'tamper''s row records its newest audit entry as its entry 4")]
    [InlineData("UPDATE audit SET seq = -1 WHERE seq = 2; UPDATE audit SET seq = 2 WHERE seq = 3; UPDATE audit SET seq = 3 WHERE seq = -1", "Entry 3 is out of order in case 'tamper': it says it is the case's entry 2")]
    [InlineData("UPDATE audit SET seq = 9 WHERE seq = 3", "Entry 9 (CompleteStep role-0-step-0 on case 'tamper' by Ann) was changed after it was written")]
    public async Task Changing_one_audit_row_by_hand_is_reported(string sql, string expected)
    {
        var store = NewStore();
        var lifecycle = new ProposalLifecycle(store);
        await lifecycle.CreateAsync(Plans.Parallel(1, 2), Clerk, "tamper");
        await lifecycle.FireAsync("tamper", new TriggerRequest(CaseTrigger.Start, Clerk));
        await lifecycle.FireAsync("tamper", TriggerRequest.Complete("role-0-step-0", new Actor("Ann", "role-0")));
        await lifecycle.FireAsync("tamper", TriggerRequest.Complete("role-0-step-1", new Actor("Ann", "role-0")));
        Assert.True((await AuditChain.VerifyAsync(store)).IsIntact);

        await TamperAsync(store, sql);
        var result = await AuditChain.VerifyAsync(store);

        Assert.False(result.IsIntact);
        Assert.Contains(result.Problems, p => p.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Eight_actors_firing_a_thousand_transitions_each_lose_and_duplicate_nothing()
    {
        const int Actors = 8, Cases = 100, StepsPerActor = 10;
        var store = NewStore();
        var lifecycle = new ProposalLifecycle(store);
        var plan = Plans.Parallel(Actors, StepsPerActor);
        for (var c = 0; c < Cases; c++)
        {
            await lifecycle.CreateAsync(plan, Clerk, $"case-{c}");
            await lifecycle.FireAsync($"case-{c}", new TriggerRequest(CaseTrigger.Start, Clerk));
        }

        var conflicts = new ConcurrentBag<int>();
        var refusals = new ConcurrentBag<string>();
        await Task.WhenAll(Enumerable.Range(0, Actors).Select(a => Task.Run(async () =>
        {
            var actor = new Actor($"actor-{a}", $"role-{a}");

            // Everyone walks the same cases in the same order, so they collide on every case.
            for (var c = 0; c < Cases; c++)
            {
                for (var s = 0; s < StepsPerActor; s++)
                {
                    while (true)
                    {
                        try
                        {
                            var outcome = await lifecycle.FireAsync($"case-{c}", TriggerRequest.Complete($"role-{a}-step-{s}", actor));
                            if (!outcome.Accepted)
                            {
                                refusals.Add(string.Join("; ", outcome.Reasons));
                            }

                            break;
                        }
                        catch (CaseConflictException)
                        {
                            conflicts.Add(a);
                        }
                    }
                }
            }
        })));

        Assert.Empty(refusals);
        for (var c = 0; c < Cases; c++)
        {
            var done = (await store.FindAsync($"case-{c}"))!;
            Assert.Equal(1 + (Actors * StepsPerActor), done.Version);
            Assert.Equal(plan.Steps.Select(s => s.Id).OrderBy(s => s), done.Completed.Keys.OrderBy(s => s));
            Assert.All(done.Completed, kv => Assert.Equal($"actor-{kv.Key.Split('-')[1]}", kv.Value.By));
        }

        var entries = new List<AuditEntry>();
        await foreach (var entry in store.ReadAuditAsync())
        {
            entries.Add(entry);
        }

        var completions = entries.Where(e => e.Trigger == "CompleteStep" && e.Accepted).ToList();
        Assert.Equal(Actors * StepsPerActor * Cases, completions.Count);
        Assert.Equal(completions.Count, completions.Select(e => (e.CaseId, e.Step)).Distinct().Count());
        Assert.True((await AuditChain.VerifyAsync(store)).IsIntact);
        Assert.NotEmpty(conflicts);
    }

    [Fact]
    public async Task A_writer_killed_mid_burst_leaves_the_last_committed_transition_and_an_intact_chain()
    {
        var store = NewStore();
        var lifecycle = new ProposalLifecycle(store);
        var plan = Plans.Parallel(4, 25);
        for (var c = 0; c < 20; c++)
        {
            await lifecycle.CreateAsync(plan, Clerk, $"burst-{c}");
            await lifecycle.FireAsync($"burst-{c}", new TriggerRequest(CaseTrigger.Start, Clerk));
        }

        var (kind, target) = WriterTarget(store);
        var lastReported = await RunAndKillAsync(kind, target, "burst", 20, killAfter: 150);

        // Read back what the killed writer left: only committed transactions may be there.
        var entries = new List<AuditEntry>();
        await foreach (var entry in store.ReadAuditAsync())
        {
            entries.Add(entry);
        }

        Assert.True((await AuditChain.VerifyAsync(store)).IsIntact);
        // The writer runs ahead of the pipe we read, so more than it reported may have committed; never less.
        Assert.True(entries.Max(e => e.Sequence) >= lastReported, $"entry {lastReported} was reported committed and is gone");
        for (var c = 0; c < 20; c++)
        {
            var stored = (await store.FindAsync($"burst-{c}"))!;
            var accepted = entries.Where(e => e.CaseId == stored.Id && e.Accepted && e.Trigger == "CompleteStep").Select(e => e.Step!).ToList();
            Assert.Equal(accepted.OrderBy(s => s), stored.Completed.Keys.OrderBy(s => s));
            Assert.Equal(1 + accepted.Count, stored.Version);
        }

        // And the store carries on: the rest of the work completes.
        var outcome = await lifecycle.FireAsync("burst-19", TriggerRequest.Complete("role-3-step-24", new Actor("after", "role-3")));
        Assert.True(outcome.Accepted, string.Join("; ", outcome.Reasons));
    }

    private static async Task<long> RunAndKillAsync(string kind, string target, string prefix, int cases, int killAfter)
    {
        var writer = Repository.Built("tests/DecisionRouting.CrashWriter", "DecisionRouting.CrashWriter.dll");
        Assert.True(File.Exists(writer), $"the crash writer is not built at {writer}");
        var start = new ProcessStartInfo("dotnet", new[] { writer, kind, target, prefix, cases.ToString(System.Globalization.CultureInfo.InvariantCulture) })
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        long reported = 0;
        var count = 0;
        while (await process.StandardOutput.ReadLineAsync() is { } line)
        {
            reported = long.Parse(line["committed ".Length..], System.Globalization.CultureInfo.InvariantCulture);
            if (++count == killAfter)
            {
                // SIGKILL: no finally blocks, no flush, no rollback by the process itself.
                process.Kill(entireProcessTree: true);
                break;
            }
        }

        await process.WaitForExitAsync();
        Assert.True(count == killAfter, $"the writer stopped after {count} commits before it could be killed: {await stderr}");
        return reported;
    }
}
