using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text.Json;
using System.Threading.Tasks;
using DecisionRouting.Server;
using DecisionRouting.Tests.Support;

namespace DecisionRouting.Tests.Server;

/// <summary>
/// Each endpoint of the reference service over real HTTP on 127.0.0.1 with a real SQLite file: the happy path, and
/// every error as RFC 9457 ProblemDetails carrying the DR id and position where there is one, never a stack trace.
/// </summary>
public sealed class ServerApiTests
{
    [Fact]
    public async Task Route_gives_the_plan_contract_by_stages_and_mermaid_on_request()
    {
        await using var host = await ServerHost.StartAsync();
        var response = await host.Client.PostAsync("api/route", ServerHost.Json(ServerHost.Sample()));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var plan = await ServerHost.ReadAsync(response);
        Assert.Equal(ServerHost.Croydon, plan.GetProperty("proposal").GetProperty("id").GetString());
        Assert.True(plan.GetProperty("isComplete").GetBoolean());
        Assert.Equal("croydon", plan.GetProperty("ruleSet").GetProperty("name").GetString());
        var steps = plan.GetProperty("steps").EnumerateArray().ToList();
        Assert.Contains(steps, s => s.GetProperty("id").GetString() == "cabinet-decision");
        // The library's contract, not .NET's defaults: ISO days and enum names, never {} or numbers.
        Assert.Equal("2013-07-15", plan.GetProperty("dates").GetProperty("decision").GetString());
        Assert.Equal(JsonValueKind.String, steps[0].GetProperty("kind").ValueKind);
        Assert.Equal("2013-07-22T13:00:00+01:00", steps.Single(s => s.GetProperty("id").GetString() == "call-in-window").GetProperty("timing").GetProperty("closes").GetString());

        var mermaid = await host.Client.PostAsync("api/route?format=mermaid", ServerHost.Json(ServerHost.Sample()));
        Assert.Equal("text/plain", mermaid.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Cabinet decides", await mermaid.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Malformed_proposal_json_is_400_with_DR0001_at_its_line_and_column()
    {
        await using var host = await ServerHost.StartAsync();
        const string body = "{\n  \"id\": \"x\",\n  \"title\": \"t\",,\n}";
        var response = await host.Client.PostAsync("api/route", ServerHost.Json(body));

        var problem = await ServerHost.ProblemAsync(response, 400);
        Assert.Equal("urn:decision-routing:diagnostic:DR0001", problem.GetProperty("type").GetString());
        var diagnostic = problem.GetProperty("diagnostics")[0];
        Assert.Equal("DR0001", diagnostic.GetProperty("id").GetString());
        Assert.Equal("proposal.json", diagnostic.GetProperty("file").GetString());
        var (line, column) = Position.Of(body, ",,");
        Assert.Equal(line, diagnostic.GetProperty("line").GetInt32());
        Assert.Equal(column + 1, diagnostic.GetProperty("column").GetInt32());
        Assert.StartsWith($"proposal.json({line},{column + 1}): error DR0001", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_proposal_value_of_the_wrong_shape_is_400_with_its_DR_id_at_the_value()
    {
        await using var host = await ServerHost.StartAsync();
        var body = ServerHost.Sample().Replace("\"intendedDecisionDate\": \"2013-07-15\"", "\"intendedDecisionDate\": \"15/07/2013\"", StringComparison.Ordinal);
        var response = await host.Client.PostAsync("api/route", ServerHost.Json(body));

        var problem = await ServerHost.ProblemAsync(response, 400);
        var diagnostic = problem.GetProperty("diagnostics")[0];
        Assert.StartsWith("urn:decision-routing:diagnostic:DR", problem.GetProperty("type").GetString(), StringComparison.Ordinal);
        Assert.Equal(problem.GetProperty("type").GetString(), "urn:decision-routing:diagnostic:" + diagnostic.GetProperty("id").GetString());
        var (line, column) = Position.Of(body, "\"15/07/2013\"");
        Assert.Equal(line, diagnostic.GetProperty("line").GetInt32());
        Assert.Equal(column, diagnostic.GetProperty("column").GetInt32());
    }

    [Fact]
    public async Task Explain_says_why_a_step_is_required_and_an_unknown_step_is_400_with_the_nearest_id()
    {
        await using var host = await ServerHost.StartAsync();
        var response = await host.Client.PostAsync("api/explain?step=cabinet-decision", ServerHost.Json(ServerHost.Sample()));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var explanation = await ServerHost.ReadAsync(response);
        Assert.True(explanation.GetProperty("required").GetBoolean());
        var rule = explanation.GetProperty("rules").EnumerateArray().First(r => r.GetProperty("matched").GetBoolean());
        Assert.False(string.IsNullOrEmpty(rule.GetProperty("source").GetString()));
        Assert.NotEmpty(rule.GetProperty("conditions").EnumerateArray());

        var unknown = await host.Client.PostAsync("api/explain?step=cabinet-decison", ServerHost.Json(ServerHost.Sample()));
        var problem = await ServerHost.ProblemAsync(unknown, 400);
        Assert.Contains("cabinet-decision", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);

        var neither = await host.Client.PostAsync("api/explain", ServerHost.Json(ServerHost.Sample()));
        await ServerHost.ProblemAsync(neither, 400);
    }

    [Fact]
    public async Task Validate_checks_a_posted_partner_rule_set_against_the_shipped_baseline_and_gives_positions()
    {
        await using var host = await ServerHost.StartAsync();
        var folder = Repository.PathOf("rules/partnerships/croydon");
        var files = Directory.GetFiles(folder).ToDictionary(f => Path.GetFileName(f), File.ReadAllText, StringComparer.Ordinal);

        var valid = await ServerHost.ReadAsync(await host.Client.PostAsync("api/validate", ServerHost.Json(JsonSerializer.Serialize(new { files }))));
        Assert.True(valid.GetProperty("valid").GetBoolean(), valid.ToString());
        Assert.Equal("croydon", valid.GetProperty("name").GetString());
        Assert.Equal(0, valid.GetProperty("errors").GetInt32());

        // A rule requiring a step no catalogue has (a typo): an error at that reference, in the posted file.
        var rules = files["croydon.rules.json"];
        var broken = rules.Replace("\"collective-consultation-45\"", "\"collective-consultaton-45\"", StringComparison.Ordinal);
        Assert.NotEqual(rules, broken);
        files["croydon.rules.json"] = broken;
        var invalid = await ServerHost.ReadAsync(await host.Client.PostAsync("api/validate", ServerHost.Json(JsonSerializer.Serialize(new { files }))));
        Assert.False(invalid.GetProperty("valid").GetBoolean());
        var error = invalid.GetProperty("diagnostics").EnumerateArray().First(d => d.GetProperty("severity").GetString() == "Error");
        Assert.Equal("rules/partnerships/posted/croydon.rules.json", error.GetProperty("file").GetString());
        var (line, column) = Position.Of(broken, "\"collective-consultaton-45\"");
        Assert.Equal(line, error.GetProperty("line").GetInt32());
        Assert.Equal(column, error.GetProperty("column").GetInt32());

        // The envelope itself: malformed JSON is 400 with where it broke; no files is 400; a path as a name is 400.
        var bad = await ServerHost.ProblemAsync(await host.Client.PostAsync("api/validate", ServerHost.Json("{\"files\": {\"a\": 1}}")), 400);
        Assert.Equal("urn:decision-routing:problem:bad-json", bad.GetProperty("type").GetString());
        Assert.Equal(1, bad.GetProperty("line").GetInt32());
        Assert.Equal("$.files.a", bad.GetProperty("path").GetString());
        await ServerHost.ProblemAsync(await host.Client.PostAsync("api/validate", ServerHost.Json("{}")), 400);
        await ServerHost.ProblemAsync(await host.Client.PostAsync("api/validate", ServerHost.Json("{\"files\": {\"../../../etc/passwd\": \"{}\"}}")), 400);
    }

    [Fact]
    public async Task Posted_rule_files_are_held_to_the_disk_reader_s_size_limit_in_its_words()
    {
        await using var host = await ServerHost.StartAsync();
        var files = Directory.GetFiles(Repository.PathOf("rules/partnerships/croydon")).ToDictionary(f => Path.GetFileName(f), File.ReadAllText, StringComparer.Ordinal);
        var padded = files["croydon.rules.json"] + new string(' ', 4 * 1024 * 1024);
        files["croydon.rules.json"] = padded;

        var posted = await ServerHost.ReadAsync(await host.Client.PostAsync("api/validate", ServerHost.Json(JsonSerializer.Serialize(new { files }))));

        Assert.False(posted.GetProperty("valid").GetBoolean(), posted.ToString());
        var refused = posted.GetProperty("diagnostics").EnumerateArray().Single(d => d.GetProperty("id").GetString() == "DR0062");
        Assert.Equal("rules/partnerships/posted/croydon.rules.json", refused.GetProperty("file").GetString());
        Assert.Contains($"it is {System.Text.Encoding.UTF8.GetByteCount(padded):N0} bytes, over the limit of 4,194,304 bytes", refused.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"trigger":"start","trigger":"withdraw"}""", "bad-json")]
    [InlineData("""{"trigger":"start","expectedVersion":"0"}""", "bad-json")]
    [InlineData("""{"trigger":"start","expectedVersion":-1}""", "bad-expected-version")]
    public async Task A_fire_body_that_could_be_read_two_ways_is_refused_and_nothing_is_audited(string body, string problem)
    {
        await using var host = await ServerHost.StartAsync();
        var created = await host.SendAsync(ServerHost.As(HttpMethod.Post, "api/cases?id=twice", "democratic-services", ServerHost.Sample()));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);

        var fired = await host.SendAsync(ServerHost.As(HttpMethod.Post, "api/cases/twice/fire", "democratic-services", body));

        Assert.Equal($"urn:decision-routing:problem:{problem}", (await ServerHost.ProblemAsync(fired, 400)).GetProperty("type").GetString());
        var history = (await ServerHost.ReadAsync(await host.Client.GetAsync(new Uri("api/cases/twice/history", UriKind.Relative)))).EnumerateArray().ToList();
        Assert.Single(history);
    }

    [Fact]
    public async Task A_validate_body_naming_a_file_twice_is_refused()
    {
        await using var host = await ServerHost.StartAsync();
        var bad = await ServerHost.ProblemAsync(await host.Client.PostAsync("api/validate", ServerHost.Json("""{"files": {"ruleset.json": "{}", "ruleset.json": "{}"}}""")), 400);
        Assert.Equal("urn:decision-routing:problem:bad-json", bad.GetProperty("type").GetString());
    }

    [Fact]
    public async Task A_case_is_created_shown_fired_refused_and_its_history_and_graph_read()
    {
        await using var host = await ServerHost.StartAsync();
        var created = await host.SendAsync(ServerHost.As(HttpMethod.Post, "api/cases?id=icu", "democratic-services", ServerHost.Sample()));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("/api/cases/icu", created.Headers.Location?.OriginalString);
        Assert.Equal("Draft", (await ServerHost.ReadAsync(created)).GetProperty("state").GetString());

        var again = await host.SendAsync(ServerHost.As(HttpMethod.Post, "api/cases?id=icu", "democratic-services", ServerHost.Sample()));
        Assert.Equal("urn:decision-routing:problem:case-exists", (await ServerHost.ProblemAsync(again, 409)).GetProperty("type").GetString());

        var start = await host.SendAsync(ServerHost.As(HttpMethod.Post, "api/cases/icu/fire", "democratic-services", """{"trigger":"start"}"""));
        Assert.Equal(HttpStatusCode.OK, start.StatusCode);
        var signOff = await host.SendAsync(ServerHost.As(HttpMethod.Post, "api/cases/icu/fire", "s151-officer", """{"trigger":"complete-step","step":"finance-sign-off"}""", actor: "Fi Nance"));
        var outcome = await ServerHost.ReadAsync(signOff);
        Assert.Equal(HttpStatusCode.OK, signOff.StatusCode);
        Assert.True(outcome.GetProperty("accepted").GetBoolean());
        Assert.Equal(2, outcome.GetProperty("version").GetInt64());

        var status = await ServerHost.ReadAsync(await host.Client.GetAsync(new Uri("api/cases/icu", UriKind.Relative)));
        Assert.Equal("InProgress", status.GetProperty("state").GetString());
        Assert.Contains(status.GetProperty("completed").EnumerateArray(), c => c.GetProperty("step").GetString() == "finance-sign-off" && c.GetProperty("by").GetString() == "Fi Nance");
        var blocked = status.GetProperty("blockedTriggers").EnumerateArray().Single(b => b.GetProperty("step").GetString() == "cabinet-decision");
        Assert.Contains(blocked.GetProperty("reasons").EnumerateArray(), r => r.GetString()!.Contains("must be completed first", StringComparison.Ordinal));

        // Refused by the rules: 422 with the reasons, and audited.
        var refused = await host.SendAsync(ServerHost.As(HttpMethod.Post, "api/cases/icu/fire", "clerk-to-cabinet", """{"trigger":"complete-step","step":"cabinet-decision"}"""));
        var refusal = await ServerHost.ProblemAsync(refused, 422);
        Assert.Contains("must be completed first", refusal.GetProperty("reasons")[0].GetString(), StringComparison.Ordinal);
        var audited = refusal.GetProperty("audit").GetInt64();

        // Usage mistakes: 400, not audited.
        var typo = await host.SendAsync(ServerHost.As(HttpMethod.Post, "api/cases/icu/fire", "s151-officer", """{"trigger":"complet-step","step":"finance-sign-off"}"""));
        Assert.Contains("complete-step", (await ServerHost.ProblemAsync(typo, 400)).GetProperty("detail").GetString(), StringComparison.Ordinal);
        var noStep = await host.SendAsync(ServerHost.As(HttpMethod.Post, "api/cases/icu/fire", "s151-officer", """{"trigger":"complete-step","step":"finance-signoff"}"""));
        Assert.Equal("urn:decision-routing:problem:invalid-trigger", (await ServerHost.ProblemAsync(noStep, 400)).GetProperty("type").GetString());
        const string badJson = "{\"trigger\": \"complete-step\",\n \"step\": }";
        var broken = await host.SendAsync(ServerHost.As(HttpMethod.Post, "api/cases/icu/fire", "s151-officer", badJson));
        var brokenProblem = await ServerHost.ProblemAsync(broken, 400);
        Assert.Equal(2, brokenProblem.GetProperty("line").GetInt32());
        Assert.Equal(Position.Of(badJson, "}").Column, brokenProblem.GetProperty("column").GetInt32());

        var history = (await ServerHost.ReadAsync(await host.Client.GetAsync(new Uri("api/cases/icu/history", UriKind.Relative)))).EnumerateArray().ToList();
        Assert.Equal(new[] { "Create", "Start", "CompleteStep", "CompleteStep" }, history.Select(e => e.GetProperty("trigger").GetString()));
        Assert.Equal(new[] { true, true, true, false }, history.Select(e => e.GetProperty("accepted").GetBoolean()));
        Assert.Equal(audited, history[^1].GetProperty("sequence").GetInt64());

        var mermaid = await host.Client.GetStringAsync(new Uri("api/cases/icu/graph", UriKind.Relative));
        Assert.Contains("stateDiagram", mermaid, StringComparison.Ordinal);
        var dot = await host.Client.GetStringAsync(new Uri("api/cases/icu/graph?format=dot", UriKind.Relative));
        Assert.Contains("digraph", dot, StringComparison.Ordinal);
        var svg = await host.Client.GetAsync(new Uri("api/cases/icu/graph?format=svg", UriKind.Relative));
        var renderer = host.Services.GetService(typeof(DecisionRouting.Server.GraphRenderer)) as DecisionRouting.Server.GraphRenderer;
        if (renderer!.Available)
        {
            Assert.Equal("image/svg+xml", svg.Content.Headers.ContentType?.MediaType);
            Assert.Contains("<svg", await svg.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        else
        {
            await ServerHost.ProblemAsync(svg, 501);
        }
    }

    [Fact]
    public async Task An_unknown_case_is_404_on_every_case_endpoint()
    {
        await using var host = await ServerHost.StartAsync();
        foreach (var url in new[] { "api/cases/nope", "api/cases/nope/history", "api/cases/nope/graph", "api/cases/nope/graph?format=svg" })
        {
            var problem = await ServerHost.ProblemAsync(await host.Client.GetAsync(new Uri(url, UriKind.Relative)), 404);
            Assert.Equal("urn:decision-routing:problem:case-not-found", problem.GetProperty("type").GetString());
            Assert.Equal("nope", problem.GetProperty("caseId").GetString());
        }

        var fire = await host.SendAsync(ServerHost.As(HttpMethod.Post, "api/cases/nope/fire", "s151-officer", """{"trigger":"start"}"""));
        await ServerHost.ProblemAsync(fire, 404);
    }

    [Fact]
    public async Task Firing_on_a_version_that_moved_on_is_409_with_retry_advice_and_nothing_saved()
    {
        await using var host = await ServerHost.StartAsync();
        var id = await host.StartedCaseAsync();
        var read = (await ServerHost.ReadAsync(await host.Client.GetAsync(new Uri($"api/cases/{id}", UriKind.Relative)))).GetProperty("version").GetInt64();

        var first = await host.SendAsync(ServerHost.As(HttpMethod.Post, $"api/cases/{id}/fire", "s151-officer", $$"""{"trigger":"complete-step","step":"finance-sign-off","expectedVersion":{{read}}}"""));
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var second = await host.SendAsync(ServerHost.As(HttpMethod.Post, $"api/cases/{id}/fire", "monitoring-officer", $$"""{"trigger":"complete-step","step":"legal-sign-off","expectedVersion":{{read}}}"""));

        var problem = await ServerHost.ProblemAsync(second, 409);
        Assert.Equal("urn:decision-routing:problem:conflict", problem.GetProperty("type").GetString());
        Assert.Equal("1", second.Headers.GetValues("Retry-After").Single());
        Assert.Contains($"Re-read the case's status (GET /api/cases/{id}) and fire again", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var history = (await ServerHost.ReadAsync(await host.Client.GetAsync(new Uri($"api/cases/{id}/history", UriKind.Relative)))).EnumerateArray();
        Assert.DoesNotContain(history, e => e.GetProperty("step").GetString() == "legal-sign-off");
    }

    [Fact]
    public async Task The_audit_trail_verifies_and_gives_its_head()
    {
        await using var host = await ServerHost.StartAsync();
        await host.StartedCaseAsync();
        var verify = await ServerHost.ReadAsync(await host.Client.GetAsync(new Uri("api/audit/verify", UriKind.Relative)));
        Assert.True(verify.GetProperty("intact").GetBoolean());
        Assert.Equal(2, verify.GetProperty("entries").GetInt64());
        var head = await ServerHost.ReadAsync(await host.Client.GetAsync(new Uri("api/audit/head", UriKind.Relative)));
        Assert.Equal(2, head.GetProperty("sequence").GetInt64());
        Assert.Equal(1, head.GetProperty("cases").GetInt64());
        Assert.Equal(64, head.GetProperty("root").GetString()!.Length);
        Assert.StartsWith("decision-routing-audit-head/2 seq=2 entries=2 cases=1 root=", head.GetProperty("text").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_audit_key_file_keys_every_entry_and_verify_checks_them_with_it()
    {
        var keyFile = Path.Combine(Path.GetTempPath(), "dr-server-key-" + Guid.NewGuid().ToString("N")[..8]);
        await File.WriteAllTextAsync(keyFile, Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)) + "\n");
        try
        {
            await using var host = await ServerHost.StartAsync(settings: new Dictionary<string, string> { ["AuditKeyFile"] = keyFile });
            var id = await host.StartedCaseAsync();

            var key = DecisionRouting.Lifecycle.AuditKey.FromFile(keyFile);
            var history = (await ServerHost.ReadAsync(await host.Client.GetAsync(new Uri($"api/cases/{id}/history", UriKind.Relative)))).EnumerateArray().ToList();
            Assert.Equal(2, history.Count);
            Assert.All(history, e => Assert.Equal(key.Id, e.GetProperty("keyId").GetString()));
            var verify = await ServerHost.ReadAsync(await host.Client.GetAsync(new Uri("api/audit/verify", UriKind.Relative)));
            Assert.True(verify.GetProperty("intact").GetBoolean(), verify.ToString());
        }
        finally
        {
            File.Delete(keyFile);
        }
    }

    [Theory]
    [InlineData("missing", "no such file")]
    [InlineData("short", "decodes to 9 bytes; it needs at least 32")]
    [InlineData("device", "an audit key file is a line of base64")]
    public async Task An_unusable_audit_key_file_stops_the_service_before_it_serves_saying_why(string kind, string expected)
    {
        var keyFile = kind switch
        {
            "missing" => Path.Combine(Path.GetTempPath(), "dr-no-such-key-" + Guid.NewGuid().ToString("N")[..8]),
            "device" => "/dev/zero",
            _ => Path.Combine(Path.GetTempPath(), "dr-short-key-" + Guid.NewGuid().ToString("N")[..8]),
        };
        if (kind == "short")
        {
            await File.WriteAllTextAsync(keyFile, Convert.ToBase64String(new byte[9]));
        }

        try
        {
            var e = await Assert.ThrowsAsync<ServerConfigurationException>(() => ServerHost.StartAsync(settings: new Dictionary<string, string> { ["AuditKeyFile"] = keyFile }));
            Assert.StartsWith($"DecisionRouting:AuditKeyFile ({keyFile}): ", e.Message, StringComparison.Ordinal);
            Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        }
        finally
        {
            // Never the device: the tests may run as root.
            if (kind == "short")
            {
                File.Delete(keyFile);
            }
        }
    }

    [Fact]
    public async Task A_failure_inside_the_service_is_a_500_problem_without_a_stack_trace_even_in_Development()
    {
        await using var host = await ServerHost.StartAsync("Development");
        // The store file is not a database: every read of it fails inside SQLite.
        await File.WriteAllTextAsync(Path.Combine(host.Folder!, "cases.db"), new string('x', 8192));

        var response = await host.Client.GetAsync(new Uri("api/cases/icu", UriKind.Relative));
        var problem = await ServerHost.ProblemAsync(response, 500);
        Assert.Equal("urn:decision-routing:problem:internal", problem.GetProperty("type").GetString());
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("traceId").GetString()));
        var text = problem.ToString();
        Assert.DoesNotContain("SQLite", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("database", text, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task The_OpenAPI_document_lists_every_endpoint_and_health_is_served()
    {
        await using var host = await ServerHost.StartAsync();
        var document = await ServerHost.ReadAsync(await host.Client.GetAsync(new Uri("openapi/v1.json", UriKind.Relative)));
        var paths = document.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var path in new[] { "/api/validate", "/api/route", "/api/explain", "/api/cases", "/api/cases/{id}", "/api/cases/{id}/fire", "/api/cases/{id}/history", "/api/cases/{id}/graph", "/api/audit/verify", "/api/audit/head" })
        {
            Assert.Contains(path, paths);
        }

        var health = await host.Client.GetAsync(new Uri("health", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal("Healthy", await health.Content.ReadAsStringAsync());
    }
}
