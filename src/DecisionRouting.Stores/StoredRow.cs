using System;
using System.Collections.Generic;
using System.Data.Common;
using System.Globalization;
using System.Linq;
using DecisionRouting.Lifecycle;
using NodaTime;
using NodaTime.Text;

namespace DecisionRouting.Stores
{
    /// <summary>
    /// Reads one row's columns as exactly what this code writes, and notes every value that is not. SQLite keeps any
    /// value in any column (a BLOB in a TEXT column, text or a real number in an INTEGER column), and the readers convert
    /// what they find: a BLOB read as text hashes the same as the text it was, yet SQL comparing the column no longer
    /// matches it (<c>WHERE case_id = @id</c> skips it, hiding the entry from <c>proposal history</c>). Text a parser
    /// accepts but this code never writes (<c>' InProgress'</c>, <c>...00.000Z</c>, <c>accepted = 2</c>) reads as the
    /// value it means, and again SQL sees something else. So every value must be what writing the value read would
    /// store: its storage type and, for names, times and flags, its exact text. Every reader of rows uses this, so what
    /// a command reads and what <c>audit verify</c> checks are read the same way.
    /// </summary>
    internal sealed class StoredRow
    {
        private readonly DbDataReader _reader;
        private readonly List<string> _problems;

        /// <summary>A reader of the current row of <paramref name="reader"/>, named <paramref name="row"/> in problems (e.g. "Audit entry 7").</summary>
        public StoredRow(DbDataReader reader, string row, List<string> problems)
        {
            _reader = reader;
            _problems = problems;
            Row = row;
            var last = reader.FieldCount - 1;
            if (string.Equals(reader.GetName(last), OversizeColumn, StringComparison.Ordinal) && reader.GetValue(last) is string oversize && oversize.Length > 0)
            {
                foreach (var found in oversize.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                {
                    var parts = found.Split('=');
                    _oversized[parts[0]] = parts.Length > 1 ? parts[1] : "?";
                }
            }
        }

        /// <summary>
        /// The most bytes (UTF-8) any text value of a row may hold: more than this was never written by decision-routing,
        /// so such a value is damage, reported without being read. A case document is a routing plan, built from a proposal
        /// (at most 4 MiB) and a rule set (at most 64 MiB of rule files), so none comes near it; the other columns hold
        /// names, times, hashes and short reasons. Reading and hashing a value this size needs about 0.5 GB at most.
        /// </summary>
        public const long MaxTextBytes = 128L * 1024 * 1024;

        /// <summary>The name of the column <see cref="Guard"/> adds: the columns over <see cref="MaxTextBytes"/>, as "name=bytes ".</summary>
        private const string OversizeColumn = "oversize";

        private readonly Dictionary<string, string> _oversized = new(StringComparer.Ordinal);

        /// <summary>
        /// A select list for <paramref name="columns"/> (comma-separated names; <c>NULL</c> passes through) in which each
        /// text column of <paramref name="textColumns"/> over <see cref="MaxTextBytes"/> reads as NULL, followed by a column
        /// naming those columns and their sizes, which the <see cref="StoredRow"/> reading the row reports. The size is
        /// taken in SQL (<c>octet_length</c>, which neither SQLite nor PostgreSQL needs the value's text for), so a huge
        /// value in a damaged store is never read into memory.
        /// </summary>
        public static string Guard(string columns, params string[] textColumns)
        {
            var names = columns.Split(',', StringSplitOptions.TrimEntries);
            var guarded = names.Select(c => textColumns.Contains(c, StringComparer.Ordinal) ? $"CASE WHEN octet_length({c}) > {MaxTextBytes} THEN NULL ELSE {c} END AS {c}" : c);
            var sizes = names.Where(c => textColumns.Contains(c, StringComparer.Ordinal))
                .Select(c => $"CASE WHEN octet_length({c}) > {MaxTextBytes} THEN '{c}=' || CAST(octet_length({c}) AS TEXT) || ' ' ELSE '' END");
            return $"{string.Join(", ", guarded)}, {string.Join(" || ", sizes)} AS {OversizeColumn}";
        }

        /// <summary>Whether the column at <paramref name="ordinal"/> was over <see cref="MaxTextBytes"/> (and so not read).</summary>
        public bool Oversized(int ordinal) => _oversized.ContainsKey(_reader.GetName(ordinal));

        /// <summary>How problems name the row, e.g. "Audit entry 7" or "Case 'x''s row (table cases)".</summary>
        public string Row { get; }

        /// <summary>Whether any value of the row cannot be read at all (not merely stored differently).</summary>
        public bool Unreadable { get; private set; }

        /// <summary>The problems noted so far, for every row read through the same list.</summary>
        public IReadOnlyList<string> Problems => _problems;

        /// <summary>The raw value of the column that identifies a row (by default the first), whatever its type, for naming the row in problems.</summary>
        public static string Key(DbDataReader reader, int ordinal = 0) =>
            OversizeOf(reader, reader.GetName(ordinal)) is { } size ? $"[{reader.GetName(ordinal)} of {size} bytes, not read]"
            : reader.IsDBNull(ordinal) ? "NULL" : reader.GetValue(ordinal) switch
            {
                byte[] bytes => Quote(System.Text.Encoding.UTF8.GetString(bytes)),
                string text => Quote(text),
                IFormattable number => number.ToString(null, CultureInfo.InvariantCulture),
                var other => other.ToString() ?? "?",
            };

        /// <summary>
        /// The size <see cref="Guard"/> reported for <paramref name="column"/> when it was too large to read (it then
        /// reads as NULL, which must not name the row as if NULL were its value), else null.
        /// </summary>
        private static string? OversizeOf(DbDataReader reader, string column)
        {
            var last = reader.FieldCount - 1;
            if (!string.Equals(reader.GetName(last), OversizeColumn, StringComparison.Ordinal) || reader.GetValue(last) is not string oversize)
            {
                return null;
            }

            return oversize.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(f => f.Split('=')).FirstOrDefault(p => string.Equals(p[0], column, StringComparison.Ordinal)) is { } found
                ? (found.Length > 1 ? found[1] : "?")
                : null;
        }

        /// <summary>A text column that is never NULL.</summary>
        public string Text(int ordinal) => OptionalText(ordinal, nullable: false) ?? string.Empty;

        /// <summary>A text column that may be NULL.</summary>
        public string? OptionalText(int ordinal) => OptionalText(ordinal, nullable: true);

        /// <summary>An integer column that is never NULL.</summary>
        public long Integer(int ordinal) => OptionalInteger(ordinal, nullable: false) ?? 0;

        /// <summary>An integer column that may be NULL.</summary>
        public long? OptionalInteger(int ordinal) => OptionalInteger(ordinal, nullable: true);

        /// <summary>A flag, written as the integer 0 or 1.</summary>
        public bool Flag(int ordinal)
        {
            var value = Integer(ordinal);
            if (value is not (0 or 1))
            {
                Changed(ordinal, value.ToString(CultureInfo.InvariantCulture), "0 or 1", reads: value != 0 ? "true" : "false");
            }

            return value != 0;
        }

        /// <summary>A moment, written as <see cref="InstantPattern.ExtendedIso"/>; null (and the row unreadable) when it is not one.</summary>
        public Instant? Moment(int ordinal)
        {
            var text = Text(ordinal);
            var parsed = InstantPattern.ExtendedIso.Parse(text);
            // A NUL ends the text for NodaTime's parser, which would drop what follows it without a word.
            if (!parsed.Success || text.Contains('\0', StringComparison.Ordinal))
            {
                Unreadable = true;
                _problems.Add($"{Row}: column {_reader.GetName(ordinal)} holds {Quote(text)}, which is not a time (decision-routing writes ISO 8601 UTC, e.g. 2026-11-30T09:15:00Z): the row was changed by hand. Restore the store from a backup");
                return null;
            }

            var canonical = InstantPattern.ExtendedIso.Format(parsed.Value);
            if (!string.Equals(canonical, text, StringComparison.Ordinal))
            {
                Changed(ordinal, Quote(text), Quote(canonical), reads: canonical);
            }

            return parsed.Value;
        }

        /// <summary>A case state, written by name; null (and the row unreadable) when it is not one.</summary>
        public CaseState? State(int ordinal)
        {
            var text = Text(ordinal);
            var name = ExactState(text);
            if (name is null)
            {
                Unreadable = true;
                _problems.Add($"{Row}: column {_reader.GetName(ordinal)} holds {Quote(text)}, which is not a case state (one of {string.Join(", ", Enum.GetNames<CaseState>())}): the row was changed by hand. Restore the store from a backup");
            }

            return name;
        }

        /// <summary>The state <paramref name="text"/> names exactly as this code writes it (no number, no spaces, same case), or null.</summary>
        public static CaseState? ExactState(string text) =>
            Enum.TryParse<CaseState>(text, out var state) && Enum.IsDefined(state) && string.Equals(state.ToString(), text, StringComparison.Ordinal) ? state : null;

        /// <summary>A value shown in a message: quoted, and cut short if long.</summary>
        public static string Quote(string text) => "'" + (text.Length > 80 ? text[..80] + "…" : text) + "'";

        private string? OptionalText(int ordinal, bool nullable)
        {
            if (_oversized.TryGetValue(_reader.GetName(ordinal), out var size))
            {
                Unreadable = true;
                _problems.Add($"{Row}: column {_reader.GetName(ordinal)} holds {size} bytes, more than the {MaxTextBytes} decision-routing ever writes there (see the case store's size limits): the row was changed by hand, and the value was not read. Restore the store from a backup");
                return string.Empty;
            }

            var value = _reader.GetValue(ordinal);
            switch (value)
            {
                case string text:
                    return text;
                case DBNull when nullable:
                    return null;
                case byte[] bytes:
                    // What the readers used to read from a BLOB: the same text, so the same hash.
                    var read = System.Text.Encoding.UTF8.GetString(bytes);
                    WrongType(ordinal, $"a BLOB ({Quote(read)})", "text");
                    return read;
                case DBNull:
                    WrongType(ordinal, "NULL", "text");
                    return string.Empty;
                default:
                    var shown = Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty;
                    WrongType(ordinal, $"{TypeName(value)} ({shown})", "text");
                    return shown;
            }
        }

        private long? OptionalInteger(int ordinal, bool nullable)
        {
            var value = _reader.GetValue(ordinal);
            switch (value)
            {
                case long number:
                    return number;
                case int number:
                    return number;
                case DBNull when nullable:
                    return null;
                case DBNull:
                    WrongType(ordinal, "NULL", "an integer");
                    return 0;
                case double real when real >= long.MinValue && real <= long.MaxValue:
                    // What GetInt64 used to read from it: the number cut to an integer.
                    WrongType(ordinal, $"a real number ({real.ToString("R", CultureInfo.InvariantCulture)})", "an integer");
                    return (long)real;
                case string text when long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed):
                    WrongType(ordinal, $"text ({Quote(text)})", "an integer");
                    return parsed;
                default:
                    Unreadable = true;
                    WrongType(ordinal, (value is byte[]) ? "a BLOB" : $"{TypeName(value)} ({Convert.ToString(value, CultureInfo.InvariantCulture)})", "an integer");
                    return 0;
            }
        }

        private void WrongType(int ordinal, string found, string expected) =>
            _problems.Add($"{Row}: column {_reader.GetName(ordinal)} holds {found}, but decision-routing only writes {expected} there: the row was changed by hand, and SQL comparing that column no longer sees the value that is read and hashed (a query by it, such as 'proposal history' by case_id, can miss the row). Restore the store from a backup");

        private void Changed(int ordinal, string found, string written, string reads) =>
            _problems.Add($"{Row}: column {_reader.GetName(ordinal)} holds {found}, which reads as {reads} but is not what decision-routing writes ({written}): the row was changed by hand, and SQL comparing that column no longer sees the value that is read and hashed. Restore the store from a backup");

        private static string TypeName(object value) => value switch
        {
            string => "text",
            long or int or short => "an integer",
            double or float or decimal => "a real number",
            byte[] => "a BLOB",
            _ => $"a {value.GetType().Name}",
        };
    }

    /// <summary>
    /// A case row as every reader of it reads it (<see cref="RelationalProposalStore.FindAsync"/> for status and fire, the
    /// snapshot <c>audit verify</c> checks): each column strictly (<see cref="StoredRow"/>), and each column that repeats
    /// part of the document (id, proposal_id, rule_set_hash, state, version) against the document. The lifecycle reads only
    /// the document, but any SQL consumer of the store reads the columns, so a column that disagrees is damage, named by
    /// case and column the same way wherever it is found.
    /// </summary>
    internal sealed record CaseRow(string Id, string Document, ProposalCase? Case, Instant? UpdatedAt, long? ChainLength, string? ChainHash, string? ChainDocumentHash)
    {
        /// <summary>
        /// The columns too large to read (<see cref="StoredRow.Oversized"/>): each reads as empty, so nothing may be
        /// compared or hashed from it; the reason is already among the problems.
        /// </summary>
        public IReadOnlyList<string> NotRead { get; init; } = [];

        /// <summary>The columns <see cref="Read"/> expects, in order; the chain columns only in a format 2 store.</summary>
        public const string Columns = "id, proposal_id, rule_set_hash, state, version, document, updated_at";

        /// <summary>The text columns of a case row, for <see cref="StoredRow.Guard"/>.</summary>
        public static readonly string[] TextColumns = ["id", "proposal_id", "rule_set_hash", "state", "document", "updated_at", "chain_hash", "chain_doc_hash"];

        /// <summary><paramref name="columns"/> selected with every text column's size checked first (<see cref="StoredRow.Guard"/>).</summary>
        public static string Select(string columns) => StoredRow.Guard(columns, TextColumns);

        /// <summary>The format 2 chain columns that follow <see cref="Columns"/>.</summary>
        public const string ChainColumns = "chain_seq, chain_hash, chain_doc_hash";

        /// <summary>Reads the current row (<see cref="Columns"/>, then <see cref="ChainColumns"/> if <paramref name="chainColumns"/>), adding what is wrong with it to <paramref name="problems"/>.</summary>
        public static CaseRow Read(DbDataReader reader, bool chainColumns, List<string> problems)
        {
            var row = new StoredRow(reader, $"Case {StoredRow.Key(reader)}'s row (table cases)", problems);
            var id = row.Text(0);
            var proposal = row.Text(1);
            var ruleSetHash = row.Text(2);
            var state = row.Text(3);
            var version = row.Integer(4);
            var document = row.Text(5);
            var updatedAt = row.Moment(6);
            long? length = null;
            string? hash = null, documentHash = null;
            if (chainColumns)
            {
                length = row.Integer(7);
                hash = row.Text(8);
                documentHash = row.OptionalText(9);
            }

            ProposalCase? read = null;
            try
            {
                read = row.Oversized(5) ? null : CaseJson.Read(document);
            }
            catch (CorruptCaseException e)
            {
                problems.Add($"Case {(row.Oversized(0) ? StoredRow.Key(reader) : StoredRow.Quote(id))} is damaged: its document cannot be read ({e.Message}). Restore the store from a backup");
            }

            // A column too large to read reads as empty: it is reported above, and never compared or shown as ''.
            var named = row.Oversized(0) ? StoredRow.Key(reader) : StoredRow.Quote(id);
            if (read is not null)
            {
                Disagrees(0, "id", StoredRow.Quote(id), StoredRow.Quote(read.Id), string.Equals(id, read.Id, StringComparison.Ordinal));
                Disagrees(4, "version", version.ToString(CultureInfo.InvariantCulture), read.Version.ToString(CultureInfo.InvariantCulture), version == read.Version);
                Disagrees(3, "state", StoredRow.Quote(state), StoredRow.Quote(read.State.ToString()), string.Equals(state, read.State.ToString(), StringComparison.Ordinal));
                Disagrees(1, "proposal_id", StoredRow.Quote(proposal), StoredRow.Quote(read.Plan.ProposalId), string.Equals(proposal, read.Plan.ProposalId, StringComparison.Ordinal));
                Disagrees(2, "rule_set_hash", StoredRow.Quote(ruleSetHash), StoredRow.Quote(read.Plan.RuleSetHash), string.Equals(ruleSetHash, read.Plan.RuleSetHash, StringComparison.Ordinal));
            }

            var notRead = Enumerable.Range(0, reader.FieldCount).Where(row.Oversized).Select(reader.GetName).ToList();
            return new CaseRow(id, document, read, updatedAt, length, hash, documentHash) { NotRead = notRead };

            void Disagrees(int ordinal, string column, string inRow, string inDocument, bool agree)
            {
                if (!agree && !row.Oversized(ordinal))
                {
                    problems.Add($"Case {named} is damaged: its row's column {column} is {inRow}, but its document says {inDocument}: the row was changed outside the lifecycle. Unless its document is reported changed too, set {column} back to {inDocument}; otherwise restore the store from a backup");
                }
            }
        }
    }
}
