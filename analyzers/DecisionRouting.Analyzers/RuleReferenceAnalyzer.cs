using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using DiagnosticDescriptors = DecisionRouting.Diagnostics.DiagnosticDescriptors;
using NameSuggestions = DecisionRouting.Diagnostics.NameSuggestions;

namespace DecisionRouting.Analyzers
{
    /// <summary>
    /// Checks C# strings marked <c>[StepReference]</c>, <c>[BodyReference]</c>, <c>[RuleReference]</c> or
    /// <c>[WorkflowReference]</c> against the names the rule files define (DR0031): constant arguments to marked
    /// parameters, marked constants, and every string constant of a marked class (generated or hand-written).
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class RuleReferenceAnalyzer : DiagnosticAnalyzer
    {
        /// <summary>The property a DR0031 carries with the closest defined name, for the code fix.</summary>
        public const string SuggestionProperty = "Suggestion";

        private static readonly (string Attribute, string Kind)[] Markers =
        {
            ("DecisionRouting.References.StepReferenceAttribute", "step"),
            ("DecisionRouting.References.BodyReferenceAttribute", "body"),
            ("DecisionRouting.References.RuleReferenceAttribute", "rule"),
            ("DecisionRouting.References.WorkflowReferenceAttribute", "workflow"),
        };

        /// <inheritdoc />
        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(AnalyzerDescriptors.For(DiagnosticDescriptors.UnknownReference.Id));

        /// <inheritdoc />
        public override void Initialize(AnalysisContext context)
        {
            context.EnableConcurrentExecution();
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.Analyze | GeneratedCodeAnalysisFlags.ReportDiagnostics);
#pragma warning disable RS1012 // Registers nothing when the compilation has no marked references or no rule files: no work.
            context.RegisterCompilationStartAction(start =>
            {
                var markers = Markers
                    .Select(m => (Symbol: start.Compilation.GetTypeByMetadataName(m.Attribute), m.Kind))
                    .Where(m => m.Symbol is not null)
                    .ToDictionary(m => m.Symbol!, m => m.Kind, (IEqualityComparer<INamedTypeSymbol>)SymbolEqualityComparer.Default);
                if (markers.Count == 0)
                {
                    return;
                }

                var facts = RuleFileCache.For(start.Compilation, start.Options, start.CancellationToken);
                if (!facts.HasRuleFiles)
                {
                    return;
                }

                start.RegisterOperationAction(c => CheckArgument(c, (IArgumentOperation)c.Operation, markers, facts), OperationKind.Argument);
                start.RegisterSymbolAction(c => CheckField(c, (IFieldSymbol)c.Symbol, markers, facts), SymbolKind.Field);
            });
#pragma warning restore RS1012
        }

        private static void CheckArgument(OperationAnalysisContext context, IArgumentOperation argument, Dictionary<INamedTypeSymbol, string> markers, RuleFileFacts facts)
        {
            if (argument.Parameter is not { } parameter || KindOf(parameter.GetAttributes(), markers) is not { } kind)
            {
                return;
            }

            if (argument.Value.ConstantValue is { HasValue: true, Value: string name })
            {
                Check(name, kind, argument.Value.Syntax.GetLocation(), facts, context.ReportDiagnostic);
            }
        }

        private static void CheckField(SymbolAnalysisContext context, IFieldSymbol field, Dictionary<INamedTypeSymbol, string> markers, RuleFileFacts facts)
        {
            if (!field.HasConstantValue || field.ConstantValue is not string name)
            {
                return;
            }

            var kind = KindOf(field.GetAttributes(), markers) ?? KindOf(field.ContainingType.GetAttributes(), markers);
            if (kind is null)
            {
                return;
            }

            foreach (var reference in field.DeclaringSyntaxReferences)
            {
                // Point at the value, where the fix goes.
                var syntax = reference.GetSyntax(context.CancellationToken);
                var value = syntax.DescendantNodes().OfType<Microsoft.CodeAnalysis.CSharp.Syntax.EqualsValueClauseSyntax>().FirstOrDefault()?.Value ?? syntax;
                Check(name, kind, value.GetLocation(), facts, context.ReportDiagnostic);
            }
        }

        private static void Check(string name, string kind, Location location, RuleFileFacts facts, System.Action<Diagnostic> report)
        {
            var known = facts.Names[kind];
            if (known.Contains(name))
            {
                return;
            }

            var suggestion = NameSuggestions.Closest(name, known);
            var properties = suggestion is null ? ImmutableDictionary<string, string?>.Empty : ImmutableDictionary<string, string?>.Empty.Add(SuggestionProperty, suggestion);
            var message = string.Format(System.Globalization.CultureInfo.InvariantCulture, DiagnosticDescriptors.UnknownReference.MessageFormat, kind, name, suggestion is null ? string.Empty : $"; did you mean '{suggestion}'?");
            report(Diagnostic.Create(AnalyzerDescriptors.For(DiagnosticDescriptors.UnknownReference.Id), location, properties, message));
        }

        private static string? KindOf(ImmutableArray<AttributeData> attributes, Dictionary<INamedTypeSymbol, string> markers)
        {
            foreach (var attribute in attributes)
            {
                if (attribute.AttributeClass is { } type && markers.TryGetValue(type, out var kind))
                {
                    return kind;
                }
            }

            return null;
        }
    }
}
