using DecisionRouting.Tests.Support;

namespace DecisionRouting.Tests.Analysis;

/// <summary>Small rule sets with one planted fault of each kind rule-set analysis finds, written by the tests.</summary>
public static class PlantedRuleSets
{
    /// <summary>
    /// A catalogue with a notice that must be published before the decision but is ordered after the call-in window
    /// (which runs after the decision): the planted ordering conflict. <c>orphan</c> is required by no rule.
    /// </summary>
    public const string Catalogue = """
        {
          "bodies": [ { "id": "cabinet", "name": "Cabinet", "kind": "Executive" } ],
          "roles": [ { "id": "democratic-services", "name": "Democratic services" } ],
          "steps": [
            { "id": "call-in", "name": "Call-in window", "kind": "CallIn", "role": "democratic-services", "duration": { "days": 5, "counting": "WorkingDays" } },
            { "id": "notice", "name": "Key-decision notice", "kind": "Notice", "role": "democratic-services", "duration": { "days": 28, "counting": "ClearCalendarDays" }, "after": [ "call-in" ] },
            { "id": "decision", "name": "Cabinet decides", "kind": "Approval", "body": "cabinet", "after": [ "notice" ] },
            { "id": "record", "name": "Decision record", "kind": "Record", "role": "democratic-services" },
            { "id": "orphan", "name": "A step no rule requires", "kind": "Record", "role": "democratic-services" }
          ]
        }
        """;

    /// <summary>
    /// Rules with a planted dead rule (<c>Impossible</c>), a planted shadowed rule (<c>RecordLarge</c>, covered by
    /// <c>Record</c>), and a planted gap (no rule gives an officer's decision an approval step).
    /// </summary>
    public const string Rules = """
        {
          "WorkflowName": "main",
          "Rules": [
            { "RuleName": "Decides", "Expression": "proposal.DecisionMaker != DecisionMaker.Officer", "Properties": { "steps": [ "decision", "call-in" ], "source": "s", "reason": "r" } },
            { "RuleName": "Notice", "Expression": "proposal.FinancialCommitment >= 500000", "Properties": { "steps": [ "notice" ], "source": "s", "reason": "r" } },
            { "RuleName": "Impossible", "Expression": "proposal.FinancialCommitment > 5000000 && proposal.FinancialCommitment < 1000000", "Properties": { "steps": [ "record" ], "source": "s", "reason": "r" } },
            { "RuleName": "Record", "Expression": "proposal.FinancialCommitment >= 500000", "Properties": { "steps": [ "record" ], "source": "s", "reason": "r" } },
            { "RuleName": "RecordLarge", "Expression": "proposal.FinancialCommitment >= 1000000.50", "Properties": { "steps": [ "record" ], "source": "s", "reason": "r" } }
          ]
        }
        """;

    /// <summary>Two properties: one the planted rules break (spending of £100,000 gets no notice), one they keep.</summary>
    public const string Properties = """
        {
          "$schema": "../schemas/properties.schema.json",
          "properties": [
            { "name": "big-spend-is-noticed", "description": "every commitment of £100,000 or more gets the key-decision notice", "holds": "proposal.FinancialCommitment < 100000 || requires(\"notice\")" },
            { "name": "records-follow-notices", "holds": "!requires(\"record\") || requires(\"notice\")" }
          ]
        }
        """;

    /// <summary>The planted rule set, with the properties file as <c>properties.json</c> beside it.</summary>
    public static TempRuleSet Create()
    {
        var set = TempRuleSet.With(Catalogue, Rules, """{ "name": "planted" }""");
        set.Write("properties/planted.properties.json", Properties);
        return set;
    }
}
