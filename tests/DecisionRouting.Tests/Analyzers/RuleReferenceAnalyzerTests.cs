using System;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DecisionRouting.Analyzers;
using DecisionRouting.Tests.Support;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace DecisionRouting.Tests.Analyzers;

/// <summary>DR0031 on C# references to rule-file names, and its code fix, in real compilations against the real library.</summary>
public sealed class RuleReferenceAnalyzerTests : IDisposable
{
    private readonly TempRuleSet _rules = TempRuleSet.With();

    public void Dispose() => _rules.Dispose();


    private static MetadataReference[] References() => AnalyzerHarness.References(withLibrary: true);

    private ImmutableArray<AdditionalText> RuleFiles() => AnalyzerHarness.AdditionalFiles(Directory.GetFiles(_rules.Directory));

    private async Task<ImmutableArray<Diagnostic>> Analyze(string code)
    {
        var compilation = CSharpCompilation.Create("Partner", new[] { CSharpSyntaxTree.ParseText(code, path: "Partner.cs") }, References(), new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
        return await compilation.WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(new RuleReferenceAnalyzer()), new AnalyzerOptions(RuleFiles())).GetAnalyzerDiagnosticsAsync();
    }

    private const string Usage = """
        using DecisionRouting.Routing;
        public static class Uses
        {
            public static bool Check(RoutingPlan plan) => plan.Requires("decison") && plan.Requires("notice");
        }
        """;

    [Fact]
    public async Task A_misspelt_step_passed_to_a_marked_parameter_is_an_error_at_the_argument_with_a_suggestion()
    {
        var diagnostic = Assert.Single(await Analyze(Usage));
        Assert.Equal("DR0031", diagnostic.Id);
        Assert.Equal("The rule files define no step 'decison'; did you mean 'decision'?", diagnostic.GetMessage());
        var (line, column) = Position.Of(Usage, "\"decison\"");
        var span = diagnostic.Location.GetLineSpan();
        Assert.Equal(("Partner.cs", line, column), (span.Path, span.StartLinePosition.Line + 1, span.StartLinePosition.Character + 1));
        Assert.EndsWith("docs/rules/DR0031.md", diagnostic.Descriptor.HelpLinkUri);
    }

    [Fact]
    public async Task Constants_classes_are_checked_generated_or_hand_written()
    {
        const string code = """
            using DecisionRouting.References;
            [StepReference]
            public static class Steps
            {
                public const string Notice = "notice";
                public const string Decision = "decisoin";
            }
            public static class Bodies
            {
                [BodyReference] public const string Cabinet = "cabinett";
                public const string NotMarked = "anything";
            }
            """;
        var diagnostics = (await Analyze(code)).OrderBy(d => d.Location.SourceSpan.Start).ToList();
        Assert.Equal(2, diagnostics.Count);
        Assert.Equal("The rule files define no step 'decisoin'; did you mean 'decision'?", diagnostics[0].GetMessage());
        Assert.Equal("The rule files define no body 'cabinett'; did you mean 'cabinet'?", diagnostics[1].GetMessage());
    }

    [Fact]
    public async Task Without_rule_files_nothing_is_reported()
    {
        var compilation = CSharpCompilation.Create("Partner", new[] { CSharpSyntaxTree.ParseText(Usage) }, References(), new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        Assert.Empty(await compilation.WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(new RuleReferenceAnalyzer()), new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty)).GetAnalyzerDiagnosticsAsync());
    }

    [Fact]
    public async Task The_code_fix_applies_the_suggestion()
    {
        using var workspace = new AdhocWorkspace();
        var project = workspace.AddProject("Partner", LanguageNames.CSharp)
            .WithCompilationOptions(new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary))
            .WithMetadataReferences(References());
        var document = project.AddDocument("Partner.cs", Usage);
        var diagnostic = Assert.Single(await Analyze(Usage));
        diagnostic = Diagnostic.Create(diagnostic.Descriptor, Location.Create((await document.GetSyntaxTreeAsync())!, diagnostic.Location.SourceSpan), diagnostic.Properties, diagnostic.GetMessage());

        CodeAction? action = null;
        var context = new CodeFixContext(document, diagnostic, (a, _) => action = a, CancellationToken.None);
        await new UseDefinedNameCodeFix().RegisterCodeFixesAsync(context);
        Assert.NotNull(action);
        Assert.Equal("Use 'decision'", action!.Title);
        var operations = await action.GetOperationsAsync(CancellationToken.None);
        var changed = operations.OfType<ApplyChangesOperation>().Single().ChangedSolution.GetDocument(document.Id)!;
        Assert.Equal(Usage.Replace("\"decison\"", "\"decision\""), (await changed.GetTextAsync()).ToString());
    }
}
