using System;
using System.Text;

namespace DecisionRouting.Tests.Fuzzing;

/// <summary>
/// Seeded mutations of JSON text: byte-level damage plus tokens chosen to hit the readers' edge cases (deep nesting,
/// huge numbers, lone surrogates, control characters, hostile expressions). The same seed gives the same inputs.
/// </summary>
internal sealed class Mutator
{
    private static readonly string[] Tokens =
    {
        "{", "}", "[", "]", "\"", ",", ":", "null", "true", "false", "-1", "0", "1e999", "-0.0", "12345678901234567890123",
        "\"\\u0000\"", "\"\\ud800\"", "\"\\uDFFF\\uD800\"", "\\", "\"\\x\"", "\u00a0", "\t", "\n", "\"\u2028\"",
        new('[', 300), new('{', 200), "\"" + new string('a', 5000) + "\"",
        "\"proposal.GetType().Assembly\"", "\"Enumerable.Range(0, 1000000000).Count() > 0\"", "\"((((((((((((((((((((((((((((((((((((true))))))))))))))))))))))))))))))))))))\"",
        "\"proposal.Partners.Any(p => proposal.Partners.Any(q => proposal.Partners.Any(r => true)))\"",
        "\"../../../etc\"", "\"$schema\"", "\"replaces\": true", "\"after\": [\"x\"]", "\"extends\": \".\"", "\"ifImpracticable\": \"key-decision-notice\"",
        "\"2013-02-30\"", "\"9999-12-31\"", "\"0001-01-01\"", "\"25:00\"", "\"Cabinet\"", "\"And\"", "\"and\"", "\"Rules\": []", "\"Operator\": \"Or\"",
    };

    private readonly Random _random;

    public Mutator(int seed) => _random = new Random(seed);

    public string Mutate(string text)
    {
        var result = new StringBuilder(text);
        var count = 1 + _random.Next(3);
        for (var i = 0; i < count; i++)
        {
            var at = result.Length == 0 ? 0 : _random.Next(result.Length);
            switch (_random.Next(7))
            {
                case 0:
                    if (result.Length > 0)
                    {
                        result[at] = (char)_random.Next(0x20, 0x7f);
                    }

                    break;
                case 1:
                    result.Remove(at, Math.Min(result.Length - at, 1 + _random.Next(20)));
                    break;
                case 2:
                    result.Insert(at, Tokens[_random.Next(Tokens.Length)]);
                    break;
                case 3:
                    var length = Math.Min(result.Length - at, 1 + _random.Next(80));
                    result.Insert(_random.Next(result.Length), result.ToString(at, length));
                    break;
                case 4:
                    result.Length = at;
                    break;
                case 5:
                    // Replace a string value with a token, keeping the JSON mostly valid so deeper checks run.
                    var quote = result.ToString().IndexOf(": \"", at, StringComparison.Ordinal);
                    if (quote >= 0)
                    {
                        var end = result.ToString().IndexOf('"', quote + 3);
                        if (end > quote)
                        {
                            result.Remove(quote + 2, end - quote - 1);
                            result.Insert(quote + 2, Tokens[_random.Next(Tokens.Length)]);
                        }
                    }

                    break;
                default:
                    if (result.Length > 0)
                    {
                        result[at] = (char)_random.Next(0, 0x3000);
                    }

                    break;
            }
        }

        return result.ToString();
    }
}
