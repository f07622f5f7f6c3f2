using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using DecisionRouting.Diagnostics;
using DecisionRouting.RuleSets;
using DecisionRouting.Telemetry;

namespace DecisionRouting.LiveReload
{
    /// <summary>
    /// A rule set that follows edits to its folder, and to the folders it extends, for apps that stay up while officers
    /// edit rules. An edit replaces the rule set in use only when the whole set validates, and the swap is atomic: a
    /// router always sees one complete rule set. An invalid edit (an officer's typo, a half-saved file) keeps the last
    /// good rule set in use and exposes the diagnostics, so routing never goes down. Plans already made are immutable
    /// and keep the rule-set hash they were routed with until the app routes them again.
    /// </summary>
    public sealed class WatchedRuleSet : IRuleSetProvider, IDisposable
    {
        private readonly string _directory;
        private readonly WatchedRuleSetOptions _options;
        private readonly Lock _reloadLock = new();
        private readonly Timer _debounce;
        private List<FileSystemWatcher> _watchers = new();
        private RuleSet _current;
        private IReadOnlyList<RuleDiagnostic> _rejected = Array.Empty<RuleDiagnostic>();
        private bool _disposed;

        private WatchedRuleSet(string directory, RuleSet initial, WatchedRuleSetOptions options)
        {
            _directory = directory;
            _current = initial;
            _options = options;
            _debounce = new Timer(_ => ReloadFromWatcher(), null, Timeout.Infinite, Timeout.Infinite);
            Watch(initial);
        }

        /// <summary>Raised after every reload, accepted or rejected, on a thread-pool thread.</summary>
        public event EventHandler<RuleSetReloadedEventArgs>? Reloaded;

        /// <summary>The rule set in use: the latest version of the files that validated.</summary>
        public RuleSet Current => Volatile.Read(ref _current);

        /// <summary>The errors of the latest rejected edit; empty once an edit is accepted again.</summary>
        public IReadOnlyList<RuleDiagnostic> RejectedDiagnostics => Volatile.Read(ref _rejected);

        /// <summary>Loads the rule set and starts watching its folders.</summary>
        /// <exception cref="InvalidRuleSetException">The rule set does not load now; there is no last good version to fall back on.</exception>
        public static WatchedRuleSet Start(string directory, WatchedRuleSetOptions? options = null)
        {
            ArgumentNullException.ThrowIfNull(directory);

            return new WatchedRuleSet(Path.GetFullPath(directory), RuleSet.Load(directory), options ?? new WatchedRuleSetOptions());
        }

        /// <summary>Reads the files now and swaps the rule set in use if they validate. Watching calls this after each change.</summary>
        public RuleSetReload Reload()
        {
            RuleSetReload reload;
            lock (_reloadLock)
            {
                if (_disposed)
                {
                    return new RuleSetReload(false, Current, RejectedDiagnostics);
                }

                RuleSetLoadResult result;
                try
                {
                    result = RuleSet.TryLoad(_directory);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    // A file mid-save can be locked or half-written; the next change event reloads again.
                    result = new RuleSetLoadResult(null, new[] { IoProblem(e) });
                }

                if (result.RuleSet is { } loaded)
                {
                    Volatile.Write(ref _current, loaded);
                    Volatile.Write(ref _rejected, Array.Empty<RuleDiagnostic>());
                    Watch(loaded);
                    LibraryLog.ReloadAccepted(_options.Logger, loaded.Name, _directory, loaded.Hash);
                    CountReload(loaded.Name, Instruments.Outcomes.Accepted);
                    reload = new RuleSetReload(true, loaded, result.Diagnostics);
                }
                else
                {
                    var errors = result.Diagnostics.Where(d => d.IsError).ToList();
                    Volatile.Write(ref _rejected, errors);
                    LibraryLog.ReloadRejected(_options.Logger, _directory, errors.Count, Current.Hash);
                    foreach (var diagnostic in errors)
                    {
                        LibraryLog.ReloadDiagnostic(_options.Logger, diagnostic.ToString());
                    }

                    CountReload(Current.Name, Instruments.Outcomes.Rejected);

                    reload = new RuleSetReload(false, Current, errors);
                }
            }

            Reloaded?.Invoke(this, new RuleSetReloadedEventArgs(reload));
            return reload;
        }

        /// <summary>
        /// A timer callback that throws would end the process, so a fault here is logged and the last good rule set
        /// stays in use. User mistakes never get here (they are diagnostics); this guards against our own.
        /// </summary>
        private void ReloadFromWatcher()
        {
            try
            {
                Reload();
            }
            catch (Exception e)
            {
                LibraryLog.ReloadFaulted(_options.Logger, e, _directory, Current.Hash);
                CountReload(Current.Name, Instruments.Outcomes.Faulted);
            }
        }

        private static void CountReload(string ruleSet, string outcome) => Instruments.Reloads.Add(
            1,
            new KeyValuePair<string, object?>(DecisionRoutingTelemetry.RuleSetTag, ruleSet),
            new KeyValuePair<string, object?>(DecisionRoutingTelemetry.OutcomeTag, outcome));

        /// <summary>Stops watching. The rule set in use stays usable.</summary>
        public void Dispose()
        {
            lock (_reloadLock)
            {
                _disposed = true;
                foreach (var watcher in _watchers)
                {
                    watcher.Dispose();
                }

                _watchers.Clear();
            }

            _debounce.Dispose();
        }

        /// <summary>Watches every folder of the rule set's chain; an accepted edit may change what it extends.</summary>
        private void Watch(RuleSet ruleSet)
        {
            // A built-in baseline (baseline:england) is in the assembly, not on disk: it cannot change while running.
            var folders = ruleSet.Definition.Layers.Where(l => !RuleSetBaselines.IsReference(l.Directory)).Select(l => Path.GetFullPath(l.Directory)).Distinct().ToList();
            var old = _watchers;
            _watchers = folders.Select(folder =>
            {
                var watcher = new FileSystemWatcher(folder, "*.json") { NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite | NotifyFilters.Size };
                watcher.Changed += OnChange;
                watcher.Created += OnChange;
                watcher.Deleted += OnChange;
                watcher.Renamed += OnChange;
                watcher.EnableRaisingEvents = true;
                return watcher;
            }).ToList();
            foreach (var watcher in old)
            {
                watcher.Dispose();
            }
        }

        private void OnChange(object sender, FileSystemEventArgs e)
        {
            try
            {
                _debounce.Change(_options.Debounce, Timeout.InfiniteTimeSpan);
            }
            catch (ObjectDisposedException)
            {
                // Disposed while an event was in flight: nothing left to reload.
            }
        }

        private RuleDiagnostic IoProblem(Exception e)
        {
            var bag = new DiagnosticBag();
            bag.Report(DiagnosticDescriptors.RuleSetNotFound, Text.SourceLocation.ForPath(_directory), $"The rule set could not be read: {e.Message}");
            return bag.Items[0];
        }
    }
}
