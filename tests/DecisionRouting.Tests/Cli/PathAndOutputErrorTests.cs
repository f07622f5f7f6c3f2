using System;
using System.IO;
using System.Linq;
using System.Text;
using DecisionRouting.Cli;
using DecisionRouting.Tests.Support;

namespace DecisionRouting.Tests.Cli;

/// <summary>
/// Breaker finding N2 (issue 14 §5, "no input reaches exit 3"): a path option that is empty, or a file or output that
/// cannot be read or written, is the user's input or file system: exit 2 with one line naming the option or output,
/// never "internal error" and never a stack trace. The CLI runs in process against real files and devices.
/// </summary>
public sealed class PathAndOutputErrorTests : IDisposable
{
    private static readonly string Proposal = Repository.PathOf("samples/proposals/croydon-2013-integrated-commissioning-unit.json");
    private static readonly string England = Repository.PathOf("rules/england");
    private readonly string _scratch = Directory.CreateTempSubdirectory("dr-paths-").FullName;

    public void Dispose() => Directory.Delete(_scratch, recursive: true);

    public static TheoryData<string, string[]> EmptyPaths() => new()
    {
        { "--rules-root", new[] { "validate", England, "--rules-root", "" } },
        { "--rules-root", new[] { "route", Proposal, "--rules", England, "--rules-root", "" } },
        { "--rules-root", new[] { "explain", Proposal, "--rules", England, "--rules-root", "" } },
        { "--rules-root", new[] { "catalogue", England, "--rules-root", "" } },
        { "--rules-root", new[] { "proposal", "create", Proposal, "--rules", England, "--rules-root", "" } },
        { "--holidays", new[] { "route", Proposal, "--rules", England, "--holidays", "" } },
        { "--db", new[] { "proposal", "status", "x", "--db", "" } },
        { "--db", new[] { "audit", "head", "--db", "" } },
        { "--output", new[] { "catalogue", England, "--output", "" } },
        // Siblings: the same kind of value in other options and in arguments.
        { "--output", new[] { "route-batch", England, "--rules", England, "--output", "" } },
        { "--rules", new[] { "route", Proposal, "--rules", "" } },
        { "--anchor-file", new[] { "audit", "verify", "--anchor-file", "" } },
        { "<rules-dir>", new[] { "validate", "" } },
        { "<proposal>", new[] { "route", "", "--rules", England } },
        { "<rules>", new[] { "catalogue", "" } },
    };

    [Theory]
    [MemberData(nameof(EmptyPaths))]
    public void An_empty_path_value_is_a_bad_option_value_naming_the_option(string option, string[] args)
    {
        var (exit, _, error) = InProcessCli.Run(args);

        Assert.Equal(2, exit);
        Assert.StartsWith($"decision-routing: {option}: the value is empty", error, StringComparison.Ordinal);
        AssertNoCrash(error);
    }

    [Fact]
    public void Catalogue_output_that_cannot_be_written_exits_2_naming_the_option()
    {
        var targets = new[]
        {
            _scratch,                                   // a directory
            "/proc/version",                           // a kernel file that refuses writes
            "/etc/passwd/x",                           // under a regular file
            "/dev/full",                               // a device that is always full
            Path.Combine(_scratch, new string('y', 300)), // a name longer than the file system allows
        };
        foreach (var target in targets)
        {
            var (exit, _, error) = InProcessCli.Run("catalogue", England, "--output", target);

            Assert.True(exit == 2, $"{target}: exit {exit}: {error}");
            Assert.StartsWith($"decision-routing: --output {target}: ", error, StringComparison.Ordinal);
            Assert.Single(Lines(error));
            AssertNoCrash(error);
        }
    }

    [Fact]
    public void Route_batch_output_that_is_a_file_or_device_exits_2_naming_the_option()
    {
        var batch = Path.Combine(_scratch, "batch");
        Directory.CreateDirectory(batch);
        File.Copy(Proposal, Path.Combine(batch, "p.json"));
        var existing = Path.Combine(_scratch, "plans.txt");
        File.WriteAllText(existing, "not a folder");
        foreach (var target in new[] { "/dev/null", existing })
        {
            var (exit, _, error) = InProcessCli.Run("route-batch", batch, "--rules", England, "--output", target);

            Assert.True(exit == 2, $"{target}: exit {exit}: {error}");
            Assert.StartsWith($"decision-routing: --output {target}: ", error, StringComparison.Ordinal);
            Assert.Single(Lines(error));
            AssertNoCrash(error);
        }

        Assert.Equal("not a folder", File.ReadAllText(existing));
    }

    [Fact]
    public void A_failed_write_to_standard_output_exits_2_saying_so()
    {
        // Standard output redirected to /dev/full, as `route ... > /dev/full` does: the real device, every write fails.
        foreach (var args in new[]
        {
            new[] { "route", Proposal, "--rules", England },
            new[] { "catalogue", England },
            new[] { "validate", England },
        })
        {
            var full = new StreamWriter(new FileStream("/dev/full", FileMode.Open, FileAccess.Write), new UTF8Encoding(false)) { AutoFlush = true, NewLine = "\n" };
            var stderr = new StringWriter { NewLine = "\n" };

            var exit = Program.Run(args, full, stderr);
            DisposeIgnoringFullDevice(full);

            Assert.True(exit == 2, $"{args[0]}: exit {exit}: {stderr}");
            Assert.StartsWith("decision-routing: cannot write to standard output: ", stderr.ToString(), StringComparison.Ordinal);
            Assert.Single(Lines(stderr.ToString()));
            AssertNoCrash(stderr.ToString());
        }
    }

    /// <summary>Closing the writer flushes what it still holds to /dev/full, which fails again; that is the test's writer, not the CLI.</summary>
    private static void DisposeIgnoringFullDevice(StreamWriter full)
    {
        try
        {
            full.Dispose();
        }
        catch (IOException)
        {
        }
    }

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    private static void AssertNoCrash(string error)
    {
        Assert.DoesNotContain("internal error", error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", error, StringComparison.Ordinal);
    }
}
