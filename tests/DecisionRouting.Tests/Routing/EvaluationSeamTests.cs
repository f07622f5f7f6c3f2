using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Reflection.Emit;
using DecisionRouting.Evaluation;
using DecisionRouting.Explanations;
using DecisionRouting.Routing;
using DecisionRouting.RuleSets;

namespace DecisionRouting.Tests.Routing;

/// <summary>
/// Evaluation sits behind one seam (docs/architecture.md, "One seam"): <see cref="RuleSet"/> owns it through one
/// internal member, the router asks it one question and the explainer another. Before, a change to evaluation touched
/// <c>RuleSet</c>, <c>Router</c>, <c>CompiledRuleSet</c> and <c>Explainer</c> through eight internal members
/// (<c>Engine</c>, <c>Compiled</c>, <c>Environment</c>, <c>EntryWorkflowNames</c>, <c>TopLevelRules</c>,
/// <c>GlobalParams</c>, <c>ParametersFor</c>, <c>Inputs</c>); these tests read the compiled code (IL), so a shortcut
/// past the seam fails here rather than in review.
/// </summary>
public sealed class EvaluationSeamTests
{
    private const BindingFlags Declared = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    [Fact]
    public void A_rule_set_reaches_evaluation_through_one_internal_member()
    {
        var hidden = typeof(RuleSet).GetMembers(Declared)
            .Where(m => !IsPublic(m) && !m.Name.StartsWith('<') && m is not ConstructorInfo)
            .Where(m => m is not MethodInfo { IsSpecialName: true })
            .Select(m => m.Name)
            .OrderBy(n => n, StringComparer.Ordinal)
            .ToList();

        // FromDefinition is loading (fuzz tests build from a definition), not evaluation.
        Assert.Equal(new[] { "Evaluation", "FromDefinition" }, hidden);
    }

    [Fact]
    public void The_router_asks_evaluation_one_question()
    {
        var reached = Reached(typeof(Router));

        // Prepare is asked once, in the constructor (RulesEngine is checked against DR0081 and built there); Evaluate per route.
        Assert.Equal(new[] { "RuleEvaluation.Evaluate", "RuleEvaluation.Prepare", "RuleOutcomes.get_Incomplete", "RuleOutcomes.get_Matched", "RuleOutcomes.get_Warnings", "RuleSet.get_Evaluation" }, reached);
    }

    [Fact]
    public void The_explainer_asks_evaluation_one_question()
    {
        // The guard (budget, faults) and the shared parse are tools the explainer's own re-evaluation uses; the
        // evaluators, the layout of workflows and the parameters are not its to reach. HostFaults is the guard's fault
        // classification, kept apart from it so a filter never runs the guard's static constructor.
        var reached = Reached(typeof(Explainer)).Where(name => !name.StartsWith("EvaluationGuard.", StringComparison.Ordinal) && !name.StartsWith("HostFaults.", StringComparison.Ordinal)).ToList();

        Assert.Equal(
            new[]
            {
                "RuleEvaluation.RulesNaming",
                "RuleInPlan.get_Incomplete",
                "RuleInPlan.get_Matched",
                "RuleInPlan.get_Rule",
                "RuleSet.get_Evaluation",
                "RulesNamingStep.get_InputNames",
                "RulesNamingStep.get_InputValues",
                "RulesNamingStep.get_Workflows",
                "WorkflowRulesNamingStep.get_Globals",
                "WorkflowRulesNamingStep.get_Rules",
                "WorkflowRulesNamingStep.get_Workflow",
            },
            reached);
    }

    [Fact]
    public void Both_evaluators_sit_behind_one_interface_in_the_evaluation_folder()
    {
        var evaluators = typeof(RuleEvaluation).Assembly.GetTypes()
            .Where(t => typeof(IRuleEvaluator).IsAssignableFrom(t) && !t.IsInterface)
            .Select(t => t.FullName)
            .OrderBy(n => n, StringComparer.Ordinal);

        Assert.Equal(new[] { "DecisionRouting.Evaluation.CompiledRuleSet", "DecisionRouting.Evaluation.RulesEngineRuleSet" }, evaluators);
    }

    /// <summary>The evaluation members (declared in DecisionRouting.Evaluation, or internal to RuleSet) that <paramref name="type"/>'s code, lambdas included, refers to.</summary>
    private static List<string> Reached(Type type) =>
        ReferencedMembers(type)
            .Where(m => m.DeclaringType is { } declaring
                && (declaring.Namespace == "DecisionRouting.Evaluation" || (declaring == typeof(RuleSet) && !IsPublic(m))))
            .Select(m => $"{m.DeclaringType!.Name}.{m.Name}")
            .Distinct()
            .OrderBy(n => n, StringComparer.Ordinal)
            .ToList();

    private static bool IsPublic(MemberInfo member) => member switch
    {
        MethodBase method => method.IsPublic,
        FieldInfo field => field.IsPublic,
        PropertyInfo property => property.GetMethod?.IsPublic == true,
        Type nested => nested.IsNestedPublic,
        _ => false,
    };

    /// <summary>Every method, field and type token in the IL of <paramref name="type"/> and the types nested in it (where lambdas and closures live).</summary>
    private static IEnumerable<MemberInfo> ReferencedMembers(Type type)
    {
        var opCodes = typeof(OpCodes).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Select(f => (OpCode)f.GetValue(null)!)
            .ToDictionary(o => unchecked((ushort)o.Value));
        var found = new List<MemberInfo>();
        foreach (var declaring in WithNested(type))
        {
            foreach (var method in declaring.GetMethods(Declared).Cast<MethodBase>().Concat(declaring.GetConstructors(Declared)))
            {
                var il = method.GetMethodBody()?.GetILAsByteArray();
                for (var i = 0; il is not null && i < il.Length;)
                {
                    ushort value = il[i++];
                    if (value == 0xFE)
                    {
                        value = (ushort)(0xFE00 | il[i++]);
                    }

                    var op = opCodes[value];
                    if (op.OperandType is OperandType.InlineMethod or OperandType.InlineField or OperandType.InlineTok or OperandType.InlineType)
                    {
                        found.Add(method.Module.ResolveMember(
                            BitConverter.ToInt32(il, i),
                            declaring.IsGenericType ? declaring.GetGenericArguments() : null,
                            method.IsGenericMethod ? method.GetGenericArguments() : null)!);
                    }

                    i += op.OperandType switch
                    {
                        OperandType.InlineNone => 0,
                        OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
                        OperandType.InlineVar => 2,
                        OperandType.InlineI8 or OperandType.InlineR => 8,
                        OperandType.InlineSwitch => 4 + (4 * BitConverter.ToInt32(il, i)),
                        _ => 4,
                    };
                }
            }
        }

        return found;
    }

    private static IEnumerable<Type> WithNested(Type type) =>
        new[] { type }.Concat(type.GetNestedTypes(Declared).SelectMany(WithNested));
}
