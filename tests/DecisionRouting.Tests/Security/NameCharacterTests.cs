using System;
using System.Collections.Immutable;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using DecisionRouting.Analyzers;
using DecisionRouting.Proposals;
using DecisionRouting.RuleSets;
using DecisionRouting.Tests.Analyzers;
using DecisionRouting.Tests.Support;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using RuleSet = DecisionRouting.RuleSets.RuleSet;

namespace DecisionRouting.Tests.Security;

/// <summary>
/// Names cannot carry control characters (DR0068), direction controls written as JSON escapes are DR0064 like raw ones
/// (breaker finding L2), and a hard link inside the rule tree is refused (L1): in the loader, the CLI and the analyzer.
/// </summary>
public sealed class NameCharacterTests
{
    /// <summary>
    /// Each place a rule file names something: the file, the text to replace, and the same text with an escaped
    /// control character at a known place (the column asserted is that of the escape's backslash).
    /// </summary>
    public static TheoryData<string, string, string, string> Names() => new()
    {
        { "main.rules.json", "\"RuleName\": \"Big\"", "\"RuleName\": \"B\\nig\"", "Rule name" },
        { "main.rules.json", "\"WorkflowName\": \"main\"", "\"WorkflowName\": \"m\\tain\"", "Workflow name" },
        { "catalogue.json", "{ \"id\": \"notice\"", "{ \"id\": \"no\\rtice\"", "Step id" },
        { "catalogue.json", "\"name\": \"Notice\"", "\"name\": \"Notice\\n  FORGED\"", "Step name" },
        { "catalogue.json", "{ \"id\": \"cabinet\"", "{ \"id\": \"cab\\u001binet\"", "Body id" },
        { "catalogue.json", "\"name\": \"Cabinet\"", "\"name\": \"Cab\\u0085inet\"", "Body name" },
        { "catalogue.json", "\"name\": \"Chief finance officer\"", "\"name\": \"Chief\\u007f finance officer\"", "Role name" },
        { "catalogue.json", "{ \"id\": \"s151-officer\"", "{ \"id\": \"s151\\u2028officer\"", "Role id" },
    };

    [Theory]
    [MemberData(nameof(Names))]
    public async Task A_control_character_in_a_name_is_DR0068_at_the_character_in_the_loader_and_the_analyzer(string file, string from, string to, string what)
    {
        var catalogue = file == "catalogue.json" ? TempRuleSet.Catalogue.Replace(from, to, StringComparison.Ordinal) : TempRuleSet.Catalogue;
        var rules = file == "main.rules.json" ? TempRuleSet.Rules.Replace(from, to, StringComparison.Ordinal) : TempRuleSet.Rules;
        using var set = TempRuleSet.With(catalogue: catalogue, rules: rules);
        var text = file == "catalogue.json" ? catalogue : rules;
        var escape = text.IndexOf(to, StringComparison.Ordinal) + to.IndexOf('\\', StringComparison.Ordinal);
        var line = text[..escape].Count(c => c == '\n') + 1;
        var column = escape - text[..escape].LastIndexOf('\n');

        var definition = RuleSet.Validate(set.Directory);
        var analyzed = await Analyze(set.Directory);

        var error = Assert.Single(definition.Diagnostics, d => d.Id == "DR0068");
        Assert.EndsWith(file, error.Location.Path, StringComparison.Ordinal);
        Assert.Equal((line, column), (error.Location.Line, error.Location.Column));
        Assert.StartsWith($"{what} '", error.Message, StringComparison.Ordinal);
        Assert.Contains("<U+", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(error.Message, c => c < ' ' || c is '\u0085' or '\u007f' or '\u2028');
        var fromAnalyzer = Assert.Single(analyzed, d => d.Id == "DR0068");
        Assert.Equal((line - 1, column - 1), (fromAnalyzer.Location.GetLineSpan().StartLinePosition.Line, fromAnalyzer.Location.GetLineSpan().StartLinePosition.Character));
        Assert.Equal(error.Message, fromAnalyzer.GetMessage());
    }

    [Fact]
    public void Parameter_attribute_rule_set_and_local_names_with_control_characters_are_DR0068_too()
    {
        const string Manifest = """{ "name": "lo\u0007cal", "title": "A\u2029B", "parameters": { "cap\tx": 5 }, "attributes": { "spend\ncap": { "type": "number", "description": "d", "source": "s" } } }""";
        var rules = TempRuleSet.Rules.Replace("\"Rules\": [", "\"GlobalParams\": [ { \"Name\": \"g\\u0000\", \"Expression\": \"true\" } ], \"Rules\": [", StringComparison.Ordinal)
            .Replace("\"reason\": \"test reason\"", "\"reason\": \"test reason\", \"requirement\": \"req\\u001b\"", StringComparison.Ordinal);
        using var set = TempRuleSet.With(rules: rules, manifest: Manifest.Replace("\u0007", "\\u0007", StringComparison.Ordinal).Replace("\u2029", "\\u2029", StringComparison.Ordinal).Replace("\t", "\\t", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal));

        var definition = RuleSet.Validate(set.Directory);

        var messages = definition.Diagnostics.Where(d => d.Id == "DR0068").Select(d => d.Message).ToList();
        Assert.Contains(messages, m => m.StartsWith("Rule-set name 'lo<U+0007>cal' contains the control character U+0007", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.StartsWith("Rule-set title 'A<U+2029>B' contains a paragraph separator (U+2029)", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.StartsWith("Parameter name 'cap<U+0009>x' contains a tab (U+0009)", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.StartsWith("Attribute name 'spend<U+000A>cap' contains a line feed (U+000A)", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.StartsWith("Parameter name 'g<U+0000>'", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.StartsWith("Requirement name 'req<U+001B>'", StringComparison.Ordinal));
        var parameter = Assert.Single(definition.Diagnostics, d => d.Message.StartsWith("Parameter name 'cap", StringComparison.Ordinal));
        var manifestText = File.ReadAllText(Path.Combine(set.Directory, "ruleset.json"));
        Assert.Equal(manifestText.IndexOf("\\t", StringComparison.Ordinal) + 1, parameter.Location.Column);
    }

    [Fact]
    public void A_raw_line_separator_in_a_step_name_is_DR0068_and_names_without_controls_still_load()
    {
        using var bad = TempRuleSet.With(catalogue: TempRuleSet.Catalogue.Replace("\"name\": \"Notice\"", "\"name\": \"Not\u2028ice\"", StringComparison.Ordinal));
        using var good = TempRuleSet.With(catalogue: TempRuleSet.Catalogue.Replace("\"name\": \"Notice\"", "\"name\": \"Notice — délai · 28 días\"", StringComparison.Ordinal));

        var refused = Assert.Single(RuleSet.Validate(bad.Directory).Diagnostics, d => d.Id == "DR0068");
        var validated = InProcessCli.Run("validate", bad.Directory);

        Assert.Equal(TempRuleSet.Catalogue.IndexOf("Notice\"", StringComparison.Ordinal) + 3 - TempRuleSet.Catalogue[..TempRuleSet.Catalogue.IndexOf("Notice\"", StringComparison.Ordinal)].LastIndexOf('\n'), refused.Location.Column);
        Assert.Equal(1, validated.Exit);
        Assert.Contains("error DR0068: Step name 'Not<U+2028>ice' contains a line separator (U+2028)", validated.Out, StringComparison.Ordinal);
        Assert.DoesNotContain(RuleSet.Validate(good.Directory).Diagnostics, d => d.IsError);
    }

    [Fact]
    public void A_proposal_id_with_a_control_character_is_DR0068_at_the_character()
    {
        var text = File.ReadAllText(Repository.PathOf("samples/proposals/croydon-2013-integrated-commissioning-unit.json"))
            .Replace("\"id\": \"croydon-2013", "\"id\": \"croy\\ndon-2013", StringComparison.Ordinal);
        var path = Path.Combine(Path.GetTempPath(), $"dr-proposal-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, text);
        try
        {
            var read = ProposalReader.ReadFile(path);

            Assert.Null(read.Proposal);
            var error = Assert.Single(read.Diagnostics, d => d.Id == "DR0068");
            var at = text.IndexOf("\\ndon", StringComparison.Ordinal);
            Assert.Equal((text[..at].Count(c => c == '\n') + 1, at - text[..at].LastIndexOf('\n')), (error.Location.Line, error.Location.Column));
            Assert.StartsWith("Proposal id 'croy<U+000A>don-2013", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData("\\u202e", '\u202E')]
    [InlineData("\\u202E", '\u202E')]
    [InlineData("\\u2066", '\u2066')]
    [InlineData("\\u200f", '\u200F')]
    public async Task A_direction_control_written_as_a_json_escape_is_DR0064_at_the_escape_in_the_loader_and_the_analyzer(string escape, char control)
    {
        var rules = TempRuleSet.Rules.Replace("test reason", "test " + escape + "nosaer", StringComparison.Ordinal);
        using var set = TempRuleSet.With(rules: rules);
        var at = rules.IndexOf(escape, StringComparison.Ordinal);
        var line = rules[..at].Count(c => c == '\n') + 1;
        var column = at - rules[..at].LastIndexOf('\n');

        var definition = RuleSet.Validate(set.Directory);
        var analyzed = await Analyze(set.Directory);

        var error = Assert.Single(definition.Diagnostics, d => d.Id == "DR0064");
        Assert.Equal((line, column, 6), (error.Location.Line, error.Location.Column, error.Location.Length));
        Assert.Equal($"Hidden text-direction character U+{(int)control:X4} ({Text.UnsafeCharacters.DirectionControlName(control)}, written as the escape {escape}): it makes the file display differently from how it is read; remove it", error.Message);
        var fromAnalyzer = Assert.Single(analyzed, d => d.Id == "DR0064");
        Assert.Equal(line - 1, fromAnalyzer.Location.GetLineSpan().StartLinePosition.Line);
    }

    [Fact]
    public void An_escaped_backslash_before_u202e_is_text_not_a_direction_control_and_a_raw_one_is_still_reported()
    {
        using var text = TempRuleSet.With(rules: TempRuleSet.Rules.Replace("test reason", "see C:\\\\u202e folder", StringComparison.Ordinal));
        using var raw = TempRuleSet.With(catalogue: TempRuleSet.Catalogue.Replace("\"name\": \"Cabinet\"", "\"name\": \"Cab\u202Einet\"", StringComparison.Ordinal));
        using var escapedName = TempRuleSet.With(catalogue: TempRuleSet.Catalogue.Replace("{ \"id\": \"cabinet\"", "{ \"id\": \"cab\\u202einet\"", StringComparison.Ordinal));

        Assert.DoesNotContain(RuleSet.Validate(text.Directory).Diagnostics, d => d.Id == "DR0064");
        Assert.Single(RuleSet.Validate(raw.Directory).Diagnostics, d => d.Id == "DR0064");
        Assert.Single(RuleSet.Validate(escapedName.Directory).Diagnostics, d => d.Id == "DR0064");
    }

    [Fact]
    public void A_hard_link_inside_the_rule_tree_to_a_file_outside_it_is_refused_without_a_word_of_its_content()
    {
        var outside = Directory.CreateTempSubdirectory("dr-hard-outside-").FullName;
        var tree = Directory.CreateTempSubdirectory("dr-hard-tree-").FullName;
        try
        {
            var rules = Path.Combine(tree, "rules", "local");
            Directory.CreateDirectory(rules);
            File.WriteAllText(Path.Combine(rules, "catalogue.json"), TempRuleSet.Catalogue);
            File.WriteAllText(Path.Combine(rules, "main.rules.json"), TempRuleSet.Rules);
            var secret = Path.Combine(outside, "appsettings.json");
            File.WriteAllText(secret, """{ "ConnectionStrings": { "Main": "Host=db;Password=hunter2" } }""");
            HardLink(secret, Path.Combine(rules, "ruleset.json"));
            Assert.Equal(2, SafeFile.LinkCount(secret));

            var validated = InProcessCli.Run("validate", rules);
            var routed = InProcessCli.Run("route", Repository.PathOf("samples/proposals/croydon-2013-integrated-commissioning-unit.json"), "--rules", rules);
            var allowed = RuleSet.Validate(rules, new RuleSetReadOptions { AllowHardLinks = true });
            var allowedByCli = InProcessCli.Run("validate", rules, "--allow-hard-links");

            Assert.Equal(1, validated.Exit);
            Assert.Contains($"{rules.Replace('\\', '/')}/ruleset.json: error DR0062: 'ruleset.json' is not read: it has 2 hard links, so it is also reachable under another name, perhaps outside the rule tree", validated.Out, StringComparison.Ordinal);
            Assert.Equal(2, routed.Exit);
            foreach (var output in new[] { validated.Out, validated.Error, routed.Out, routed.Error })
            {
                Assert.DoesNotContain("hunter2", output, StringComparison.Ordinal);
                Assert.DoesNotContain("ConnectionStrings", output, StringComparison.Ordinal);
            }

            // Allowed, the file is read as the rule set's manifest it claims to be (and is wrong as one).
            Assert.DoesNotContain(allowed.Diagnostics, d => d.Id == "DR0062");
            Assert.DoesNotContain("DR0062", allowedByCli.Out, StringComparison.Ordinal);
            Assert.Equal(1, SafeFile.LinkCount(Path.Combine(rules, "main.rules.json")));
        }
        finally
        {
            Directory.Delete(outside, recursive: true);
            Directory.Delete(tree, recursive: true);
        }
    }

    [Fact]
    public void A_hard_linked_proposal_in_a_route_batch_folder_is_refused_but_one_read_on_its_own_is_not()
    {
        var folder = Directory.CreateTempSubdirectory("dr-hard-batch-").FullName;
        var outside = Directory.CreateTempSubdirectory("dr-hard-outside-").FullName;
        try
        {
            var original = Path.Combine(outside, "p.json");
            File.Copy(Repository.PathOf("samples/proposals/croydon-2013-integrated-commissioning-unit.json"), original);
            HardLink(original, Path.Combine(folder, "p.json"));

            var inBatch = ProposalReader.ReadFile(Path.Combine(folder, "p.json"), RuleSetReadOptions.FullPath(folder));
            var alone = ProposalReader.ReadFile(Path.Combine(folder, "p.json"));

            Assert.Contains("hard links", Assert.Single(inBatch.Diagnostics, d => d.Id == "DR0062").Message, StringComparison.Ordinal);
            Assert.NotNull(alone.Proposal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
            Directory.Delete(outside, recursive: true);
        }
    }

    private static void HardLink(string existing, string link)
    {
        using var ln = Process.Start(new ProcessStartInfo("ln", new[] { existing, link }) { RedirectStandardError = true })!;
        ln.WaitForExit();
        Assert.True(ln.ExitCode == 0, ln.StandardError.ReadToEnd());
    }

    private static async Task<ImmutableArray<Diagnostic>> Analyze(string directory)
    {
        var files = Directory.GetFiles(directory).Select(f => f.Replace('\\', '/')).ToArray();
        var compilation = CSharpCompilation.Create("Partner", new[] { CSharpSyntaxTree.ParseText("class C { }") }, AnalyzerHarness.References(withLibrary: false), new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        var options = new AnalyzerOptions(AnalyzerHarness.AdditionalFiles(files));
        return await compilation.WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(new RuleFileAnalyzer()), options).GetAnalyzerDiagnosticsAsync();
    }
}
