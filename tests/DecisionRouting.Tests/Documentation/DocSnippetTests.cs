using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using DecisionRouting.Tests.Support;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace DecisionRouting.Tests.Documentation;

/// <summary>
/// Every <c>```csharp</c> block in README.md and docs/*.md compiles against the library, with its own <c>using</c>
/// lines. A block is compiled as a partner's program would be: a default <c>dotnet new console</c> project, so the
/// SDK's implicit global usings (System, System.Linq, …) are given and every DecisionRouting namespace must be named.
/// A block may read variables an earlier step of the reader's code would hold; it names them, with their types, in an
/// HTML comment just above it (<c>&lt;!-- given: Proposal proposal; ILogger logger --&gt;</c>), which Markdown does not show.
/// </summary>
public sealed class DocSnippetTests
{
    private static readonly string[] ImplicitUsings =
    {
        "System", "System.Collections.Generic", "System.IO", "System.Linq", "System.Net.Http", "System.Threading", "System.Threading.Tasks",
    };

    private static readonly Regex Block = new(@"(?:<!-- given: (?<given>[^>]*?) -->\n)?```csharp\n(?<code>.*?)\n[ ]*```", RegexOptions.Singleline | RegexOptions.Compiled);

    public static TheoryData<string, int> Snippets()
    {
        var data = new TheoryData<string, int>();
        foreach (var (file, index, _, _) in AllSnippets())
        {
            data.Add(file, index);
        }

        return data;
    }

    [Fact]
    public void The_readme_and_docs_have_csharp_snippets()
    {
        Assert.True(AllSnippets().Count(s => s.File == "README.md") >= 4);
    }

    [Theory]
    [MemberData(nameof(Snippets))]
    public void Snippet_compiles_against_the_library(string file, int index)
    {
        var (_, _, code, given) = AllSnippets().Single(s => s.File == file && s.Index == index);
        var errors = Compile(code, given);
        Assert.True(errors.Count == 0, $"{file}, csharp block {index + 1}, does not compile:\n{string.Join("\n", errors)}\n---\n{code}");
    }

    [Fact]
    public void A_snippet_without_its_using_lines_does_not_compile()
    {
        // The check itself: the README's first snippet, minus the using lines it carries, must fail.
        var (_, _, code, given) = AllSnippets().First(s => s.File == "README.md");
        var withoutUsings = string.Join("\n", code.Split('\n').Where(l => !l.StartsWith("using DecisionRouting", System.StringComparison.Ordinal)));
        Assert.NotEmpty(Compile(withoutUsings, given));
    }

    /// <summary>The runtime's assemblies (offline), the library's, and what its public API exposes.</summary>
    private static readonly MetadataReference[] References =
        ((string)System.AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Concat(new[]
            {
                typeof(global::DecisionRouting.Routing.RoutingPlan).Assembly.Location,
                typeof(global::DecisionRouting.RuleSets.RuleSetDefinition).Assembly.Location,
                typeof(global::DecisionRouting.Stores.RelationalProposalStore).Assembly.Location,
                typeof(global::DecisionRouting.Stores.SqliteProposalStore).Assembly.Location,
                typeof(global::DecisionRouting.Stores.PostgreSqlProposalStore).Assembly.Location,
                typeof(NodaTime.LocalDate).Assembly.Location,
                typeof(Microsoft.Extensions.Logging.ILogger).Assembly.Location,

                // Embedding (docs/observability.md, README): the hosting package and the Microsoft.Extensions it builds on.
                typeof(global::DecisionRouting.Hosting.DecisionRoutingOptions).Assembly.Location,
                typeof(Microsoft.Extensions.DependencyInjection.IServiceCollection).Assembly.Location,
                typeof(Microsoft.Extensions.DependencyInjection.HealthChecksBuilderAddCheckExtensions).Assembly.Location,
                typeof(Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckResult).Assembly.Location,
                typeof(Microsoft.Extensions.Hosting.Host).Assembly.Location,
                typeof(Microsoft.Extensions.Hosting.IHost).Assembly.Location,
                typeof(Microsoft.Extensions.Hosting.HostApplicationBuilder).Assembly.Location,
            })
            .Distinct()
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
            .ToArray();

    private static List<(string File, int Index, string Code, string? Given)> AllSnippets()
    {
        var files = new[] { Repository.PathOf("README.md") }.Concat(Directory.GetFiles(Repository.PathOf("docs"), "*.md").OrderBy(f => f, System.StringComparer.Ordinal));
        var snippets = new List<(string, int, string, string?)>();
        foreach (var path in files)
        {
            var text = File.ReadAllText(path).Replace("\r\n", "\n");
            var name = Path.GetRelativePath(Repository.Root, path).Replace('\\', '/');
            var index = 0;
            foreach (Match match in Block.Matches(text))
            {
                // Blocks indented inside a list item carry the item's indentation on every line.
                var code = match.Groups["code"].Value;
                var indent = Regex.Match(code, "^[ ]*").Value.Length;
                code = string.Join("\n", code.Split('\n').Select(l => l.Length >= indent && l[..indent].Trim().Length == 0 ? l[indent..] : l));
                snippets.Add((name, index++, code, match.Groups["given"].Success ? match.Groups["given"].Value : null));
            }
        }

        return snippets;
    }

    /// <summary>
    /// Compiles a snippet: its <c>using</c> lines at the top of the file; a block declaring types as a program (with
    /// any statements beside them as top-level statements); anything else as the body of an async method whose
    /// parameters are the given variables.
    /// </summary>
    private static List<string> Compile(string code, string? given)
    {
        var lines = code.Split('\n');
        var usings = lines.TakeWhile(l => Regex.IsMatch(l, @"^using [A-Za-z.]+;") || l.Trim().Length == 0).ToList();
        var body = string.Join("\n", lines.Skip(usings.Count));
        var declaresTypes = Regex.IsMatch(body, @"^(\[[^\]]+\]\s*)?(public |internal )?(static |sealed )*(class|record|struct|interface) ", RegexOptions.Multiline);
        var parameters = given is null ? string.Empty : string.Join(", ", given.Split(';', System.StringSplitOptions.RemoveEmptyEntries | System.StringSplitOptions.TrimEntries));
        var source = string.Join("\n", ImplicitUsings.Select(u => $"global using global::{u};")) + "\n"
            + string.Join("\n", usings) + "\n"
            + (declaresTypes ? body : $"internal static class Snippet\n{{\n    internal static async Task Run({parameters})\n    {{\n        await Task.CompletedTask;\n#line 1\n{body}\n    }}\n}}\n");
        var compilation = CSharpCompilation.Create(
            "Snippet",
            new[] { CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.Latest)) },
            References,
            new CSharpCompilationOptions(declaresTypes ? OutputKind.ConsoleApplication : OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

        // A block with type declarations is compiled as a program, so statements beside them are top-level
        // statements, as in a console project; a block of types alone then has no entry point, which is not an error in the docs.
        return compilation.GetDiagnostics()
            .Where(d => d.Severity == DiagnosticSeverity.Error && !(declaresTypes && d.Id == "CS5001"))
            .Select(d => d.ToString())
            .ToList();
    }
}
