using System;
using System.Collections.Concurrent;
using System.Linq.Expressions;

namespace DecisionRouting.Expressions
{
    /// <summary>
    /// Expressions parsed while a rule set is checked, kept for compiling it. Parsing is most of a load's cost, and
    /// checking has already parsed every expression once; compiling reuses those trees instead of parsing again.
    /// Parameters are canonical (one object per name and type), so a tree parsed for checking binds the same
    /// parameters the compiled delegate declares.
    /// </summary>
    internal sealed class ParsedExpressions
    {
        private readonly ConcurrentDictionary<(string Name, Type Type), ParameterExpression> _parameters = new();
        private readonly ConcurrentDictionary<TreeKey, Expression> _trees = new();

        /// <summary>The one parameter for this name and type.</summary>
        public ParameterExpression Canonical(string name, Type type) => _parameters.GetOrAdd((name, type), key => Expression.Parameter(key.Type, key.Name));

        /// <summary>The expression's tree in this scope: parsed once, then reused.</summary>
        public Expression Parse(string text, ParameterScope scope)
        {
            // Keyed by the parameters the text names, not the whole scope: the key stays the size of the text, where
            // keying by the scope made a chain of n parameters hold n keys of n names each.
            var parameters = scope.For(text);
            var key = new TreeKey(text, parameters);
            if (_trees.TryGetValue(key, out var cached))
            {
                return cached;
            }

            var body = ParseBody(text, parameters);
            _trees.TryAdd(key, body);
            return body;
        }

        /// <summary>
        /// A text and the parameters it is parsed over, equal when the text is and each parameter has the same name and
        /// type: what the key string (the text, then each parameter's name and type handle) compared before, without
        /// building that string twice per expression (checking, then compiling) on every load.
        /// </summary>
        private sealed class TreeKey : IEquatable<TreeKey>
        {
            private readonly string _text;
            private readonly ParameterExpression[] _parameters;
            private readonly int _hash;

            public TreeKey(string text, ParameterExpression[] parameters)
            {
                _text = text;
                _parameters = parameters;
                var hash = StringComparer.Ordinal.GetHashCode(text);
                foreach (var parameter in parameters)
                {
                    hash = (hash * 31) + StringComparer.Ordinal.GetHashCode(parameter.Name ?? string.Empty);
                }

                _hash = hash;
            }

            public bool Equals(TreeKey? other)
            {
                if (other is null || other._hash != _hash || other._parameters.Length != _parameters.Length || !string.Equals(other._text, _text, StringComparison.Ordinal))
                {
                    return false;
                }

                for (var i = 0; i < _parameters.Length; i++)
                {
                    if (!string.Equals(_parameters[i].Name, other._parameters[i].Name, StringComparison.Ordinal) || _parameters[i].Type != other._parameters[i].Type)
                    {
                        return false;
                    }
                }

                return true;
            }

            public override bool Equals(object? obj) => Equals(obj as TreeKey);

            public override int GetHashCode() => _hash;
        }

        /// <summary>
        /// The tree of <paramref name="text"/> over <paramref name="parameters"/>, uncached: how every expression is
        /// parsed, for checking, the compiled evaluator and the explainer alike. Comparisons of proposal properties
        /// with constants are read by <see cref="ComparisonParser"/>, which builds the same tree far more cheaply;
        /// every other text (and every mistake) goes to RulesEngine's parser, the process's one
        /// (<see cref="ExpressionEnvironment.SharedParser"/>), built only when a text needs it.
        /// </summary>
        /// <exception cref="System.Linq.Dynamic.Core.Exceptions.ParseException">The text does not parse (or another error of the parser's: <see cref="InvalidOperationException"/>, <see cref="ArgumentException"/>, <see cref="NotSupportedException"/>).</exception>
        public static Expression ParseBody(string text, ParameterExpression[] parameters)
        {
            if (ComparisonParser.TryParse(text, parameters) is { } comparison)
            {
                return comparison;
            }

            return ParseWithRulesEngine(text, parameters);
        }

        /// <summary>The tree RulesEngine's parser builds: every text <see cref="ComparisonParser"/> declines (and, in tests, the reference it is held to).</summary>
        /// <exception cref="System.Linq.Dynamic.Core.Exceptions.ParseException">As <see cref="ParseBody"/>.</exception>
        public static Expression ParseWithRulesEngine(string text, ParameterExpression[] parameters)
        {
            // Keywords in any case, as RulesEngine's default settings read them; member names stay case-sensitive.
            var parsed = ExpressionEnvironment.SharedParser.Parse(ExpressionNames.NormalizeKeywords(text), parameters, null!);
            return parsed is LambdaExpression lambda ? lambda.Body : parsed;
        }
    }
}
