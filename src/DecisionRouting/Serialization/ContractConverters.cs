using System;
using System.Text.Json;
using System.Text.Json.Serialization;
using DecisionRouting.Lifecycle;
using DecisionRouting.Routing;

namespace DecisionRouting.Serialization
{
    // The domain types are written through their documents, whose properties name their own converters, so the
    // caller's options change only the layout the writer was given (indentation, escaping), never the contract.

    /// <summary>Writes a <see cref="RoutingPlan"/> as a <see cref="RoutingPlanDocument"/>; a plan cannot be read back as one.</summary>
    internal sealed class RoutingPlanConverter : JsonConverter<RoutingPlan>
    {
        public override RoutingPlan Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            throw new NotSupportedException($"A {nameof(RoutingPlan)} holds its rule set's definitions and cannot be rebuilt from JSON; read a {nameof(RoutingPlanDocument)} (DecisionRoutingJson.ReadPlan)");

        public override void Write(Utf8JsonWriter writer, RoutingPlan value, JsonSerializerOptions options) =>
            JsonSerializer.Serialize(writer, RoutingPlanDocument.From(value), DecisionRoutingJson.Options);
    }

    /// <summary>Writes a <see cref="CaseStatus"/> as a <see cref="CaseStatusDocument"/>.</summary>
    internal sealed class CaseStatusConverter : JsonConverter<CaseStatus>
    {
        public override CaseStatus Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            throw new NotSupportedException($"A {nameof(CaseStatus)} holds the whole stored case and cannot be rebuilt from JSON; read a {nameof(CaseStatusDocument)} (DecisionRoutingJson.ReadStatus)");

        public override void Write(Utf8JsonWriter writer, CaseStatus value, JsonSerializerOptions options) =>
            JsonSerializer.Serialize(writer, CaseStatusDocument.From(value), DecisionRoutingJson.Options);
    }

    /// <summary>Writes a <see cref="FireOutcome"/> as a <see cref="FireOutcomeDocument"/>.</summary>
    internal sealed class FireOutcomeConverter : JsonConverter<FireOutcome>
    {
        public override FireOutcome Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            throw new NotSupportedException($"A {nameof(FireOutcome)} holds the whole stored case and cannot be rebuilt from JSON; read a {nameof(FireOutcomeDocument)} (DecisionRoutingJson.ReadFireOutcome)");

        public override void Write(Utf8JsonWriter writer, FireOutcome value, JsonSerializerOptions options) =>
            JsonSerializer.Serialize(writer, FireOutcomeDocument.From(value), DecisionRoutingJson.Options);
    }

    /// <summary>Writes and reads an <see cref="AuditEntry"/> with every field, so it reads back as the same entry.</summary>
    internal sealed class AuditEntryConverter : JsonConverter<AuditEntry>
    {
        public override AuditEntry Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            (JsonSerializer.Deserialize<AuditEntryDocument>(ref reader, DecisionRoutingJson.Options) ?? throw new JsonException("An audit entry is null")).ToEntry();

        public override void Write(Utf8JsonWriter writer, AuditEntry value, JsonSerializerOptions options) =>
            JsonSerializer.Serialize(writer, AuditEntryDocument.Of(value), DecisionRoutingJson.Options);
    }
}
