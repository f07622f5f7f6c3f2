using System;
using System.IO;
using System.Linq;
using Xunit;

namespace DecisionRouting.Tests.Support;

/// <summary>Paths into the repository, found from the test assembly's location.</summary>
public static class Repository
{
    public static string Root { get; } = FindRoot();

    public static string PathOf(string relative) => Path.Combine(Root, relative);

    /// <summary>
    /// <paramref name="assembly"/> as built in the project folder <paramref name="project"/> (relative, '/'-separated),
    /// in the configuration these tests were built in: a program run as users run it, with its own deps.json.
    /// </summary>
    public static string Built(string project, string assembly) =>
        PathOf($"{project}/bin/{new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name}/net10.0/{assembly}");

    /// <summary>
    /// Every rule set the repository ships, relative and '/'-separated: <c>rules/england</c> and each folder of
    /// <c>rules/partnerships</c>, read from disk so a new partnership is tested without being listed.
    /// </summary>
    public static TheoryData<string> ShippedRuleSets()
    {
        var data = new TheoryData<string> { "rules/england" };
        foreach (var folder in Directory.GetDirectories(PathOf("rules/partnerships")).Order(StringComparer.Ordinal))
        {
            data.Add("rules/partnerships/" + Path.GetFileName(folder));
        }

        return data;
    }

    private static string FindRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "DecisionRouting.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("DecisionRouting.sln not found above the test assembly.");
    }
}
