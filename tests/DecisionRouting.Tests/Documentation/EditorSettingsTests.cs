using System.IO;
using System.Linq;
using System.Text.Json;
using DecisionRouting.Tests.Support;

namespace DecisionRouting.Tests.Documentation;

/// <summary>
/// The VS Code settings the repository ships (<c>.vscode/settings.json</c>) and the ones docs/editing-rules.md tells
/// partners to copy: the same mappings, each to a schema that exists, each matching shipped files.
/// </summary>
public sealed class EditorSettingsTests
{
    private static JsonElement[] Mappings(string json) =>
        JsonDocument.Parse(json).RootElement.GetProperty("json.schemas").EnumerateArray().ToArray();

    [Fact]
    public void The_shipped_settings_map_each_rule_file_kind_to_an_existing_schema_and_match_the_docs()
    {
        var shipped = File.ReadAllText(Repository.PathOf(".vscode/settings.json"));
        var mappings = Mappings(shipped);
        Assert.Equal(4, mappings.Length);
        foreach (var mapping in mappings)
        {
            var url = mapping.GetProperty("url").GetString()!;
            Assert.StartsWith("./schemas/", url, System.StringComparison.Ordinal);
            Assert.True(File.Exists(Repository.PathOf(url[2..])), $"{url} does not exist");
        }

        var docs = File.ReadAllText(Repository.PathOf("docs/editing-rules.md")).Replace("\r\n", "\n", System.StringComparison.Ordinal);
        var start = docs.IndexOf("```json\n{\n  \"json.schemas\"", System.StringComparison.Ordinal);
        Assert.True(start >= 0, "docs/editing-rules.md no longer shows the json.schemas settings");
        var block = docs[(start + "```json\n".Length)..];
        block = block[..block.IndexOf("```", System.StringComparison.Ordinal)];
        Assert.Equal(
            mappings.Select(m => m.GetRawText()),
            Mappings(block).Select(m => m.GetRawText()));
    }
}
