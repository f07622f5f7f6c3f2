using System;
using System.Collections.Generic;
using System.Linq;
using DecisionRouting.Diagnostics;
using DecisionRouting.Json;
using DecisionRouting.Proposals;

namespace DecisionRouting.Cli.Publication
{
    /// <summary>
    /// What the notice of key decisions needs that a proposal does not hold, from the file given as
    /// <c>forward-plan --publication</c> (see <c>docs/forward-plan.md</c>): the authority, the address documents are
    /// available from (SI 2012/2089 reg 9(1)(f)), the procedure for requesting details (reg 9(1)(h)), how to make
    /// representations, who each decision-maker is and a body's members (reg 9(1)(c)), and each entry's documents
    /// (reg 9(1)(e)). Everything is optional in the file; what is absent is shown as MISSING in the notice, never blank.
    /// </summary>
    internal sealed record PublicationFile
    {
        /// <summary>The relevant local authority, on whose behalf the key decisions are made.</summary>
        public string? Authority { get; init; }

        /// <summary>The address from which copies of, or extracts from, the listed documents are available.</summary>
        public string? DocumentsAddress { get; init; }

        /// <summary>The procedure for requesting details of documents as they become available.</summary>
        public string? RequestDetails { get; init; }

        /// <summary>How to make representations about a decision (the council's own procedure).</summary>
        public string? Representations { get; init; }

        /// <summary>Who each kind of decision-maker is, by <see cref="Proposals.DecisionMaker"/> name.</summary>
        public IReadOnlyDictionary<DecisionMaker, DecisionMakerDetails> DecisionMakers { get; init; } = new Dictionary<DecisionMaker, DecisionMakerDetails>();

        /// <summary>Per-proposal details, by proposal id.</summary>
        public IReadOnlyDictionary<string, EntryDetails> Entries { get; init; } = new Dictionary<string, EntryDetails>(StringComparer.Ordinal);

        /// <summary>An empty file: every content it would give is missing.</summary>
        public static PublicationFile None { get; } = new();

        /// <summary>Reads the file, or returns null with every problem in <paramref name="diagnostics"/>.</summary>
        public static PublicationFile? Read(string path, DiagnosticBag diagnostics)
        {
            if (JsonInputFile.Parse(path, "Publication file", diagnostics) is not { } root || ObjectReader.For(root, "the publication file", "publication", diagnostics) is not { } r)
            {
                return null;
            }

            r.Allow("$schema", "description");
            var file = new PublicationFile
            {
                Authority = JsonInputFile.Text(r, "authority", diagnostics),
                DocumentsAddress = JsonInputFile.Text(r, "documentsAddress", diagnostics),
                RequestDetails = JsonInputFile.Text(r, "requestDetails", diagnostics),
                Representations = JsonInputFile.Text(r, "representations", diagnostics),
                DecisionMakers = ReadDecisionMakers(r, diagnostics),
                Entries = ReadEntries(r, diagnostics),
            };
            r.Finish();
            return diagnostics.HasErrors ? null : file;
        }

        private static Dictionary<DecisionMaker, DecisionMakerDetails> ReadDecisionMakers(ObjectReader r, DiagnosticBag diagnostics)
        {
            var result = new Dictionary<DecisionMaker, DecisionMakerDetails>();
            if (r.Property("decisionMakers") is not { } property || ObjectReader.For(property.Value, "decisionMakers", "decisionMakers", diagnostics) is not { } map)
            {
                return result;
            }

            var names = Enum.GetNames<DecisionMaker>();
            foreach (var entry in map.Object.Properties)
            {
                map.Allow(entry.Name);
                if (!Enum.TryParse<DecisionMaker>(entry.Name, ignoreCase: false, out var maker) || !names.Contains(entry.Name, StringComparer.Ordinal))
                {
                    diagnostics.Report(DiagnosticDescriptors.NotAnAllowedValue, entry.NameLocation, $"'{entry.Name}' is not a decision-maker; expected one of {string.Join(", ", names)}{NameSuggestions.DidYouMean(entry.Name, names)}");
                    continue;
                }

                if (DecisionMakerDetails.Read(entry.Value, $"decisionMakers.{entry.Name}", diagnostics) is { } details)
                {
                    result[maker] = details;
                }
            }

            return result;
        }

        private static Dictionary<string, EntryDetails> ReadEntries(ObjectReader r, DiagnosticBag diagnostics)
        {
            var result = new Dictionary<string, EntryDetails>(StringComparer.Ordinal);
            if (r.Property("entries") is not { } property || ObjectReader.For(property.Value, "entries", "entries", diagnostics) is not { } map)
            {
                return result;
            }

            foreach (var entry in map.Object.Properties)
            {
                map.Allow(entry.Name);
                if (ObjectReader.For(entry.Value, $"entries.{entry.Name}", entry.Name, diagnostics) is not { } e)
                {
                    continue;
                }

                e.Allow("description");
                var documents = e.Property("documents") is null ? null : JsonInputFile.Texts(e, "documents", diagnostics);
                var privateReason = JsonInputFile.Text(e, "privateReason", diagnostics);
                var maker = e.Property("decisionMaker") is { } m ? DecisionMakerDetails.Read(m.Value, $"entries.{entry.Name}.decisionMaker", diagnostics) : null;
                e.Finish();
                result[entry.Name] = new EntryDetails(documents, privateReason, maker);
            }

            return result;
        }
    }

    /// <summary>A decision-maker's name, an individual's title (if any) and a body's members.</summary>
    /// <param name="Name">The individual's name, or the body's.</param>
    /// <param name="Title">An individual's title, if any.</param>
    /// <param name="Members">A body's members; null when the file does not list them.</param>
    internal sealed record DecisionMakerDetails(string? Name, string? Title, IReadOnlyList<string>? Members)
    {
        public static DecisionMakerDetails? Read(JsonNode node, string what, DiagnosticBag diagnostics)
        {
            if (ObjectReader.For(node, what, what, diagnostics) is not { } r)
            {
                return null;
            }

            var name = JsonInputFile.Text(r, "name", diagnostics);
            var title = JsonInputFile.Text(r, "title", diagnostics);
            var members = r.Property("members") is null ? null : JsonInputFile.Texts(r, "members", diagnostics);
            r.Finish();
            return new DecisionMakerDetails(name, title, members);
        }
    }

    /// <summary>One proposal's details: the documents submitted (null when not given), why it is taken in private, and its decision-maker if not the default.</summary>
    internal sealed record EntryDetails(IReadOnlyList<string>? Documents, string? PrivateReason, DecisionMakerDetails? DecisionMaker);
}
