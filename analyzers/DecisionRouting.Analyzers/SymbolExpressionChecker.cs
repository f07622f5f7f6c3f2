using System;
using System.Collections.Generic;
using System.Linq;
using DecisionRouting.Expressions;
using DecisionRouting.RuleSets;
using Microsoft.CodeAnalysis;

namespace DecisionRouting.Analyzers
{
    /// <summary>
    /// Checks rule expressions against the compilation's own <c>Proposal</c> type, at build time: members that do not
    /// exist (DR0010), comparisons between incompatible types (DR0009), and members outside the allow-list (DR0029).
    /// It reads the subset of the expression language rule files use. On anything it does not understand it stays
    /// silent rather than guess; the library's loader, which uses RulesEngine's own parser, still checks everything.
    /// </summary>
    internal sealed class SymbolExpressionChecker : IExpressionChecker
    {
        private readonly Compilation _compilation;
        private readonly INamedTypeSymbol? _proposal;

        public SymbolExpressionChecker(Compilation compilation)
        {
            _compilation = compilation;
            _proposal = compilation.GetTypeByMetadataName("DecisionRouting.Proposals.Proposal");
        }

        public IExpressionScope CreateScope(IReadOnlyList<RuleSetParameter> parameters)
        {
            // Shared, not copied, as parameters are defined: a chain of n parameters costs n steps to check, not n².
            var names = NameMap<Value>.Empty;
            if (_proposal is not null)
            {
                names = names.SetItem(ExpressionNames.Proposal, new Value(_proposal)).SetItem(ExpressionNames.DefaultInput, new Value(_proposal));
            }

            names = names.SetItem(ExpressionNames.Parameters, Value.Parameters(parameters.ToDictionary(p => p.Name, p => Special(p.Kind switch
            {
                RuleSetParameterKind.Number => SpecialType.System_Decimal,
                RuleSetParameterKind.Flag => SpecialType.System_Boolean,
                _ => SpecialType.System_String,
            }))));
            return new Scope(this, names);
        }

        private ITypeSymbol Special(SpecialType type) => _compilation.GetSpecialType(type);

        /// <summary>What an expression part evaluates to: a type, the rule set's parameters, or unknown (stay silent).</summary>
        private sealed class Value
        {
            public Value(ITypeSymbol? type) => Type = type;

            public ITypeSymbol? Type { get; }

            public IReadOnlyDictionary<string, ITypeSymbol>? ParameterTypes { get; private set; }

            public static Value Unknown { get; } = new(null);

            public static Value Parameters(IReadOnlyDictionary<string, ITypeSymbol> types) => new(null) { ParameterTypes = types };
        }

        private sealed class Scope : IExpressionScope
        {
            private readonly SymbolExpressionChecker _checker;
            private readonly NameMap<Value> _names;

            public Scope(SymbolExpressionChecker checker, NameMap<Value> names)
            {
                _checker = checker;
                _names = names;
            }

            public ExpressionProblem? CheckCondition(string expression) => Check(expression, out _);

            public ExpressionProblem? DefineParameter(string name, string expression, out IExpressionScope scope)
            {
                var problem = Check(expression, out var value);
                scope = new Scope(_checker, _names.SetItem(name, value));
                return problem;
            }

            private ExpressionProblem? Check(string expression, out Value value)
            {
                value = Value.Unknown;
                if (_checker._proposal is null)
                {
                    return null; // the compilation does not reference DecisionRouting: nothing to check against
                }

                // The same scan as the loader, first: an absent value must never be defaulted silently.
                if (ImplicitDefaults.Find(expression) is { } implicitDefault)
                {
                    return new ExpressionProblem(ExpressionProblemKind.NotAllowed, implicitDefault.Message, implicitDefault.Position, implicitDefault.Length);
                }

                // Keywords in any case, as the loader reads them; the same length, so positions are unchanged.
                var reader = new Reader(_checker, ExpressionNames.NormalizeKeywords(expression), _names);
                try
                {
                    value = reader.ReadExpression();
                }
                catch (NotUnderstood)
                {
                }

                return reader.Result;
            }
        }

        private sealed class NotUnderstood : Exception
        {
        }

        /// <summary>A recursive-descent reader that types each part as it reads it and records the first problem found.</summary>
        private sealed class Reader
        {
            private static readonly string[] Symbols = { "=>", "&&", "||", "==", "!=", "<=", ">=", "<", ">", "!", "(", ")", "[", "]", "{", "}", ".", ",", "+", "-", "*", "/", "%", "?", ":" };
            private readonly SymbolExpressionChecker _checker;
            private readonly string _text;
            private readonly NameMap<Value> _names;
            private int _position;
            private int _listNesting;

            public Reader(SymbolExpressionChecker checker, string text, NameMap<Value> names)
            {
                _checker = checker;
                _text = text;
                _names = names;
            }

            public ExpressionProblem? Problem { get; private set; }

            public Value ReadExpression()
            {
                var value = ReadOr();
                Skip();
                return value;
            }

            private Value ReadOr()
            {
                var left = ReadAnd();
                while (Accept("||") || AcceptWord("or"))
                {
                    ReadAnd();
                    left = Bool();
                }

                return left;
            }

            private Value ReadAnd()
            {
                var left = ReadComparison();
                while (Accept("&&") || AcceptWord("and"))
                {
                    ReadComparison();
                    left = Bool();
                }

                return left;
            }

            private Value ReadComparison()
            {
                var left = ReadAdditive();
                foreach (var op in new[] { "==", "!=", "<=", ">=", "<", ">" })
                {
                    Skip();
                    var at = _position;
                    if (Accept(op))
                    {
                        var right = ReadAdditive();
                        if (!Comparable(left.Type, right.Type))
                        {
                            Report(ExpressionProblemKind.Syntax, $"Operator '{op}' incompatible with operand types '{Name(left.Type)}' and '{Name(right.Type)}'", at, op.Length);
                        }

                        return Bool();
                    }
                }

                return left;
            }

            private Value ReadAdditive()
            {
                var left = ReadUnary();
                while (true)
                {
                    Skip();
                    if (Accept("+") || Accept("-") || Accept("*") || Accept("/") || Accept("%"))
                    {
                        var right = ReadUnary();
                        left = IsNumeric(left.Type) && IsNumeric(right.Type) ? left : (IsString(left.Type) || IsString(right.Type) ? new Value(_checker.Special(SpecialType.System_String)) : Value.Unknown);
                        continue;
                    }

                    return left;
                }
            }

            private Value ReadUnary()
            {
                if (Accept("!") || AcceptWord("not"))
                {
                    ReadUnary();
                    return Bool();
                }

                if (Accept("-"))
                {
                    return ReadUnary();
                }

                return ReadPostfix(ReadPrimary());
            }

            private Value ReadPrimary()
            {
                Skip();
                if (_position >= _text.Length)
                {
                    throw new NotUnderstood();
                }

                var c = _text[_position];
                if (Accept("("))
                {
                    var inner = ReadOr();
                    Expect(")");
                    return inner;
                }

                if (c == '"' || c == '\'')
                {
                    SkipLiteral(c);
                    return new Value(_checker.Special(c == '"' ? SpecialType.System_String : SpecialType.System_Char));
                }

                if (char.IsDigit(c))
                {
                    var start = _position;
                    while (_position < _text.Length && (char.IsLetterOrDigit(_text[_position]) || _text[_position] == '.'))
                    {
                        _position++;
                    }

                    var number = _text.Substring(start, _position - start);
                    return new Value(_checker.Special(number.Contains(".") ? SpecialType.System_Double : SpecialType.System_Int32));
                }

                if (!IsIdentifierStart(c))
                {
                    throw new NotUnderstood();
                }

                var nameAt = _position;
                var name = Identifier();
                switch (name)
                {
                    case "true":
                    case "false":
                        return Bool();
                    case "null":
                        return new Value(_checker.Special(SpecialType.System_Object));
                    case "LocalDate":
                        SkipArguments();
                        return new Value(_checker._compilation.GetTypeByMetadataName("NodaTime.LocalDate"));
                    case "ProposalKind":
                    case "DecisionMaker":
                    case "StatutoryRole":
                        return EnumMember("DecisionRouting.Proposals." + name);
                }

                // A lambda parameter: p => …
                Skip();
                if (Peek("=>"))
                {
                    throw new NotUnderstood();
                }

                if (_names.TryGetValue(name, out var known))
                {
                    return known;
                }

                var type = _checker._compilation.GetTypeByMetadataName("System." + name) ?? _checker._compilation.GetTypeByMetadataName("System.Linq." + name);
                if (type is not null)
                {
                    // A static type: Math.Abs(…), Enumerable.Range(…), DateTime.Now …
                    Expect(".");
                    var memberAt = _position;
                    var member = Identifier();
                    // An unknown member (Math.Abz) is unknown, with did-you-mean, before it is not allowed.
                    if (type.GetMembers(member).Any())
                    {
                        CheckAllowed(type, member, memberAt, isMethod: Peek("("));
                    }

                    return Member(new Value(type), member, memberAt);
                }

                // Reported, then read on as a value of unknown type, so later unknown members are reported too.
                Report(ExpressionProblemKind.UnknownMember, $"Unknown identifier '{name}'{Diagnostics.NameSuggestions.DidYouMean(name, _names.Keys)}", nameAt, name.Length);
                if (Peek("("))
                {
                    SkipArguments();
                }

                return Value.Unknown;
            }

            private Value ReadPostfix(Value value)
            {
                while (true)
                {
                    Skip();
                    if (!Accept("."))
                    {
                        return value;
                    }

                    Skip();
                    var at = _position;
                    var name = Identifier();
                    value = Member(value, name, at);
                }
            }

            /// <summary>A member read or method call on a value of known type.</summary>
            private Value Member(Value target, string name, int at)
            {
                Skip();
                var isCall = Peek("(");
                if (target.ParameterTypes is { } parameters)
                {
                    if (parameters.TryGetValue(name, out var parameterType))
                    {
                        return new Value(parameterType);
                    }

                    Report(ExpressionProblemKind.UnknownMember, $"No parameter '{name}' is defined in ruleset.json 'parameters' (or any rule set it extends){Diagnostics.NameSuggestions.DidYouMean(name, parameters.Keys)}", at, name.Length);
                    return Value.Unknown;
                }

                if (target.Type is not { } type)
                {
                    if (isCall)
                    {
                        SkipArguments();
                    }

                    return Value.Unknown;
                }

                // A call binds methods and a read binds properties and fields: List.Count() is the list operation,
                // not the Count property of IReadOnlyCollection.
                var members = AllMembers(type).Where(m => m.Name == name && (isCall ? m is IMethodSymbol : m is not IMethodSymbol)).ToList();
                var enumerable = _checker._compilation.GetTypeByMetadataName("System.Linq.Enumerable");
                var listOperation = members.Count == 0 && isCall && IsEnumerable(type) && enumerable?.GetMembers(name).Any() == true;
                if (members.Count == 0 && !listOperation)
                {
                    // The same wording as the loader: a call names a method, anything else a property or field.
                    // A call suggests only what may be called (as the loader does): allowed methods, and a list's operations.
                    var candidates = AllMembers(type)
                        .Where(m => m.DeclaredAccessibility == Accessibility.Public && (isCall ? m is IMethodSymbol { MethodKind: MethodKind.Ordinary } : m is IPropertySymbol or IFieldSymbol))
                        .Where(m => !isCall || AllowedMembers.IsCallable(FullName(m.ContainingType), m.Name) || m.Name is "Equals" or "CompareTo" || (IsCollection(type) && AllowedMembers.IsCollectionMethod(m.Name)))
                        .Select(m => m.Name)
                        .Concat(isCall && IsEnumerable(type) && !IsString(type) ? AllowedMembers.ListOperations : Enumerable.Empty<string>())
                        .Distinct();
                    var what = isCall ? "method" : "property or field";
                    Report(ExpressionProblemKind.UnknownMember, $"No {what} '{name}' exists in type '{type.Name}'{Diagnostics.NameSuggestions.DidYouMean(name, candidates)}", at, name.Length);
                    if (isCall)
                    {
                        SkipArguments();
                    }

                    return Value.Unknown;
                }

                var declaring = members.FirstOrDefault()?.ContainingType ?? (ITypeSymbol?)enumerable;
                if (declaring is not null)
                {
                    CheckAllowed(declaring, name, at, isCall);
                }

                if (isCall)
                {
                    if (listOperation && ++_listNesting > AllowedMembers.MaxListNesting)
                    {
                        Report(ExpressionProblemKind.NotAllowed, AllowedMembers.NotAllowed($"'{name}' inside {AllowedMembers.MaxListNesting} other list operations"), at, name.Length);
                    }

                    SkipArguments(listOperation ? ElementOf(type) : null);
                    if (listOperation)
                    {
                        _listNesting--;
                        return name is "Any" or "All" or "Contains" ? Bool() : Value.Unknown;
                    }

                    var method = members.OfType<IMethodSymbol>().FirstOrDefault();
                    return new Value(method?.ReturnType);
                }

                return members[0] switch
                {
                    IPropertySymbol property => new Value(property.Type),
                    IFieldSymbol field => new Value(field.Type),
                    _ => Value.Unknown,
                };
            }

            private static string FullName(ITypeSymbol declaring)
            {
                // By metadata name, as the runtime's Type.FullName: "System.String", never the keyword "string".
                var definition = declaring.OriginalDefinition;
                var name = definition.MetadataName;
                var tick = name.IndexOf('`');
                name = tick < 0 ? name : name.Substring(0, tick);
                return definition.ContainingNamespace is { IsGlobalNamespace: false } ns ? ns.ToDisplayString() + "." + name : name;
            }

            /// <summary>The element type of a list (<c>IEnumerable&lt;T&gt;</c>'s T); null when it is not one.</summary>
            private static ITypeSymbol? ElementOf(ITypeSymbol type) =>
                type is IArrayTypeSymbol array
                    ? array.ElementType
                    : (type.OriginalDefinition.SpecialType == SpecialType.System_Collections_Generic_IEnumerable_T ? type as INamedTypeSymbol : type.AllInterfaces.FirstOrDefault(i => i.OriginalDefinition.SpecialType == SpecialType.System_Collections_Generic_IEnumerable_T))?.TypeArguments[0];

            private void CheckAllowed(ITypeSymbol declaring, string member, int at, bool isMethod)
            {
                var fullName = FullName(declaring);
                var allowed = isMethod
                    ? AllowedMembers.IsCallable(fullName, member) || IsValueLike(declaring) && member is "Equals" or "CompareTo" or "ToString" || IsCollection(declaring) && AllowedMembers.IsCollectionMethod(member)
                    : AllowedMembers.IsReadable(fullName) || IsValueLike(declaring) || IsCollection(declaring) || fullName == "System.Nullable";
                if (!allowed)
                {
                    Report(ExpressionProblemKind.NotAllowed, AllowedMembers.NotAllowed($"'{declaring.Name}.{member}'"), at, member.Length);
                    throw new NotUnderstood();
                }
            }

            private Value EnumMember(string typeName)
            {
                Expect(".");
                var at = _position;
                var member = Identifier();
                var type = _checker._compilation.GetTypeByMetadataName(typeName);
                if (type is not null && !type.GetMembers(member).Any())
                {
                    Report(ExpressionProblemKind.UnknownMember, $"No property or field '{member}' exists in type '{type.Name}'{Diagnostics.NameSuggestions.DidYouMean(member, type.GetMembers().OfType<IFieldSymbol>().Select(f => f.Name))}", at, member.Length);
                    return Value.Unknown;
                }

                return new Value(type);
            }

            private static IEnumerable<ISymbol> AllMembers(ITypeSymbol type)
            {
                for (var current = type; current is not null; current = current.BaseType)
                {
                    foreach (var member in current.GetMembers())
                    {
                        yield return member;
                    }
                }

                foreach (var face in type.AllInterfaces)
                {
                    foreach (var member in face.GetMembers())
                    {
                        yield return member;
                    }
                }
            }

            private static bool IsEnumerable(ITypeSymbol type) =>
                type.TypeKind == TypeKind.Array
                || type.OriginalDefinition.SpecialType == SpecialType.System_Collections_Generic_IEnumerable_T
                || type.AllInterfaces.Any(i => i.OriginalDefinition.SpecialType == SpecialType.System_Collections_Generic_IEnumerable_T);

            private bool Comparable(ITypeSymbol? left, ITypeSymbol? right)
            {
                if (left is null || right is null)
                {
                    return true;
                }

                var l = Underlying(left);
                var r = Underlying(right);
                if (SymbolEqualityComparer.Default.Equals(l, r) || IsNumeric(l) && IsNumeric(r))
                {
                    return true;
                }

                // null compares with any reference or nullable value
                return l.SpecialType == SpecialType.System_Object || r.SpecialType == SpecialType.System_Object;
            }

            private static ITypeSymbol Underlying(ITypeSymbol type) =>
                type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable ? nullable.TypeArguments[0] : type;

            private static bool IsNumeric(ITypeSymbol? type) => type is not null && Underlying(type).SpecialType is SpecialType.System_Int32 or SpecialType.System_Int64 or SpecialType.System_Decimal or SpecialType.System_Double or SpecialType.System_Single or SpecialType.System_Int16 or SpecialType.System_Byte;

            private static bool IsString(ITypeSymbol? type) => type?.SpecialType == SpecialType.System_String;

            private static bool IsValueLike(ITypeSymbol type) => type.TypeKind == TypeKind.Enum || IsNumeric(type) || type.SpecialType == SpecialType.System_Boolean || type.ToDisplayString() == "NodaTime.LocalDate";

            private static bool IsCollection(ITypeSymbol type) => type.TypeKind == TypeKind.Array || type.ContainingNamespace?.ToDisplayString() == "System.Collections.Generic" || type.Name == "ProposalAttributes";

            private static string Name(ITypeSymbol? type) => type?.Name ?? "?";

            private Value Bool() => new(_checker.Special(SpecialType.System_Boolean));

            private readonly List<ExpressionProblem> _more = new();

            /// <summary>The first problem, with every further unknown member when the first is one too (as the loader reports them).</summary>
            public ExpressionProblem? Result => Problem is null ? null : Problem with { More = _more.ToList() };

            private void Report(ExpressionProblemKind kind, string message, int at, int length)
            {
                var problem = new ExpressionProblem(kind, message, at, Math.Max(1, length));
                if (Problem is null)
                {
                    Problem = problem;
                }
                else if (kind == ExpressionProblemKind.UnknownMember && Problem.Kind == ExpressionProblemKind.UnknownMember && _more.All(p => p.Position != at) && Problem.Position != at)
                {
                    _more.Add(problem);
                }
            }

            private void Skip()
            {
                while (_position < _text.Length && char.IsWhiteSpace(_text[_position]))
                {
                    _position++;
                }
            }

            private bool Peek(string symbol)
            {
                Skip();
                return string.CompareOrdinal(_text, _position, symbol, 0, symbol.Length) == 0;
            }

            private bool Accept(string symbol)
            {
                if (!Peek(symbol))
                {
                    return false;
                }

                // "<" must not take the first character of "<=" (the longer operators are tried first by callers).
                _position += symbol.Length;
                return true;
            }

            private bool AcceptWord(string word)
            {
                Skip();
                if (string.CompareOrdinal(_text, _position, word, 0, word.Length) == 0 && (_position + word.Length >= _text.Length || !char.IsLetterOrDigit(_text[_position + word.Length])))
                {
                    _position += word.Length;
                    return true;
                }

                return false;
            }

            private void Expect(string symbol)
            {
                if (!Accept(symbol))
                {
                    throw new NotUnderstood();
                }
            }

            private string Identifier()
            {
                Skip();
                var start = _position;
                while (_position < _text.Length && (char.IsLetterOrDigit(_text[_position]) || _text[_position] == '_'))
                {
                    _position++;
                }

                if (_position == start)
                {
                    throw new NotUnderstood();
                }

                return _text.Substring(start, _position - start);
            }

            private static bool IsIdentifierStart(char c) => char.IsLetter(c) || c == '_';

            private void SkipLiteral(char quote)
            {
                for (_position++; _position < _text.Length; _position++)
                {
                    if (_text[_position] == '\\')
                    {
                        _position++;
                    }
                    else if (_text[_position] == quote)
                    {
                        _position++;
                        return;
                    }
                }

                throw new NotUnderstood();
            }

            /// <summary>Reads "( … )" checking each argument as an expression where it can; lambdas are checked by the loader.</summary>
            private void SkipArguments(ITypeSymbol? element = null)
            {
                Expect("(");
                var depth = 1;
                var start = _position;
                while (_position < _text.Length && depth > 0)
                {
                    var c = _text[_position];
                    if (c is '"' or '\'')
                    {
                        SkipLiteral(c);
                        continue;
                    }

                    depth += c == '(' ? 1 : c == ')' ? -1 : 0;
                    _position++;
                }

                if (depth != 0)
                {
                    throw new NotUnderstood();
                }

                // Check plain arguments (no lambdas) so unknown members inside calls are still found.
                var inside = _text.Substring(start, _position - start - 1);
                if (inside.IndexOf("=>", StringComparison.Ordinal) < 0 && inside.Trim().Length > 0)
                {
                    foreach (var (argument, offset) in SplitArguments(inside))
                    {
                        var nested = new Reader(_checker, argument, _names) { _listNesting = _listNesting };
                        try
                        {
                            nested.ReadExpression();
                        }
                        catch (NotUnderstood)
                        {
                        }

                        if (nested.Result is { } problem)
                        {
                            foreach (var found in new[] { problem }.Concat(problem.More))
                            {
                                Report(found.Kind, found.Message, start + offset + found.Position, found.Length);
                            }
                        }
                    }
                }
                else if (inside.IndexOf("=>", StringComparison.Ordinal) >= 0)
                {
                    // A list operation's lambda: its parameter is one element of the list, so members used on it
                    // are checked as the loader checks them (p => p.StartWith(…) is unknown at 'StartWith').
                    var lambda = System.Text.RegularExpressions.Regex.Match(inside, @"^\s*([A-Za-z_]\w*)\s*=>");
                    if (element is not null && lambda.Success)
                    {
                        var names = _names.SetItem(lambda.Groups[1].Value, new Value(element));

                        // Nesting is counted below, over the whole body; the nested reader must not count it again.
                        var body = new Reader(_checker, inside.Substring(lambda.Length), names) { _listNesting = -1000 };
                        try
                        {
                            body.ReadExpression();
                        }
                        catch (NotUnderstood)
                        {
                        }

                        if (body.Result is { } problem)
                        {
                            foreach (var found in new[] { problem }.Concat(problem.More))
                            {
                                Report(found.Kind, found.Message, start + lambda.Length + found.Position, found.Length);
                            }
                        }
                    }

                    // Nested list operations inside the lambda body count towards the limit.
                    var inner = System.Text.RegularExpressions.Regex.Matches(inside, @"\.(Any|All|Count|Where|Select|Sum|Min|Max|First|FirstOrDefault)\s*\(\s*\w+\s*=>");
                    if (_listNesting + inner.Count > AllowedMembers.MaxListNesting && inner.Count > 0)
                    {
                        var last = inner[inner.Count - 1];
                        Report(ExpressionProblemKind.NotAllowed, AllowedMembers.NotAllowed($"'{last.Groups[1].Value}' inside {AllowedMembers.MaxListNesting} other list operations"), start + last.Index + 1, last.Groups[1].Length);
                    }
                }
            }

            private static IEnumerable<(string Text, int Offset)> SplitArguments(string inside)
            {
                var depth = 0;
                var start = 0;
                for (var i = 0; i < inside.Length; i++)
                {
                    var c = inside[i];
                    if (c is '"' or '\'')
                    {
                        i = ExpressionText.EndOfLiteral(inside, i);

                        continue;
                    }

                    depth += c is '(' or '[' or '{' ? 1 : c is ')' or ']' or '}' ? -1 : 0;
                    if (depth == 0 && c == ',')
                    {
                        yield return (inside.Substring(start, i - start), start);
                        start = i + 1;
                    }
                }

                yield return (inside.Substring(start), start);
            }
        }
    }
}
