using System;
using System.IO;
using DecisionRouting.Tests.Analyzers;
using DecisionRouting.Tests.Support;

namespace DecisionRouting.Tests.Documentation;

/// <summary>
/// The house style (docs/contributing.md#house-style) is enforced by the build, not only written down: a throwaway
/// library under the repository's own tree (in the git-ignored <c>artifacts/</c>, so it inherits the root
/// .editorconfig, Directory.Build.props and the central package versions exactly as src/ does) fails a real
/// <c>dotnet build</c> on each kind of rule (IDE naming, layout and unused-using rules, and a Meziantou.Analyzer rule), and builds
/// once the same code follows the style.
/// </summary>
public sealed class HouseStyleTests
{
    /// <summary>A src-style library written the way the codebase used to drift.</summary>
    private const string Drifted = """
        using System;

        namespace Probe;

        /// <summary>Counts.</summary>
        public sealed class Counter
        {
            private int count;

            /// <summary>The next count.</summary>
            public int Next() => ++count;

            /// <summary>A count read back.</summary>
            public static int Parse(string text) => int.Parse(text);
        }
        """;

    /// <summary>The same code in the house style.</summary>
    private const string Kept = """
        using System.Globalization;

        namespace Probe
        {
            /// <summary>Counts.</summary>
            public sealed class Counter
            {
                private int _count;

                /// <summary>The next count.</summary>
                public int Next() => ++_count;

                /// <summary>A count read back.</summary>
                public static int Parse(string text) => int.Parse(text, CultureInfo.InvariantCulture);
            }
        }
        """;

    [Fact]
    public void Code_that_drifts_from_the_house_style_fails_the_build_with_the_rule_ids()
    {
        var (exit, output) = Build(Drifted);

        Assert.NotEqual(0, exit);
        Assert.Matches(@"Counter\.cs\(3,11\): error IDE0160: Convert to block scoped namespace", output);
        Assert.Matches(@"Counter\.cs\(8,17\): error IDE1006: Naming rule violation: Missing prefix: '_'", output);
        Assert.Matches(@"Counter\.cs\(1,1\): error IDE0005: Using directive is unnecessary", output);
        Assert.Matches(@"Counter\.cs\(14,45\): error MA0011: Use an overload of 'Parse' that has a 'System.IFormatProvider' parameter", output);
    }

    [Fact]
    public void The_same_code_in_the_house_style_builds()
    {
        var (exit, output) = Build(Kept);

        Assert.True(exit == 0, output);
    }

    private static (int Exit, string Output) Build(string code)
    {
        var directory = Repository.PathOf(Path.Combine("artifacts", "style-probe", Guid.NewGuid().ToString("N")));
        Directory.CreateDirectory(directory);
        try
        {
            File.WriteAllText(Path.Combine(directory, "Probe.csproj"), """
                <Project Sdk="Microsoft.NET.Sdk">
                  <PropertyGroup>
                    <TargetFramework>net10.0</TargetFramework>
                  </PropertyGroup>
                </Project>
                """);
            File.WriteAllText(Path.Combine(directory, "Counter.cs"), code);
            return PackedPackage.Dotnet(directory, "build", "-nologo", "-clp:NoSummary", "--disable-build-servers");
        }
        finally
        {
            try
            {
                Directory.Delete(directory, recursive: true);
            }
            catch (IOException)
            {
                // A build node may still hold a file; artifacts/ is git-ignored.
            }
        }
    }
}
