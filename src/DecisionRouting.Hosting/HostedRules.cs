using System;
using System.Collections.Generic;
using System.Threading;
using DecisionRouting.Diagnostics;
using DecisionRouting.LiveReload;
using DecisionRouting.Routing;
using DecisionRouting.RuleSets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DecisionRouting.Hosting
{
    /// <summary>
    /// The rules of a host: loaded once (when the host starts, by <see cref="RuleSetStartup"/>), then read per request.
    /// A load that fails is remembered and rethrown to every caller, so nothing routes with no rules and the health
    /// check can say why. The router is rebuilt only when the rule set in use changes.
    /// </summary>
    internal sealed class HostedRules : IDisposable
    {
        private readonly Lazy<IRuleSetProvider> _provider;
        private readonly DecisionRoutingOptions _options;
        private readonly ILoggerFactory? _loggers;
        private RouterFor? _router;

        public HostedRules(IServiceProvider services, IOptions<DecisionRoutingOptions> options, ContentRoot root, ILoggerFactory? loggers = null)
        {
            _options = options.Value;
            _loggers = loggers;
            Source = _options.RulesPath is { } path
                ? (RuleSetBaselines.IsReference(path) ? path : System.IO.Path.GetFullPath(path, root.Path))
                : "the configured rule-set provider";
            _provider = new Lazy<IRuleSetProvider>(() => Open(services), LazyThreadSafetyMode.ExecutionAndPublication);
        }

        /// <summary>Where the rules come from, for messages.</summary>
        public string Source { get; }

        /// <summary>Whether a load has been tried (by start-up, or by a caller before it).</summary>
        public bool LoadAttempted => _provider.IsValueCreated || _loadFailed;

        private volatile bool _loadFailed;

        /// <summary>The provider, loading the rules first if nothing has yet.</summary>
        /// <exception cref="InvalidRuleSetException">The rules do not load; the message lists every error with its file(line,col).</exception>
        public IRuleSetProvider Provider
        {
            get
            {
                try
                {
                    return _provider.Value;
                }
                catch
                {
                    _loadFailed = true;
                    throw;
                }
            }
        }

        /// <summary>A router over the rule set in use now.</summary>
        public Router Router
        {
            get
            {
                var ruleSet = Provider.Current;
                var cached = Volatile.Read(ref _router);
                if (cached is not null && ReferenceEquals(cached.RuleSet, ruleSet))
                {
                    return cached.Router;
                }

                var router = new Router(ruleSet, RoutingOptions);
                Volatile.Write(ref _router, new RouterFor(ruleSet, router));
                return router;
            }
        }

        /// <summary>The options every router and explainer of this host uses.</summary>
        public RoutingOptions RoutingOptions => new()
        {
            Clock = _options.TimeProvider,
            Calendar = _options.Calendar,
            Logger = Logger(typeof(Router)),
        };

        public void Dispose()
        {
            if (_provider.IsValueCreated && _provider.Value is IDisposable disposable)
            {
                disposable.Dispose();
            }
        }

        private ILogger Logger(Type category) =>
            _loggers?.CreateLogger(category.FullName!) ?? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;

        private IRuleSetProvider Open(IServiceProvider services)
        {
            if (_options.RuleSetProvider is { } factory)
            {
                return factory(services) ?? throw new InvalidOperationException($"DecisionRouting: the {nameof(DecisionRoutingOptions.RuleSetProvider)} factory returned null.");
            }

            return _options.WatchRules
                ? WatchedRuleSet.Start(Source, new WatchedRuleSetOptions { Logger = Logger(typeof(WatchedRuleSet)) })
                : new LoadedOnce(RuleSet.Load(Source));
        }

        private sealed record RouterFor(RuleSet RuleSet, Router Router);

        /// <summary>Rules loaded once and never reloaded.</summary>
        private sealed class LoadedOnce : IRuleSetProvider
        {
            public LoadedOnce(RuleSet ruleSet) => Current = ruleSet;

            public RuleSet Current { get; }

            public IReadOnlyList<RuleDiagnostic> RejectedDiagnostics => Array.Empty<RuleDiagnostic>();
        }
    }
}
