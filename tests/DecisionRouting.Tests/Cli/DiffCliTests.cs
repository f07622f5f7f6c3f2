using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using DecisionRouting.Tests.Scaffolding;
using DecisionRouting.Tests.Support;
using NJsonSchema;
using Snapshooter;
using Snapshooter.Xunit;

namespace DecisionRouting.Tests.Cli;

/// <summary>
/// <c>diff</c> (issue 18 §1): the five seed partnerships, each with its seed proposals and a register generated from
/// them (fixed seed), under a threshold change and a period change made to a copy of the shipped rules; reports
/// snapshot-tested in text, JSON (also checked against schemas/diff.schema.json) and Markdown; failures reported, never
/// dropped; progress only on standard error; and git revisions read from a real repository.
/// </summary>
public sealed class DiffCliTests : IDisposable
{
    public static readonly TheoryData<string> Partnerships = new() { "barking-dagenham", "croydon", "darlington", "doncaster", "durham" };

    /// <summary>Sums of money either side of every seed partnership's key-decision threshold (£100,000 to £1m) and a tenth of it.</summary>
    private static readonly int[] Amounts = { 0, 9_000, 30_000, 60_000, 120_000, 240_000, 480_000, 960_000, 2_000_000, 4_000_000 };

    private readonly string _root = Directory.CreateTempSubdirectory("dr-diff-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    /// <summary>A copy of the shipped rule tree under the temporary folder, changed by <paramref name="change"/>.</summary>
    private string ChangedRules(string change)
    {
        var rules = Path.Combine(_root, change, "rules");
        NewCommandTests.CopyDirectory(Repository.PathOf("rules"), rules);
        switch (change)
        {
            case "threshold":
                // Every partnership's key-decision threshold a tenth of what it was: more key decisions.
                foreach (var manifest in Directory.GetFiles(Path.Combine(rules, "partnerships"), "ruleset.json", SearchOption.AllDirectories))
                {
                    var text = File.ReadAllText(manifest);
                    var changed = Regex.Replace(text, @"(""keyDecisionThreshold"": \{\s*""value"": )(\d+)", m => m.Groups[1].Value + (long.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture) / 10).ToString(CultureInfo.InvariantCulture), RegexOptions.None, TimeSpan.FromSeconds(1));
                    Assert.NotEqual(text, changed);
                    File.WriteAllText(manifest, changed);
                }

                break;
            case "period":
                // The meeting notice (and its pre-2012 form), in the England baseline and wherever a partnership
                // replaces it: 10 clear working days instead of 5.
                foreach (var catalogue in Directory.GetFiles(rules, "catalogue.json", SearchOption.AllDirectories))
                {
                    var before = File.ReadAllText(catalogue);
                    var after = Regex.Replace(before, @"(""id"": ""meeting-notice(?:-2000)?"".*?""days"": )5,", "${1}10,", RegexOptions.None, TimeSpan.FromSeconds(1));
                    File.WriteAllText(catalogue, after);
                }

                Assert.Contains("\"days\": 10,", File.ReadAllText(Path.Combine(rules, "england", "catalogue.json")), StringComparison.Ordinal);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(change));
        }

        return rules;
    }

    /// <summary>
    /// The partnership's seed proposals and twelve generated from each (seeded, so the register is the same every run):
    /// money around the thresholds, a significant effect on communities or not, and the decision (and the proposal's own schedule) moved by up to 30 days either way.
    /// Returns the folder and a "today" 40 days before the earliest seed decision, so some notices become impracticable.
    /// </summary>
    private (string Folder, string Today) Register(string partnership)
    {
        var folder = Path.Combine(_root, "register-" + partnership);
        Directory.CreateDirectory(folder);
        var seeds = Directory.GetFiles(Repository.PathOf("samples/proposals"), partnership + "-*.json").OrderBy(f => f, StringComparer.Ordinal).ToList();
        Assert.NotEmpty(seeds);
        var random = new Random(18);
        var earliest = DateOnly.MaxValue;
        foreach (var seed in seeds)
        {
            var text = File.ReadAllText(seed);
            File.WriteAllText(Path.Combine(folder, Path.GetFileName(seed)), text);
            var proposal = JsonNode.Parse(text)!.AsObject();
            var decided = DateOnly.ParseExact(proposal["intendedDecisionDate"]!.GetValue<string>(), "yyyy-MM-dd", CultureInfo.InvariantCulture);
            earliest = decided < earliest ? decided : earliest;
            for (var n = 1; n <= 12; n++)
            {
                var copy = proposal.DeepClone().AsObject();
                var id = $"{proposal["id"]!.GetValue<string>()}-g{n}";
                copy["id"] = id;
                copy["financialCommitment"] = Amounts[random.Next(Amounts.Length)];
                copy["savings"] = random.Next(0, 3) == 0 ? Amounts[random.Next(Amounts.Length)] : 0;
                copy["significantEffectOnCommunities"] = random.Next(0, 2) == 0;
                var shift = random.Next(-30, 31);
                copy["intendedDecisionDate"] = Shift(copy["intendedDecisionDate"]!, shift);
                if (copy["schedule"] is JsonObject schedule)
                {
                    foreach (var (_, window) in schedule)
                    {
                        foreach (var end in new[] { "start", "end" })
                        {
                            if (window?[end] is { } date)
                            {
                                window[end] = Shift(date, shift);
                            }
                        }
                    }
                }

                File.WriteAllText(Path.Combine(folder, id + ".json"), copy.ToJsonString());
            }
        }

        return (folder, earliest.AddDays(-40).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
    }

    private static string Shift(JsonNode date, int days) =>
        DateOnly.ParseExact(date.GetValue<string>(), "yyyy-MM-dd", CultureInfo.InvariantCulture).AddDays(days).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>The report with the machine's folders replaced, so a snapshot holds only what the rules decide.</summary>
    private string Stable(string text) =>
        text.Replace(_root, "<temp>", StringComparison.Ordinal).Replace(Repository.Root, "<repo>", StringComparison.Ordinal);

    private (int Exit, string Out, string Error) Diff(string partnership, string change, string format)
    {
        var (register, today) = Register(partnership);
        var rules = ChangedRules(change);
        return InProcessCli.Run("diff", "--old", Repository.PathOf($"rules/partnerships/{partnership}"), "--new", Path.Combine(rules, "partnerships", partnership), "--proposals", register, "--today", today, "--format", format);
    }

    [Theory]
    [MemberData(nameof(Partnerships))]
    public void A_threshold_change_on_each_seed_partnership(string partnership)
    {
        var (exit, output, error) = Diff(partnership, "threshold", "text");
        Assert.Equal(string.Empty, error);
        Assert.Equal(1, exit);
        // The key-decision notice, or before 10 September 2012 the forward-plan entry (Barking and Dagenham, 2010).
        Assert.Matches("step added: (key-decision-notice|forward-plan-entry)", output);
        Snapshot.Match(Stable(output), SnapshotNameExtension.Create(partnership));
    }

    [Theory]
    [MemberData(nameof(Partnerships))]
    public void A_period_change_on_each_seed_partnership(string partnership)
    {
        var (exit, output, error) = Diff(partnership, "period", "text");
        Assert.Equal(string.Empty, error);
        Assert.Equal(1, exit);
        Assert.Contains("period changed: meeting-notice", output, StringComparison.Ordinal);
        Snapshot.Match(Stable(output), SnapshotNameExtension.Create(partnership));
    }

    [Theory]
    [InlineData("threshold", "json")]
    [InlineData("threshold", "markdown")]
    [InlineData("period", "json")]
    [InlineData("period", "markdown")]
    public async Task The_report_in_json_and_markdown(string change, string format)
    {
        var (exit, output, error) = Diff("croydon", change, format);
        Assert.Equal(string.Empty, error);
        Assert.Equal(1, exit);
        if (format == "json")
        {
            var schema = await JsonSchema.FromFileAsync(Repository.PathOf("schemas/diff.schema.json"));
            var errors = schema.Validate(output);
            Assert.True(errors.Count == 0, string.Join("; ", errors.Select(e => $"{e.Path}: {e.Kind}")));
        }

        Snapshot.Match(Stable(output), SnapshotNameExtension.Create(change, format));
    }

    [Fact]
    public void The_same_rules_on_both_sides_change_nothing_and_exit_0()
    {
        var (register, today) = Register("durham");
        var rules = Repository.PathOf("rules/partnerships/durham");
        var (exit, output, error) = InProcessCli.Run("diff", "--old", rules, "--new", rules, "--proposals", register, "--today", today, "--format", "json");
        Assert.Equal(0, exit);
        Assert.Equal(string.Empty, error);
        using var report = JsonDocument.Parse(output);
        var summary = report.RootElement.GetProperty("summary");
        Assert.Equal(summary.GetProperty("proposals").GetInt32(), summary.GetProperty("unchanged").GetInt32());
        Assert.Equal(26, summary.GetProperty("proposals").GetInt32());
    }

    [Fact]
    public void A_proposal_that_routes_under_one_side_only_or_is_invalid_is_reported_with_why_never_dropped()
    {
        var (register, today) = Register("croydon");
        File.WriteAllText(Path.Combine(register, "broken.json"), "{ \"id\": \"broken\", \"title\": 5 }");

        // The new rule set requires an attribute no proposal gives: every proposal fails under it (DR0086).
        var rules = ChangedRules("threshold");
        var manifest = Path.Combine(rules, "partnerships", "croydon", "ruleset.json");
        var node = JsonNode.Parse(File.ReadAllText(manifest))!.AsObject();
        node["attributes"] = JsonNode.Parse("""{ "localSpendCap": { "type": "number", "required": true, "description": "test", "source": "test" } }""");
        File.WriteAllText(manifest, node.ToJsonString());

        var (exit, output, error) = InProcessCli.Run("diff", "--old", Repository.PathOf("rules/partnerships/croydon"), "--new", Path.Combine(rules, "partnerships", "croydon"), "--proposals", register, "--today", today);
        Assert.Equal(2, exit);
        Assert.Equal(string.Empty, error);
        Assert.Contains("broken.json\n  INVALID proposal, not routed: ", output, StringComparison.Ordinal);
        Assert.Contains("error DR0003: 'title' must be a string", output, StringComparison.Ordinal);
        Assert.Contains("croydon-2013-integrated-commissioning-unit.json (croydon-2013-integrated-commissioning-unit: Integrated Commissioning Unit for Health and Social Care)\n  NOT ROUTED under the new rules: ", output, StringComparison.Ordinal);
        Assert.Contains("error DR0086: The proposal must give attribute 'localSpendCap'", output, StringComparison.Ordinal);
        Assert.Contains("  was routed under the old rules: ", output, StringComparison.Ordinal);
        Assert.Contains("Summary: 14 proposal(s): 13 changed, 0 unchanged, 0 not routed under either rule set, 1 invalid.", output, StringComparison.Ordinal);
        Assert.Contains("  not routed under the new rules only: 13 proposal(s)", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Progress_goes_to_standard_error_only_and_the_json_on_standard_output_stays_clean()
    {
        var (register, today) = Register("doncaster");
        var rules = ChangedRules("period");
        var (exit, output, error) = InProcessCli.Run("diff", "--old", Repository.PathOf("rules/partnerships/doncaster"), "--new", Path.Combine(rules, "partnerships", "doncaster"), "--proposals", register, "--today", today, "--format", "json", "--progress");
        Assert.Equal(1, exit);
        using var report = JsonDocument.Parse(output);
        Assert.Equal(26, report.RootElement.GetProperty("proposals").GetArrayLength());
        Assert.EndsWith("diff: routed 26 of 26 proposal(s) under both rule sets\n", error, StringComparison.Ordinal);
        Assert.All(error.Split('\n', StringSplitOptions.RemoveEmptyEntries), line => Assert.Matches(@"^diff: routed \d+ of 26 proposal\(s\) under both rule sets$", line));
    }

    [Fact]
    public void Output_writes_the_report_to_a_file_and_nothing_to_standard_output()
    {
        var (register, today) = Register("darlington");
        var rules = ChangedRules("threshold");
        var file = Path.Combine(_root, "impact.md");
        var (exit, output, error) = InProcessCli.Run("diff", "--old", Repository.PathOf("rules/partnerships/darlington"), "--new", Path.Combine(rules, "partnerships", "darlington"), "--proposals", register, "--today", today, "--format", "markdown", "--output", file);
        Assert.Equal(1, exit);
        Assert.Equal(string.Empty, output);
        Assert.Equal(string.Empty, error);
        Assert.StartsWith("## Rule change impact\n", File.ReadAllText(file), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--old", "nowhere-at-all", "--old nowhere-at-all: rule-set folder not found")]
    [InlineData("--proposals", "nowhere-at-all", "nowhere-at-all: proposals folder not found")]
    public void A_missing_input_is_one_line_and_exit_2(string option, string value, string message)
    {
        var args = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["--old"] = Repository.PathOf("rules/partnerships/durham"),
            ["--new"] = Repository.PathOf("rules/partnerships/durham"),
            ["--proposals"] = Repository.PathOf("samples/proposals"),
        };
        args[option] = value;
        var (exit, output, error) = InProcessCli.Run(args.SelectMany(a => new[] { a.Key, a.Value }).Prepend("diff").ToArray());
        Assert.Equal(2, exit);
        Assert.Equal(string.Empty, output);
        Assert.Equal($"decision-routing: {message}\n", error);
    }

    // git:<rev> — a real repository in the temporary folder, with two commits.

    private static (int Exit, string Out) Git(string directory, params string[] args)
    {
        var start = new ProcessStartInfo("git") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = directory };
        foreach (var arg in new[] { "-c", "user.name=Test", "-c", "user.email=test@example.invalid", "-c", "commit.gpgsign=false", "-c", "init.defaultBranch=main" }.Concat(args))
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"git {string.Join(' ', args)}: {error}");
        return (process.ExitCode, output);
    }

    /// <summary>A repository whose first commit holds the shipped England and Croydon rules, and whose second raises Croydon's threshold to £50m and lengthens England's meeting notice.</summary>
    private string Repository2()
    {
        var repository = Path.Combine(_root, "repo");
        NewCommandTests.CopyDirectory(Repository.PathOf("rules/england"), Path.Combine(repository, "rules", "england"));
        NewCommandTests.CopyDirectory(Repository.PathOf("rules/partnerships/croydon"), Path.Combine(repository, "rules", "partnerships", "croydon"));
        Git(repository, "init", "-q");
        Git(repository, "add", "-A");
        Git(repository, "commit", "-q", "-m", "shipped rules");
        var manifest = Path.Combine(repository, "rules", "partnerships", "croydon", "ruleset.json");
        File.WriteAllText(manifest, File.ReadAllText(manifest).Replace("\"value\": 500000,", "\"value\": 50000000,", StringComparison.Ordinal));
        var period = ChangedRules("period");
        File.Copy(Path.Combine(period, "england", "catalogue.json"), Path.Combine(repository, "rules", "england", "catalogue.json"), overwrite: true);
        Git(repository, "commit", "-q", "-a", "-m", "raise the threshold; ten days' meeting notice");
        return repository;
    }

    [Fact]
    public void Old_at_git_HEAD_1_reads_the_rule_tree_as_it_was_extends_included()
    {
        var repository = Repository2();
        var (register, today) = Register("croydon");
        var head1 = Git(repository, "rev-parse", "HEAD~1").Out.Trim();
        var (exit, output, error) = InProcessCli.Run("diff", "--old", "git:HEAD~1", "--new", Path.Combine(repository, "rules", "partnerships", "croydon"), "--proposals", register, "--today", today);
        Assert.Equal(string.Empty, error);
        Assert.Equal(1, exit);
        Assert.StartsWith($"Rule change impact: git:HEAD~1 (rule set 'croydon' ", output, StringComparison.Ordinal);
        Assert.Contains($" at commit {head1[..12]}) -> ", output, StringComparison.Ordinal);

        // Both changes show, so the old side read Croydon and the England rule set it extends at HEAD~1.
        Assert.Contains("croydon-2013-integrated-commissioning-unit.json (croydon-2013-integrated-commissioning-unit: Integrated Commissioning Unit for Health and Social Care)\n  step removed: key-decision-notice", output, StringComparison.Ordinal);
        Assert.Contains("period changed: meeting-notice: 5 clear working days", output, StringComparison.Ordinal);

        // The same report as diffing the two folders directly.
        var folders = InProcessCli.Run("diff", "--old", Repository.PathOf("rules/partnerships/croydon"), "--new", Path.Combine(repository, "rules", "partnerships", "croydon"), "--proposals", register, "--today", today);
        Assert.Equal(After(folders.Out, "\n\n"), After(output, "\n\n"));

        // And the other way round, git:<rev>:<path> naming the folder.
        var reverse = InProcessCli.Run("diff", "--old", Path.Combine(repository, "rules", "partnerships", "croydon"), "--new", "git:HEAD~1", "--proposals", register, "--today", today);
        Assert.Equal(1, reverse.Exit);
        Assert.Contains("step added: key-decision-notice", reverse.Out, StringComparison.Ordinal);
        var named = InProcessCli.Run("diff", "--old", $"git:HEAD~1:{Path.Combine(repository, "rules", "partnerships", "croydon")}", "--new", $"git:HEAD:{Path.Combine(repository, "rules", "partnerships", "croydon")}", "--proposals", register, "--today", today);
        Assert.Equal(After(output, "\n\n"), After(named.Out, "\n\n"));
    }

    private static string After(string text, string marker) => text[(text.IndexOf(marker, StringComparison.Ordinal) + marker.Length)..];

    [Theory]
    [InlineData("git:no-such-branch", "--old: no commit 'no-such-branch' in the git repository at ")]
    [InlineData("git:--output=x", "--old: '--output=x' is not a git revision")]
    [InlineData("git:HEAD~1:rules/partnerships/gone", "--old: 'rules/partnerships/gone' is not a folder at revision HEAD~1")]
    public void A_bad_revision_or_path_is_one_line_and_exit_2(string old, string message)
    {
        var repository = Repository2();
        var (register, today) = Register("croydon");
        if (old.EndsWith("gone", StringComparison.Ordinal))
        {
            old = "git:HEAD~1:" + Path.Combine(repository, "rules", "partnerships", "gone");
        }

        var (exit, output, error) = InProcessCli.Run("diff", "--old", old, "--new", Path.Combine(repository, "rules", "partnerships", "croydon"), "--proposals", register, "--today", today);
        Assert.Equal(2, exit);
        Assert.Equal(string.Empty, output);
        Assert.StartsWith($"decision-routing: {message}", error, StringComparison.Ordinal);
        Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void A_rule_set_outside_any_repository_has_no_revision_to_read()
    {
        var (register, today) = Register("croydon");
        var rules = ChangedRules("threshold");
        var folder = Path.Combine(rules, "partnerships", "croydon");
        var (exit, _, error) = InProcessCli.Run("diff", "--old", "git:HEAD", "--new", folder, "--proposals", register, "--today", today);
        Assert.Equal(2, exit);
        Assert.Equal($"decision-routing: --old: {folder} is not inside a git repository, so there is no revision to read it at\n", error);
    }

    [Fact]
    public void Without_git_on_PATH_a_revision_is_one_line_and_exit_2()
    {
        var repository = Repository2();
        var (register, today) = Register("croydon");
        var (exit, output, error) = CliProcess.Run(TimeSpan.FromSeconds(60), new Dictionary<string, string?> { ["PATH"] = Path.Combine(_root, "empty-path") }, "diff", "--old", "git:HEAD~1", "--new", Path.Combine(repository, "rules", "partnerships", "croydon"), "--proposals", register, "--today", today);
        Assert.Equal(2, exit);
        Assert.Equal(string.Empty, output);
        Assert.Equal("decision-routing: --old: reading a rule set at a git revision needs the 'git' command, which is not installed (not found on PATH); install git or give a folder\n", error.Replace("\r\n", "\n", StringComparison.Ordinal));
    }

    [Fact]
    public void Both_sides_at_revisions_need_a_path()
    {
        var (exit, _, error) = InProcessCli.Run("diff", "--old", "git:HEAD~1", "--new", "git:HEAD", "--proposals", Repository.PathOf("samples/proposals"));
        Assert.Equal(2, exit);
        Assert.Equal("decision-routing: --old git:HEAD~1: say which rule-set folder to read at that revision: --old git:HEAD~1:<path>\n", error);
    }
}
