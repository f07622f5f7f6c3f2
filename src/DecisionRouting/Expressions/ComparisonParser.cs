using System;
using System.Globalization;
using System.Linq.Expressions;
using System.Reflection;
using DecisionRouting.Proposals;

namespace DecisionRouting.Expressions
{
    /// <summary>
    /// A parser of our own for the one shape most rules have: comparisons of a proposal property with a constant,
    /// joined by <c>&amp;&amp;</c>, <c>||</c> and <c>!</c> (<c>input1.FinancialCommitment &gt;= 500000 &amp;&amp;
    /// input1.Has(ProposalKind.Procurement)</c>). It builds the very tree System.Linq.Dynamic.Core builds for the same
    /// text, node for node, without its cost: the parser's configuration scans every loaded assembly once per process,
    /// and each comparison it promotes searches the operand types' methods, which made parsing most of a cold load's
    /// time and allocation.
    /// </summary>
    /// <remarks>
    /// <para>
    /// It accepts a strict subset and declines (null) everything else, which then goes to System.Linq.Dynamic.Core
    /// unchanged: so an error is always the parser's own error, at its own position. The subset:
    /// <c>true</c>, <c>false</c>; <c>(</c> … <c>)</c>; <c>!</c>, <c>&amp;&amp;</c>, <c>||</c> over booleans; a property of
    /// <see cref="Proposal"/> read through one of the parameters given (<c>input1.X</c>, <c>proposal.X</c>) of type
    /// <see cref="int"/>, <see cref="decimal"/>, <see cref="bool"/>, <see cref="string"/> or a non-nullable enum;
    /// <c>x.Has(ProposalKind.Name)</c>; and one comparison (<c>==</c>, <c>!=</c>, <c>&lt;</c>, <c>&lt;=</c>,
    /// <c>&gt;</c>, <c>&gt;=</c>) of such a property with a literal on either side: a number of digits with at most one
    /// point (no sign, exponent, suffix, separator or leading zero), a double-quoted text without escapes, true/false,
    /// or a named value of the property's own enum (by <c>==</c> and <c>!=</c> only). Numbers compare with int and decimal properties (a point only with
    /// decimal), texts and booleans only by <c>==</c> and <c>!=</c>. Only ASCII, and only spaces, tabs and line breaks
    /// between tokens. Keywords and names are matched case-sensitively (a keyword in another case goes to the full
    /// parser, which reads it after <see cref="ExpressionNames.NormalizeKeywords"/>).
    /// </para>
    /// <para>
    /// <c>ComparisonParserDifferentialTests</c> parses generated and hand-picked texts with both parsers and requires
    /// equal trees (node types, types, members, methods, constants with their decimal scale, the same parameter
    /// objects) wherever this one accepts a text.
    /// </para>
    /// </remarks>
    internal static class ComparisonParser
    {
        private const int MaxDepth = 64;

        private static readonly MethodInfo HasMethod = typeof(Proposal).GetMethod(nameof(Proposal.Has), new[] { typeof(ProposalKind) })!;

        /// <summary>
        /// The tree of <paramref name="text"/> over <paramref name="parameters"/>, as System.Linq.Dynamic.Core would
        /// build it; null when the text is outside the subset (see the remarks).
        /// </summary>
        public static Expression? TryParse(string text, ParameterExpression[] parameters)
        {
            var reader = new Reader(text, parameters);
            var body = reader.Or(0);
            return body is not null && body.Type == typeof(bool) && reader.AtEnd() ? body : null;
        }

        private sealed class Reader(string text, ParameterExpression[] parameters)
        {
            private int _at;

            public bool AtEnd()
            {
                SkipSpace();
                return _at == text.Length;
            }

            public Expression? Or(int depth)
            {
                if (depth > MaxDepth || And(depth) is not { } left)
                {
                    return null;
                }

                while (Take("||"))
                {
                    if (And(depth) is not { } right || left.Type != typeof(bool) || right.Type != typeof(bool))
                    {
                        return null;
                    }

                    left = Expression.OrElse(left, right);
                }

                return left;
            }

            private Expression? And(int depth)
            {
                if (Comparison(depth) is not { } left)
                {
                    return null;
                }

                while (Take("&&"))
                {
                    if (Comparison(depth) is not { } right || left.Type != typeof(bool) || right.Type != typeof(bool))
                    {
                        return null;
                    }

                    left = Expression.AndAlso(left, right);
                }

                return left;
            }

            private Expression? Comparison(int depth)
            {
                var leftIsOperand = StartsOperand();
                if (Unary(depth) is not { } left)
                {
                    return null;
                }

                var op = ComparisonOperator();
                if (op is null)
                {
                    // '&', '|', '=', '<>', '?' and the like are the full parser's business.
                    return NextIsOperatorCharacter() ? null : Typed(left);
                }

                if (!leftIsOperand || !StartsOperand() || Unary(depth) is not { } right || ComparisonOperator() is not null || NextIsOperatorCharacter())
                {
                    return null;
                }

                return Compare(op.Value, left, right);
            }

            /// <summary>
            /// Whether the next token can start a comparison's operand: not a group and not a negation ("!a == b" is
            /// "(!a) == b" to the full parser, and this one leaves such texts to it).
            /// </summary>
            private bool StartsOperand()
            {
                SkipSpace();
                return !Peek('(') && !Peek('!');
            }

            /// <summary>A literal standing alone: true or false as the parser's constants; any other literal is not a condition.</summary>
            private static Expression? Typed(Expression expression) => expression switch
            {
                Literal { Value: bool flag } => Expression.Constant(flag),
                Literal => null,
                _ => expression,
            };

            private Expression? Unary(int depth)
            {
                SkipSpace();
                if (Peek('!') && !Peek("!="))
                {
                    if (depth > MaxDepth)
                    {
                        return null;
                    }

                    _at++;
                    if (Unary(depth + 1) is not { } unary || Typed(unary) is not { } operand || operand.Type != typeof(bool))
                    {
                        return null;
                    }

                    // A negation is never an operand of a comparison here ("!a == b" is "(!a) == b" to the parser).
                    return Expression.Not(operand);
                }

                return Primary(depth);
            }

            private Expression? Primary(int depth)
            {
                SkipSpace();
                if (_at >= text.Length)
                {
                    return null;
                }

                var c = text[_at];
                if (c == '(')
                {
                    _at++;
                    var inner = Or(depth + 1);
                    SkipSpace();
                    if (inner is null || !Peek(')'))
                    {
                        return null;
                    }

                    _at++;
                    return FollowedByAccess() ? null : inner;
                }

                if (c is >= '0' and <= '9')
                {
                    return Number();
                }

                if (c == '"')
                {
                    return Text();
                }

                if (Identifier() is not { } name)
                {
                    return null;
                }

                switch (name)
                {
                    case "true":
                        return FollowedByAccess() ? null : new Literal(true);
                    case "false":
                        return FollowedByAccess() ? null : new Literal(false);
                }

                // A parameter by a type's name would make the name mean something else: the full parser decides.
                if (name is nameof(DecisionMaker) or nameof(ProposalKind) && Named(name) is null)
                {
                    var type = name == nameof(DecisionMaker) ? typeof(DecisionMaker) : typeof(ProposalKind);
                    return TakeDot() && Identifier() is { } valueName && TryEnum(type, valueName, out var value) ? new Literal(new EnumName(type, value)) : null;
                }

                var parameter = Named(name);
                if (parameter is null || parameter.Type != typeof(Proposal) || !TakeDot() || Identifier() is not { } member)
                {
                    return null;
                }

                if (member == nameof(Proposal.Has))
                {
                    return HasCall(parameter);
                }

                var property = typeof(Proposal).GetProperty(member, BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly);
                if (property is null || property.GetIndexParameters().Length > 0 || property.GetMethod is not { IsPublic: true } || !IsSupported(property.PropertyType) || FollowedByAccess())
                {
                    return null;
                }

                return Expression.Property(parameter, property);
            }

            private Expression? HasCall(ParameterExpression parameter)
            {
                SkipSpace();
                if (!Peek('('))
                {
                    return null;
                }

                _at++;
                SkipSpace();
                if (Identifier() != nameof(ProposalKind) || Named(nameof(ProposalKind)) is not null || !TakeDot() || Identifier() is not { } name || !TryEnum(typeof(ProposalKind), name, out var kind))
                {
                    return null;
                }

                SkipSpace();
                if (!Peek(')'))
                {
                    return null;
                }

                _at++;
                return FollowedByAccess() ? null : Expression.Call(parameter, HasMethod, Expression.Constant(kind, typeof(ProposalKind)));
            }

            private static bool IsSupported(Type type) =>
                type == typeof(int) || type == typeof(decimal) || type == typeof(bool) || type == typeof(string) || type.IsEnum;

            private Expression? Compare(ExpressionType op, Expression left, Expression right)
            {
                var leftIsProperty = left is MemberExpression;
                var rightIsProperty = right is MemberExpression;
                if (leftIsProperty == rightIsProperty)
                {
                    return null;
                }

                var property = (MemberExpression)(leftIsProperty ? left : right);
                var literal = leftIsProperty ? right : left;
                if (Constant(property.Type, literal, op) is not { } constant)
                {
                    return null;
                }

                return leftIsProperty ? Expression.MakeBinary(op, property, constant) : Expression.MakeBinary(op, constant, property);
            }

            /// <summary>The literal as a constant of the property's type, as the full parser promotes it; null when it would not, or might not.</summary>
            private static ConstantExpression? Constant(Type type, Expression literal, ExpressionType op)
            {
                var equality = op is ExpressionType.Equal or ExpressionType.NotEqual;
                switch (literal)
                {
                    case Literal { Value: bool flag } when type == typeof(bool) && equality:
                        return Expression.Constant(flag);
                    case Literal { Value: string value } when type == typeof(string) && equality:
                        return Expression.Constant(value);
                    case Literal { Value: NumberText number } when type == typeof(decimal):
                        return decimal.TryParse(number.Text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var d) ? Expression.Constant(d) : null;
                    case Literal { Value: NumberText { HasPoint: false } number } when type == typeof(int):
                        return int.TryParse(number.Text, NumberStyles.None, CultureInfo.InvariantCulture, out var i) ? Expression.Constant(i) : null;
                    case Literal { Value: EnumName name } when type.IsEnum && name.Type == type && equality:
                        return Expression.Constant(name.Value, type);
                    default:
                        return null;
                }
            }

            private Literal? Number()
            {
                var start = _at;
                var point = false;
                while (_at < text.Length && (text[_at] is >= '0' and <= '9' || (text[_at] == '.' && !point)))
                {
                    point |= text[_at] == '.';
                    _at++;
                }

                var number = text.Substring(start, _at - start);

                // Digits on both sides of a point, no leading zero (octal-looking or "0.5" forms go to the full parser),
                // at most 9 digits (an int, and a decimal exact in every form), nothing glued on (suffixes, exponents, '_').
                var digits = number.Length - (point ? 1 : 0);
                if (number[^1] == '.' || (number.Length > 1 && number[0] == '0') || digits > 9 || FollowedByWordOrDot())
                {
                    return null;
                }

                return new Literal(new NumberText(number, point));
            }

            private Literal? Text()
            {
                var start = ++_at;
                while (_at < text.Length && text[_at] != '"')
                {
                    // Escapes and doubled quotes have rules of their own: the full parser reads them.
                    if (text[_at] is '\\' or < ' ' or > '~')
                    {
                        return null;
                    }

                    _at++;
                }

                if (_at >= text.Length)
                {
                    return null;
                }

                var value = text.Substring(start, _at - start);
                _at++;
                return FollowedByAccess() || Peek('"') ? null : new Literal(value);
            }

            private string? Identifier()
            {
                SkipSpace();
                var start = _at;
                while (_at < text.Length && (text[_at] is >= 'a' and <= 'z' or >= 'A' and <= 'Z' or '_' || (_at > start && text[_at] is >= '0' and <= '9')))
                {
                    _at++;
                }

                if (_at == start || (_at < text.Length && (text[_at] > '~' || text[_at] == '@')))
                {
                    return null;
                }

                return text.Substring(start, _at - start);
            }

            private bool TryEnum(Type type, string name, out object value)
            {
                // Names only, exactly as declared: no numbers, no other case, no flags syntax.
                var field = type.GetField(name, BindingFlags.Public | BindingFlags.Static);
                value = field?.GetValue(null)!;
                return field is not null && !FollowedByAccess();
            }

            /// <summary>The first parameter named <paramref name="name"/>, as <c>Array.Find</c> gives it, without a delegate per call.</summary>
            private ParameterExpression? Named(string name)
            {
                foreach (var parameter in parameters)
                {
                    if (parameter.Name == name)
                    {
                        return parameter;
                    }
                }

                return null;
            }

            private bool TakeDot()
            {
                // The full parser allows spaces around a dot; this one reads "x.Name" only.
                if (_at < text.Length && text[_at] == '.')
                {
                    _at++;
                    return true;
                }

                return false;
            }

            private bool FollowedByAccess()
            {
                var save = _at;
                SkipSpace();
                var access = _at < text.Length && text[_at] is '.' or '(' or '[' or '?';
                _at = save;
                return access;
            }

            private bool FollowedByWordOrDot() =>
                _at < text.Length && (text[_at] is '.' or '_' or >= 'a' and <= 'z' or >= 'A' and <= 'Z' or >= '0' and <= '9' or > '~');

            private ExpressionType? ComparisonOperator()
            {
                SkipSpace();
                if (_at + 1 < text.Length)
                {
                    // Read in place: a two-character string per comparison was all this allocated.
                    ExpressionType? found = text[_at + 1] != '=' ? null : text[_at] switch
                    {
                        '=' => ExpressionType.Equal,
                        '!' => ExpressionType.NotEqual,
                        '<' => ExpressionType.LessThanOrEqual,
                        '>' => ExpressionType.GreaterThanOrEqual,
                        _ => null,
                    };
                    if (found is not null)
                    {
                        // "===", "<==", "<=>" and the like: not ours.
                        if (_at + 2 < text.Length && text[_at + 2] is '=' or '>' or '<')
                        {
                            return null;
                        }

                        _at += 2;
                        return found;
                    }
                }

                if (_at < text.Length && text[_at] is '<' or '>')
                {
                    var next = _at + 1 < text.Length ? text[_at + 1] : ' ';
                    if (next is '<' or '>' or '=')
                    {
                        return null;
                    }

                    var op = text[_at] == '<' ? ExpressionType.LessThan : ExpressionType.GreaterThan;
                    _at++;
                    return op;
                }

                return null;
            }

            /// <summary>An operator or other symbol this parser does not take, at the next token.</summary>
            private bool NextIsOperatorCharacter()
            {
                SkipSpace();
                if (_at >= text.Length)
                {
                    return false;
                }

                if (Peek("&&") || Peek("||"))
                {
                    return _at + 2 < text.Length && text[_at + 2] is '&' or '|';
                }

                return text[_at] != ')';
            }

            private bool Take(string symbol)
            {
                SkipSpace();
                if (!Peek(symbol) || (_at + symbol.Length < text.Length && text[_at + symbol.Length] == symbol[0]))
                {
                    return false;
                }

                _at += symbol.Length;
                return true;
            }

            private bool Peek(char c) => _at < text.Length && text[_at] == c;

            private bool Peek(string symbol) => string.CompareOrdinal(text, _at, symbol, 0, symbol.Length) == 0;

            private void SkipSpace()
            {
                while (_at < text.Length && text[_at] is ' ' or '\t' or '\r' or '\n')
                {
                    _at++;
                }
            }
        }

        private sealed record NumberText(string Text, bool HasPoint);

        private sealed record EnumName(Type Type, object Value);

        /// <summary>A literal not yet typed: the full parser types it by what it is compared with.</summary>
        private sealed class Literal(object value) : Expression
        {
            public object Value { get; } = value;

            public override ExpressionType NodeType => ExpressionType.Extension;

            public override Type Type => Value is bool ? typeof(bool) : typeof(object);
        }
    }
}
