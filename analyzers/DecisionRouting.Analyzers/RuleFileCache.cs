using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;
using DecisionRouting.RuleSets;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using RuleDiagnostic = DecisionRouting.Diagnostics.RuleDiagnostic;

namespace DecisionRouting.Analyzers
{
    /// <summary>What the rule files among a compilation's AdditionalFiles say: their diagnostics and the names they define.</summary>
    internal sealed class RuleFileFacts
    {
        public static readonly RuleFileFacts None = new(Array.Empty<RuleDiagnostic>(), new Dictionary<string, IReadOnlyCollection<string>>());

        public RuleFileFacts(IReadOnlyList<RuleDiagnostic> diagnostics, IReadOnlyDictionary<string, IReadOnlyCollection<string>> names)
        {
            Diagnostics = diagnostics;
            Names = names;
        }

        /// <summary>Every loader diagnostic, each once even when several rule sets share a base.</summary>
        public IReadOnlyList<RuleDiagnostic> Diagnostics { get; }

        /// <summary>Defined names by kind: "step", "body", "rule", "workflow".</summary>
        public IReadOnlyDictionary<string, IReadOnlyCollection<string>> Names { get; }

        public bool HasRuleFiles => Names.Count > 0;
    }

    /// <summary>
    /// Reads each rule set once and shares it across analyzers and compilations (a build has several compilations and
    /// two analyzers ask for the same facts; an IDE recompiles on every keystroke), while seeing every edit.
    /// </summary>
    /// <remarks>
    /// <para>
    /// The cache holds one entry per rule-set folder (with the Proposal type's assembly and the read options it was
    /// checked with). An entry remembers every file the loader read for it (its own files and everything it extends),
    /// with a hash of each text, and every folder listing it took. A compilation reuses the entry only when all of those
    /// are unchanged in its own AdditionalFiles, so an edit to a base seen through <c>extends</c> reloads the rule sets
    /// that extend it, and an edit to one rule set reloads that one alone. Hashing a text is the compiler's own
    /// checksum, computed once per text; it costs a fraction of parsing and checking it.
    /// </para>
    /// <para>
    /// Each entry is a <see cref="Lazy{T}"/> published before it runs, so the two analyzers and any number of concurrent
    /// compilations wait for one load instead of each loading the same files (the old cache's
    /// <c>ConcurrentDictionary.GetOrAdd</c> ran its factory in every caller that missed at once). A load that is
    /// cancelled or fails is removed, never served. One compilation's facts are also kept with it, so the second
    /// analyzer does not even hash the files again.
    /// </para>
    /// </remarks>
    internal static class RuleFileCache
    {
        private static readonly ConcurrentDictionary<string, Lazy<LoadedRuleSet>> Sets = new(StringComparer.Ordinal);
        private static readonly ConcurrentDictionary<string, int> LoadCounts = new(StringComparer.Ordinal);
        private static readonly ConditionalWeakTable<Compilation, CompilationFacts> PerCompilation = new();

        /// <summary>How many times the rule set in <paramref name="folder"/> has been read, in this process: for tests.</summary>
        internal static int LoadsOf(string folder) => LoadCounts.TryGetValue(AdditionalFilesRuleSets.Normalise(folder), out var count) ? count : 0;

        public static RuleFileFacts For(Compilation compilation, AnalyzerOptions options, CancellationToken cancellation)
        {
            var settings = RuleTreeSettings.From(options);
            var remembered = PerCompilation.GetValue(compilation, _ => new CompilationFacts());
            return remembered.Get(options.AdditionalFiles, settings.Key, () => Compute(compilation, options, settings, cancellation));
        }

        private static RuleFileFacts Compute(Compilation compilation, AnalyzerOptions options, RuleTreeSettings settings, CancellationToken cancellation)
        {
            var files = new AdditionalFilesRuleSets(options.AdditionalFiles, cancellation);
            var folders = files.RuleSetFolders();
            if (folders.Count == 0)
            {
                return RuleFileFacts.None;
            }

            // Expressions are checked against the Proposal type this compilation references, so its version is part of the key.
            var proposal = compilation.GetTypeByMetadataName("DecisionRouting.Proposals.Proposal")?.ContainingAssembly.Identity.ToString() ?? "no proposal type";
            var checker = new Lazy<SymbolExpressionChecker>(() => new SymbolExpressionChecker(compilation), LazyThreadSafetyMode.ExecutionAndPublication);
            var seen = new HashSet<string>(StringComparer.Ordinal);
            var diagnostics = new List<RuleDiagnostic>();
            var steps = new HashSet<string>(StringComparer.Ordinal);
            var bodies = new HashSet<string>(StringComparer.Ordinal);
            var rules = new HashSet<string>(StringComparer.Ordinal);
            var workflows = new HashSet<string>(StringComparer.Ordinal);
            // One parse of each file for the whole compilation: a base that several rule sets extend (england, under
            // every partnership) is parsed once, not once per set. Keyed by path and text, so edits are always seen.
            using var shared = ParsedDocument.ShareParses();
            foreach (var folder in folders)
            {
                var set = Load(proposal + "\0" + settings.Key + "\0" + folder, folder, files, checker, settings.Options, cancellation);
                diagnostics.AddRange(set.Diagnostics.Where(d => seen.Add(d.ToString())));
                steps.UnionWith(set.Steps);
                bodies.UnionWith(set.Bodies);
                rules.UnionWith(set.Rules);
                workflows.UnionWith(set.Workflows);
            }

            return new RuleFileFacts(diagnostics, new Dictionary<string, IReadOnlyCollection<string>>
            {
                ["step"] = steps,
                ["body"] = bodies,
                ["rule"] = rules,
                ["workflow"] = workflows,
            });
        }

        /// <summary>The cached rule set if every file it read is unchanged here, otherwise one new load that every caller shares.</summary>
        private static LoadedRuleSet Load(string key, string folder, AdditionalFilesRuleSets files, Lazy<SymbolExpressionChecker> checker, RuleSetReadOptions options, CancellationToken cancellation)
        {
            while (true)
            {
                cancellation.ThrowIfCancellationRequested();
                Lazy<LoadedRuleSet>? mine = null;
                var entry = Sets.GetOrAdd(key, _ => mine = NewLoad(folder, files, checker, options));
                LoadedRuleSet loaded;
                try
                {
                    loaded = entry.Value;
                }
                catch (Exception e) when (e is OperationCanceledException)
                {
                    // Another compilation's load, cancelled: never serve it; load again unless this one is cancelled too.
                    Forget(key, entry);
                    cancellation.ThrowIfCancellationRequested();
                    continue;
                }
                catch
                {
                    Forget(key, entry);
                    throw;
                }

                if (ReferenceEquals(entry, mine) || loaded.IsCurrent(files))
                {
                    return loaded;
                }

                // Stale for this compilation: replace it, unless another caller already has (then check theirs).
                mine = NewLoad(folder, files, checker, options);
                if (Sets.TryUpdate(key, mine, entry))
                {
                    try
                    {
                        return mine.Value;
                    }
                    catch
                    {
                        Forget(key, mine);
                        throw;
                    }
                }
            }
        }

        /// <summary>Removes the entry only if it is still this one (netstandard2.0 has no TryRemove of a pair).</summary>
        private static void Forget(string key, Lazy<LoadedRuleSet> entry) =>
            ((ICollection<KeyValuePair<string, Lazy<LoadedRuleSet>>>)Sets).Remove(new KeyValuePair<string, Lazy<LoadedRuleSet>>(key, entry));

        private static Lazy<LoadedRuleSet> NewLoad(string folder, AdditionalFilesRuleSets files, Lazy<SymbolExpressionChecker> checker, RuleSetReadOptions options) =>
            new(() =>
            {
                var recording = new RecordingFileSystem(files);
                var definition = RuleSetReader.Read(folder, recording, checker.Value, options);
                LoadCounts.AddOrUpdate(folder, 1, (_, count) => count + 1);
                return new LoadedRuleSet(definition, recording.Reads, recording.Listings, recording.Folders);
            }, LazyThreadSafetyMode.ExecutionAndPublication);

        /// <summary>One compilation's facts, computed once for both analyzers (they receive the same options).</summary>
        private sealed class CompilationFacts
        {
            private readonly object _gate = new();
            private ImmutableArray<AdditionalText> _files;
            private string? _settings;
            private RuleFileFacts? _facts;

            public RuleFileFacts Get(ImmutableArray<AdditionalText> files, string settings, Func<RuleFileFacts> compute)
            {
                lock (_gate)
                {
                    if (_facts is not null && _files == files && _settings == settings)
                    {
                        return _facts;
                    }
                }

                // Computed outside the lock: the per-rule-set entries already make concurrent callers share one load.
                var facts = compute();
                lock (_gate)
                {
                    (_files, _settings, _facts) = (files, settings, facts);
                }

                return facts;
            }
        }
    }

    /// <summary>One rule set as read, with what it read: each file's hash, each folder listing, each folder looked for.</summary>
    internal sealed class LoadedRuleSet
    {
        private readonly IReadOnlyList<KeyValuePair<string, string?>> _reads;
        private readonly IReadOnlyList<KeyValuePair<string, string>> _listings;
        private readonly IReadOnlyList<KeyValuePair<string, bool>> _folders;

        public LoadedRuleSet(RuleSetDefinition definition, IReadOnlyList<KeyValuePair<string, string?>> reads, IReadOnlyList<KeyValuePair<string, string>> listings, IReadOnlyList<KeyValuePair<string, bool>> folders)
        {
            Diagnostics = definition.Diagnostics;
            Steps = definition.Steps.Keys.ToList();
            Bodies = definition.Bodies.Keys.ToList();
            Workflows = definition.Workflows.Select(w => w.Name).ToList();
            Rules = definition.Workflows.SelectMany(w => AllRules(w.Rules)).Select(r => r.Name).ToList();
            _reads = reads;
            _listings = listings;
            _folders = folders;
        }

        public IReadOnlyList<RuleDiagnostic> Diagnostics { get; }

        public IReadOnlyList<string> Steps { get; }

        public IReadOnlyList<string> Bodies { get; }

        public IReadOnlyList<string> Workflows { get; }

        public IReadOnlyList<string> Rules { get; }

        /// <summary>Whether these files would read the same: every file read has the same text, every listing the same names.</summary>
        public bool IsCurrent(AdditionalFilesRuleSets files) =>
            _folders.All(f => files.DirectoryExists(f.Key) == f.Value)
            && _listings.All(l => RecordingFileSystem.Listing(files.EnumerateFiles(l.Key)) == l.Value)
            && _reads.All(r => files.HashOf(r.Key) == r.Value);

        private static IEnumerable<Workflows.RuleDefinition> AllRules(IEnumerable<Workflows.RuleDefinition> rules) =>
            rules.SelectMany(r => new[] { r }.Concat(AllRules(r.Rules)));
    }

    /// <summary>The loader's view of the AdditionalFiles, noting everything it asks, so a cached rule set can be checked.</summary>
    internal sealed class RecordingFileSystem : IRuleSetFileSystem
    {
        private readonly AdditionalFilesRuleSets _files;

        public RecordingFileSystem(AdditionalFilesRuleSets files) => _files = files;

        public List<KeyValuePair<string, string?>> Reads { get; } = new();

        public List<KeyValuePair<string, string>> Listings { get; } = new();

        public List<KeyValuePair<string, bool>> Folders { get; } = new();

        public static string Listing(IEnumerable<string> files) => string.Join("\0", files.OrderBy(f => f, StringComparer.Ordinal));

        public bool DirectoryExists(string path)
        {
            var exists = _files.DirectoryExists(path);
            Folders.Add(new KeyValuePair<string, bool>(path, exists));
            return exists;
        }

        public IEnumerable<string> EnumerateFiles(string directory)
        {
            var found = _files.EnumerateFiles(directory).ToList();
            Listings.Add(new KeyValuePair<string, string>(directory, Listing(found)));
            return found;
        }

        public string? ReadAllText(string path)
        {
            Reads.Add(new KeyValuePair<string, string?>(path, _files.HashOf(path)));
            return _files.ReadAllText(path);
        }
    }
}
