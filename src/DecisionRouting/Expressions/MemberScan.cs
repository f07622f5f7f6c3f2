using System;
using System.Collections.Generic;
using System.Linq;
using System.Linq.Expressions;
using System.Reflection;
using System.Text.RegularExpressions;
using DecisionRouting.Diagnostics;
using DecisionRouting.Proposals;
using NodaTime;

namespace DecisionRouting.Expressions
{
    /// <summary>
    /// Reads an expression that failed to parse, chain by chain (<c>root.member[index].Method(args).member</c>),
    /// resolving each member on the type before it. The parser stops at its first error, and for a misspelt member
    /// followed by <c>.X</c> it blames "Type 'X' not found" at the end of the chain; this finds every member that
    /// does not exist, each at its own name, and any member outside the allow-list, so one round of fixes is enough.
    /// It only ever adds findings to an expression that is already rejected, and stays silent where it cannot tell
    /// a type (lambda parameters, list operations, static types).
    /// </summary>
    internal static class MemberScan
    {
        /// <summary>C# type keywords the parser accepts as static types: <c>string.IsNullOrEmpty(…)</c>.</summary>
        private static readonly HashSet<string> TypeKeywords = new(StringComparer.Ordinal) { "string", "int", "long", "short", "byte", "sbyte", "uint", "ulong", "ushort", "decimal", "double", "float", "bool", "char", "object" };

        /// <summary>A lambda's parameter at the start of a call's arguments: <c>(p =&gt; …</c>.</summary>
        private static readonly Regex LambdaHead = new(@"\G\s*([A-Za-z_]\w*)\s*=>", RegexOptions.CultureInvariant);

        private static readonly Regex LambdaParameter = new(@"([A-Za-z_]\w*)\s*=>", RegexOptions.CultureInvariant);

        /// <summary>Unknown and not-allowed members, in text order.</summary>
        public static List<ExpressionProblem> Find(string text, ParameterExpression[] scope, Type parametersType)
        {
            var problems = new List<ExpressionProblem>();
            var lambdas = new HashSet<string>(LambdaParameter.Matches(text).Select(m => m.Groups[1].Value), StringComparer.Ordinal);
            try
            {
                new Walker(text, scope, parametersType, lambdas, problems).Scan(0, text.Length);
            }
            catch (Exception e) when (e is IndexOutOfRangeException or UnbalancedBracketsException)
            {
                // Unbalanced text: the parser's own message stands.
            }

            return problems.OrderBy(p => p.Position).ToList();
        }

        /// <summary>A static type expressions may name (<c>Math</c>, <c>Enumerable</c> …), looked up as the analyzer does.</summary>
        private static bool IsSystemType(string name) =>
            typeof(object).Assembly.GetType("System." + name) is not null || typeof(Enumerable).Assembly.GetType("System.Linq." + name) is not null;

        /// <summary>The type a static member access names (<c>Math</c>, <c>string</c>), as the parser resolves it; null when none.</summary>
        private static Type? StaticType(string name) =>
            TypeKeywords.Contains(name)
                ? typeof(object).Assembly.GetTypes().FirstOrDefault(t => t.Namespace == "System" && t.IsPublic && Alias(t) == name)
                : typeof(object).Assembly.GetType("System." + name) ?? typeof(Enumerable).Assembly.GetType("System.Linq." + name);

        private static string? Alias(Type t) => Type.GetTypeCode(t) switch
        {
            TypeCode.String => "string", TypeCode.Int32 => "int", TypeCode.Int64 => "long", TypeCode.Int16 => "short", TypeCode.Byte => "byte", TypeCode.SByte => "sbyte",
            TypeCode.UInt32 => "uint", TypeCode.UInt64 => "ulong", TypeCode.UInt16 => "ushort", TypeCode.Decimal => "decimal", TypeCode.Double => "double", TypeCode.Single => "float",
            TypeCode.Boolean => "bool", TypeCode.Char => "char", _ => t == typeof(object) ? "object" : null,
        };

        /// <summary>The element type of a list (<c>IEnumerable&lt;T&gt;</c>'s T); null when it is not one.</summary>
        private static Type? ElementOf(Type type) =>
            type.IsArray
                ? type.GetElementType()
                : (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IEnumerable<>) ? type : type.GetInterfaces().FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>)))?.GetGenericArguments()[0];

        /// <summary>The message for a member that does not exist, shared wording with the analyzer's checker.</summary>
        public static string UnknownMember(string name, Type type, bool isCall, Type parametersType, bool isStatic = false)
        {
            if (type == parametersType)
            {
                return $"No parameter '{name}' is defined in ruleset.json 'parameters' (or any rule set it extends){NameSuggestions.DidYouMean(name, type.GetFields().Select(f => f.Name))}";
            }

            // A call suggests only what may be called: the allowed methods of the type, and for a list its list operations.
            var candidates = isCall
                ? type.GetMethods(BindingFlags.Public | (isStatic ? BindingFlags.Static : BindingFlags.Instance)).Where(m => !m.IsSpecialName)
                    .Where(m => AllowedMembers.IsCallable(m.DeclaringType!.FullName ?? string.Empty, m.Name) || m.Name is "Equals" or "CompareTo" || (type.Namespace == "System.Collections.Generic" && AllowedMembers.IsCollectionMethod(m.Name)))
                    .Select(m => m.Name)
                    .Concat(type != typeof(string) && ElementOf(type) is not null ? AllowedMembers.ListOperations : Enumerable.Empty<string>())
                : type.GetProperties(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static).Select(p => p.Name).Concat(type.GetFields(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static).Select(f => f.Name));
            return isCall
                ? $"No method '{name}' exists in type '{type.Name}'{NameSuggestions.DidYouMean(name, candidates.Distinct())}"
                : $"No property or field '{name}' exists in type '{type.Name}'{NameSuggestions.DidYouMean(name, candidates.Distinct())}";
        }

        private sealed class Walker
        {
            private readonly string _text;
            private readonly ParameterExpression[] _scope;
            private readonly Type _parametersType;
            private readonly HashSet<string> _lambdas;
            private readonly Dictionary<string, Type> _lambdaTypes = new(StringComparer.Ordinal);
            private readonly List<ExpressionProblem> _problems;

            public Walker(string text, ParameterExpression[] scope, Type parametersType, HashSet<string> lambdas, List<ExpressionProblem> problems)
            {
                _text = text;
                _scope = scope;
                _parametersType = parametersType;
                _lambdas = lambdas;
                _problems = problems;
            }

            public void Scan(int start, int end)
            {
                for (var i = start; i < end; i++)
                {
                    var c = _text[i];
                    if (c is '"' or '\'')
                    {
                        i = SkipLiteral(i, end) - 1;
                        continue;
                    }

                    if (char.IsDigit(c))
                    {
                        while (i + 1 < end && (char.IsLetterOrDigit(_text[i + 1]) || _text[i + 1] == '.'))
                        {
                            i++;
                        }

                        continue;
                    }

                    if (!(char.IsLetter(c) || c == '_'))
                    {
                        continue;
                    }

                    if (PrecededByDot(i))
                    {
                        // A member of something not typed here: skip the whole name, never a tail of it ('ength').
                        i += Identifier(i, end).Length - 1;
                        continue;
                    }

                    i = Chain(i, end) - 1;
                }
            }

            /// <summary>Reads one chain from its root; returns where it ends.</summary>
            private int Chain(int at, int end)
            {
                var name = Identifier(at, end);
                var position = at + name.Length;
                Type? type;
                var isStatic = false;
                var root = _scope.FirstOrDefault(p => p.Name == name);
                if (_lambdaTypes.TryGetValue(name, out var element))
                {
                    // A lambda parameter of a list operation on a typed list: one element of it.
                    type = element;
                }
                else if (root is not null)
                {
                    type = root.Type;
                }
                else if (Next(position, end) == '.' && StaticType(name) is { } staticType)
                {
                    // Math.Abs(…), string.IsNullOrEmpty(…): members are looked up on the type itself.
                    type = staticType;
                    isStatic = true;
                }
                else if (name is "ProposalKind" or "DecisionMaker" or "StatutoryRole")
                {
                    type = name switch { "ProposalKind" => typeof(ProposalKind), "StatutoryRole" => typeof(StatutoryRole), _ => typeof(DecisionMaker) };
                    isStatic = true;
                }
                else if (name == "LocalDate" && Next(position, end) == '(')
                {
                    var close = Close(SkipSpace(position, end), end);
                    Scan(SkipSpace(position, end) + 1, close);
                    type = typeof(LocalDate);
                    position = close + 1;
                }
                else if (ExpressionNames.IsKeyword(name) || _lambdas.Contains(name) || Next(position, end) == '(' || TypeKeywords.Contains(name) || IsSystemType(name))
                {
                    // Keywords, lambda parameters, static types (Math, Enumerable …) and functions: not typed here.
                    return position;
                }
                else
                {
                    _problems.Add(new ExpressionProblem(ExpressionProblemKind.UnknownMember, $"Unknown identifier '{name}'{NameSuggestions.DidYouMean(name, _scope.Select(p => p.Name!))}", at, name.Length));
                    return SkipChain(position, end);
                }

                while (type is not null)
                {
                    var next = SkipSpace(position, end);
                    if (next >= end)
                    {
                        return next;
                    }

                    if (_text[next] == '[')
                    {
                        var close = Close(next, end);
                        Scan(next + 1, close);
                        type = ElementType(type);
                        position = close + 1;
                        continue;
                    }

                    if (_text[next] != '.')
                    {
                        return next;
                    }

                    var memberAt = SkipSpace(next + 1, end);
                    if (memberAt >= end || !(char.IsLetter(_text[memberAt]) || _text[memberAt] == '_'))
                    {
                        return memberAt;
                    }

                    var member = Identifier(memberAt, end);
                    position = memberAt + member.Length;
                    var isCall = Next(position, end) == '(';
                    if (isCall)
                    {
                        var open = SkipSpace(position, end);
                        var close = Close(open, end);
                        type = Call(type, member, memberAt, open, close, isStatic);
                        position = close + 1;
                    }
                    else
                    {
                        type = Read(type, member, memberAt, isStatic);
                    }

                    isStatic = false;
                    if (type is null)
                    {
                        return SkipChain(position, end);
                    }
                }

                return position;
            }

            private Type? Read(Type type, string member, int at, bool isStatic)
            {
                var flags = BindingFlags.Public | (isStatic ? BindingFlags.Static : BindingFlags.Instance);
                var property = type.GetProperty(member, flags);
                var field = property is null ? type.GetField(member, flags) : null;
                if (property is null && field is null)
                {
                    _problems.Add(new ExpressionProblem(ExpressionProblemKind.UnknownMember, UnknownMember(member, type, false, _parametersType), at, member.Length));
                    return null;
                }

                var declaring = (property?.DeclaringType ?? field!.DeclaringType)!;
                if (!((isStatic && type.IsEnum) || declaring == _parametersType || AllowedMembers.IsReadable(declaring.FullName ?? string.Empty) || IsValueLike(declaring) || IsCollection(declaring) || Nullable.GetUnderlyingType(type) is not null))
                {
                    _problems.Add(new ExpressionProblem(ExpressionProblemKind.NotAllowed, AllowedMembers.NotAllowed($"'{declaring.Name}.{member}'"), at, member.Length));
                    return null;
                }

                return property?.PropertyType ?? field!.FieldType;
            }

            private Type? Call(Type type, string member, int at, int open, int close, bool isStatic)
            {
                var methods = type.GetMethods(BindingFlags.Public | (isStatic ? BindingFlags.Static : BindingFlags.Instance)).Where(m => m.Name == member).ToList();
                var listOperation = methods.Count == 0 && IsEnumerable(type) && typeof(Enumerable).GetMethods().Any(m => m.Name == member);

                // A list operation's lambda parameter is one element of the list: p => p.Length reads a String.
                var lambda = listOperation ? LambdaHead.Match(_text, open + 1) : null;
                var bound = lambda is { Success: true } && ElementOf(type) is { } element ? lambda.Groups[1].Value : null;
                var shadowed = bound is not null && _lambdaTypes.TryGetValue(bound, out var outer) ? outer : null;
                if (bound is not null)
                {
                    _lambdaTypes[bound] = ElementOf(type)!;
                }

                Scan(open + 1, close);
                if (bound is not null)
                {
                    if (shadowed is null)
                    {
                        _lambdaTypes.Remove(bound);
                    }
                    else
                    {
                        _lambdaTypes[bound] = shadowed;
                    }
                }

                if (methods.Count == 0)
                {
                    if (listOperation)
                    {
                        return null; // the parser types a list operation's result
                    }

                    _problems.Add(new ExpressionProblem(ExpressionProblemKind.UnknownMember, UnknownMember(member, type, true, _parametersType, isStatic), at, member.Length));
                    return null;
                }

                var declaring = methods[0].DeclaringType!;
                var allowed = AllowedMembers.IsCallable(declaring.FullName ?? string.Empty, member)
                    || (IsValueLike(declaring) && member is "Equals" or "CompareTo" or "ToString")
                    || (IsCollection(declaring) && AllowedMembers.IsCollectionMethod(member));
                if (!allowed)
                {
                    _problems.Add(new ExpressionProblem(ExpressionProblemKind.NotAllowed, AllowedMembers.NotAllowed($"'{declaring.Name}.{member}'"), at, member.Length));
                    return null;
                }

                var returns = methods.Select(m => m.ReturnType).Distinct().ToList();
                return returns.Count == 1 ? returns[0] : null;
            }

            private static Type? ElementType(Type type)
            {
                if (type.IsArray)
                {
                    return type.GetElementType();
                }

                var indexer = type.GetProperties().FirstOrDefault(p => p.GetIndexParameters().Length == 1)
                    ?? type.GetInterfaces().SelectMany(i => i.GetProperties()).FirstOrDefault(p => p.GetIndexParameters().Length == 1);
                return indexer?.PropertyType;
            }

            private int SkipChain(int position, int end)
            {
                // The rest of the chain hangs on the member already reported: skip ".x", "[…]" and "(…)".
                while (true)
                {
                    var next = SkipSpace(position, end);
                    if (next < end && _text[next] == '.')
                    {
                        var memberAt = SkipSpace(next + 1, end);
                        position = memberAt < end && (char.IsLetter(_text[memberAt]) || _text[memberAt] == '_') ? memberAt + Identifier(memberAt, end).Length : memberAt;
                    }
                    else if (next < end && _text[next] is '(' or '[')
                    {
                        var close = Close(next, end);
                        Scan(next + 1, close);
                        position = close + 1;
                    }
                    else
                    {
                        return next;
                    }
                }
            }

            private string Identifier(int at, int end)
            {
                var i = at;
                while (i < end && (char.IsLetterOrDigit(_text[i]) || _text[i] == '_'))
                {
                    i++;
                }

                return _text.Substring(at, i - at);
            }

            private int SkipSpace(int at, int end)
            {
                while (at < end && char.IsWhiteSpace(_text[at]))
                {
                    at++;
                }

                return at;
            }

            private char Next(int at, int end)
            {
                at = SkipSpace(at, end);
                return at < end ? _text[at] : '\0';
            }

            private bool PrecededByDot(int at)
            {
                for (var k = at - 1; k >= 0; k--)
                {
                    if (!char.IsWhiteSpace(_text[k]))
                    {
                        return _text[k] == '.';
                    }
                }

                return false;
            }

            /// <summary>The index of the bracket closing the one at <paramref name="open"/>; unbalanced text throws, ending the scan.</summary>
            private int Close(int open, int end)
            {
                var depth = 0;
                for (var i = open; i < end; i++)
                {
                    var c = _text[i];
                    if (c is '"' or '\'')
                    {
                        i = SkipLiteral(i, end) - 1;
                        continue;
                    }

                    depth += c is '(' or '[' or '{' ? 1 : c is ')' or ']' or '}' ? -1 : 0;
                    if (depth == 0)
                    {
                        return i;
                    }
                }

                throw new UnbalancedBracketsException();
            }

            private int SkipLiteral(int at, int end)
            {
                var quote = _text[at];
                for (var i = at + 1; i < end; i++)
                {
                    if (_text[i] == '\\')
                    {
                        i++;
                    }
                    else if (_text[i] == quote)
                    {
                        return i + 1;
                    }
                }

                return end;
            }

            private static bool IsValueLike(Type type) => type.IsPrimitive || type.IsEnum || type == typeof(decimal) || type == typeof(LocalDate) || type == typeof(IsoDayOfWeek);

            private static bool IsEnumerable(Type type) => type != typeof(string) && typeof(System.Collections.IEnumerable).IsAssignableFrom(type);

            private static bool IsCollection(Type type) =>
                type.IsArray
                || (type.IsGenericType && type.Namespace == "System.Collections.Generic")
                || type == typeof(ProposalAttributes);
        }

        /// <summary>The text's brackets do not balance: the scan stops, and the parser's own message stands.</summary>
        private sealed class UnbalancedBracketsException : Exception
        {
            public UnbalancedBracketsException()
                : base("unbalanced brackets")
            {
            }
        }
    }
}
