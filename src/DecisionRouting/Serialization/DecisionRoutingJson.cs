using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using DecisionRouting.Lifecycle;
using DecisionRouting.Routing;
using NodaTime;
using NodaTime.Serialization.SystemTextJson;

namespace DecisionRouting.Serialization
{
    /// <summary>
    /// The one home of DecisionRouting's JSON contracts: the routing plan, the case status, the history (audit entries)
    /// and the fire outcome, written and read with System.Text.Json. The CLI prints these; an app returns them.
    /// <para>
    /// <b>In an ASP.NET Core app:</b> <c>builder.Services.ConfigureHttpJsonOptions(o =&gt; o.SerializerOptions.ConfigureForDecisionRouting());</c>
    /// and an endpoint can return <see cref="RoutingPlan"/>, <see cref="CaseStatus"/>, <see cref="FireOutcome"/> or
    /// <see cref="AuditEntry"/> lists as they are. The four types also carry their converter, so they serialize correctly
    /// even with options that were never configured; configuring adds NodaTime (<c>LocalDate</c>, <c>Instant</c>, …,
    /// time zones from TZDB) and enums by name for the app's own types.
    /// </para>
    /// <para>
    /// <b>Shapes:</b> days are ISO 8601 <c>yyyy-MM-dd</c> in Europe/London; instants are UTC with <c>Z</c>
    /// (<c>2026-03-04T10:15:00Z</c>); moments an officer reads on a clock (call-in closes, effective from) carry their
    /// London offset (<c>2013-07-22T13:00:00+01:00</c>); enums are their declared names; absent values are <c>null</c>,
    /// never omitted. Field names are fixed by the contract (camelCase), whatever naming policy the options have. The
    /// schemas in <c>schemas/</c> (plan, case-status, history, fire-outcome) describe each document.
    /// </para>
    /// </summary>
    public static class DecisionRoutingJson
    {
        private static readonly JsonSerializerOptions Indented = Freeze(new JsonSerializerOptions
        {
            WriteIndented = true,

            // Officers read this output: a dash or an arrow in a reason stays itself, not \u2013.
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        }.ConfigureForDecisionRouting());

        /// <summary>
        /// Options configured for the contracts (<see cref="ConfigureForDecisionRouting"/> on the web defaults: camelCase,
        /// case-insensitive reading), compact, read-only. Use them to serialize or read the contract types directly.
        /// </summary>
        public static JsonSerializerOptions Options { get; } = Freeze(new JsonSerializerOptions(JsonSerializerDefaults.Web) { NumberHandling = JsonNumberHandling.Strict }.ConfigureForDecisionRouting());

        /// <summary>
        /// Adds what the contracts need to <paramref name="options"/>: converters for <see cref="RoutingPlan"/>,
        /// <see cref="CaseStatus"/>, <see cref="FireOutcome"/> and <see cref="AuditEntry"/>; NodaTime's converters with
        /// TZDB time zones; and enums written by name. Idempotent: configuring twice adds nothing.
        /// </summary>
        /// <param name="options">Options not yet used (System.Text.Json makes options read-only once used).</param>
        /// <returns><paramref name="options"/>, for chaining.</returns>
        /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
        /// <exception cref="InvalidOperationException"><paramref name="options"/> is read-only (already used).</exception>
        public static JsonSerializerOptions ConfigureForDecisionRouting(this JsonSerializerOptions options)
        {
            ArgumentNullException.ThrowIfNull(options);
            if (options.Converters.Any(c => c is RoutingPlanConverter))
            {
                return options;
            }

            options.Converters.Add(new RoutingPlanConverter());
            options.Converters.Add(new CaseStatusConverter());
            options.Converters.Add(new FireOutcomeConverter());
            options.Converters.Add(new AuditEntryConverter());
            if (!options.Converters.Any(c => c is JsonStringEnumConverter))
            {
                options.Converters.Add(new JsonStringEnumConverter());
            }

            options.ConfigureForNodaTime(DateTimeZoneProviders.Tzdb);
            return options;
        }

        /// <summary>The plan as indented JSON in the plan contract (docs/plan-format.md), without a final line feed.</summary>
        /// <exception cref="ArgumentNullException"><paramref name="plan"/> is null.</exception>
        public static string Write(RoutingPlan plan)
        {
            ArgumentNullException.ThrowIfNull(plan);
            return JsonSerializer.Serialize(plan, Indented);
        }

        /// <summary>
        /// Options for a <see cref="Utf8JsonWriter"/> that <see cref="Write(RoutingPlan, Utf8JsonWriter)"/> fills with
        /// exactly the bytes of <see cref="Write(RoutingPlan)"/> (indented, the same encoder). A writer reset over a
        /// buffer is reused for each plan of a batch (issue 17).
        /// </summary>
        internal static JsonWriterOptions IndentedWriterOptions => new()
        {
            Indented = true,
            Encoder = Indented.Encoder,
            IndentCharacter = Indented.IndentCharacter,
            IndentSize = Indented.IndentSize,
            NewLine = Indented.NewLine,
            MaxDepth = Indented.MaxDepth,
        };

        /// <summary>
        /// The plan as <see cref="Write(RoutingPlan)"/> writes it, as UTF-8 into <paramref name="writer"/> (made with
        /// <see cref="IndentedWriterOptions"/>), without a string in between; flushed.
        /// </summary>
        internal static void Write(RoutingPlan plan, Utf8JsonWriter writer)
        {
            ArgumentNullException.ThrowIfNull(plan);
            JsonSerializer.Serialize(writer, plan, Indented);
            writer.Flush();
        }

        /// <summary>The status as indented JSON in the case-status contract, without a final line feed.</summary>
        /// <exception cref="ArgumentNullException"><paramref name="status"/> is null.</exception>
        public static string Write(CaseStatus status)
        {
            ArgumentNullException.ThrowIfNull(status);
            return JsonSerializer.Serialize(status, Indented);
        }

        /// <summary>The outcome as indented JSON in the fire-outcome contract, without a final line feed.</summary>
        /// <exception cref="ArgumentNullException"><paramref name="outcome"/> is null.</exception>
        public static string Write(FireOutcome outcome)
        {
            ArgumentNullException.ThrowIfNull(outcome);
            return JsonSerializer.Serialize(outcome, Indented);
        }

        /// <summary>A case's history (oldest first, as <see cref="ProposalLifecycle.HistoryAsync"/> gives it) as an indented JSON array in the history contract, without a final line feed.</summary>
        /// <exception cref="ArgumentNullException"><paramref name="history"/> is null.</exception>
        public static string Write(IReadOnlyList<AuditEntry> history)
        {
            ArgumentNullException.ThrowIfNull(history);
            return JsonSerializer.Serialize(history, Indented);
        }

        /// <summary>Reads a plan written in the plan contract.</summary>
        /// <exception cref="ArgumentNullException"><paramref name="json"/> is null.</exception>
        /// <exception cref="JsonException">Not a plan: malformed JSON, a required field missing, or a value of the wrong shape; the message gives the JSON path, line and byte position.</exception>
        public static RoutingPlanDocument ReadPlan(string json) => Read<RoutingPlanDocument>(json, "plan");

        /// <summary>Reads a status written in the case-status contract.</summary>
        /// <exception cref="ArgumentNullException"><paramref name="json"/> is null.</exception>
        /// <exception cref="JsonException">Not a case status; the message gives the JSON path, line and byte position.</exception>
        public static CaseStatusDocument ReadStatus(string json) => Read<CaseStatusDocument>(json, "case status");

        /// <summary>Reads a fire outcome written in the fire-outcome contract.</summary>
        /// <exception cref="ArgumentNullException"><paramref name="json"/> is null.</exception>
        /// <exception cref="JsonException">Not a fire outcome; the message gives the JSON path, line and byte position.</exception>
        public static FireOutcomeDocument ReadFireOutcome(string json) => Read<FireOutcomeDocument>(json, "fire outcome");

        /// <summary>
        /// Reads a history written in the history contract. The entries are exactly those written: their hashes check
        /// with <see cref="AuditEntry.ComputeHash(AuditKey)"/> and <see cref="AuditChain"/> as before.
        /// </summary>
        /// <exception cref="ArgumentNullException"><paramref name="json"/> is null.</exception>
        /// <exception cref="JsonException">Not a history; the message gives the JSON path, line and byte position.</exception>
        public static IReadOnlyList<AuditEntry> ReadHistory(string json) => Read<List<AuditEntry>>(json, "history");

        private static T Read<T>(string json, string what)
            where T : class
        {
            ArgumentNullException.ThrowIfNull(json);
            return JsonSerializer.Deserialize<T>(json, Options) ?? throw new JsonException($"The document is null, not a {what}");
        }

        private static JsonSerializerOptions Freeze(JsonSerializerOptions options)
        {
            options.MakeReadOnly(populateMissingResolver: true);
            return options;
        }
    }
}
