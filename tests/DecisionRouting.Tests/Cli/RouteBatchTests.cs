using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using DecisionRouting.Cli;
using DecisionRouting.Cli.Commands;
using DecisionRouting.Tests.Support;

namespace DecisionRouting.Tests.Cli;

public sealed class RouteBatchTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "dr-batch", Guid.NewGuid().ToString("N"));

    public RouteBatchTests()
    {
        Directory.CreateDirectory(Path.Combine(_root, "register"));
        var samples = Directory.GetFiles(Repository.PathOf("samples/proposals"), "*.json");
        for (var copy = 0; copy < 20; copy++)
        {
            foreach (var sample in samples)
            {
                var text = File.ReadAllText(sample);
                var id = JsonDocument.Parse(text).RootElement.GetProperty("id").GetString()!;
                File.WriteAllText(Path.Combine(_root, "register", $"{id}-{copy:00}.json"), text.Replace($"\"id\": \"{id}\"", $"\"id\": \"{id}-{copy:00}\""));
            }
        }
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private (int Exit, string Out, string Error) Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = Program.Run(args, stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public void Every_proposal_gets_a_plan_and_the_summary_counts_them()
    {
        var plans = Path.Combine(_root, "plans");
        var (exit, output, error) = Run("route-batch", Path.Combine(_root, "register"), "--rules", Repository.PathOf("rules/england"), "--output", plans);

        // The Darlington director appointment leaves chiefOfficer out on purpose (its report does not settle it):
        // its 20 copies are incomplete plans, written, counted and listed, and they make the exit code 5.
        Assert.Equal(5, exit);
        Assert.Contains("; 20 INCOMPLETE;", output);
        Assert.Contains("  incomplete: darlington-2014-director-appointment-00.json: 2 rule(s) undecided, 0 not evaluated (ChiefOfficerAppointment, ChiefOfficerTermsWithinPayPolicy)", output);
        Assert.Equal(string.Empty, error);
        Assert.StartsWith("Routed 180 of 180 proposal(s) with rule set 'england'", output);
        Assert.Contains($"180 plan(s) written to {plans}", output);
        var written = Directory.GetFiles(plans, "*.plan.json");
        Assert.Equal(180, written.Length);
        using var plan = JsonDocument.Parse(File.ReadAllText(Path.Combine(plans, "croydon-2013-integrated-commissioning-unit-07.plan.json")));
        Assert.Equal("croydon-2013-integrated-commissioning-unit-07", plan.RootElement.GetProperty("proposal").GetProperty("id").GetString());
        Assert.Contains(plan.RootElement.GetProperty("steps").EnumerateArray(), s => s.GetProperty("id").GetString() == "cabinet-decision");
    }

    [Fact]
    public void Invalid_proposals_are_reported_with_positions_and_the_rest_are_routed()
    {
        File.WriteAllText(Path.Combine(_root, "register", "broken.json"), "{ \"id\": \"broken\", \"title\": 5 }");
        var plans = Path.Combine(_root, "plans");
        var (exit, output, error) = Run("route-batch", Path.Combine(_root, "register"), "--rules", Repository.PathOf("rules/england"), "--output", plans);
        Assert.Equal(2, exit);
        Assert.Contains("broken.json(1,28): error DR0003: 'title' must be a string", error);
        Assert.Contains("broken.json(1,1): error DR0004", error);
        Assert.StartsWith("Routed 180 of 181 proposal(s)", output);
        Assert.Contains("1 invalid proposal(s)", output);
        Assert.Equal(180, Directory.GetFiles(plans).Length);
        Assert.DoesNotContain("   at ", error);
    }

    [Fact]
    public void Plans_written_over_older_longer_or_shorter_files_are_byte_for_byte_what_a_fresh_folder_gets()
    {
        // Each plan replaces what was there whole (a new file exchanged with the old name, issue 17), so nothing of a
        // longer or a shorter old file may be left.
        var fresh = Path.Combine(_root, "fresh");
        var reused = Path.Combine(_root, "reused");
        Run("route-batch", Path.Combine(_root, "register"), "--rules", Repository.PathOf("rules/england"), "--output", fresh);
        Directory.CreateDirectory(reused);
        var names = Directory.GetFiles(fresh).Select(Path.GetFileName).ToList();
        for (var i = 0; i < names.Count; i++)
        {
            File.WriteAllText(Path.Combine(reused, names[i]!), i % 2 == 0 ? new string('x', 200_000) : "{}");
        }

        var (exit, output, _) = Run("route-batch", Path.Combine(_root, "register"), "--rules", Repository.PathOf("rules/england"), "--output", reused);

        Assert.Equal(5, exit);
        Assert.StartsWith("Routed 180 of 180 proposal(s)", output);
        Assert.All(names, name => Assert.Equal(File.ReadAllBytes(Path.Combine(fresh, name!)), File.ReadAllBytes(Path.Combine(reused, name!))));
        Assert.All(names, name => Assert.EndsWith("}\n", File.ReadAllText(Path.Combine(reused, name!)), StringComparison.Ordinal));
    }

    [Fact]
    public void A_rule_set_with_errors_is_reported_alone_with_exit_2_and_no_plan_is_written_though_proposals_were_read_while_it_loaded()
    {
        // issue 17: the rule set loads on one thread while the other reads the first proposals. A broken rule set must
        // still end the run before anything is written, and a broken proposal read meanwhile must not be reported as if
        // the batch had run. A real process, so the load is a cold one and the reading really overlaps it.
        File.WriteAllText(Path.Combine(_root, "register", "0000-broken.json"), "{ \"id\": \"broken\", \"title\": 5 }");
        var plans = Path.Combine(_root, "plans");
        var broken = Repository.PathOf("tests/DecisionRouting.Tests/Fixtures/cli/broken-rules");

        var (exit, output, error) = CliProcess.Run(TimeSpan.FromMinutes(3), null, "route-batch", Path.Combine(_root, "register"), "--rules", broken, "--output", plans);

        Assert.Equal(2, exit);
        Assert.Contains($"{broken}: the rule set has errors", error);
        Assert.DoesNotContain("0000-broken.json", error);
        Assert.DoesNotContain("DR0003", error);
        Assert.Equal(string.Empty, output);
        Assert.False(Directory.Exists(plans));
        Assert.DoesNotContain("   at ", error);
    }

    [Fact]
    public void Bad_proposals_read_while_the_rule_set_loads_and_after_it_are_both_reported_and_the_rest_are_routed()
    {
        // The first files (in ordinal order) are read while the rule set loads, the last after; a bad one in either place
        // is reported with its position and never keeps the others from being routed.
        File.WriteAllText(Path.Combine(_root, "register", "0000-broken.json"), "{ \"id\": \"first\", \"title\": 5 }");
        File.WriteAllText(Path.Combine(_root, "register", "zzzz-broken.json"), "{ \"id\": \"last\", \"title\": [] }");
        var plans = Path.Combine(_root, "plans");

        var (exit, output, error) = CliProcess.Run(TimeSpan.FromMinutes(3), null, "route-batch", Path.Combine(_root, "register"), "--rules", Repository.PathOf("rules/england"), "--output", plans);

        Assert.Equal(2, exit);
        Assert.Contains("0000-broken.json(1,27): error DR0003: 'title' must be a string", error);
        Assert.Contains("zzzz-broken.json(1,26): error DR0003: 'title' must be a string", error);
        Assert.True(error.IndexOf("0000-broken.json", StringComparison.Ordinal) < error.IndexOf("zzzz-broken.json", StringComparison.Ordinal), error);
        Assert.StartsWith("Routed 180 of 182 proposal(s)", output);
        Assert.Contains("2 invalid proposal(s)", output);
        Assert.Equal(180, Directory.GetFiles(plans, "*.plan.json").Length);
        Assert.Empty(Directory.GetFiles(plans, "*.tmp"));
    }

    [Fact]
    public void Batch_statistics_go_to_standard_error_only_when_asked_and_leave_the_plans_and_the_summary_as_they_are()
    {
        var quiet = Path.Combine(_root, "quiet");
        var counted = Path.Combine(_root, "counted");
        var register = Path.Combine(_root, "register");
        var rules = Repository.PathOf("rules/england");
        var today = new[] { "--today", "2026-11-30" };

        var plain = CliProcess.Run(TimeSpan.FromMinutes(3), new Dictionary<string, string?> { [RouteBatchCommand.StatsVariable] = null }, ["route-batch", register, "--rules", rules, "--output", quiet, .. today]);
        var stats = CliProcess.Run(TimeSpan.FromMinutes(3), new Dictionary<string, string?> { [RouteBatchCommand.StatsVariable] = "1" }, ["route-batch", register, "--rules", rules, "--output", counted, .. today]);

        Assert.Equal(5, plain.Exit);
        Assert.Equal(5, stats.Exit);
        Assert.Equal(string.Empty, plain.Error);
        Assert.Equal(Summary(plain.Out, quiet), Summary(stats.Out, counted));
        var lines = stats.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(5, lines.Length);
        Assert.Matches(@"^stats: rule set loaded after \d+ ms, \d+ proposal\(s\) read meanwhile; routing phase \d+ ms$", lines[0]);
        Assert.Matches(@"^stats: GC collections gen0 \d+, gen1 \d+, gen2 \d+; paused \d+ ms; server GC False$", lines[2]);
        Assert.Matches(@"^stats: JIT \d+ method\(s\), \d+ ms$", lines[3]);
        Assert.Matches(@"^stats: allocated per proposal by the workers: reading \d+ B, routing [1-9]\d* B, writing [1-9]\d* B \(proposals read ahead not counted\)$", lines[4]);
        var names = Directory.GetFiles(quiet).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(names, Directory.GetFiles(counted).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray());
        Assert.All(names, name => Assert.Equal(File.ReadAllBytes(Path.Combine(quiet, name!)), File.ReadAllBytes(Path.Combine(counted, name!))));

        static string Summary(string output, string folder) =>
            System.Text.RegularExpressions.Regex.Replace(output.Replace(folder, "<plans>", StringComparison.Ordinal), @" in \d+ ms\.", " in <n> ms.");
    }

    [Fact]
    public void On_one_core_nothing_is_read_ahead_and_the_plans_are_those_of_two_cores()
    {
        // Reading ahead only pays when another core runs the load meanwhile; on one core the reads would take the load's
        // core. DOTNET_PROCESSOR_COUNT is the runtime's own setting for the count it reports.
        var register = Path.Combine(_root, "register");
        var rules = Repository.PathOf("rules/england");
        var one = Path.Combine(_root, "one");
        var two = Path.Combine(_root, "two");
        var single = CliProcess.Run(TimeSpan.FromMinutes(3), new Dictionary<string, string?> { [RouteBatchCommand.StatsVariable] = "1", ["DOTNET_PROCESSOR_COUNT"] = "1" }, ["route-batch", register, "--rules", rules, "--output", one, "--today", "2026-11-30"]);
        var dual = CliProcess.Run(TimeSpan.FromMinutes(3), new Dictionary<string, string?> { [RouteBatchCommand.StatsVariable] = "1", ["DOTNET_PROCESSOR_COUNT"] = "2" }, ["route-batch", register, "--rules", rules, "--output", two, "--today", "2026-11-30"]);

        Assert.Equal(5, single.Exit);
        Assert.Equal(5, dual.Exit);
        Assert.Contains(" on 1 core(s) in ", single.Out);
        Assert.Contains(" on 2 core(s) in ", dual.Out);
        Assert.Matches(@"^stats: rule set loaded after \d+ ms, 0 proposal\(s\) read meanwhile;", single.Error);
        var names = Directory.GetFiles(one).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(180, names.Length);
        Assert.Equal(names, Directory.GetFiles(two).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray());
        Assert.All(names, name => Assert.Equal(File.ReadAllBytes(Path.Combine(one, name!)), File.ReadAllBytes(Path.Combine(two, name!))));
    }

    [Theory]
    [InlineData(180, 1, 0)]
    [InlineData(180, 2, 180)]
    [InlineData(100_000, 2, 16384)]
    [InlineData(100_000, 16, 16384)]
    [InlineData(0, 2, 0)]
    public void The_read_ahead_is_bounded_and_needs_a_second_core(int proposals, int processors, int limit) =>
        Assert.Equal(limit, RouteBatchCommand.ReadAheadLimit(proposals, processors));

    [Fact]
    public void A_plan_is_byte_for_byte_what_route_writes_as_json_with_one_final_line_feed()
    {
        // route-batch serialises plans to UTF-8 in a reused buffer; route --format json goes through the string writer.
        // A plan with non-ASCII text (a dash in a reason) and one incomplete plan are compared whole.
        var plans = Path.Combine(_root, "plans");
        Run("route-batch", Path.Combine(_root, "register"), "--rules", Repository.PathOf("rules/england"), "--output", plans, "--today", "2026-11-30");
        foreach (var name in new[] { "croydon-2013-integrated-commissioning-unit-03", "darlington-2014-director-appointment-19" })
        {
            var route = Run("route", Path.Combine(_root, "register", name + ".json"), "--rules", Repository.PathOf("rules/england"), "--format", "json", "--today", "2026-11-30");
            Assert.Equal(System.Text.Encoding.UTF8.GetBytes(route.Out), File.ReadAllBytes(Path.Combine(plans, name + ".plan.json")));
        }
    }

    [Fact]
    public void A_missing_folder_is_one_line_and_exit_2()
    {
        var (exit, _, error) = Run("route-batch", Path.Combine(_root, "nowhere"), "--rules", Repository.PathOf("rules/england"));
        Assert.Equal(2, exit);
        Assert.Equal($"decision-routing: {Path.Combine(_root, "nowhere")}: proposals folder not found\n", error);
    }
}
