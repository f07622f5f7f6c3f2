using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using DecisionRouting.Tests.Support;

namespace DecisionRouting.Tests.Infrastructure;

/// <summary>
/// A test that reaches PostgreSQL or Chromium must be able to skip: under a plain <c>[Fact]</c> the
/// <see cref="SkipException"/> of a machine without the tool would be reported as a failure, not a skip. Every test
/// of the store contract counts (PostgreSqlProposalStoreTests runs them all on PostgreSQL), and so does every test whose
/// body asks for a database or the browser.
/// </summary>
public sealed class SkippableTestsTests
{
    private static readonly Regex TestAttribute = new(@"^\s*\[(Fact|Theory|SkippableFact|SkippableTheory)\b", RegexOptions.Multiline);

    // Built from parts so this file does not match itself.
    private static readonly string[] Reaches = { "PostgresServer" + ".NewDatabase(", "Browser" + "Async(", "ChromiumBrowser" + ".ExecutablePath" };

    [Fact]
    public void Every_test_that_needs_postgresql_or_chromium_is_skippable()
    {
        var tests = Path.Combine(Repository.Root, "tests", "DecisionRouting.Tests");
        var offending =
            from file in Directory.EnumerateFiles(tests, "*.cs", SearchOption.AllDirectories)
            let relative = Path.GetRelativePath(tests, file).Replace('\\', '/')
            where !relative.StartsWith("obj/", System.StringComparison.Ordinal) && !relative.StartsWith("bin/", System.StringComparison.Ordinal)
            let text = File.ReadAllText(file)
            let wholeClass = Path.GetFileName(file).StartsWith("ProposalStoreContract", System.StringComparison.Ordinal)
            let starts = TestAttribute.Matches(text).Select(m => m.Index).Append(text.Length).ToList()
            from i in Enumerable.Range(0, starts.Count - 1)
            let chunk = text[starts[i]..starts[i + 1]]
            where (wholeClass || Reaches.Any(r => chunk.Contains(r, System.StringComparison.Ordinal))) && !chunk.TrimStart().StartsWith("[Skippable", System.StringComparison.Ordinal)
            select $"{relative}({text[..starts[i]].Count(c => c == '\n') + 1}): {chunk.TrimStart().Split('\n')[0].Trim()}";

        Assert.Empty(offending);
    }
}
