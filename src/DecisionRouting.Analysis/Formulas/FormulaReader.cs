using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using DecisionRouting.Proposals;

namespace DecisionRouting.Analysis.Formulas
{
    /// <summary>
    /// Reads the decidable subset of a rule expression into a <see cref="Formula"/>: boolean connectives, comparisons,
    /// enum members, list membership and attribute reads over the proposal's fields, the rule set's parameters and the
    /// named terms in scope. Anything else throws <see cref="OutsideSubsetException"/> naming what and where, so the
    /// rule is reported as outside the subset rather than guessed at. The text has already been compiled by the loader,
    /// so this reader only has to be strict, not to explain syntax errors.
    /// </summary>
    internal sealed class FormulaReader
    {
        // Boolean fields and derived properties of Proposal (Proposal.cs), read as routing reads them.
        private static readonly HashSet<string> BoolFields = new(StringComparer.Ordinal)
        {
            "AllWards", "SignificantEffectOnCommunities", "TupeTransfer", "Urgent", "NoticeImpracticable", "CallInExempt",
            "UrgencyReadFromUrgentFlag", "AffectsBudgetAndPolicyFramework", "SubstantialVariationOfHealthServices",
            "LegallyBinding", "DecidedAtMeeting", "IsExecutiveDecision", "HasExemptInformation",
        };

        private static readonly Dictionary<string, ValueKind> NumericFields = new(StringComparer.Ordinal)
        {
            ["FinancialCommitment"] = ValueKind.Money,
            ["Savings"] = ValueKind.Money,
            ["SpendOrSaving"] = ValueKind.Money,
            ["WardsAffected"] = ValueKind.Count,
            ["StaffAffected"] = ValueKind.Count,
            ["ProposedRedundancies"] = ValueKind.Count,
            ["IntendedDecisionDate"] = ValueKind.Date,
        };

        private static readonly Dictionary<string, string[]> Enums = new(StringComparer.Ordinal)
        {
            [nameof(ProposalKind)] = Enum.GetNames<ProposalKind>(),
            [nameof(DecisionMaker)] = Enum.GetNames<DecisionMaker>(),
            [nameof(StatutoryRole)] = Enum.GetNames<StatutoryRole>(),
        };

        private static readonly string[] Symbols = { "&&", "||", "==", "!=", "<>", "<=", ">=", "<", ">", "!", "(", ")", ".", ",", "=" };

        private readonly string _text;
        private readonly IFormulaScope _scope;
        private readonly List<(string Text, int Offset)> _tokens = new();
        private int _next;

        private FormulaReader(string text, IFormulaScope scope)
        {
            _text = text;
            _scope = scope;
            Tokenise();
        }

        /// <summary>The formula of <paramref name="text"/>.</summary>
        /// <exception cref="OutsideSubsetException">The text uses something outside the decidable subset.</exception>
        public static Formula Read(string text, IFormulaScope scope)
        {
            var reader = new FormulaReader(text, scope);
            var formula = reader.ReadOr();
            if (reader._next < reader._tokens.Count)
            {
                throw reader.Outside("'" + reader.Peek + "' here is not in the analysed subset");
            }

            return formula;
        }

        private string Peek => _next < _tokens.Count ? _tokens[_next].Text : string.Empty;

        private int PeekOffset => _next < _tokens.Count ? _tokens[_next].Offset : _text.Length;

        private OutsideSubsetException Outside(string reason) =>
            new(reason, PeekOffset, Math.Max(1, Peek.Length));

        private OutsideSubsetException Outside(string reason, int offset, int length) => new(reason, offset, Math.Max(1, length));

        private bool Accept(string token)
        {
            if (string.Equals(Peek, token, StringComparison.OrdinalIgnoreCase))
            {
                _next++;
                return true;
            }

            return false;
        }

        private void Expect(string token)
        {
            if (!Accept(token))
            {
                throw Outside($"expected '{token}' here; this form is not in the analysed subset");
            }
        }

        private Formula ReadOr()
        {
            var left = ReadAnd();
            while (Accept("||") || Accept("or") || Accept("orelse"))
            {
                left = new Junction(false, left, ReadAnd());
            }

            return left;
        }

        private Formula ReadAnd()
        {
            var left = ReadUnary();
            while (Accept("&&") || Accept("and") || Accept("andalso"))
            {
                left = new Junction(true, left, ReadUnary());
            }

            return left;
        }

        private Formula ReadUnary()
        {
            if (Accept("!") || Accept("not"))
            {
                return new Negation(ReadUnary());
            }

            var start = PeekOffset;
            var left = ReadOperand();
            var op = Peek switch
            {
                "==" or "=" => "==",
                "!=" or "<>" => "!=",
                "<" or "<=" or ">" or ">=" => Peek,
                _ => Peek.ToUpperInvariant() switch { "EQ" => "==", "NE" => "!=", "LT" => "<", "LE" => "<=", "GT" => ">", "GE" => ">=", _ => null },
            };
            if (op is null)
            {
                return left as Formula ?? throw Outside("a value used as a condition is not in the analysed subset", start, PeekOffset - start);
            }

            _next++;
            var rightStart = PeekOffset;
            var right = ReadOperand();
            return Compare(op, left, right, start, PeekOffset - start, rightStart);
        }

        private Formula Compare(string op, object left, object right, int start, int length, int rightStart)
        {
            if (left is Formula l && right is Formula r)
            {
                if (op is not ("==" or "!="))
                {
                    throw Outside("ordering of booleans is not in the analysed subset", start, length);
                }

                // a == b over booleans: both decided, then equal.
                var equal = new Junction(false, new Junction(true, l, r), new Junction(true, new Negation(l), new Negation(r)));
                return op == "==" ? equal : new Negation(equal);
            }

            if (left is not Value lv || right is not Value rv)
            {
                throw Outside("a comparison between a condition and a value is not in the analysed subset", rightStart, 1);
            }

            if (lv is NullConstant || rv is NullConstant)
            {
                throw Outside("a comparison with null is not in the analysed subset", start, length);
            }

            return new Comparison(op, lv, rv);
        }

        private object ReadOperand()
        {
            var start = PeekOffset;
            var token = Peek;
            if (token.Length == 0)
            {
                throw Outside("the expression ends early");
            }

            if (Accept("("))
            {
                var inner = ReadOr();
                Expect(")");
                return inner;
            }

            if (token[0] == '"')
            {
                _next++;
                return new TextConstant(Unquote(token, start));
            }

            if (char.IsDigit(token[0]))
            {
                _next++;
                var digits = token.TrimEnd('m', 'M', 'd', 'D', 'f', 'F', 'l', 'L', 'u', 'U');
                if (!decimal.TryParse(digits, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
                {
                    throw Outside($"the number '{token}' is not in the analysed subset", start, token.Length);
                }

                return new NumberConstant(number, ValueKind.Number);
            }

            if (!IsIdentifier(token))
            {
                throw Outside($"'{token}' is not in the analysed subset");
            }

            _next++;
            switch (token.ToUpperInvariant())
            {
                case "TRUE":
                    return new BoolConstant(true);
                case "FALSE":
                    return new BoolConstant(false);
                case "NULL":
                    return new NullConstant();
            }

            if (token is "proposal" or "input1")
            {
                return ReadProposalMember(start);
            }

            if (token == "parameters")
            {
                Expect(".");
                var nameOffset = PeekOffset;
                var name = ReadIdentifier();
                return _scope.Parameter(name) ?? throw Outside($"parameters.{name} is not a parameter of the rule set", nameOffset, name.Length);
            }

            if (Enums.TryGetValue(token, out var members))
            {
                Expect(".");
                var memberOffset = PeekOffset;
                var member = ReadIdentifier();
                return members.Contains(member, StringComparer.Ordinal)
                    ? new EnumConstant(token, member)
                    : throw Outside($"{token}.{member} is not a member", memberOffset, member.Length);
            }

            if (token == "LocalDate")
            {
                Expect("(");
                var year = ReadInteger();
                Expect(",");
                var month = ReadInteger();
                Expect(",");
                var day = ReadInteger();
                Expect(")");
                try
                {
                    var date = new NodaTime.LocalDate(year, month, day);
                    return new NumberConstant(Days(date), ValueKind.Date);
                }
                catch (ArgumentOutOfRangeException)
                {
                    throw Outside("not a date", start, PeekOffset - start);
                }
            }

            if (token == "requires" && _scope.AllowsRequires && Peek == "(")
            {
                Expect("(");
                var stepOffset = PeekOffset;
                var stepToken = Peek;
                if (stepToken.Length == 0 || stepToken[0] != '"')
                {
                    throw Outside("requires takes a step id as a string: requires(\"key-decision-notice\")");
                }

                _next++;
                var step = Unquote(stepToken, stepOffset);
                if (!_scope.Steps.Contains(step))
                {
                    throw new UnknownStepException(step, stepOffset, stepToken.Length);
                }

                Expect(")");
                return new Requires(step);
            }

            if (Peek == "." || Peek == "(")
            {
                throw Outside($"'{token}{Peek}…' is not in the analysed subset", start, token.Length);
            }

            return _scope.Named(token) ?? throw Outside($"'{token}' is not a name the analysis knows", start, token.Length);
        }

        private object ReadProposalMember(int start)
        {
            Expect(".");
            var memberOffset = PeekOffset;
            var member = ReadIdentifier();
            if (BoolFields.Contains(member))
            {
                return new BoolField(member);
            }

            if (NumericFields.TryGetValue(member, out var kind))
            {
                if (Peek == ".")
                {
                    throw Outside($"proposal.{member}.{_tokens.ElementAtOrDefault(_next + 1).Text} is not in the analysed subset", memberOffset, member.Length);
                }

                return new NumericField(member, kind);
            }

            switch (member)
            {
                case "DecisionMaker":
                    return new EnumField(member, nameof(DecisionMaker));
                case "Has" when Peek == "(":
                    Expect("(");
                    var kindName = ReadEnumArgument(nameof(ProposalKind));
                    Expect(")");
                    return new HasKind(kindName);
                case "Touches" when Peek == "(":
                    Expect("(");
                    var role = ReadEnumArgument(nameof(StatutoryRole));
                    Expect(")");
                    return new TouchesRole(role);
                case "Kinds" or "StatutoryRoles" or "ExemptParagraphs" when Peek == ".":
                    Expect(".");
                    var methodOffset = PeekOffset;
                    var method = ReadIdentifier();
                    if (method != "Contains")
                    {
                        throw Outside($"proposal.{member}.{method} is not in the analysed subset (only Contains is)", methodOffset, method.Length);
                    }

                    Expect("(");
                    object result = member switch
                    {
                        "Kinds" => new HasKind(ReadEnumArgument(nameof(ProposalKind))),
                        "StatutoryRoles" => new TouchesRole(ReadEnumArgument(nameof(StatutoryRole))),
                        _ => new ExemptParagraph(ReadInteger()),
                    };
                    Expect(")");
                    return result;
                case "Attributes" when Peek == ".":
                    Expect(".");
                    var accessorOffset = PeekOffset;
                    var accessor = ReadIdentifier();
                    Expect("(");
                    var nameOffset = PeekOffset;
                    var nameToken = Peek;
                    if (nameToken.Length == 0 || nameToken[0] != '"')
                    {
                        throw Outside("an attribute name that is not a string literal is not in the analysed subset");
                    }

                    _next++;
                    var name = Unquote(nameToken, nameOffset);
                    Expect(")");
                    return accessor switch
                    {
                        "Has" => new HasAttribute(name),
                        "Flag" => new FlagAttribute(name),
                        "Number" => new AttributeValue(name, ValueKind.Money),
                        "Date" => new AttributeValue(name, ValueKind.Date),
                        "Text" => new AttributeValue(name, ValueKind.Text),
                        _ => throw Outside($"Attributes.{accessor} is not in the analysed subset", accessorOffset, accessor.Length),
                    };
                default:
                    throw Outside($"proposal.{member} is not in the analysed subset", memberOffset, member.Length);
            }
        }

        private string ReadEnumArgument(string type)
        {
            var offset = PeekOffset;
            if (ReadOperand() is EnumConstant constant && constant.EnumType == type)
            {
                return constant.Member;
            }

            throw Outside($"expected a {type} member here", offset, PeekOffset - offset);
        }

        private int ReadInteger()
        {
            var offset = PeekOffset;
            var token = Peek;
            if (token.Length > 0 && token.All(char.IsDigit) && int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
            {
                _next++;
                return value;
            }

            throw Outside("expected a whole number here", offset, token.Length);
        }

        private string ReadIdentifier()
        {
            var token = Peek;
            if (!IsIdentifier(token))
            {
                throw Outside("expected a name here");
            }

            _next++;
            return token;
        }

        private string Unquote(string token, int offset)
        {
            var inner = token.Substring(1, token.Length - 2);
            if (inner.Contains('\\', StringComparison.Ordinal))
            {
                throw Outside("a text with escapes is not in the analysed subset", offset, token.Length);
            }

            return inner;
        }

        private static bool IsIdentifier(string token) => token.Length > 0 && (char.IsLetter(token[0]) || token[0] == '_') && token.All(c => char.IsLetterOrDigit(c) || c == '_');

        /// <summary>Days since 1970-01-01: the unit dates are modelled in.</summary>
        public static long Days(NodaTime.LocalDate date) => NodaTime.Period.Between(new NodaTime.LocalDate(1970, 1, 1), date, NodaTime.PeriodUnits.Days).Days;

        private void Tokenise()
        {
            var i = 0;
            while (i < _text.Length)
            {
                var c = _text[i];
                if (char.IsWhiteSpace(c))
                {
                    i++;
                    continue;
                }

                var start = i;
                if (c == '"')
                {
                    i++;
                    while (i < _text.Length && _text[i] != '"')
                    {
                        i += _text[i] == '\\' ? 2 : 1;
                    }

                    i = Math.Min(i + 1, _text.Length);
                }
                else if (char.IsLetter(c) || c == '_')
                {
                    while (i < _text.Length && (char.IsLetterOrDigit(_text[i]) || _text[i] == '_'))
                    {
                        i++;
                    }
                }
                else if (char.IsDigit(c))
                {
                    while (i < _text.Length && (char.IsLetterOrDigit(_text[i]) || _text[i] == '.' || _text[i] == '_'))
                    {
                        i++;
                    }
                }
                else
                {
                    var symbol = Symbols.FirstOrDefault(s => string.CompareOrdinal(_text, i, s, 0, s.Length) == 0);
                    if (symbol is null)
                    {
                        throw Outside($"'{c}' is not in the analysed subset", i, 1);
                    }

                    i += symbol.Length;
                }

                _tokens.Add((_text.Substring(start, i - start), start));
            }
        }
    }
}
