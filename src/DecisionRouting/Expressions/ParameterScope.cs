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
        private readonly NameMap<ParameterExpression> _defined;

        /// <summary>The scope holding only <paramref name="inputs"/> (at least two, so the parser never reads a bare member as one input's).</summary>
        public ParameterScope(ParameterExpression[] inputs, Type parametersType)
            : this(inputs, parametersType, NameMap<ParameterExpression>.Empty)
        {
        }

        private ParameterScope(ParameterExpression[] inputs, Type parametersType, NameMap<ParameterExpression> defined)
        {
            _inputs = inputs;
            ParametersType = parametersType;
            _defined = defined;
        }

        /// <summary>The type of the <c>parameters</c> input, which the allow-list admits members of.</summary>
        public Type ParametersType { get; }

        /// <summary>This scope with <paramref name="parameter"/> defined, replacing any parameter of the same name.</summary>
        public ParameterScope Define(ParameterExpression parameter) => new(_inputs, ParametersType, _defined.SetItem(parameter.Name!, parameter));

        /// <summary>
        /// The parameters to parse <paramref name="text"/> with: every input (always, so the parser has more than one
        /// and gives none the implicit <c>it</c> meaning a single parameter would get), and the defined parameters
        /// the text names, in the order it first names them. A name the text does not contain cannot be bound by
        /// parsing it, so the tree is the one the whole scope would give.
        /// </summary>
        public ParameterExpression[] For(string text)
        {
            var used = new List<ParameterExpression>(_inputs.Where(p => !_defined.ContainsKey(p.Name!)));
            foreach (var name in Identifiers(text))
            {
                if (_defined.TryGetValue(name, out var parameter) && !used.Contains(parameter))
                {
                    used.Add(parameter);
                }
            }

            return used.ToArray();
        }

        /// <summary>Every parameter in scope, inputs first then in the order defined: for messages about a mistake (suggestions, member scans).</summary>
        public ParameterExpression[] All() =>
            _inputs.Where(p => !_defined.ContainsKey(p.Name!)).Concat(_defined.Keys.Select(name => _defined.TryGetValue(name, out var p) ? p : null!)).ToArray();

        /// <summary>Each word outside string literals that could be an identifier (more is harmless: only defined names are kept).</summary>
        private static IEnumerable<string> Identifiers(string text)
        {
            for (var i = 0; i < text.Length; i++)
            {
                var c = text[i];
                if (c is '"' or '\'')
                {
                    i = ExpressionText.EndOfLiteral(text, i);
                    continue;
                }

                if (!char.IsLetterOrDigit(c) && c != '_')
                {
                    continue;
                }

                var start = i;
                while (i + 1 < text.Length && (char.IsLetterOrDigit(text[i + 1]) || text[i + 1] == '_'))
                {
                    i++;
                }

                if (!char.IsDigit(c))
                {
                    yield return text.Substring(start, i - start + 1);
                }
            }
        }
    }
}
