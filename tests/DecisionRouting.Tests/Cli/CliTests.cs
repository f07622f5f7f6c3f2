using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.Json;
using DecisionRouting.Cli;
using DecisionRouting.Tests.Support;
using Snapshooter;
using Snapshooter.Xunit;

namespace DecisionRouting.Tests.Cli;

/// <summary>
/// The CLI's exit codes and output. Paths are relative to the test output folder so snapshots hold no
/// machine-specific paths; fixture rule sets keep snapshots independent of the shipped rules.
/// </summary>
public sealed class CliTests
{
    private const string Rules = "Fixtures/cli/rules";
    private const string BrokenRules = "Fixtures/cli/broken-rules";
    private const string Proposal = "Fixtures/cli/proposal.json";

    static CliTests()
    {
        Directory.SetCurrentDirectory(System.AppContext.BaseDirectory);
    }

    private static (int Exit, string Out, string Error) Run(params string[] args) => InProcessCli.Run(args);

    private static void AssertNoStackTrace(string text)
    {
        Assert.DoesNotContain("   at ", text);
        Assert.DoesNotContain("Exception", text);
    }

    [Fact]
    public void Validate_valid_rule_set_exits_0()
    {
        var (exit, output, error) = Run("validate", Rules);
        Assert.Equal(0, exit);
        Assert.Equal(string.Empty, error);
        Snapshot.Match(output);
    }

    [Fact]
    public void Validate_broken_rule_set_lists_every_problem_and_exits_1()
    {
        var (exit, output, _) = Run("validate", BrokenRules);
        Assert.Equal(1, exit);
        Assert.Contains("Fixtures/cli/broken-rules/main.rules.json(4,48): error DR0010:", output);
        AssertNoStackTrace(output);
        Snapshot.Match(output);
    }

    [Fact]
    public void Validate_missing_folder_is_one_line_and_exit_2()
    {
        var (exit, output, error) = Run("validate", "no/such/rules");
        Assert.Equal(2, exit);
        Assert.Equal(string.Empty, output);
        Assert.Equal("decision-routing: no/such/rules: rule-set folder not found\n", error);
    }

    [Theory]
    [InlineData("text")]
    [InlineData("json")]
    [InlineData("mermaid")]
    public void Route_prints_the_plan_in_each_format(string format)
    {
        var (exit, output, error) = Run("route", Proposal, "--rules", Rules, "--format", format, "--today", "2018-03-01");
        Assert.Equal(0, exit);
        Assert.Equal(string.Empty, error);
        Snapshot.Match(output, SnapshotNameExtension.Create(format));
    }

    [Theory]
    [InlineData("2018-04-10", "urgency route: general-exception-notice instead of key-decision-notice (", "by Wed 18 Apr 2018")]
    [InlineData("2018-04-20", "urgency route: special-urgency-agreement instead of key-decision-notice (", "Scrutiny chair agrees the decision is urgent")]
    public void Route_after_the_notice_deadline_names_the_urgency_route(string today, string route, string detail)
    {
        var (exit, output, error) = Run("route", Proposal, "--rules", Rules, "--today", today);
        Assert.Equal(0, exit);
        Assert.Equal(string.Empty, error);
        Assert.Contains(route, output);
        Assert.Contains(detail, output);
        Assert.DoesNotContain("[key-decision-notice", output);
    }

    [Fact]
    public void Route_with_a_malformed_today_is_one_line_and_exit_2()
    {
        var (exit, output, error) = Run("route", Proposal, "--rules", Rules, "--today", "24/04/2018");
        Assert.Equal(2, exit);
        Assert.Equal(string.Empty, output);
        Assert.Equal("decision-routing: --today must be a date written yyyy-MM-dd, not '24/04/2018'\n", error);
    }

    [Fact]
    public void Route_with_a_broken_holiday_file_gives_its_position_and_exit_2()
    {
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"dr-cli-holidays-{System.Guid.NewGuid():N}.json");
        System.IO.File.WriteAllText(path, "{ \"england-and-wales\": { \"events\": [ { \"title\": \"X\", \"date\": \"2018-13-01\" } ] } }");
        try
        {
            var (exit, output, error) = Run("route", Proposal, "--rules", Rules, "--holidays", path);
            Assert.Equal(2, exit);
            Assert.Equal(string.Empty, output);
            Assert.Equal($"{path}(1,62): error DR0072: 'date' must be a date written yyyy-MM-dd, not \"2018-13-01\"\n", error);
        }
        finally
        {
            System.IO.File.Delete(path);
        }
    }

    [Theory]
    [InlineData("--step", "croydon-2013-integrated-commissioning-unit", "croydon", "key-decision-notice")]
    [InlineData("--why-not", "durham-2019-integrated-strategic-commissioning", "durham", "key-decision-notice")]
    public void Explain_prints_the_rules_conditions_and_values(string option, string sample, string partnership, string step)
    {
        var (exit, output, error) = Run("explain", Repository.PathOf($"samples/proposals/{sample}.json"), "--rules", Repository.PathOf($"rules/partnerships/{partnership}"), option, step);
        Assert.Equal(0, exit);
        Assert.Equal(string.Empty, error);
        Snapshot.Match(output, SnapshotNameExtension.Create(option.TrimStart('-')));
    }

    [Theory]
    [InlineData(new[] { "--step", "key-decison-notice" }, "decision-routing: Rule set 'cli-fixture' has no step 'key-decison-notice'; did you mean 'key-decision-notice'?\n")]
    [InlineData(new string[0], "decision-routing: explain needs exactly one of --step <id> or --why-not <id>\n")]
    [InlineData(new[] { "--step", "a", "--why-not", "b" }, "decision-routing: explain needs exactly one of --step <id> or --why-not <id>\n")]
    public void Explain_usage_mistakes_are_one_line_and_exit_2(string[] options, string expected)
    {
        var (exit, output, error) = Run(new[] { "explain", Proposal, "--rules", Rules }.Concat(options).ToArray());
        Assert.Equal(2, exit);
        Assert.Equal(string.Empty, output);
        Assert.Equal(expected, error);
    }

    [Fact]
    public void Route_defaults_to_text()
    {
        Assert.Equal(Run("route", Proposal, "--rules", Rules, "--format", "text").Out, Run("route", Proposal, "--rules", Rules).Out);
    }

    [Fact]
    public void Route_json_follows_the_documented_contract()
    {
        var (_, output, _) = Run("route", Proposal, "--rules", Rules, "--format", "json");
        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        foreach (var rule in root.GetProperty("matchedRules").EnumerateArray())
        {
            Assert.Equal(JsonValueKind.String, rule.GetProperty("rule").ValueKind);
            Assert.Equal(JsonValueKind.String, rule.GetProperty("source").ValueKind);
            Assert.Equal(JsonValueKind.String, rule.GetProperty("reason").ValueKind);
        }

        var steps = root.GetProperty("steps");
        Assert.Equal(4, steps.GetArrayLength());
        var last = steps[3];
        Assert.Equal("cabinet-decision", last.GetProperty("id").GetString());
        Assert.Equal("Approval", last.GetProperty("kind").GetString());
        Assert.Equal("cabinet", last.GetProperty("body").GetString());
        Assert.Equal(3, last.GetProperty("after").GetArrayLength());
        Assert.Equal("CabinetDecides", last.GetProperty("reasons")[0].GetProperty("rule").GetString());
    }

    [Fact]
    public void Route_missing_proposal_file_is_one_line_and_exit_2()
    {
        var (exit, _, error) = Run("route", "nope.json", "--rules", Rules);
        Assert.Equal(2, exit);
        Assert.Equal("decision-routing: nope.json: proposal file not found\n", error);
    }

    [Fact]
    public void Route_missing_rules_folder_is_one_line_and_exit_2()
    {
        var (exit, _, error) = Run("route", Proposal, "--rules", "nowhere");
        Assert.Equal(2, exit);
        Assert.Equal("decision-routing: nowhere: rule-set folder not found\n", error);
    }

    [Fact]
    public void Route_malformed_proposal_names_the_position_and_exits_2()
    {
        var (exit, output, error) = Run("route", "Fixtures/cli/malformed-proposal.json", "--rules", Rules);
        Assert.Equal(2, exit);
        Assert.Equal(string.Empty, output);
        Assert.Equal("Fixtures/cli/malformed-proposal.json(4,3): error DR0001: Malformed JSON: unexpected character '\"'; expected ',' or '}'\n", error);
    }

    [Fact]
    public void Route_unknown_proposal_field_names_the_position_and_exits_2()
    {
        var (exit, _, error) = Run("route", "Fixtures/cli/unknown-field-proposal.json", "--rules", Rules);
        Assert.Equal(2, exit);
        Assert.Equal("Fixtures/cli/unknown-field-proposal.json(7,3): error DR0002: Unknown property 'finacialCommitment' in proposal; did you mean 'financialCommitment'?\n", error);
    }

    [Fact]
    public void Route_with_a_broken_rule_set_lists_its_errors_and_exits_2()
    {
        var (exit, output, error) = Run("route", Proposal, "--rules", BrokenRules);
        Assert.Equal(2, exit);
        Assert.Equal(string.Empty, output);
        Assert.Contains("error DR0010", error);
        Assert.EndsWith("decision-routing: Fixtures/cli/broken-rules: the rule set has errors; run 'decision-routing validate Fixtures/cli/broken-rules' for details\n", error);
        AssertNoStackTrace(error);
    }

    [Theory]
    [InlineData("route", "Fixtures/cli/proposal.json")]
    [InlineData("route", "Fixtures/cli/proposal.json", "--rules", "Fixtures/cli/rules", "--format", "pdf")]
    [InlineData("frobnicate")]
    public void Usage_errors_exit_2_without_a_stack_trace(params string[] args)
    {
        var (exit, _, error) = Run(args);
        Assert.Equal(2, exit);
        Assert.StartsWith("decision-routing: ", error);
        AssertNoStackTrace(error);
    }

    [Fact]
    public void The_built_command_runs_as_a_process_with_the_same_exit_codes()
    {
        var cli = CliProcess.DllPath;

        // In the test output folder, where the relative sample paths above point.
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = System.AppContext.BaseDirectory };
        foreach (var arg in new[] { cli, "route", Proposal, "--rules", Rules, "--format", "json" })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.Equal(0, process.ExitCode);
        Assert.Equal(Run("route", Proposal, "--rules", Rules, "--format", "json").Out, output);
    }
}
