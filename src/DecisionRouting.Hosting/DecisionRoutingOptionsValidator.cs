using System.Collections.Generic;
using System.Linq;
using Microsoft.Extensions.Options;

namespace DecisionRouting.Hosting
{
    /// <summary>
    /// The start-up check of <see cref="DecisionRoutingOptions"/>: every problem at once, each naming the option and what
    /// to set. Whether the rules themselves are right is the loader's to say (with DR ids and positions), when the host
    /// starts.
    /// </summary>
    internal sealed class DecisionRoutingOptionsValidator : IValidateOptions<DecisionRoutingOptions>
    {
        private readonly ContentRoot _root;

        public DecisionRoutingOptionsValidator(ContentRoot root) => _root = root;

        public ValidateOptionsResult Validate(string? name, DecisionRoutingOptions options)
        {
            var problems = new List<string>();
            var hasPath = options.RulesPath is not null;
            if (!hasPath && options.RuleSetProvider is null)
            {
                problems.Add($"DecisionRouting: no rules; set {nameof(DecisionRoutingOptions.RulesPath)} to a rule-set folder (such as 'rules/england'), or {nameof(DecisionRoutingOptions.RuleSetProvider)}.");
            }
            else if (hasPath && options.RuleSetProvider is not null)
            {
                problems.Add($"DecisionRouting: set {nameof(DecisionRoutingOptions.RulesPath)} or {nameof(DecisionRoutingOptions.RuleSetProvider)}, not both; they are two sources for the same rules.");
            }
            else if (hasPath && string.IsNullOrWhiteSpace(options.RulesPath))
            {
                problems.Add($"DecisionRouting: {nameof(DecisionRoutingOptions.RulesPath)} is empty; give the rule-set folder (such as 'rules/england').");
            }

            if (options.WatchRules && options.RuleSetProvider is not null)
            {
                problems.Add($"DecisionRouting: {nameof(DecisionRoutingOptions.WatchRules)} watches {nameof(DecisionRoutingOptions.RulesPath)}; a {nameof(DecisionRoutingOptions.RuleSetProvider)} reloads its own way, so leave {nameof(DecisionRoutingOptions.WatchRules)} unset.");
            }

            problems.AddRange(StoreChoice.Problems(options, _root.Path));
            if (options.TimeProvider is null)
            {
                problems.Add($"DecisionRouting: {nameof(DecisionRoutingOptions.TimeProvider)} is null; leave it unset for the system clock.");
            }

            if (options.Calendar is null)
            {
                problems.Add($"DecisionRouting: {nameof(DecisionRoutingOptions.Calendar)} is null; leave it unset for the shipped England and Wales calendar.");
            }

            if (options.Roles is null)
            {
                problems.Add($"DecisionRouting: {nameof(DecisionRoutingOptions.Roles)} is null; leave it unset for the default roles.");
            }

            return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems.Distinct());
        }
    }
}
