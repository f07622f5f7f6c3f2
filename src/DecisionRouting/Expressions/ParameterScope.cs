using System;
using System.Collections.Generic;
using System.Linq;
using System.Linq.Expressions;

namespace DecisionRouting.Expressions
{
    /// <summary>
    /// The parameters an expression can use at one point of a workflow: the inputs (<c>proposal</c>, <c>input1</c>,
    /// <c>parameters</c>), then every GlobalParam and LocalParam defined so far. Defining one more shares the rest
    /// (<see cref="NameMap{TValue}"/>), and an expression is parsed with only the parameters it names.
    /// </summary>
    /// <remarks>
    /// Both matter for long chains. Copying the scope per parameter, and handing the parser every parameter in scope
    /// (it builds a symbol table of them per parse), made the n-th parameter of a chain cost n: 6,000 chained
    /// GlobalParams took 31 s to validate and 20,000 ran out of memory. Now each costs what its own text costs.
    /// </remarks>
    internal sealed class ParameterScope
    {
        private readonly ParameterExpression[] _inputs;
        private readonly NameMap<Binding> _defined;

        /// <summary>The scope holding only <paramref name="inputs"/> (at least two, so the parser never reads a bare member as one input's).</summary>
        public ParameterScope(ParameterExpression[] inputs, Type parametersType)
            : this(inputs, parametersType, NameMap<Binding>.Empty)
        {
        }

        private ParameterScope(ParameterExpression[] inputs, Type parametersType, NameMap<Binding> defined)
        {
            _inputs = inputs;
            ParametersType = parametersType;
            _defined = defined;
        }

        /// <summary>The type of the <c>parameters</c> input, which the allow-list admits members of.</summary>
        public Type ParametersType { get; }

        /// <summary>
        /// This scope with <paramref name="parameter"/> defined, replacing any parameter of the same name.
        /// <paramref name="perRule"/> marks a LocalParam, whose value differs from one rule to the next; inputs and
        /// GlobalParams keep one value for a whole evaluation.
        /// </summary>
        public ParameterScope Define(ParameterExpression parameter, bool perRule = false) =>
            new(_inputs, ParametersType, _defined.SetItem(parameter.Name!, new Binding(parameter, perRule)));

        /// <summary>
        /// This scope with only the defined parameters named in <paramref name="words"/> (and every input): what code
        /// whose text holds only those words can see. Parsing that code in either scope gives the same tree, and code
        /// compiled in the smaller one can be shared by every place whose scope trims to it.
        /// </summary>
        public ParameterScope Only(ISet<string> words)
        {
            var kept = NameMap<Binding>.Empty;
            foreach (var name in _defined.Keys)
            {
                if (words.Contains(name) && _defined.TryGetValue(name, out var binding))
                {
                    kept = kept.SetItem(name, binding);
                }
            }

            return new ParameterScope(_inputs, ParametersType, kept);
        }

        /// <summary>The names in scope defined by LocalParams, in the order defined: empty when every value is fixed for the evaluation.</summary>
        public IEnumerable<string> PerRuleNames() => _defined.Keys.Where(name => _defined.TryGetValue(name, out var binding) && binding.PerRule);

        /// <summary>
        /// The parameters to parse <paramref name="text"/> with: every input (always, so the parser has more than one
        /// and gives none the implicit <c>it</c> meaning a single parameter would get), and the defined parameters
        /// the text names, in the order it first names them. A name the text does not contain cannot be bound by
        /// parsing it, so the tree is the one the whole scope would give.
        /// </summary>
        public ParameterExpression[] For(string text)
        {
            // Nothing defined (no GlobalParams or LocalParams, most rules): every input, and no word of the text to read.
            if (_defined.Count == 0)
            {
                return (ParameterExpression[])_inputs.Clone();
            }

            var used = new List<ParameterExpression>(_inputs.Where(p => !_defined.ContainsKey(p.Name!)));
            foreach (var name in ExpressionText.Words(text))
            {
                if (_defined.TryGetValue(name, out var binding) && !used.Contains(binding.Parameter))
                {
                    used.Add(binding.Parameter);
                }
            }

            return used.ToArray();
        }

        /// <summary>Every parameter in scope, inputs first then in the order defined: for messages about a mistake (suggestions, member scans), and for the values shared code is called with.</summary>
        public ParameterExpression[] All() =>
            _inputs.Where(p => !_defined.ContainsKey(p.Name!)).Concat(_defined.Keys.Select(name => _defined.TryGetValue(name, out var b) ? b.Parameter : null!)).ToArray();

        /// <summary>A defined parameter, and whether it is a LocalParam.</summary>
        /// <remarks>
        /// A class, not a struct: <see cref="NameMap{TValue}"/> lives in another assembly, so over a struct of this one
        /// its code is in neither ReadyToRun image and was jitted (about 60 methods) on every cold load; over a class
        /// it is the shared code DecisionRouting.RuleFiles' image holds.
        /// </remarks>
        private sealed record Binding(ParameterExpression Parameter, bool PerRule);
    }
}
