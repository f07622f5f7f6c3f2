// The peers' input type, shared by the benchmark project (which compiles this file as a link) and the RulesEngine
// consumer app of `cold-package` (the harness copies it beside Program.cs).
namespace DecisionRouting.Benchmarks;

/// <summary>The peers' own input type: gen.py's proposal object, as RulesEngine reads it.</summary>
public sealed class PeerProposal
{
    public string Kind { get; init; } = string.Empty;

    public int FinancialValue { get; init; }

    public int WardsAffected { get; init; }

    public bool AffectsStaff { get; init; }

    public int StaffAffected { get; init; }

    public string Organisation { get; init; } = string.Empty;
}
