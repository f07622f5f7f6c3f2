using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using DecisionRouting.Text;
using NodaTime;
using NodaTime.Text;

namespace DecisionRouting.Lifecycle
{
    /// <summary>
    /// A store's audit trail summed up at one point, for publishing or witnessing outside the database (on the decision
    /// notice, in a separate append-only file, in an email to the monitoring officer). <see cref="Root"/> is a SHA-256
    /// over every case chain's newest entry at or below <see cref="Sequence"/>, so each entry up to that point is
    /// covered through its chain. A later trail extends the head when recomputing the root from its entries up to
    /// <see cref="Sequence"/> gives the same value: removing, changing, reordering or recomputing anything up to that
    /// point, or removing the trail's end back past it, changes the root or loses entries.
    /// </summary>
    /// <param name="Sequence">The store-wide sequence the head was taken at: every entry at or below it is covered.</param>
    /// <param name="Entries">How many entries are at or below <see cref="Sequence"/>.</param>
    /// <param name="Cases">How many cases have entries at or below <see cref="Sequence"/>.</param>
    /// <param name="Root">The root hash, 64 lower-case hex digits.</param>
    /// <param name="At">When the head was taken (the clock; informational, not covered by the root).</param>
    public sealed record AuditHead(long Sequence, long Entries, long Cases, string Root, Instant At)
    {
        /// <summary>The first word of the text form, naming the format.</summary>
        public const string TextPrefix = "decision-routing-audit-head/2";

        /// <summary>
        /// The single-line text form: <c>decision-routing-audit-head/2 seq=1234 entries=1200 cases=30 root=&lt;64 hex&gt; at=2026-11-29T21:30:00Z</c>.
        /// </summary>
        public override string ToString() => string.Create(
            CultureInfo.InvariantCulture,
            $"{TextPrefix} seq={Sequence} entries={Entries} cases={Cases} root={Root} at={InstantPattern.General.Format(At)}");

        /// <summary>The JSON form: <c>{"format", "sequence", "entries", "cases", "root", "at"}</c>.</summary>
        public string ToJson() => JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["format"] = TextPrefix,
            ["sequence"] = Sequence,
            ["entries"] = Entries,
            ["cases"] = Cases,
            ["root"] = Root,
            ["at"] = InstantPattern.General.Format(At),
        });

        /// <summary>Reads a head from its text form (<see cref="ToString"/>) or its JSON form (<see cref="ToJson"/>).</summary>
        /// <exception cref="FormatException">Neither form, or a value missing or malformed; the message says which.</exception>
        public static AuditHead Parse(string text)
        {
            ArgumentNullException.ThrowIfNull(text);
            var trimmed = text.Trim();
            var fields = new Dictionary<string, string>(StringComparer.Ordinal);
            if (trimmed.StartsWith('{'))
            {
                try
                {
                    using var json = JsonDocument.Parse(trimmed);
                    foreach (var property in json.RootElement.EnumerateObject())
                    {
                        fields[property.Name == "sequence" ? "seq" : property.Name] = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString()! : property.Value.GetRawText();
                    }
                }
                catch (JsonException e)
                {
                    throw new FormatException($"The audit head is not valid JSON: {e.Message}", e);
                }

                if (!fields.TryGetValue("format", out var format) || format != TextPrefix)
                {
                    throw new FormatException($"The audit head's \"format\" must be \"{TextPrefix}\"");
                }
            }
            else
            {
                var words = trimmed.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (words.Length == 0 || words[0] != TextPrefix)
                {
                    throw new FormatException($"An audit head starts with '{TextPrefix}' (as 'audit head' prints it), or is its JSON form");
                }

                foreach (var word in words.Skip(1))
                {
                    var equals = word.IndexOf('=', StringComparison.Ordinal);
                    if (equals <= 0)
                    {
                        throw new FormatException($"'{word}' in the audit head is not name=value");
                    }

                    fields[word[..equals]] = word[(equals + 1)..];
                }
            }

            var root = Field(fields, "root");
            if (root.Length != 64 || !root.All(Uri.IsHexDigit))
            {
                throw new FormatException("The audit head's root must be 64 hex digits");
            }

            var at = NodaText.Parse(InstantPattern.General, Field(fields, "at"));
            if (!at.Success)
            {
                throw new FormatException("The audit head's time (at) must be a UTC time such as 2026-11-29T21:30:00Z");
            }

            return new AuditHead(Number(fields, "seq"), Number(fields, "entries"), Number(fields, "cases"), root.ToLowerInvariant(), at.Value);
        }

        /// <summary>
        /// The root over case chain heads: SHA-256 of the sequence, the entry count and, for each case in ordinal order of
        /// its id, the id, the head's place in the case chain and its hash, each length-prefixed.
        /// </summary>
        public static string ComputeRoot(long sequence, long entries, IEnumerable<(string CaseId, long CaseSequence, string Hash)> caseHeads)
        {
            ArgumentNullException.ThrowIfNull(caseHeads);
            var text = new StringBuilder("decision-routing audit root/2");
            void Add(string value) => text.Append('|').Append(value.Length.ToString(CultureInfo.InvariantCulture)).Append(':').Append(value);
            Add(sequence.ToString(CultureInfo.InvariantCulture));
            Add(entries.ToString(CultureInfo.InvariantCulture));
            foreach (var (caseId, caseSequence, hash) in caseHeads.OrderBy(h => h.CaseId, StringComparer.Ordinal))
            {
                Add(caseId);
                Add(caseSequence.ToString(CultureInfo.InvariantCulture));
                Add(hash);
            }

            return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString()))).ToLowerInvariant();
        }

        private static string Field(Dictionary<string, string> fields, string name) =>
            fields.TryGetValue(name, out var value) ? value : throw new FormatException($"The audit head has no '{name}'");

        private static long Number(Dictionary<string, string> fields, string name) =>
            long.TryParse(Field(fields, name), NumberStyles.None, CultureInfo.InvariantCulture, out var value)
                ? value
                : throw new FormatException($"The audit head's '{name}' must be a whole number of 0 or more, written in digits only");
    }
}
