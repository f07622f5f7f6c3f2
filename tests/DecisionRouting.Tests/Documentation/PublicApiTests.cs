using System;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using DecisionRouting.Tests.Analyzers;
using DecisionRouting.Tests.Support;

namespace DecisionRouting.Tests.Documentation;

/// <summary>
/// The pinned public API (docs/versioning.md). The analyzer keeps each project's code and its PublicAPI files in step;
/// these tests keep the files themselves honest: every packaged library has them, they stay sorted, the plumbing
/// stays out of them, and the repository's wiring really fails a build on an unrecorded change.
/// </summary>
public sealed class PublicApiTests
{
    /// <summary>The projects whose assemblies an app compiles against (RuleFiles ships inside the DecisionRouting package).</summary>
    private static readonly string[] LibraryPaths = { "src/DecisionRouting", "src/DecisionRouting.RuleFiles", "src/DecisionRouting.Stores", "src/DecisionRouting.Stores.Sqlite", "src/DecisionRouting.Stores.PostgreSql", "src/DecisionRouting.Hosting", "src/DecisionRouting.Analysis" };

    public static TheoryData<string> Libraries => new(LibraryPaths);

    [Theory]
    [MemberData(nameof(Libraries))]
    public void Every_packaged_library_tracks_its_public_api_in_sorted_files(string project)
    {
        var csproj = File.ReadAllText(Repository.PathOf($"{project}/{Path.GetFileName(project)}.csproj"));
        Assert.Contains("<TrackPublicApi>true</TrackPublicApi>", csproj);
        foreach (var name in new[] { "PublicAPI.Shipped.txt", "PublicAPI.Unshipped.txt" })
        {
            var lines = File.ReadAllLines(Repository.PathOf($"{project}/{name}"));
            Assert.Equal("#nullable enable", lines[0]);
            var entries = lines.Skip(1).Where(l => l.Length > 0).ToList();

            // The order the analyzer's code fix writes, so a regenerated file shows only real changes in a diff.
            Assert.Equal(entries.OrderBy(l => l, StringComparer.OrdinalIgnoreCase), entries);
            Assert.Equal(entries.Count, entries.Distinct(StringComparer.Ordinal).Count());
        }
    }

    [Theory]
    [InlineData("DecisionRouting.Diagnostics.NameSuggestions")]
    [InlineData("DecisionRouting.Diagnostics.DiagnosticDescriptors")]
    [InlineData("DecisionRouting.Expressions.AllowedMembers")]
    [InlineData("DecisionRouting.Expressions.ExpressionLimits")]
    [InlineData("DecisionRouting.Expressions.ExpressionNames")]
    [InlineData("DecisionRouting.Expressions.ExpressionCost")]
    [InlineData("DecisionRouting.Expressions.ImplicitDefaults")]
    [InlineData("DecisionRouting.Expressions.ProposalLimits")]
    [InlineData("DecisionRouting.Expressions.IExpressionChecker")]
    [InlineData("DecisionRouting.Expressions.IExpressionScope")]
    [InlineData("DecisionRouting.Expressions.ExpressionProblem")]
    [InlineData("DecisionRouting.RuleSets.RuleSetReader")]
    [InlineData("DecisionRouting.RuleSets.RuleSetBounds")]
    [InlineData("DecisionRouting.Text.SourceDocument")]
    [InlineData("DecisionRouting.Text.TextSpan")]
    [InlineData("DecisionRouting.Text.SupportedDates")]
    [InlineData("DecisionRouting.Text.UnsafeCharacters")]
    [InlineData("DecisionRouting.Documentation.RulesCatalogue")]
    [InlineData("DecisionRouting.Documentation.LawStatus")]
    public void Plumbing_is_not_public_api(string type)
    {
        var declared = LibraryPaths.SelectMany(p => new[] { "Shipped", "Unshipped" }.SelectMany(k => File.ReadAllLines(Repository.PathOf($"{p}/PublicAPI.{k}.txt"))));
        Assert.DoesNotContain(declared, l => Regex.IsMatch(l, $@"(^|[\s(<,]){Regex.Escape(type)}($|[.!?>,\s)])"));
    }

    [Fact]
    public void The_seam_for_rules_kept_elsewhere_is_public_api()
    {
        var declared = File.ReadAllLines(Repository.PathOf("src/DecisionRouting/PublicAPI.Unshipped.txt"))
            .Concat(File.ReadAllLines(Repository.PathOf("src/DecisionRouting.RuleFiles/PublicAPI.Unshipped.txt")));
        Assert.Contains("DecisionRouting.RuleSets.IRuleSetFileSystem", declared);
        Assert.Contains("DecisionRouting.RuleSets.RuleFileRefusedException", declared);
        Assert.Contains(declared, l => l.StartsWith("static DecisionRouting.RuleSets.RuleSet.TryLoad(string! directory, DecisionRouting.RuleSets.IRuleSetFileSystem! files)", StringComparison.Ordinal));
    }

    /// <summary>
    /// A throwaway library wired exactly as the repository's libraries are (its Directory.Build.props, .targets and
    /// central package versions, and <c>TrackPublicApi</c>): a public member missing from its PublicAPI files and a
    /// recorded one that is gone both fail the build; the recorded member that still exists does not.
    /// </summary>
    [Fact]
    public void An_unrecorded_public_api_change_fails_the_build()
    {
        var directory = Path.Combine(Path.GetTempPath(), "dr-publicapi", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        try
        {
            foreach (var name in new[] { "Directory.Build.props", "Directory.Build.targets", "Directory.Packages.props" })
            {
                File.WriteAllText(Path.Combine(directory, name), $"""<Project><Import Project="{Repository.PathOf(name)}" /></Project>""");
            }

            File.WriteAllText(Path.Combine(directory, "Probe.csproj"), """
                <Project Sdk="Microsoft.NET.Sdk">
                  <PropertyGroup>
                    <TargetFramework>net10.0</TargetFramework>
                    <TrackPublicApi>true</TrackPublicApi>
                  </PropertyGroup>
                </Project>
                """);
            File.WriteAllText(Path.Combine(directory, "Probe.cs"), """
                namespace Probe
                {
                    /// <summary>A recorded type.</summary>
                    public sealed class Kept
                    {
                        /// <summary>Recorded.</summary>
                        public int Recorded() => 1;

                        /// <summary>Added without recording it.</summary>
                        public int Added() => 2;
                    }
                }
                """);
            File.WriteAllText(Path.Combine(directory, "PublicAPI.Shipped.txt"), "#nullable enable\nProbe.Kept\nProbe.Kept.Kept() -> void\nProbe.Kept.Recorded() -> int\nProbe.Kept.Removed() -> int\n");
            File.WriteAllText(Path.Combine(directory, "PublicAPI.Unshipped.txt"), "#nullable enable\n");

            var (exit, output) = PackedPackage.Dotnet(directory, "build", "-nologo", "-clp:NoSummary", "--disable-build-servers");

            Assert.NotEqual(0, exit);
            Assert.Matches(@"Probe\.cs\(\d+,\d+\): error RS0016: Symbol 'Probe\.Kept\.Added\(\) -> int' is not part of the declared public API", output);
            Assert.Matches(@"PublicAPI\.Shipped\.txt\(5,1\): error RS0017: Symbol 'Probe\.Kept\.Removed\(\) -> int' is part of the declared API, but is either not public or could not be found", output);
            Assert.DoesNotContain("Recorded()", output);
        }
        finally
        {
            try
            {
                Directory.Delete(directory, recursive: true);
            }
            catch (IOException)
            {
                // A build node may still hold a file; the temp folder is cleaned by the OS.
            }
        }
    }
}
