using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using DecisionRouting.Tests.Support;

namespace DecisionRouting.Tests.Server;

/// <summary>
/// End to end: two service instances (two hosts on two ports of 127.0.0.1) sharing one PostgreSQL store race on the
/// same case. No update is lost (every accepted fire is in the audit trail exactly once and the chain verifies), and
/// the loser gets 409 with retry advice, re-reads and fires again.
/// </summary>
public sealed class ServerRaceTests
{
    [Fact]
    public async Task Two_instances_racing_on_one_case_lose_no_update_and_the_loser_gets_409_with_retry_advice()
    {
        var database = PostgresServer.NewDatabase();
        var settings = new Dictionary<string, string> { ["PostgreSqlConnectionString"] = database, ["SqlitePath"] = string.Empty };
        await using var a = await ServerHost.StartAsync(settings: settings);
        await using var b = await ServerHost.StartAsync(settings: settings);
        Assert.NotEqual(a.Address.Port, b.Address.Port);
        var id = await a.StartedCaseAsync();

        var accepted = new List<long>();
        var conflicts = 0;
        // Each round: both instances read the same version, then fire a different sign-off on it at the same moment.
        for (var round = 0; round < 3; round++)
        {
            var status = await ServerHost.ReadAsync(await b.Client.GetAsync(new Uri($"api/cases/{id}", UriKind.Relative)));
            var version = status.GetProperty("version").GetInt64();
            var signOffs = status.GetProperty("permittedTriggers").EnumerateArray()
                .Where(t => t.GetProperty("trigger").GetString() == "CompleteStep")
                .Select(t => (Step: t.GetProperty("step").GetString()!, Role: t.GetProperty("roles")[0].GetString()!))
                .Take(2)
                .ToList();
            Assert.Equal(2, signOffs.Count);

            using var barrier = new Barrier(2);
            var racers = new[] { (Host: a, Move: signOffs[0]), (Host: b, Move: signOffs[1]) }.Select(r => Task.Run(async () =>
            {
                var request = ServerHost.As(HttpMethod.Post, $"api/cases/{id}/fire", r.Move.Role, $$"""{"trigger":"complete-step","step":"{{r.Move.Step}}","expectedVersion":{{version}}}""");
                barrier.SignalAndWait();
                return (r.Host, r.Move, Response: await r.Host.SendAsync(request));
            })).ToList();
            var results = await Task.WhenAll(racers);

            var winners = results.Where(r => r.Response.StatusCode == HttpStatusCode.OK).ToList();
            var losers = results.Where(r => r.Response.StatusCode == HttpStatusCode.Conflict).ToList();
            Assert.Single(winners);
            Assert.Single(losers);
            accepted.Add((await ServerHost.ReadAsync(winners[0].Response)).GetProperty("audit").GetInt64());

            var loser = losers[0];
            var problem = await ServerHost.ProblemAsync(loser.Response, 409);
            Assert.True(loser.Response.Headers.RetryAfter is not null, "409 without Retry-After");
            Assert.Contains("Re-read the case's status", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
            conflicts++;

            // As advised: re-read, and fire again on the version now current.
            var reread = (await ServerHost.ReadAsync(await loser.Host.Client.GetAsync(new Uri($"api/cases/{id}", UriKind.Relative)))).GetProperty("version").GetInt64();
            Assert.Equal(version + 1, reread);
            var retry = await loser.Host.SendAsync(ServerHost.As(HttpMethod.Post, $"api/cases/{id}/fire", loser.Move.Role, $$"""{"trigger":"complete-step","step":"{{loser.Move.Step}}","expectedVersion":{{reread}}}"""));
            Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
            accepted.Add((await ServerHost.ReadAsync(retry)).GetProperty("audit").GetInt64());
        }

        await AssertNothingLostAsync(a, b, id, accepted, expectedCompleted: 6);
        Assert.Equal(3, conflicts);
    }

    [Fact]
    public async Task Racing_without_a_version_the_same_sign_off_is_recorded_once()
    {
        var database = PostgresServer.NewDatabase();
        var settings = new Dictionary<string, string> { ["PostgreSqlConnectionString"] = database, ["SqlitePath"] = string.Empty };
        await using var a = await ServerHost.StartAsync(settings: settings);
        await using var b = await ServerHost.StartAsync(settings: settings);
        var id = await a.StartedCaseAsync();

        // Both instances complete the same sign-off at once: whatever the
        // interleaving, one is accepted and the other is a 409 (it lost the race to save) or a 422 (it read the case
        // after the winner saved, and the rules refuse a step done twice). Never two acceptances.
        using var barrier = new Barrier(2);
        var results = await Task.WhenAll(new[] { a, b }.Select(host => Task.Run(async () =>
        {
            var request = ServerHost.As(HttpMethod.Post, $"api/cases/{id}/fire", "s151-officer", """{"trigger":"complete-step","step":"finance-sign-off"}""");
            barrier.SignalAndWait();
            return await host.SendAsync(request);
        })));

        var statuses = results.Select(r => (int)r.StatusCode).OrderBy(s => s).ToList();
        Assert.Equal(200, statuses[0]);
        Assert.Contains(statuses[1], new[] { 409, 422 });
        var accepted = new List<long> { (await ServerHost.ReadAsync(results.Single(r => r.StatusCode == HttpStatusCode.OK))).GetProperty("audit").GetInt64() };
        if (statuses[1] == 409)
        {
            Assert.NotNull(results.Single(r => r.StatusCode == HttpStatusCode.Conflict).Headers.RetryAfter);
        }

        await AssertNothingLostAsync(a, b, id, accepted, expectedCompleted: 1);
    }

    private static async Task AssertNothingLostAsync(ServerHost a, ServerHost b, string id, List<long> accepted, int expectedCompleted)
    {
        var history = (await ServerHost.ReadAsync(await a.Client.GetAsync(new Uri($"api/cases/{id}/history", UriKind.Relative)))).EnumerateArray().ToList();
        var acceptedSteps = history.Where(e => e.GetProperty("accepted").GetBoolean() && e.GetProperty("trigger").GetString() == "CompleteStep").ToList();
        Assert.Equal(expectedCompleted, acceptedSteps.Count);
        Assert.Equal(accepted.OrderBy(s => s), acceptedSteps.Select(e => e.GetProperty("sequence").GetInt64()).OrderBy(s => s));
        Assert.Equal(acceptedSteps.Count, acceptedSteps.Select(e => e.GetProperty("step").GetString()).Distinct(StringComparer.Ordinal).Count());

        // The case, read from the other instance, has every accepted step completed, and its version counts every acceptance.
        var status = await ServerHost.ReadAsync(await b.Client.GetAsync(new Uri($"api/cases/{id}", UriKind.Relative)));
        var completed = status.GetProperty("completed").EnumerateArray().Select(c => c.GetProperty("step").GetString()).ToHashSet(StringComparer.Ordinal);
        Assert.All(acceptedSteps, e => Assert.Contains(e.GetProperty("step").GetString(), completed));
        Assert.Equal(1 + expectedCompleted, status.GetProperty("version").GetInt64());

        foreach (var host in new[] { a, b })
        {
            var verify = await ServerHost.ReadAsync(await host.Client.GetAsync(new Uri("api/audit/verify", UriKind.Relative)));
            Assert.True(verify.GetProperty("intact").GetBoolean(), verify.ToString());
            Assert.Equal(history.Count, verify.GetProperty("entries").GetInt64());
        }
    }
}
