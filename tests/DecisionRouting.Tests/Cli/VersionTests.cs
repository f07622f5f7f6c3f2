using System.IO;
using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using DecisionRouting.Cli;
using DecisionRouting.Tests.Support;

namespace DecisionRouting.Tests.Cli;

/// <summary>Versions come from git (MinVer, docs/packages.md): a pre-release of its own per commit until 1.0.</summary>
public sealed class VersionTests
{
    private static string Informational(Assembly assembly) =>
        assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion;

    [Fact]
    public void What_ships_is_versioned_from_git_as_a_pre_release_naming_its_commit()
    {
        // Before the first tag, MinVer gives 0.1.0-alpha.0.<height>; the build adds the commit, so two branches at the
        // same height still differ, and no build is ever the bare 0.1.0 that a NuGet cache could already hold.
        foreach (var assembly in new[] { typeof(Program).Assembly, typeof(DecisionRouting.Routing.Router).Assembly, typeof(DecisionRouting.Stores.RelationalProposalStore).Assembly, typeof(DecisionRouting.Hosting.DecisionRoutingOptions).Assembly })
        {
            var version = Informational(assembly);
            Assert.Matches(@"^0\.\d+\.\d+-alpha\.0\.\d+\.g[0-9a-f]{10}(\+[0-9a-f]{40})?$", version);
        }

        Assert.Equal(Informational(typeof(Program).Assembly), Informational(typeof(DecisionRouting.Routing.Router).Assembly));
    }

    [Fact]
    public void Sarif_names_the_package_version_not_the_assembly_version()
    {
        // MinVer keeps AssemblyVersion at major.0.0.0, so the old source of the SARIF version said 0.0.0.0 for every 0.x.
        var stdout = new StringWriter();
        Program.Run(new[] { "validate", Repository.PathOf("rules/england"), "--format", "sarif" }, stdout, new StringWriter());
        using var sarif = JsonDocument.Parse(stdout.ToString());
        var driver = sarif.RootElement.GetProperty("runs")[0].GetProperty("tool").GetProperty("driver");
        var expected = Regex.Replace(Informational(typeof(Program).Assembly), @"\+.*$", string.Empty);
        Assert.Equal(expected, driver.GetProperty("version").GetString());
    }
}
