using System;
using System.Collections.Generic;
using System.IO;
using DecisionRouting.Lifecycle;
using DecisionRouting.Stores;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace DecisionRouting.Hosting
{
    /// <summary>
    /// The one place that knows the concrete stores: which one the options choose, whether that choice is well formed,
    /// and how to build it. When the stores split into a package per database, this is what moves.
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

            if (options.PostgreSqlConnectionString is not null)
            {
                chosen.Add(nameof(DecisionRoutingOptions.PostgreSqlConnectionString));
            }

            if (options.Store is not null)
            {
                chosen.Add(nameof(DecisionRoutingOptions.Store));
            }

            if (chosen.Count > 1)
            {
                yield return $"DecisionRouting: choose one store; {string.Join(" and ", chosen)} are all set. Keep {nameof(DecisionRoutingOptions.SqlitePath)} for the embedded SQLite file, {nameof(DecisionRoutingOptions.PostgreSqlConnectionString)} for PostgreSQL, or {nameof(DecisionRoutingOptions.Store)} for a store of your own.";
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

            if (options.PostgreSqlConnectionString is { } connection && ConnectionProblem(connection) is { } problem)
            {
                yield return $"DecisionRouting: {nameof(DecisionRoutingOptions.PostgreSqlConnectionString)} {problem}";
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
            return options.PostgreSqlConnectionString is { } connection
                ? new PostgreSqlProposalStore(connection, options.AuditKey) { Logger = logger }
                : new SqliteProposalStore(Path.GetFullPath(options.SqlitePath ?? DecisionRoutingOptions.DefaultSqlitePath, contentRoot), options.AuditKey) { Logger = logger };
        }

        /// <summary>Describes the store chosen, without secrets: for the start-up log line.</summary>
        internal static string Describe(DecisionRoutingOptions options, string contentRoot)
        {
            if (options.Store is not null)
            {
                return "a store of the app's own";
            }

            if (options.PostgreSqlConnectionString is { } connection)
            {
                var parsed = new NpgsqlConnectionStringBuilder(connection);
                return $"PostgreSQL database '{parsed.Database}' on {parsed.Host}:{parsed.Port}";
            }

            return $"SQLite file {Path.GetFullPath(options.SqlitePath ?? DecisionRoutingOptions.DefaultSqlitePath, contentRoot)}";
        }

        private static string? ConnectionProblem(string connection)
        {
            if (string.IsNullOrWhiteSpace(connection))
            {
                return "is empty; give an Npgsql connection string such as 'Host=db.example;Database=decisions;Username=app'.";
            }

            NpgsqlConnectionStringBuilder parsed;
            try
            {
                parsed = new NpgsqlConnectionStringBuilder(connection);
            }
            catch (Exception e) when (e is ArgumentException or FormatException or InvalidCastException)
            {
                // Npgsql's message names the keyword or value at fault; the string itself is not repeated (it may hold a password).
                return $"is not a valid Npgsql connection string: {e.Message}";
            }

            return string.IsNullOrWhiteSpace(parsed.Host)
                ? "names no Host; give the server, as in 'Host=db.example;Database=decisions;Username=app'."
                : null;
        }
    }
}
