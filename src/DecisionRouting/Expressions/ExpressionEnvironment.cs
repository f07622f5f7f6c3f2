using System;
using System.Collections.Generic;
using System.Linq.Expressions;
using System.Reflection;
using System.Reflection.Emit;
using System.Threading;
using DecisionRouting.Proposals;
using DecisionRouting.RuleSets;
using NodaTime;
using RulesEngine.ExpressionBuilders;
using RulesEngine.Models;

namespace DecisionRouting.Expressions
{
    /// <summary>
    /// What rule expressions can see, shared by load-time checking and routing so the two never disagree:
    /// <c>proposal</c> (also <c>input1</c>, RulesEngine's default name), <c>parameters</c> (the rule set's local
    /// values as a typed object), and the types whose members expressions may use.
    /// </summary>
    internal sealed class ExpressionEnvironment
    {
        public const string ProposalName = ExpressionNames.Proposal;
        public const string DefaultInputName = ExpressionNames.DefaultInput;
        public const string ParametersName = ExpressionNames.Parameters;

        /// <summary>Types expressions may name or call methods on (RulesEngine's CustomTypes).</summary>
        public static readonly Type[] CustomTypes =
        {
            typeof(Proposal), typeof(ProposalKind), typeof(DecisionMaker), typeof(StatutoryRole), typeof(ProposalAttributes), typeof(LocalDate),
        };

        private readonly IReadOnlyList<RuleSetParameter> _parameters;
        private readonly ParameterExpression[] _inputs;

        public ExpressionEnvironment(IReadOnlyList<RuleSetParameter> parameters)
        {
            _parameters = parameters;
            ParametersType = CreateParametersType(parameters);

            // Created once, before any thread can ask: parsed trees are shared across threads and must all bind these.
            _inputs = new[]
            {
                Expression.Parameter(typeof(Proposal), ProposalName),
                Expression.Parameter(typeof(Proposal), DefaultInputName),
                Expression.Parameter(ParametersType, ParametersName),
            };
        }

        /// <summary>A generated class with one property per rule-set parameter.</summary>
        public Type ParametersType { get; }

        /// <summary>
        /// One RulesEngine parser for the process, shared by checking and compiling on every thread. Its parsing
        /// configuration is built once per parser instance, and building it makes System.Linq.Dynamic.Core scan every
        /// type of every loaded assembly for <c>[DynamicLinqType]</c> (0.2 to 0.5 s here, more as assemblies load): a
        /// parser per workflow made every load pay that scan twice, and every workflow once more. Sharing is safe:
        /// <see cref="RuleExpressionParser.Parse"/> reads only that configuration and builds a new
        /// System.Linq.Dynamic.Core <c>ExpressionParser</c> per call, and the configuration is what
        /// System.Linq.Dynamic.Core itself shares (<c>ParsingConfig.Default</c>). The settings are
        /// <see cref="Settings"/>, so expressions mean exactly what they meant with a parser each.
        /// </summary>
        public static RuleExpressionParser SharedParser => SharedParserInstance.Value;

        private static readonly Lazy<RuleExpressionParser> SharedParserInstance = new(() =>
        {
            var parser = new RuleExpressionParser(Settings);

            // Builds the configuration (and scans) once, here, before threads race to build one each.
            parser.Parse("true", Array.Empty<ParameterExpression>(), typeof(bool));
            return parser;
        });

        public static ReSettings Settings => new()
        {
            CustomTypes = CustomTypes,
            EnableScopedParams = true,

            // FastExpressionCompiler gives wrong results on some nullable comparisons; correctness first.
            UseFastExpressionCompiler = false,
            IsExpressionCaseSensitive = true,
        };

        /// <summary>
        /// The parameters expressions see. The same objects on every call, so a tree parsed while checking binds
        /// the parameters the compiled delegate declares (see <see cref="ParsedExpressions"/>).
        /// </summary>
        public ParameterExpression[] ParameterExpressions() => (ParameterExpression[])_inputs.Clone();

        /// <summary>The RulesEngine inputs for one proposal, in the order of <see cref="ParameterExpressions"/>.</summary>
        public RuleParameter[] Inputs(Proposal proposal, object parametersInstance) => new[]
        {
            new RuleParameter(ProposalName, proposal),
            new RuleParameter(DefaultInputName, proposal),
            new RuleParameter(ParametersName, parametersInstance),
        };

        /// <summary>An instance of <see cref="ParametersType"/> holding the rule set's values.</summary>
        public object CreateParametersInstance() => CreateParametersInstance(p => p.Value);

        /// <summary>
        /// An instance of <see cref="ParametersType"/> holding each parameter's value as <paramref name="valueOf"/> gives
        /// it: for a dated parameter (an <c>executiveModel</c> timeline), its value on one day.
        /// </summary>
        public object CreateParametersInstance(Func<RuleSetParameter, object?> valueOf)
        {
            var instance = Activator.CreateInstance(ParametersType)!;
            foreach (var parameter in _parameters)
            {
                ParametersType.GetField(parameter.Name)!.SetValue(instance, valueOf(parameter));
            }

            return instance;
        }

        /// <summary>
        /// A plain class with one public field per parameter. Not DynamicLinq's DynamicClass: that resolves members
        /// at run time, so a misspelt parameter would compile and silently fail to match.
        /// </summary>
        private static Type CreateParametersType(IReadOnlyList<RuleSetParameter> parameters)
        {
            var module = ParametersModule.Value;
            var type = module.DefineType($"RuleSetParameters{Interlocked.Increment(ref _typeCounter)}", TypeAttributes.Public | TypeAttributes.Sealed | TypeAttributes.Class);
            foreach (var parameter in parameters)
            {
                var fieldType = parameter.Kind switch
                {
                    RuleSetParameterKind.Number => typeof(decimal),
                    RuleSetParameterKind.Flag => typeof(bool),
                    _ => typeof(string),
                };
                type.DefineField(parameter.Name, fieldType, FieldAttributes.Public);
            }

            type.DefineDefaultConstructor(MethodAttributes.Public);
            return type.CreateType();
        }

        private static int _typeCounter;

        private static readonly Lazy<ModuleBuilder> ParametersModule = new(() =>
            AssemblyBuilder.DefineDynamicAssembly(new AssemblyName("DecisionRouting.RuleSetParameters"), AssemblyBuilderAccess.RunAndCollect)
                .DefineDynamicModule("DecisionRouting.RuleSetParameters"));
    }
}
