using System.Collections.Generic;
using System.Linq;
using System.Linq.Expressions;

namespace DecisionRouting.Expressions
{
    /// <summary>
    /// The one calling convention for code compiled over names in scope: a delegate takes the names' values in one
    /// <c>object?[]</c>, in the order of the names, never one parameter per name. Past 16 parameters .NET makes a
    /// delegate type for such a lambda in an assembly that cannot refer to the rule set's parameter type, which lives
    /// in a collectible assembly; one array keeps the delegate type fixed however many names are in scope. The compiled
    /// evaluator's shared injected workflows and the explainer's conditions both use it.
    /// </summary>
    internal static class ScopeValues
    {
        /// <summary>An <c>object?[]</c> holding the current values of <paramref name="names"/>, in order: the argument for a delegate whose body <see cref="Unpack"/> began.</summary>
        public static Expression Pack(IEnumerable<ParameterExpression> names) =>
            Expression.NewArrayInit(typeof(object), names.Select(p => Expression.Convert(p, typeof(object))));

        /// <summary>Assignments setting each of <paramref name="names"/> (block variables of the delegate's body) from its slot in <paramref name="values"/>.</summary>
        public static IEnumerable<Expression> Unpack(ParameterExpression values, IReadOnlyList<ParameterExpression> names) =>
            names.Select((name, i) => (Expression)Expression.Assign(name, Expression.Convert(Expression.ArrayIndex(values, Expression.Constant(i)), name.Type)));
    }
}
