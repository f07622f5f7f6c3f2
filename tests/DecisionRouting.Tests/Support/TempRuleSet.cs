using System;
using System.IO;

namespace DecisionRouting.Tests.Support;

/// <summary>A rule-set folder in a temporary directory, written file by file, deleted on dispose.</summary>
public sealed class TempRuleSet : IDisposable
{
    public const string Catalogue = """
        {
          "bodies": [ { "id": "cabinet", "name": "Cabinet", "kind": "Executive" } ],
          "roles": [ { "id": "s151-officer", "name": "Chief finance officer" } ],
          "steps": [
            { "id": "notice", "name": "Notice", "kind": "Notice", "role": "s151-officer", "duration": { "days": 28, "counting": "ClearCalendarDays" } },
            { "id": "decision", "name": "Decision", "kind": "Approval", "body": "cabinet", "after": [ "notice" ] }
          ]
        }
        """;

    public const string Rules = """
        {
          "WorkflowName": "main",
          "Rules": [
            { "RuleName": "Big", "Expression": "proposal.FinancialCommitment > 100", "Properties": { "steps": [ "notice", "decision" ], "source": "test source", "reason": "test reason" } }
          ]
        }
        """;

    public TempRuleSet(string? root = null)
    {
        Directory = root ?? Path.Combine(Path.GetTempPath(), "dr-tests", Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
    }

    public string Directory { get; }

    /// <summary>Validates the rule set and returns its one diagnostic <paramref name="id"/>, failing with every diagnostic when there is not exactly one.</summary>
    public DecisionRouting.Diagnostics.RuleDiagnostic SingleDiagnostic(string id)
    {
        var diagnostics = DecisionRouting.RuleSets.RuleSet.Validate(Directory).Diagnostics;
        var matching = System.Linq.Enumerable.ToList(System.Linq.Enumerable.Where(diagnostics, d => d.Id == id));
        Xunit.Assert.True(matching.Count == 1, $"Expected one {id}, got:\n{string.Join("\n", diagnostics)}");
        return matching[0];
    }

    /// <summary>A rule set with the default catalogue and rules, each replaceable.</summary>
    public static TempRuleSet With(string? catalogue = Catalogue, string? rules = Rules, string? manifest = null)
    {
        var set = new TempRuleSet();
        if (manifest is not null)
        {
            set.Write("ruleset.json", manifest);
        }

        if (catalogue is not null)
        {
            set.Write("catalogue.json", catalogue);
        }

        if (rules is not null)
        {
            set.Write("main.rules.json", rules);
        }

        return set;
    }

    public string PathOf(string file) => Directory.Replace('\\', '/') + "/" + file;

    public string Write(string file, string text)
    {
        var path = Path.Combine(Directory, file);
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless; never fail a test over clean-up.
        }
    }
}
