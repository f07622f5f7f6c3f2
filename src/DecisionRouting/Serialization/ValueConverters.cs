using System;
using System.Text.Json;
using System.Text.Json.Serialization;
using DecisionRouting.Text;
using NodaTime;
using NodaTime.Serialization.SystemTextJson;
using NodaTime.Text;

namespace DecisionRouting.Serialization
{
    // Property-level converters: each contract property names its own, so a document is written the same way whatever
    // options the caller passes (an app that never called Configure, a naming policy, a different enum setting).

    /// <summary>A day as ISO 8601 <c>yyyy-MM-dd</c>, e.g. <c>2026-03-04</c>.</summary>
    internal sealed class IsoDateConverter : JsonConverter<LocalDate>
    {
        public override LocalDate Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            NodaConverters.LocalDateConverter.Read(ref reader, typeToConvert, options);

        public override void Write(Utf8JsonWriter writer, LocalDate value, JsonSerializerOptions options) =>
            NodaConverters.LocalDateConverter.Write(writer, value, options);
    }

    /// <summary>An instant in UTC, ISO 8601 with <c>Z</c> and only the fraction it has, e.g. <c>2026-03-04T10:15:00Z</c>.</summary>
    internal sealed class UtcInstantConverter : JsonConverter<Instant>
    {
        public override Instant Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            NodaConverters.InstantConverter.Read(ref reader, typeToConvert, options);

        public override void Write(Utf8JsonWriter writer, Instant value, JsonSerializerOptions options) =>
            NodaConverters.InstantConverter.Write(writer, value, options);
    }

    /// <summary>
    /// A moment on London's clock with its offset, always written as <c>+HH:mm</c> (<c>2013-07-22T13:00:00+01:00</c>,
    /// <c>2018-01-22T13:00:00+00:00</c>): an officer reads the wall-clock time, a program the exact instant. Reads
    /// <c>Z</c> as well.
    /// </summary>
    internal sealed class LondonMomentConverter : JsonConverter<OffsetDateTime>
    {
        private static readonly OffsetDateTimePattern Lenient = OffsetDateTimePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd'T'HH':'mm':'ss;FFFFFFFFFo<G>");

        public override OffsetDateTime Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            var text = reader.TokenType == JsonTokenType.String ? reader.GetString()! : throw new JsonException($"Expected a date and time with offset as a string, not {reader.TokenType}");
            var parsed = Lenient.Parse(text);
            return parsed.Success ? parsed.Value : throw new JsonException($"'{text}' is not a date and time with an offset (yyyy-MM-ddTHH:mm:ss+HH:mm)", parsed.Exception);
        }

        public override void Write(Utf8JsonWriter writer, OffsetDateTime value, JsonSerializerOptions options) =>
            writer.WriteStringValue(DateText.IsoMoment.Format(value));
    }

    /// <summary>A time of day as <c>HH:mm</c> (a period's cut-off, e.g. <c>13:00</c>).</summary>
    internal sealed class HourMinuteConverter : JsonConverter<LocalTime>
    {
        private static readonly LocalTimePattern Pattern = LocalTimePattern.CreateWithInvariantCulture("HH':'mm");

        public override LocalTime Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            var text = reader.TokenType == JsonTokenType.String ? reader.GetString()! : throw new JsonException($"Expected a time of day as a string, not {reader.TokenType}");
            var parsed = NodaText.Parse(Pattern, text);
            return parsed.Success ? parsed.Value : throw new JsonException($"'{text}' is not a time of day written HH:mm", parsed.Exception);
        }

        public override void Write(Utf8JsonWriter writer, LocalTime value, JsonSerializerOptions options) =>
            writer.WriteStringValue(Pattern.Format(value));
    }

    /// <summary>An enum by its name, exactly as declared; numbers are refused on reading, so a renumbering cannot misread.</summary>
    internal sealed class EnumNameConverter<TEnum> : JsonStringEnumConverter<TEnum>
        where TEnum : struct, Enum
    {
        public EnumNameConverter()
            : base(namingPolicy: null, allowIntegerValues: false)
        {
        }
    }
}
