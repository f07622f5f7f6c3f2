using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using DecisionRouting.Proposals;
using DecisionRouting.RuleSets;

namespace DecisionRouting.Benchmarks;

/// <summary>A loaded rule set and the proposals to route through it, read through the public API only.</summary>
internal sealed class Workload
{
    private Workload(string directory, RuleSet ruleSet, IReadOnlyList<Proposal> proposals)
    {
        Directory = directory;
        RuleSet = ruleSet;
        Proposals = proposals;
    }

    public string Directory { get; }

    public RuleSet RuleSet { get; }

    public IReadOnlyList<Proposal> Proposals { get; }

    /// <summary>A shipped rule set with the seed proposals.</summary>
    public static Workload Shipped(string folder)
    {
        var root = Repository();
        var proposals = System.IO.Directory.GetFiles(Path.Combine(root, "samples", "proposals"), "*.json").Select(f => ProposalReader.ReadFile(f).Proposal!).ToList();
        return new Workload(Path.Combine(root, folder), RuleSet.Load(Path.Combine(root, folder)), proposals);
    }

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
}
