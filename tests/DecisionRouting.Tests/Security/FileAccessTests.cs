using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using DecisionRouting.Cli;
using DecisionRouting.RuleSets;
using DecisionRouting.Tests.Support;

namespace DecisionRouting.Tests.Security;

/// <summary>
/// Issue 14 §4: files are read only where they should be. Real files, symbolic links and named pipes in a temporary
/// folder; the CLI in process, or as a real process with a time limit where the old code hung.
/// </summary>
public sealed class FileAccessTests : IDisposable
{
    private readonly RuleTreeSandbox _sandbox = new("dr-");

    private string Outside => _sandbox.Outside;

    private string Tree => _sandbox.Tree;

    private string Rules => _sandbox.Rules;

    public void Dispose() => _sandbox.Dispose();

    [Fact]
    public void A_manifest_symlinked_to_a_server_config_outside_the_tree_is_refused_without_a_word_of_its_content()
    {
        var config = Path.Combine(Outside, "appsettings.json");
        File.WriteAllText(config, """{ "ConnectionStrings": { "Main": "Host=db;Password=hunter2" } }""");
        File.CreateSymbolicLink(Path.Combine(Rules, "ruleset.json"), config);

        var validated = Run("validate", Rules);
        var routed = Run("route", Repository.PathOf("samples/proposals/croydon-2013-integrated-commissioning-unit.json"), "--rules", Rules);

        Assert.Equal(1, validated.Exit);
        Assert.Contains($"{Rules.Replace('\\', '/')}/ruleset.json: error DR0062: 'ruleset.json' is not read: it is a symbolic link (or inside one) leading outside the rule tree", validated.Out);
        Assert.Equal(2, routed.Exit);
        foreach (var text in new[] { validated.Out, validated.Error, routed.Out, routed.Error })
        {
            Assert.DoesNotContain("hunter2", text);
            Assert.DoesNotContain("ConnectionStrings", text);
        }
    }

    [Fact]
    public void A_rule_file_symlinked_to_dev_zero_is_refused()
    {
        File.CreateSymbolicLink(Path.Combine(Rules, "zero.rules.json"), "/dev/zero");

        var definition = RuleSet.Validate(Rules);

        var refused = Assert.Single(definition.Diagnostics, d => d.Id == "DR0062");
        Assert.EndsWith("zero.rules.json", refused.Location.Path);
    }

    [Fact]
    public void A_rule_file_symlinked_to_dev_zero_inside_an_explicit_root_of_slash_is_still_refused_as_a_device()
    {
        File.CreateSymbolicLink(Path.Combine(Rules, "zero.rules.json"), "/dev/zero");

        var definition = RuleSet.Validate(Rules, new RuleSetReadOptions { ExtendsRoot = "/" });

        Assert.Contains("it is in /dev", Assert.Single(definition.Diagnostics, d => d.Id == "DR0062").Message);
    }

    [Fact]
    public void A_proc_file_is_refused_even_inside_the_root()
    {
        File.CreateSymbolicLink(Path.Combine(Rules, "ruleset.json"), "/proc/self/environ");

        var definition = RuleSet.Validate(Rules, new RuleSetReadOptions { ExtendsRoot = "/" });

        Assert.Contains("it is in /proc", Assert.Single(definition.Diagnostics, d => d.Id == "DR0062").Message);
    }

    [Fact]
    public void A_named_pipe_as_manifest_is_refused_by_the_real_command_without_hanging()
    {
        Mkfifo(Path.Combine(Rules, "ruleset.json"));

        var (exit, output, _) = RunProcess(TimeSpan.FromSeconds(60), "validate", Rules);

        Assert.Equal(1, exit);
        Assert.Contains("error DR0062: 'ruleset.json' is not read: it is a named pipe (FIFO), not a regular file", output);
    }

    [Fact]
    public void A_named_pipe_as_proposal_or_bank_holiday_file_is_exit_2_without_hanging()
    {
        var pipe = Path.Combine(Outside, "proposal.json");
        Mkfifo(pipe);

        var proposal = RunProcess(TimeSpan.FromSeconds(60), "route", pipe, "--rules", Rules);
        var holidays = RunProcess(TimeSpan.FromSeconds(60), "route", Repository.PathOf("samples/proposals/croydon-2013-integrated-commissioning-unit.json"), "--rules", Repository.PathOf("rules/partnerships/croydon"), "--holidays", pipe);

        Assert.Equal(2, proposal.Exit);
        Assert.Contains("error DR0062: 'proposal.json' is not read: it is a named pipe (FIFO)", proposal.Error);
        Assert.Equal(2, holidays.Exit);
        Assert.Contains("error DR0062", holidays.Error);
    }

    [Fact]
    public void A_rule_file_over_the_size_limit_is_refused_before_it_is_read()
    {
        File.WriteAllText(Path.Combine(Rules, "big.rules.json"), "[" + new string(' ', (int)RuleSetReadOptions.DefaultMaxFileBytes) + "]");

        var definition = RuleSet.Validate(Rules);

        Assert.Equal("'big.rules.json' is not read: it is 4,194,306 bytes, over the limit of 4,194,304 bytes", Assert.Single(definition.Diagnostics, d => d.Id == "DR0062").Message);
    }

    [Theory]
    [InlineData("../../../..")]
    [InlineData("../../../etc")]
    [InlineData("../../..")]
    public void Extends_leading_outside_the_rule_tree_is_DR0063_at_the_extends(string extends)
    {
        File.WriteAllText(Path.Combine(Rules, "ruleset.json"), $$"""{ "name": "local", "extends": "{{extends}}" }""");

        var definition = RuleSet.Validate(Rules);

        var error = Assert.Single(definition.Diagnostics, d => d.Id == "DR0063");
        Assert.Equal((1, 31), (error.Location.Line, error.Location.Column));
        Assert.Contains($"\"extends\" '{extends}' leads outside the rule tree '{Path.Combine(Tree, "rules").Replace('\\', '/')}'", error.Message);
        Assert.DoesNotContain(definition.Diagnostics, d => d.Id is "DR0019" or "DR0082");
    }

    [Fact]
    public void An_absolute_extends_is_refused_unless_allowed_and_then_still_held_to_the_root()
    {
        var england = Repository.PathOf("rules/england").Replace('\\', '/');
        File.WriteAllText(Path.Combine(Rules, "ruleset.json"), $$"""{ "name": "local", "extends": "{{england}}" }""");

        var refused = RuleSet.Validate(Rules);
        var outsideRoot = RuleSet.Validate(Rules, new RuleSetReadOptions { AllowAbsoluteExtends = true });
        var allowed = RuleSet.Validate(Rules, new RuleSetReadOptions { AllowAbsoluteExtends = true, ExtendsRoot = "/" });
        var cli = Run("validate", Rules, "--allow-absolute-extends", "--rules-root", "/");

        Assert.Contains("is the absolute path", Assert.Single(refused.Diagnostics, d => d.Id == "DR0063").Message);
        Assert.Contains("leads outside the rule tree", Assert.Single(outsideRoot.Diagnostics, d => d.Id == "DR0063").Message);
        Assert.DoesNotContain(allowed.Diagnostics, d => d.Id is "DR0063" or "DR0062");
        Assert.Equal("england", allowed.Layers[0].Name);
        Assert.DoesNotContain("DR0063", cli.Out);
    }

    [Fact]
    public void The_shipped_partnerships_extend_england_inside_the_default_root()
    {
        var definition = RuleSet.Validate(Repository.PathOf("rules/partnerships/croydon"));

        Assert.DoesNotContain(definition.Diagnostics, d => d.Id is "DR0062" or "DR0063");
    }

    [Fact]
    public void A_rule_set_folder_that_is_a_symlink_out_of_the_tree_reads_none_of_its_files()
    {
        File.WriteAllText(Path.Combine(Outside, "x.rules.json"), TempRuleSet.Rules);
        File.WriteAllText(Path.Combine(Outside, "catalogue.json"), TempRuleSet.Catalogue);
        var linked = Path.Combine(Tree, "rules", "linked");
        Directory.CreateSymbolicLink(linked, Outside);

        var definition = RuleSet.Validate(linked);

        Assert.Equal(2, definition.Diagnostics.Count(d => d.Id == "DR0062"));
        Assert.Empty(definition.Workflows);
    }

    [Fact]
    public void Route_batch_does_not_follow_a_symlink_out_of_the_batch_folder()
    {
        var batch = Path.Combine(Tree, "batch");
        Directory.CreateDirectory(batch);
        File.Copy(Repository.PathOf("samples/proposals/croydon-2013-integrated-commissioning-unit.json"), Path.Combine(Outside, "secret.json"));
        File.CreateSymbolicLink(Path.Combine(batch, "linked.json"), Path.Combine(Outside, "secret.json"));

        var result = Run("route-batch", batch, "--rules", Repository.PathOf("rules/partnerships/croydon"), "--output", Path.Combine(Tree, "plans"));

        Assert.Equal(2, result.Exit);
        Assert.Contains("DR0062", result.Out + result.Error);
        Assert.False(File.Exists(Path.Combine(Tree, "plans", "linked.plan.json")));
    }

    private static void Mkfifo(string path)
    {
        using var mkfifo = Process.Start(new ProcessStartInfo("mkfifo", new[] { path }))!;
        mkfifo.WaitForExit();
        Assert.Equal(0, mkfifo.ExitCode);
    }

    private static (int Exit, string Out, string Error) Run(params string[] args) => InProcessCli.Run(args);

    private static (int Exit, string Out, string Error) RunProcess(TimeSpan limit, params string[] args) => CliProcess.Run(limit, environment: null, args);
}
