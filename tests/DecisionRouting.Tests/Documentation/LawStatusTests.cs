using System.IO;
using System.Linq;
using DecisionRouting.Cli;
using DecisionRouting.Documentation;
using DecisionRouting.Proposals;
using DecisionRouting.Routing;
using DecisionRouting.RuleSets;
using DecisionRouting.Tests.Support;
using NodaTime;

namespace DecisionRouting.Tests.Documentation;

/// <summary>
/// Issue 13 §5: docs/law-status.md is generated and current; the shipped rules carry their periods as data, and the
/// England baseline has fewer than five unverified rules, each saying what to check.
/// </summary>
public sealed class LawStatusTests
{
    private static System.Collections.Generic.IEnumerable<(string Workflow, Workflows.RuleDefinition Rule)> Rules(Workflows.WorkflowDefinition workflow) =>
        workflow.Rules.Select(r => (workflow.Name, r));

    private static readonly RuleSetDefinition England = RuleSet.Validate(Repository.PathOf("rules/england"));

    [Fact]
    public void Docs_law_status_is_up_to_date_with_the_rule_files()
    {
        var output = new StringWriter();
        var exit = Program.Run(new[] { "catalogue", Repository.PathOf("rules"), "--law-status" }, output, new StringWriter());
        Assert.Equal(0, exit);
        var committed = File.ReadAllText(Repository.PathOf("docs/law-status.md")).Replace("\r\n", "\n");
        Assert.True(
            committed == output.ToString(),
            "docs/law-status.md is out of date with the rule files. Regenerate it with:\n  dotnet run --project src/DecisionRouting.Cli -- catalogue rules --law-status --output docs/law-status.md");
    }

    [Fact]
    public void The_count_of_unverified_rules_heads_the_document_and_matches_the_files()
    {
        var document = File.ReadAllText(Repository.PathOf("docs/law-status.md"));
        var unverified = England.Workflows.Where(w => w.RuleSet == "england").SelectMany(w => w.Rules).Count(r => r.Enabled && r.Governance?.Verify == true);
        var heading = document.Split('\n').First(l => l.StartsWith("**Rules marked `verify: true`", System.StringComparison.Ordinal));
        Assert.Contains($"; {unverified} in the England baseline", heading);
        Assert.True(document.IndexOf(heading, System.StringComparison.Ordinal) < document.IndexOf("\n## ", System.StringComparison.Ordinal), "the count comes before any rule set");
    }

    [Fact]
    public void Every_unverified_rule_in_the_england_baseline_says_what_to_check_and_is_listed_with_it()
    {
        var document = File.ReadAllText(Repository.PathOf("docs/law-status.md"));
        var unverified = England.Workflows.Where(w => w.RuleSet == "england").SelectMany(Rules).Where(r => r.Rule.Enabled && r.Rule.Governance?.Verify == true).ToList();
        Assert.NotEmpty(unverified);
        Assert.All(unverified, r =>
        {
            Assert.Matches(@"verify\b", r.Rule.Governance!.Source!);
            Assert.Contains($"| {r.Workflow}/{r.Rule.Name} | england | ", document);
        });
    }

    [Fact]
    public void A_rule_whose_law_was_checked_records_the_day_and_is_no_longer_marked_verify()
    {
        var checkedRules = England.Workflows.Where(w => w.RuleSet == "england").SelectMany(w => w.Rules).Where(r => r.Governance?.Checked is not null).ToList();
        Assert.NotEmpty(checkedRules);
        // Against the real day, not the day this test was written: checks made later are not in the future.
        var today = LocalDate.FromDateTime(System.DateTime.UtcNow).PlusDays(1);
        Assert.All(checkedRules, r => Assert.True(r.Governance!.Checked!.Value <= today, $"{r.Name} is checked in the future"));
    }

    [Fact]
    public void The_catalogue_shows_a_requirements_timeline_latest_first()
    {
        var catalogue = File.ReadAllText(Repository.PathOf("docs/rules-catalogue.md"));
        var row = catalogue.Split('\n').Single(l => l.StartsWith("| `key-decision-advance-notice` |", System.StringComparison.Ordinal));
        Assert.Contains("from 10 Sep 2012: `KeyDecisionNotice` (`key-decision-notice` 28 clear days); before 10 Sep 2012: `KeyDecisionForwardPlan2000` (`forward-plan-entry`)", row);
        var bcf = catalogue.Split('\n').Single(l => l.StartsWith("| `bcf-spending-plan-agreed-by-nhs-partner` |", System.StringComparison.Ordinal));
        Assert.Contains("from 1 Jul 2022: `BetterCareFundSpendingPlanIcb`", bcf);
        Assert.Contains("before 1 Jul 2022: `BetterCareFundSpendingPlanCcg`", bcf);
    }

    [Theory]
    [InlineData("key-decisions", "KeyDecisionNotice", "2012-09-10", null)]
    [InlineData("key-decisions", "KeyDecisionForwardPlan2000", null, "2012-09-10")]
    [InlineData("key-decisions", "PrivateMeetingNotices", "2012-09-10", null)]
    [InlineData("health-and-wellbeing-board", "BetterCareFundSpendingPlanCcg", null, "2022-07-01")]
    [InlineData("health-and-wellbeing-board", "BetterCareFundSpendingPlanIcb", "2022-07-01", null)]
    [InlineData("health-and-wellbeing-board", "JointStrategyAndAssessment", "2013-04-01", null)]
    public void Migrated_date_guards_are_periods_in_data_not_expressions(string workflow, string rule, string? from, string? until)
    {
        var definition = England.Workflows.Single(w => w.Name == workflow).Rules.Single(r => r.Name == rule);
        Assert.DoesNotContain("IntendedDecisionDate", definition.Expression);
        Assert.Equal(from, definition.Governance!.Effective!.From?.ToString("uuuu-MM-dd", null));
        Assert.Equal(until, definition.Governance.Effective.Until?.ToString("uuuu-MM-dd", null));
    }

    [Theory]
    [InlineData("2012-09-07", "forward-plan-entry", "key-decision-notice")]
    [InlineData("2012-09-10", "key-decision-notice", "forward-plan-entry")]
    public void A_key_decision_gets_the_notice_of_the_regime_in_force_on_its_date(string date, string required, string notRequired)
    {
        var plan = new Router(RuleSet.Load(Repository.PathOf("rules/england"))).Route(new Proposal
        {
            Id = "kd",
            Title = "Key decision",
            DecisionMaker = DecisionMaker.Cabinet,
            IntendedDecisionDate = NodaTime.Text.LocalDatePattern.Iso.Parse(date).GetValueOrThrow(),
            Kinds = new[] { ProposalKind.ServiceChange },
            FinancialCommitment = 5_000_000,
        });
        Assert.True(plan.Requires(required));
        Assert.False(plan.Requires(notRequired));
        Assert.DoesNotContain(plan.Warnings, w => w.Kind == PlanWarningKind.StepNotInForce);
    }
}
