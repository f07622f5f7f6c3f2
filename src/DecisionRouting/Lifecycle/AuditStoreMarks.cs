using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace DecisionRouting.Lifecycle
{
    /// <summary>
    /// What a store records about its audit trail as a whole (its <c>store_meta</c> table), so that
    /// <see cref="AuditChain"/> can tell a trail that was always old or unkeyed from one rewritten to look like it:
    /// <list type="bullet">
    /// <item><see cref="FormatTwoFromName"/>: the store-wide sequence from which every entry is in audit format 2 (set once,
    /// when the store is created or migrated). An entry at or after it in format 1 was rewritten (a downgrade).</item>
    /// <item><see cref="KeyMarkName"/>: written by the first keyed write (<see cref="AuditKeyMark"/>): the key's id, the
    /// first keyed entry and the format 2 starting point, under an HMAC with the key, so someone without the key can
    /// neither move nor forge it. With the key, an unkeyed entry after it was rewritten.</item>
    /// </list>
    /// </summary>
    /// <param name="HasFormatTwoColumns">Whether the audit table has the format 2 columns (<c>case_seq</c> and the rest).</param>
    /// <param name="Meta">The <c>store_meta</c> rows by name; null when the table does not exist.</param>
    public sealed record AuditStoreMarks(bool HasFormatTwoColumns, IReadOnlyDictionary<string, string>? Meta)
    {
        /// <summary>The <c>store_meta</c> row naming the schema version ("2").</summary>
        public const string SchemaVersionName = "schema_version";

        /// <summary>The <c>store_meta</c> row giving the store-wide sequence from which every entry is in format 2 (decimal).</summary>
        public const string FormatTwoFromName = "audit_format2_from";

        /// <summary>The <c>store_meta</c> row holding the <see cref="AuditKeyMark"/> text.</summary>
        public const string KeyMarkName = "audit_key_mark";

        /// <summary>Nothing recorded: a store that does not exist, or one that keeps no such record.</summary>
        public static AuditStoreMarks None { get; } = new(false, null);
    }

    /// <summary>
    /// The record that a store's trail became keyed: the key's <see cref="AuditKey.Id"/>, the store-wide sequence of the
    /// first keyed entry, the format 2 starting point, and an HMAC-SHA256 of all three under the key. Text form:
    /// <c>1;&lt;key id&gt;;&lt;keyed from&gt;;&lt;format 2 from or -&gt;;&lt;mac, 64 hex&gt;</c>.
    /// </summary>
    /// <param name="KeyId">The key's fingerprint.</param>
    /// <param name="KeyedFrom">The store-wide sequence of the first keyed entry: entries before it may be unkeyed.</param>
    /// <param name="FormatTwoFrom">The format 2 starting point when the mark was written, if the store recorded one.</param>
    /// <param name="Mac">HMAC-SHA256 (lower-case hex) of the other fields under the key.</param>
    public sealed record AuditKeyMark(string KeyId, long KeyedFrom, long? FormatTwoFrom, string Mac)
    {
        /// <summary>The mark for <paramref name="key"/>, with its HMAC computed.</summary>
        public static AuditKeyMark Create(AuditKey key, long keyedFrom, long? formatTwoFrom)
        {
            ArgumentNullException.ThrowIfNull(key);
            return new AuditKeyMark(key.Id, keyedFrom, formatTwoFrom, key.Hash(Canonical(key.Id, keyedFrom, formatTwoFrom)));
        }

        /// <summary>Reads the text form; null when it is not one.</summary>
        public static AuditKeyMark? TryParse(string text)
        {
            ArgumentNullException.ThrowIfNull(text);
            var parts = text.Split(';');
            if (parts.Length != 5 || parts[0] != "1" || parts[1].Length == 0 || parts[4].Length != 64
                || !long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var keyedFrom))
            {
                return null;
            }

            long? formatTwoFrom = null;
            if (parts[3] != "-")
            {
                if (!long.TryParse(parts[3], NumberStyles.None, CultureInfo.InvariantCulture, out var from))
                {
                    return null;
                }

                formatTwoFrom = from;
            }

            return new AuditKeyMark(parts[1], keyedFrom, formatTwoFrom, parts[4]);
        }

        /// <summary>Whether <see cref="Mac"/> is right under <paramref name="key"/> (false for another key).</summary>
        public bool IsValidFor(AuditKey key)
        {
            ArgumentNullException.ThrowIfNull(key);
            return string.Equals(KeyId, key.Id, StringComparison.Ordinal)
                && string.Equals(Mac, key.Hash(Canonical(KeyId, KeyedFrom, FormatTwoFrom)), StringComparison.Ordinal);
        }

        /// <summary>The text form, as stored.</summary>
        public override string ToString() =>
            string.Join(';', "1", KeyId, KeyedFrom.ToString(CultureInfo.InvariantCulture), FormatTwoFrom?.ToString(CultureInfo.InvariantCulture) ?? "-", Mac);

        private static byte[] Canonical(string keyId, long keyedFrom, long? formatTwoFrom) =>
            Encoding.UTF8.GetBytes($"decision-routing audit key mark/1|{keyId.Length}:{keyId}|{keyedFrom.ToString(CultureInfo.InvariantCulture)}|{formatTwoFrom?.ToString(CultureInfo.InvariantCulture) ?? "-"}");
    }
}
