using System;

namespace DecisionRouting.References
{
    /// <summary>
    /// Marks a string that must name a step in the rule files: a parameter (every constant argument is checked), a
    /// constant field, or a class (every string constant in it is checked). The DecisionRouting analyzer reports a
    /// name the rule files do not define (DR0031), with "did you mean" and a code fix.
    /// </summary>
    [AttributeUsage(AttributeTargets.Parameter | AttributeTargets.Field | AttributeTargets.Property | AttributeTargets.Class, AllowMultiple = false)]
    public sealed class StepReferenceAttribute : Attribute
    {
    }

    /// <summary>Marks a string that must name a body in the rule files' catalogues (see <see cref="StepReferenceAttribute"/>).</summary>
    [AttributeUsage(AttributeTargets.Parameter | AttributeTargets.Field | AttributeTargets.Property | AttributeTargets.Class, AllowMultiple = false)]
    public sealed class BodyReferenceAttribute : Attribute
    {
    }

    /// <summary>Marks a string that must name a rule in the rule files (see <see cref="StepReferenceAttribute"/>).</summary>
    [AttributeUsage(AttributeTargets.Parameter | AttributeTargets.Field | AttributeTargets.Property | AttributeTargets.Class, AllowMultiple = false)]
    public sealed class RuleReferenceAttribute : Attribute
    {
    }

    /// <summary>Marks a string that must name a workflow in the rule files (see <see cref="StepReferenceAttribute"/>).</summary>
    [AttributeUsage(AttributeTargets.Parameter | AttributeTargets.Field | AttributeTargets.Property | AttributeTargets.Class, AllowMultiple = false)]
    public sealed class WorkflowReferenceAttribute : Attribute
    {
    }
}
