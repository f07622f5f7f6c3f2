using System;
using System.Collections.Generic;
using System.Linq;
using DecisionRouting.Analysis.Formulas;
using DecisionRouting.Proposals;
using Google.OrTools.Sat;

namespace DecisionRouting.Analysis.Solving
{
    /// <summary>
    /// A formula's value in CP-SAT terms: <see cref="Value"/> is what it evaluates to, meaningful only where
    /// <see cref="Decided"/> holds; where it does not, routing would find the rule undecided (it reads a value the
    /// proposal does not give) and never count it as matched.
    /// </summary>
    internal sealed record Tri(ILiteral Value, ILiteral Decided);

    /// <summary>
    /// Turns <see cref="Formula"/>s into constraints over a <see cref="ProposalModel"/>, keeping routing's three-valued
    /// semantics: <c>&amp;&amp;</c> and <c>||</c> evaluate left to right and short-circuit, so <c>false &amp;&amp; x</c> is
    /// decided even when <c>x</c> is not; a comparison is decided only when both sides are.
    /// </summary>
    internal sealed class Encoder
    {
        private readonly ProposalModel _p;
        private readonly Dictionary<string, List<string>> _textLiterals = new(StringComparer.Ordinal);
        private int _count;

        public Encoder(ProposalModel proposal, Func<string, ILiteral>? requires, IReadOnlyList<string>? executiveModels)
        {
            _p = proposal;
            Requires = requires;
            if (executiveModels is not null)
            {
                _textLiterals[ExecutiveModelKey] = executiveModels.ToList();
                ExecutiveModel = _p.Model.NewIntVar(1, executiveModels.Count, "executiveModel");
                ExecutiveModelDecided = _p.Model.NewBoolVar("executiveModelDecided");
            }
        }

        /// <summary>The key of the executive model's literals in <see cref="TextLiterals"/>.</summary>
        public const string ExecutiveModelKey = "\0executiveModel";

        /// <summary>The literal of <c>requires("step")</c>, when formulas may use it.</summary>
        public Func<string, ILiteral>? Requires { get; set; }

        /// <summary>The executive model in force on the decision date (an index into its literals), when the rule set gives a timeline.</summary>
        public IntVar? ExecutiveModel { get; }

        /// <summary>Whether a timeline entry covers the decision date.</summary>
        public BoolVar? ExecutiveModelDecided { get; }

        /// <summary>Text attributes' literals, by attribute name: the index a solution's value stands for, less one.</summary>
        public IReadOnlyDictionary<string, IReadOnlyList<string>> TextLiterals => _textLiterals.ToDictionary(p => p.Key, p => (IReadOnlyList<string>)p.Value, StringComparer.Ordinal);

        public ILiteral True => _p.Model.TrueLiteral();

        public ILiteral False => _p.Model.FalseLiteral();

        /// <summary>Encodes <paramref name="formula"/> with the named terms in <paramref name="names"/>.</summary>
        /// <exception cref="OutsideSubsetException">A comparison mixes units, or a constant does not fit its unit.</exception>
        public Tri Encode(Formula formula, IReadOnlyDictionary<string, Tri> names)
        {
            switch (formula)
            {
                case BoolConstant c:
                    return new Tri(c.Value ? True : False, True);
                case Negation n:
                    var inner = Encode(n.Operand, names);
                    return new Tri(inner.Value.Not(), inner.Decided);
                case Junction j:
                    var l = Encode(j.Left, names);
                    var r = Encode(j.Right, names);
                    if (j.IsAnd)
                    {
                        // Decided when the left is decided and either false (short-circuit) or the right is decided.
                        return new Tri(_p.And(Name("and"), l.Value, r.Value), _p.And(Name("andDecided"), l.Decided, _p.Or(Name("andRight"), l.Value.Not(), r.Decided)));
                    }

                    return new Tri(_p.Or(Name("or"), l.Value, r.Value), _p.And(Name("orDecided"), l.Decided, _p.Or(Name("orRight"), l.Value, r.Decided)));
                case BoolField f:
                    return new Tri(_p.Bool(f.Name), True);
                case HasKind k:
                    return new Tri(_p.Kinds[k.Kind], True);
                case TouchesRole role:
                    return new Tri(_p.Roles[role.Role], True);
                case ExemptParagraph e:
                    return new Tri(_p.Exempt.TryGetValue(e.Paragraph, out var paragraph) ? paragraph : False, True);
                case FlagAttribute flag:
                    var flagVars = Declared(flag.Name, "Flag");
                    return new Tri((BoolVar)flagVars.Value, flagVars.Present);
                case HasAttribute has:
                    return new Tri(Declared(has.Name, null).Present, True);
                case NamedFormula named:
                    return names.TryGetValue(named.Name, out var value) ? value : throw new OutsideSubsetException($"'{named.Name}' is not in scope", 0, 1);
                case Requires req:
                    return Requires is { } requires ? new Tri(requires(req.Step), True) : throw new OutsideSubsetException("requires(…) is only for properties", 0, 1);
                case Comparison c:
                    return Compare(c);
                default:
                    throw new OutsideSubsetException($"{formula.GetType().Name} is not in the analysed subset", 0, 1);
            }
        }

        private AttributeVars Declared(string name, string? kind)
        {
            var vars = _p.Attribute(name) ?? throw new OutsideSubsetException($"attribute '{name}' is not declared", 0, 1);
            if (kind is not null && !string.Equals(vars.Declaration.Kind.ToString(), kind, StringComparison.Ordinal))
            {
                throw new OutsideSubsetException($"attribute '{name}' is a {vars.Declaration.Kind}, not a {kind}", 0, 1);
            }

            return vars;
        }

        private string Name(string what) => what + "#" + _count++;

        private Tri Compare(Comparison c)
        {
            var (left, right) = (c.Left, c.Right);
            if (left is EnumConstant || left is TextConstant)
            {
                (left, right) = (right, left);
                c = c with { Operator = Flip(c.Operator) };
            }

            if (left is EnumConstant le && right is EnumConstant re)
            {
                return Constant(c.Operator, le.EnumType == re.EnumType && le.Member == re.Member);
            }

            if (left is TextConstant lt && right is TextConstant rt)
            {
                return Constant(c.Operator, string.Equals(lt.Value, rt.Value, StringComparison.Ordinal));
            }

            if (left is EnumField field && right is EnumConstant member && field.EnumType == member.EnumType)
            {
                var equal = _p.IsDecisionMaker(Enum.Parse<DecisionMaker>(member.Member));
                return EqualityOnly(c.Operator, equal, True);
            }

            if (right is TextConstant text)
            {
                if (left is ExecutiveModel && ExecutiveModel is { } model)
                {
                    var index = _textLiterals[ExecutiveModelKey].IndexOf(text.Value);
                    return EqualityOnly(c.Operator, index < 0 ? False : _p.Equal(model, index + 1), ExecutiveModelDecided!);
                }

                if (left is AttributeValue { Kind: ValueKind.Text } attribute)
                {
                    var vars = Declared(attribute.Name, "Text");
                    if (!_textLiterals.TryGetValue(attribute.Name, out var literals))
                    {
                        literals = new List<string>();
                        _textLiterals[attribute.Name] = literals;
                    }

                    var index = literals.IndexOf(text.Value);
                    if (index < 0)
                    {
                        literals.Add(text.Value);
                        index = literals.Count - 1;
                    }

                    return EqualityOnly(c.Operator, _p.Equal(vars.Value, index + 1), vars.Present);
                }
            }

            var (lExpr, lDecided, lKind, lScale) = Numeric(left);
            var (rExpr, rDecided, rKind, rScale) = Numeric(right);
            var kind = lKind == ValueKind.Number ? rKind : lKind;
            if (lKind != ValueKind.Number && rKind != ValueKind.Number && lKind != rKind)
            {
                throw new OutsideSubsetException($"a comparison of {lKind} with {rKind} is not in the analysed subset", 0, 1);
            }

            var scale = kind == ValueKind.Money ? 100m : 1m;
            var l = lExpr ?? Scaled(lScale!.Value, scale);
            var r = rExpr ?? Scaled(rScale!.Value, scale);
            var b = _p.Model.NewBoolVar(Name("cmp"));
            switch (c.Operator)
            {
                case "==":
                    _p.Model.Add(l == r).OnlyEnforceIf(b);
                    _p.Model.Add(l != r).OnlyEnforceIf(b.Not());
                    break;
                case "!=":
                    _p.Model.Add(l != r).OnlyEnforceIf(b);
                    _p.Model.Add(l == r).OnlyEnforceIf(b.Not());
                    break;
                case "<":
                    _p.Model.Add(l < r).OnlyEnforceIf(b);
                    _p.Model.Add(l >= r).OnlyEnforceIf(b.Not());
                    break;
                case "<=":
                    _p.Model.Add(l <= r).OnlyEnforceIf(b);
                    _p.Model.Add(l > r).OnlyEnforceIf(b.Not());
                    break;
                case ">":
                    _p.Model.Add(l > r).OnlyEnforceIf(b);
                    _p.Model.Add(l <= r).OnlyEnforceIf(b.Not());
                    break;
                default:
                    _p.Model.Add(l >= r).OnlyEnforceIf(b);
                    _p.Model.Add(l < r).OnlyEnforceIf(b.Not());
                    break;
            }

            return new Tri(b, _p.And(Name("cmpDecided"), lDecided, rDecided));
        }

        private static LinearExpr Scaled(decimal value, decimal scale)
        {
            var scaled = value * scale;
            if (scaled != decimal.Truncate(scaled) || Math.Abs(scaled) > ProposalModel.MaxPence)
            {
                // Not a whole number of pence (or of a count): the exact comparison is not modelled, so say so.
                throw new OutsideSubsetException($"the number {value} is not a whole number of {(scale == 100m ? "pence" : "units")} within the modelled range", 0, 1);
            }

            return LinearExpr.Constant((long)scaled);
        }

        private (LinearExpr? Expr, ILiteral Decided, ValueKind Kind, decimal? Constant) Numeric(Value value) => value switch
        {
            NumberConstant n => (null, True, n.Kind, n.Value),
            NumericField { Name: "FinancialCommitment" } => (_p.FinancialCommitment, True, ValueKind.Money, null),
            NumericField { Name: "Savings" } => (_p.Savings, True, ValueKind.Money, null),
            NumericField { Name: "SpendOrSaving" } => (_p.SpendOrSaving, True, ValueKind.Money, null),
            NumericField { Name: "IntendedDecisionDate" } => (_p.DecisionDate, True, ValueKind.Date, null),
            NumericField f => (_p.Counts[f.Name], True, ValueKind.Count, null),
            AttributeValue { Kind: ValueKind.Money } a => Attribute(a.Name, "Number", ValueKind.Money),
            AttributeValue { Kind: ValueKind.Date } a => Attribute(a.Name, "Date", ValueKind.Date),
            _ => throw new OutsideSubsetException($"{value.GetType().Name} in a comparison is not in the analysed subset", 0, 1),
        };

        private (LinearExpr? Expr, ILiteral Decided, ValueKind Kind, decimal? Constant) Attribute(string name, string accessor, ValueKind kind)
        {
            var vars = Declared(name, accessor);
            return (vars.Value, vars.Present, kind, null);
        }

        private Tri Constant(string op, bool equal) => op switch
        {
            "==" => new Tri(equal ? True : False, True),
            "!=" => new Tri(equal ? False : True, True),
            _ => throw new OutsideSubsetException($"'{op}' between names is not in the analysed subset", 0, 1),
        };

        private static Tri EqualityOnly(string op, ILiteral equal, ILiteral decided) => op switch
        {
            "==" => new Tri(equal, decided),
            "!=" => new Tri(equal.Not(), decided),
            _ => throw new OutsideSubsetException($"'{op}' on names is not in the analysed subset", 0, 1),
        };

        private static string Flip(string op) => op switch { "<" => ">", "<=" => ">=", ">" => "<", ">=" => "<=", _ => op };
    }
}
