using System;
using System.Collections.Generic;
using System.IO;
using DecisionRouting.Lifecycle;
using DecisionRouting.Stores;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace DecisionRouting.Hosting
{
    /// <summary>
    /// The one place that knows the concrete stores: which one the options choose, whether that choice is well formed,
    /// and how to build it. Stores in packages of their own (PostgreSQL) come in through <see cref="StoreProvider"/>,
    /// so only SQLite, the default, is known here by name.
    /// </summary>
    internal static class StoreChoice
    {
        /// <summary>What is wrong with the store options, in words naming the option; empty when they are fine.</summary>
        internal static IEnumerable<string> Problems(DecisionRoutingOptions options, string contentRoot)
        {
            var chosen = new List<string>();
            if (options.SqlitePath is not null)
            {
                chosen.Add(nameof(DecisionRoutingOptions.SqlitePath));
            }

            if (options.StoreProvider is { } provider)
            {
                chosen.Add(provider.Option);
            }

            if (options.Store is not null)
            {
                chosen.Add(nameof(DecisionRoutingOptions.Store));
            }

            if (chosen.Count > 1)
            {
                yield return $"DecisionRouting: choose one store; {string.Join(" and ", chosen)} are all set. Keep {nameof(DecisionRoutingOptions.SqlitePath)} for the embedded SQLite file, a store package's option (such as UsePostgreSql), or {nameof(DecisionRoutingOptions.Store)} for a store of your own.";
            }

            if (options.SqlitePath is { } path)
            {
                if (string.IsNullOrWhiteSpace(path))
                {
                    yield return $"DecisionRouting: {nameof(DecisionRoutingOptions.SqlitePath)} is empty; give the SQLite file's path, or leave it unset for '{DecisionRoutingOptions.DefaultSqlitePath}' in the content root.";
                }
                else if (Directory.Exists(Path.GetFullPath(path, contentRoot)))
                {
                    yield return $"DecisionRouting: {nameof(DecisionRoutingOptions.SqlitePath)} '{path}' is a folder; give the SQLite file's path inside it, such as '{Path.Combine(path, DecisionRoutingOptions.DefaultSqlitePath)}'.";
                }
            }

            if (options.StoreProvider is { } chosenProvider)
            {
                foreach (var problem in chosenProvider.Problems())
                {
                    yield return $"DecisionRouting: {problem}";
                }
            }
        }

        /// <summary>Builds the chosen store; relative SQLite paths are resolved against <paramref name="contentRoot"/>.</summary>
        internal static IProposalStore Create(IServiceProvider services, DecisionRoutingOptions options, string contentRoot)
        {
            if (options.Store is { } custom)
            {
                return custom(services) ?? throw new InvalidOperationException($"DecisionRouting: the {nameof(DecisionRoutingOptions.Store)} factory returned null.");
            }

            var logger = (ILogger?)services.GetService<ILoggerFactory>()?.CreateLogger(typeof(RelationalProposalStore).FullName!) ?? NullLogger.Instance;
            return options.StoreProvider is { } provider
                ? provider.Create(services, options.AuditKey, logger) ?? throw new InvalidOperationException($"DecisionRouting: {provider.Option} built no store.")
                : new SqliteProposalStore(Path.GetFullPath(options.SqlitePath ?? DecisionRoutingOptions.DefaultSqlitePath, contentRoot), options.AuditKey) { Logger = logger };
        }

        /// <summary>Describes the store chosen, without secrets: for the start-up log line.</summary>
        internal static string Describe(DecisionRoutingOptions options, string contentRoot)
        {
            if (options.Store is not null)
            {
                return "a store of the app's own";
            }

            if (options.StoreProvider is { } provider)
            {
                return provider.Describe();
            }

            return $"SQLite file {Path.GetFullPath(options.SqlitePath ?? DecisionRoutingOptions.DefaultSqlitePath, contentRoot)}";
        }
    }
}
