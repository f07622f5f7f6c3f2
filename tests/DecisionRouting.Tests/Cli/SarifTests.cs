using System.Linq;
using System.Text.Json;
using DecisionRouting.Cli;
using DecisionRouting.Tests.Support;

namespace DecisionRouting.Tests.Cli;

/// <summary><c>validate --format sarif</c>: SARIF 2.1.0 with the same findings, positions and messages as text.</summary>
public sealed class SarifTests
{
    [Fact]
    public void Validate_as_sarif_reports_the_same_findings_as_text()
    {
        var text = new System.IO.StringWriter();
        Program.Run(new[] { "validate", Repository.PathOf("tests/DecisionRouting.Tests/Fixtures/cli/broken-rules") }, text, new System.IO.StringWriter());
        var stdout = new System.IO.StringWriter();
        var exit = Program.Run(new[] { "validate", Repository.PathOf("tests/DecisionRouting.Tests/Fixtures/cli/broken-rules"), "--format", "sarif" }, stdout, new System.IO.StringWriter());
        Assert.Equal(1, exit);
        var results = ResultLines(stdout.ToString());
        var lines = text.ToString().Split('\n').Where(l => l.Contains(": error DR") || l.Contains(": warning DR")).ToList();
        Assert.NotEmpty(results);
        Assert.Equal(lines, results);
    }

    /// <summary>
    /// Checks <paramref name="log"/> has the SARIF 2.1.0 shape the CLI writes (version, one run, every descriptor as a
    /// rule, each result's ruleIndex naming its rule) and returns its results as the text report prints them.
    /// </summary>
    public static System.Collections.Generic.IReadOnlyList<string> ResultLines(string log)
    {
        using var sarif = JsonDocument.Parse(log);
        var root = sarif.RootElement;
        Assert.Equal("2.1.0", root.GetProperty("version").GetString());
        Assert.Equal("https://json.schemastore.org/sarif-2.1.0.json", root.GetProperty("$schema").GetString());
        var run = Assert.Single(root.GetProperty("runs").EnumerateArray());
        var rules = run.GetProperty("tool").GetProperty("driver").GetProperty("rules").EnumerateArray().ToList();
        Assert.Equal(Diagnostics.DiagnosticDescriptors.All.Count, rules.Count);
        return run.GetProperty("results").EnumerateArray().Select(r =>
        {
            var location = r.GetProperty("locations")[0].GetProperty("physicalLocation");
            var region = location.GetProperty("region");
            Assert.Equal(r.GetProperty("ruleId").GetString(), rules[r.GetProperty("ruleIndex").GetInt32()].GetProperty("id").GetString());
            return $"{location.GetProperty("artifactLocation").GetProperty("uri").GetString()}({region.GetProperty("startLine").GetInt32()},{region.GetProperty("startColumn").GetInt32()}): {r.GetProperty("level").GetString()} {r.GetProperty("ruleId").GetString()}: {r.GetProperty("message").GetProperty("text").GetString()}";
        }).ToList();
    }
}
