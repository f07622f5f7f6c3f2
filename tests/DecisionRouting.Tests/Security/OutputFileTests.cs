using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using DecisionRouting.Tests.Support;

namespace DecisionRouting.Tests.Security;

/// <summary>
/// Files the CLI writes (route-batch plans, catalogue --output) never go through a symbolic link, a pipe or a second
/// hard link planted where the output goes, and replace an existing file whole. The real CLI in process, real links.
/// </summary>
public sealed class OutputFileTests : IDisposable
{
    private const string VictimText = "VICTIM: must not change\n";

    private readonly string _root = Directory.CreateTempSubdirectory("dr-out-").FullName;

    public OutputFileTests()
    {
        Directory.CreateDirectory(Register);
        Directory.CreateDirectory(Plans);
        var sample = Repository.PathOf("samples/proposals/croydon-2013-integrated-commissioning-unit.json");
        File.Copy(sample, Path.Combine(Register, "a.json"));
        File.Copy(sample, Path.Combine(Register, "b.json"));
        File.WriteAllText(Victim, VictimText);
    }

    private string Register => Path.Combine(_root, "register");

    private string Plans => Path.Combine(_root, "plans");

    private string Victim => Path.Combine(_root, "victim.txt");

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void Route_batch_refuses_a_symbolic_link_planted_in_its_output_folder_and_the_target_is_unchanged()
    {
        var planted = Path.Combine(Plans, "a.plan.json");
        File.CreateSymbolicLink(planted, Victim);

        var (exit, output, error) = Batch();

        Assert.Equal(2, exit);
        Assert.Equal(VictimText, File.ReadAllText(Victim));
        Assert.Contains($"{planted}: not written: it is a symbolic link (to {Victim})", error);
        Assert.NotNull(new FileInfo(planted).LinkTarget);
        Assert.Contains("1 plan(s) written", output);
        Assert.True(File.Exists(Path.Combine(Plans, "b.plan.json")));
        AssertNoTemporaryFiles(Plans);
    }

    [Fact]
    public void Route_batch_does_not_create_the_target_of_a_dangling_link_planted_in_its_output_folder()
    {
        var target = Path.Combine(_root, "created-by-link.sh");
        File.CreateSymbolicLink(Path.Combine(Plans, "a.plan.json"), target);

        var (exit, _, error) = Batch();

        Assert.Equal(2, exit);
        Assert.Contains("not written: it is a symbolic link", error);
        Assert.False(File.Exists(target));
    }

    [Fact]
    public void Route_batch_refuses_a_plan_file_that_is_a_hard_link_to_another_file()
    {
        var planted = Path.Combine(Plans, "a.plan.json");
        Ln(Victim, planted);

        var (exit, _, error) = Batch();

        Assert.Equal(2, exit);
        Assert.Equal(VictimText, File.ReadAllText(Victim));
        Assert.Equal(VictimText, File.ReadAllText(planted));
        Assert.Contains($"{planted}: not written: it has 2 hard links", error);
    }

    [Fact]
    public async Task Route_batch_refuses_a_named_pipe_planted_in_its_output_folder_without_hanging()
    {
        Mkfifo(Path.Combine(Plans, "a.plan.json"));

        // The old code opened the pipe for writing and waited for a reader for ever.
        var (exit, _, error) = await Task.Run(Batch).WaitAsync(TimeSpan.FromSeconds(120));

        Assert.Equal(2, exit);
        Assert.Contains("not written: it is a named pipe (FIFO), not a regular file", error);
    }

    [Fact]
    public void Catalogue_output_that_is_a_symbolic_link_is_refused_and_the_target_is_unchanged()
    {
        var output = Path.Combine(_root, "catalogue.md");
        File.CreateSymbolicLink(output, Victim);

        var (exit, _, error) = Catalogue(output);

        Assert.Equal(2, exit);
        Assert.Equal(VictimText, File.ReadAllText(Victim));
        Assert.Contains($"--output {output}: not written: it is a symbolic link (to {Victim})", error);
        AssertNoTemporaryFiles(_root);
    }

    [Fact]
    public void Catalogue_output_that_is_a_hard_link_is_refused()
    {
        var output = Path.Combine(_root, "catalogue.md");
        Ln(Victim, output);

        var (exit, _, error) = Catalogue(output);

        Assert.Equal(2, exit);
        Assert.Equal(VictimText, File.ReadAllText(Victim));
        Assert.Contains($"--output {output}: not written: it has 2 hard links", error);
    }

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public void Catalogue_replaces_an_existing_file_whole_keeping_its_permissions_and_writes_what_the_console_shows()
    {
        var output = Path.Combine(_root, "catalogue.md");
        File.WriteAllText(output, new string('x', 1_000_000));
        File.SetUnixFileMode(output, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);

        // A reader holding the old file keeps reading the old file: the new one is a new file renamed over the name,
        // not the old one truncated and rewritten (which an interrupted run would leave half-written).
        using var held = new FileStream(output, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        var written = Catalogue(output);
        var console = InProcessCli.Run("catalogue", Repository.PathOf("rules/partnerships/croydon"));

        Assert.Equal(0, written.Exit);
        Assert.Equal(0, console.Exit);
        Assert.Equal(console.Out, File.ReadAllText(output));
        Assert.Equal(1_000_000, held.Length);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead, File.GetUnixFileMode(output));
        AssertNoTemporaryFiles(_root);
    }

    [Fact]
    public void An_output_folder_that_is_itself_a_symbolic_link_is_followed_because_the_user_named_it()
    {
        var real = Path.Combine(_root, "real-plans");
        Directory.CreateDirectory(real);
        var linked = Path.Combine(_root, "linked-plans");
        Directory.CreateSymbolicLink(linked, real);

        var (exit, _, error) = InProcessCli.Run("route-batch", Register, "--rules", Repository.PathOf("rules/england"), "--output", linked);

        Assert.Equal(0, exit);
        Assert.Equal(string.Empty, error);
        Assert.Equal(new[] { "a.plan.json", "b.plan.json" }, Directory.GetFiles(real).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Route_batch_replaces_a_regular_plan_from_an_earlier_run_with_the_same_content_as_route_writes()
    {
        var earlier = Path.Combine(Plans, "a.plan.json");
        File.WriteAllText(earlier, "{ \"stale\": true }\n");

        var (exit, _, error) = Batch();
        var route = InProcessCli.Run("route", Path.Combine(Register, "a.json"), "--rules", Repository.PathOf("rules/england"), "--format", "json");

        Assert.Equal(0, exit);
        Assert.Equal(string.Empty, error);
        Assert.Equal(0, route.Exit);
        Assert.Equal(route.Out, File.ReadAllText(earlier));
        AssertNoTemporaryFiles(Plans);
    }

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public void Route_batch_replaces_an_earlier_plan_as_a_new_file_so_a_reader_of_the_old_one_keeps_it_and_its_permissions_stay()
    {
        // issue 17: route-batch now exchanges the new plan with the old name (renameat2) and unlinks the old entry,
        // instead of renaming over it. The old file must still be replaced, never written through: a reader holding
        // it keeps its bytes, the permission bits carry over, and no temporary file (the old plan's last name) is left.
        var earlier = Path.Combine(Plans, "a.plan.json");
        var stale = new string('x', 300_000);
        File.WriteAllText(earlier, stale);
        File.SetUnixFileMode(earlier, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);
        using var held = new FileStream(earlier, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);

        var (exit, _, error) = Batch();

        Assert.Equal(0, exit);
        Assert.Equal(string.Empty, error);
        Assert.Equal(300_000, held.Length);
        Assert.Equal(stale, new StreamReader(held).ReadToEnd());
        Assert.StartsWith("{", File.ReadAllText(earlier), StringComparison.Ordinal);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead, File.GetUnixFileMode(earlier));
        Assert.Equal(new[] { "a.plan.json", "b.plan.json" }, Directory.GetFileSystemEntries(Plans).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Route_batch_refuses_a_folder_at_a_plans_name_and_leaves_it_and_its_content_in_place()
    {
        var planted = Path.Combine(Plans, "a.plan.json");
        Directory.CreateDirectory(planted);
        File.WriteAllText(Path.Combine(planted, "kept.txt"), VictimText);

        var (exit, output, error) = Batch();

        Assert.Equal(2, exit);
        Assert.Contains($"{planted}: not written: it is a folder", error);
        Assert.Equal(VictimText, File.ReadAllText(Path.Combine(planted, "kept.txt")));
        Assert.Contains("1 plan(s) written", output);
        AssertNoTemporaryFiles(Plans);
    }

    [Fact]
    public void Route_batch_over_a_whole_folder_of_planted_links_refuses_each_on_both_cores_and_changes_no_target()
    {
        // Plans are written by two workers at once; every planted name must be refused, however the work is shared.
        for (var i = 0; i < 60; i++)
        {
            File.Copy(Path.Combine(Register, "a.json"), Path.Combine(Register, $"c{i:00}.json"));
            var target = Path.Combine(_root, $"victim-{i:00}.txt");
            File.WriteAllText(target, VictimText);
            if (i % 2 == 0)
            {
                File.CreateSymbolicLink(Path.Combine(Plans, $"c{i:00}.plan.json"), target);
            }
            else
            {
                Ln(target, Path.Combine(Plans, $"c{i:00}.plan.json"));
            }
        }

        var (exit, output, error) = Batch();

        Assert.Equal(2, exit);
        Assert.Contains("2 plan(s) written", output);
        Assert.Contains("60 not routed", output);
        for (var i = 0; i < 60; i++)
        {
            Assert.Equal(VictimText, File.ReadAllText(Path.Combine(_root, $"victim-{i:00}.txt")));
            Assert.Contains($"c{i:00}.plan.json: not written: {(i % 2 == 0 ? "it is a symbolic link" : "it has 2 hard links")}", error);
        }

        AssertNoTemporaryFiles(Plans);
    }

    private (int Exit, string Out, string Error) Batch() =>
        InProcessCli.Run("route-batch", Register, "--rules", Repository.PathOf("rules/england"), "--output", Plans);

    private static (int Exit, string Out, string Error) Catalogue(string output) =>
        InProcessCli.Run("catalogue", Repository.PathOf("rules/partnerships/croydon"), "--output", output);

    private static void AssertNoTemporaryFiles(string folder) =>
        Assert.Empty(Directory.GetFiles(folder, "*.tmp"));

    private static void Ln(string existing, string name) => Tool("ln", existing, name);

    private static void Mkfifo(string path) => Tool("mkfifo", path);

    private static void Tool(string name, params string[] args)
    {
        using var tool = Process.Start(new ProcessStartInfo(name, args))!;
        tool.WaitForExit();
        Assert.Equal(0, tool.ExitCode);
    }
}
