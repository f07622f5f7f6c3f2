using System;
using System.Collections.Concurrent;
using System.Linq;
using System.Linq.Expressions;
using RulesEngine.ExpressionBuilders;

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
        private readonly ConcurrentDictionary<string, Expression> _trees = new(StringComparer.Ordinal);

        /// <summary>The one parameter for this name and type.</summary>
        public ParameterExpression Canonical(string name, Type type) => _parameters.GetOrAdd((name, type), key => Expression.Parameter(key.Type, key.Name));

        /// <summary>The expression's tree in this scope: parsed once, then reused.</summary>
        public Expression Parse(RuleExpressionParser parser, string text, ParameterScope scope)
        {
            // Keyed by the parameters the text names, not the whole scope: the key stays the size of the text, where
            // keying by the scope made a chain of n parameters hold n keys of n names each.
            var parameters = scope.For(text);
            var key = text + "\0" + string.Join("\0", parameters.Select(p => p.Name + "#" + p.Type.TypeHandle.Value.ToString()));
            if (_trees.TryGetValue(key, out var cached))
            {
                return cached;
            }

            // Keywords in any case, as RulesEngine's default settings read them; member names stay case-sensitive.
            var parsed = parser.Parse(ExpressionNames.NormalizeKeywords(text), parameters, null!);
            var body = parsed is LambdaExpression lambda ? lambda.Body : parsed;
            _trees.TryAdd(key, body);
            return body;
        }
    }
}
