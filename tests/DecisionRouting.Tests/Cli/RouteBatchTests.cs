using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using DecisionRouting.Cli;
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
        // Plans are written in place over what was there (issue 17: no truncate-to-zero and preallocation per plan), so a
        // longer old file must be cut to the new plan and a shorter one replaced, leaving nothing of the old bytes.
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
    public void A_missing_folder_is_one_line_and_exit_2()
    {
        var (exit, _, error) = Run("route-batch", Path.Combine(_root, "nowhere"), "--rules", Repository.PathOf("rules/england"));
        Assert.Equal(2, exit);
        Assert.Equal($"decision-routing: {Path.Combine(_root, "nowhere")}: proposals folder not found\n", error);
    }
}
