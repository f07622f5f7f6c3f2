using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;

namespace DecisionRouting.Expressions
{
    /// <summary>
    /// A static upper bound on what evaluating an expression can cost, in steps, and on how long a text it can build
    /// is, worked out from the text alone for a proposal at its limits (<see cref="ProposalLimits"/>). Lexical, so the
    /// library loader, the CLI and the analyzer share it as it is.
    /// </summary>
    /// <remarks>
    /// <para>A step is one element visited by a list operation, one operator, one call, or 64 characters of text
    /// read, compared or copied. Each named parameter (a <c>GlobalParam</c> or <c>LocalParam</c>) is evaluated once,
    /// but a list it holds may be a deferred query (<c>Select</c>, <c>Where</c>, <c>Distinct</c> …) that is computed
    /// again every time it is walked, so a parameter carries two costs: computing it, and walking it once. That is why
    /// <c>g1 = g0.Select(x =&gt; g0.Max())</c>, <c>g2 = g1.Select(x =&gt; g1.Max())</c> … grows as 200ⁿ although each
    /// expression nests list operations only two deep.</para>
    /// <para>The bound is deliberately coarse: lists of unknown length are taken at <see cref="ProposalLimits.MaxEntries"/>
    /// and text of unknown length at <see cref="ProposalLimits.MaxTextLength"/>. Shipped rule sets cost a few hundred
    /// steps; the budgets are far above any real rule and far below what could stop a host.</para>
    /// </remarks>
    internal static class ExpressionCost
    {
        /// <summary>The most steps one expression may cost in the worst case (about 0.1 s of evaluation).</summary>
        public const double MaxStepsPerExpression = 10_000_000;

        /// <summary>
        /// The most steps routing one proposal may cost in the worst case: every expression of every entry workflow,
        /// with injections expanded and each workflow's GlobalParams counted once per rule. That over-counts on purpose (both
        /// evaluators compute GlobalParams once per workflow and route), so the bound holds for either.
        /// </summary>
        public const double MaxStepsPerRoute = 100_000_000;

        /// <summary>The longest text, in characters, an expression may build (so about 40 KB per string).</summary>
        public const double MaxTextLength = 20_000;

        /// <summary>The largest precision a standard number format may ask for (<c>N2</c>, <c>F20</c>; not <c>F999999999</c>).</summary>
        public const int MaxFormatPrecision = 20;

        /// <summary>The longest custom format pattern allowed (<c>#,##0.00</c>, <c>uuuu-MM-dd</c>).</summary>
        public const int MaxFormatPatternLength = 32;

        private const double CharsPerStep = 64;
        private const double NumberText = 64;

        /// <summary>Proposal members that hold lists or maps (each at most <see cref="ProposalLimits.MaxEntries"/> entries).</summary>
        public static IReadOnlyCollection<string> ProposalLists { get; } = new[] { "Partners", "Kinds", "ExemptParagraphs", "StatutoryRoles", "Schedule", "Attributes" };

        /// <summary>Proposal members that hold text, or lists of text (each at most <see cref="ProposalLimits.MaxTextLength"/> characters).</summary>
        public static IReadOnlyCollection<string> ProposalTexts { get; } = new[] { "Id", "Title", "Organisation", "UrgencyReason", "Partners", "Schedule", "Attributes" };

        private static readonly Regex StandardFormat = new(@"^[CcDdEeFfGgNnPpRrXx](\d{1,9})?$", RegexOptions.CultureInvariant);
        private static readonly Regex PatternFormat = new(@"^[0#.,%‰'\- :/()yMdHhmsuTtfF]+$", RegexOptions.CultureInvariant);

        /// <summary>The problem with a format string given to <c>ToString</c>, or null when it is allowed; <paramref name="length"/> bounds the text it makes.</summary>
        public static string? CheckFormat(string format, out double length)
        {
            length = NumberText;
            var standard = StandardFormat.Match(format);
            if (standard.Success)
            {
                var precision = standard.Groups[1].Success ? double.Parse(standard.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
                if (precision > MaxFormatPrecision)
                {
                    return $"The format \"{format}\" asks for {precision:0} digits; number formats may ask for at most {MaxFormatPrecision} (\"N0\", \"C2\", \"F2\")";
                }

                // Digits, group separators and a sign around the requested precision.
                length = NumberText + (2 * precision);
                return null;
            }

            if (format.Length <= MaxFormatPatternLength && PatternFormat.IsMatch(format))
            {
                length = NumberText + (2 * format.Length);
                return null;
            }

            return $"The format \"{format}\" is not one of the bounded formats: a standard number format with at most {MaxFormatPrecision} digits (\"N0\", \"C2\", \"F2\", \"P1\") or a pattern of at most {MaxFormatPatternLength} characters such as \"#,##0.00\" or \"uuuu-MM-dd\"";
        }

        /// <summary>What an expression, or a name it can use, is worth: costs, sizes, and the chain of names behind its cost.</summary>
        public sealed class Value
        {
            internal Value(double work, double walk, double items, double text, bool isText, Value? element, IReadOnlyList<string> chain)
            {
                Work = work;
                Walk = walk;
                Items = items;
                Text = text;
                IsText = isText;
                Element = element;
                Chain = chain;
            }

            /// <summary>Steps to compute the value once.</summary>
            public double Work { get; }

            /// <summary>Steps to walk the list once (0 for a single value): more than its length when it is a deferred query.</summary>
            public double Walk { get; }

            /// <summary>The most entries it can hold (0 for a single value).</summary>
            public double Items { get; }

            /// <summary>The longest text it (or, for a list, any entry) can be.</summary>
            public double Text { get; }

            /// <summary>Whether it may be text (so <c>+</c> concatenates).</summary>
            public bool IsText { get; }

            /// <summary>What one entry is worth, for a list.</summary>
            public Value? Element { get; }

            /// <summary>The named parameters its cost comes through, most costly first (<c>g3 → g2 → g1</c>).</summary>
            public IReadOnlyList<string> Chain { get; }

            internal bool IsList => Items > 0;

            internal static readonly IReadOnlyList<string> NoChain = Array.Empty<string>();

            internal static Value Scalar(double work, double text, bool isText, IReadOnlyList<string> chain) => new(work, 0, 0, text, isText, null, chain);

            internal static Value List(double work, double walk, double items, Value element, IReadOnlyList<string> chain) => new(work, walk, items, element.Text, element.IsText, element, chain);

            internal Value WithWork(double work, IReadOnlyList<string>? chain = null) => new(work, Walk, Items, Text, IsText, Element, chain ?? Chain);

            /// <summary>The total cost of computing it and walking it once.</summary>
            internal double Total => Work + Walk;
        }

        /// <summary>The names an expression can use, with what each is worth; grows as named parameters are defined.</summary>
        public sealed class Scope
        {
            // Shared, not copied, by the scopes made from this one: a chain of n parameters costs n steps to define, not n².
            private readonly NameMap<Value> _names;
            private readonly IReadOnlyDictionary<string, (bool IsText, double Length)> _parameters;
            private readonly NameMap<bool> _refused;

            private Scope(NameMap<Value> names, IReadOnlyDictionary<string, (bool, double)> parameters, NameMap<bool> refused)
            {
                _names = names;
                _parameters = parameters;
                _refused = refused;
            }

            /// <summary>A scope holding the inputs and the rule set's parameters (name, whether text, longest value).</summary>
            public static Scope Create(IEnumerable<(string Name, bool IsText, double Length)> parameters) =>
                new(NameMap<Value>.Empty, parameters.ToDictionary(p => p.Name, p => (p.IsText, p.Length), StringComparer.Ordinal), NameMap<bool>.Empty);

            /// <summary>
            /// The scope that also holds <paramref name="name"/>, worth what <paramref name="value"/> is, computed once.
            /// A <paramref name="refused"/> parameter (already reported over a bound) keeps its value, but what is
            /// built on it is not reported again: the chain has one root cause.
            /// </summary>
            public Scope Define(string name, Value? value, bool refused = false)
            {
                // Computed once where it is defined; every use reads the result, but walking a deferred list recomputes it.
                var names = _names.SetItem(name, value is null ? Unknown() : value.WithWork(1, value.Chain));
                var refusedNames = refused || IsRefused(name) ? _refused.SetItem(name, refused) : _refused;
                return new Scope(names, _parameters, refusedNames);
            }

            /// <summary>What the expression is worth, or null when it cannot be read (the compiling checker then reports why).</summary>
            public Value? Measure(string expression)
            {
                try
                {
                    var reader = new Reader(this, expression);
                    return reader.Read();
                }
                catch (NotUnderstood)
                {
                    return null;
                }
            }

            /// <summary>The problem with the expression's cost or size, or null when it is within the bounds.</summary>
            public ExpressionProblem? Check(string expression, out Value? value)
            {
                value = null;
                Reader reader;
                try
                {
                    reader = new Reader(this, expression);
                    value = reader.Read();
                }
                catch (NotUnderstood)
                {
                    return null;
                }

                // Whether the chain passes through a refused parameter was noted as each link was made, not by walking it.
                return reader.Problem ?? (value.Chain is NameChain { ThroughRefused: true } ? null : Exceeds(value, expression.Length));
            }

            internal bool IsRefused(string name) => _refused.TryGetValue(name, out var refused) && refused;

            internal bool TryName(string name, out Value value) => _names.TryGetValue(name, out value!);

            internal bool TryParameter(string name, out (bool IsText, double Length) parameter) => _parameters.TryGetValue(name, out parameter);

            private static Value Unknown() => Value.List(1, ProposalLimits.MaxEntries, ProposalLimits.MaxEntries, Value.Scalar(1, ProposalLimits.MaxTextLength, true, Value.NoChain), Value.NoChain);
        }

        /// <summary>The problem when a measured value is over a bound.</summary>
        private static ExpressionProblem? Exceeds(Value value, int length)
        {
            // A deferred list costs nothing to define, but any use walks it: refuse it where it is defined.
            var total = value.Total;
            if (total > MaxStepsPerExpression)
            {
                return new ExpressionProblem(
                    ExpressionProblemKind.TooCostly,
                    $"This expression may cost {Steps(total)} steps for a proposal at its limits ({ProposalLimits.MaxEntries} entries per list, {ProposalLimits.MaxTextLength} characters per text){Through(value.Chain)}; the limit is {Steps(MaxStepsPerExpression)}. Walk the proposal's lists directly rather than lists built from other parameters, or nest list operations less",
                    0,
                    Math.Max(1, length));
            }

            if (value.Text > MaxTextLength)
            {
                return new ExpressionProblem(
                    ExpressionProblemKind.TooLarge,
                    $"This expression may build text of {Steps(value.Text)} characters{Through(value.Chain)}; the limit is {Steps(MaxTextLength)}. Compare texts rather than joining them",
                    0,
                    Math.Max(1, length));
            }

            return null;
        }

        /// <summary>Steps, rounded, for messages: "3,200,000" or "3.2e+12".</summary>
        public static string Steps(double steps) => steps >= 1e15 || double.IsInfinity(steps)
            ? steps.ToString("0.#e+0", CultureInfo.InvariantCulture)
            : Math.Ceiling(steps).ToString("#,##0", CultureInfo.InvariantCulture);

        /// <summary>" through g3 → g2 → g1" naming the chain of parameters the cost comes through, or nothing.</summary>
        /// <remarks>A long chain is cut after its first <see cref="ChainShown"/> names, with the count of the rest.</remarks>
        public static string Through(IReadOnlyList<string> chain) => chain.Count == 0
            ? string.Empty
            : " through " + string.Join(" → ", chain.Take(ChainShown)) + (chain.Count > ChainShown ? $" → … ({chain.Count - ChainShown} more)" : string.Empty);

        /// <summary>How many names of a chain a message shows (a chain can be as long as a workflow's parameters).</summary>
        private const int ChainShown = 12;

        /// <summary>
        /// A chain of parameter names that shares its tail: naming one more parameter costs one step, not a copy of the
        /// chain behind it, so a chain of n parameters costs n steps to build and not n².
        /// </summary>
        private sealed class NameChain : IReadOnlyList<string>
        {
            private readonly string _head;
            private readonly IReadOnlyList<string> _tail;

            public NameChain(string head, IReadOnlyList<string> tail, bool headRefused)
            {
                _head = head;
                _tail = tail;
                Count = 1 + tail.Count;
                ThroughRefused = headRefused || tail is NameChain { ThroughRefused: true };
            }

            public int Count { get; }

            /// <summary>Whether any parameter in the chain was refused over a bound (the chain's root cause is reported there).</summary>
            public bool ThroughRefused { get; }

            // Walked, not recursed: a chain can be thousands of names long.
            public string this[int index] => index >= 0 && index < Count ? this.Skip(index).First() : throw new ArgumentOutOfRangeException(nameof(index));

            public IEnumerator<string> GetEnumerator()
            {
                IReadOnlyList<string> chain = this;
                while (chain is NameChain link)
                {
                    yield return link._head;
                    chain = link._tail;
                }

                foreach (var name in chain)
                {
                    yield return name;
                }
            }

            System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
        }

        private sealed class NotUnderstood : Exception
        {
        }

        /// <summary>A recursive-descent reader that measures each part as it reads it.</summary>
        private sealed class Reader
        {
            private static readonly string[] Symbols = { "=>", "&&", "||", "==", "!=", "<>", "<=", ">=", "?.", "??", "<", ">", "!", "(", ")", "[", "]", "{", "}", ".", ",", "+", "-", "*", "/", "%", "?", ":", "=", "&", "|", "^" };
            private static readonly HashSet<string> Deferred = new(StringComparer.Ordinal) { "Select", "Where", "Distinct", "OrderBy", "OrderByDescending", "ThenBy", "Skip", "Take", "Reverse", "Concat", "Union", "Intersect", "Except", "SelectMany", "GroupBy", "AsEnumerable", "Cast", "OfType", "DefaultIfEmpty" };
            private static readonly HashSet<string> Elements = new(StringComparer.Ordinal) { "First", "FirstOrDefault", "Last", "LastOrDefault", "Single", "SingleOrDefault", "ElementAt", "ElementAtOrDefault", "Min", "Max", "Aggregate" };
            private static readonly HashSet<string> Lookups = new(StringComparer.Ordinal) { "ContainsKey", "TryGetValue", "get_Item", "Has", "Number", "Text", "Flag", "Date" };
            private static readonly HashSet<string> KeepText = new(StringComparer.Ordinal) { "ToLower", "ToUpper", "ToLowerInvariant", "ToUpperInvariant", "Trim", "TrimStart", "TrimEnd", "Normalize" };

            private readonly Scope _scope;
            private readonly string _text;
            private readonly Dictionary<string, Value> _lambda = new(StringComparer.Ordinal);
            private int _position;

            public Reader(Scope scope, string text)
            {
                _scope = scope;
                _text = text;
            }

            public ExpressionProblem? Problem { get; private set; }

            public Value Read()
            {
                var value = ReadConditional();
                Skip();
                if (_position < _text.Length)
                {
                    throw new NotUnderstood();
                }

                return value;
            }

            private Value ReadConditional()
            {
                var condition = ReadCoalesce();
                if (!Accept("?"))
                {
                    return condition;
                }

                var whenTrue = ReadConditional();
                Expect(":");
                var whenFalse = ReadConditional();
                return Add(Join(whenTrue, whenFalse), condition.Total);
            }

            private Value ReadCoalesce()
            {
                var left = ReadOr();
                while (Accept("??"))
                {
                    left = Add(Join(left, ReadOr()), left.Total);
                }

                return left;
            }

            private Value ReadOr()
            {
                var left = ReadAnd();
                while (Accept("||") || AcceptWord("or"))
                {
                    left = Logic(left, ReadAnd());
                }

                return left;
            }

            private Value ReadAnd()
            {
                var left = ReadComparison();
                while (Accept("&&") || AcceptWord("and"))
                {
                    left = Logic(left, ReadComparison());
                }

                return left;
            }

            private Value ReadComparison()
            {
                var left = ReadAdditive();
                while (true)
                {
                    if (Accept("==") || Accept("!=") || Accept("<>") || Accept("<=") || Accept(">=") || Accept("<") || Accept(">") || Accept("=")
                        || AcceptWord("eq") || AcceptWord("ne") || AcceptWord("neq") || AcceptWord("lt") || AcceptWord("le") || AcceptWord("gt") || AcceptWord("ge")
                        || AcceptWord("in") || AcceptWord("is") || AcceptWord("as"))
                    {
                        var right = ReadAdditive();

                        // Comparing texts reads both; "in" walks the list on the right.
                        var work = left.Total + right.Total + 1 + ((left.Text + right.Text) / CharsPerStep) + (right.Items * (1 + (left.Text / CharsPerStep)));
                        left = Value.Scalar(work, 5, false, Costlier(left, right).Chain);
                        continue;
                    }

                    return left;
                }
            }

            private Value ReadAdditive()
            {
                var left = ReadMultiplicative();
                while (true)
                {
                    if (Accept("+") || Accept("&"))
                    {
                        var right = ReadMultiplicative();
                        var isText = left.IsText || right.IsText;
                        var text = isText ? left.Text + right.Text : NumberText;
                        left = Value.Scalar(left.Total + right.Total + 1 + (isText ? text / CharsPerStep : 0), text, isText, Costlier(left, right).Chain);
                        continue;
                    }

                    if (Accept("-"))
                    {
                        left = Arithmetic(left, ReadMultiplicative());
                        continue;
                    }

                    return left;
                }
            }

            private Value ReadMultiplicative()
            {
                var left = ReadUnary();
                while (Accept("*") || Accept("/") || Accept("%") || AcceptWord("mod"))
                {
                    left = Arithmetic(left, ReadUnary());
                }

                return left;
            }

            private Value ReadUnary()
            {
                if (Accept("!") || Accept("-") || Accept("+") || AcceptWord("not"))
                {
                    var operand = ReadUnary();
                    return Value.Scalar(operand.Total + 1, operand.IsText ? operand.Text : NumberText, false, operand.Chain);
                }

                return ReadPostfix();
            }

            private Value ReadPostfix()
            {
                var value = ReadPrimary(out var typeName);
                while (true)
                {
                    if (Accept(".") || Accept("?."))
                    {
                        var member = ReadIdentifier();
                        if (Accept("("))
                        {
                            value = Call(value, typeName, member);
                        }
                        else
                        {
                            value = Member(value, typeName, member);
                        }

                        typeName = null;
                        continue;
                    }

                    if (Accept("["))
                    {
                        var index = ReadArguments("]", value);
                        value = Index(value, index);
                        typeName = null;
                        continue;
                    }

                    return value;
                }
            }

            /// <summary>A literal, a name, a bracketed expression or list, a function call or <c>new</c>; <paramref name="typeName"/> is set for a bare type name.</summary>
            private Value ReadPrimary(out string? typeName)
            {
                typeName = null;
                Skip();
                if (_position >= _text.Length)
                {
                    throw new NotUnderstood();
                }

                var c = _text[_position];
                if (c is '"' or '\'')
                {
                    var end = ExpressionText.EndOfLiteral(_text, _position);
                    if (end >= _text.Length)
                    {
                        throw new NotUnderstood();
                    }

                    var literal = Value.Scalar(1, Math.Max(1, end - _position - 1), true, Value.NoChain);
                    _position = end + 1;
                    return literal;
                }

                if (char.IsDigit(c))
                {
                    while (_position < _text.Length && (char.IsLetterOrDigit(_text[_position]) || _text[_position] == '.' || _text[_position] == '_'))
                    {
                        _position++;
                    }

                    return Value.Scalar(1, NumberText, false, Value.NoChain);
                }

                if (Accept("("))
                {
                    var items = ReadArguments(")", null);
                    if (items.Count == 1)
                    {
                        return items[0];
                    }

                    return WrittenList(items);
                }

                var name = ReadIdentifier();
                if (string.Equals(name, "new", StringComparison.OrdinalIgnoreCase))
                {
                    if (Accept("["))
                    {
                        Expect("]");
                    }

                    if (Accept("{"))
                    {
                        return WrittenList(ReadArguments("}", null));
                    }

                    if (Accept("("))
                    {
                        return Sum(ReadArguments(")", null), NumberText);
                    }

                    throw new NotUnderstood();
                }

                if (_lambda.TryGetValue(name, out var bound))
                {
                    return bound;
                }

                if (_scope.TryName(name, out var named))
                {
                    // The chain names the parameter its cost comes through.
                    return named.WithWork(named.Work, new NameChain(name, named.Chain, _scope.IsRefused(name)));
                }

                if (name is ExpressionNames.Proposal or ExpressionNames.DefaultInput or ExpressionNames.Parameters)
                {
                    typeName = "$" + name;
                    return Value.Scalar(1, NumberText, false, Value.NoChain);
                }

                if (Accept("("))
                {
                    // A function: LocalDate(…), iif(…), np(…) and the like.
                    var arguments = ReadArguments(")", null);
                    if (string.Equals(name, "iif", StringComparison.OrdinalIgnoreCase) && arguments.Count == 3)
                    {
                        return Add(Join(arguments[1], arguments[2]), arguments[0].Total);
                    }

                    if (arguments.Count == 1 && (string.Equals(name, "np", StringComparison.OrdinalIgnoreCase) || string.Equals(name, "isnull", StringComparison.OrdinalIgnoreCase)))
                    {
                        return arguments[0];
                    }

                    return Sum(arguments, NumberText);
                }

                typeName = name;
                return Value.Scalar(1, NumberText, false, Value.NoChain);
            }

            private Value Member(Value target, string? typeName, string member)
            {
                switch (typeName)
                {
                    case "$" + ExpressionNames.Parameters:
                        return _scope.TryParameter(member, out var parameter)
                            ? Value.Scalar(1, parameter.IsText ? Math.Max(1, parameter.Length) : NumberText, parameter.IsText, Value.NoChain)
                            : Value.Scalar(1, ProposalLimits.MaxTextLength, true, Value.NoChain);
                    case "$" + ExpressionNames.Proposal or "$" + ExpressionNames.DefaultInput:
                        return ProposalMember(member);
                    case not null:
                        return Value.Scalar(1, NumberText, false, Value.NoChain);
                }

                // A member of a list (Keys, Values, Count) is taken as the list again; of a value, as a value no longer.
                return target.IsList
                    ? target.WithWork(target.Work + 1)
                    : Value.Scalar(target.Work + 1, Math.Max(target.Text, NumberText), target.IsText, target.Chain);
            }

            /// <summary>
            /// A proposal member: the tables name its lists and texts (a test holds them to the Proposal type); anything
            /// else the compiling checker accepted is a number, flag, date or enum.
            /// </summary>
            private static Value ProposalMember(string member)
            {
                var isText = ProposalTexts.Contains(member);
                var entry = Value.Scalar(1, isText ? ProposalLimits.MaxTextLength : NumberText, isText, Value.NoChain);
                return ProposalLists.Contains(member)
                    ? Value.List(1, ProposalLimits.MaxEntries, ProposalLimits.MaxEntries, entry, Value.NoChain)
                    : entry;
            }

            private Value Index(Value target, IReadOnlyList<Value> index)
            {
                var work = target.Total + index.Sum(i => i.Total) + 1;
                if (target.IsList && target.Element is { } element)
                {
                    return element.WithWork(work + element.Work, Costlier(target, element).Chain);
                }

                return Value.Scalar(work, Math.Max(target.Text, NumberText), target.IsText, target.Chain);
            }

            private Value Call(Value target, string? typeName, string method)
            {
                if (typeName is "$" + ExpressionNames.Proposal or "$" + ExpressionNames.DefaultInput)
                {
                    // proposal.Has(kind): the kinds list, walked once.
                    var arguments = ReadArguments(")", null);
                    return Value.Scalar(Sum(arguments, 0).Total + ProposalLimits.MaxEntries, 5, false, Value.NoChain);
                }

                if (typeName is not null)
                {
                    return StaticCall(method);
                }

                if (target.IsList && !Lookups.Contains(method) && method != "ToString")
                {
                    return ListCall(target, method, ReadArguments(")", target.Element));
                }

                var args = ReadArguments(")", null);
                var argumentWork = args.Sum(a => a.Total);
                var argumentText = args.Sum(a => a.IsText ? a.Text : 0);
                if (target.IsList)
                {
                    // A lookup by key: Attributes.Text("x"), Schedule.ContainsKey("x"), Schedule["x"].
                    var found = target.Element ?? Value.Scalar(1, ProposalLimits.MaxTextLength, true, Value.NoChain);
                    var work = target.Work + argumentWork + 1 + (argumentText / CharsPerStep);
                    return method is "Has" or "ContainsKey" or "Flag"
                        ? Value.Scalar(work, 5, false, target.Chain)
                        : Value.Scalar(work, Math.Max(found.Text, ProposalLimits.MaxTextLength), method is "Text" or "get_Item", target.Chain);
                }

                if (method == "ToString")
                {
                    return ToText(target, args);
                }

                var read = target.Total + argumentWork + 1 + ((target.Text + argumentText) / CharsPerStep);
                if (KeepText.Contains(method))
                {
                    return Value.Scalar(read, target.Text, target.IsText, target.Chain);
                }

                if (method is "Substring" or "Remove" or "Insert" or "Replace" or "PadLeft" or "PadRight" or "Join" or "Format" or "Repeat")
                {
                    // Outside the allow-list (DR0029); bounded here only by what they could not exceed.
                    return Value.Scalar(read, double.PositiveInfinity, true, target.Chain);
                }

                return Value.Scalar(read, NumberText, false, Costlier(target, args.DefaultIfEmpty(target).OrderByDescending(a => a.Total).First()).Chain);
            }

            private Value StaticCall(string method)
            {
                if (Accept(")"))
                {
                    return Value.Scalar(1, NumberText, false, Value.NoChain);
                }

                // Enumerable.Any(list, x => …) is list.Any(x => …).
                var first = ReadArgument(null);
                var rest = new List<Value>();
                if (first.IsList && method != "Concat")
                {
                    while (Accept(","))
                    {
                        rest.Add(ReadArgument(first.Element));
                    }

                    Expect(")");
                    return ListCall(first, method, rest);
                }

                var arguments = new List<Value> { first };
                while (Accept(","))
                {
                    arguments.Add(ReadArgument(null));
                }

                Expect(")");
                if (method == "Concat")
                {
                    var text = arguments.Sum(a => a.Text);
                    return Value.Scalar(arguments.Sum(a => a.Total) + 1 + (text / CharsPerStep), text, true, arguments.OrderByDescending(a => a.Total).First().Chain);
                }

                return Sum(arguments, NumberText);
            }

            private static Value ListCall(Value list, string method, IReadOnlyList<Value> arguments)
            {
                var element = list.Element ?? Value.Scalar(1, ProposalLimits.MaxTextLength, true, Value.NoChain);

                // Each argument is evaluated once per entry (a lambda, or Dynamic LINQ's implicit "it"); without one, the
                // operation itself compares or hashes each entry (Contains, Distinct, Max …), reading its text.
                var compares = arguments.Count == 0 || method is "Contains" or "Distinct";
                var perEntry = 1 + (compares ? element.Text / CharsPerStep : 0) + arguments.Sum(a => a.Total);
                var walk = list.Walk + (list.Items * perEntry);
                var chain = Costlier(list, arguments.DefaultIfEmpty(list).OrderByDescending(a => a.Total).First()).Chain;
                if (Deferred.Contains(method))
                {
                    var produced = method is "Select" or "SelectMany" && arguments.Count > 0 ? arguments[arguments.Count - 1] : element;
                    var items = method == "SelectMany" ? list.Items * Math.Max(1, produced.Items) : list.Items;
                    var entry = method == "SelectMany" && produced.Element is { } inner ? inner : produced.WithWork(1);

                    // Deferred: nothing is computed until it is walked, and every walk computes it again.
                    return Value.List(list.Work, walk, items, entry, chain);
                }

                if (Elements.Contains(method))
                {
                    var produced = method is "Min" or "Max" && arguments.Count > 0 ? arguments[arguments.Count - 1] : element;
                    return produced.WithWork(list.Work + walk, chain);
                }

                return Value.Scalar(list.Work + walk, NumberText, false, chain);
            }

            private Value ToText(Value target, IReadOnlyList<Value> arguments)
            {
                var work = target.Total + 1;
                if (arguments.Count == 0)
                {
                    return Value.Scalar(work, Math.Max(NumberText, target.IsText ? target.Text : 0), true, target.Chain);
                }

                if (arguments.Count == 1 && _lastLiteral is { } format && _lastLiteralArgument)
                {
                    if (CheckFormat(format, out var length) is { } problem)
                    {
                        Problem ??= new ExpressionProblem(ExpressionProblemKind.UnboundedFormat, problem, _lastLiteralAt, format.Length + 2);
                    }

                    return Value.Scalar(work + (length / CharsPerStep), length, true, target.Chain);
                }

                Problem ??= new ExpressionProblem(ExpressionProblemKind.UnboundedFormat, "ToString takes a format written in the expression as a literal (\"N0\", \"C2\", \"uuuu-MM-dd\"), so its output is bounded; a format read from the proposal or built in the expression could ask for any length", _lastCallAt, 8);
                return Value.Scalar(work, double.PositiveInfinity, true, target.Chain);
            }

            private string? _lastLiteral;
            private bool _lastLiteralArgument;
            private int _lastLiteralAt;
            private int _lastCallAt;

            /// <summary>Comma-separated arguments up to <paramref name="close"/>, each read with <paramref name="element"/> bound for a lambda or "it".</summary>
            private List<Value> ReadArguments(string close, Value? element)
            {
                _lastCallAt = Math.Max(0, _position - 1);
                var values = new List<Value>();
                _lastLiteral = null;
                _lastLiteralArgument = false;
                if (Accept(close))
                {
                    return values;
                }

                do
                {
                    values.Add(ReadArgument(element));
                }
                while (Accept(","));

                Expect(close);
                return values;
            }

            /// <summary>One argument: a lambda <c>x =&gt; …</c> with x bound to the entry, or an expression (with "it" bound to the entry).</summary>
            private Value ReadArgument(Value? element)
            {
                Skip();
                var start = _position;
                if (_position < _text.Length && _text[_position] is '"' or '\'')
                {
                    var end = ExpressionText.EndOfLiteral(_text, _position);
                    var next = end + 1;
                    while (next < _text.Length && char.IsWhiteSpace(_text[next]))
                    {
                        next++;
                    }

                    // A whole argument that is a literal: a format ToString may check.
                    _lastLiteralArgument = end < _text.Length && next < _text.Length && _text[next] is ')' or ',';
                    _lastLiteral = _lastLiteralArgument ? _text.Substring(_position + 1, end - _position - 1) : null;
                    _lastLiteralAt = _position;
                }
                else
                {
                    _lastLiteralArgument = false;
                    _lastLiteral = null;
                }

                var bound = element?.WithWork(1) ?? Value.Scalar(1, ProposalLimits.MaxTextLength, true, Value.NoChain);
                var saved = new Dictionary<string, Value>(_lambda, StringComparer.Ordinal);
                if (TryIdentifier(out var parameter) && Accept("=>"))
                {
                    _lambda[parameter] = bound;
                }
                else
                {
                    _position = start;
                }

                if (element is not null)
                {
                    _lambda["it"] = bound;
                }

                var literal = _lastLiteral;
                var literalArgument = _lastLiteralArgument;
                var literalAt = _lastLiteralAt;
                var value = ReadConditional();
                _lambda.Clear();
                foreach (var pair in saved)
                {
                    _lambda[pair.Key] = pair.Value;
                }

                _lastLiteral = literal;
                _lastLiteralArgument = literalArgument;
                _lastLiteralAt = literalAt;
                return value;
            }

            private static Value WrittenList(IReadOnlyList<Value> items)
            {
                var element = items.Aggregate(Value.Scalar(1, 1, false, Value.NoChain), Join);
                return Value.List(items.Sum(i => i.Total) + 1, Math.Max(1, items.Count), Math.Max(1, items.Count), element.WithWork(1), element.Chain);
            }

            private static Value Sum(IReadOnlyList<Value> arguments, double text)
            {
                var costliest = arguments.OrderByDescending(a => a.Total).FirstOrDefault();
                return Value.Scalar(arguments.Sum(a => a.Total) + 1, Math.Max(text, arguments.Where(a => a.IsText).Select(a => a.Text).DefaultIfEmpty(0).Max()), arguments.Any(a => a.IsText), costliest?.Chain ?? Value.NoChain);
            }

            private static Value Logic(Value left, Value right) => Value.Scalar(left.Total + right.Total + 1, 5, false, Costlier(left, right).Chain);

            private static Value Arithmetic(Value left, Value right) => Value.Scalar(left.Total + right.Total + 1, NumberText, false, Costlier(left, right).Chain);

            private static Value Add(Value value, double work) => value.WithWork(value.Work + work);

            private static Value Costlier(Value left, Value right) => right.Total > left.Total ? right : left;

            /// <summary>Either of two values: the larger of each bound.</summary>
            private static Value Join(Value left, Value right)
            {
                var element = left.Element is null ? right.Element : right.Element is null ? left.Element : Join(left.Element, right.Element);
                return new Value(
                    Math.Max(left.Work, right.Work),
                    Math.Max(left.Walk, right.Walk),
                    Math.Max(left.Items, right.Items),
                    Math.Max(left.Text, right.Text),
                    left.IsText || right.IsText,
                    element,
                    Costlier(left, right).Chain);
            }

            private string ReadIdentifier()
            {
                if (!TryIdentifier(out var name))
                {
                    throw new NotUnderstood();
                }

                return name;
            }

            private bool TryIdentifier(out string name)
            {
                Skip();
                var start = _position;
                if (_position < _text.Length && (char.IsLetter(_text[_position]) || _text[_position] is '_' or '@' or '$'))
                {
                    _position++;
                    while (_position < _text.Length && (char.IsLetterOrDigit(_text[_position]) || _text[_position] == '_'))
                    {
                        _position++;
                    }
                }

                name = _text.Substring(start, _position - start);
                return name.Length > 0;
            }

            private void Skip()
            {
                while (_position < _text.Length && char.IsWhiteSpace(_text[_position]))
                {
                    _position++;
                }
            }

            private bool Accept(string symbol)
            {
                Skip();
                if (string.CompareOrdinal(_text, _position, symbol, 0, symbol.Length) != 0)
                {
                    return false;
                }

                // The longest symbol wins: "<" is not the start of "<=", "=" not of "==" or "=>", "?" not of "?." or "??".
                foreach (var longer in Symbols)
                {
                    if (longer.Length > symbol.Length && longer.StartsWith(symbol, StringComparison.Ordinal) && string.CompareOrdinal(_text, _position, longer, 0, longer.Length) == 0)
                    {
                        return false;
                    }
                }

                _position += symbol.Length;
                return true;
            }

            private bool AcceptWord(string word)
            {
                Skip();
                var end = _position + word.Length;
                if (end > _text.Length || string.Compare(_text, _position, word, 0, word.Length, StringComparison.OrdinalIgnoreCase) != 0
                    || (end < _text.Length && (char.IsLetterOrDigit(_text[end]) || _text[end] == '_')))
                {
                    return false;
                }

                _position = end;
                return true;
            }

            private void Expect(string symbol)
            {
                if (!Accept(symbol))
                {
                    throw new NotUnderstood();
                }
            }
        }
    }
}
