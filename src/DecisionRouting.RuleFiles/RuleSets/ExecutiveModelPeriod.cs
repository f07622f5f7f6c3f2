using DecisionRouting.Text;

namespace DecisionRouting.RuleSets
{
    /// <summary>
    /// One entry of a dated executive-model timeline in <c>ruleset.json</c>:
    /// <c>{ "model": "MayorAndCabinet", "from": "2022-05-09" }</c>. Councils change their governance (LGA 2000 Part 1A
    /// Chapter 4, ss9K–9KC; a referendum under s9M–9MG), so a rule set that routes decisions across a change says which
    /// model held when. The model in force on a proposal's intended decision date is the one its rules read as
    /// <c>parameters.executiveModel</c>.
    /// </summary>
    /// <param name="Model">One of <see cref="ExecutiveModels.Names"/>.</param>
    /// <param name="Period">The days the model held: <c>from</c> inclusive, <c>until</c> exclusive (the next model's <c>from</c>).</param>
    /// <param name="Location">Where the entry is written, for diagnostics.</param>
    public sealed record ExecutiveModelPeriod(string Model, EffectivePeriod Period, SourceLocation Location);
}
