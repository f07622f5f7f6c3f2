using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using DecisionRouting.Tests.Support;
using NJsonSchema;

namespace DecisionRouting.Tests.Schemas;

/// <summary>The published JSON Schemas accept every shipped file and reject what the loader rejects.</summary>
public sealed class SchemaTests
{
    private static readonly Dictionary<string, JsonSchema> Schemas = new();

    private static async Task<JsonSchema> SchemaFor(string file)
    {
        var text = File.ReadAllText(file);
        var reference = System.Text.Json.JsonDocument.Parse(text).RootElement.GetProperty("$schema").GetString()!;
        var path = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(file)!, reference));
        Assert.True(File.Exists(path), $"{file}: $schema '{reference}' does not resolve");
        lock (Schemas)
        {
            if (Schemas.TryGetValue(path, out var cached))
            {
                return cached;
            }
        }

        var schema = await JsonSchema.FromFileAsync(path);
        lock (Schemas)
        {
            Schemas[path] = schema;
        }

        return schema;
    }

    public static TheoryData<string> ShippedFiles()
    {
        var files = Directory.GetFiles(Repository.PathOf("rules"), "*.json", SearchOption.AllDirectories)
            .Concat(Directory.GetFiles(Repository.PathOf("samples"), "*.json", SearchOption.AllDirectories))
            .Select(f => Path.GetRelativePath(Repository.Root, f).Replace('\\', '/'))
            .OrderBy(f => f);
        return new TheoryData<string>(files);
    }

    [Theory]
    [MemberData(nameof(ShippedFiles))]
    public async Task Shipped_file_points_at_its_schema_and_conforms(string file)
    {
        var path = Repository.PathOf(file);
        var schema = await SchemaFor(path);
        var errors = schema.Validate(File.ReadAllText(path));
        Assert.True(errors.Count == 0, file + ": " + string.Join("; ", errors.Select(e => $"{e.Path}: {e.Kind}")));
    }

    [Theory]
    [InlineData("samples/proposals/croydon-2013-integrated-commissioning-unit.json", "\"kinds\"", "\"finacialCommitment\": 5, \"kinds\"")]
    [InlineData("samples/proposals/croydon-2013-integrated-commissioning-unit.json", "\"savings\": 6500000", "\"savings\": -1")]
    [InlineData("rules/england/catalogue.json", "\"kind\": \"Executive\"", "\"kind\": \"Executiv\"")]
    [InlineData("rules/england/staff.rules.json", "\"RuleName\": \"TupeTransfer\"", "\"RuleName\": \"TupeTransfer\", \"Operator\": \"and\"")]
    [InlineData("rules/england/staff.rules.json", "\"source\": \"TULRCA 1992 s188(1A)(b); s193(2)(a)–(b)\"", "\"sorce\": \"TULRCA 1992 s188(1A)(b); s193(2)(a)–(b)\"")]
    [InlineData("rules/england/ruleset.json", "\"name\": \"england\"", "\"nmae\": \"england\"")]
    public async Task Schema_rejects_what_the_loader_rejects(string file, string find, string replace)
    {
        var path = Repository.PathOf(file);
        var text = File.ReadAllText(path);
        Assert.Contains(find, text);
        var schema = await SchemaFor(path);
        Assert.NotEmpty(schema.Validate(text.Replace(find, replace)));
    }

    [Fact]
    public void Proposal_schema_lists_exactly_the_fields_the_reader_accepts()
    {
        var schema = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Repository.PathOf("schemas/proposal.schema.json")));
        var inSchema = schema.RootElement.GetProperty("properties").EnumerateObject().Select(p => p.Name).Where(n => n is not "$schema" and not "description").OrderBy(n => n);
        var inModel = typeof(DecisionRouting.Proposals.Proposal).GetProperties()
            .Where(p => p.CanWrite)
            .Select(p => char.ToLowerInvariant(p.Name[0]) + p.Name[1..])
            .OrderBy(n => n);
        Assert.Equal(inModel, inSchema);
    }
}
