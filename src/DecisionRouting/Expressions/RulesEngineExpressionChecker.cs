using System;
using System.Collections.Generic;
using System.Linq;
using System.Linq.Expressions;
using System.Reflection;
using System.Text.RegularExpressions;
using DecisionRouting.Diagnostics;
using DecisionRouting.RuleSets;
using System.Threading;
using DynamicParseException = System.Linq.Dynamic.Core.Exceptions.ParseException;

namespace DecisionRouting.Expressions
{
    /// <summary>
    /// Checks expressions by compiling them with RulesEngine's own parser, with the same parameters and custom
    /// types the router uses, so an expression that loads is one RulesEngine will evaluate.
    /// </summary>
    internal sealed class RulesEngineExpressionChecker : IExpressionChecker
    {
        private static readonly Regex IncompatibleComparison = new(@"^The binary operator (\w+) is not defined for the types", RegexOptions.CultureInvariant);

        private static readonly Dictionary<string, string> Operators = new()
        {
            ["Equal"] = "==", ["NotEqual"] = "!=", ["GreaterThan"] = ">", ["GreaterThanOrEqual"] = ">=", ["LessThan"] = "<", ["LessThanOrEqual"] = "<=",
        };

        /// <summary>The first use of a comparison operator outside string literals ("&gt;" not as part of "&gt;=" or "=&gt;").</summary>
        private static int FindOperator(string expression, string symbol)
        {
            for (var i = 0; i < expression.Length; i++)
            {
                var c = expression[i];
                if (c is '"' or '\'')
                {
                    i = ExpressionText.EndOfLiteral(expression, i);

                    continue;
                }

                if (string.CompareOrdinal(expression, i, symbol, 0, symbol.Length) != 0)
                {
                    continue;
                }

                var next = i + symbol.Length < expression.Length ? expression[i + symbol.Length] : ' ';
                var previous = i > 0 ? expression[i - 1] : ' ';
                if (symbol.Length == 1 && (next == '=' || previous == '=' || previous == '<' || previous == '>' || previous == '!'))
                {
                    continue;
                }

                return i;
            }

            return -1;
        }

        private static readonly Regex QuotedName = new("'([^']+)'", RegexOptions.CultureInvariant);
        private readonly Lock _gate = new();

        /// <summary>Every tree parsed while checking, for the rule set to compile without parsing again.</summary>
        public ParsedExpressions Parsed { get; } = new();

        /// <summary>The environment of the last rule set checked: the parameters type its trees are bound to.</summary>
        public ExpressionEnvironment? Environment { get; private set; }
        private (IReadOnlyList<RuleSetParameter> Parameters, ExpressionEnvironment Environment)? _environment;

        public IExpressionScope CreateScope(IReadOnlyList<RuleSetParameter> parameters)
        {
            // Every workflow of a load shares the parameter list; emit its parameters type once, not per workflow.
            ExpressionEnvironment environment;
            lock (_gate)
            {
                if (_environment is not { } cached || !ReferenceEquals(cached.Parameters, parameters))
                {
                    _environment = (parameters, new ExpressionEnvironment(parameters));
                }

                environment = _environment.Value.Environment;
                Environment = environment;
            }

            // Parsing uses the process's one parser, and only for texts our own cannot read (see ParsedExpressions.ParseBody).
            return new Scope(Parsed, new ParameterScope(environment.ParameterExpressions(), environment.ParametersType));
        }

        private static ExpressionProblem? TryParse(ParsedExpressions parsed, string expression, ParameterScope scope, out Expression? body)
        {
            body = null;
            if (string.IsNullOrWhiteSpace(expression))
            {
                return new ExpressionProblem(ExpressionProblemKind.Syntax, "the expression is empty", 0, 0);
            }

            // Before parsing: the construct is refused whatever its operands' types, and the parser's own error
            // for a mistake elsewhere must not hide it.
            if (ImplicitDefaults.Find(expression) is { } implicitDefault)
            {
                return new ExpressionProblem(ExpressionProblemKind.NotAllowed, implicitDefault.Message, implicitDefault.Position, implicitDefault.Length);
            }

            try
            {
                body = parsed.Parse(expression, scope);
                if (ExpressionAllowList.FindViolation(body, scope.ParametersType) is { } violation)
                {
                    var position = ExpressionAllowList.PositionOf(expression, violation.Name, violation.Occurrence);
                    return new ExpressionProblem(ExpressionProblemKind.NotAllowed, violation.Message, position, position == 0 && !expression.StartsWith(violation.Name, StringComparison.Ordinal) ? 1 : violation.Name.Length);
                }

                return null;
            }
            catch (Exception e) when (e is DynamicParseException or InvalidOperationException or ArgumentException or NotSupportedException or AmbiguousMatchException or InvalidCastException
                && Rescan(expression, scope.All()) is { } found)
            {
                // A mistake: only now is the whole scope listed (for suggestions), so a valid chain never pays for it.
                return found;
            }
            catch (DynamicParseException e)
            {
                return Describe(e.Message, e.Position, expression, scope.All());
            }
            catch (Exception e) when (e is InvalidOperationException or ArgumentException or NotSupportedException or AmbiguousMatchException or InvalidCastException)
            {
                // The parser throws these for some type errors it finds while building the tree, without a position.
                // A comparison between incompatible types names its operator: point at it (its first use).
                var comparison = IncompatibleComparison.Match(e.Message);
                if (comparison.Success && Operators.TryGetValue(comparison.Groups[1].Value, out var symbol) && FindOperator(expression, symbol) is var at && at >= 0)
                {
                    return new ExpressionProblem(ExpressionProblemKind.Syntax, e.Message, at, symbol.Length);
                }

                return new ExpressionProblem(ExpressionProblemKind.Syntax, e.Message, 0, expression.Length);
            }
        }

        /// <summary>
        /// What the parser's first error hides: a member outside the allow-list comes first (fix the real problem
        /// before a type error it causes), then every member that does not exist, each at its own name.
        /// </summary>
        private static ExpressionProblem? Rescan(string expression, ParameterExpression[] parameters)
        {
            var found = MemberScan.Find(expression, parameters, parameters.First(p => p.Name == ExpressionEnvironment.ParametersName).Type);
            if (found.FirstOrDefault(p => p.Kind == ExpressionProblemKind.NotAllowed) is { } notAllowed)
            {
                return notAllowed;
            }

            var unknown = found.Where(p => p.Kind == ExpressionProblemKind.UnknownMember).ToList();
            return unknown.Count == 0 ? null : unknown[0] with { More = unknown.Skip(1).ToList() };
        }

        private static ExpressionProblem Describe(string message, int position, string expression, ParameterExpression[] parameters)
        {
            var match = QuotedName.Match(message);
            var name = match.Success ? match.Groups[1].Value : null;
            var length = name is not null && position + name.Length <= expression.Length && string.CompareOrdinal(expression, position, name, 0, name.Length) == 0
                ? name.Length
                : 1;
            if (name is not null && (message.StartsWith("No property or field", StringComparison.Ordinal) || message.StartsWith("Unknown identifier", StringComparison.Ordinal)))
            {
                var candidates = message.StartsWith("Unknown identifier", StringComparison.Ordinal)
                    ? parameters.Select(p => p.Name!)
                    : MembersOf(message, parameters).ToList();
                if (message.Contains("in type 'RuleSetParameters", StringComparison.Ordinal))
                {
                    message = $"No parameter '{name}' is defined in ruleset.json 'parameters' (or any rule set it extends)";
                }

                return new ExpressionProblem(ExpressionProblemKind.UnknownMember, message.TrimEnd('.') + NameSuggestions.DidYouMean(name, candidates), position, length);
            }

            // "No applicable method 'X' exists in type 'T'": the method is unknown; point at its name.
            if (name is not null && message.StartsWith("No applicable method", StringComparison.Ordinal))
            {
                var at = ExpressionAllowList.PositionOf(expression, name);
                var type = parameters.Select(p => p.Type).Concat(ExpressionEnvironment.CustomTypes).FirstOrDefault(t => message.EndsWith($"'{t.Name}'", StringComparison.Ordinal));
                return type is null
                    ? new ExpressionProblem(ExpressionProblemKind.UnknownMember, message.TrimEnd('.'), at, name.Length)
                    : new ExpressionProblem(ExpressionProblemKind.UnknownMember, MemberScan.UnknownMember(name, type, isCall: true, parameters.First(p => p.Name == ExpressionEnvironment.ParametersName).Type), at, name.Length);
            }

            return new ExpressionProblem(ExpressionProblemKind.Syntax, message, position, length);
        }

        /// <summary>Public members of the type named in "No property or field 'x' exists in type 'T'".</summary>
        private static IEnumerable<string> MembersOf(string message, ParameterExpression[] parameters)
        {
            var types = parameters.Select(p => p.Type).Concat(ExpressionEnvironment.CustomTypes).Distinct();
            var matches = QuotedName.Matches(message);
            var typeName = matches.Count > 1 ? matches[1].Groups[1].Value : string.Empty;
            var type = types.FirstOrDefault(t => t.Name == typeName);
            return type is null
                ? Enumerable.Empty<string>()
                : type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Select(p => p.Name)
                    .Concat(type.GetFields(BindingFlags.Public | BindingFlags.Instance).Select(f => f.Name));
        }

        private sealed class Scope : IExpressionScope
        {
            private readonly ParsedExpressions _parsed;
            private readonly ParameterScope _parameters;

            public Scope(ParsedExpressions parsed, ParameterScope parameters)
            {
                _parsed = parsed;
                _parameters = parameters;
            }

            public ExpressionProblem? CheckCondition(string expression)
            {
                var problem = TryParse(_parsed, expression, _parameters, out var body);
                if (problem is not null || body is null)
                {
                    return problem;
                }

                return body.Type == typeof(bool)
                    ? null
                    : new ExpressionProblem(ExpressionProblemKind.NotBoolean, $"a value of type {Friendly(body.Type)}", 0, expression.Length);
            }

            public ExpressionProblem? DefineParameter(string name, string expression, out IExpressionScope scope)
            {
                var problem = TryParse(_parsed, expression, _parameters, out var body);

                // Even a broken parameter is added (as object) so later expressions report their own mistakes, not
                // a cascade of "unknown identifier" for it.
                var parameter = _parsed.Canonical(name, body?.Type ?? typeof(object));
                scope = new Scope(_parsed, _parameters.Define(parameter));
                return problem;
            }

            private static string Friendly(Type type) => type == typeof(decimal) || type == typeof(int) || type == typeof(double)
                ? $"number ({type.Name})"
                : type == typeof(string) ? "text (String)" : type.Name;
        }
    }
}
