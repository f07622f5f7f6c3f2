using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using DecisionRouting.Server;
using DecisionRouting.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace DecisionRouting.Tests.Server;

/// <summary>
/// The reference service, started in this process exactly as <c>Program.cs</c> starts it (<see cref="ServerApp.Build"/>),
/// on Kestrel on a free port of 127.0.0.1: every test talks to it over real HTTP. Its SQLite file is in a folder of its
/// own, deleted with the host.
/// </summary>
public sealed class ServerHost : IAsyncDisposable
{
    public const string Croydon = "croydon-2013-integrated-commissioning-unit";

    private readonly WebApplication _app;
    private readonly string? _folder;

    private ServerHost(WebApplication app, Uri address, string? folder)
    {
        _app = app;
        _folder = folder;
        Address = address;
        Client = new HttpClient { BaseAddress = address };
    }

    public Uri Address { get; }

    public HttpClient Client { get; }

    public string? Folder => _folder;

    public IServiceProvider Services => _app.Services;

    /// <summary>
    /// Starts the service in <paramref name="environment"/> with Croydon's rules and a fresh SQLite file (unless
    /// <paramref name="settings"/> say otherwise: keys below <c>DecisionRouting:</c>, or full keys with a colon).
    /// </summary>
    public static async Task<ServerHost> StartAsync(string environment = "Development", IDictionary<string, string>? settings = null, Action<WebApplicationBuilder>? configure = null, bool developmentHeader = true)
    {
        var folder = Path.Combine(Path.GetTempPath(), "dr-server-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(folder);
        var all = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["RulesPath"] = Repository.PathOf("rules/partnerships/croydon"),
            ["SqlitePath"] = Path.Combine(folder, "cases.db"),
            ["DevelopmentRoleHeader:Enabled"] = developmentHeader ? "true" : "false",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            all[key] = value;
        }

        var args = new List<string> { $"--environment={environment}", "--urls=http://127.0.0.1:0" };
        args.AddRange(all.Select(kv => kv.Key.StartsWith("Logging:", StringComparison.Ordinal) ? $"--{kv.Key}={kv.Value}" : $"--DecisionRouting:{kv.Key}={kv.Value}"));
        var app = ServerApp.Build(args.ToArray(), configure);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new ServerHost(app, new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal) + "/"), folder);
    }

    public static string Sample(string name = Croydon) => File.ReadAllText(Repository.PathOf($"samples/proposals/{name}.json"));

    public static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    /// <summary>A request acting through the development header.</summary>
    public static HttpRequestMessage As(HttpMethod method, string url, string role, string? body = null, string actor = "Test Officer")
    {
        var request = new HttpRequestMessage(method, url);
        request.Headers.Add("X-DecisionRouting-Role", role);
        request.Headers.Add("X-DecisionRouting-Actor", actor);
        if (body is not null)
        {
            request.Content = Json(body);
        }

        return request;
    }

    public async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request) => await Client.SendAsync(request);

    /// <summary>Creates the Croydon case and starts it (democratic services), returning its id.</summary>
    public async Task<string> StartedCaseAsync(string? id = null, string proposal = Croydon)
    {
        var created = await SendAsync(As(HttpMethod.Post, "api/cases" + (id is null ? string.Empty : $"?id={Uri.EscapeDataString(id)}"), "democratic-services", Sample(proposal)));
        Assert.Equal(System.Net.HttpStatusCode.Created, created.StatusCode);
        var caseId = (await ReadAsync(created)).GetProperty("id").GetString()!;
        var started = await SendAsync(As(HttpMethod.Post, $"api/cases/{caseId}/fire", "democratic-services", """{"trigger":"start"}"""));
        Assert.Equal(System.Net.HttpStatusCode.OK, started.StatusCode);
        return caseId;
    }

    public static async Task<JsonElement> ReadAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>Asserts a ProblemDetails response: status, media type, the RFC 9457 members, and no stack trace or exception type.</summary>
    public static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, int status)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == (int)response.StatusCode, $"expected {status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        NoStackTrace(text);
        var problem = JsonDocument.Parse(text).RootElement.Clone();
        Assert.Equal(status, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("type").GetString()));
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("title").GetString()));
        return problem;
    }

    public static void NoStackTrace(string text)
    {
        Assert.DoesNotContain("   at ", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", text, StringComparison.Ordinal);
        Assert.DoesNotContain(".cs:line", text, StringComparison.Ordinal);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (_folder is not null)
        {
            try
            {
                Directory.Delete(_folder, recursive: true);
            }
            catch (IOException)
            {
                // A file still held open is left in the temp folder rather than failing the test.
            }
        }
    }
}
