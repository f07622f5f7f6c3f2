using System;
using System.Diagnostics;
using System.IO;
using System.Threading.Tasks;
using DecisionRouting.Tests.Support;

namespace DecisionRouting.Tests.Security;

/// <summary>
/// route-batch resolves its proposals folder's real path once (issue 17: it re-resolved it, component by component,
/// for every proposal) and looks at each proposal with one statx. The checks per file stay the same: a link leading out
/// of the folder, a second hard link, a pipe are refused; a folder named through a link, and a link to a file inside
/// the folder, are read. Real CLI in process, real links and pipes.
/// </summary>
public sealed class BatchFolderTests : IDisposable
{
    private static readonly string Sample = Repository.PathOf("samples/proposals/croydon-2013-integrated-commissioning-unit.json");

    private readonly string _root = Directory.CreateTempSubdirectory("dr-batch-folder-").FullName;

    public BatchFolderTests()
    {
        Directory.CreateDirectory(Register);
        Directory.CreateDirectory(Outside);
        File.Copy(Sample, Path.Combine(Register, "a.json"));
    }

    private string Register => Path.Combine(_root, "register");

    private string Outside => Path.Combine(_root, "outside");

    private string Plans => Path.Combine(_root, "plans");

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void A_folder_named_through_a_link_and_a_link_to_a_file_inside_it_are_read()
    {
        var viaLink = Path.Combine(_root, "register-link");
        Directory.CreateSymbolicLink(viaLink, Register);
        File.CreateSymbolicLink(Path.Combine(Register, "b.json"), Path.Combine(Register, "a.json"));

        var (exit, output, error) = InProcessCli.Run("route-batch", viaLink, "--rules", Repository.PathOf("rules/partnerships/croydon"), "--output", Plans);

        Assert.True(exit is 0 or 5, $"exit {exit}: {error}");
        Assert.StartsWith("Routed 2 of 2 proposal(s)", output);
        Assert.Equal(File.ReadAllBytes(Path.Combine(Plans, "a.plan.json")), File.ReadAllBytes(Path.Combine(Plans, "b.plan.json")));
    }

    [Fact]
    public void A_proposal_that_is_a_second_hard_link_to_a_file_outside_the_folder_is_refused()
    {
        var secret = Path.Combine(Outside, "secret.json");
        File.Copy(Sample, secret);
        Tool("ln", secret, Path.Combine(Register, "b.json"));

        var (exit, output, error) = InProcessCli.Run("route-batch", Register, "--rules", Repository.PathOf("rules/partnerships/croydon"), "--output", Plans);

        Assert.Equal(2, exit);
        Assert.Contains("DR0062", output + error);
        Assert.Contains("2 hard links", output + error);
        Assert.StartsWith("Routed 1 of 2 proposal(s)", output);
        Assert.False(File.Exists(Path.Combine(Plans, "b.plan.json")));
    }

    [Fact]
    public async Task A_named_pipe_in_the_folder_is_refused_without_hanging()
    {
        Tool("mkfifo", Path.Combine(Register, "b.json"));

        var (exit, output, error) = await Task.Run(() => InProcessCli.Run("route-batch", Register, "--rules", Repository.PathOf("rules/partnerships/croydon"), "--output", Plans))
            .WaitAsync(TimeSpan.FromSeconds(120));

        Assert.Equal(2, exit);
        Assert.Contains("it is a named pipe (FIFO), not a regular file", output + error);
        Assert.StartsWith("Routed 1 of 2 proposal(s)", output);
    }

    [Fact]
    public void A_link_in_the_folder_to_a_file_in_another_folder_linked_from_it_is_refused()
    {
        // The name is resolved in full (not against the folder's cached real path) when it is a link.
        File.Copy(Sample, Path.Combine(Outside, "c.json"));
        Directory.CreateSymbolicLink(Path.Combine(Register, "sub"), Outside);
        File.CreateSymbolicLink(Path.Combine(Register, "b.json"), Path.Combine(Register, "sub", "c.json"));

        var (exit, output, error) = InProcessCli.Run("route-batch", Register, "--rules", Repository.PathOf("rules/partnerships/croydon"), "--output", Plans);

        Assert.Equal(2, exit);
        Assert.Contains("DR0062", output + error);
        Assert.False(File.Exists(Path.Combine(Plans, "b.plan.json")));
    }

    private static void Tool(string name, params string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo(name, args))!;
        process.WaitForExit();
        Assert.Equal(0, process.ExitCode);
    }
}
