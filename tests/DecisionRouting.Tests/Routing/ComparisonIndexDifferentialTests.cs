using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using DecisionRouting.Benchmarks;
using DecisionRouting.Proposals;
using DecisionRouting.Routing;
using DecisionRouting.RuleSets;
using NodaTime;

namespace DecisionRouting.Tests.Routing;

/// <summary>
/// The comparison index (<c>ComparisonIndex</c>) decides simple rules together; the compiled delegates decide each rule
/// alone. Both must give every rule the same outcome, error included, for every proposal: compared here rule by rule
/// on generated 1,000-rule workflows with boundary values equal to thresholds, decimals with pence, negative numbers,
/// enums out of range, texts missing, attributes missing and rules that throw, and against RulesEngine through the router.
/// </summary>
public sealed class ComparisonIndexDifferentialTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private static readonly string[] Kinds = Enum.GetNames<ProposalKind>();
    private static readonly string[] Makers = Enum.GetNames<DecisionMaker>();

    // Thresholds and values share one pool, so values often equal a threshold exactly.
    private static readonly string[] Money = { "0", "-1", "-0.01", "0.01", "1234.56", "1234.5", "250000", "249999.99", "5000000", "5000000.01", "-250000" };
    private static readonly int[] Counts = { -3, -1, 0, 1, 2, 3, 5, 20, 100 };
    private static readonly string?[] Organisations = { "darlington", "durham", "Durham", "croydon", "", null };

    [Fact]
    public void The_index_decides_every_peers_rule_and_agrees_with_the_delegates()
    {
        var workload = PeersWorkload.Generate(1000, 2000);
        var directory = NewDirectory();
        try
        {
            var proposals = workload.WriteDecisionRouting(directory).Select((json, i) => ProposalReader.Read($"p{i}.json", json).Proposal!).ToList();
            var ruleSet = RuleSet.Load(Path.Combine(directory, "dr-meta"));

            Assert.Equal(1000, ruleSet.Evaluation.Compiled.IndexedRules);
            var (matches, errors) = AssertIndexAgrees(ruleSet, proposals);
            Assert.Equal(0, errors);
            Assert.True(matches > 100_000, $"{matches} matches");
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void The_index_agrees_with_the_delegates_rule_by_rule_on_generated_thousand_rule_sets(int seed)
    {
        var directory = NewDirectory();
        try
        {
            var random = new Random(seed);
            WriteRuleSet(directory, random, 1000);
            var ruleSet = RuleSet.Load(directory);
            var compiled = ruleSet.Evaluation.Compiled;
            output.WriteLine($"{compiled.IndexedRules} of {compiled.RuleCount} rules indexed");
            var all = compiled.Workflows.SelectMany(w => w.Rules).ToList();
            foreach (var i in Enumerable.Range(0, all.Count).Where(i => !compiled.IsIndexed(i)).Take(40))
            {
                output.WriteLine($"not indexed: {all[i].Expression}");
            }

            // Most rules are in the decidable subset; those reading attributes, computed properties, lists or parameters are not.
            Assert.InRange(compiled.IndexedRules, compiled.RuleCount / 2, compiled.RuleCount - 100);

            var proposals = Enumerable.Range(0, 600).Select(i => Proposal(random, i)).ToList();
            var (matches, errors) = AssertIndexAgrees(ruleSet, proposals);
            output.WriteLine($"{matches} matches, {errors} errors");
            Assert.True(matches > 10_000, $"{matches} matches");
            Assert.True(errors > 0, "rules that throw or read missing attributes are compared too");

            // And the whole path, against RulesEngine: the same matched and incomplete rules.
            AssertRoutesAgreeWithRulesEngine(ruleSet, proposals.Take(60));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Theory]
    [InlineData(4)]
    [InlineData(5)]
    public void The_index_agrees_with_the_delegates_on_conjunctions_that_repeat_their_literals(int seed)
    {
        // Each rule is a conjunction drawn from a pool of two or three comparisons, so literals repeat, plainly and
        // negated (a rule needing x and not x never matches); up to 40 of them, past the 32 at which the index stops
        // comparing a rule's literals pairwise and hashes them.
        var directory = NewDirectory();
        try
        {
            var random = new Random(seed);
            Directory.CreateDirectory(directory);
            var rules = Enumerable.Range(0, 600).Select(_ =>
            {
                var pool = Enumerable.Range(0, 2 + random.Next(2)).Select(_ => Atom(random)).ToArray();
                var count = random.Next(4) == 0 ? 33 + random.Next(8) : 2 + random.Next(6);
                return string.Join(" && ", Enumerable.Range(0, count).Select(_ => pool[random.Next(pool.Length)]).Select(atom => random.Next(8) == 0 ? $"!({atom})" : atom));
            }).ToList();
            WriteFiles(directory, rules, globals: false);
            var ruleSet = RuleSet.Load(directory);
            var compiled = ruleSet.Evaluation.Compiled;
            output.WriteLine($"{compiled.IndexedRules} of {compiled.RuleCount} rules indexed");
            Assert.InRange(compiled.IndexedRules, compiled.RuleCount / 2, compiled.RuleCount);

            var proposals = Enumerable.Range(0, 400).Select(i => Proposal(random, i)).ToList();
            var (matches, errors) = AssertIndexAgrees(ruleSet, proposals);
            output.WriteLine($"{matches} matches, {errors} errors");
            Assert.True(matches > 1_000, $"{matches} matches");

            AssertRoutesAgreeWithRulesEngine(ruleSet, proposals.Take(40));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>Routes each proposal with our evaluation and with RulesEngine's: the same matched and incomplete rules.</summary>
    private static void AssertRoutesAgreeWithRulesEngine(RuleSet ruleSet, IEnumerable<Proposal> proposals)
    {
        var ours = new Router(ruleSet);
        var oracle = new Router(ruleSet, new RoutingOptions { Evaluation = RoutingEvaluation.RulesEngine });
        foreach (var proposal in proposals)
        {
            var expected = oracle.Route(proposal);
            var actual = ours.Route(proposal);
            Assert.Equal(expected.MatchedRules.Select(m => (m.Workflow, m.Rule)), actual.MatchedRules.Select(m => (m.Workflow, m.Rule)));
            Assert.Equal(expected.Incomplete.Select(r => (r.Rule, r.Kind, r.MissingValue)), actual.Incomplete.Select(r => (r.Rule, r.Kind, r.MissingValue)));
        }
    }

    [Fact]
    public void Numeric_fields_read_through_getter_delegates_give_what_the_compiled_readers_give()
    {
        // int, decimal and bool properties are read through the getter's delegate rather than a compiled conversion
        // (round 7: nothing is compiled on a cold start); every numeric property is held to the compiled reader here.
        var random = new Random(11);
        var proposals = Enumerable.Range(0, 300).Select(i => Proposal(random, i)).ToList();
        var properties = typeof(Proposal).GetProperties(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.DeclaredOnly)
            .Where(p => p.GetIndexParameters().Length == 0 && p.GetMethod is { IsPublic: true } && (p.PropertyType == typeof(int) || p.PropertyType == typeof(decimal) || p.PropertyType == typeof(bool) || p.PropertyType.IsEnum))
            .ToList();
        Assert.Contains(properties, p => p.PropertyType == typeof(int));
        Assert.Contains(properties, p => p.PropertyType == typeof(decimal));
        Assert.Contains(properties, p => p.PropertyType == typeof(bool));
        foreach (var property in properties)
        {
            var fast = DecisionRouting.Evaluation.ProposalNumbers.Reader(property);
            var compiled = DecisionRouting.Evaluation.ProposalNumbers.Compiled(property);
            foreach (var proposal in proposals)
            {
                var expected = compiled(proposal);
                var actual = fast(proposal);
                Assert.Equal(expected, actual);
                Assert.Equal(decimal.GetBits(expected), decimal.GetBits(actual)); // the same scale too
            }
        }
    }

    [Fact]
    public void A_proposal_with_no_kinds_list_is_left_to_the_delegates_and_fails_only_the_rules_that_reach_the_call()
    {
        var directory = NewDirectory();
        try
        {
            Directory.CreateDirectory(directory);
            WriteFiles(directory, new[]
            {
                "proposal.Has(ProposalKind.Procurement)",
                "proposal.WardsAffected > 100 && proposal.Has(ProposalKind.Procurement)",
                "proposal.WardsAffected >= 0 || proposal.Has(ProposalKind.Procurement)",
                "proposal.WardsAffected >= 1",
            }, globals: false);
            var ruleSet = RuleSet.Load(directory);
            Assert.Equal(4, ruleSet.Evaluation.Compiled.IndexedRules);

            var proposal = Proposal(new Random(5), 0) with { Kinds = null!, WardsAffected = 2 };
            var (matched, errors) = Evaluate(ruleSet, proposal, useIndex: true);

            // The first rule calls Has and fails; the second and third never reach it (short-circuit), as in the delegates.
            Assert.Equal(new[] { false, false, true, true }, matched);
            Assert.NotNull(errors[0]);
            Assert.Equal(new string?[] { null, null, null }, errors.Skip(1));
            var (delegateMatched, delegateErrors) = Evaluate(ruleSet, proposal, useIndex: false);
            Assert.Equal(delegateMatched, matched);
            Assert.Equal(delegateErrors, errors);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void A_workflow_with_global_params_is_not_indexed_so_a_throwing_param_still_fails_every_rule()
    {
        var directory = NewDirectory();
        try
        {
            Directory.CreateDirectory(directory);
            WriteFiles(directory, new[] { "proposal.WardsAffected >= 1", "proposal.Urgent == false" }, globals: true);
            var ruleSet = RuleSet.Load(directory);
            Assert.Equal(0, ruleSet.Evaluation.Compiled.IndexedRules);

            // The GlobalParam reads the organisation's length: with none given it throws, and every rule is not evaluated.
            var plan = new Router(ruleSet).Route(Proposal(new Random(6), 0) with { Organisation = null, WardsAffected = 3 });
            Assert.Empty(plan.MatchedRules);
            Assert.Equal(2, plan.Incomplete.Count(r => r.Kind == IncompleteRuleKind.NotEvaluated));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static (int Matches, int Errors) AssertIndexAgrees(RuleSet ruleSet, IReadOnlyList<Proposal> proposals)
    {
        int matches = 0, errors = 0;
        foreach (var proposal in proposals)
        {
            var (indexMatched, indexErrors) = Evaluate(ruleSet, proposal, useIndex: true);
            var (matched, failures) = Evaluate(ruleSet, proposal, useIndex: false);
            for (var i = 0; i < matched.Length; i++)
            {
                if (matched[i] != indexMatched[i] || failures[i] != indexErrors[i])
                {
                    var rule = ruleSet.Evaluation.Compiled.Workflows.SelectMany(w => w.Rules).ElementAt(i);
                    Assert.Fail($"rule {rule.Name} ({rule.Expression}) on {proposal.Id}: delegates {matched[i]} '{failures[i]}', index {indexMatched[i]} '{indexErrors[i]}'");
                }
            }

            matches += matched.Count(m => m);
            errors += failures.Count(e => e is not null);
        }

        return (matches, errors);
    }

    private static (bool[] Matched, string?[] Errors) Evaluate(RuleSet ruleSet, Proposal proposal, bool useIndex)
    {
        var compiled = ruleSet.Evaluation.Compiled;
        var matched = new bool[compiled.RuleCount];
        var errors = new string?[compiled.RuleCount];
        compiled.Evaluate(proposal, ruleSet.Evaluation.ParametersFor(proposal.IntendedDecisionDate), matched, errors, useIndex);
        return (matched, errors);
    }

    private static string NewDirectory() => Path.Combine(Path.GetTempPath(), "dr-index", Guid.NewGuid().ToString("N"));

    /// <summary>One workflow of <paramref name="count"/> rules (indexable shapes mixed with others), and a small one with GlobalParams.</summary>
    private static void WriteRuleSet(string directory, Random random, int count)
    {
        Directory.CreateDirectory(directory);
        var rules = Enumerable.Range(0, count).Select(_ => Expression(random)).ToList();
        WriteFiles(directory, rules, globals: false);
        File.WriteAllText(Path.Combine(directory, "g.rules.json"), $$"""
            { "WorkflowName": "g", "GlobalParams": [ { "Name": "big", "Expression": "proposal.FinancialCommitment >= 1234.56" } ],
              "Rules": [ { "RuleName": "G0", "Expression": "big && proposal.WardsAffected >= 2", "Properties": { "steps": [ "s1" ], "source": "synthetic" } },
                         { "RuleName": "G1", "Expression": "proposal.WardsAffected >= 2", "Properties": { "steps": [ "s2" ], "source": "synthetic" } } ] }
            """);
    }

    private static void WriteFiles(string directory, IReadOnlyList<string> expressions, bool globals)
    {
        File.WriteAllText(Path.Combine(directory, "ruleset.json"), """
            { "name": "index-differential", "parameters": { "threshold": 250000 },
              "attributes": { "f0": { "type": "flag" }, "n0": { "type": "number" } } }
            """);
        File.WriteAllText(Path.Combine(directory, "catalogue.json"), """
            { "roles": [ { "id": "officer", "name": "Officer" } ],
              "steps": [ { "id": "s0", "name": "Step 0", "kind": "SignOff", "role": "officer" },
                         { "id": "s1", "name": "Step 1", "kind": "SignOff", "role": "officer" },
                         { "id": "s2", "name": "Step 2", "kind": "SignOff", "role": "officer" } ] }
            """);
        var text = new StringBuilder("{ \"WorkflowName\": \"bench\",");
        if (globals)
        {
            text.Append(" \"GlobalParams\": [ { \"Name\": \"length\", \"Expression\": \"proposal.Organisation.Length\" } ],");
        }

        text.Append(" \"Rules\": [\n");
        for (var i = 0; i < expressions.Count; i++)
        {
            var expression = expressions[i].Replace("\"", "\\\"", StringComparison.Ordinal);
            text.Append(i == 0 ? string.Empty : ",\n")
                .Append(CultureInfo.InvariantCulture, $"  {{ \"RuleName\": \"R{i:D4}\", \"Expression\": \"{expression}\", \"Properties\": {{ \"steps\": [ \"s{i % 3}\" ], \"source\": \"synthetic\" }} }}");
        }

        text.Append("\n] }\n");
        File.WriteAllText(Path.Combine(directory, "bench.rules.json"), text.ToString());
    }

    private static string Expression(Random random)
    {
        switch (random.Next(10))
        {
            case 0:
                // Or and negation over groups: indexed as a formula.
                return $"({Atom(random)} || {Atom(random)}) && !({Atom(random)} && {Atom(random)})";
            case 1:
                return $"{Atom(random)} || {Atom(random)}";
            case 2:
                // Outside the subset: attributes (missing: undecided), computed properties, lists, parameters, a throw.
                return $"{Other(random)} && {Atom(random)}";
            default:
                return string.Join(" && ", Enumerable.Range(0, 1 + random.Next(3)).Select(_ => random.Next(12) == 0 ? $"!({Atom(random)})" : Atom(random)));
        }
    }

    private static string Atom(Random random)
    {
        string[] ops = { "==", "!=", "<", "<=", ">", ">=" };
        var op = ops[random.Next(ops.Length)];
        return random.Next(12) switch
        {
            0 or 1 => $"proposal.FinancialCommitment {op} {Money[random.Next(Money.Length)]}",
            2 => $"{Money[random.Next(Money.Length)]} {op} input1.Savings",
            3 => $"proposal.WardsAffected {op} {Counts[random.Next(Counts.Length)]}",
            4 => $"input1.StaffAffected {op} {(random.Next(4) == 0 ? "3000000000" : Counts[random.Next(Counts.Length)].ToString(CultureInfo.InvariantCulture))}",
            5 => $"proposal.Has(ProposalKind.{Kinds[random.Next(Kinds.Length)]})",
            6 => $"proposal.DecisionMaker {(random.Next(2) == 0 ? "==" : "!=")} DecisionMaker.{Makers[random.Next(Makers.Length)]}",
            7 => Organisations[random.Next(Organisations.Length)] is { } organisation
                ? $"proposal.Organisation {(random.Next(2) == 0 ? "==" : "!=")} \"{organisation}\""
                : $"proposal.Organisation {(random.Next(2) == 0 ? "==" : "!=")} null",
            8 => random.Next(3) switch { 0 => "proposal.TupeTransfer", 1 => "!proposal.Urgent", _ => $"proposal.LegallyBinding {(random.Next(2) == 0 ? "==" : "!=")} {(random.Next(2) == 0 ? "true" : "false")}" },
            9 => random.Next(2) == 0 ? "true" : "false",
            10 => $"proposal.ProposedRedundancies {op} {Counts[random.Next(Counts.Length)]}",
            _ => $"input1.FinancialCommitment {op} input1.Savings",
        };
    }

    private static string Other(Random random) => random.Next(7) switch
    {
        0 => "proposal.Attributes.Flag(\"f0\")",
        1 => $"proposal.Attributes.Number(\"n0\") > {random.Next(5)}",
        2 => "proposal.Organisation.StartsWith(\"d\")",
        3 => "proposal.NoticeImpracticable",
        4 => $"proposal.SpendOrSaving >= {Money[random.Next(Money.Length)]}",
        5 => "proposal.FinancialCommitment >= parameters.threshold",
        _ => $"proposal.Partners.Count >= {random.Next(3)}",
    };

    private static Proposal Proposal(Random random, int index)
    {
        decimal MoneyValue() => random.Next(4) == 0 ? random.Next(-1_000_000, 10_000_000) / 100m : decimal.Parse(Money[random.Next(Money.Length)], CultureInfo.InvariantCulture);
        int Count() => random.Next(3) == 0 ? random.Next(-5, 200) : Counts[random.Next(Counts.Length)];
        var attributes = new Dictionary<string, object>();
        if (random.Next(2) == 0)
        {
            attributes["f0"] = random.Next(2) == 0;
        }

        if (random.Next(2) == 0)
        {
            attributes["n0"] = (decimal)random.Next(8);
        }

        return new Proposal
        {
            Id = $"index-{index}",
            Title = $"Index proposal {index}",
            Organisation = Organisations[random.Next(Organisations.Length)],
            Partners = Enumerable.Range(0, random.Next(3)).Select(i => $"Partner {i}").ToList(),
            // Now and then a decision-maker outside the enum, as a caller's cast can give.
            DecisionMaker = random.Next(10) == 0 ? (DecisionMaker)(40 + random.Next(3)) : Enum.Parse<DecisionMaker>(Makers[random.Next(Makers.Length)]),
            IntendedDecisionDate = new LocalDate(2027, 6, 15),
            Kinds = Enumerable.Range(0, random.Next(3)).Select(_ => Enum.Parse<ProposalKind>(Kinds[random.Next(Kinds.Length)])).Distinct().ToList(),
            FinancialCommitment = MoneyValue(),
            Savings = MoneyValue(),
            WardsAffected = Count(),
            StaffAffected = Count(),
            ProposedRedundancies = Count(),
            TupeTransfer = random.Next(2) == 0,
            Urgent = random.Next(4) == 0,
            LegallyBinding = random.Next(2) == 0,
            Attributes = new ProposalAttributes(attributes),
        };
    }
}
