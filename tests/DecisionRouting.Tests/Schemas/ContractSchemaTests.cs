using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using DecisionRouting.Lifecycle;
using DecisionRouting.Proposals;
using DecisionRouting.Routing;
using DecisionRouting.RuleSets;
using DecisionRouting.Serialization;
using DecisionRouting.Tests.Serialization;
using DecisionRouting.Tests.Support;
using Microsoft.Data.Sqlite;
using NJsonSchema;

namespace DecisionRouting.Tests.Schemas;

/// <summary>
/// Each JSON contract's schema (schemas/plan, case-status, history, fire-outcome) against real output: the CLI driving
/// a real SQLite case (create, status, fire accepted and refused, history) and plans of every shipped sample routed
/// with its shipped rule set; and each schema refusing a wrong shape (the empty objects and numeric enums of old).
/// </summary>
public sealed class ContractSchemaTests : IDisposable, IClassFixture<DecidedCase>
{
    private const string Id = "croydon-2013-integrated-commissioning-unit";
    private readonly string _directory = Directory.CreateTempSubdirectory("dr-contract-").FullName;
    private readonly string _db;
    private readonly CaseFixture _decided;

    public ContractSchemaTests(DecidedCase decided)
    {
        _db = Path.Combine(_directory, "cases.db");
        _decided = decided.Case;
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    private static Task<JsonSchema> Schema(string name) => JsonSchema.FromFileAsync(Repository.PathOf($"schemas/{name}.schema.json"));

    private static void AssertValid(JsonSchema schema, string json, string what)
    {
        var errors = schema.Validate(json);
        Assert.True(errors.Count == 0, what + ": " + string.Join("; ", errors.Select(e => $"{e.Path}: {e.Kind}")));
    }

    [Fact]
    public async Task Cli_output_of_a_real_sqlite_case_conforms_to_its_schemas()
    {
        var created = Run("proposal", "create", Repository.PathOf($"samples/proposals/{Id}.json"), "--rules", Repository.PathOf("rules/partnerships/croydon"), "--today", "2013-06-01", "--db", _db, "--actor", "Test");
        Assert.True(created.Exit == 0, created.Error);
        var status = await Schema("case-status");
        var fire = await Schema("fire-outcome");

        AssertValid(status, Ok("proposal", "status", Id, "--db", _db, "--format", "json", "--at", "2013-06-01"), "status in Draft");
        var started = Ok("proposal", "fire", Id, "start", "--actor", "Dem", "--role", "democratic-services", "--at", "2013-06-01", "--db", _db, "--format", "json");
        AssertValid(fire, started, "accepted start");
        Assert.True(JsonDocument.Parse(started).RootElement.GetProperty("accepted").GetBoolean());

        var refused = Run("proposal", "fire", Id, "complete-step", "--step", "finance-sign-off", "--actor", "Mo", "--role", "monitoring-officer", "--at", "2013-06-03T10:00", "--db", _db, "--format", "json");
        Assert.Equal(1, refused.Exit);
        AssertValid(fire, refused.Out, "refused sign-off");

        AssertValid(fire, Ok("proposal", "fire", Id, "complete_step", "--step", "finance-sign-off", "--actor", "Fi", "--role", "s151-officer", "--at", "2013-06-03T10:30", "--db", _db, "--format", "json"), "accepted sign-off");
        AssertValid(status, Ok("proposal", "status", Id, "--db", _db, "--format", "json", "--at", "2013-06-04"), "status in progress");

        var history = Ok("proposal", "history", Id, "--db", _db, "--format", "json");
        AssertValid(await Schema("history"), history, "history");
        Assert.True(JsonDocument.Parse(history).RootElement.GetArrayLength() >= 4);

        // What the CLI printed is the library's contract, read back whole.
        Assert.Equal(history.TrimEnd('\n'), DecisionRoutingJson.Write(DecisionRoutingJson.ReadHistory(history)));
    }

    [Fact]
    public async Task Library_output_of_a_decided_case_conforms_to_its_schemas()
    {
        var decided = _decided;
        AssertValid(await Schema("case-status"), DecisionRoutingJson.Write(decided.Status), "status in the call-in window");
        AssertValid(await Schema("fire-outcome"), DecisionRoutingJson.Write(decided.Accepted), "decision");
        AssertValid(await Schema("fire-outcome"), DecisionRoutingJson.Write(decided.Refused), "refusal");
        AssertValid(await Schema("history"), DecisionRoutingJson.Write(decided.History), "history");
    }

    public static TheoryData<string> Samples() => new(
        Directory.GetFiles(Repository.PathOf("samples/proposals"), "*.json", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(Repository.Root, f).Replace('\\', '/'))
            .OrderBy(f => f, StringComparer.Ordinal));

    /// <summary>Each shipped sample routed with the rule set it belongs to: its partnership's, or the England baseline.</summary>
    [Theory]
    [MemberData(nameof(Samples))]
    public async Task Plans_of_shipped_samples_and_rule_sets_conform_to_the_plan_schema(string sample)
    {
        var proposal = ProposalReader.ReadFile(Repository.PathOf(sample)).Proposal!;
        var partnership = new[] { "barking-dagenham", "croydon", "darlington", "doncaster", "durham" }.FirstOrDefault(p => Path.GetFileName(sample).StartsWith(p, StringComparison.Ordinal));
        var rules = RuleSet.Load(Repository.PathOf(partnership is null ? "rules/england" : $"rules/partnerships/{partnership}"));
        var plan = new Router(rules).Route(proposal);

        AssertValid(await Schema("plan"), DecisionRoutingJson.Write(plan), sample);
    }

    [Fact]
    public async Task Route_json_from_the_cli_conforms_to_the_plan_schema()
    {
        var routed = Run("route", Repository.PathOf($"samples/proposals/{Id}.json"), "--rules", Repository.PathOf("rules/partnerships/croydon"), "--today", "2013-06-01", "--format", "json");
        Assert.True(routed.Exit == 0, routed.Error);
        AssertValid(await Schema("plan"), routed.Out, "route --format json");
    }

    [Theory]
    [InlineData("case-status", "\"at\": \"2013-07-17T09:00:00Z\"", "\"at\": {}")]
    [InlineData("case-status", "\"decisionDate\": \"2013-07-15\"", "\"decisionDate\": { \"year\": 2013, \"month\": 7, \"day\": 15 }")]
    [InlineData("case-status", "\"state\": \"CallInWindow\"", "\"state\": 4")]
    [InlineData("case-status", "\"callInCloses\": \"2013-07-22T13:00:00+01:00\"", "\"callInCloses\": \"Mon 22 Jul 2013 13:00\"")]
    [InlineData("case-status", "\"outstanding\"", "\"outstandingSteps\"")]
    [InlineData("fire-outcome", "\"accepted\": true", "\"accepted\": \"yes\"")]
    [InlineData("fire-outcome", "\"from\": \"InProgress\"", "\"from\": \"In progress\"")]
    [InlineData("history", "\"trigger\": \"Create\"", "\"trigger\": null")]
    [InlineData("plan", "\"decisionMaker\": \"Cabinet\"", "\"decisionMaker\": 1")]
    [InlineData("plan", "\"asOf\": \"2013-06-01\"", "\"asOf\": \"2013-06-01T00:00:00Z\"")]
    [InlineData("plan", "\"cutOff\": \"13:00\"", "\"cutOff\": {}")]
    public async Task Each_schema_rejects_a_wrong_shape(string contract, string find, string replace)
    {
        var decided = _decided;
        var json = contract switch
        {
            "case-status" => DecisionRoutingJson.Write(decided.Status),
            "fire-outcome" => DecisionRoutingJson.Write(decided.Accepted),
            "history" => DecisionRoutingJson.Write(decided.History),
            _ => DecisionRoutingJson.Write(decided.Plan),
        };
        var schema = await Schema(contract);
        Assert.Contains(find, json, StringComparison.Ordinal);
        AssertValid(schema, json, "as written");
        Assert.NotEmpty(schema.Validate(json.Replace(find, replace, StringComparison.Ordinal)));
    }

    /// <summary>The schemas list enum names by hand: each list is exactly the enum's names, so a new state or trigger cannot be missed.</summary>
    [Theory]
    [InlineData("history", "#/definitions/state", typeof(CaseState))]
    [InlineData("case-status", "#/definitions/trigger", typeof(CaseTrigger))]
    [InlineData("plan", "#/properties/proposal/properties/decisionMaker", typeof(DecisionMaker))]
    [InlineData("plan", "#/properties/steps/items/properties/kind", typeof(StepKind))]
    [InlineData("plan", "#/properties/incomplete/items/properties/kind", typeof(IncompleteRuleKind))]
    [InlineData("plan", "#/properties/steps/items/properties/duration/oneOf/1/properties/counting", typeof(DayCounting))]
    [InlineData("plan", "#/properties/steps/items/properties/duration/oneOf/1/properties/anchor", typeof(PeriodAnchor))]
    public void Schema_enums_list_exactly_the_enum_names(string contract, string pointer, Type enumType)
    {
        var node = JsonDocument.Parse(File.ReadAllText(Repository.PathOf($"schemas/{contract}.schema.json"))).RootElement;
        foreach (var part in pointer.TrimStart('#', '/').Split('/'))
        {
            node = node.ValueKind == JsonValueKind.Array ? node[int.Parse(part, System.Globalization.CultureInfo.InvariantCulture)] : node.GetProperty(part);
        }

        Assert.Equal(Enum.GetNames(enumType).Order(StringComparer.Ordinal), node.GetProperty("enum").EnumerateArray().Select(e => e.GetString()!).Order(StringComparer.Ordinal));
    }

    private static (int Exit, string Out, string Error) Run(params string[] args) => InProcessCli.Run(args);

    private static string Ok(params string[] args)
    {
        var result = Run(args);
        Assert.True(result.Exit == 0, string.Join(' ', args) + ": " + result.Error);
        return result.Out;
    }
}
