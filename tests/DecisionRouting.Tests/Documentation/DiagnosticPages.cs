using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;
using DecisionRouting.Diagnostics;
using DecisionRouting.Tests.Support;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using DiagnosticDescriptor = DecisionRouting.Diagnostics.DiagnosticDescriptor;
using DiagnosticSeverity = DecisionRouting.Diagnostics.DiagnosticSeverity;

namespace DecisionRouting.Tests.Documentation;

/// <summary>
/// Generates the parts of <c>docs/rules/</c> that follow from the code: the index (<c>README.md</c>, from
/// <see cref="DiagnosticDescriptors.All"/>) and, in each <c>DRxxxx.md</c>, the block between the
/// <c>&lt;!-- sources --&gt;</c> markers naming the code that reports the diagnostic and the tests that name it.
/// It lives with the tests because finding the reporting code needs the source tree and a C# parser, which the
/// shipped CLI has neither of. <see cref="DiagnosticPagesTests"/> fails when the committed files differ, and rewrites
/// them when <c>DECISIONROUTING_UPDATE_DOCS=1</c> is set.
/// </summary>
internal static class DiagnosticPages
{
    public const string UpdateVariable = "DECISIONROUTING_UPDATE_DOCS";

    public const string Regenerate = "DECISIONROUTING_UPDATE_DOCS=1 dotnet test tests/DecisionRouting.Tests --filter FullyQualifiedName~DiagnosticPagesTests";

    public const string SourcesStart = "<!-- sources: generated from the code by tests/DecisionRouting.Tests/Documentation/DiagnosticPages.cs; do not edit by hand -->";

    public const string SourcesEnd = "<!-- /sources -->";

    /// <summary>A place in the code: a file (repository-relative, '/'-separated) and a member, written <c>Type.Member</c>.</summary>
    public sealed record CodeSite(string File, string Member);

    /// <summary>The descriptor fields of <see cref="DiagnosticDescriptors"/> by field name, found by reflection.</summary>
    public static IReadOnlyDictionary<string, DiagnosticDescriptor> DescriptorFields { get; } =
        typeof(DiagnosticDescriptors).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.FieldType == typeof(DiagnosticDescriptor))
            .ToDictionary(f => f.Name, f => (DiagnosticDescriptor)f.GetValue(null)!, StringComparer.Ordinal);

    /// <summary>
    /// Every member under <c>src/</c> and <c>analyzers/</c> that reports each ID: where the code names the descriptor
    /// (<c>DiagnosticDescriptors.InvalidValue</c>), other than to compare or collect IDs (<c>d.Id != X.Id</c>).
    /// </summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<CodeSite>> Reporters()
    {
        var found = new Dictionary<string, SortedSet<(string, string)>>(StringComparer.Ordinal);
        foreach (var (file, root) in Parse("src", "analyzers"))
        {
            if (file.EndsWith("/DiagnosticDescriptors.cs", StringComparison.Ordinal))
            {
                continue;
            }

            foreach (var access in root.DescendantNodes().OfType<MemberAccessExpressionSyntax>())
            {
                if (!IsDescriptorList(access.Expression) || !DescriptorFields.TryGetValue(access.Name.Identifier.Text, out var descriptor) || OnlyReadsTheId(access))
                {
                    continue;
                }

                Add(found, descriptor.Id, (file, MemberOf(access)));
            }
        }

        return Freeze(found);
    }

    /// <summary>
    /// One hop further for the expression diagnostics: the checkers (library, analyzer, cost and limit checks) raise an
    /// <c>ExpressionProblemKind</c>, and one switch in <c>ExpressionChecks</c> turns the kind into a
    /// descriptor. This maps each descriptor back to the members that raise its kind (pass it as an argument).
    /// </summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<CodeSite>> Finders()
    {
        const string Kinds = nameof(global::DecisionRouting.Expressions.ExpressionProblemKind);
        var trees = Parse("src", "analyzers").ToList();
        var kindToId = new Dictionary<string, string>(StringComparer.Ordinal);
        string? otherwise = null;
        foreach (var (_, root) in trees)
        {
            foreach (var arm in root.DescendantNodes().OfType<SwitchExpressionArmSyntax>())
            {
                if (arm.Expression is not MemberAccessExpressionSyntax target || !IsDescriptorList(target.Expression) || !DescriptorFields.TryGetValue(target.Name.Identifier.Text, out var descriptor))
                {
                    continue;
                }

                if (arm.Pattern is ConstantPatternSyntax { Expression: MemberAccessExpressionSyntax kind } && kind.Expression.ToString() == Kinds)
                {
                    kindToId[kind.Name.Identifier.Text] = descriptor.Id;
                }
                else if (arm.Pattern is DiscardPatternSyntax && arm.Parent is SwitchExpressionSyntax sw && sw.Arms.Any(a => a.Pattern.ToString().StartsWith(Kinds + ".", StringComparison.Ordinal)))
                {
                    otherwise = descriptor.Id;
                }
            }

            foreach (var test in root.DescendantNodes().OfType<IfStatementSyntax>())
            {
                var kinds = test.Condition.DescendantNodesAndSelf().OfType<MemberAccessExpressionSyntax>().Where(a => a.Expression.ToString() == Kinds).ToList();
                var reported = test.Statement.DescendantNodes().OfType<MemberAccessExpressionSyntax>().FirstOrDefault(a => IsDescriptorList(a.Expression) && DescriptorFields.ContainsKey(a.Name.Identifier.Text));
                if (kinds.Count == 1 && reported is not null)
                {
                    kindToId[kinds[0].Name.Identifier.Text] = DescriptorFields[reported.Name.Identifier.Text].Id;
                }
            }
        }

        foreach (var name in Enum.GetNames(typeof(global::DecisionRouting.Expressions.ExpressionProblemKind)).Where(n => !kindToId.ContainsKey(n) && otherwise is not null))
        {
            kindToId[name] = otherwise!;
        }

        var found = new Dictionary<string, SortedSet<(string, string)>>(StringComparer.Ordinal);
        foreach (var (file, root) in trees)
        {
            foreach (var raised in root.DescendantNodes().OfType<MemberAccessExpressionSyntax>().Where(a => a.Expression.ToString() == Kinds && a.Parent is ArgumentSyntax))
            {
                if (kindToId.TryGetValue(raised.Name.Identifier.Text, out var id))
                {
                    Add(found, id, (file, MemberOf(raised)));
                }
            }
        }

        return Freeze(found);
    }

    /// <summary>Every xUnit test under <c>tests/</c> whose name, data or body names each ID (<c>"DR0018"</c>) or its descriptor.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<CodeSite>> Tests()
    {
        var ids = DescriptorFields.Values.Select(d => d.Id).ToHashSet(StringComparer.Ordinal);
        var idPattern = new Regex(@"\bDR[0-9]{4}\b");
        var found = new Dictionary<string, SortedSet<(string, string)>>(StringComparer.Ordinal);
        foreach (var (file, root) in Parse("tests"))
        {
            foreach (var method in root.DescendantNodes().OfType<MethodDeclarationSyntax>().Where(IsTest))
            {
                var text = method.ToString();
                var named = idPattern.Matches(text).Select(m => m.Value).Where(ids.Contains)
                    .Concat(method.DescendantNodes().OfType<MemberAccessExpressionSyntax>()
                        .Where(a => IsDescriptorList(a.Expression) && DescriptorFields.ContainsKey(a.Name.Identifier.Text))
                        .Select(a => DescriptorFields[a.Name.Identifier.Text].Id));
                foreach (var id in named.Distinct())
                {
                    Add(found, id, (file, MemberOf(method)));
                }
            }
        }

        return Freeze(found);
    }

    /// <summary>The index of every ID, generated from the descriptor list.</summary>
    public static string Index(IReadOnlyDictionary<string, IReadOnlyList<CodeSite>> reporters)
    {
        var text = new StringBuilder();
        text.Append("# Diagnostics\n\n");
        text.Append("Every problem DecisionRouting reports has a stable ID. IDs are never renumbered or reused; when a catch-all ID is split, the\n");
        text.Append("cases that move get new IDs and the old page says which moved where. The library loader, the `decision-routing` CLI and\n");
        text.Append("the analyzer report the same IDs from one implementation (`src/DecisionRouting.RuleFiles`); each page names the code that\n");
        text.Append("reports its ID and the tests that check it.\n\n");
        text.Append("This index and the \"Where it is checked\" block of each page are generated from\n");
        text.Append("`src/DecisionRouting.RuleFiles/Diagnostics/DiagnosticDescriptors.cs` and the source tree; a test fails when they are\n");
        text.Append("stale. Regenerate them with:\n\n");
        text.Append("```sh\n").Append(Regenerate).Append("\n```\n\n");
        text.Append("\"Reported by\" follows from where the reporting code lives: `src/DecisionRouting.RuleFiles` is shared by all three,\n");
        text.Append("`src/DecisionRouting` is the library (and the CLI, which uses it), `analyzers/` is the analyzer only, and\n");
        text.Append("`src/DecisionRouting.Analysis` is rule-set analysis (`decision-routing analyse`, [docs/analysis.md](../analysis.md)), which the\n");
        text.Append("package's build target also runs after a build when the project sets `DecisionRoutingAnalyse` to `true` (findings as build warnings).\n\n");
        text.Append("| ID | Severity | Title | Reported by |\n|---|---|---|---|\n");
        foreach (var descriptor in DiagnosticDescriptors.All.OrderBy(d => d.Id, StringComparer.Ordinal))
        {
            var by = reporters.TryGetValue(descriptor.Id, out var sites) ? FrontEnds(sites) : "nothing (unused)";
            text.Append($"| [{descriptor.Id}]({descriptor.Id}.md) | {(descriptor.DefaultSeverity == DiagnosticSeverity.Error ? "error" : "warning")} | {descriptor.Title} | {by} |\n");
        }

        return text.ToString();
    }

    /// <summary>The generated block of one page, markers included.</summary>
    public static string SourcesBlock(string id, IReadOnlyDictionary<string, IReadOnlyList<CodeSite>> reporters, IReadOnlyDictionary<string, IReadOnlyList<CodeSite>> finders, IReadOnlyDictionary<string, IReadOnlyList<CodeSite>> tests)
    {
        var text = new StringBuilder();
        text.Append(SourcesStart).Append('\n');
        var sites = reporters.TryGetValue(id, out var r) ? r : Array.Empty<CodeSite>();
        text.Append($"Reported by ({FrontEnds(sites)}):\n\n");
        AppendGrouped(text, sites);
        if (finders.TryGetValue(id, out var found))
        {
            text.Append("\nFound by (the expression checkers raise the problem kind that the reporter above turns into this ID):\n\n");
            AppendGrouped(text, found);
        }

        text.Append("\nTested by:\n\n");
        AppendGrouped(text, tests.TryGetValue(id, out var t) ? t : Array.Empty<CodeSite>());
        text.Append(SourcesEnd);
        return text.ToString();
    }

    /// <summary>A page with its sources block replaced (or, when it has none, appended under "Where it is checked").</summary>
    public static string WithSources(string page, string block)
    {
        page = page.Replace("\r\n", "\n");
        var start = page.IndexOf(SourcesStart, StringComparison.Ordinal);
        var end = page.IndexOf(SourcesEnd, StringComparison.Ordinal);
        if (start >= 0 && end > start)
        {
            return page.Substring(0, start) + block + page.Substring(end + SourcesEnd.Length);
        }

        return page.TrimEnd('\n') + "\n\n## Where it is checked\n\n" + block + "\n";
    }

    /// <summary>The sites a page's block names, read back from the Markdown: <c>- `file`: `Type.Member`, `Type.Member`</c>.</summary>
    public static (IReadOnlyList<CodeSite> Reporters, IReadOnlyList<CodeSite> Tests) ReadBlock(string page)
    {
        var start = page.IndexOf(SourcesStart, StringComparison.Ordinal);
        var end = page.IndexOf(SourcesEnd, StringComparison.Ordinal);
        if (start < 0 || end < start)
        {
            return (Array.Empty<CodeSite>(), Array.Empty<CodeSite>());
        }

        var block = page.Substring(start, end - start);
        var split = block.IndexOf("\nTested by:", StringComparison.Ordinal);
        return (Sites(split < 0 ? block : block.Substring(0, split)), split < 0 ? Array.Empty<CodeSite>() : Sites(block.Substring(split)));
    }

    /// <summary>The members a C# file declares, written <c>Type.Member</c> as in the pages (types nested as <c>Outer.Inner</c>).</summary>
    public static IReadOnlySet<string> DeclaredMembers(string relativeFile)
    {
        var root = CSharpSyntaxTree.ParseText(File.ReadAllText(Repository.PathOf(relativeFile))).GetRoot();
        var members = new HashSet<string>(StringComparer.Ordinal);
        foreach (var node in root.DescendantNodes())
        {
            if (node is MemberDeclarationSyntax and not BaseTypeDeclarationSyntax and not BaseNamespaceDeclarationSyntax)
            {
                members.Add(MemberOf(node));
            }
        }

        return members;
    }

    private static IReadOnlyList<CodeSite> Sites(string text) =>
        Regex.Matches(text, @"^- `([^`]+)`: (.+)$", RegexOptions.Multiline)
            .SelectMany(m => Regex.Matches(m.Groups[2].Value, "`([^`]+)`").Select(n => new CodeSite(m.Groups[1].Value, n.Groups[1].Value)))
            .ToList();

    private static void AppendGrouped(StringBuilder text, IReadOnlyList<CodeSite> sites)
    {
        if (sites.Count == 0)
        {
            text.Append("- none\n");
            return;
        }

        foreach (var file in sites.GroupBy(s => s.File).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            text.Append($"- `{file.Key}`: {string.Join(", ", file.Select(s => $"`{s.Member}`"))}\n");
        }
    }

    private static string FrontEnds(IEnumerable<CodeSite> sites)
    {
        var files = sites.Select(s => s.File).ToList();
        var shared = files.Any(f => f.StartsWith("src/DecisionRouting.RuleFiles/", StringComparison.Ordinal));
        var library = shared || files.Any(f => f.StartsWith("src/DecisionRouting/", StringComparison.Ordinal));
        var cli = library || files.Any(f => f.StartsWith("src/DecisionRouting.Cli/", StringComparison.Ordinal));
        var analyzer = shared || files.Any(f => f.StartsWith("analyzers/", StringComparison.Ordinal));
        var analysis = files.Any(f => f.StartsWith("src/DecisionRouting.Analysis/", StringComparison.Ordinal));
        var names = new List<string>();
        if (library)
        {
            names.Add("library");
        }

        if (cli)
        {
            names.Add("CLI");
        }

        if (analyzer)
        {
            names.Add("analyzer");
        }

        if (analysis && !cli)
        {
            names.Add("CLI analyse, and the build when DecisionRoutingAnalyse is true");
        }

        return names.Count == 0 ? "nothing" : string.Join(", ", names);
    }

    private static IEnumerable<(string File, SyntaxNode Root)> Parse(params string[] folders)
    {
        foreach (var folder in folders)
        {
            foreach (var path in Directory.EnumerateFiles(Repository.PathOf(folder), "*.cs", SearchOption.AllDirectories).OrderBy(p => p, StringComparer.Ordinal))
            {
                var relative = Path.GetRelativePath(Repository.Root, path).Replace('\\', '/');
                if (relative.Contains("/obj/", StringComparison.Ordinal) || relative.Contains("/bin/", StringComparison.Ordinal))
                {
                    continue;
                }

                yield return (relative, CSharpSyntaxTree.ParseText(File.ReadAllText(path)).GetRoot());
            }
        }
    }

    private static bool IsDescriptorList(ExpressionSyntax expression) => expression switch
    {
        IdentifierNameSyntax name => name.Identifier.Text == nameof(DiagnosticDescriptors),
        MemberAccessExpressionSyntax access => access.Name.Identifier.Text == nameof(DiagnosticDescriptors),
        _ => false,
    };

    /// <summary><c>d.Id != DiagnosticDescriptors.UnknownStep.Id</c> and <c>new[] { X.Id, Y.Id }</c> filter by ID; they report nothing.</summary>
    private static bool OnlyReadsTheId(MemberAccessExpressionSyntax access) =>
        access.Parent is MemberAccessExpressionSyntax { Name.Identifier.Text: "Id" } id
        && id.Parent is BinaryExpressionSyntax or InitializerExpressionSyntax;

    private static bool IsTest(MethodDeclarationSyntax method) =>
        method.AttributeLists.SelectMany(l => l.Attributes).Any(a => a.Name.ToString() is "Fact" or "Theory" or "Xunit.Fact" or "Xunit.Theory");

    /// <summary><c>Type.Member</c> for the member that holds <paramref name="node"/>; a local function counts as its method.</summary>
    private static string MemberOf(SyntaxNode node)
    {
        var member = node.AncestorsAndSelf().OfType<MemberDeclarationSyntax>().First(m => m is not BaseNamespaceDeclarationSyntax);
        var name = member switch
        {
            MethodDeclarationSyntax m => m.Identifier.Text,
            ConstructorDeclarationSyntax c => c.Identifier.Text,
            PropertyDeclarationSyntax p => p.Identifier.Text,
            IndexerDeclarationSyntax => "this[]",
            FieldDeclarationSyntax f => f.Declaration.Variables.First().Identifier.Text,
            EventFieldDeclarationSyntax e => e.Declaration.Variables.First().Identifier.Text,
            OperatorDeclarationSyntax o => "operator " + o.OperatorToken.Text,
            ConversionOperatorDeclarationSyntax c => "operator " + c.Type,
            DestructorDeclarationSyntax d => "~" + d.Identifier.Text,
            BaseTypeDeclarationSyntax => null,
            _ => member.Kind().ToString(),
        };
        var types = member.AncestorsAndSelf().OfType<BaseTypeDeclarationSyntax>().Reverse().Select(t => t.Identifier.Text);
        return string.Join(".", name is null ? types : types.Append(name));
    }

    private static void Add(Dictionary<string, SortedSet<(string, string)>> found, string id, (string, string) site)
    {
        if (!found.TryGetValue(id, out var set))
        {
            found[id] = set = new SortedSet<(string, string)>(Ordinal);
        }

        set.Add(site);
    }

    private static readonly IComparer<(string, string)> Ordinal = Comparer<(string, string)>.Create((a, b) =>
    {
        var byFile = string.CompareOrdinal(a.Item1, b.Item1);
        return byFile != 0 ? byFile : string.CompareOrdinal(a.Item2, b.Item2);
    });

    private static IReadOnlyDictionary<string, IReadOnlyList<CodeSite>> Freeze(Dictionary<string, SortedSet<(string, string)>> found) =>
        found.ToDictionary(p => p.Key, p => (IReadOnlyList<CodeSite>)p.Value.Select(s => new CodeSite(s.Item1, s.Item2)).ToList(), StringComparer.Ordinal);
}
