using System;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DecisionRouting.Analyzers;
using DecisionRouting.Tests.Support;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace DecisionRouting.Tests.Analyzers;

/// <summary>
/// The analyzers' shared cache of rule sets (issue 17): one load per rule set however many analyzers and compilations
/// ask, and every edit still seen, in the set itself or in what it extends. Real compilations, real files.
/// </summary>
public sealed class RuleFileCacheTests : IDisposable
{
    private readonly string _tree = Path.Combine(Path.GetTempPath(), "dr-cache-tests", Guid.NewGuid().ToString("N"), "rules");

    public RuleFileCacheTests()
    {
        Directory.CreateDirectory(Path.Combine(_tree, "base"));
        Directory.CreateDirectory(Path.Combine(_tree, "local"));
        File.WriteAllText(Path.Combine(_tree, "base", "ruleset.json"), """{ "name": "base" }""");
        File.WriteAllText(Path.Combine(_tree, "base", "catalogue.json"), TempRuleSet.Catalogue);
        File.WriteAllText(Path.Combine(_tree, "local", "ruleset.json"), """{ "name": "local", "extends": "../base" }""");
        File.WriteAllText(Path.Combine(_tree, "local", "local.rules.json"), TempRuleSet.Rules);
    }

    public void Dispose() => Directory.Delete(Path.GetDirectoryName(_tree)!, recursive: true);

    private string Base => Path.Combine(_tree, "base").Replace('\\', '/');

    private string Local => Path.Combine(_tree, "local").Replace('\\', '/');

    private const string Usage = """
        using DecisionRouting.Routing;
        public static class Uses
        {
            public static bool Check(RoutingPlan plan) => plan.Requires("notice") && plan.Requires("approval");
        }
        """;

    private static readonly ImmutableArray<DiagnosticAnalyzer> BothAnalyzers = ImmutableArray.Create<DiagnosticAnalyzer>(new RuleFileAnalyzer(), new RuleReferenceAnalyzer());

    /// <summary>A new compilation (as each build or keystroke makes) with both analyzers, over the tree as it is now.</summary>
    private async Task<ImmutableArray<Diagnostic>> Build()
    {
        var compilation = CSharpCompilation.Create("Partner", new[] { CSharpSyntaxTree.ParseText(Usage, path: "Partner.cs") }, AnalyzerHarness.References(withLibrary: true), new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        var files = AnalyzerHarness.AdditionalFiles(Directory.GetFiles(_tree, "*.json", SearchOption.AllDirectories));
        return await compilation.WithAnalyzers(BothAnalyzers, new AnalyzerOptions(files)).GetAnalyzerDiagnosticsAsync();
    }

    private static string Messages(ImmutableArray<Diagnostic> diagnostics) => string.Join("\n", diagnostics.Select(d => d.GetMessage()).OrderBy(m => m, StringComparer.Ordinal));

    [Fact]
    public async Task Both_analyzers_and_later_compilations_share_one_load_of_each_rule_set()
    {
        var first = await Build();
        Assert.Single(first, d => d.Id == "DR0031" && d.GetMessage().StartsWith("The rule files define no step 'approval'", StringComparison.Ordinal));
        Assert.Equal((1, 1), (RuleFileCache.LoadsOf(Base), RuleFileCache.LoadsOf(Local)));

        var again = await Build();
        Assert.Equal(Messages(first), Messages(again));
        Assert.Equal((1, 1), (RuleFileCache.LoadsOf(Base), RuleFileCache.LoadsOf(Local)));
    }

    [Fact]
    public async Task Many_compilations_at_once_wait_for_one_load()
    {
        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => Build())));
        Assert.All(results, r => Assert.Equal(Messages(results[0]), Messages(r)));
        Assert.Equal((1, 1), (RuleFileCache.LoadsOf(Base), RuleFileCache.LoadsOf(Local)));
    }

    [Fact]
    public async Task An_edit_to_a_rule_set_is_seen_and_reloads_that_rule_set_alone()
    {
        await Build();
        File.WriteAllText(Path.Combine(_tree, "base", "catalogue.json"), TempRuleSet.Catalogue.Replace("\"decision\"", "\"approval\"", StringComparison.Ordinal));

        var after = await Build();

        // "approval" is now a step of base, so of local through extends: no DR0031 for it in either.
        Assert.DoesNotContain(after, d => d.Id == "DR0031");
        Assert.Equal((2, 2), (RuleFileCache.LoadsOf(Base), RuleFileCache.LoadsOf(Local)));

        // An edit to local alone leaves base's entry in use.
        File.WriteAllText(Path.Combine(_tree, "local", "local.rules.json"), TempRuleSet.Rules.Replace("\"Big\"", "\"Bigger\"", StringComparison.Ordinal));
        await Build();
        Assert.Equal((2, 3), (RuleFileCache.LoadsOf(Base), RuleFileCache.LoadsOf(Local)));
    }

    [Fact]
    public async Task A_file_added_to_a_rule_set_is_seen()
    {
        var before = await Build();
        Assert.DoesNotContain(before, d => d.Id == "DR0012");

        // A second rules file naming a step no catalogue defines: only a listing of the folder can see it arrive.
        File.WriteAllText(Path.Combine(_tree, "local", "more.rules.json"), """
            { "WorkflowName": "more", "Rules": [ { "RuleName": "Other", "Expression": "true", "Properties": { "steps": [ "nowhere" ], "source": "s" } } ] }
            """);
        var after = await Build();

        Assert.Contains(after, d => d.Id == "DR0012" && d.Location.GetLineSpan().Path.EndsWith("more.rules.json", StringComparison.Ordinal));
        Assert.Equal(2, RuleFileCache.LoadsOf(Local));
    }

    [Fact]
    public async Task A_load_cancelled_half_way_is_not_served_to_the_next_compilation()
    {
        var compilation = CSharpCompilation.Create("Partner", new[] { CSharpSyntaxTree.ParseText(Usage, path: "Partner.cs") }, AnalyzerHarness.References(withLibrary: true), new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        using var cancellation = new CancellationTokenSource();

        // The compilation is cancelled while the loader reads local's rules file, inside the shared load.
        var files = Directory.GetFiles(_tree, "*.json", SearchOption.AllDirectories)
            .Select(p => p.Replace('\\', '/'))
            .Select(p => p.EndsWith("local.rules.json", StringComparison.Ordinal) ? new CancellingText(p, cancellation) : AnalyzerHarness.AdditionalFiles(new[] { p })[0])
            .ToImmutableArray();
        Assert.ThrowsAny<OperationCanceledException>(() => RuleFileCache.For(compilation, new AnalyzerOptions(files), cancellation.Token));
        Assert.Equal(0, RuleFileCache.LoadsOf(Local));

        var after = await Build();
        Assert.Contains(after, d => d.Id == "DR0031");
        Assert.Equal(1, RuleFileCache.LoadsOf(Local));
    }

    [Fact]
    public void A_base_extended_by_several_rule_sets_is_parsed_once_per_compilation()
    {
        // A second set extending base, as every partnership extends england.
        Directory.CreateDirectory(Path.Combine(_tree, "other"));
        File.WriteAllText(Path.Combine(_tree, "other", "ruleset.json"), """{ "name": "other", "extends": "../base" }""");
        File.WriteAllText(Path.Combine(_tree, "other", "other.rules.json"), TempRuleSet.Rules.Replace("\"Big\"", "\"Other\"", StringComparison.Ordinal));
        var paths = Directory.GetFiles(_tree, "*.json", SearchOption.AllDirectories);
        var compilation = CSharpCompilation.Create("Partner", new[] { CSharpSyntaxTree.ParseText(Usage, path: "Partner.cs") }, AnalyzerHarness.References(withLibrary: true), new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));

        // The cache reads on the calling thread, so this thread's count is this compilation's alone.
        var before = DecisionRouting.RuleSets.ParsedDocument.ParsesOnThisThread;
        var facts = RuleFileCache.For(compilation, new AnalyzerOptions(AnalyzerHarness.AdditionalFiles(paths)), CancellationToken.None);
        var parses = DecisionRouting.RuleSets.ParsedDocument.ParsesOnThisThread - before;

        // Three rule sets (base, local, other), base read three times; each of the six files parsed once.
        Assert.Equal((1, 1, 1), (RuleFileCache.LoadsOf(Base), RuleFileCache.LoadsOf(Local), RuleFileCache.LoadsOf(Path.Combine(_tree, "other").Replace('\\', '/'))));
        Assert.Equal(paths.Length, parses);
        Assert.Contains("decision", facts.Names["step"]);
    }

    [Fact]
    public void A_shared_parse_serves_the_same_text_at_the_same_path_only()
    {
        var bag = new DecisionRouting.Diagnostics.DiagnosticBag();
        using (DecisionRouting.RuleSets.ParsedDocument.ShareParses())
        {
            var first = DecisionRouting.RuleSets.ParsedDocument.ParseRuleFile(new DecisionRouting.Text.SourceDocument("/a/x.json", "{ \"a\": }"), bag);
            var again = DecisionRouting.RuleSets.ParsedDocument.ParseRuleFile(new DecisionRouting.Text.SourceDocument("/a/x.json", "{ \"a\": }"), bag);
            var edited = DecisionRouting.RuleSets.ParsedDocument.ParseRuleFile(new DecisionRouting.Text.SourceDocument("/a/x.json", "{ \"a\": 2 }"), bag);
            var elsewhere = DecisionRouting.RuleSets.ParsedDocument.ParseRuleFile(new DecisionRouting.Text.SourceDocument("/b/x.json", "{ \"a\": 2 }"), bag);

            // The malformed text's DR0001 is reported for each read, at the same place; the edit and the other path are parsed afresh.
            Assert.Null(first);
            Assert.Null(again);
            Assert.Equal(2, bag.Items.Count(d => d.Id == "DR0001"));
            Assert.Equal(bag.Items[0].ToString(), bag.Items[1].ToString());
            Assert.NotNull(edited);
            Assert.NotSame(edited, elsewhere);
            Assert.Equal("/b/x.json", elsewhere!.Document.Path);
        }
    }

    private sealed class CancellingText(string path, CancellationTokenSource cancellation) : AdditionalText
    {
        public override string Path => path;

        public override Microsoft.CodeAnalysis.Text.SourceText GetText(CancellationToken cancellationToken = default)
        {
            cancellation.Cancel();
            cancellationToken.ThrowIfCancellationRequested();
            return Microsoft.CodeAnalysis.Text.SourceText.From(File.ReadAllText(path));
        }
    }
}
