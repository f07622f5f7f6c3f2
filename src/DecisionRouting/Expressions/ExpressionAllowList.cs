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
        /// <summary>The first thing in the tree outside the allow-list, as a message and the name to point at; null when all is allowed.</summary>
        public static (string Message, string Name, int Occurrence)? FindViolation(Expression expression, Type parametersType)
        {
            var visitor = new Visitor(parametersType);
            visitor.Visit(expression);
            return visitor.Violation;
        }

        /// <summary>Where the offending name appears in the text (its n-th appearance), for the diagnostic's position.</summary>
        public static int PositionOf(string expression, string name, int occurrence = 1)
        {
            var matches = Regex.Matches(expression, $@"(?<![\w]){Regex.Escape(name)}(?![\w])");
            return matches.Count == 0 ? 0 : matches[Math.Min(occurrence, matches.Count) - 1].Index;
        }

        private sealed class Visitor : ExpressionVisitor
        {
            /// <summary>
            /// List operations inside list operations multiply: Any(p => Any(q => …)) over 100 partners is 100² per
            /// level. Two levels keep the worst case small; deeper would let one rule run for hours.
            /// </summary>
            private const int MaxListNesting = AllowedMembers.MaxListNesting;

            private readonly Type _parametersType;
            private int _listNesting;

            public Visitor(Type parametersType) => _parametersType = parametersType;

            public (string Message, string Name, int Occurrence)? Violation { get; private set; }

            /// <summary>How many calls of each name have been seen, outermost first, which is their order in the text.</summary>
            private readonly Dictionary<string, int> _calls = new();

            public override Expression? Visit(Expression? node) => Violation is null ? base.Visit(node) : node;

            protected override Expression VisitMember(MemberExpression node)
            {
                // Children first, so the innermost offender (GetType, before .Assembly) is the one reported.
                var visited = base.VisitMember(node);
                var type = node.Member.DeclaringType!;
                if (!(AllowedMembers.IsReadable(type.FullName ?? string.Empty) || type == _parametersType || IsValueLike(type) || IsCollection(type) || IsNullable(type)))
                {
                    Reject(node.Member.Name, $"'{type.Name}.{node.Member.Name}'");
                }

                return visited;
            }

            protected override Expression VisitMethodCall(MethodCallExpression node)
            {
                _calls[node.Method.Name] = _calls.TryGetValue(node.Method.Name, out var seen) ? seen + 1 : 1;
                var walksList = AllowedMembers.IsListOperation(node.Method.DeclaringType?.FullName ?? string.Empty) && node.Arguments.Any(a => a is LambdaExpression);
                if (walksList && ++_listNesting > MaxListNesting)
                {
                    Reject(node.Method.Name, $"'{node.Method.Name}' inside {MaxListNesting} other list operations", _calls[node.Method.Name]);
                }

                // Children first, so the innermost offender (GetType, before .Assembly) is the one reported.
                var visited = base.VisitMethodCall(node);
                if (walksList)
                {
                    _listNesting--;
                }

                var method = node.Method;
                var type = method.DeclaringType!;
                var allowed = AllowedMembers.IsCallable(type.FullName ?? string.Empty, method.Name)
                    || (IsValueLike(type) && method.Name is "Equals" or "CompareTo" or "ToString")
                    || (IsCollection(type) && AllowedMembers.IsCollectionMethod(method.Name))
;
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
                if (node.Method is { } method && !AllowedMembers.IsCallable(method.DeclaringType!.FullName ?? string.Empty, method.Name) && !IsValueLike(method.DeclaringType!))
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
                    && !(AllowedMembers.IsReadable(node.Type.FullName ?? string.Empty) || IsValueLike(node.Type) || IsNullable(node.Type) || node.Type == typeof(object) || IsCollection(node.Type)))
                {
                    Reject(node.Type.Name, $"converting to {node.Type.Name}");
                }

                return visited;
            }

            private void Reject(string name, string what, int occurrence = 1) =>
                Violation ??= (AllowedMembers.NotAllowed(what), name, occurrence);

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
