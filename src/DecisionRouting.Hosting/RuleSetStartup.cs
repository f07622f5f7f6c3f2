using System;
using System.Threading;
using System.Threading.Tasks;
using DecisionRouting.RuleSets;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace DecisionRouting.Hosting
{
    /// <summary>
    /// Loads and validates the rules when the host starts, not on the first request: a rule set with errors stops the
    /// host, and the exception (<see cref="InvalidRuleSetException"/>) lists every error as file(line,col): error DRxxxx.
    /// </summary>
    internal sealed class RuleSetStartup : IHostedService
    {
        private readonly HostedRules _rules;
        private readonly DecisionRoutingOptions _options;
        private readonly ContentRoot _root;
        private readonly ILogger _logger;

        public RuleSetStartup(HostedRules rules, IOptions<DecisionRoutingOptions> options, ContentRoot root, ILogger<RuleSetStartup>? logger = null)
        {
            _rules = rules;
            _options = options.Value;
            _root = root;
            _logger = (ILogger?)logger ?? NullLogger.Instance;
        }

        public Task StartAsync(CancellationToken cancellationToken)
        {
            try
            {
                var ruleSet = _rules.Provider.Current;
                HostingLog.RulesLoaded(_logger, ruleSet.Name, _rules.Source, ruleSet.Hash, _options.WatchRules);
                foreach (var warning in ruleSet.Warnings)
                {
                    HostingLog.RuleWarning(_logger, warning.ToString());
                }

                HostingLog.StoreChosen(_logger, StoreChoice.Describe(_options, _root.Path));
            }
            catch (Exception e)
            {
                HostingLog.RulesFailed(_logger, e, _rules.Source);
                throw;
            }

            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
