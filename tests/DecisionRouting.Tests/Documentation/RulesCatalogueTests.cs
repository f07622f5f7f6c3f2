using System;
using System.IO;
using System.Linq;
using DecisionRouting.Cli;
using DecisionRouting.Documentation;
using DecisionRouting.RuleSets;
using DecisionRouting.Tests.Support;

namespace DecisionRouting.Tests.Documentation;

public sealed class RulesCatalogueTests
{
    [Fact]
    public void Docs_rules_catalogue_is_up_to_date_with_the_rule_files()
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = Program.Run(new[] { "catalogue", Repository.PathOf("rules") }, output, error);
        Assert.Equal(0, exit);
        var committed = File.ReadAllText(Repository.PathOf("docs/rules-catalogue.md")).Replace("\r\n", "\n");
        Assert.True(
            committed == output.ToString(),
            "docs/rules-catalogue.md is out of date with the rule files. Regenerate it with:\n  dotnet run --project src/DecisionRouting.Cli -- catalogue rules --output docs/rules-catalogue.md");
    }

    [Fact]
    public void Every_rule_of_every_rule_set_appears_once_with_its_steps()
    {
        var folders = Directory.EnumerateFiles(Repository.PathOf("rules"), "ruleset.json", SearchOption.AllDirectories).Select(Path.GetDirectoryName).ToList();
        var definitions = folders.Select(f => RuleSet.Validate(f!)).ToList();
        var document = RulesCatalogue.Write(definitions);
        Assert.Equal(6, definitions.Count);
        foreach (var definition in definitions)
        {
            var layer = definition.Name;
            Assert.Contains($"\n## {layer}\n", document);
            foreach (var rule in definition.Workflows.Where(w => w.RuleSet == layer).SelectMany(w => w.Rules.Select(r => (w.Name, r))))
            {
                var row = Assert.Single(document.Split('\n'), l => l.StartsWith($"| {rule.Name}/{rule.r.Name} |", StringComparison.Ordinal));
                Assert.All(rule.r.Governance!.Steps, s => Assert.Contains($"`{s}`", row));
            }
        }
    }

    [Theory]
    [InlineData("proposal.SpendOrSaving >= parameters.keyDecisionThreshold", "spend or saving ≥ key decision threshold (£500,000)")]
    [InlineData("proposal.FinancialCommitment >= 750000", "financial commitment ≥ £750,000")]
    [InlineData("750000 <= proposal.Savings && proposal.WardsAffected >= 2", "£750,000 ≤ savings and wards affected ≥ 2")]
    [InlineData("proposal.SpendOrSaving > 1250.5m", "spend or saving > £1,250.50")]
    [InlineData("proposal.StaffAffected >= 100000", "staff affected ≥ 100000")]
    [InlineData("proposal.Has(ProposalKind.S75Agreement) || !proposal.Urgent", "it is s75 agreement or not urgent")]
    [InlineData("proposal.IntendedDecisionDate >= LocalDate(2013, 4, 1)", "decision date ≥ 1 Apr 2013")]
    [InlineData("proposal.DecisionMaker != DecisionMaker.NhsBoard && accessRegime2012", "decision maker is not nhs board and access regime 2012")]
    [InlineData("proposal.Attributes.Flag(\"headOfPaidService\")", "'head of paid service'")]
    public void Triggers_read_as_words(string expression, string words)
    {
        var england = RuleSet.Validate(Repository.PathOf("rules/england"));
        Assert.Equal(words, TriggerWords.Describe(expression, england.Parameters));
    }

    [Theory]
    [InlineData("proposal.Has(ProposalKind.S75Agreement) || proposal.Has(ProposalKind.PooledBudget)", "any of: it is s75 agreement; it is pooled budget")]
    [InlineData("proposal.Urgent && !proposal.AllWards", "all of: urgent; not all wards")]
    [InlineData("proposal.Urgent || proposal.AllWards && proposal.WardsAffected >= 2", "any of: urgent; all of (all wards, wards affected ≥ 2)")]
    [InlineData("proposal.Urgent AND (proposal.AllWards OR proposal.TupeTransfer)", "all of: urgent; any of (all wards, tupe transfer)")]
    [InlineData("(proposal.Urgent || proposal.AllWards) && ((proposal.TupeTransfer))", "all of: any of (urgent, all wards); tupe transfer")]
    [InlineData("proposal.Title == \"(draft\" || proposal.Urgent", "any of: title is \"(draft\"; urgent")]
    [InlineData("!(proposal.Urgent || proposal.AllWards)", "not (urgent or all wards)")]
    [InlineData("proposal.Urgent", "urgent")]
    public void Named_terms_say_any_of_or_all_of_as_the_parser_groups_them(string expression, string words)
    {
        var england = RuleSet.Validate(Repository.PathOf("rules/england"));
        Assert.Equal(words, TriggerWords.DescribeTerm(expression, england.Parameters));
    }

    [Fact]
    public void Money_parameters_are_money_in_every_rule_set_and_counts_stay_counts()
    {
        var document = File.ReadAllText(Repository.PathOf("docs/rules-catalogue.md"));
        var rows = document.Split('\n').Where(l => l.StartsWith("| `keyDecisionThreshold` |", System.StringComparison.Ordinal)).ToList();

        // The partnerships set the threshold but compare it with spend only through the England baseline's terms.
        Assert.Equal(6, rows.Count);
        Assert.All(rows, r => Assert.Matches(@"^\| `keyDecisionThreshold` \| £\d{1,3}(,\d{3})+ \|", r));
        Assert.Contains("| `keyDecisionThreshold` | £1,000,000 |", document);
        Assert.Contains("| `keyDecisionWards` | 2 |", document);
        Assert.Contains("key decision threshold (£500,000)", document);
    }
}
