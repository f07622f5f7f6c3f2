using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using DecisionRouting.Tests.Support;

namespace DecisionRouting.Tests.Infrastructure;

/// <summary>
/// The skip-or-fail rule for tests that need PostgreSQL or Chromium, decided by the project's real scripts run on a
/// machine made to lack the tool: as user nobody (not root, so nothing can be installed), with PATH emptied, and, for
/// PostgreSQL, with Debian's /usr/lib/postgresql hidden under an empty tmpfs in a private mount namespace. Outside CI
/// the test skips with one line; with CI set it fails; a script that breaks fails in both.
/// </summary>
public sealed class PrerequisiteTests : IDisposable
{
    private static readonly bool IsRoot = Environment.UserName == "root";

    private readonly string _directory = Directory.CreateTempSubdirectory("dr-prereq-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Without_postgresql_and_without_root_the_store_tests_skip_with_one_line_or_fail_in_ci()
    {
        var postgres = Prerequisite.FromScript("PostgreSQL", "scripts/postgres.sh", new[] { "start" }, Bare(), WithoutPostgresAsNobody());

        Assert.Null(postgres.Value);
        Assert.Null(postgres.Fault);
        var skip = Assert.Throws<MissingPrerequisiteException>(() => postgres.Require(ci: false));
        Assert.Equal(
            "PostgreSQL tests skipped: postgres.sh: PostgreSQL is not installed (no pg_ctl and initdb on PATH or in /usr/lib/postgresql/*/bin) and installing it needs root; install it, set DR_PG_BIN to its bin folder, or set DR_PG_CONNECTION to a server of your own (with CI=true this fails instead; see docs/testing.md)",
            skip.Message);
        var ci = Assert.Throws<InvalidOperationException>(() => postgres.Require(ci: true));
        Assert.StartsWith("PostgreSQL is required because CI is set, and this machine cannot provide it: postgres.sh: PostgreSQL is not installed", ci.Message);
    }

    [Fact]
    public void A_postgresql_bin_folder_without_the_programs_is_missing_even_for_root_and_nothing_is_installed()
    {
        // Root would install with apt when nothing is found; a DR_PG_BIN that holds nothing is the user's choice, not a
        // reason to install. The script must say so and stop (and this test must not run apt).
        var empty = Directory.CreateDirectory(Path.Combine(_directory, "bin")).FullName;
        var environment = Bare();
        environment["DR_PG_BIN"] = empty;

        var postgres = Prerequisite.FromScript("PostgreSQL", "scripts/postgres.sh", new[] { "start" }, environment);

        Assert.Equal($"postgres.sh: DR_PG_BIN={empty} holds no pg_ctl and initdb; point it at PostgreSQL's bin folder, or unset it", postgres.Missing);
        Assert.Throws<MissingPrerequisiteException>(() => postgres.Require(ci: false));
    }

    [Fact]
    public void A_postgresql_that_is_installed_but_cannot_start_fails_even_outside_ci()
    {
        // Installed, but its data folder cannot be made (nobody, not even root, can create one under /proc): a fault
        // to fix, not a machine without PostgreSQL. Where PostgreSQL is not installed, this test is itself one that
        // needs it, and follows the same rule.
        var environment = Bare();
        environment["PATH"] = "/usr/local/bin:/usr/bin:/bin";
        environment["DR_PG_DATA"] = "/proc/dr-pg-cannot-be-here/data";
        environment["DR_PG_PORT"] = "55499";

        var postgres = Prerequisite.FromScript("PostgreSQL", "scripts/postgres.sh", new[] { "start" }, environment);
        if (postgres.Missing is not null)
        {
            postgres.Require();
        }

        var failure = Assert.Throws<InvalidOperationException>(() => postgres.Require(ci: false));
        Assert.StartsWith("PostgreSQL could not be provided: scripts/postgres.sh start failed (exit 1): ", failure.Message);
    }

    [Fact]
    public void Without_chromium_and_without_root_the_browser_tests_skip_with_one_line_or_fail_in_ci()
    {
        var chromium = Prerequisite.FromScript("Chromium", "scripts/chromium.sh", Array.Empty<string>(), Bare(), IsRoot ? AsNobody : null);

        var skip = Assert.Throws<MissingPrerequisiteException>(() => chromium.Require(ci: false));
        Assert.Equal(
            "Chromium tests skipped: chromium.sh: chromium is not installed (not on PATH) and installing it needs root; install Debian's chromium package, or set DR_CHROMIUM to a Chromium executable (with CI=true this fails instead; see docs/testing.md)",
            skip.Message);
        Assert.DoesNotContain('\n', skip.Message);
        Assert.Throws<InvalidOperationException>(() => chromium.Require(ci: true));
    }

    [Fact]
    public void Without_graphviz_and_without_root_the_svg_tests_skip_with_one_line_or_fail_in_ci()
    {
        var graphviz = Prerequisite.FromScript("Graphviz", "scripts/graphviz.sh", Array.Empty<string>(), Bare(), IsRoot ? AsNobody : null);

        var skip = Assert.Throws<MissingPrerequisiteException>(() => graphviz.Require(ci: false));
        Assert.Equal(
            "Graphviz tests skipped: graphviz.sh: Graphviz's dot is not installed (not on PATH) and installing it needs root; install Debian's graphviz package (or put a dot on PATH) (with CI=true this fails instead; see docs/testing.md)",
            skip.Message);
        Assert.Throws<InvalidOperationException>(() => graphviz.Require(ci: true));
    }

    [Fact]
    public void A_chromium_named_by_the_user_that_is_not_there_is_missing_and_nothing_is_installed()
    {
        var environment = Bare();
        environment["DR_CHROMIUM"] = Path.Combine(_directory, "no-chromium");

        var chromium = Prerequisite.FromScript("Chromium", "scripts/chromium.sh", Array.Empty<string>(), environment);

        Assert.Equal($"chromium.sh: DR_CHROMIUM={environment["DR_CHROMIUM"]} is not an executable file", chromium.Missing);
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void A_chromium_named_by_the_user_is_used_as_it_is()
    {
        var fake = Path.Combine(_directory, "my-chromium");
        File.WriteAllText(fake, "#!/bin/sh\n");
        File.SetUnixFileMode(fake, UnixFileMode.UserRead | UnixFileMode.UserExecute | UnixFileMode.UserWrite);
        var environment = Bare();
        environment["DR_CHROMIUM"] = fake;

        var chromium = Prerequisite.FromScript("Chromium", "scripts/chromium.sh", Array.Empty<string>(), environment);

        Assert.Equal(fake, chromium.Require(ci: true));
    }

    [Fact]
    public void A_server_the_user_names_is_used_without_running_the_script()
    {
        const string Own = "Host=db.example;Port=5432;Username=tester;Database=postgres";

        var server = PostgresServer.Find(name => name == PostgresServer.ConnectionVariable ? Own : null);

        Assert.Equal(Own, server.Require(ci: true));
    }

    [Theory]
    [InlineData("true", true)]
    [InlineData("True", true)]
    [InlineData("1", true)]
    [InlineData("false", false)]
    [InlineData("0", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void Ci_is_true_or_1(string? value, bool ci) => Assert.Equal(ci, Prerequisite.IsCi(value));

    /// <summary>PATH emptied (only bash builtins and absolute paths work) and nothing of the caller's leaking in.</summary>
    private static Dictionary<string, string?> Bare() => new()
    {
        ["PATH"] = "/nonexistent",
        ["DR_PG_BIN"] = null,
        ["DR_PG_DATA"] = null,
        ["DR_PG_PORT"] = null,
        ["DR_CHROMIUM"] = null,
    };

    private static readonly string[] AsNobody = { "/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups" };

    /// <summary>
    /// Root: a private mount namespace with /usr/lib/postgresql hidden under an empty tmpfs, then user nobody. Not
    /// root: the caller already cannot install, and an empty DR_PG_BIN stands in for "not installed".
    /// </summary>
    private string[]? WithoutPostgresAsNobody() => IsRoot
        ? new[] { "/usr/bin/unshare", "--mount", "/bin/sh", "-c", "if [ -d /usr/lib/postgresql ]; then /usr/bin/mount -t tmpfs none /usr/lib/postgresql || exit 1; fi; exec \"$@\"", "sh" }.Concat(AsNobody).ToArray()
        : null;
}
