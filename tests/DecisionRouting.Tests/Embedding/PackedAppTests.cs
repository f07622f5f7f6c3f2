using System;
using System.Diagnostics;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using DecisionRouting.Tests.Analyzers;
using DecisionRouting.Tests.Support;

namespace DecisionRouting.Tests.Embedding;

/// <summary>
/// Fresh apps built from the packed packages (a folder feed, a NuGet packages folder of their own), as a new user
/// would: what a SQLite app restores, and an ASP.NET Core app serving the library's JSON with no converters of its own.
/// </summary>
[Collection("dotnet pack")]
public sealed class PackedAppTests
{
    private readonly PackedPackage _package;

    public PackedAppTests(PackedPackage package) => _package = package;

    [Fact]
    public void A_sqlite_app_restores_no_npgsql_and_a_postgresql_app_does()
    {
        using var nuget = new IsolatedNuGet();
        var sqlite = App("Microsoft.NET.Sdk", "DecisionRouting.Hosting", "DecisionRouting.Stores.Sqlite");
        var (exit, output) = PackedPackage.Dotnet(nuget, sqlite, "restore");
        Assert.True(exit == 0, output);
        var libraries = Libraries(sqlite);
        Assert.Contains("DecisionRouting.Hosting", libraries);
        Assert.Contains("DecisionRouting.Stores.Sqlite", libraries);
        Assert.Contains("Microsoft.Data.Sqlite", libraries);
        Assert.DoesNotContain(libraries, l => l.StartsWith("Npgsql", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain("DecisionRouting.Stores.PostgreSql", libraries);

        // The control: the same check sees Npgsql when the app asks for PostgreSQL, so its silence above means something.
        var postgres = App("Microsoft.NET.Sdk", "DecisionRouting.Hosting", "DecisionRouting.Stores.PostgreSql");
        (exit, output) = PackedPackage.Dotnet(nuget, postgres, "restore");
        Assert.True(exit == 0, output);
        Assert.Contains("Npgsql", Libraries(postgres));
    }

    [Fact]
    public void Every_package_ships_its_readme_xml_docs_and_symbols_and_the_rule_files_assembly_goes_with_the_library()
    {
        foreach (var package in PackedPackage.Packages)
        {
            using var nupkg = ZipFile.OpenRead(_package.PackageFile(package));
            var entries = nupkg.Entries.Select(e => e.FullName).ToList();
            Assert.Contains("README.md", entries);
            Assert.Contains($"lib/net10.0/{package}.xml", entries);
            var nuspec = new StreamReader(nupkg.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal)).Open()).ReadToEnd();
            Assert.Contains("<readme>README.md</readme>", nuspec);
            Assert.Contains("<license type=\"expression\">MIT</license>", nuspec);
            Assert.Matches("<repository type=\"git\" url=\"https://[^\"]+\"", nuspec);
            Assert.Matches("<description>[^<]{40,}</description>", nuspec);
            Assert.Contains("<tags>", nuspec);
            Assert.True(File.Exists(Path.ChangeExtension(_package.PackageFile(package), ".snupkg")), $"{package}: no symbols package");
        }

        using var library = ZipFile.OpenRead(_package.PackageFile("DecisionRouting"));
        var shipped = library.Entries.Select(e => e.FullName).ToList();
        Assert.Contains("lib/net10.0/DecisionRouting.RuleFiles.dll", shipped);
        Assert.Contains("lib/net10.0/DecisionRouting.RuleFiles.xml", shipped);
        Assert.Contains("analyzers/dotnet/cs/DecisionRouting.Analyzers.dll", shipped);
        using var symbols = ZipFile.OpenRead(Path.ChangeExtension(_package.PackageFile("DecisionRouting"), ".snupkg"));
        Assert.Contains("lib/net10.0/DecisionRouting.RuleFiles.pdb", symbols.Entries.Select(e => e.FullName));
    }

    [Fact]
    public async Task A_fresh_aspnet_app_from_the_packages_serves_plans_and_case_status_as_the_json_contract()
    {
        using var nuget = new IsolatedNuGet();
        var directory = App("Microsoft.NET.Sdk.Web", "DecisionRouting.Hosting");
        File.WriteAllText(Path.Combine(directory, "Program.cs"), """
            using DecisionRouting.Hosting;
            using DecisionRouting.Lifecycle;
            using DecisionRouting.Proposals;
            using DecisionRouting.Routing;
            using DecisionRouting.Serialization;

            var builder = WebApplication.CreateBuilder(args);
            builder.Services.AddDecisionRouting(o =>
            {
                o.RulesPath = builder.Configuration["Rules"];
                o.SqlitePath = "cases.db";
            });
            builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.ConfigureForDecisionRouting());
            var app = builder.Build();
            app.MapPost("/route", async (HttpRequest request, Router router) =>
                router.Route((await ProposalReader.ReadAsync(request.Body, "request", request.HttpContext.RequestAborted)).Proposal!));
            app.MapPost("/cases", async (HttpRequest request, Router router, ProposalLifecycle cases) =>
            {
                var plan = router.Route((await ProposalReader.ReadAsync(request.Body, "request", request.HttpContext.RequestAborted)).Proposal!);
                var created = await cases.CreateAsync(plan, new Actor("Dem Services", "democratic-services"));
                return await cases.StatusAsync(created.Id);
            });
            app.MapGet("/cases/{id}", (string id, ProposalLifecycle cases) => cases.StatusAsync(id));
            app.Run();
            """);
        var (exit, output) = PackedPackage.Dotnet(nuget, directory, "build", "-nologo", "-clp:NoSummary", "--disable-build-servers");
        Assert.True(exit == 0, output);

        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "run", "--no-build", "--", "--urls", "http://127.0.0.1:0", "--Rules", Repository.PathOf("rules/partnerships/croydon") })
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        using var app = Process.Start(start)!;
        try
        {
            var address = await ListeningAddress(app);
            using var http = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromMinutes(2) };
            var proposal = File.ReadAllText(Repository.PathOf("samples/proposals/croydon-2013-integrated-commissioning-unit.json"));

            using var planResponse = await http.PostAsync("/route", new StringContent(proposal, Encoding.UTF8, "application/json"));
            var planJson = await planResponse.Content.ReadAsStringAsync();
            Assert.True(planResponse.IsSuccessStatusCode, planJson);
            using (var plan = JsonDocument.Parse(planJson))
            {
                Assert.Equal("croydon", plan.RootElement.GetProperty("ruleSet").GetProperty("name").GetString());
                Assert.True(plan.RootElement.GetProperty("isComplete").GetBoolean(), planJson);
                Assert.Matches(@"^\d{4}-\d{2}-\d{2}$", plan.RootElement.GetProperty("dates").GetProperty("asOf").GetString()!);
                var step = plan.RootElement.GetProperty("steps")[0];
                Assert.Matches("^[A-Z][A-Za-z]+$", step.GetProperty("kind").GetString()!); // an enum, by name
            }

            Assert.DoesNotContain("{}", planJson, StringComparison.Ordinal);

            using var created = await http.PostAsync("/cases", new StringContent(proposal, Encoding.UTF8, "application/json"));
            var createdJson = await created.Content.ReadAsStringAsync();
            Assert.True(created.IsSuccessStatusCode, createdJson);
            var id = JsonDocument.Parse(createdJson).RootElement.GetProperty("id").GetString()!;

            var statusJson = await http.GetStringAsync($"/cases/{Uri.EscapeDataString(id)}");
            using var status = JsonDocument.Parse(statusJson);
            Assert.Equal("Draft", status.RootElement.GetProperty("state").GetString());
            Assert.Matches(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$", status.RootElement.GetProperty("at").GetString()!);
            Assert.DoesNotContain("\"at\":{}", statusJson, StringComparison.Ordinal);
            Assert.DoesNotMatch("\"(state|trigger)\":\\d", statusJson);
        }
        finally
        {
            app.Kill(entireProcessTree: true);
            await app.WaitForExitAsync();
        }
    }

    /// <summary>The address the app logs ("Now listening on: http://127.0.0.1:NNNN"), or fails with what it printed.</summary>
    private static async Task<string> ListeningAddress(Process app)
    {
        var seen = new StringBuilder();
        var reading = Task.Run(async () =>
        {
            while (await app.StandardOutput.ReadLineAsync() is { } line)
            {
                seen.AppendLine(line);
                if (Regex.Match(line, @"Now listening on: (http://127\.0\.0\.1:\d+)") is { Success: true } match)
                {
                    return match.Groups[1].Value;
                }
            }

            return null;
        });
        var finished = await Task.WhenAny(reading, Task.Delay(TimeSpan.FromMinutes(3)));
        if (finished == reading && reading.Result is { } address)
        {
            return address;
        }

        app.Kill(entireProcessTree: true);
        Assert.Fail($"the app did not start listening:\n{seen}\n{await app.StandardError.ReadToEndAsync()}");
        return string.Empty;
    }

    /// <summary>The library names in the app's restore result (obj/project.assets.json).</summary>
    private static string[] Libraries(string directory)
    {
        using var assets = JsonDocument.Parse(File.ReadAllText(Path.Combine(directory, "obj", "project.assets.json")));
        return assets.RootElement.GetProperty("libraries").EnumerateObject().Select(l => l.Name.Split('/')[0]).ToArray();
    }

    /// <summary>A new app folder referencing <paramref name="packages"/> at the packed version, from the fixture's feed.</summary>
    private string App(string sdk, params string[] packages)
    {
        var directory = _package.NewApp("App", sdk, implicitUsings: true, packages);
        File.WriteAllText(Path.Combine(directory, "Program.cs"), "System.Console.WriteLine(typeof(DecisionRouting.Hosting.DecisionRoutingOptions));\n");
        return directory;
    }
}
