using System.Collections.Generic;
using System.Linq;
using DecisionRouting.Diagnostics;
using DecisionRouting.Json;
using DecisionRouting.RuleSets;
using DecisionRouting.Text;

namespace DecisionRouting.Workflows
{
    /// <summary>
    /// Reads <c>*.rules.json</c> files: a RulesEngine workflow object, or an array of them, with exactly the
    /// property names RulesEngine 6 binds. Anything else is reported rather than silently dropped.
    /// </summary>
    internal static class WorkflowFileReader
    {
        /// <summary>The operators RulesEngine accepts for rules with child rules, spelt as it requires.</summary>
        public static readonly string[] Operators = { "And", "AndAlso", "Or", "OrElse" };

        /// <summary>The operators as a message lists them: "And, AndAlso, Or or OrElse".</summary>
        private static readonly string OperatorsInWords = string.Join(", ", Operators, 0, Operators.Length - 1) + " or " + Operators[Operators.Length - 1];

        /// <summary>Our keys inside a rule's <c>Properties</c>.</summary>
        private static readonly string[] GovernanceKeys = { "steps", "source", "reason", "verify", "warning", "effective", "requirement", "checked" };

        public static IReadOnlyList<WorkflowDefinition> Read(SourceDocument document, string ruleSet, DiagnosticBag diagnostics)
        {
            var root = ParsedDocument.ParseRuleFile(document, diagnostics);
            var result = new List<WorkflowDefinition>();
            switch (root)
            {
                case null:
                    break;
                case JsonArray array:
                    foreach (var item in array.Items)
                    {
                        if (ReadWorkflow(item, ruleSet, diagnostics) is { } workflow)
                        {
                            result.Add(workflow);
                        }
                    }

                    break;
                default:
                    if (ReadWorkflow(root, ruleSet, diagnostics) is { } single)
                    {
                        result.Add(single);
                    }

                    break;
            }

            return result;
        }

        private static WorkflowDefinition? ReadWorkflow(JsonNode node, string ruleSet, DiagnosticBag diagnostics)
        {
            var reader = ObjectReader.For(node, "workflow", "workflow", diagnostics);
            if (reader is null)
            {
                return null;
            }

            reader.Allow("$schema", "Description");
            var name = reader.Identifier("WorkflowName", "Workflow name");
            var inject = reader.StringArray("WorkflowsToInject").Concat(reader.StringArray("WorkflowRulesToInject")).ToList();
            ReadExpressionType(reader);
            var globals = ReadScopedParameters(reader, "GlobalParams", diagnostics);
            var rulesArray = reader.Array("Rules");
            var rulesUnreadable = rulesArray is null && reader.Object.Find("Rules") is not null;
            var hasTypos = reader.HasUnknownProperties;
            reader.Finish();
            if (name is null)
            {
                return null;
            }

            var workflow = new WorkflowDefinition(name.Value, name.Location, ruleSet)
            {
                WorkflowsToInject = inject.Select(i => i.Value).ToList(),
                InjectNodes = inject,
                GlobalParams = globals,
                Rules = ReadRules(rulesArray, diagnostics),
            };
            if (workflow.Rules.Count == 0 && inject.Count == 0 && !rulesUnreadable && !hasTypos)
            {
                diagnostics.Report(DiagnosticDescriptors.EmptyWorkflow, name.Location, name.Value);
            }

            return workflow;
        }

        private static IReadOnlyList<RuleDefinition> ReadRules(JsonArray? array, DiagnosticBag diagnostics)
        {
            if (array is null)
            {
                return System.Array.Empty<RuleDefinition>();
            }

            var rules = new List<RuleDefinition>();
            foreach (var item in array.Items)
            {
                if (ReadRule(item, diagnostics) is { } rule)
                {
                    rules.Add(rule);
                }
            }

            return rules;
        }

        private static RuleDefinition? ReadRule(JsonNode node, DiagnosticBag diagnostics)
        {
            var reader = ObjectReader.For(node, "rule", "Rules[]", diagnostics);
            if (reader is null)
            {
                return null;
            }

            var name = reader.Identifier("RuleName", "Rule name");
            if (name is not null)
            {
                reader.What = $"rule '{name.Value}'";
            }

            var expression = reader.StringNode("Expression");
            var op = reader.StringNode("Operator");
            var enabled = reader.Boolean("Enabled");
            var errorMessage = reader.String("ErrorMessage");
            var successEvent = reader.String("SuccessEvent");
            ReadExpressionType(reader);
            ReadLegacyErrorType(reader, diagnostics);
            var inject = reader.StringArray("WorkflowsToInject");
            var locals = ReadScopedParameters(reader, "LocalParams", diagnostics);
            var children = ReadRules(reader.Array("Rules"), diagnostics);
            ReadActions(reader, diagnostics);
            var propertiesNode = reader.Property("Properties")?.Value;
            var hasTypos = reader.HasUnknownProperties;
            reader.Finish();
            if (name is null)
            {
                return null;
            }

            var rule = new RuleDefinition(name.Value, name.Location)
            {
                ExpressionNode = expression,
                Operator = op?.Value,
                Enabled = enabled ?? true,
                ErrorMessage = errorMessage,
                SuccessEvent = successEvent,
                WorkflowsToInject = inject.Count == 0 ? System.Array.Empty<string>() : inject.Select(i => i.Value).ToList(),
                InjectNodes = inject,
                LocalParams = locals,
                Rules = children,
            };
            if (propertiesNode is not null && propertiesNode.Kind != JsonKind.Null)
            {
                ReadProperties(propertiesNode, rule, diagnostics);
            }

            // A misspelt "Expression" or "Rules" is already reported; "no condition" would only repeat it.
            if (!hasTypos)
            {
                CheckShape(rule, name, op, diagnostics);
            }

            return rule;
        }

        private static void CheckShape(RuleDefinition rule, JsonString name, JsonString? op, DiagnosticBag diagnostics)
        {
            var hasChildren = rule.Rules.Count > 0 || rule.WorkflowsToInject.Count > 0;
            if (op is not null && !Operators.Contains(op.Value))
            {
                // RulesEngine accepts "and" and then treats the rule as a leaf with no expression.
                diagnostics.Report(DiagnosticDescriptors.UnknownOperator, op.Location, op.Value, string.Join(", ", Operators), NameSuggestions.DidYouMean(op.Value, Operators));
                return;
            }

            if (hasChildren && op is null)
            {
                diagnostics.Report(DiagnosticDescriptors.ChildRulesWithoutOperator, name.Location, rule.Name, OperatorsInWords);
            }
            else if (!hasChildren && rule.ExpressionNode is null)
            {
                diagnostics.Report(DiagnosticDescriptors.RuleWithoutCondition, name.Location, rule.Name, op is null ? string.Empty : $"; its Operator '{op.Value}' has nothing to combine");
            }
            else if (hasChildren && rule.ExpressionNode is not null)
            {
                diagnostics.Report(DiagnosticDescriptors.ExpressionWithChildRules, rule.ExpressionNode.Location, rule.Name);
            }
        }

        /// <summary>
        /// RulesEngine binds the enum from its name or its number, as JSON serializers do: <c>"LambdaExpression"</c>
        /// and <c>0</c> are the same and both are accepted; anything else names no expression type.
        /// </summary>
        private static void ReadExpressionType(ObjectReader reader)
        {
            var node = reader.Property("RuleExpressionType")?.Value;
            switch (node)
            {
                case null:
                case JsonLiteral { Kind: JsonKind.Null }:
                case JsonString { Value: "LambdaExpression" }:
                case JsonNumber number when number.TryGetInt32(out var value) && value == 0:
                    return;
                case JsonString text:
                    reader.Diagnostics.Report(DiagnosticDescriptors.NotAnAllowedValue, text.Location, $"'{text.Value}' is not a valid RuleExpressionType; the only one is LambdaExpression (or 0)");
                    return;
                case JsonNumber other:
                    reader.Diagnostics.Report(DiagnosticDescriptors.NotAnAllowedValue, other.Location, $"{other.Raw} is not a valid RuleExpressionType; the only one is LambdaExpression (or 0)");
                    return;
                default:
                    reader.Diagnostics.Report(DiagnosticDescriptors.WrongValueType, node.Location, "RuleExpressionType", "\"LambdaExpression\" or 0", node.KindInWords);
                    return;
            }
        }

        /// <summary>ErrorType belonged to RulesEngine before version 5; accept it so older files load.</summary>
        private static void ReadLegacyErrorType(ObjectReader reader, DiagnosticBag diagnostics)
        {
            var node = reader.StringNode("ErrorType");
            if (node is not null && node.Value != "Warning" && node.Value != "Error")
            {
                diagnostics.Report(DiagnosticDescriptors.NotAnAllowedValue, node.Location, $"'{node.Value}' is not a valid ErrorType; expected Warning or Error");
            }
        }

        private static void ReadActions(ObjectReader rule, DiagnosticBag diagnostics)
        {
            var property = rule.Property("Actions");
            if (property is null || property.Value.Kind == JsonKind.Null || ObjectReader.For(property.Value, "Actions", "Actions", diagnostics) is not { } actions)
            {
                return;
            }

            foreach (var trigger in new[] { "OnSuccess", "OnFailure" })
            {
                var action = actions.Property(trigger);
                if (action is null || action.Value.Kind == JsonKind.Null || ObjectReader.For(action.Value, trigger, trigger, diagnostics) is not { } info)
                {
                    continue;
                }

                info.Name("Name");
                var context = info.Property("Context");
                if (context is not null && context.Value.Kind is not (JsonKind.Object or JsonKind.Null))
                {
                    diagnostics.Report(DiagnosticDescriptors.WrongValueType, context.Value.Location, "Context", "an object", context.Value.KindInWords);
                }

                info.Finish();
            }

            actions.Finish();
        }

        private static IReadOnlyList<ScopedParameterDefinition> ReadScopedParameters(ObjectReader owner, string name, DiagnosticBag diagnostics)
        {
            var array = owner.Array(name);
            if (array is null)
            {
                return System.Array.Empty<ScopedParameterDefinition>();
            }

            var result = new List<ScopedParameterDefinition>();
            foreach (var item in array.Items)
            {
                if (ObjectReader.For(item, name + " entry", name + "[]", diagnostics) is not { } reader)
                {
                    continue;
                }

                var paramName = reader.Identifier("Name", "Parameter name");
                var expression = reader.StringNode("Expression", required: true);
                reader.Finish();
                if (paramName is null || expression is null)
                {
                    continue;
                }

                // Duplicate names are reported with the other name collisions (DR0037, ParameterNameChecks).
                result.Add(new ScopedParameterDefinition(paramName.Value, paramName.Location, expression));
            }

            return result;
        }

        private static void ReadProperties(JsonNode node, RuleDefinition rule, DiagnosticBag diagnostics)
        {
            if (node is not JsonObject obj)
            {
                diagnostics.Report(DiagnosticDescriptors.WrongValueType, node.Location, "Properties", "an object", node.KindInWords);
                return;
            }

            rule.Properties = PlainObject(obj);

            // Properties is free-form in RulesEngine. Once a rule uses any of our keys, the object is governance
            // metadata and is read strictly; otherwise only near-misses of our keys are reported as typos.
            if (!obj.Properties.Any(p => GovernanceKeys.Contains(p.Name)))
            {
                foreach (var p in obj.Properties)
                {
                    if (NameSuggestions.Closest(p.Name, GovernanceKeys) is { } meant)
                    {
                        diagnostics.Report(DiagnosticDescriptors.UnknownProperty, p.NameLocation, p.Name, $"Properties of rule '{rule.Name}'", $"; did you mean '{meant}'?");
                    }
                }

                return;
            }

            var reader = ObjectReader.For(obj, $"Properties of rule '{rule.Name}'", "Properties", diagnostics)!;
            var steps = reader.StringArray("steps");
            rule.StepNodes = steps;
            rule.Governance = new RuleGovernance
            {
                Steps = steps.Select(s => s.Value).ToList(),
                Source = reader.Authored("source"),
                Reason = reader.Authored("reason"),
                Verify = reader.Boolean("verify") ?? false,
                Warning = reader.Authored("warning"),
                Effective = Catalogue.EffectiveReader.Read(reader, allowOn: true, $"rule '{rule.Name}'", out var on, out var effectiveLocation),
                Requirement = reader.Name("requirement", required: false)?.Value,
                Checked = reader.Date("checked"),
            };
            rule.EffectiveLocation = effectiveLocation;
            rule.OnNode = on;
            rule.RequirementNode = reader.StringNode("requirement");
            if (rule.RequirementNode is { } requirement)
            {
                NameCharacters.Check(requirement, "Requirement name", diagnostics);
            }
            reader.Finish();
            if (rule.Governance.Steps.Count > 0 && string.IsNullOrWhiteSpace(rule.Governance.Source))
            {
                diagnostics.Report(DiagnosticDescriptors.MissingSource, rule.Location, rule.Name);
            }
        }

        private static object? ToPlainValue(JsonNode node) => node switch
        {
            JsonString s => s.Value,
            JsonNumber n => n.TryGetDecimal(out var d) ? d : (object)n.Raw,
            JsonLiteral { Kind: JsonKind.True } => true,
            JsonLiteral { Kind: JsonKind.False } => false,
            JsonArray a => a.Items.Select(ToPlainValue).ToList(),
            JsonObject o => PlainObject(o),
            _ => null,
        };

        /// <summary>
        /// An object's properties as plain values, by name, in the order each name first appears; a repeated name (DR0021)
        /// keeps its last value. A loop rather than <c>GroupBy</c>: a dictionary overwritten in place keeps that order.
        /// </summary>
        private static Dictionary<string, object?> PlainObject(JsonObject obj)
        {
            var values = new Dictionary<string, object?>(obj.Properties.Length);
            foreach (var property in obj.Properties)
            {
                values[property.Name] = ToPlainValue(property.Value);
            }

            return values;
        }
    }
}
