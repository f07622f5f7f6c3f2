using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using DecisionRouting.Diagnostics;
using DecisionRouting.Json;
using DecisionRouting.RuleSets;
using DecisionRouting.Text;

namespace DecisionRouting.Proposals
{
    /// <summary>The outcome of reading a proposal: the proposal, or the diagnostics that say why not.</summary>
    /// <param name="Proposal">The proposal, when it is valid.</param>
    /// <param name="Diagnostics">Every problem found, with file, line and column.</param>
    public sealed record ProposalReadResult(Proposal? Proposal, IReadOnlyList<RuleDiagnostic> Diagnostics)
    {
        /// <summary>Whether the proposal was read without errors.</summary>
        public bool Succeeded => Proposal is not null;
    }

    /// <summary>
    /// Reads a proposal from JSON strictly: unknown fields, wrong types, missing required fields and out-of-range
    /// values are errors with their position, using the same checks and IDs as rule files.
    /// </summary>
    public static class ProposalReader
    {
        /// <summary>Reads a proposal file. A missing file is reported as a diagnostic, not an exception.</summary>
        /// <remarks>
        /// Only a regular file is read, and only up to <see cref="RuleSetReadOptions.DefaultMaxFileBytes"/>: a pipe, a
        /// device or a file over the limit is DR0062, an unreadable or missing one DR0079, never an exception or a hang.
        /// </remarks>
        public static ProposalReadResult ReadFile(string path) => ReadFile(path, root: null);

        /// <summary>
        /// Reads a proposal file whose real path (symbolic links followed) must be inside <paramref name="root"/>, if
        /// given (a full path): a link leading out of a batch folder is refused (DR0062), as are pipes, devices and
        /// files over <see cref="RuleSetReadOptions.DefaultMaxFileBytes"/>.
        /// </summary>
        /// <param name="path">The proposal file.</param>
        /// <param name="root">The folder it must really be inside, or null for none.</param>
        public static ProposalReadResult ReadFile(string path, string? root) =>
            ReadFile(path, p => SafeFile.ReadText(p, root, RuleSetReadOptions.DefaultMaxFileBytes));

        /// <summary>
        /// <see cref="ReadFile(string, string?)"/> for a file listed in <paramref name="folder"/> (a batch), whose real
        /// path is resolved once for every file in it rather than once per file.
        /// </summary>
        internal static ProposalReadResult ReadFile(string path, ResolvedFolder folder) =>
            ReadFile(path, p => SafeFile.ReadText(p, folder, RuleSetReadOptions.DefaultMaxFileBytes));

        private static ProposalReadResult ReadFile(string path, Func<string, string?> readText)
        {
            var bag = new DiagnosticBag();
            string? text;
            try
            {
                text = readText(path);
            }
            catch (RuleFileRefusedException e)
            {
                bag.Report(DiagnosticDescriptors.FileRefused, SourceLocation.ForPath(path), Path.GetFileName(path), e.Reason);
                return new ProposalReadResult(null, bag.Items);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                bag.Report(DiagnosticDescriptors.ProposalFileUnreadable, SourceLocation.ForPath(path), $"Proposal file '{path}' cannot be read: {e.Message}");
                return new ProposalReadResult(null, bag.Items);
            }

            if (text is null || Directory.Exists(path))
            {
                bag.Report(DiagnosticDescriptors.ProposalFileUnreadable, SourceLocation.ForPath(path), $"Proposal file '{path}' does not exist");
                return new ProposalReadResult(null, bag.Items);
            }

            return Read(path, text);
        }

        /// <summary>
        /// Reads a proposal from a stream (an HTTP request body, a blob), with the same checks and diagnostics as
        /// <see cref="ReadFile(string)"/>: each problem is a diagnostic naming <paramref name="path"/> with its line and
        /// column, never an exception. The stream is read as UTF-8 (a byte-order mark is skipped) up to
        /// <see cref="RuleSetReadOptions.DefaultMaxFileBytes"/>; a longer stream is refused (DR0062) after reading one byte past the limit, so an
        /// endless stream cannot exhaust memory. A stream that fails while it is read is DR0079. The stream is not closed.
        /// </summary>
        /// <param name="stream">The proposal's JSON.</param>
        /// <param name="path">The name diagnostics give it, e.g. the upload's file name or <c>request</c>.</param>
        /// <param name="cancellationToken">Stops the read.</param>
        /// <returns>The proposal, or the diagnostics that say why not.</returns>
        /// <exception cref="ArgumentNullException"><paramref name="stream"/> or <paramref name="path"/> is null.</exception>
        /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled; nothing is returned.</exception>
        public static Task<ProposalReadResult> ReadAsync(Stream stream, string path, CancellationToken cancellationToken = default) =>
            ReadAsync(stream, path, RuleSetReadOptions.DefaultMaxFileBytes, cancellationToken);

        /// <summary>The stream reader with its limit given, in bytes: tests pass a small one.</summary>
        internal static async Task<ProposalReadResult> ReadAsync(Stream stream, string path, long maxBytes, CancellationToken cancellationToken)
        {
            ArgumentNullException.ThrowIfNull(stream);
            ArgumentNullException.ThrowIfNull(path);
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxBytes);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(maxBytes, Array.MaxLength - 1);
            cancellationToken.ThrowIfCancellationRequested();
            using var buffer = new MemoryStream();
            var chunk = new byte[81920];
            try
            {
                int n;
                while ((n = await stream.ReadAsync(chunk.AsMemory(0, (int)Math.Min(chunk.Length, maxBytes + 1 - buffer.Length)), cancellationToken).ConfigureAwait(false)) > 0)
                {
                    buffer.Write(chunk, 0, n);
                    if (buffer.Length > maxBytes)
                    {
                        var bag = new DiagnosticBag();
                        bag.Report(DiagnosticDescriptors.FileRefused, SourceLocation.ForPath(path), path, $"it is longer than the limit of {maxBytes:N0} bytes");
                        return new ProposalReadResult(null, bag.Items);
                    }
                }
            }
            catch (Exception e) when ((e is IOException or UnauthorizedAccessException or ObjectDisposedException or NotSupportedException) && !cancellationToken.IsCancellationRequested)
            {
                var bag = new DiagnosticBag();
                bag.Report(DiagnosticDescriptors.ProposalFileUnreadable, SourceLocation.ForPath(path), $"Proposal '{path}' cannot be read: {e.Message}");
                return new ProposalReadResult(null, bag.Items);
            }

            buffer.Position = 0;
            using var reader = new StreamReader(buffer, new UTF8Encoding(false), detectEncodingFromByteOrderMarks: true, leaveOpen: true);
            return Read(path, await reader.ReadToEndAsync(cancellationToken).ConfigureAwait(false));
        }

        /// <summary>Reads a proposal from JSON text; <paramref name="path"/> is used in diagnostics.</summary>
        public static ProposalReadResult Read(string path, string json)
        {
            var diagnostics = new DiagnosticBag();
            var document = new SourceDocument(path, json);
            var root = ParsedDocument.Parse(document, diagnostics);
            if (root is not null)
            {
                CheckSizes(root, diagnostics);
            }

            var proposal = root is null || diagnostics.HasErrors ? null : Bind(root, diagnostics);
            return diagnostics.HasErrors
                ? new ProposalReadResult(null, diagnostics.ToSortedList())
                : new ProposalReadResult(proposal, diagnostics.ToSortedList());
        }

        /// <summary>The most any text field may hold, in characters.</summary>
        public const int MaxTextLength = Expressions.ProposalLimits.MaxTextLength;

        /// <summary>The most entries any list or map in a proposal may hold (partners, attributes, schedule).</summary>
        public const int MaxEntries = Expressions.ProposalLimits.MaxEntries;

        /// <summary>
        /// Rules walk the proposal's lists, so their size bounds what routing can cost; a proposal is a report's facts,
        /// and nothing in one comes near these limits.
        /// </summary>
        private static void CheckSizes(JsonNode node, DiagnosticBag diagnostics)
        {
            switch (node)
            {
                case JsonString text when text.Value.Length > MaxTextLength:
                    diagnostics.Report(DiagnosticDescriptors.ProposalTooLarge, text.Location, $"Text of {text.Value.Length} characters is longer than the {MaxTextLength} a proposal field may hold");
                    break;
                case JsonArray array:
                    if (array.Items.Length > MaxEntries)
                    {
                        diagnostics.Report(DiagnosticDescriptors.ProposalTooLarge, array.Location, $"A list of {array.Items.Length} entries is longer than the {MaxEntries} a proposal may hold");
                        return;
                    }

                    foreach (var item in array.Items)
                    {
                        CheckSizes(item, diagnostics);
                    }

                    break;
                case JsonObject obj:
                    if (obj.Properties.Length > MaxEntries)
                    {
                        diagnostics.Report(DiagnosticDescriptors.ProposalTooLarge, obj.Location, $"An object with {obj.Properties.Length} properties is larger than the {MaxEntries} a proposal may hold");
                        return;
                    }

                    foreach (var property in obj.Properties)
                    {
                        CheckSizes(property.Value, diagnostics);
                    }

                    break;
            }
        }

        private static Proposal? Bind(JsonNode root, DiagnosticBag diagnostics)
        {
            if (ObjectReader.For(root, "proposal", "proposal", diagnostics) is not { } r)
            {
                return null;
            }

            r.Allow("$schema", "description");
            var id = r.Name("id");
            if (id is not null)
            {
                // The id becomes the case id, recorded in the audit trail and printed on history and status lines.
                NameCharacters.Check(id.Value, "Proposal id", i => id.LocateInValue(i, 1), diagnostics);
            }

            var title = r.Name("title");
            var organisation = r.String("organisation");
            var partners = r.StringArray("partners").Select(p => p.Value).ToList();
            var decisionMaker = r.Enum<DecisionMaker>("decisionMaker", required: true);
            var date = r.Date("intendedDecisionDate", required: true);
            var kinds = ReadKinds(r, diagnostics);
            var commitment = Money(r, "financialCommitment");
            var savings = Money(r, "savings");
            var wards = r.Int32("wardsAffected", minimum: 0) ?? 0;
            var allWards = r.Boolean("allWards") ?? false;
            var significant = r.Boolean("significantEffectOnCommunities") ?? false;
            var staff = r.Int32("staffAffected", minimum: 0) ?? 0;
            var redundancies = r.Int32("proposedRedundancies", minimum: 0) ?? 0;
            var tupe = r.Boolean("tupeTransfer") ?? false;
            var exempt = ReadExemptParagraphs(r, diagnostics);
            var urgent = r.Boolean("urgent") ?? false;
            var noticeImpracticable = r.Boolean("noticeImpracticable");
            var callInExempt = r.Boolean("callInExempt");
            var decidedAt = r.Enum<DecisionSetting>("decidedAt");
            var statutoryRoles = ReadStatutoryRoles(r, diagnostics);
            var urgencyReason = r.String("urgencyReason");
            var budget = r.Boolean("affectsBudgetAndPolicyFramework") ?? false;
            var health = r.Boolean("substantialVariationOfHealthServices") ?? false;
            var binding = r.Boolean("legallyBinding") ?? false;
            var attributes = ReadAttributes(r, diagnostics);
            var schedule = ReadSchedule(r, diagnostics);
            r.Finish();

            if (redundancies > staff && r.Property("proposedRedundancies") is { } red)
            {
                diagnostics.Report(DiagnosticDescriptors.InvalidProposal, red.Value.Location, $"proposedRedundancies ({redundancies}) cannot exceed staffAffected ({staff})");
            }

            if (decidedAt is { } setting && decisionMaker is { } maker && !CanDecide(maker, setting) && r.Property("decidedAt") is { } at)
            {
                diagnostics.Report(
                    DiagnosticDescriptors.InvalidValue,
                    at.Value.Location,
                    setting == DecisionSetting.Individual
                        ? $"'decidedAt' is Individual, but the decision-maker {maker} is a body, which decides at a meeting; leave decidedAt out, or name the Leader, a cabinet member or an officer as the decision-maker"
                        : $"'decidedAt' is Meeting, but an officer decides alone under delegation, not at a meeting; leave decidedAt out, or name the body that meets as the decision-maker");
            }

            if (id is null || title is null || decisionMaker is null || date is null || kinds is null || diagnostics.HasErrors)
            {
                return null;
            }

            var proposal = new Proposal
            {
                Id = id.Value,
                Title = title.Value,
                Organisation = organisation,
                Partners = partners,
                DecisionMaker = decisionMaker.Value,
                IntendedDecisionDate = date.Value,
                Kinds = kinds,
                FinancialCommitment = commitment,
                Savings = savings,
                WardsAffected = wards,
                AllWards = allWards,
                SignificantEffectOnCommunities = significant,
                StaffAffected = staff,
                ProposedRedundancies = redundancies,
                TupeTransfer = tupe,
                ExemptParagraphs = exempt,
                Urgent = urgent,
                DecidedAt = decidedAt,
                StatutoryRoles = statutoryRoles,
                UrgencyReason = urgencyReason,
                AffectsBudgetAndPolicyFramework = budget,
                SubstantialVariationOfHealthServices = health,
                LegallyBinding = binding,
                Attributes = attributes,
                Schedule = schedule,
            };

            // Only what the proposal gives is set: an absent one stays "not given", so it follows urgent and the plan warns.
            if (noticeImpracticable is { } notice)
            {
                proposal = proposal with { NoticeImpracticable = notice };
            }

            if (callInExempt is { } callInExemptGiven)
            {
                proposal = proposal with { CallInExempt = callInExemptGiven };
            }

            return proposal;
        }

        private static List<ProposalKind>? ReadKinds(ObjectReader r, DiagnosticBag diagnostics)
        {
            var array = r.Array("kinds", required: true);
            if (array is null)
            {
                return null;
            }

            if (array.Items.Length == 0)
            {
                diagnostics.Report(DiagnosticDescriptors.InvalidProposal, array.Location, "'kinds' must name at least one kind of proposal");
                return null;
            }

            var kinds = new List<ProposalKind>();
            foreach (var node in r.StringArray("kinds"))
            {
                if (ObjectReader.ParseEnum<ProposalKind>(node, "proposal kind", diagnostics) is { } kind && !kinds.Contains(kind))
                {
                    kinds.Add(kind);
                }
            }

            return kinds;
        }

        /// <summary>
        /// A body decides at a meeting; an officer decides alone. The Leader and a cabinet member decide alone by default
        /// but may decide at a meeting (an individual member's public decision meeting).
        /// </summary>
        /// <summary>Whether <paramref name="maker"/> can decide in <paramref name="setting"/>: what a proposal may say (rule-set analysis builds only such proposals).</summary>
        internal static bool CanDecide(DecisionMaker maker, DecisionSetting setting) => setting switch
        {
            DecisionSetting.Individual => maker is DecisionMaker.Leader or DecisionMaker.CabinetMember or DecisionMaker.Officer,
            _ => maker != DecisionMaker.Officer,
        };

        private static IReadOnlyList<StatutoryRole> ReadStatutoryRoles(ObjectReader r, DiagnosticBag diagnostics)
        {
            var roles = new List<StatutoryRole>();
            foreach (var node in r.StringArray("statutoryRoles"))
            {
                if (ObjectReader.ParseEnum<StatutoryRole>(node, "statutory role", diagnostics) is { } role && !roles.Contains(role))
                {
                    roles.Add(role);
                }
            }

            return roles;
        }

        private static decimal Money(ObjectReader r, string name)
        {
            var property = r.Property(name);
            if (property is null || property.Value.Kind == JsonKind.Null)
            {
                return 0m;
            }

            if (property.Value is not JsonNumber number || !number.TryGetDecimal(out var value))
            {
                r.Diagnostics.Report(DiagnosticDescriptors.WrongValueType, property.Value.Location, name, "a number of pounds", property.Value.KindInWords);
                return 0m;
            }

            if (value < 0)
            {
                r.Diagnostics.Report(DiagnosticDescriptors.NumberOutOfRange, number.Location, $"'{name}' must not be negative, not {number.Raw}");
                return 0m;
            }

            return value;
        }

        private static IReadOnlyList<int> ReadExemptParagraphs(ObjectReader r, DiagnosticBag diagnostics)
        {
            var array = r.Array("exemptParagraphs");
            if (array is null)
            {
                return Array.Empty<int>();
            }

            var result = new List<int>();
            foreach (var item in array.Items)
            {
                if (item is JsonNumber n && n.TryGetInt32(out var paragraph) && paragraph is >= 1 and <= 7)
                {
                    result.Add(paragraph);
                }
                else
                {
                    diagnostics.Report(DiagnosticDescriptors.NumberOutOfRange, item.Location, "'exemptParagraphs' holds paragraph numbers of LGA 1972 Schedule 12A Part 1, from 1 to 7");
                }
            }

            return result;
        }

        private static Dictionary<string, StepDates> ReadSchedule(ObjectReader r, DiagnosticBag diagnostics)
        {
            var schedule = new Dictionary<string, StepDates>(StringComparer.Ordinal);
            var property = r.Property("schedule");
            if (property is null || ObjectReader.For(property.Value, "schedule", "schedule", diagnostics) is not { } steps)
            {
                return schedule;
            }

            foreach (var entry in steps.Object.Properties)
            {
                steps.Allow(entry.Name);
                if (ObjectReader.For(entry.Value, $"schedule entry '{entry.Name}'", entry.Name, diagnostics) is not { } dates)
                {
                    continue;
                }

                var start = dates.Date("start");
                var end = dates.Date("end");
                dates.Finish();
                if (start is null && end is null && !dates.HasUnknownProperties)
                {
                    diagnostics.Report(DiagnosticDescriptors.InvalidProposal, entry.Value.Location, $"Schedule entry '{entry.Name}' gives neither 'start' nor 'end'");
                }
                else if (start is { } s && end is { } e && e < s)
                {
                    diagnostics.Report(DiagnosticDescriptors.DateRangeBackwards, dates.Property("end")!.Value.Location, $"Schedule entry '{entry.Name}' ends ({e:uuuu-MM-dd}) before it starts ({s:uuuu-MM-dd})");
                }

                schedule[entry.Name] = new StepDates(start, end);
            }

            steps.Finish();
            return schedule;
        }

        private static ProposalAttributes ReadAttributes(ObjectReader r, DiagnosticBag diagnostics)
        {
            var property = r.Property("attributes");
            if (property is null || ObjectReader.For(property.Value, "attributes", "attributes", diagnostics) is not { } bag)
            {
                // Kept with a position, so a required attribute the proposal omits is reported at the proposal.
                return new ProposalAttributes(new Dictionary<string, object>()) { Origin = FirstLine(r.Object.Location) };
            }

            var values = new Dictionary<string, object>();
            var locations = new Dictionary<string, SourceLocation>();
            foreach (var entry in bag.Object.Properties)
            {
                bag.Allow(entry.Name);
                var value = JsonNode.ScalarValue(entry.Value);
                if (value is null)
                {
                    diagnostics.Report(DiagnosticDescriptors.WrongValueType, entry.Value.Location, entry.Name, "a number, string or boolean", JsonNode.NotScalarInWords(entry.Value));
                    continue;
                }

                values[entry.Name] = value;
                locations[entry.Name] = entry.Value.Location;
            }

            bag.Finish();
            return new ProposalAttributes(values) { Locations = locations, Origin = property.NameLocation };
        }

        /// <summary>The first character of a span: a whole-object location would underline the entire file.</summary>
        private static SourceLocation FirstLine(SourceLocation location) =>
            location with { Length = 1, EndLine = location.Line, EndColumn = location.Column + 1 };
    }
}
