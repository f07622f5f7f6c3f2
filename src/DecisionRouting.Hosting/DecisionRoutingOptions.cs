using System;
using DecisionRouting.Calendar;
using DecisionRouting.Lifecycle;
using DecisionRouting.LiveReload;

namespace DecisionRouting.Hosting
{
    /// <summary>
    /// What <see cref="DecisionRoutingServiceCollectionExtensions.AddDecisionRouting"/> registers: where the rules come
    /// from, which store keeps cases, and the clock. Checked when the host starts (<c>ValidateOnStart</c>): a mistake
    /// here stops the host with a message naming the option, before anything routes.
    /// </summary>
    public sealed class DecisionRoutingOptions
    {
        /// <summary>The default SQLite file, relative to the host's content root: the CLI's default too.</summary>
        public const string DefaultSqlitePath = "decision-routing.db";

        /// <summary>
        /// The rule-set folder (holding <c>ruleset.json</c>, <c>catalogue.json</c>, <c>*.rules.json</c>), absolute or
        /// relative to the host's content root. Set this or <see cref="RuleSetProvider"/>, not both.
        /// </summary>
        public string? RulesPath { get; set; }

        /// <summary>
        /// With <see cref="RulesPath"/>: follow edits to the folder (and the folders it extends) with a
        /// <see cref="WatchedRuleSet"/>. An edit that validates replaces the rules in use; one that does not keeps the last
        /// good rules and makes the rule-set health check unhealthy until it is fixed. Default false: the rules load once.
        /// </summary>
        public bool WatchRules { get; set; }

        /// <summary>
        /// Rules from somewhere other than a folder, or reloaded your own way: called once, when the host starts, and
        /// disposed with the container if it is <see cref="IDisposable"/>. Set this or <see cref="RulesPath"/>, not both.
        /// </summary>
        public Func<IServiceProvider, IRuleSetProvider>? RuleSetProvider { get; set; }

        /// <summary>
        /// The SQLite store's file, absolute or relative to the content root; the store when no other is chosen, at
        /// <see cref="DefaultSqlitePath"/>. Created on first write. Set at most one of <see cref="SqlitePath"/>,
        /// <see cref="StoreProvider"/> and <see cref="Store"/>.
        /// </summary>
        public string? SqlitePath { get; set; }

        /// <summary>
        /// A store from a store package, set by its extension method: <c>o.UsePostgreSql(connectionString)</c> from
        /// DecisionRouting.Stores.PostgreSql (for several app instances sharing cases). Its settings are checked at start-up
        /// with these options.
        /// </summary>
        public StoreProvider? StoreProvider { get; set; }

        /// <summary>Any other <see cref="IProposalStore"/>, created once and disposed with the container.</summary>
        public Func<IServiceProvider, IProposalStore>? Store { get; set; }

        /// <summary>Hashes new audit entries with HMAC-SHA256 under this key (see docs/lifecycle.md); null for plain SHA-256.</summary>
        public AuditKey? AuditKey { get; set; }

        /// <summary>The clock for routing ("today") and for cases (when entries are recorded). Default <see cref="TimeProvider.System"/>.</summary>
        public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

        /// <summary>Working days and bank holidays for plans and cases. Default: the shipped England and Wales data.</summary>
        public GovernanceCalendar Calendar { get; set; } = GovernanceCalendar.EnglandAndWales;

        /// <summary>Who may fire the triggers that are not steps. Default <see cref="LifecycleRoles"/>'s.</summary>
        public LifecycleRoles Roles { get; set; } = new();
    }
}
