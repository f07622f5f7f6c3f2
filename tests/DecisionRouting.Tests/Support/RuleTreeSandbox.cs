using System;
using System.IO;

namespace DecisionRouting.Tests.Support;

/// <summary>
/// A rule tree in a temporary folder (<c>tree/rules/local</c>, holding the small <see cref="TempRuleSet"/>), with a
/// second temporary folder outside it: for tests of what may be read from where (symbolic links, hard links, roots).
/// Both folders are deleted on dispose.
/// </summary>
internal sealed class RuleTreeSandbox : IDisposable
{
    public RuleTreeSandbox(string prefix)
    {
        Outside = Directory.CreateTempSubdirectory(prefix + "outside-").FullName;
        Tree = Directory.CreateTempSubdirectory(prefix + "tree-").FullName;
        Rules = Path.Combine(Tree, "rules", "local");
        Directory.CreateDirectory(Rules);
        File.WriteAllText(Path.Combine(Rules, "catalogue.json"), TempRuleSet.Catalogue);
        File.WriteAllText(Path.Combine(Rules, "main.rules.json"), TempRuleSet.Rules);
    }

    /// <summary>A folder outside the tree.</summary>
    public string Outside { get; }

    /// <summary>The tree's top folder (it holds <c>rules/</c>).</summary>
    public string Tree { get; }

    /// <summary>The rule set folder, <c>tree/rules/local</c>.</summary>
    public string Rules { get; }

    public void Dispose()
    {
        Directory.Delete(Outside, recursive: true);
        Directory.Delete(Tree, recursive: true);
    }
}
