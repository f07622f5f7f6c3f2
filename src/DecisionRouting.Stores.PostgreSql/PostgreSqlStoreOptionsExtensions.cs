using System;
using System.Collections.Generic;
using DecisionRouting.Hosting;
using DecisionRouting.Lifecycle;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace DecisionRouting.Stores
{
    /// <summary>Chooses the PostgreSQL store in <see cref="DecisionRoutingServiceCollectionExtensions.AddDecisionRouting"/>.</summary>
    public static class PostgreSqlStoreOptionsExtensions
    {
        /// <summary>
        /// Keeps cases in PostgreSQL (a <see cref="PostgreSqlProposalStore"/>), for several app instances sharing cases,
        /// instead of the default SQLite file. The connection string is checked when the host starts, with the other
        /// options: an empty one, one Npgsql cannot parse, or one naming no Host stops the host with a message that
        /// names <c>UsePostgreSql</c> and never repeats the string (it may hold a password).
        /// </summary>
        /// <param name="options">The options given to <c>AddDecisionRouting</c>.</param>
        /// <param name="connectionString">An Npgsql connection string, such as <c>Host=db.example;Database=decisions;Username=app</c>.</param>
        /// <returns><paramref name="options"/>, for chaining.</returns>
        public static DecisionRoutingOptions UsePostgreSql(this DecisionRoutingOptions options, string connectionString)
        {
            ArgumentNullException.ThrowIfNull(options);
            ArgumentNullException.ThrowIfNull(connectionString);
            options.StoreProvider = new PostgreSqlStoreProvider(connectionString);
            return options;
        }

        private sealed class PostgreSqlStoreProvider : StoreProvider
        {
            private readonly string _connectionString;

            public PostgreSqlStoreProvider(string connectionString) => _connectionString = connectionString;

            public override string Option => nameof(UsePostgreSql);

            public override IEnumerable<string> Problems()
            {
                if (ConnectionProblem(_connectionString) is { } problem)
                {
                    yield return $"{Option} {problem}";
                }
            }

            public override string Describe()
            {
                var parsed = new NpgsqlConnectionStringBuilder(_connectionString);
                return $"PostgreSQL database '{parsed.Database}' on {parsed.Host}:{parsed.Port}";
            }

            public override IProposalStore Create(IServiceProvider services, AuditKey? auditKey, ILogger logger) =>
                new PostgreSqlProposalStore(_connectionString, auditKey) { Logger = logger };

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
}
