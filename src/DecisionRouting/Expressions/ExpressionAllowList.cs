using System;
using System.Collections.Generic;
using System.Linq;
using System.Linq.Expressions;
using System.Reflection;
using System.Text.RegularExpressions;
using DecisionRouting.Proposals;
using NodaTime;

namespace DecisionRouting.Expressions
{
    /// <summary>
    /// What a rule expression may touch. Rule files are input, edited by officers and partners, not trusted code, and
    /// RulesEngine's expression language otherwise reaches reflection (<c>input1.GetType().Assembly</c>) and unbounded
    /// work (<c>Enumerable.Range</c>). Everything not listed here is rejected at load (DR0029).
    /// </summary>
    internal static class ExpressionAllowList
    {
        /// <summary>Types whose public properties and fields an expression may read.</summary>
        private static readonly HashSet<Type> ReadableTypes = new()
        {
            typeof(Proposal), typeof(LocalDate), typeof(string), typeof(decimal), typeof(int), typeof(long), typeof(double), typeof(bool),
        };

        /// <summary>Methods by declaring type. Enumerable's are those whose cost is bounded by the collection they walk.</summary>
        private static readonly Dictionary<Type, HashSet<string>> CallableMethods = new()
        {
            [typeof(Proposal)] = new() { nameof(Proposal.Has) },
            [typeof(ProposalAttributes)] = new() { nameof(ProposalAttributes.Number), nameof(ProposalAttributes.Text), nameof(ProposalAttributes.Flag), nameof(ProposalAttributes.Has) },
            [typeof(LocalDate)] = new() { "PlusDays", "PlusWeeks", "PlusMonths", "PlusYears", "CompareTo", "Equals", "op_Equality", "op_Inequality", "op_LessThan", "op_LessThanOrEqual", "op_GreaterThan", "op_GreaterThanOrEqual" },
            [typeof(string)] = new() { "StartsWith", "EndsWith", "Contains", "Equals", "CompareTo", "Compare", "IsNullOrEmpty", "IsNullOrWhiteSpace", "ToLower", "ToUpper", "ToLowerInvariant", "ToUpperInvariant", "Trim", "Concat", "op_Equality", "op_Inequality" },
            [typeof(Enumerable)] = new() { "Any", "All", "Count", "Contains", "Where", "Select", "Sum", "Min", "Max", "First", "FirstOrDefault", "Distinct" },
            [typeof(Math)] = new() { "Abs", "Min", "Max", "Round", "Floor", "Ceiling" },
            [typeof(decimal)] = new() { "Compare", "Equals", "CompareTo", "Round", "Floor", "Ceiling", "op_Addition", "op_Subtraction", "op_Multiply", "op_Division", "op_Modulus", "op_UnaryNegation", "op_Equality", "op_Inequality", "op_LessThan", "op_LessThanOrEqual", "op_GreaterThan", "op_GreaterThanOrEqual", "op_Implicit", "op_Explicit" },
            [typeof(object)] = new() { "Equals" },
        };

        /// <summary>The first thing in the tree outside the allow-list, as a message and the name to point at; null when all is allowed.</summary>
        public static (string Message, string Name)? FindViolation(Expression expression, Type parametersType)
        {
            var visitor = new Visitor(parametersType);
            visitor.Visit(expression);
            return visitor.Violation;
        }

        /// <summary>Where the offending name first appears in the text, for the diagnostic's position.</summary>
        public static int PositionOf(string expression, string name)
        {
            var match = Regex.Match(expression, $@"(?<![\w]){Regex.Escape(name)}(?![\w])");
            return match.Success ? match.Index : 0;
        }

        private sealed class Visitor : ExpressionVisitor
        {
            /// <summary>
            /// List operations inside list operations multiply: Any(p => Any(q => …)) over 100 partners is 100² per
            /// level. Two levels keep the worst case small; deeper would let one rule run for hours.
            /// </summary>
            private const int MaxListNesting = 2;

            private readonly Type _parametersType;
            private int _listNesting;

            public Visitor(Type parametersType) => _parametersType = parametersType;

            public (string Message, string Name)? Violation { get; private set; }

            public override Expression? Visit(Expression? node) => Violation is null ? base.Visit(node) : node;

            protected override Expression VisitMember(MemberExpression node)
            {
                // Children first, so the innermost offender (GetType, before .Assembly) is the one reported.
                var visited = base.VisitMember(node);
                var type = node.Member.DeclaringType!;
                if (!(ReadableTypes.Contains(type) || type == _parametersType || IsValueLike(type) || IsCollection(type) || IsNullable(type)))
                {
                    Reject(node.Member.Name, $"'{type.Name}.{node.Member.Name}'");
                }

                return visited;
            }

            protected override Expression VisitMethodCall(MethodCallExpression node)
            {
                var walksList = node.Method.DeclaringType == typeof(Enumerable) && node.Arguments.Any(a => a is LambdaExpression);
                if (walksList && ++_listNesting > MaxListNesting)
                {
                    Reject(node.Method.Name, $"'{node.Method.Name}' inside {MaxListNesting} other list operations");
                }

                // Children first, so the innermost offender (GetType, before .Assembly) is the one reported.
                var visited = base.VisitMethodCall(node);
                if (walksList)
                {
                    _listNesting--;
                }

                var method = node.Method;
                var type = method.DeclaringType!;
                var allowed = (CallableMethods.TryGetValue(type, out var names) && names.Contains(method.Name))
                    || (IsValueLike(type) && method.Name is "Equals" or "CompareTo" or "ToString")
                    || (IsCollection(type) && method.Name is "Contains" or "get_Item")
                    || (IsNullable(type) && method.Name is "GetValueOrDefault");
                if (!allowed)
                {
                    Reject(method.Name, $"'{type.Name}.{method.Name}'");
                }

                return visited;
            }

            protected override Expression VisitBinary(BinaryExpression node)
            {
                // Children first, so the innermost offender (GetType, before .Assembly) is the one reported.
                var visited = base.VisitBinary(node);
                if (node.Method is { } method && !(CallableMethods.TryGetValue(method.DeclaringType!, out var names) && names.Contains(method.Name)) && !IsValueLike(method.DeclaringType!))
                {
                    Reject(method.Name, $"the operator '{method.Name}' on {method.DeclaringType!.Name}");
                }

                return visited;
            }

            protected override Expression VisitNew(NewExpression node)
            {
                // Children first, so the innermost offender (GetType, before .Assembly) is the one reported.
                var visited = base.VisitNew(node);
                if (node.Type != typeof(LocalDate))
                {
                    Reject(node.Type.Name, $"creating a {node.Type.Name}");
                }

                return visited;
            }

            protected override Expression VisitNewArray(NewArrayExpression node)
            {
                // Children first, so the innermost offender (GetType, before .Assembly) is the one reported.
                var visited = base.VisitNewArray(node);
                // An initialised array is as long as the text that writes it; a sized one can be any size.
                if (node.NodeType == ExpressionType.NewArrayBounds)
                {
                    Reject("new", "creating an array of a given size");
                }

                return visited;
            }

            protected override Expression VisitConstant(ConstantExpression node)
            {
                // Children first, so the innermost offender (GetType, before .Assembly) is the one reported.
                var visited = base.VisitConstant(node);
                if (node.Value is Type or MemberInfo or Assembly or Delegate)
                {
                    Reject(node.Value.ToString() ?? "typeof", "a type or member as a value");
                }

                return visited;
            }

            protected override Expression VisitUnary(UnaryExpression node)
            {
                // Children first, so the innermost offender (GetType, before .Assembly) is the one reported.
                var visited = base.VisitUnary(node);
                if (node.NodeType is ExpressionType.Convert or ExpressionType.ConvertChecked or ExpressionType.TypeAs
                    && !(ReadableTypes.Contains(node.Type) || IsValueLike(node.Type) || IsNullable(node.Type) || node.Type == typeof(object) || IsCollection(node.Type)))
                {
                    Reject(node.Type.Name, $"converting to {node.Type.Name}");
                }

                return visited;
            }

            private void Reject(string name, string what) =>
                Violation ??= ($"{what} is not allowed in rule expressions. Expressions may read the proposal, the rule set's parameters, dates, text and the proposal's own lists; not reflection, files, processes, the environment, threads or unbounded generators", name);

            private static bool IsValueLike(Type type) => type.IsPrimitive || type.IsEnum || type == typeof(decimal) || type == typeof(LocalDate) || type == typeof(IsoDayOfWeek);

            private static bool IsNullable(Type type) => Nullable.GetUnderlyingType(type) is not null || (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Nullable<>));

            private static bool IsCollection(Type type) =>
                type.IsArray
                || (type.IsGenericType && type.Namespace == "System.Collections.Generic" && type.Name.StartsWith("IReadOnly", StringComparison.Ordinal))
                || (type.IsGenericType && type.GetGenericTypeDefinition() is var d && (d == typeof(List<>) || d == typeof(ICollection<>) || d == typeof(IList<>) || d == typeof(IEnumerable<>)))
                || type == typeof(ProposalAttributes);
        }
    }
}
