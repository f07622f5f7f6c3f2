using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Linq.Expressions;
using DecisionRouting.Expressions;
using DecisionRouting.Proposals;
using DecisionRouting.RuleSets;
using DecisionRouting.Tests.Support;
using RulesEngine.ExpressionBuilders;
using RulesEngine.Models;

namespace DecisionRouting.Benchmarks;

/// <summary>A loaded rule set with everything each baseline needs to evaluate the same rules.</summary>
internal sealed class Workload
{
    private Workload(string directory, RuleSet ruleSet, IReadOnlyList<Proposal> proposals, bool plain)
    {
        Directory = directory;
        RuleSet = ruleSet;
        Proposals = proposals;
        Inputs = proposals.Select(p => ruleSet.Evaluation.Inputs(p)).ToArray();
        WorkflowNames = ruleSet.Evaluation.EntryWorkflowNames.ToArray();
        // Only plain rules (comparisons of proposal fields) can be compiled one by one without their workflow's
        // named parameters; the shipped sets use those, so they have no hand-compiled baseline.
        HandCompiled = plain ? CompileByHand(ruleSet) : Array.Empty<Func<Proposal, object, bool>>();
        Matched = new bool[ruleSet.Evaluation.Compiled.RuleCount];
        Errors = new string?[ruleSet.Evaluation.Compiled.RuleCount];
    }

    public string Directory { get; }

    public RuleSet RuleSet { get; }

    public IReadOnlyList<Proposal> Proposals { get; }

    public RuleParameter[][] Inputs { get; }

    public string[] WorkflowNames { get; }

    /// <summary>Each rule's expression as its own typed delegate: the practical limit for evaluating these rules.</summary>
    public Func<Proposal, object, bool>[] HandCompiled { get; }

    public bool[] Matched { get; }

    public string?[] Errors { get; }

    /// <summary>A plain generated rule set (rules of one to three comparisons) and 64 generated proposals.</summary>
    public static Workload Synthetic(int rules)
    {
        var directory = Path.Combine(Path.GetTempPath(), "dr-bench", $"plain-{rules}-{Guid.NewGuid():N}");
        Tests.Support.Synthetic.WriteRuleSet(directory, rules, seed: rules, plain: true);
        var random = new Random(7);
        return new Workload(directory, RuleSet.Load(directory), Enumerable.Range(0, 64).Select(i => Tests.Support.Synthetic.Proposal(random, i)).ToList(), plain: true);
    }

    /// <summary>A shipped rule set with the seed proposals.</summary>
    public static Workload Shipped(string folder)
    {
        var root = Repository();
        var proposals = System.IO.Directory.GetFiles(Path.Combine(root, "samples", "proposals"), "*.json").Select(f => ProposalReader.ReadFile(f).Proposal!).ToList();
        return new Workload(Path.Combine(root, folder), RuleSet.Load(Path.Combine(root, folder)), proposals, plain: false);
    }

    /// <summary>The RulesEngine workflows of a generated set, read as RulesEngine itself reads them (its JSON model).</summary>
    public static Workflow[] ReadRulesEngineWorkflows(string directory) =>
        System.IO.Directory.GetFiles(directory, "*.rules.json")
            .Select(f => System.Text.Json.JsonSerializer.Deserialize<Workflow>(File.ReadAllText(f))!)
            .ToArray();

    public static string Repository()
    {
        var recorded = typeof(Workload).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyMetadataAttribute), false)
            .Cast<System.Reflection.AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == "RepositoryRoot")?.Value;
        if (recorded is not null && File.Exists(Path.Combine(recorded, "DecisionRouting.sln")))
        {
            return recorded;
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "DecisionRouting.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Run the benchmarks from inside the repository");
    }

    private static Func<Proposal, object, bool>[] CompileByHand(RuleSet ruleSet)
    {
        var parser = new RuleExpressionParser(ExpressionEnvironment.Settings);
        var inputs = ruleSet.Evaluation.Environment.ParameterExpressions();
        var proposal = Expression.Parameter(typeof(Proposal), "p");
        var parameters = Expression.Parameter(typeof(object), "o");
        return ruleSet.Evaluation.Compiled.Workflows.SelectMany(w => w.Rules).Select(rule =>
        {
            var parsed = parser.Parse(rule.Expression ?? "false", inputs, null!);
            var body = parsed is LambdaExpression lambda ? lambda.Body : parsed;
            var bound = Expression.Block(typeof(bool), inputs, Expression.Assign(inputs[0], proposal), Expression.Assign(inputs[1], proposal), Expression.Assign(inputs[2], Expression.Convert(parameters, inputs[2].Type)), body);
            return Expression.Lambda<Func<Proposal, object, bool>>(bound, proposal, parameters).Compile();
        }).ToArray();
    }
}
