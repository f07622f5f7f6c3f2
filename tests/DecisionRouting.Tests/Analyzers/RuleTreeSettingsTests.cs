using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using DecisionRouting.Analyzers;
using DecisionRouting.RuleSets;
using DecisionRouting.Tests.Support;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using RuleSet = DecisionRouting.RuleSets.RuleSet;

namespace DecisionRouting.Tests.Analyzers;

/// <summary>
/// Issue 14 §4 left open: the analyzer reads the rule tree's root and the absolute-extends switch from the build
/// (<c>build_property.DecisionRoutingRulesRoot</c>, <c>build_property.DecisionRoutingAllowAbsoluteExtends</c>), as the
/// CLI takes <c>--rules-root</c> and <c>--allow-absolute-extends</c>, and reports what the loader reports with the same settings.
/// </summary>
public sealed class RuleTreeSettingsTests : IDisposable
{
    private readonly string _project = Path.Combine(Path.GetTempPath(), "dr-tests", Guid.NewGuid().ToString("N"), "partner");

    /// <summary>A partner project: rules/local extends a base kept beside the rules folder, outside the default root.</summary>
    public RuleTreeSettingsTests()
    {
        Directory.CreateDirectory(Path.Combine(_project, "rules", "local"));
        Directory.CreateDirectory(Path.Combine(_project, "shared", "base"));
        File.WriteAllText(Path.Combine(_project, "shared", "base", "ruleset.json"), """{ "name": "base" }""");
        File.WriteAllText(Path.Combine(_project, "shared", "base", "catalogue.json"), TempRuleSet.Catalogue);
        File.WriteAllText(Path.Combine(_project, "shared", "base", "base.rules.json"), TempRuleSet.Rules.Replace("\"main\"", "\"base\"").Replace("\"Big\"", "\"BaseBig\""));
        File.WriteAllText(Path.Combine(_project, "rules", "local", "main.rules.json"), TempRuleSet.Rules);
        Extends("../../shared/base");
    }

    private string Local => Path.Combine(_project, "rules", "local").Replace('\\', '/');

    private string Manifest => Path.Combine(Local, "ruleset.json");

    private string Extends(string target)
    {
        var text = $$"""{ "name": "local", "extends": "{{target}}" }""";
        File.WriteAllText(Manifest, text);
        return text;
    }

    public void Dispose() => Directory.Delete(Path.GetDirectoryName(_project)!, recursive: true);

    private async Task<IReadOnlyList<string>> Analyze(IReadOnlyDictionary<string, string> properties)
    {
        var files = Directory.GetFiles(_project, "*.json", SearchOption.AllDirectories);
        var compilation = CSharpCompilation.Create("Partner", new[] { CSharpSyntaxTree.ParseText("class C { }") }, AnalyzerHarness.References(withLibrary: false), new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        var options = new AnalyzerOptions(AnalyzerHarness.AdditionalFiles(files), new GlobalOptionsProvider(properties));
        var diagnostics = await compilation.WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(new RuleFileAnalyzer()), options).GetAnalyzerDiagnosticsAsync();
        return diagnostics.Select(d =>
        {
            var span = d.Location.GetLineSpan();
            return $"{span.Path}({span.StartLinePosition.Line + 1},{span.StartLinePosition.Character + 1}): {d.Id}: {d.GetMessage()}";
        }).OrderBy(s => s, StringComparer.Ordinal).ToList();
    }

    private IReadOnlyList<string> Load(RuleSetReadOptions options) =>
        RuleSet.Validate(Local, options).Diagnostics.Select(d => $"{d.Location.Path}({d.Location.Line},{d.Location.Column}): {d.Id}: {d.Message}").OrderBy(s => s, StringComparer.Ordinal).ToList();

    [Fact]
    public async Task Without_a_root_an_extends_beside_the_rules_folder_is_DR0063_at_its_position_as_the_loader_says()
    {
        var (line, column) = Position.Of(File.ReadAllText(Manifest), "\"../../shared/base\"");
        var reported = await Analyze(new Dictionary<string, string>());
        var single = Assert.Single(reported);
        Assert.StartsWith($"{Manifest}({line},{column}): DR0063: \"extends\" '../../shared/base' leads outside the rule tree", single);
        Assert.Equal(Load(RuleSetReadOptions.Default), reported);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task With_the_root_set_the_same_rule_set_validates(bool relative)
    {
        // Relative roots are taken from the project folder, never from wherever the compiler happens to run.
        var properties = relative
            ? new Dictionary<string, string> { ["build_property.DecisionRoutingRulesRoot"] = ".", ["build_property.ProjectDir"] = _project + "/" }
            : new Dictionary<string, string> { ["build_property.DecisionRoutingRulesRoot"] = _project };
        var reported = await Analyze(properties);
        Assert.True(reported.Count == 0, string.Join("\n", reported));
        Assert.Empty(Load(new RuleSetReadOptions { ExtendsRoot = _project }));
    }

    [Fact]
    public async Task A_root_that_does_not_hold_the_base_still_refuses_it()
    {
        var reported = await Analyze(new Dictionary<string, string> { ["build_property.DecisionRoutingRulesRoot"] = Path.Combine(_project, "rules") });
        Assert.Contains(reported, d => d.Contains("DR0063"));
    }

    [Theory]
    [InlineData("true", false)]
    [InlineData("True", false)]
    [InlineData("false", true)]
    [InlineData("", true)]
    public async Task An_absolute_extends_needs_the_switch(string allow, bool refused)
    {
        var absolute = Path.Combine(_project, "shared", "base").Replace('\\', '/');
        Extends(absolute);
        var reported = await Analyze(new Dictionary<string, string> { ["build_property.DecisionRoutingRulesRoot"] = _project, ["build_property.DecisionRoutingAllowAbsoluteExtends"] = allow });
        if (refused)
        {
            Assert.Contains(reported, d => d.Contains($"DR0063: \"extends\" is the absolute path '{absolute}'"));
        }
        else
        {
            Assert.Empty(reported);
        }

        Assert.Equal(Load(new RuleSetReadOptions { ExtendsRoot = _project, AllowAbsoluteExtends = !refused }), reported);
    }

    /// <summary>The options the compiler passes from the generated .globalconfig (build_property.* keys).</summary>
    private sealed class GlobalOptionsProvider(IReadOnlyDictionary<string, string> properties) : AnalyzerConfigOptionsProvider
    {
        public override AnalyzerConfigOptions GlobalOptions { get; } = new Options(properties);

        public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => new Options(new Dictionary<string, string>());

        public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => new Options(new Dictionary<string, string>());

        private sealed class Options(IReadOnlyDictionary<string, string> values) : AnalyzerConfigOptions
        {
            public override bool TryGetValue(string key, [NotNullWhen(true)] out string? value) => values.TryGetValue(key, out value);
        }
    }
}
