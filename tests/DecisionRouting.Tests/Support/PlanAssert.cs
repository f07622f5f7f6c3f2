using DecisionRouting.Routing;

namespace DecisionRouting.Tests.Support;

/// <summary>Assertions about a plan's shape.</summary>
public static class PlanAssert
{
    /// <summary>Each step is in an earlier stage than the next.</summary>
    public static void Order(RoutingPlan plan, params string[] steps)
    {
        for (var i = 1; i < steps.Length; i++)
        {
            Assert.True(plan.Find(steps[i - 1])!.Stage < plan.Find(steps[i])!.Stage, $"'{steps[i - 1]}' should come before '{steps[i]}'");
        }
    }
}
