using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using DecisionRouting.ServerCost;
using Microsoft.Extensions.Logging;

// What the reference service costs against a bare minimal-API app, measured in the same run (benchmarks/server-cost.sh):
//   start-up: process start to the first healthy /health answer, the service against this program's "bare" mode
//             (a minimal API whose /health returns a constant), alternating;
//   requests/s: POST /api/route and POST /api/cases/{id}/fire (a sign-off) on SQLite, against GET /constant.
// Usage: ServerCost bare --urls <url>            (the bare app)
//        ServerCost measure <server.dll> <proposal.json> <rules-dir> [rounds] [requests] [concurrency]
if (args.Length > 0 && args[0] == "bare")
{
    var builder = WebApplication.CreateBuilder(args[1..]);
    builder.Logging.ClearProviders();
    var bare = builder.Build();
    bare.MapGet("/health", () => "Healthy");
    bare.MapGet("/constant", () => "constant");
    await bare.RunAsync();
    return 0;
}

if (args.Length < 4 || args[0] != "measure")
{
    Console.Error.WriteLine("usage: ServerCost measure <server.dll> <proposal.json> <rules-dir> [rounds] [requests] [concurrency]");
    return 2;
}

var serverDll = Path.GetFullPath(args[1]);
var proposal = await File.ReadAllTextAsync(args[2]);
var rules = Path.GetFullPath(args[3]);
var rounds = args.Length > 4 ? int.Parse(args[4], CultureInfo.InvariantCulture) : 5;
var requests = args.Length > 5 ? int.Parse(args[5], CultureInfo.InvariantCulture) : 1000;
var concurrency = args.Length > 6 ? int.Parse(args[6], CultureInfo.InvariantCulture) : 4;
var self = typeof(Measure).Assembly.Location;
var work = Directory.CreateTempSubdirectory("dr-server-cost-").FullName;
using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };

string[] ServerArgs(int port, string db) => new[]
{
    serverDll, $"--urls=http://127.0.0.1:{port}", "--environment=Development", $"--DecisionRouting:RulesPath={rules}",
    $"--DecisionRouting:SqlitePath={db}", "--DecisionRouting:DevelopmentRoleHeader:Enabled=true", "--Logging:LogLevel:Default=Warning",
};
string[] BareArgs(int port) => new[] { self, "bare", $"--urls=http://127.0.0.1:{port}", "--Logging:LogLevel:Default=Warning" };

// 1. Start-up, alternating so drift in the machine's load hits both alike.
var serverStarts = new List<double>();
var bareStarts = new List<double>();
for (var round = 0; round < rounds; round++)
{
    var port = Measure.FreePort();
    using (var started = await Measure.StartAsync(http, ServerArgs(port, Path.Combine(work, $"start-{round}.db")), port))
    {
        serverStarts.Add(started.StartupMs);
    }

    port = Measure.FreePort();
    using (var started = await Measure.StartAsync(http, BareArgs(port), port))
    {
        bareStarts.Add(started.StartupMs);
    }
}

// 2. Requests per second, with both processes up at once.
var serverPort = Measure.FreePort();
var barePort = Measure.FreePort();
using var server = await Measure.StartAsync(http, ServerArgs(serverPort, Path.Combine(work, "throughput.db")), serverPort);
using var bareApp = await Measure.StartAsync(http, BareArgs(barePort), barePort);
var serverUrl = $"http://127.0.0.1:{serverPort}";
var bareUrl = $"http://127.0.0.1:{barePort}";

// Warm both (JIT, rule compilation, connection pools) before timing anything.
await Measure.RunAsync(concurrency, 200, _ => Measure.SendAsync(http, HttpMethod.Get, $"{bareUrl}/constant", null, null));
await Measure.RunAsync(concurrency, 200, _ => Measure.SendAsync(http, HttpMethod.Post, $"{serverUrl}/api/route", proposal, null));

// Cases to sign off: one fire each, so every timed fire is an accepted, audited transition.
var prefix = "bench-" + Guid.NewGuid().ToString("N")[..8];
await Measure.RunAsync(concurrency, requests + 200, async i =>
{
    await Measure.SendAsync(http, HttpMethod.Post, $"{serverUrl}/api/cases?id={prefix}-{i}", proposal, "democratic-services");
    await Measure.SendAsync(http, HttpMethod.Post, $"{serverUrl}/api/cases/{prefix}-{i}/fire", """{"trigger":"start"}""", "democratic-services");
});
await Measure.RunAsync(concurrency, 200, i => Measure.SendAsync(http, HttpMethod.Post, $"{serverUrl}/api/cases/{prefix}-{requests + i}/fire", """{"trigger":"complete-step","step":"finance-sign-off"}""", "s151-officer"));

var constant = await Measure.RunAsync(concurrency, requests, _ => Measure.SendAsync(http, HttpMethod.Get, $"{bareUrl}/constant", null, null));
var route = await Measure.RunAsync(concurrency, requests, _ => Measure.SendAsync(http, HttpMethod.Post, $"{serverUrl}/api/route", proposal, null));
var fire = await Measure.RunAsync(concurrency, requests, i => Measure.SendAsync(http, HttpMethod.Post, $"{serverUrl}/api/cases/{prefix}-{i}/fire", """{"trigger":"complete-step","step":"finance-sign-off"}""", "s151-officer"));
var constantAgain = await Measure.RunAsync(concurrency, requests, _ => Measure.SendAsync(http, HttpMethod.Get, $"{bareUrl}/constant", null, null));
var bareRate = (constant + constantAgain) / 2;

double Median(List<double> values) => values.OrderBy(v => v).ElementAt(values.Count / 2);
var report = new StringBuilder()
    .AppendLine(CultureInfo.InvariantCulture, $"Start-up, process start to first healthy /health (median of {rounds}, alternating):")
    .AppendLine(CultureInfo.InvariantCulture, $"  service {Median(serverStarts):F0} ms [{string.Join(", ", serverStarts.Select(v => v.ToString("F0", CultureInfo.InvariantCulture)))}]")
    .AppendLine(CultureInfo.InvariantCulture, $"  bare    {Median(bareStarts):F0} ms [{string.Join(", ", bareStarts.Select(v => v.ToString("F0", CultureInfo.InvariantCulture)))}]")
    .AppendLine(CultureInfo.InvariantCulture, $"  ratio   {Median(serverStarts) / Median(bareStarts):F2}x")
    .AppendLine(CultureInfo.InvariantCulture, $"Requests/s ({requests} requests, {concurrency} concurrent, SQLite; bare measured before and after: {constant:F0}, {constantAgain:F0}):")
    .AppendLine(CultureInfo.InvariantCulture, $"  bare GET /constant          {bareRate:F0}/s")
    .AppendLine(CultureInfo.InvariantCulture, $"  POST /api/route             {route:F0}/s  = {route / bareRate:F3} of bare ({bareRate / route:F1}x slower)")
    .AppendLine(CultureInfo.InvariantCulture, $"  POST /api/cases/{{id}}/fire  {fire:F0}/s  = {fire / bareRate:F3} of bare ({bareRate / fire:F1}x slower)");
Console.Write(report.ToString());
Directory.Delete(work, recursive: true);
return 0;
