using System;
using System.Threading;

namespace DecisionRouting.Tests.Support;

/// <summary>
/// Graphviz's <c>dot</c> for the SVG tests, found (or installed, as root) by scripts/graphviz.sh. When this machine has
/// none the tests skip with one line saying why, unless CI is set (see <see cref="Prerequisite"/>).
/// </summary>
public static class GraphvizTool
{
    private static readonly Lazy<Prerequisite> Dot =
        new(() => Prerequisite.FromScript("Graphviz", "scripts/graphviz.sh", Array.Empty<string>()), LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The path of <c>dot</c>, which the library finds on PATH too.</summary>
    /// <exception cref="MissingPrerequisiteException">No Graphviz here, and not CI.</exception>
    public static string ExecutablePath => Dot.Value.Require();
}
