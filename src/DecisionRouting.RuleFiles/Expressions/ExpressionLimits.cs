namespace DecisionRouting.Expressions
{
    /// <summary>
    /// How long and how deeply nested an expression may be. Checked on the text before any parser sees it: expression
    /// parsers recurse on nesting, and a 20,000-deep expression would overflow the stack, which no handler can catch.
    /// </summary>
    internal static class ExpressionLimits
    {
        /// <summary>The longest expression allowed, in characters. The longest shipped expression is about 300.</summary>
        public const int MaxLength = 4000;

        /// <summary>The deepest nesting of brackets allowed. Shipped expressions nest at most 4 deep.</summary>
        public const int MaxDepth = 32;

        /// <summary>The problem with the expression's size or nesting, or null when it is within the limits.</summary>
        public static ExpressionProblem? Check(string expression)
        {
            if (expression is null)
            {
                return null;
            }

            if (expression.Length > MaxLength)
            {
                return new ExpressionProblem(ExpressionProblemKind.TooComplex, $"The expression is {expression.Length} characters long; the limit is {MaxLength}. Split it into named GlobalParams or LocalParams", MaxLength, 1);
            }

            var depth = 0;
            var quote = '\0';
            for (var i = 0; i < expression.Length; i++)
            {
                var c = expression[i];
                if (quote != '\0')
                {
                    if (c == '\\')
                    {
                        i++;
                    }
                    else if (c == quote)
                    {
                        quote = '\0';
                    }

                    continue;
                }

                if (c is '"' or '\'')
                {
                    quote = c;
                }
                else if (c is '(' or '[' or '{')
                {
                    if (++depth > MaxDepth)
                    {
                        return new ExpressionProblem(ExpressionProblemKind.TooComplex, $"Brackets nest more than {MaxDepth} deep here; simplify the expression or split it into named GlobalParams or LocalParams", i, 1);
                    }
                }
                else if (c is ')' or ']' or '}')
                {
                    depth--;
                }
            }

            return null;
        }
    }
}
