using System;
using System.Linq;
using DecisionRouting.Explanations;
using DecisionRouting.Lifecycle;
using DecisionRouting.LiveReload;
using DecisionRouting.Routing;
using DecisionRouting.RuleSets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace DecisionRouting.Hosting
{
    /// <summary>Registers DecisionRouting in a service collection.</summary>
    public static class DecisionRoutingServiceCollectionExtensions
    {
        /// <summary>
        /// Registers the rules, the router, the explainer, the case store and the case lifecycle, configured by
        /// <paramref name="configure"/>. When the host starts, the options are checked (<c>ValidateOnStart</c>, every
        /// problem in one <see cref="OptionsValidationException"/>) and then the rule set loads and validates; a rule set
        /// with errors stops the host with <see cref="InvalidRuleSetException"/>, whose message lists each error as
        /// file(line,col): error DRxxxx.
        /// <para>
        /// Registered: <see cref="IRuleSetProvider"/> (singleton); <see cref="RuleSet"/>, <see cref="Router"/> and
        /// <see cref="Explainer"/> (transient: each resolution gives the rules in use now, so a watched reload reaches
        /// the next request; a long-lived service should take <see cref="IRuleSetProvider"/> or resolve per use);
        /// <see cref="IProposalStore"/> and <see cref="ProposalLifecycle"/> (singletons, safe to share). Logging goes
        /// to the host's <see cref="ILoggerFactory"/>; traces and metrics to the <c>DecisionRouting</c> source and meter
        /// (docs/observability.md). Add health checks with
        /// <see cref="DecisionRoutingHealthChecksExtensions.AddDecisionRoutingHealthChecks"/>.
        /// </para>
        /// </summary>
        /// <exception cref="InvalidOperationException">Called twice on one collection.</exception>
        public static IServiceCollection AddDecisionRouting(this IServiceCollection services, Action<DecisionRoutingOptions> configure)
        {
            ArgumentNullException.ThrowIfNull(services);
            ArgumentNullException.ThrowIfNull(configure);
            if (services.Any(d => d.ServiceType == typeof(HostedRules)))
            {
                throw new InvalidOperationException("AddDecisionRouting was already called on this service collection; configure everything in one call.");
            }

            services.AddOptions<DecisionRoutingOptions>().Configure(configure).ValidateOnStart();
            services.TryAddSingleton<ContentRoot>();
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DecisionRoutingOptions>, DecisionRoutingOptionsValidator>());
            services.AddSingleton<HostedRules>();
            services.AddHostedService<RuleSetStartup>();

            services.AddSingleton<IRuleSetProvider>(sp => sp.GetRequiredService<HostedRules>().Provider);
            services.AddTransient(sp => sp.GetRequiredService<HostedRules>().Provider.Current);
            services.AddTransient(sp => sp.GetRequiredService<HostedRules>().Router);
            services.AddTransient(sp =>
            {
                var rules = sp.GetRequiredService<HostedRules>();
                return new Explainer(rules.Provider.Current, rules.RoutingOptions);
            });

            services.AddSingleton(sp => StoreChoice.Create(sp, sp.GetRequiredService<IOptions<DecisionRoutingOptions>>().Value, sp.GetRequiredService<ContentRoot>().Path));
            services.AddSingleton(sp =>
            {
                var options = sp.GetRequiredService<IOptions<DecisionRoutingOptions>>().Value;
                return new ProposalLifecycle(sp.GetRequiredService<IProposalStore>(), new LifecycleOptions
                {
                    Clock = options.TimeProvider,
                    Calendar = options.Calendar,
                    Roles = options.Roles,
                    Logger = (ILogger?)sp.GetService<ILoggerFactory>()?.CreateLogger(typeof(ProposalLifecycle).FullName!) ?? NullLogger.Instance,
                });
            });
            return services;
        }
    }
}
