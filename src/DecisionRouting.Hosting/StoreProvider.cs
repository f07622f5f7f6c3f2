using System;
using System.Collections.Generic;
using DecisionRouting.Lifecycle;
using Microsoft.Extensions.Logging;

namespace DecisionRouting.Hosting
{
    /// <summary>
    /// A store that a store package adds to <see cref="DecisionRoutingServiceCollectionExtensions.AddDecisionRouting"/>,
    /// such as DecisionRouting.Stores.PostgreSql's <c>UsePostgreSql</c>: its settings are checked with the other options
    /// when the host starts, it is described (without secrets) in the start-up log, and it is built once. This seam keeps
    /// each database's driver in its own package: the hosting package knows only SQLite, the default.
    /// </summary>
    public abstract class StoreProvider
    {
        /// <summary>The option as the app wrote it, for messages that name it (such as <c>UsePostgreSql</c>).</summary>
        public abstract string Option { get; }

        /// <summary>
        /// What is wrong with the store's settings, each a whole sentence naming <see cref="Option"/> and what to set;
        /// empty when they are fine. Called once, at start-up; must not connect to anything or throw.
        /// </summary>
        public abstract IEnumerable<string> Problems();

        /// <summary>The store, for the start-up log line: never a password or a whole connection string.</summary>
        public abstract string Describe();

        /// <summary>Builds the store (once per container, disposed with it when it is disposable).</summary>
        /// <param name="services">The container, for anything else the store needs.</param>
        /// <param name="auditKey">The key from <see cref="DecisionRoutingOptions.AuditKey"/>; null for plain SHA-256.</param>
        /// <param name="logger">The logger the stores write to (category <c>DecisionRouting.Stores.RelationalProposalStore</c>).</param>
        public abstract IProposalStore Create(IServiceProvider services, AuditKey? auditKey, ILogger logger);
    }
}
