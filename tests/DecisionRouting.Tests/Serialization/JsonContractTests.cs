using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using DecisionRouting.Lifecycle;
using DecisionRouting.Routing;
using DecisionRouting.Serialization;
using DecisionRouting.Tests.Support;
using NJsonSchema;
using NodaTime;

namespace DecisionRouting.Tests.Serialization;

/// <summary>
/// The JSON contracts as an ASP.NET Core app meets them: the public types of a real SQLite case serialized with the
/// options an app plugs into ConfigureHttpJsonOptions (web defaults + ConfigureForDecisionRouting), their shapes, their
/// independence from the app's other settings, and reading them back.
/// </summary>
public sealed class JsonContractTests(DecidedCase decided) : IClassFixture<DecidedCase>
{
    private static readonly Regex UtcInstant = new(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?Z$");
    private static readonly Regex IsoDay = new(@"^\d{4}-\d\d-\d\d$");
    private readonly CaseFixture _case = decided.Case;

    /// <summary>What ASP.NET Core's minimal APIs start from (HttpJsonOptions: JsonSerializerDefaults.Web), configured as docs/json.md says.</summary>
    private static JsonSerializerOptions AspNetOptions() => new JsonSerializerOptions(JsonSerializerDefaults.Web).ConfigureForDecisionRouting();

    [Fact]
    public void Case_status_from_an_endpoint_has_iso_days_utc_instants_enum_names_and_no_empty_objects()
    {
        var json = JsonNode.Parse(JsonSerializer.Serialize(_case.Status, AspNetOptions()))!.AsObject();

        // The old failure: "at": {} for every NodaTime value, ten-field date objects, numbers for enums.
        AssertNoEmptyObjects(json, "$");
        Assert.Equal(CaseFixture.Id, (string?)json["id"]);
        Assert.Equal("CallInWindow", (string?)json["state"]);
        Assert.Equal("2013-07-17T09:00:00Z", (string?)json["at"]);
        Assert.Equal("2013-07-15", (string?)json["decisionDate"]);
        Assert.Equal("2013-07-15T18:00:00Z", (string?)json["decidedAt"]);

        // Croydon: call-in closes at 13:00 on the 5th working day after the decision, London summer time.
        Assert.Equal("2013-07-22T13:00:00+01:00", (string?)json["callInCloses"]);
        var finance = json["completed"]!.AsArray().Single(c => (string?)c!["step"] == "finance-sign-off")!;
        Assert.Matches(UtcInstant, (string?)finance["at"]);
        Assert.Equal("Officer", (string?)finance["by"]);
        Assert.All(json["permittedTriggers"]!.AsArray(), t => Assert.True(Enum.IsDefined(Enum.Parse<CaseTrigger>((string)t!["trigger"]!))));
        Assert.Contains(json["permittedTriggers"]!.AsArray(), t => (string?)t!["trigger"] == "CallIn");
        Assert.Equal(JsonValueKind.String, JsonSerializer.SerializeToElement(_case.Status, AspNetOptions()).GetProperty("state").ValueKind);
    }

    [Fact]
    public void Plan_fire_outcome_and_history_from_an_endpoint_keep_their_contracts()
    {
        var options = AspNetOptions();
        var plan = JsonNode.Parse(JsonSerializer.Serialize(_case.Plan, options))!.AsObject();
        AssertNoEmptyObjects(plan, "$");
        Assert.Equal("Cabinet", (string?)plan["proposal"]!["decisionMaker"]);
        Assert.Matches(IsoDay, (string?)plan["proposal"]!["intendedDecisionDate"]);
        Assert.Equal("2013-06-01", (string?)plan["dates"]!["asOf"]);
        var callIn = plan["steps"]!.AsArray().Single(s => (string?)s!["kind"] == "CallIn")!;
        Assert.Equal("2013-07-22T13:00:00+01:00", (string?)callIn["timing"]!["closes"]);
        Assert.Equal("13:00", (string?)callIn["duration"]!["cutOff"]);

        // Exactly what the CLI prints and docs/plan-format.md documents: the same writer, whatever the entry point.
        Assert.Equal(DecisionRoutingJson.Write(_case.Plan), JsonSerializer.Serialize(_case.Plan, new JsonSerializerOptions(options) { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));

        var fired = JsonNode.Parse(JsonSerializer.Serialize(_case.Accepted, options))!.AsObject();
        AssertNoEmptyObjects(fired, "$");
        Assert.True((bool)fired["accepted"]!);
        Assert.Equal("Decided", (string?)fired["state"]);
        Assert.Equal(_case.Accepted.Audit.Sequence, (long)fired["audit"]!);
        Assert.Equal("2013-07-15T18:00:00Z", (string?)fired["entry"]!["at"]);
        Assert.Equal("InProgress", (string?)fired["entry"]!["from"]);

        var refused = JsonNode.Parse(JsonSerializer.Serialize(_case.Refused, options))!.AsObject();
        Assert.False((bool)refused["accepted"]!);
        Assert.NotEmpty(refused["reasons"]!.AsArray());
        Assert.Equal(new[] { "monitoring-officer" }, refused["entry"]!["roles"]!.AsArray().Select(r => (string?)r));

        var history = JsonNode.Parse(JsonSerializer.Serialize(_case.History, options))!.AsArray();
        Assert.Equal(_case.History.Count, history.Count);
        Assert.All(history, e =>
        {
            AssertNoEmptyObjects(e!, "$[]");
            Assert.Matches(UtcInstant, (string?)e!["at"]);
            Assert.Matches(UtcInstant, (string?)e["recordedAt"]);
        });
        Assert.Equal("Create", (string?)history[0]!["trigger"]);
    }

    public static TheoryData<string> ForeignOptions() => new() { "plain", "snake-case, nulls ignored, enums as numbers", "web, unconfigured" };

    /// <summary>
    /// An app that forgot to configure, or configured other things (a naming policy, dropping nulls, its own enum
    /// converter), still gets the contract: the types carry their converter, and each contract field names its own.
    /// </summary>
    [Theory]
    [MemberData(nameof(ForeignOptions))]
    public void The_contract_does_not_depend_on_the_callers_options(string kind)
    {
        var options = kind switch
        {
            "plain" => new JsonSerializerOptions(),
            "web, unconfigured" => new JsonSerializerOptions(JsonSerializerDefaults.Web),
            _ => new JsonSerializerOptions
            {
                PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
                DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
                NumberHandling = JsonNumberHandling.WriteAsString,
            },
        };

        var expected = AspNetOptions();
        Assert.Equal(JsonSerializer.Serialize(_case.Status, expected), JsonSerializer.Serialize(_case.Status, options));
        Assert.Equal(JsonSerializer.Serialize(_case.Plan, expected), JsonSerializer.Serialize(_case.Plan, options));
        Assert.Equal(JsonSerializer.Serialize(_case.Refused, expected), JsonSerializer.Serialize(_case.Refused, options));
        Assert.Equal(JsonSerializer.Serialize(_case.History, expected), JsonSerializer.Serialize(_case.History, options));

        // The documents themselves too, when an app serializes one it read.
        var document = CaseStatusDocument.From(_case.Status);
        Assert.Equal(JsonSerializer.Serialize(document, expected), JsonSerializer.Serialize(document, options));
    }

    [Fact]
    public void Configured_options_also_write_the_apps_own_NodaTime_values_and_enums()
    {
        var json = JsonSerializer.Serialize(new { day = new LocalDate(2026, 3, 4), at = Instant.FromUtc(2026, 3, 4, 10, 15), state = CaseState.Decided }, AspNetOptions());

        Assert.Equal("""{"day":"2026-03-04","at":"2026-03-04T10:15:00Z","state":"Decided"}""", json);
        Assert.Equal(json, JsonSerializer.Serialize(new { day = new LocalDate(2026, 3, 4), at = Instant.FromUtc(2026, 3, 4, 10, 15), state = CaseState.Decided }, DecisionRoutingJson.Options));

        // Configuring twice adds nothing twice.
        var twice = AspNetOptions().ConfigureForDecisionRouting();
        Assert.Single(twice.Converters, c => c.GetType().Name == "RoutingPlanConverter");
    }

    [Fact]
    public void Every_contract_reads_back_to_what_was_written()
    {
        var status = DecisionRoutingJson.Write(_case.Status);
        Assert.Equal(status, JsonSerializer.Serialize(DecisionRoutingJson.ReadStatus(status), Indented()));

        var plan = DecisionRoutingJson.Write(_case.Plan);
        var planDocument = DecisionRoutingJson.ReadPlan(plan);
        Assert.Equal(plan, JsonSerializer.Serialize(planDocument, Indented()));
        Assert.Equal(new LocalTime(13, 0), planDocument.Steps.Single(s => s.Kind == StepKind.CallIn).Duration!.CutOff);
        Assert.Equal(_case.Plan.EffectiveFrom!.Value.ToOffsetDateTime(), planDocument.Dates.EffectiveFrom);

        foreach (var outcome in new[] { _case.Accepted, _case.Refused })
        {
            var fired = DecisionRoutingJson.Write(outcome);
            var read = DecisionRoutingJson.ReadFireOutcome(fired);
            Assert.Equal(fired, JsonSerializer.Serialize(read, Indented()));
            Assert.Equal(outcome.Audit, read.Entry);
        }

        // History reads back as the very entries: equal, and their chain still checks.
        var history = DecisionRoutingJson.ReadHistory(DecisionRoutingJson.Write(_case.History));
        Assert.Equal(_case.History, history);
        Assert.All(history, e => Assert.Equal(e.Hash, e.ComputeHash(null)));
    }

    [Fact]
    public void A_wrong_document_is_a_JsonException_with_its_position_and_a_plan_cannot_be_rebuilt()
    {
        var status = DecisionRoutingJson.Write(_case.Status);
        var wrongDate = Assert.Throws<JsonException>(() => DecisionRoutingJson.ReadStatus(status.Replace("\"decisionDate\": \"2013-07-15\"", "\"decisionDate\": \"15/07/2013\"", StringComparison.Ordinal)));
        Assert.Equal("$.decisionDate", wrongDate.Path);
        Assert.Equal(7, wrongDate.LineNumber);

        var numberedState = Assert.Throws<JsonException>(() => DecisionRoutingJson.ReadStatus(status.Replace("\"state\": \"CallInWindow\"", "\"state\": 4", StringComparison.Ordinal)));
        Assert.Equal("$.state", numberedState.Path);

        var missing = Assert.Throws<JsonException>(() => DecisionRoutingJson.ReadHistory("""[{"sequence": 1}]"""));
        Assert.Contains("caseId", missing.Message, StringComparison.Ordinal);

        var rebuilt = Assert.Throws<NotSupportedException>(() => JsonSerializer.Deserialize<RoutingPlan>(DecisionRoutingJson.Write(_case.Plan), DecisionRoutingJson.Options));
        Assert.Contains("DecisionRoutingJson.ReadPlan", rebuilt.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// The status used to write its call-in close with OffsetDateTimePattern.ExtendedIso ("…Z" in winter, fractions of a
    /// second) while the plan wrote the same moment with "+00:00": one moment, one form, in every contract.
    /// </summary>
    [Fact]
    public void A_winter_moment_keeps_its_London_offset_and_reads_back()
    {
        var winter = new PlanDatesDocument
        {
            AsOf = new LocalDate(2018, 1, 2),
            Decision = new LocalDate(2018, 1, 15),
            EffectiveFrom = new LocalDateTime(2018, 1, 22, 13, 0).InZoneStrictly(DateTimeZoneProviders.Tzdb["Europe/London"]).ToOffsetDateTime(),
            UrgencyRoutes = [],
        };

        var json = JsonSerializer.Serialize(winter, DecisionRoutingJson.Options);

        Assert.Equal("2018-01-22T13:00:00+00:00", JsonNode.Parse(json)!["effectiveFrom"]!.GetValue<string>());
        Assert.Equal(winter.EffectiveFrom, JsonSerializer.Deserialize<PlanDatesDocument>(json, DecisionRoutingJson.Options)!.EffectiveFrom);

        // "Z", as the status used to write it, still reads as the same moment.
        var zulu = JsonNode.Parse(json)!;
        zulu["effectiveFrom"] = "2018-01-22T13:00:00Z";
        Assert.Equal(winter.EffectiveFrom, JsonSerializer.Deserialize<PlanDatesDocument>(zulu.ToJsonString(), DecisionRoutingJson.Options)!.EffectiveFrom);
    }

    /// <summary>The CLI split roles dropping empty entries, so "a,,b" came back as "a,b" and the entry's hash no longer checked.</summary>
    [Theory]
    [InlineData("")]
    [InlineData("s151-officer")]
    [InlineData("a,,b")]
    [InlineData(",")]
    public void An_entrys_roles_read_back_exactly(string roles)
    {
        var entry = (_case.History[^1] with { Roles = roles }).ChainedInCase(99, 99, AuditEntry.Genesis, new string('c', 64), null);

        var read = Assert.Single(DecisionRoutingJson.ReadHistory(DecisionRoutingJson.Write(new[] { entry })));

        Assert.Equal(entry, read);
        Assert.Equal(read.Hash, read.ComputeHash(null));
    }

    private static JsonSerializerOptions Indented() => new(DecisionRoutingJson.Options) { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static void AssertNoEmptyObjects(JsonNode node, string path)
    {
        switch (node)
        {
            case JsonObject obj:
                Assert.True(obj.Count > 0, $"{path} is an empty object");
                foreach (var (name, value) in obj)
                {
                    if (value is not null)
                    {
                        AssertNoEmptyObjects(value, $"{path}.{name}");
                    }
                }

                break;
            case JsonArray array:
                foreach (var item in array.Where(i => i is not null))
                {
                    AssertNoEmptyObjects(item!, path + "[]");
                }

                break;
        }
    }
}
