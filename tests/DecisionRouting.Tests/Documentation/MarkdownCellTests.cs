using System;
using System.IO;
using System.Linq;
using DecisionRouting.Tests.Support;

namespace DecisionRouting.Tests.Documentation;

/// <summary>
/// Breaker finding N3: a name, title or source in a rule file goes into a Markdown table cell of the catalogue or the
/// law-status document, and must not add a column (a pipe after an escaped backslash) or pass HTML through.
/// </summary>
public sealed class MarkdownCellTests
{
    private const string HostileCatalogue = """
        {
          "bodies": [ { "id": "cabinet", "name": "Cabinet", "kind": "Executive" } ],
          "roles": [ { "id": "s151-officer", "name": "Chief finance officer" } ],
          "steps": [
            { "id": "notice", "name": "Step a \\| FORGEDCELL | b <b>bold</b> &amp; \\", "kind": "Notice", "role": "s151-officer", "duration": { "days": 28, "counting": "ClearCalendarDays" }, "source": "src \\\\| <img src=x onerror=alert(1)>" },
            { "id": "decision", "name": "Decision", "kind": "Approval", "body": "cabinet", "after": [ "notice" ] }
          ]
        }
        """;

    private const string HostileRules = """
        {
          "WorkflowName": "main",
          "Rules": [
            { "RuleName": "Big", "Expression": "proposal.FinancialCommitment > 100", "Properties": { "steps": [ "notice", "decision" ], "source": "s \\| FORGED | <script>x</script>", "reason": "r", "verify": true } }
          ]
        }
        """;

    [Fact]
    public void Hostile_names_and_sources_cannot_add_a_column_or_html_to_the_catalogue_or_law_status()
    {
        using var set = TempRuleSet.With(HostileCatalogue, HostileRules, """{ "name": "hostile", "title": "Title <b>x</b> \\| y" }""");

        foreach (var args in new[] { new[] { "catalogue", set.Directory }, new[] { "catalogue", set.Directory, "--law-status" } })
        {
            var (exit, markdown, error) = InProcessCli.Run(args);

            Assert.True(exit == 0, error);
            Assert.DoesNotContain("<b>", markdown, StringComparison.Ordinal);
            Assert.DoesNotContain("<img", markdown, StringComparison.Ordinal);
            Assert.DoesNotContain("<script>", markdown, StringComparison.Ordinal);
            var lines = markdown.Split('\n');
            for (var i = 0; i < lines.Length; i++)
            {
                // Every table row has as many cells as its header (the line above a |---| separator).
                if (lines[i].StartsWith("|---", StringComparison.Ordinal))
                {
                    var columns = Cells(lines[i]);
                    for (var row = i + 1; row < lines.Length && lines[row].StartsWith('|'); row++)
                    {
                        Assert.True(Cells(lines[row]) == columns, $"{args.Length}: row has {Cells(lines[row])} cells, header {columns}: {lines[row]}");
                    }
                }
            }
        }

        var catalogue = InProcessCli.Run("catalogue", set.Directory).Out;
        Assert.Contains(@"Step a \\\| FORGEDCELL \| b &lt;b&gt;bold&lt;/b&gt; &amp;amp; \\", catalogue, StringComparison.Ordinal);
        Assert.Contains("Title &lt;b&gt;x&lt;/b&gt; \\\\\\| y.", catalogue, StringComparison.Ordinal);
    }

    /// <summary>Cells as GFM splits a row: at each pipe not escaped by a backslash (a backslash escapes the next character).</summary>
    private static int Cells(string row)
    {
        var pipes = 0;
        for (var i = 0; i < row.Length; i++)
        {
            if (row[i] == '\\')
            {
                i++;
            }
            else if (row[i] == '|')
            {
                pipes++;
            }
        }

        return pipes - 1;
    }
}
