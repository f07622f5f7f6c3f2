using System;
using System.Collections.Generic;
using DecisionRouting.Diagnostics;
using DecisionRouting.Json;
using DecisionRouting.Workflows;

namespace DecisionRouting.RuleSets
{
    /// <summary>
    /// Checks every read of <c>proposal.Attributes</c> against the attributes the rule set declares: the name must be
    /// a string literal (DR0034), declared (DR0032), and read with the accessor of its type (DR0033).
    /// </summary>
    /// <remarks>
    /// The check works on the expression's tokens rather than a typed tree, so it needs no expression checker and the
    /// library, the CLI and the analyzer run this one implementation. That is sound because the allow-list lets an
    /// expression reach attributes only through <c>Attributes</c>'s methods, and this check refuses <c>Attributes</c>
    /// used any other way (as a value handed to a local parameter, say), so no read can pass unseen.
    /// </remarks>
    internal static class AttributeReads
    {
        /// <summary>The accessors, by method name, and the attribute type each reads (null: any type).</summary>
        private static readonly Dictionary<string, RuleSetAttributeKind?> Accessors = new(StringComparer.Ordinal)
        {
            ["Number"] = RuleSetAttributeKind.Number,
            ["Text"] = RuleSetAttributeKind.Text,
            ["Flag"] = RuleSetAttributeKind.Flag,
            ["Date"] = RuleSetAttributeKind.Date,
            ["Has"] = null,
        };

        public static void Check(IReadOnlyList<WorkflowDefinition> workflows, IReadOnlyDictionary<string, RuleSetAttribute> declared, DiagnosticBag diagnostics)
        {
            foreach (var workflow in workflows)
            {
                foreach (var global in workflow.GlobalParams)
                {
                    CheckExpression(global.ExpressionNode, declared, diagnostics);
                }

                foreach (var rule in workflow.Rules)
                {
                    CheckRule(rule, declared, diagnostics);
                }
            }
        }

        private static void CheckRule(RuleDefinition rule, IReadOnlyDictionary<string, RuleSetAttribute> declared, DiagnosticBag diagnostics)
        {
            foreach (var local in rule.LocalParams)
            {
                CheckExpression(local.ExpressionNode, declared, diagnostics);
            }

            if (rule.ExpressionNode is { } expression)
            {
                CheckExpression(expression, declared, diagnostics);
            }

            foreach (var child in rule.Rules)
            {
                CheckRule(child, declared, diagnostics);
            }
        }

        private static void CheckExpression(JsonString node, IReadOnlyDictionary<string, RuleSetAttribute> declared, DiagnosticBag diagnostics)
        {
            // Every finding starts at a token "Attributes": a text without that word has none, and most rules read no
            // attribute, so they are not tokenised (about 1.6 MB of tokens for 1,000 rules).
            if (node.Value.IndexOf("Attributes", StringComparison.Ordinal) < 0)
            {
                return;
            }

            var tokens = Tokenize(node.Value);
            for (var i = 0; i < tokens.Count; i++)
            {
                // Only member access: a parameter or identifier that happens to be called Attributes is not the bag.
                if (tokens[i].Text != "Attributes" || i == 0 || tokens[i - 1].Text != ".")
                {
                    continue;
                }

                var isCall = i + 3 < tokens.Count && tokens[i + 1].Text == "." && tokens[i + 2].Kind == TokenKind.Identifier && tokens[i + 3].Text == "(";
                if (!isCall)
                {
                    var at = tokens[i];
                    diagnostics.Report(
                        DiagnosticDescriptors.AttributeReadNotCheckable,
                        node.LocateInValue(at.Start, at.Length),
                        "Read attributes directly, as proposal.Attributes.Number(\"name\") (or Text, Flag, Date, Has): an attribute read any other way cannot be checked against the rule set's declarations");
                    continue;
                }

                var accessor = tokens[i + 2];
                if (!Accessors.TryGetValue(accessor.Text, out var kind))
                {
                    // Not an accessor: the allow-list reports it.
                    continue;
                }

                var literal = i + 5 < tokens.Count && tokens[i + 4].Kind == TokenKind.String && tokens[i + 5].Text == ")" ? tokens[i + 4] : null;
                if (literal is null)
                {
                    var at = i + 4 < tokens.Count ? tokens[i + 4] : accessor;
                    diagnostics.Report(
                        DiagnosticDescriptors.AttributeReadNotCheckable,
                        node.LocateInValue(at.Start, at.Length),
                        $"The attribute name in Attributes.{accessor.Text}(…) must be a string literal such as \"localSpendCap\", so it can be checked against the rule set's declared attributes");
                    continue;
                }

                var name = literal.Value!;
                var location = node.LocateInValue(literal.Start, literal.Length);
                if (!declared.TryGetValue(name, out var attribute))
                {
                    var hint = NameSuggestions.DidYouMean(name, declared.Keys);
                    diagnostics.Report(
                        DiagnosticDescriptors.UndeclaredAttribute,
                        location,
                        name,
                        hint.Length > 0 ? hint : "; declare it in ruleset.json under \"attributes\" with its type, whether it is required, a description and a source");
                    continue;
                }

                if (kind is { } expected && expected != attribute.Kind)
                {
                    diagnostics.Report(
                        DiagnosticDescriptors.AttributeAccessorMismatch,
                        node.LocateInValue(accessor.Start, accessor.Length),
                        name,
                        attribute.KindInWords,
                        attribute.RuleSet,
                        attribute.Accessor,
                        accessor.Text);
                }
            }
        }

        private enum TokenKind
        {
            Identifier,
            String,
            Other,
        }

        private sealed record Token(TokenKind Kind, string Text, int Start, int Length, string? Value);

        /// <summary>Identifiers, string literals (with their decoded value) and single punctuation characters.</summary>
        private static List<Token> Tokenize(string text)
        {
            var tokens = new List<Token>();
            var i = 0;
            while (i < text.Length)
            {
                var c = text[i];
                if (char.IsWhiteSpace(c))
                {
                    i++;
                }
                else if (char.IsLetter(c) || c == '_' || c == '@')
                {
                    var start = i;
                    while (i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] == '_' || text[i] == '@'))
                    {
                        i++;
                    }

                    tokens.Add(new Token(TokenKind.Identifier, text.Substring(start, i - start), start, i - start, null));
                }
                else if (c is '"' or '\'')
                {
                    var start = i++;
                    var value = new System.Text.StringBuilder();
                    while (i < text.Length && text[i] != c)
                    {
                        if (text[i] == '\\' && i + 1 < text.Length)
                        {
                            i++;
                        }

                        value.Append(text[i]);
                        i++;
                    }

                    i = Math.Min(i + 1, text.Length);
                    tokens.Add(new Token(TokenKind.String, text.Substring(start, i - start), start, i - start, value.ToString()));
                }
                else if (char.IsDigit(c))
                {
                    var start = i;
                    while (i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] == '.'))
                    {
                        i++;
                    }

                    tokens.Add(new Token(TokenKind.Other, text.Substring(start, i - start), start, i - start, null));
                }
                else
                {
                    tokens.Add(new Token(TokenKind.Other, c.ToString(), i, 1, null));
                    i++;
                }
            }

            return tokens;
        }
    }
}
