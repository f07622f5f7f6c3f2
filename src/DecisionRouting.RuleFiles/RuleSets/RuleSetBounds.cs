using System.Collections.Generic;
using System.Linq;
using DecisionRouting.Diagnostics;
using DecisionRouting.Text;
using DecisionRouting.Workflows;

namespace DecisionRouting.RuleSets
{
    /// <summary>
    /// The most a rule set may hold, so that loading one that validates takes bounded time and memory whatever its
    /// files say. Each file is already at most <see cref="RuleSetReadOptions.MaxFileBytes"/>; these bound how many
    /// there are and what they declare. The figures are far above the shipped rule sets (a few files, tens of rules,
    /// under a hundred steps) and above the evaluation benchmarks' largest rule counts. Checked by <see cref="RuleSetReader"/>, so the
    /// library, the CLI and the analyzer report them alike: files and bytes as DR0059, the counts as DR0060.
    /// </summary>
    internal static class RuleSetBounds
    {
        /// <summary>The most rule files (<c>*.rules.json</c>) one rule-set folder may hold; more are not read (DR0059).</summary>
        public const int MaxRuleFilesPerFolder = 1_000;

        /// <summary>The most bytes (UTF-8) of rule files a rule set may hold, all layers together; reading stops there (DR0059).</summary>
        public const long MaxRuleSetBytes = 64L * 1024 * 1024;

        /// <summary>The most workflows a rule set may define (DR0060).</summary>
        public const int MaxWorkflows = 5_000;

        /// <summary>The most rules one workflow may hold, nested rules included, before injections expand (DR0060; expanded: DR0058).</summary>
        public const int MaxRulesPerWorkflow = 50_000;

        /// <summary>
        /// The most named parameters (<c>GlobalParams</c>, and <c>LocalParams</c> of all its rules) one workflow may hold
        /// (DR0060). Each parameter is typed once, with only the parameters it names, so a chain loads in time linear in
        /// its length (5,000 chained parameters in a few seconds; before, 6,000 took 31 s and 20,000 ran out of memory).
        /// </summary>
        public const int MaxParametersPerWorkflow = 5_000;

        /// <summary>
        /// The most steps a rule set's merged catalogue may hold (DR0060). The ordering checks (validation's reachability
        /// and routing's ordering) keep one bit set per step, so they cost orderings × steps / 64 and steps² / 8 bytes:
        /// 10,000 steps, each after the 40 before it (a 3.9 MB catalogue), load in seconds and route in about one
        /// (see docs/performance.md).
        /// </summary>
        public const int MaxSteps = 10_000;

        /// <summary>
        /// The most steps in one chain of orderings (<c>after</c>, <c>before</c>), each after the one before (DR0060):
        /// as many as the catalogue may hold. Validating and routing a chain used to grow with its square (a 4,000-step
        /// chain took 20 s and 2.3 GB to route); with bit sets and no recursion a 10,000-step chain loads and routes in a
        /// few seconds, so the bound now only says plainly what a chain can cost.
        /// </summary>
        public const int MaxOrderingChain = 10_000;

        /// <summary>Reports DR0060 for each count over its bound; returns whether all are within them.</summary>
        internal static bool CheckCounts(IReadOnlyList<WorkflowDefinition> workflows, CatalogueMerge catalogue, DiagnosticBag diagnostics)
        {
            var within = true;
            if (workflows.Count > MaxWorkflows)
            {
                diagnostics.Report(DiagnosticDescriptors.RuleSetTooLarge, workflows[MaxWorkflows].Location, $"The rule set defines {workflows.Count} workflows; the limit is {MaxWorkflows}. Split the rule set, or merge workflows");
                within = false;
            }

            foreach (var workflow in workflows)
            {
                var rules = 0;
                var parameters = workflow.GlobalParams.Count;
                SourceLocation? rulesOver = null;
                var parametersOver = parameters > MaxParametersPerWorkflow ? workflow.GlobalParams[MaxParametersPerWorkflow].Location : null;

                // Iterative, so a deeply nested rule cannot overflow the stack here.
                var pending = new Stack<RuleDefinition>(workflow.Rules.Reverse());
                while (pending.Count > 0)
                {
                    var rule = pending.Pop();
                    rules++;
                    if (rules == MaxRulesPerWorkflow + 1)
                    {
                        rulesOver = rule.Location;
                    }

                    foreach (var local in rule.LocalParams)
                    {
                        parameters++;
                        if (parameters == MaxParametersPerWorkflow + 1)
                        {
                            parametersOver = local.Location;
                        }
                    }

                    for (var i = rule.Rules.Count - 1; i >= 0; i--)
                    {
                        pending.Push(rule.Rules[i]);
                    }
                }

                if (rulesOver is { } r)
                {
                    diagnostics.Report(DiagnosticDescriptors.RuleSetTooLarge, r, $"Workflow '{workflow.Name}' holds {rules} rules, nested rules included; the limit is {MaxRulesPerWorkflow}. Split it into several workflows");
                    within = false;
                }

                if (parametersOver is { } p)
                {
                    diagnostics.Report(DiagnosticDescriptors.RuleSetTooLarge, p, $"Workflow '{workflow.Name}' holds {parameters} named parameters (GlobalParams and its rules' LocalParams); the limit is {MaxParametersPerWorkflow}. Name fewer intermediate values");
                    within = false;
                }
            }

            var steps = catalogue.Steps;
            if (steps.Count > MaxSteps)
            {
                var over = steps.Keys.Skip(MaxSteps).First();
                diagnostics.Report(DiagnosticDescriptors.RuleSetTooLarge, catalogue.StepLocation(over) ?? SourceLocation.ForPath(RulePaths.CatalogueFile), $"The catalogue holds {steps.Count} steps; the limit is {MaxSteps}. Split the rule set");
                within = false;
            }

            var (length, end) = LongestOrderingChain(catalogue.Predecessors());
            if (length > MaxOrderingChain && end is not null)
            {
                diagnostics.Report(DiagnosticDescriptors.RuleSetTooLarge, catalogue.StepLocation(end) ?? SourceLocation.ForPath(RulePaths.CatalogueFile), $"Step '{end}' ends a chain of {length} steps, each ordered after the one before ('after'/'before'); the limit is {MaxOrderingChain}. Order steps against a shared earlier step rather than each against the last");
                within = false;
            }

            return within;
        }

        /// <summary>
        /// The most steps on one path of the ordering graph, and the step it ends at. Kahn's order, so it is linear and
        /// needs no recursion; steps on a cycle (reported elsewhere, DR0015) are left out.
        /// </summary>
        private static (int Length, string? End) LongestOrderingChain(IReadOnlyDictionary<string, IReadOnlyList<string>> predecessors)
        {
            var waiting = predecessors.ToDictionary(p => p.Key, p => p.Value.Count(predecessors.ContainsKey));
            var successors = predecessors.Keys.ToDictionary(k => k, _ => new List<string>());
            foreach (var (step, before) in predecessors.Select(p => (p.Key, p.Value)))
            {
                foreach (var earlier in before.Where(predecessors.ContainsKey))
                {
                    successors[earlier].Add(step);
                }
            }

            var length = predecessors.Keys.ToDictionary(k => k, _ => 1);
            var ready = new Queue<string>(waiting.Where(w => w.Value == 0).Select(w => w.Key).OrderBy(k => k, System.StringComparer.Ordinal));
            var best = (Length: 0, End: (string?)null);
            while (ready.Count > 0)
            {
                var step = ready.Dequeue();
                if (length[step] > best.Length)
                {
                    best = (length[step], step);
                }

                foreach (var later in successors[step])
                {
                    if (length[step] + 1 > length[later])
                    {
                        length[later] = length[step] + 1;
                    }

                    if (--waiting[later] == 0)
                    {
                        ready.Enqueue(later);
                    }
                }
            }

            return best;
        }
    }
}
