using System;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using DecisionRouting.Tests.Analyzers;
using DecisionRouting.Tests.Support;

namespace DecisionRouting.Tests.Analysis;

/// <summary>
/// Rule-set analysis at build time (docs/analysis.md, "At build time"): the packed package's opt-in target runs
/// <c>decision-routing analyse</c> (the CLI built in this repository, through <c>DecisionRoutingCli</c>) after a real
/// <c>dotnet build</c> of a partner project, and its findings are build warnings at their file, line and column.
/// </summary>
[Collection("dotnet pack")]
public sealed class AnalysisBuildTests
{
    private const string AnalysingMarker = "DecisionRouting: analysing rule set";

    /// <summary>The partner's rules with a rule no proposal can satisfy, as issue 18 §2's example.</summary>
    private static readonly string DeadRules = TempRuleSet.Rules.Replace(
        "\"reason\": \"test reason\" } }",
        "\"reason\": \"test reason\" } },\n    { \"RuleName\": \"Never\", \"Expression\": \"proposal.FinancialCommitment > 5000000 && proposal.FinancialCommitment < 1000000\", \"Properties\": { \"steps\": [ \"decision\" ], \"source\": \"s\", \"reason\": \"r\" } }",
        StringComparison.Ordinal);

    private readonly PackedPackage _package;

    public AnalysisBuildTests(PackedPackage package) => _package = package;

    [Fact]
    public void Off_by_default_then_a_dead_rule_is_a_build_warning_at_its_position_and_an_unchanged_tree_is_not_analysed_again()
    {
        Assert.Contains("\"Never\"", DeadRules);
        using var partner = _package.Partner(brokenRules: false);
        var rules = Path.Combine(partner.Directory, "rules", "local", "main.rules.json");
        File.WriteAllText(rules, DeadRules);

        // Off by default: the analyzer's load-time checks only, and no analysis.
        var (exit, output) = partner.Build();
        Assert.True(exit == 0, output);
        Assert.DoesNotContain(AnalysingMarker, output);
        Assert.DoesNotContain("DR0097", output);

        // On: the dead rule at its name's line and column, in the partner's own file, as an absolute path.
        UseThisRepositorysCli(partner);
        (exit, output) = partner.Build();
        Assert.True(exit == 0, output);
        Assert.Single(Regex.Matches(output, Regex.Escape(AnalysingMarker)));
        var (line, column) = Position.Of(DeadRules, "\"Never\"");
        var expected = $"{rules}({line},{column}): warning DR0097: Rule 'Never' can never match";
        Assert.Contains(expected, output);
        Assert.DoesNotContain("warning DR0098", output);

        // Nothing changed: the target is up to date and the kept findings are logged again, not recomputed.
        var stamp = Assert.Single(Directory.GetFiles(Path.Combine(partner.Directory, "obj"), "*.findings", SearchOption.AllDirectories));
        var written = File.GetLastWriteTimeUtc(stamp);
        (exit, output) = partner.Build();
        Assert.True(exit == 0, output);
        Assert.DoesNotContain(AnalysingMarker, output);
        Assert.Contains(expected, output);
        Assert.Equal(written, File.GetLastWriteTimeUtc(stamp));

        // A rule file changes: analysed again, and the fixed rule's warning is gone.
        File.WriteAllText(rules, DeadRules.Replace("proposal.FinancialCommitment > 5000000 &&", "proposal.FinancialCommitment > 500 &&", StringComparison.Ordinal));
        (exit, output) = partner.Build();
        Assert.True(exit == 0, output);
        Assert.Contains(AnalysingMarker, output);
        Assert.DoesNotContain("DR0097", output);
    }

    [Fact]
    public void A_cli_that_cannot_run_is_one_warning_and_findings_fail_a_build_that_treats_warnings_as_errors()
    {
        using var partner = _package.Partner(brokenRules: false);
        File.WriteAllText(Path.Combine(partner.Directory, "rules", "local", "main.rules.json"), DeadRules);

        // No such tool: dotnet's own message, then one warning naming the setting to fix; never silence, never an error.
        var (exit, output) = partner.Build("-p:DecisionRoutingAnalyse=true", "-p:DecisionRoutingCli=dotnet decision-routing-not-installed");
        Assert.True(exit == 0, output);
        Assert.Contains("could not run: 'dotnet decision-routing-not-installed analyse' exited with 1 and wrote no findings", output);
        Assert.Contains("set DecisionRoutingCli", output);
        Assert.DoesNotContain("DR0097", output);
        Assert.Empty(Directory.GetFiles(Path.Combine(partner.Directory, "obj"), "*.findings", SearchOption.AllDirectories));

        // The real CLI, with warnings as errors: the finding fails the build like any other warning, at the same place.
        UseThisRepositorysCli(partner);
        (exit, output) = partner.Build("-p:TreatWarningsAsErrors=true");
        Assert.NotEqual(0, exit);
        Assert.Matches(@"main\.rules\.json\(\d+,\d+\): error DR0097: Rule 'Never' can never match", output);

        // NoWarn silences a finding as it silences any warning.
        (exit, output) = partner.Build("-p:TreatWarningsAsErrors=true", "-p:NoWarn=DR0096%3BDR0097");
        Assert.True(exit == 0, output);
        Assert.DoesNotContain("DR0097", output);
    }

    /// <summary>Turns the analysis on in the partner's project, run by the CLI this test run built (never a tool install).</summary>
    private static void UseThisRepositorysCli(PartnerProject partner)
    {
        var project = Path.Combine(partner.Directory, "Partner.csproj");
        var settings = $"""
            <Nullable>enable</Nullable>
                <DecisionRoutingAnalyse>true</DecisionRoutingAnalyse>
                <DecisionRoutingCli>dotnet "{CliProcess.DllPath}"</DecisionRoutingCli>
            """;
        File.WriteAllText(project, File.ReadAllText(project).Replace("<Nullable>enable</Nullable>", settings, StringComparison.Ordinal));
        Assert.Contains("<DecisionRoutingAnalyse>", File.ReadAllText(project));
    }
}
