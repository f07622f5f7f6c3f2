using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using DecisionRouting.Tests.Support;

namespace DecisionRouting.Tests.Analyzers;

/// <summary>
/// The packed DecisionRouting package in a throwaway partner project, built with a real <c>dotnet build</c>: the
/// analyzer must load (no CS9057 or CS8032) and report the partner's broken rule files at their file, line and column.
/// </summary>
[Collection("dotnet pack")]
public sealed class PartnerBuildTests
{
    private readonly PackedPackage _package;

    public PartnerBuildTests(PackedPackage package) => _package = package;

    [Fact]
    public void A_partner_with_broken_rule_files_fails_to_build_with_exactly_those_diagnostics()
    {
        using var partner = _package.Partner(brokenRules: true);
        var (exit, output) = partner.Build();
        Assert.NotEqual(0, exit);
        Assert.DoesNotContain("CS9057", output);
        Assert.DoesNotContain("CS8032", output);
        var reported = Regex.Matches(output, @"(\S+\.(?:json|cs))\((\d+),(\d+)\): error (DR\d{4}): ([^\[\r\n]+)")
            .Select(m => $"{Path.GetFileName(m.Groups[1].Value)}({m.Groups[2].Value},{m.Groups[3].Value}): {m.Groups[4].Value}")
            .Distinct()
            .OrderBy(s => s)
            .ToList();
        var (line, column) = Position.Of(PackedPackage.BrokenRules, "\"decisoin\"");
        var (expressionLine, expressionColumn) = Position.Of(PackedPackage.BrokenRules, "FinancialComitment");
        var (codeLine, codeColumn) = Position.Of(PackedPackage.BrokenCode, "\"decison\"");
        var expected = new[]
        {
            $"main.rules.json({expressionLine},{expressionColumn}): DR0010",
            $"main.rules.json({line},{column}): DR0012",
            $"Routing.cs({codeLine},{codeColumn}): DR0031",
        };
        Assert.Equal(expected.OrderBy(s => s), reported);
        Assert.Contains("did you mean 'FinancialCommitment'?", output);
    }

    [Fact]
    public void A_globalconfig_changes_the_severity_of_diagnostics_in_rule_files()
    {
        using var partner = _package.Partner(brokenRules: false);
        File.WriteAllText(Path.Combine(partner.Directory, "rules", "local", "main.rules.json"), TempRuleSet.Rules.Replace("\"decision\" ]", "\"decisoin\" ]"));
        File.WriteAllText(Path.Combine(partner.Directory, ".globalconfig"), "is_global = true\ndotnet_diagnostic.DR0012.severity = warning\n");
        var (exit, output) = partner.Build();
        Assert.True(exit == 0, output);
        Assert.Matches(@"main\.rules\.json\(\d+,\d+\): warning DR0012", output);
    }

    [Fact]
    public void The_rule_tree_root_is_an_msbuild_property_as_it_is_a_cli_option()
    {
        // The partner keeps its base rule set beside the rules folder: outside the default root (the nearest "rules").
        using var partner = _package.Partner(brokenRules: false);
        var local = Path.Combine(partner.Directory, "rules", "local");
        var shared = Path.Combine(partner.Directory, "shared", "base");
        Directory.CreateDirectory(shared);
        File.Move(Path.Combine(local, "catalogue.json"), Path.Combine(shared, "catalogue.json"));
        File.WriteAllText(Path.Combine(shared, "ruleset.json"), """{ "name": "base" }""");
        File.WriteAllText(Path.Combine(shared, "base.rules.json"), TempRuleSet.Rules.Replace("\"main\"", "\"base\"").Replace("\"Big\"", "\"BaseBig\""));
        var manifest = """{ "name": "local", "extends": "../../shared/base" }""";
        File.WriteAllText(Path.Combine(local, "ruleset.json"), manifest);
        var project = Path.Combine(partner.Directory, "Partner.csproj");
        var withFiles = File.ReadAllText(project).Replace("<Nullable>enable</Nullable>", "<Nullable>enable</Nullable>\n    <DecisionRoutingRuleFiles>rules/**/*.json;shared/**/*.json</DecisionRoutingRuleFiles>");
        File.WriteAllText(project, withFiles);

        var (exit, output) = partner.Build();
        Assert.NotEqual(0, exit);
        var (line, column) = Position.Of(manifest, "\"../../shared/base\"");
        Assert.Matches($@"rules/local/ruleset\.json\({line},{column}\): error DR0063: ""extends"" '\.\./\.\./shared/base' leads outside the rule tree", output.Replace('\\', '/'));

        // The same project with the root set to its own folder: the CLI's --rules-root, as a property.
        File.WriteAllText(project, withFiles.Replace("</DecisionRoutingRuleFiles>", "</DecisionRoutingRuleFiles>\n    <DecisionRoutingRulesRoot>.</DecisionRoutingRulesRoot>"));
        (exit, output) = partner.Build();
        Assert.True(exit == 0, output);
        Assert.DoesNotContain("DR0", output);
    }

    [Fact]
    public void Rule_files_none_turns_off_the_step_reference_checks_too()
    {
        // What the README and DR0031's page say: with no rule files there is nothing to check a [StepReference] against,
        // so the broken C# reference builds as silently as the broken rule files.
        using var partner = _package.Partner(brokenRules: true);
        var project = Path.Combine(partner.Directory, "Partner.csproj");
        File.WriteAllText(project, File.ReadAllText(project).Replace("<Nullable>enable</Nullable>", "<Nullable>enable</Nullable>\n    <DecisionRoutingRuleFiles>none</DecisionRoutingRuleFiles>"));
        Assert.Contains("plan.Requires(\"decison\")", File.ReadAllText(Path.Combine(partner.Directory, "Routing.cs")));

        var (exit, output) = partner.Build();
        Assert.True(exit == 0, output);
        Assert.DoesNotContain("DR0", output);
    }

    [Fact]
    public void A_partner_build_restores_into_a_packages_folder_of_its_own_reading_the_user_cache_in_place()
    {
        // The packed 0.1.0-e2e version used to land in ~/.nuget/packages, one more each run, able to shadow a later
        // pack of the same version. Now it lands in the fixture's folder, and what the user's cache already holds
        // (the library's dependencies) is read from there, not copied: restores stay fast and offline.
        using var partner = _package.Partner(brokenRules: false);
        var (exit, output) = partner.Build();
        Assert.True(exit == 0, output);

        var version = _package.Version.ToLowerInvariant();
        Assert.False(Directory.Exists(Path.Combine(IsolatedNuGet.UserPackages, "decisionrouting", version)), "the packed package was restored into the user's NuGet cache");
        Assert.True(File.Exists(Path.Combine(_package.NuGet.Folder, "decisionrouting", version, $"decisionrouting.{version}.nupkg")));
        Assert.True(Directory.Exists(Path.Combine(IsolatedNuGet.UserPackages, "stateless")));
        Assert.Equal(new[] { "decisionrouting" }, Directory.GetDirectories(_package.NuGet.Folder).Select(Path.GetFileName));
    }

    [Fact]
    public void A_clean_partner_builds_with_no_diagnostics_and_routes_with_the_packed_library()
    {
        using var partner = _package.Partner(brokenRules: false);
        var (exit, output) = partner.Build();
        Assert.True(exit == 0, output);
        Assert.DoesNotContain("DR0", output);
        Assert.DoesNotContain("CS9057", output);
        Assert.DoesNotContain("CS8032", output);

        // The consumer check: the packed library loads the partner's rules and routes the Durham seed sample.
        var (runExit, runOutput) = PackedPackage.Dotnet(partner.Directory, "run", "--no-build", "--", Repository.PathOf("samples/proposals/durham-2019-integrated-strategic-commissioning.json"));
        Assert.True(runExit == 0, runOutput);
        Assert.Contains("durham-2019-integrated-strategic-commissioning: notice, decision", runOutput);
    }
}

/// <summary>The tests that pack: one pack for all of them (packing builds Release, minutes on a busy machine).</summary>
[CollectionDefinition("dotnet pack")]
public sealed class PackedPackageCollection : ICollectionFixture<PackedPackage>
{
}

/// <summary>Packs every library package once, with a version of its own, into a folder feed.</summary>
public sealed class PackedPackage : IDisposable
{
    /// <summary>The packages an app restores (docs/packages.md); the CLI tool is packed and installed apart.</summary>
    public static readonly string[] Packages =
    {
        "DecisionRouting", "DecisionRouting.Stores", "DecisionRouting.Stores.Sqlite", "DecisionRouting.Stores.PostgreSql", "DecisionRouting.Hosting",
    };

    public PackedPackage()
    {
        Root = Path.Combine(Path.GetTempPath(), "dr-e2e", Guid.NewGuid().ToString("N"));
        Feed = Path.Combine(Root, "feed");
        Version = $"0.1.0-e2e.{DateTime.UtcNow:yyyyMMddHHmmss}.{Environment.ProcessId}";

        // --no-restore: the test build restored the library already; restoring again here, with this fixture's packages
        // folder, would rewrite the repository's obj/project.assets.json to point at a folder deleted after the tests.
        // MinVerVersionOverride: versions come from git (MinVer), which would otherwise replace the package version.
        // The library's ReadyToRun pass needs runtime packs that only a pack's restore asks for (DecisionRouting.csproj),
        // and the test build's restore did not: restore it as `dotnet pack` would, into the user's cache like any build.
        var (restoreExit, restoreOutput) = Dotnet(Repository.PathOf("."), "restore", "src/DecisionRouting", "-p:DecisionRoutingReadyToRun=true");
        Assert.True(restoreExit == 0, restoreOutput);
        foreach (var package in Packages)
        {
            var (exit, output) = Dotnet(NuGet, Repository.PathOf("."), "pack", $"src/{package}", "--no-restore", "-c", "Release", "-o", Feed, $"-p:Version={Version}", $"-p:MinVerVersionOverride={Version}");
            Assert.True(exit == 0, output);
        }
    }

    /// <summary>The packed .nupkg of <paramref name="package"/>.</summary>
    public string PackageFile(string package) => Path.Combine(Feed, $"{package}.{Version}.nupkg");

    public string Root { get; }

    /// <summary>The packages folder the partner builds restore into: never the user's NuGet cache.</summary>
    public IsolatedNuGet NuGet { get; } = new();

    public string Feed { get; }

    public string Version { get; }

    /// <summary>C# asking a plan about a misspelt step.</summary>
    public const string BrokenCode = """
        namespace Partner;

        public static class Routing
        {
            public static bool NeedsCabinet(DecisionRouting.Routing.RoutingPlan plan) => plan.Requires("decison");
        }
        """;

    /// <summary>The same, spelt right.</summary>
    public static string CleanCode { get; } = BrokenCode.Replace("\"decison\"", "\"decision\"");

    /// <summary>Rules naming a step that does not exist ("decisoin").</summary>
    public static string BrokenRules { get; } = TempRuleSet.Rules
        .Replace("\"decision\" ]", "\"decisoin\" ]")
        .Replace("proposal.FinancialCommitment > 100", "proposal.FinancialComitment > 100");

    /// <summary>
    /// A new app folder under <see cref="Root"/>, as `dotnet new console` and `dotnet add package` make one: a nuget.config
    /// naming only the fixture's feed, and <paramref name="project"/>.csproj (a net10.0 executable, nullable on, no
    /// runtime identifier) referencing each of <paramref name="packages"/> at the packed <see cref="Version"/>.
    /// </summary>
    /// <param name="project">The project file's name, without .csproj.</param>
    /// <param name="sdk">The project SDK, e.g. Microsoft.NET.Sdk or Microsoft.NET.Sdk.Web.</param>
    /// <param name="implicitUsings">Whether the SDK's implicit global usings are on.</param>
    /// <param name="packages">The package ids to reference.</param>
    /// <returns>The folder's full path; the caller writes the app's code into it.</returns>
    public string NewApp(string project, string sdk, bool implicitUsings, params string[] packages)
    {
        var directory = Path.Combine(Root, Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, "nuget.config"), $"""
            <configuration>
              <packageSources>
                <add key="local" value="{Feed}" />
              </packageSources>
            </configuration>
            """);
        var references = string.Concat(packages.Select(p => $"\n    <PackageReference Include=\"{p}\" Version=\"{Version}\" />"));
        File.WriteAllText(Path.Combine(directory, project + ".csproj"), $"""
            <Project Sdk="{sdk}">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <OutputType>Exe</OutputType>
                <Nullable>enable</Nullable>
                <ImplicitUsings>{(implicitUsings ? "enable" : "disable")}</ImplicitUsings>
              </PropertyGroup>
              <ItemGroup>{references}
              </ItemGroup>
            </Project>
            """);
        return directory;
    }

    public PartnerProject Partner(bool brokenRules)
    {
        var directory = NewApp("Partner", "Microsoft.NET.Sdk", implicitUsings: false, "DecisionRouting");
        Directory.CreateDirectory(Path.Combine(directory, "rules", "local"));
        File.WriteAllText(Path.Combine(directory, "Routing.cs"), brokenRules ? BrokenCode : CleanCode);
        File.WriteAllText(Path.Combine(directory, "Program.cs"), """
            using System;
            using System.Linq;
            using DecisionRouting.Proposals;
            using DecisionRouting.Routing;
            using DecisionRouting.RuleSets;

            var read = ProposalReader.ReadFile(args[0]);
            var proposal = read.Proposal! with { FinancialCommitment = 1000 };
            var plan = new Router(RuleSet.Load("rules/local")).Route(proposal);
            Console.WriteLine($"{proposal.Id}: {string.Join(", ", plan.Steps.Select(s => s.Id))}");
            """);
        File.WriteAllText(Path.Combine(directory, "rules", "local", "catalogue.json"), TempRuleSet.Catalogue);
        File.WriteAllText(Path.Combine(directory, "rules", "local", "ruleset.json"), """{ "name": "local" }""");
        File.WriteAllText(Path.Combine(directory, "rules", "local", "main.rules.json"), brokenRules ? BrokenRules : TempRuleSet.Rules);
        return new PartnerProject(directory, NuGet);
    }

    public void Dispose()
    {
        NuGet.Dispose();
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A build server may still hold a file; the temp folder is cleaned by the OS.
        }
    }

    /// <summary>Runs <c>dotnet</c> with a packages folder of its own for this one command, deleted afterwards.</summary>
    internal static (int Exit, string Output) Dotnet(string directory, params string[] args)
    {
        using var nuget = new IsolatedNuGet();
        return Dotnet(nuget, directory, args);
    }

    /// <summary>Runs <c>dotnet</c>, its restores going to <paramref name="nuget"/>'s folder, never the user's cache.</summary>
    internal static (int Exit, string Output) Dotnet(IsolatedNuGet nuget, string directory, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        nuget.Apply(start);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(10)))
        {
            process.Kill(entireProcessTree: true);
            return (-1, "dotnet " + string.Join(" ", args) + " timed out");
        }

        return (process.ExitCode, stdout.Result + stderr.Result);
    }
}

/// <summary>A throwaway partner project folder.</summary>
public sealed class PartnerProject(string directory, IsolatedNuGet nuget) : IDisposable
{
    public string Directory { get; } = directory;

    public (int Exit, string Output) Build(params string[] properties) =>
        PackedPackage.Dotnet(nuget, Directory, new[] { "build", "-nologo", "-clp:NoSummary", "--disable-build-servers" }.Concat(properties).ToArray());

    public void Dispose()
    {
    }
}
