using System;
using System.IO;
using System.Linq;
using DecisionRouting.Cli;
using DecisionRouting.RuleSets;
using DecisionRouting.Tests.Support;

namespace DecisionRouting.Tests.Cli;

/// <summary>
/// What a governance officer sees of issue 13 §2 at the command line: who decides, urgency as two facts, and the
/// executive model, with the shipped rules and a real proposal file.
/// </summary>
public sealed class WhoDecidesCliTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("dr-who-decides-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static (int Exit, string Out, string Error) Run(params string[] args) => InProcessCli.Run(args);

    private string Proposal(string maker, string extra)
    {
        var path = Path.Combine(_directory, "proposal.json");
        File.WriteAllText(path, "{\n  \"id\": \"cli\", \"title\": \"CLI case\", \"intendedDecisionDate\": \"2018-04-24\", \"kinds\": [ \"ServiceChange\" ], \"financialCommitment\": 300000,\n"
            + $"  \"decisionMaker\": \"{maker}\"{extra}\n}}");
        return path;
    }

    [Fact]
    public void A_leaders_individual_decision_prints_no_meeting_notice_and_cites_reg_13()
    {
        var (exit, output, _) = Run("route", Proposal("Leader", ", \"exemptParagraphs\": [ 3 ]"), "--rules", Repository.PathOf("rules/partnerships/doncaster"), "--today", "2018-03-01");

        Assert.Equal(0, exit);
        Assert.Contains("[leader-decision, Approval]", output);
        Assert.DoesNotContain("[meeting-notice,", output);
        Assert.DoesNotContain("[private-meeting-notice,", output);
        Assert.Contains("source: SI 2012/2089 reg 13", output);
    }

    [Fact]
    public void The_old_urgent_flag_prints_the_warning_and_a_general_exception_keeps_its_call_in()
    {
        var rules = Repository.PathOf("rules/partnerships/doncaster");
        var (exit, urgent, _) = Run("route", Proposal("Cabinet", ", \"urgent\": true"), "--rules", rules, "--today", "2018-03-01");
        Assert.Equal(0, exit);
        Assert.Contains("urgent was read as both", urgent);
        Assert.DoesNotContain("[call-in-window,", urgent);

        var (_, notice, _) = Run("route", Proposal("Cabinet", ", \"noticeImpracticable\": true"), "--rules", rules, "--today", "2018-03-01");
        Assert.Contains("[general-exception-notice, Notice]", notice);
        Assert.Contains("[call-in-window, CallIn]", notice);
        Assert.Contains("effective from the start of Wed 2 May 2018", notice);
        Assert.DoesNotContain("urgent was read as both", notice);
    }

    [Fact]
    public void A_body_deciding_individually_is_refused_at_the_value_with_exit_2()
    {
        var path = Proposal("Cabinet", ", \"decidedAt\": \"Individual\"");

        var (exit, output, error) = Run("route", path, "--rules", Repository.PathOf("rules/england"));

        Assert.Equal(2, exit);
        Assert.Equal(string.Empty, output);
        Assert.StartsWith($"{path}(3,44): error DR0018: 'decidedAt' is Individual, but the decision-maker Cabinet is a body", error);
        Assert.DoesNotContain("Exception", error);
    }

    [Fact]
    public void Validate_reports_an_invalid_executive_model_at_its_value_and_exits_1()
    {
        var set = Path.Combine(_directory, "mayoral");
        Directory.CreateDirectory(set);
        File.WriteAllText(Path.Combine(set, "ruleset.json"), $"{{ \"name\": \"mayoral\", \"extends\": \"{Repository.PathOf("rules/england").Replace('\\', '/')}\",\n  \"executiveModel\": \"Mayor\" }}");
        File.WriteAllText(Path.Combine(set, "local.rules.json"), "{ \"WorkflowName\": \"local\", \"Rules\": [ { \"RuleName\": \"L\", \"Expression\": \"true\" } ] }");

        var (exit, output, _) = Run("validate", set);

        Assert.Equal(1, exit);
        Assert.Contains("ruleset.json(2,21): error DR0055: 'Mayor' is not an executive model; expected one of LeaderAndCabinet, MayorAndCabinet, CommitteeSystem", output.Replace('\\', '/'));
    }

    [Fact]
    public void Validate_reports_overlapping_and_gapped_executive_models_where_the_loader_does()
    {
        var set = Path.Combine(_directory, "timeline");
        Directory.CreateDirectory(set);
        File.WriteAllText(Path.Combine(set, "ruleset.json"), "{ \"name\": \"timeline\",\n  \"executiveModel\": [ { \"model\": \"LeaderAndCabinet\", \"until\": \"2022-05-10\" },\n    { \"model\": \"MayorAndCabinet\", \"from\": \"2022-05-09\", \"until\": \"2023-01-01\" },\n    { \"model\": \"CommitteeSystem\", \"from\": \"2024-01-01\" } ] }");
        File.WriteAllText(Path.Combine(set, "local.rules.json"), "{ \"WorkflowName\": \"local\", \"Rules\": [ { \"RuleName\": \"L\", \"Expression\": \"true\", \"Properties\": { \"steps\": [], \"source\": \"s\" } } ] }");
        var expected = RuleSet.Validate(set).Diagnostics.Where(d => d.Id is "DR0045" or "DR0046").Select(d => d.ToString().Replace('\\', '/')).ToList();

        var (exit, output, _) = Run("validate", set);

        Assert.Equal(1, exit);
        Assert.Equal(2, expected.Count);
        Assert.All(expected, e => Assert.Contains(e, output.Replace('\\', '/')));
        Assert.Contains("ruleset.json(3,5): error DR0045", output.Replace('\\', '/'));
        Assert.Contains("ruleset.json(4,5): warning DR0046: No executive model holds from 1 Jan 2023 to 31 Dec 2023", output.Replace('\\', '/'));
    }
}
