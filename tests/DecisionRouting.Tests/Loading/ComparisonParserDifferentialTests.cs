using System;
using System.IO;
using System.Linq;
using System.Linq.Expressions;
using DecisionRouting.Benchmarks;
using DecisionRouting.Expressions;
using DecisionRouting.RuleSets;

namespace DecisionRouting.Tests.Loading;

/// <summary>
/// <c>ComparisonParser</c> reads the comparison subset of expressions without System.Linq.Dynamic.Core. Wherever it
/// accepts a text, the full parser must accept it too and build the same tree, node for node: then checking (the
/// allow-list and every diagnostic), the comparison index, the compiled delegates and the explainer all see what they
/// saw before. Wherever it declines, the full parser runs as before, so its errors and positions are unchanged.
/// Compared here over generated texts, most of them near misses (other literal forms, keywords in other cases,
/// operators the subset lacks, members of other types), and over hand-picked edge forms.
/// </summary>
public sealed class ComparisonParserDifferentialTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private static readonly ParameterExpression[] Parameters = new ExpressionEnvironment(Array.Empty<RuleSetParameter>()).ParameterExpressions();

    private static readonly string[] Inputs = { "input1", "proposal", "Input1", "parameters", "it" };

    private static readonly string[] Members =
    {
        "FinancialCommitment", "Savings", "SpendOrSaving", "WardsAffected", "StaffAffected", "ProposedRedundancies", "AllWards", "TupeTransfer",
        "Urgent", "LegallyBinding", "Organisation", "Title", "Id", "UrgencyReason", "DecisionMaker", "DecidedAt", "Kinds", "Partners",
        "IntendedDecisionDate", "Attributes", "financialCommitment", "Nope", "IsExecutiveDecision", "NoticeImpracticable",
    };

    private static readonly string[] Operators = { "==", "!=", "<", "<=", ">", ">=", "=", "<>", "===", "eq", "gt" };

    private static readonly string[] Literals =
    {
        "0", "7", "42", "5000000", "123456789", "1234567890", "2147483647", "2147483648", "007", "1.5", "1.50", "1234.56", "0.5", ".5",
        "5.", "1e3", "1E3", "5_000", "5000m", "10L", "1.5m", "1.5d", "1.5f", "3U", "0x10", "-3", "- 3", "-1.5", "\"Durham\"", "\"\"",
        "\"a\\\"b\"", "\"a b\"", "'c'", "'durham'", "\"Durh\u00e4m\"", "true", "false", "True", "TRUE", "null", "DecisionMaker.Cabinet",
        "DecisionMaker.FullCouncil", "DecisionMaker.cabinet", "DecisionMaker.Nope", "DecisionMaker . Cabinet", "ProposalKind.Procurement",
        "DecisionSetting.Meeting", "1", "2",
    };

    private static readonly string[] CleanLiterals =
    {
        "0", "7", "42", "5000000", "123456789", "1.5", "1.50", "1234.56", "99.99", "\"Durham\"", "\"\"", "\"a b\"", "true", "false",
        "DecisionMaker.Cabinet", "DecisionMaker.FullCouncil", "DecisionMaker.Officer",
    };

    private static readonly (string[] Members, string[] Literals, bool Ordered)[] Typed =
    {
        (new[] { "FinancialCommitment", "Savings", "SpendOrSaving" }, new[] { "0", "7", "5000000", "123456789", "1.5", "1.50", "1234.56", "99.99", "100.0" }, true),
        (new[] { "WardsAffected", "StaffAffected", "ProposedRedundancies" }, new[] { "0", "1", "2", "20", "123456789" }, true),
        (new[] { "AllWards", "TupeTransfer", "Urgent", "LegallyBinding" }, new[] { "true", "false" }, false),
        (new[] { "Organisation", "Title", "Id", "UrgencyReason" }, new[] { "\"Durham\"", "\"\"", "\"a b\"", "\"durham\"" }, false),
        (new[] { "DecisionMaker" }, new[] { "DecisionMaker.Cabinet", "DecisionMaker.FullCouncil", "DecisionMaker.Officer" }, false),
    };

    private static readonly string[] Kinds = { "Procurement", "KeyDecision", "procurement", "Nope", "Appointment" };

    [Fact]
    public void Every_text_the_comparison_parser_accepts_parses_to_the_same_tree_in_the_full_parser()
    {
        var random = new Random(17);
        var accepted = 0;
        var declined = 0;
        var texts = Enumerable.Range(0, 8000).Select(i => Condition(random, 0, clean: i % 2 == 0)).Concat(HandPicked).Distinct(StringComparer.Ordinal).ToList();
        foreach (var text in texts)
        {
            if (Compare(text))
            {
                accepted++;
            }
            else
            {
                declined++;
            }
        }

        output.WriteLine($"{accepted} accepted, {declined} declined of {texts.Count}");

        // Both sides are exercised: a differential that only ever declines proves nothing.
        Assert.True(accepted > 1500, $"{accepted} accepted");
        Assert.True(declined > 500, $"{declined} declined");
    }

    [Theory]
    [InlineData("input1.FinancialCommitment >= 5000000")]
    [InlineData("input1.FinancialCommitment > 1234.56 && input1.Savings <= 0")]
    [InlineData("input1.Savings == 1.50")]
    [InlineData("5000 < input1.FinancialCommitment")]
    [InlineData("input1.WardsAffected >= 2 || !(input1.AllWards == true)")]
    [InlineData("input1.Has(ProposalKind.Procurement) && input1.TupeTransfer == false")]
    [InlineData("proposal.DecisionMaker == DecisionMaker.Cabinet")]
    [InlineData("input1.Organisation != \"durham\"")]
    [InlineData("!input1.Urgent")]
    [InlineData("true")]
    [InlineData("(input1.AllWards) && (input1.StaffAffected > 10 || input1.ProposedRedundancies >= 20)")]
    [InlineData("\ninput1.WardsAffected\t==\r\n3")]
    public void The_comparison_subset_is_read_by_our_parser_into_the_full_parsers_tree(string text)
    {
        Assert.True(Compare(text), $"declined: {text}");
    }

    [Theory]
    [InlineData("input1.FinancialCommitment >= 1e3")]
    [InlineData("input1.FinancialCommitment >= 5_000")]
    [InlineData("input1.FinancialCommitment >= 5000m")]
    [InlineData("input1.FinancialCommitment >= -3")]
    [InlineData("input1.FinancialCommitment >= 0.5")]
    [InlineData("input1.FinancialCommitment >= 1234567890")]
    [InlineData("input1.WardsAffected >= 1.5")]
    [InlineData("input1.Organisation == \"a\\\"b\"")]
    [InlineData("input1.Organisation == 'x'")]
    [InlineData("input1.Organisation == null")]
    [InlineData("input1.AllWards == TRUE")]
    [InlineData("input1.AllWards AND input1.Urgent")]
    [InlineData("input1.AllWards & input1.Urgent")]
    [InlineData("input1.AllWards = true")]
    [InlineData("input1.financialCommitment > 3")]
    [InlineData("input1.DecidedAt == DecisionSetting.Meeting")]
    [InlineData("!input1.AllWards == false")]
    [InlineData("input1 . WardsAffected > 1")]
    [InlineData("input1.WardsAffected > 1 > 0")]
    [InlineData("input1.Has(ProposalKind.procurement)")]
    [InlineData("input1.Attributes.Number(\"x\") > 3")]
    [InlineData("parameters.Threshold < input1.FinancialCommitment")]
    public void Forms_outside_the_subset_go_to_the_full_parser(string text)
    {
        Assert.False(Compare(text), $"accepted: {text}");
    }

    [Fact]
    public void Deep_nesting_goes_to_the_full_parser_without_exhausting_the_stack()
    {
        Assert.Null(ComparisonParser.TryParse(new string('!', 100_000) + "input1.Urgent", Parameters));
        Assert.Null(ComparisonParser.TryParse(new string('(', 100_000) + "input1.Urgent" + new string(')', 100_000), Parameters));
        Assert.NotNull(ComparisonParser.TryParse(new string('!', 40) + "input1.Urgent", Parameters));
    }

    [Fact]
    public void A_parameter_named_like_an_enum_type_goes_to_the_full_parser()
    {
        var shadowing = Parameters.Append(Expression.Parameter(typeof(decimal), "DecisionMaker")).ToArray();
        Assert.Null(ComparisonParser.TryParse("input1.DecisionMaker == DecisionMaker.Cabinet", shadowing));
        Assert.NotNull(ComparisonParser.TryParse("input1.DecisionMaker == DecisionMaker.Cabinet", Parameters));
    }

    /// <summary>The peers' workload, the cold-start benchmark's rules: every rule is read by our parser.</summary>
    [Fact]
    public void The_peers_rules_are_all_read_by_our_parser()
    {
        var workload = PeersWorkload.Generate(200, 10);
        var directory = Path.Combine(Path.GetTempPath(), "cp-" + Guid.NewGuid().ToString("N"));
        try
        {
            workload.WriteDecisionRouting(directory);
            using var file = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(directory, "dr-meta", "bench.rules.json")));
            var texts = file.RootElement.GetProperty("Rules").EnumerateArray().Select(r => r.GetProperty("Expression").GetString()!).ToList();
            Assert.Equal(200, texts.Count);
            Assert.All(texts, text => Assert.True(Compare(text), text));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static readonly string[] HandPicked =
    {
        "input1.FinancialCommitment>=5000000&&input1.AllWards", "((input1.AllWards))", "!!input1.AllWards", "!(true)", "!true", "false || true",
        "input1.AllWards && true", "input1.Savings != 0 || input1.Savings == 1234.5", "input1.Title == \"\"", "\"x\" == input1.Title",
        "DecisionMaker.Officer != input1.DecisionMaker", "input1.DecisionMaker > DecisionMaker.Leader", "input1.DecisionMaker == 1",
        "input1.Has(ProposalKind.KeyDecision)", "input1.Has( ProposalKind.KeyDecision )", "input1.Has(ProposalKind.KeyDecision) == true",
        "input1.AllWards == true == false", "input1.AllWards ||", "&& input1.AllWards", "(input1.AllWards", "input1.AllWards)", "",
        "input1.WardsAffected", "input1.Title", "1 == 1", "input1.AllWards || input1.Urgent && input1.TupeTransfer",
        "input1.AllWards ? true : false", "input1.WardsAffected == 3 ?? false", "input1.AllWards\u00a0&& input1.Urgent",
    };

    /// <summary>True when our parser accepted the text (and then the trees were equal); false when it declined.</summary>
    private static bool Compare(string text)
    {
        var ours = ComparisonParser.TryParse(text, Parameters);
        if (ours is null)
        {
            return false;
        }

        Expression theirs;
        try
        {
            theirs = ParsedExpressions.ParseWithRulesEngine(text, Parameters);
        }
        catch (Exception e)
        {
            Assert.Fail($"our parser accepted a text the full parser refuses: {text}\n{e.Message}");
            throw;
        }

        var difference = Difference(ours, theirs);
        Assert.True(difference is null, $"{text}\n ours:   {ours}\n theirs: {theirs}\n {difference}");
        return true;
    }

    /// <summary>
    /// The first difference between two trees, or null: node types, types, methods, members, constants, parameter
    /// identity. A decimal constant is compared by value, not scale: System.Linq.Dynamic.Core caches literals by value,
    /// so its own tree for "1.5" holds 1.50 once "1.50" was parsed earlier in the process (seen here), and no
    /// comparison reads the scale.
    /// </summary>
    private static string? Difference(Expression? a, Expression? b)
    {
        if (a is null || b is null)
        {
            return a is null && b is null ? null : $"null against {a ?? b}";
        }

        if (a.NodeType != b.NodeType || a.Type != b.Type)
        {
            return $"{a.NodeType}:{a.Type} against {b.NodeType}:{b.Type} ({a} / {b})";
        }

        switch (a, b)
        {
            case (BinaryExpression x, BinaryExpression y):
                return x.Method != y.Method || x.IsLiftedToNull != y.IsLiftedToNull || x.Conversion is not null || y.Conversion is not null
                    ? $"binary {x} ({x.Method}) against {y} ({y.Method})"
                    : Difference(x.Left, y.Left) ?? Difference(x.Right, y.Right);
            case (UnaryExpression x, UnaryExpression y):
                return x.Method != y.Method ? $"unary {x} against {y}" : Difference(x.Operand, y.Operand);
            case (MemberExpression x, MemberExpression y):
                return x.Member != y.Member ? $"member {x.Member} against {y.Member}" : Difference(x.Expression, y.Expression);
            case (MethodCallExpression x, MethodCallExpression y):
                return x.Method != y.Method || x.Arguments.Count != y.Arguments.Count
                    ? $"call {x.Method} against {y.Method}"
                    : Difference(x.Object, y.Object) ?? x.Arguments.Zip(y.Arguments, Difference).FirstOrDefault(d => d is not null);
            case (ConstantExpression x, ConstantExpression y):
                return Equals(x.Value, y.Value) && x.Value?.GetType() == y.Value?.GetType()
                    ? null
                    : $"constant {x.Value} ({x.Value?.GetType()}) against {y.Value} ({y.Value?.GetType()})";
            case (ParameterExpression x, ParameterExpression y):
                return ReferenceEquals(x, y) ? null : $"parameter {x.Name} against {y.Name}";
            default:
                return $"unexpected node {a.GetType().Name} against {b.GetType().Name}";
        }
    }

    private static string Condition(Random random, int depth, bool clean)
    {
        var roll = random.Next(depth > 2 ? 6 : 10);
        return roll switch
        {
            < 5 => Atom(random, clean),
            5 => "!" + Space(random) + Atom(random, clean),
            6 => $"({Condition(random, depth + 1, clean)})",
            7 => "!(" + Condition(random, depth + 1, clean) + ")",
            8 => Condition(random, depth + 1, clean) + Space(random) + (clean ? Pick(random, "&&", "||") : Pick(random, "&&", "&&", "||", "||", "&", "and", "OR")) + Space(random) + Condition(random, depth + 1, clean),
            _ => Condition(random, depth + 1, clean) + Space(random) + Pick(random, "&&", "||") + Space(random) + Condition(random, depth + 1, clean),
        };
    }

    private static string Atom(Random random, bool clean)
    {
        if (clean && random.Next(10) > 0)
        {
            // Clean texts pair each member with literals of its own type (most are accepted); one in ten, and all the
            // other texts, draw near misses too.
            var (members, literals, ordered) = Pick(random, Typed);
            var name = $"{Pick(random, "input1", "proposal")}.{Pick(random, members)}";
            if (members[0] == "AllWards" && random.Next(3) == 0)
            {
                return name;
            }

            var constant = Pick(random, literals);
            var comparison = ordered ? Pick(random, Operators.Take(6).ToArray()) : Pick(random, "==", "!=");
            return random.Next(4) == 0 ? $"{constant}{Space(random)}{comparison}{Space(random)}{name}" : $"{name}{Space(random)}{comparison}{Space(random)}{constant}";
        }

        var member = clean
            ? $"{Pick(random, "input1", "proposal")}.{Pick(random, Members.Take(15).ToArray())}"
            : $"{Pick(random, Inputs.Concat(Enumerable.Repeat("input1", 8)).ToArray())}.{Pick(random, Members)}";
        switch (random.Next(8))
        {
            case 0:
                return member;
            case 1:
                return $"{Pick(random, "input1", "proposal")}.Has({Space(random)}ProposalKind.{Pick(random, Kinds)}{Space(random)})";
            case 2:
                return Pick(random, "true", "false", "True");
            default:
                var literal = clean ? Pick(random, CleanLiterals) : Pick(random, Literals);
                var op = clean ? Pick(random, Operators.Take(6).ToArray()) : Pick(random, Operators.Concat(Operators.Take(6)).ToArray());
                return random.Next(4) == 0
                    ? $"{literal}{Space(random)}{op}{Space(random)}{member}"
                    : $"{member}{Space(random)}{op}{Space(random)}{literal}";
        }
    }

    private static string Space(Random random) => Pick(random, " ", " ", " ", "", "  ", "\t", "\n");

    private static T Pick<T>(Random random, params T[] items) => items[random.Next(items.Length)];
}
