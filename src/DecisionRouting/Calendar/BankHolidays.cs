using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using DecisionRouting.Diagnostics;
using DecisionRouting.Json;
using DecisionRouting.RuleSets;
using DecisionRouting.Text;
using NodaTime;

namespace DecisionRouting.Calendar
{
    /// <summary>
    /// The bank holidays of England and Wales: the years a data file covers come from the file (so proclaimed one-off
    /// holidays are kept), later and earlier years are computed from the recurring rules.
    /// </summary>
    /// <remarks>
    /// The file is in the format of <c>https://www.gov.uk/bank-holidays.json</c>; only its <c>england-and-wales</c>
    /// division is read. The shipped copy is <c>calendar/bank-holidays.json</c>; to update it, download the gov.uk file
    /// and pass it to <see cref="Load"/> (or the CLI's <c>--holidays</c>).
    /// </remarks>
    public sealed class BankHolidays
    {
        private const string ResourceName = "DecisionRouting.Calendar.bank-holidays.json";
        private static readonly Lazy<BankHolidays> Shipped = new(LoadShipped);
        private readonly Dictionary<LocalDate, BankHoliday> _listed;
        private readonly HashSet<int> _listedYears;

        // Working-day loops ask about the same few years over and over; compute each once.
        private readonly System.Collections.Concurrent.ConcurrentDictionary<int, IReadOnlyList<BankHoliday>> _computed = new();

        private BankHolidays(IEnumerable<BankHoliday> listed)
        {
            _listed = new Dictionary<LocalDate, BankHoliday>();
            foreach (var holiday in listed)
            {
                _listed[holiday.Date] = holiday;
            }

            _listedYears = new HashSet<int>(_listed.Keys.Select(d => d.Year));
        }

        /// <summary>The holidays shipped with the library, from 2000 to 2030, computed outside those years.</summary>
        public static BankHolidays EnglandAndWales => Shipped.Value;

        /// <summary>The recurring holidays only, computed for every year: no one-off holidays.</summary>
        public static BankHolidays Computed { get; } = new(Array.Empty<BankHoliday>());

        /// <summary>The years the data lists; other years are computed.</summary>
        public IReadOnlyCollection<int> ListedYears => _listedYears;

        /// <summary>Whether the day is a bank holiday in England and Wales.</summary>
        public bool IsBankHoliday(LocalDate date) => Find(date) is not null;

        /// <summary>The bank holiday kept on this day, or null.</summary>
        public BankHoliday? Find(LocalDate date) =>
            _listedYears.Contains(date.Year)
                ? _listed.TryGetValue(date, out var holiday) ? holiday : null
                : ComputedYear(date.Year).FirstOrDefault(h => h.Date == date);

        /// <summary>Every bank holiday in the year, in date order.</summary>
        public IReadOnlyList<BankHoliday> InYear(int year) =>
            _listedYears.Contains(year)
                ? _listed.Values.Where(h => h.Date.Year == year).OrderBy(h => h.Date).ToList()
                : ComputedYear(year);

        private IReadOnlyList<BankHoliday> ComputedYear(int year) => _computed.GetOrAdd(year, EnglandAndWalesRules.Compute);

        /// <summary>Reads a gov.uk-format bank-holiday file.</summary>
        /// <exception cref="InvalidBankHolidaysException">The file is missing, malformed, or has an invalid entry.</exception>
        public static BankHolidays Load(string path)
        {
            var bag = new DiagnosticBag();
            string? text;
            try
            {
                // Only a regular file, only up to the size limit: a pipe or device is refused, never read or waited on.
                text = DecisionRouting.RuleSets.SafeFile.ReadText(path, root: null, DecisionRouting.RuleSets.RuleSetReadOptions.DefaultMaxFileBytes);
            }
            catch (DecisionRouting.RuleSets.RuleFileRefusedException e)
            {
                bag.Report(DiagnosticDescriptors.FileRefused, SourceLocation.ForPath(path), Path.GetFileName(path), e.Reason);
                throw new InvalidBankHolidaysException(bag.Items);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                bag.Report(DiagnosticDescriptors.BankHolidaysUnreadable, SourceLocation.ForPath(path), path, $"cannot be read: {e.Message}");
                throw new InvalidBankHolidaysException(bag.Items);
            }

            if (text is null || Directory.Exists(path))
            {
                bag.Report(DiagnosticDescriptors.BankHolidaysUnreadable, SourceLocation.ForPath(path), path, Directory.Exists(path) ? "is a folder, not a file" : "does not exist");
                throw new InvalidBankHolidaysException(bag.Items);
            }

            return Parse(path, text);
        }

        /// <summary>Reads gov.uk-format bank-holiday JSON; <paramref name="path"/> is used in diagnostics.</summary>
        /// <exception cref="InvalidBankHolidaysException">The JSON is malformed or has an invalid entry.</exception>
        public static BankHolidays Parse(string path, string json)
        {
            var diagnostics = new DiagnosticBag();
            var holidays = Read(new SourceDocument(path, json), diagnostics);
            if (diagnostics.HasErrors)
            {
                throw new InvalidBankHolidaysException(diagnostics.ToSortedList());
            }

            return new BankHolidays(holidays);
        }

        private static List<BankHoliday> Read(SourceDocument document, DiagnosticBag diagnostics)
        {
            var holidays = new List<BankHoliday>();
            var root = ParsedDocument.Parse(document, diagnostics);
            if (root is null || ObjectReader.For(root, "bank-holiday file", "bank-holiday file", diagnostics) is not { } file)
            {
                return holidays;
            }

            // gov.uk publishes three divisions; only England and Wales governs these councils.
            file.Allow("scotland", "northern-ireland");
            var division = file.Property("england-and-wales", required: true);
            file.Finish();
            if (division is null || ObjectReader.For(division.Value, "division", "england-and-wales", diagnostics) is not { } england)
            {
                return holidays;
            }

            england.Allow("division");
            foreach (var item in england.Array("events", required: true)?.Items ?? Array.Empty<JsonNode>())
            {
                if (ObjectReader.For(item, "event", "events[]", diagnostics) is not { } entry)
                {
                    continue;
                }

                entry.Allow("notes", "bunting");
                var date = entry.Date("date", required: true);
                var title = entry.String("title", required: true);
                entry.Finish();
                if (date is { } day && title is not null)
                {
                    holidays.Add(new BankHoliday(day, title));
                }
            }

            england.Finish();
            if (holidays.Count == 0 && !diagnostics.HasErrors)
            {
                diagnostics.Report(DiagnosticDescriptors.InvalidBankHolidays, division.Value.Location, "england-and-wales");
            }

            return holidays;
        }

        private static BankHolidays LoadShipped()
        {
            using var stream = typeof(BankHolidays).Assembly.GetManifestResourceStream(ResourceName)
                ?? throw new InvalidOperationException($"The shipped bank-holiday data ({ResourceName}) is missing from the assembly");
            using var reader = new StreamReader(stream);
            return Parse("calendar/bank-holidays.json", reader.ReadToEnd());
        }
    }
}
