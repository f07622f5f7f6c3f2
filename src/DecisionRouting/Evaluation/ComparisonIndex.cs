using System;
using System.Collections.Generic;
using System.Linq;
using System.Linq.Expressions;
using System.Reflection;
using System.Runtime.CompilerServices;
using DecisionRouting.Proposals;

namespace DecisionRouting.Evaluation
{
    /// <summary>
    /// Decides a workflow's simple rules together instead of one by one. Most rules are a few comparisons of a proposal
    /// field against a constant joined by <c>&amp;&amp;</c> (<c>input1.FinancialCommitment &gt;= 5000000 &amp;&amp;
    /// input1.Has(ProposalKind.Procurement)</c>), and a large workflow repeats the same comparisons many times. So each
    /// distinct comparison (an <em>atom</em>) is decided once per proposal: every threshold of a numeric field is kept
    /// sorted, and one binary search of the proposal's value tells every atom of that field (its position against each
    /// threshold). A rule that is a conjunction of atoms (each possibly negated) fails when any of them is false, so each
    /// false atom marks its rules failed in a bit set, and the rules left are the matches; a rule that also uses
    /// <c>||</c> or <c>!</c> over a group is evaluated from the atoms' truth values.
    /// </summary>
    /// <remarks>
    /// <para>
    /// Only what cannot change the outcome is indexed, read off the parsed expression trees the delegates are compiled
    /// from: a rule with no LocalParams, children or injected workflows, in a workflow with no GlobalParams (a
    /// GlobalParam that throws fails every rule of its workflow), whose expression is built from <c>&amp;&amp;</c>,
    /// <c>||</c>, <c>&amp;</c>, <c>|</c>, <c>!</c>, <c>true</c>/<c>false</c> and atoms. An atom compares an
    /// auto-implemented property of the proposal (no code of ours runs to read it, so it cannot throw or depend on
    /// anything else) of type <see cref="int"/>, <see cref="long"/>, <see cref="decimal"/>, <see cref="bool"/> or an
    /// enum, widened exactly if the parser widened it, against a constant with <c>==</c>, <c>!=</c>, <c>&lt;</c>,
    /// <c>&lt;=</c>, <c>&gt;</c> or <c>&gt;=</c>; or compares such a <see cref="string"/> property with a constant by
    /// <c>==</c> or <c>!=</c> (ordinal, null equal only to null, as <see cref="string.op_Equality"/>); or is a bare
    /// <see cref="bool"/> property; or is <see cref="Proposal.Has"/> of a constant kind. Everything else (rules reading
    /// parameters, attributes, the schedule, lists, computed properties, doubles) stays on the compiled delegates.
    /// </para>
    /// <para>
    /// Every indexed atom is total (it never throws and reads nothing that can be missing), so evaluating all of them
    /// gives what the short-circuit evaluation of each rule gives: <c>false &amp;&amp; x</c> is false whatever x is. The one
    /// exception is <see cref="Proposal.Has"/> on a proposal whose kinds are null, which throws in the delegate; for
    /// such a proposal <see cref="TryEvaluate"/> declines, and the workflow's delegates evaluate every rule, so the
    /// error lands on exactly the rules that reach the call.
    /// </para>
    /// <para>
    /// Integers and decimals compare exactly once widened to <see cref="decimal"/> (every <see cref="long"/> fits),
    /// enums by their underlying value (values outside the enum too), and <see cref="bool"/> as 0 and 1: so one sorted
    /// array of <see cref="decimal"/> thresholds serves every numeric field.
    /// </para>
    /// </remarks>
    internal sealed class ComparisonIndex
    {
        private readonly NumericField[] _numeric;
        private readonly TextField[] _text;
        private readonly KindAtom[] _kinds;
        private readonly Literals[] _literals;
        private readonly int[] _positions;
        private readonly bool[] _conjunctive;
        private readonly bool[] _neverMatches;
        private readonly Formula?[] _formulas;
        private readonly int _words;
        private readonly int _atomCount;

        [ThreadStatic]
        private static Scratch? _scratch;

        private ComparisonIndex(Builder builder)
        {
            _numeric = builder.Numeric.Values.Select(f => f.Finish(builder)).ToArray();
            _text = builder.Text.Values.Select(f => f.Finish()).ToArray();
            _kinds = builder.Kinds.Select(k => new KindAtom(k.Key, k.Value)).ToArray();
            _positions = builder.Positions.ToArray();
            _conjunctive = builder.Conjunctive.ToArray();
            _neverMatches = builder.NeverMatches.ToArray();
            _formulas = builder.Formulas.ToArray();
            _atomCount = builder.AtomCount;
            _words = (_positions.Length + 63) / 64;
            _literals = new Literals[_atomCount];
            for (var atom = 0; atom < _atomCount; atom++)
            {
                _literals[atom] = new Literals(builder.NeedTrue[atom].ToArray(), builder.NeedFalse[atom].ToArray(), _words);
            }
        }

        /// <summary>How many of the workflow's top-level rules the index decides.</summary>
        public int Count => _positions.Length;

        /// <summary>How many distinct comparisons the index decides per proposal.</summary>
        public int Atoms => _atomCount;

        /// <summary>
        /// Builds the index of the rules among <paramref name="bodies"/> (a workflow's top-level rule bodies as
        /// compiled, in order) that it can decide; null when it can decide none. A rule with LocalParams, children or
        /// injected workflows has a body the compiler wrapped in a block with variables, so it is never indexed.
        /// <paramref name="proposalInputs"/> are the names the proposal is read by.
        /// </summary>
        public static ComparisonIndex? Build(IReadOnlyList<Expression> bodies, IReadOnlyCollection<ParameterExpression> proposalInputs)
        {
            var builder = new Builder(proposalInputs);
            for (var i = 0; i < bodies.Count; i++)
            {
                builder.TryAdd(i, bodies[i]);
            }

            return builder.Positions.Count == 0 ? null : new ComparisonIndex(builder);
        }

        /// <summary>Whether the index decided rule <paramref name="position"/> of the workflow.</summary>
        public bool Decides(int position) => Array.BinarySearch(_positions, position) >= 0;

        /// <summary>
        /// Writes the outcome of every indexed rule into <paramref name="matched"/> at <paramref name="offset"/> plus its
        /// position in the workflow (the error stays null: no indexed rule can throw). False, writing nothing, when the
        /// proposal is one the index cannot decide (no proposal, or kinds null and a rule asks for a kind).
        /// </summary>
        public bool TryEvaluate(Proposal? proposal, bool[] matched, int offset)
        {
            if (proposal is null || (_kinds.Length > 0 && proposal.Kinds is null))
            {
                return false;
            }

            var scratch = _scratch;
            if (scratch is null || scratch.Failed.Length < _words || scratch.Truth.Length < _atomCount)
            {
                scratch = _scratch = new Scratch(Math.Max(_words, scratch?.Failed.Length ?? 0), Math.Max(_atomCount, scratch?.Truth.Length ?? 0));
            }

            var failed = scratch.Failed;
            var truth = scratch.Truth;
            Array.Clear(failed, 0, _words);

            foreach (var field in _numeric)
            {
                // One search places the value against every threshold: at 2i+1 when it equals threshold i, at 2i when it lies
                // between thresholds i-1 and i. Every atom of the field is then an integer comparison with its threshold's place.
                var found = Array.BinarySearch(field.Thresholds, field.Read(proposal));
                var place = found >= 0 ? (2 * found) + 1 : 2 * ~found;
                foreach (var atom in field.Atoms)
                {
                    var at = (2 * atom.Threshold) + 1;
                    var value = atom.Operator switch
                    {
                        ExpressionType.Equal => place == at,
                        ExpressionType.NotEqual => place != at,
                        ExpressionType.LessThan => place < at,
                        ExpressionType.LessThanOrEqual => place <= at,
                        ExpressionType.GreaterThan => place > at,
                        _ => place >= at,
                    };
                    Decide(atom.Id, value, truth, failed);
                }
            }

            foreach (var field in _text)
            {
                var text = field.Read(proposal);
                foreach (var atom in field.Atoms)
                {
                    var equal = string.Equals(text, atom.Constant, StringComparison.Ordinal);
                    Decide(atom.Id, atom.Operator == ExpressionType.Equal ? equal : !equal, truth, failed);
                }
            }

            foreach (var kind in _kinds)
            {
                Decide(kind.Id, proposal.Has(kind.Kind), truth, failed);
            }

            // The delegates tick before every rule; the index does in one pass what they did in many, so one tick keeps the
            // budget's clock read at the same pace of work.
            EvaluationGuard.Tick();

            for (var r = 0; r < _positions.Length; r++)
            {
                bool value;
                if (_neverMatches[r])
                {
                    value = false;
                }
                else if (_conjunctive[r])
                {
                    value = (failed[r >> 6] & (1UL << r)) == 0;
                }
                else
                {
                    value = _formulas[r]!.Evaluate(truth);
                }

                matched[offset + _positions[r]] = value;
            }

            return true;
        }

        private void Decide(int atom, bool value, bool[] truth, ulong[] failed)
        {
            truth[atom] = value;
            var literals = _literals[atom];
            literals.MarkFailed(value ? literals.NeedFalse : literals.NeedTrue, value ? literals.NeedFalseBits : literals.NeedTrueBits, failed);
        }

        private sealed class Scratch(int words, int atoms)
        {
            public ulong[] Failed { get; } = new ulong[words];

            public bool[] Truth { get; } = new bool[atoms];
        }

        /// <summary>The conjunctive rules that need an atom true, and those that need it false: as lists, and as bit sets when that is cheaper.</summary>
        private sealed class Literals
        {
            public Literals(int[] needTrue, int[] needFalse, int words)
            {
                NeedTrue = needTrue;
                NeedFalse = needFalse;
                NeedTrueBits = Dense(needTrue, words);
                NeedFalseBits = Dense(needFalse, words);
            }

            public int[] NeedTrue { get; }

            public int[] NeedFalse { get; }

            public ulong[]? NeedTrueBits { get; }

            public ulong[]? NeedFalseBits { get; }

            public void MarkFailed(int[] rules, ulong[]? bits, ulong[] failed)
            {
                if (bits is not null)
                {
                    for (var w = 0; w < bits.Length; w++)
                    {
                        failed[w] |= bits[w];
                    }

                    return;
                }

                foreach (var r in rules)
                {
                    failed[r >> 6] |= 1UL << r;
                }
            }

            // A bit set only when it is smaller than the list it replaces, so the index stays linear in the rules' atoms.
            private static ulong[]? Dense(int[] rules, int words)
            {
                if (rules.Length <= words)
                {
                    return null;
                }

                var bits = new ulong[words];
                foreach (var r in rules)
                {
                    bits[r >> 6] |= 1UL << r;
                }

                return bits;
            }
        }

        private sealed record NumericAtom(int Id, ExpressionType Operator, int Threshold);

        private sealed class NumericField(Func<Proposal, decimal> read, decimal[] thresholds, NumericAtom[] atoms)
        {
            public Func<Proposal, decimal> Read { get; } = read;

            public decimal[] Thresholds { get; } = thresholds;

            public NumericAtom[] Atoms { get; } = atoms;
        }

        private sealed record TextAtom(int Id, ExpressionType Operator, string? Constant);

        private sealed class TextField(Func<Proposal, string?> read, TextAtom[] atoms)
        {
            public Func<Proposal, string?> Read { get; } = read;

            public TextAtom[] Atoms { get; } = atoms;
        }

        private sealed record KindAtom(ProposalKind Kind, int Id);

        /// <summary>A rule's expression over atoms, for rules that are not plain conjunctions.</summary>
        private abstract class Formula
        {
            public abstract bool Evaluate(bool[] truth);
        }

        private sealed class AtomFormula(int atom) : Formula
        {
            public int Atom { get; } = atom;

            public override bool Evaluate(bool[] truth) => truth[Atom];
        }

        private sealed class ConstantFormula(bool value) : Formula
        {
            public bool Value { get; } = value;

            public override bool Evaluate(bool[] truth) => Value;
        }

        private sealed class NotFormula(Formula operand) : Formula
        {
            public Formula Operand { get; } = operand;

            public override bool Evaluate(bool[] truth) => !Operand.Evaluate(truth);
        }

        private sealed class BinaryFormula(bool and, Formula left, Formula right) : Formula
        {
            public bool And { get; } = and;

            public Formula Left { get; } = left;

            public Formula Right { get; } = right;

            public override bool Evaluate(bool[] truth) => And ? Left.Evaluate(truth) && Right.Evaluate(truth) : Left.Evaluate(truth) || Right.Evaluate(truth);
        }

        /// <summary>Reads expression trees into atoms and formulas; linear in the trees' size.</summary>
        private sealed class Builder(IReadOnlyCollection<ParameterExpression> proposalInputs)
        {
            private readonly HashSet<ParameterExpression> _inputs = new(proposalInputs);

            public Dictionary<PropertyInfo, NumericFieldBuilder> Numeric { get; } = new();

            public Dictionary<PropertyInfo, TextFieldBuilder> Text { get; } = new();

            public Dictionary<ProposalKind, int> Kinds { get; } = new();

            public List<int> Positions { get; } = new();

            public List<bool> Conjunctive { get; } = new();

            public List<bool> NeverMatches { get; } = new();

            public List<Formula?> Formulas { get; } = new();

            public List<List<int>> NeedTrue { get; } = new();

            public List<List<int>> NeedFalse { get; } = new();

            public int AtomCount => NeedTrue.Count;

            private static bool SeenBefore(List<(int Atom, bool Value)> literals, int index)
            {
                for (var j = 0; j < index; j++)
                {
                    if (literals[j].Atom == literals[index].Atom && literals[j].Value == literals[index].Value)
                    {
                        return true;
                    }
                }

                return false;
            }

            /// <summary>One rule's literals, reused from rule to rule.</summary>
            private readonly List<(int Atom, bool Value)> _literals = new();

            public void TryAdd(int position, Expression body)
            {
                var expression = Unwrap(body);
                if (expression is null || Read(expression) is not { } formula)
                {
                    return;
                }

                var rule = Positions.Count;
                Positions.Add(position);
                var literals = _literals;
                literals.Clear();
                var never = false;
                var conjunctive = Conjunction(formula, literals, ref never);
                Conjunctive.Add(conjunctive);
                NeverMatches.Add(conjunctive && never);
                Formulas.Add(conjunctive ? null : formula);
                if (conjunctive && !never)
                {
                    // Each distinct literal once. A rule has a few, so they are compared pairwise rather than hashed
                    // (a set per rule was most of what building the index allocated); a long conjunction still hashes.
                    var distinct = literals.Count > 32 ? new HashSet<(int, bool)>() : null;
                    for (var i = 0; i < literals.Count; i++)
                    {
                        var (atom, value) = literals[i];
                        if (distinct is null ? SeenBefore(literals, i) : !distinct.Add(literals[i]))
                        {
                            continue;
                        }

                        (value ? NeedTrue : NeedFalse)[atom].Add(rule);
                    }
                }
            }

            public int NewAtom()
            {
                NeedTrue.Add(new List<int>());
                NeedFalse.Add(new List<int>());
                return NeedTrue.Count - 1;
            }

            /// <summary>A rule body as the compiler built it: a block of just the parsed expression, when the rule has nothing else.</summary>
            private static Expression? Unwrap(Expression body)
            {
                while (body is BlockExpression { Variables.Count: 0, Expressions.Count: 1 } block)
                {
                    body = block.Expressions[0];
                }

                return body.Type == typeof(bool) ? body : null;
            }

            /// <summary>Whether the formula is a conjunction of atoms and negated atoms; collects them, and whether a <c>false</c> is among them.</summary>
            private static bool Conjunction(Formula formula, List<(int Atom, bool Value)> literals, ref bool never)
            {
                switch (formula)
                {
                    case AtomFormula atom:
                        literals.Add((atom.Atom, true));
                        return true;
                    case NotFormula { Operand: AtomFormula negated }:
                        literals.Add((negated.Atom, false));
                        return true;
                    case ConstantFormula constant:
                        never |= !constant.Value;
                        return true;
                    case BinaryFormula { And: true } and:
                        return Conjunction(and.Left, literals, ref never) && Conjunction(and.Right, literals, ref never);
                    default:
                        return false;
                }
            }

            private Formula? Read(Expression expression)
            {
                RuntimeHelpers.EnsureSufficientExecutionStack();
                switch (expression)
                {
                    case ConstantExpression { Value: bool value }:
                        return new ConstantFormula(value);
                    case UnaryExpression { NodeType: ExpressionType.Not, Method: null } not when not.Type == typeof(bool):
                        return Read(not.Operand) is { } operand ? new NotFormula(operand) : null;
                    case BinaryExpression { NodeType: ExpressionType.AndAlso or ExpressionType.And or ExpressionType.OrElse or ExpressionType.Or, Method: null } logical
                        when logical.Type == typeof(bool) && logical.Left.Type == typeof(bool) && logical.Right.Type == typeof(bool):
                        {
                            var left = Read(logical.Left);
                            var right = left is null ? null : Read(logical.Right);
                            return right is null ? null : new BinaryFormula(logical.NodeType is ExpressionType.AndAlso or ExpressionType.And, left!, right);
                        }

                    case BinaryExpression comparison when IsComparison(comparison.NodeType):
                        return Comparison(comparison);
                    case MethodCallExpression { Method.Name: nameof(Proposal.Has), Object: { } target, Arguments: [ConstantExpression { Value: ProposalKind kind }] } call
                        when call.Method.DeclaringType == typeof(Proposal) && IsInput(target):
                        {
                            if (!Kinds.TryGetValue(kind, out var id))
                            {
                                id = NewAtom();
                                Kinds[kind] = id;
                            }

                            return new AtomFormula(id);
                        }

                    default:
                        // A bare bool property: the atom "property == true".
                        return Field(expression) is { } field && field.Property.PropertyType == typeof(bool) && field.Type == typeof(bool)
                            ? NumericAtomFormula(field.Property, ExpressionType.Equal, 1m)
                            : null;
                }
            }

            private static bool IsComparison(ExpressionType type) =>
                type is ExpressionType.Equal or ExpressionType.NotEqual or ExpressionType.LessThan or ExpressionType.LessThanOrEqual or ExpressionType.GreaterThan or ExpressionType.GreaterThanOrEqual;

            private Formula? Comparison(BinaryExpression node)
            {
                if (node.IsLifted || node.IsLiftedToNull || node.Type != typeof(bool))
                {
                    return null;
                }

                if (node.Left.Type != node.Right.Type || (node.Left.Type == typeof(string) && node.Method is null))
                {
                    // A text compared with null by reference (the parser's "== null"): the same as string's operator.
                    return node.NodeType is ExpressionType.Equal or ExpressionType.NotEqual && node.Method is null ? NullComparison(node) : null;
                }

                var op = node.NodeType;
                var (fieldSide, constantSide) = (node.Left, node.Right);
                if (Field(fieldSide) is null)
                {
                    // "constant op field" reads as "field op' constant".
                    (fieldSide, constantSide) = (node.Right, node.Left);
                    op = op switch
                    {
                        ExpressionType.LessThan => ExpressionType.GreaterThan,
                        ExpressionType.LessThanOrEqual => ExpressionType.GreaterThanOrEqual,
                        ExpressionType.GreaterThan => ExpressionType.LessThan,
                        ExpressionType.GreaterThanOrEqual => ExpressionType.LessThanOrEqual,
                        _ => op,
                    };
                }

                if (Field(fieldSide) is not { } field || !Constant(constantSide, out var constant))
                {
                    return null;
                }

                var type = node.Left.Type;
                if (type == typeof(string))
                {
                    // Only string's own operators: ordinal, null equal to null alone.
                    var expected = op == ExpressionType.Equal ? "op_Equality" : op == ExpressionType.NotEqual ? "op_Inequality" : null;
                    if (expected is null || node.Method is not { } method || method.DeclaringType != typeof(string) || method.Name != expected)
                    {
                        return null;
                    }

                    return new AtomFormula(TextField(field.Property).Atom(this, op, (string?)constant));
                }

                if (node.Method is { } operatorMethod && !(operatorMethod.DeclaringType == typeof(decimal) && operatorMethod.Name == DecimalOperator(node.NodeType)))
                {
                    return null;
                }

                if (!type.IsEnum && type != typeof(bool) && op is not (ExpressionType.Equal or ExpressionType.NotEqual) && !IsNumber(type))
                {
                    return null;
                }

                return constant is null || AsDecimal(constant) is not { } threshold ? null : NumericAtomFormula(field.Property, op, threshold);
            }

            private Formula? NullComparison(BinaryExpression node)
            {
                var (fieldSide, constantSide) = Field(node.Left) is null ? (node.Right, node.Left) : (node.Left, node.Right);
                if (Field(fieldSide) is not { } field || field.Property.PropertyType != typeof(string) || field.Type != typeof(string)
                    || constantSide is not ConstantExpression { Value: null } || constantSide.Type.IsValueType)
                {
                    return null;
                }

                return new AtomFormula(TextField(field.Property).Atom(this, node.NodeType, null));
            }

            private TextFieldBuilder TextField(PropertyInfo property)
            {
                if (!Text.TryGetValue(property, out var text))
                {
                    text = new TextFieldBuilder(property);
                    Text[property] = text;
                }

                return text;
            }

            private static string DecimalOperator(ExpressionType op) => op switch
            {
                ExpressionType.Equal => "op_Equality",
                ExpressionType.NotEqual => "op_Inequality",
                ExpressionType.LessThan => "op_LessThan",
                ExpressionType.LessThanOrEqual => "op_LessThanOrEqual",
                ExpressionType.GreaterThan => "op_GreaterThan",
                _ => "op_GreaterThanOrEqual",
            };

            private AtomFormula NumericAtomFormula(PropertyInfo property, ExpressionType op, decimal threshold)
            {
                if (!Numeric.TryGetValue(property, out var field))
                {
                    field = new NumericFieldBuilder(property);
                    Numeric[property] = field;
                }

                return new AtomFormula(field.Atom(this, op, threshold));
            }

            private bool IsInput(Expression expression) => expression is ParameterExpression parameter && _inputs.Contains(parameter);

            /// <summary>
            /// An auto-implemented property of the proposal, read from one of its input names, widened exactly if at all;
            /// with the type the comparison sees.
            /// </summary>
            private (PropertyInfo Property, Type Type)? Field(Expression expression)
            {
                var type = expression.Type;
                while (expression is UnaryExpression { NodeType: ExpressionType.Convert } convert)
                {
                    if (!IsExactWidening(convert.Operand.Type, convert.Type))
                    {
                        return null;
                    }

                    expression = convert.Operand;
                }

                if (expression is not MemberExpression { Member: PropertyInfo property, Expression: { } target } || !IsInput(target)
                    || property.DeclaringType != typeof(Proposal) || property.GetMethod is not { IsStatic: false } getter
                    || !getter.IsDefined(typeof(CompilerGeneratedAttribute), inherit: false))
                {
                    return null;
                }

                var own = property.PropertyType;
                return own == typeof(string) || own == typeof(bool) || own.IsEnum || IsNumber(own) ? (property, type) : null;
            }

            private static bool IsNumber(Type type) => type == typeof(int) || type == typeof(long) || type == typeof(decimal);

            /// <summary>A conversion that keeps every value and order: int to long or decimal, long to decimal, an enum to or from its underlying type.</summary>
            private static bool IsExactWidening(Type from, Type to) =>
                (from == typeof(int) && (to == typeof(long) || to == typeof(decimal)))
                || (from == typeof(long) && to == typeof(decimal))
                || (from.IsEnum && Enum.GetUnderlyingType(from) == to)
                || (to.IsEnum && Enum.GetUnderlyingType(to) == from && (from == typeof(int) || from == typeof(long)));

            /// <summary>A constant, possibly behind exact widenings (as the parser promotes a literal).</summary>
            private static bool Constant(Expression expression, out object? value)
            {
                while (expression is UnaryExpression { NodeType: ExpressionType.Convert } convert)
                {
                    if (!IsExactWidening(convert.Operand.Type, convert.Type))
                    {
                        value = null;
                        return false;
                    }

                    expression = convert.Operand;
                }

                value = (expression as ConstantExpression)?.Value;
                return expression is ConstantExpression;
            }

            private static decimal? AsDecimal(object value) => value switch
            {
                int i => i,
                long l => l,
                decimal d => d,
                bool b => b ? 1m : 0m,
                Enum e => Enum.GetUnderlyingType(e.GetType()) == typeof(ulong) ? Convert.ToUInt64(e, System.Globalization.CultureInfo.InvariantCulture) : Convert.ToInt64(e, System.Globalization.CultureInfo.InvariantCulture),
                _ => null,
            };
        }

        private sealed class NumericFieldBuilder(PropertyInfo property)
        {
            private readonly Dictionary<(ExpressionType, decimal), int> _atoms = new();

            public int Atom(Builder builder, ExpressionType op, decimal threshold)
            {
                // decimal's equality ignores scale (5.0 == 5.00), as its comparison operators do: one atom for both.
                if (!_atoms.TryGetValue((op, threshold), out var id))
                {
                    id = builder.NewAtom();
                    _atoms[(op, threshold)] = id;
                }

                return id;
            }

            public NumericField Finish(Builder builder)
            {
                var thresholds = _atoms.Keys.Select(k => k.Item2).Distinct().Order().ToArray();
                var atoms = _atoms.Select(a => new NumericAtom(a.Value, a.Key.Item1, Array.BinarySearch(thresholds, a.Key.Item2))).ToArray();
                return new NumericField(ProposalNumbers.Reader(property), thresholds, atoms);
            }

        }

        private sealed class TextFieldBuilder(PropertyInfo property)
        {
            private readonly Dictionary<(ExpressionType, string?), int> _atoms = new(new TextKeyComparer());

            public int Atom(Builder builder, ExpressionType op, string? constant)
            {
                if (!_atoms.TryGetValue((op, constant), out var id))
                {
                    id = builder.NewAtom();
                    _atoms[(op, constant)] = id;
                }

                return id;
            }

            public TextField Finish()
            {
                var getter = property.GetMethod!.CreateDelegate<Func<Proposal, string?>>();
                return new TextField(getter, _atoms.Select(a => new TextAtom(a.Value, a.Key.Item1, a.Key.Item2)).ToArray());
            }

            private sealed class TextKeyComparer : IEqualityComparer<(ExpressionType, string?)>
            {
                public bool Equals((ExpressionType, string?) x, (ExpressionType, string?) y) => x.Item1 == y.Item1 && string.Equals(x.Item2, y.Item2, StringComparison.Ordinal);

                public int GetHashCode((ExpressionType, string?) obj) => HashCode.Combine(obj.Item1, obj.Item2 is null ? 0 : StringComparer.Ordinal.GetHashCode(obj.Item2));
            }
        }
    }

    /// <summary>A proposal property read as a decimal, for the comparison index's numeric fields.</summary>
    internal static class ProposalNumbers
    {
        /// <summary>The property's value as a decimal: integers and enums by value, bool as 0 or 1.</summary>
        public static Func<Proposal, decimal> Reader(PropertyInfo property)
        {
            // The common types read through the getter's own delegate: the same values as the compiled conversion
            // below (int to decimal is exact; bool is 1 or 0), and on a cold start no expression is compiled for
            // them (each compile was a dynamic method jitted fully optimised, and the compiler's own start-up).
            var type = property.PropertyType;
            var getter = property.GetMethod!;
            if (type == typeof(decimal))
            {
                return getter.CreateDelegate<Func<Proposal, decimal>>();
            }

            if (type == typeof(int))
            {
                var read = getter.CreateDelegate<Func<Proposal, int>>();
                return proposal => read(proposal);
            }

            if (type == typeof(bool))
            {
                var read = getter.CreateDelegate<Func<Proposal, bool>>();
                return proposal => read(proposal) ? 1m : 0m;
            }

            return Compiled(property);
        }

        /// <summary>Any other supported type (enums by their underlying value), compiled: the reader the common types' delegates are held to.</summary>
        public static Func<Proposal, decimal> Compiled(PropertyInfo property)
        {
            var proposal = Expression.Parameter(typeof(Proposal), "proposal");
            Expression value = Expression.Property(proposal, property);
            var type = property.PropertyType;
            if (type == typeof(bool))
            {
                value = Expression.Condition(value, Expression.Constant(1m), Expression.Constant(0m));
            }
            else
            {
                if (type.IsEnum)
                {
                    value = Expression.Convert(value, Enum.GetUnderlyingType(type));
                }

                if (value.Type != typeof(decimal))
                {
                    value = Expression.Convert(value, typeof(decimal));
                }
            }

            return Expression.Lambda<Func<Proposal, decimal>>(value, proposal).Compile();
        }
    }
}
