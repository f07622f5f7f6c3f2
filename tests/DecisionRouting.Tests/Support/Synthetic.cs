using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using DecisionRouting.Proposals;
using NodaTime;

namespace DecisionRouting.Tests.Support;

/// <summary>
/// Seeded generators of rule sets and proposals, for differential tests and benchmarks: rules of one to three
/// comparisons over every kind of proposal field, with global and local parameters, nested operators, and a few
/// expressions that throw (null text) so error handling is compared too.
/// </summary>
public static class Synthetic
{
    private static readonly string[] Kinds = Enum.GetNames<ProposalKind>();
    private static readonly string[] Makers = Enum.GetNames<DecisionMaker>();

    /// <summary>
    /// Writes a rule set of <paramref name="rules"/> rules in workflows of 50 to <paramref name="directory"/>. A plain
    /// set has only rules of one to three comparisons of proposal fields: the benchmarks' workload, which hand-compiled
    /// delegates can also evaluate.
    /// </summary>
    public static void WriteRuleSet(string directory, int rules, int seed, bool plain = false)
    {
        var random = new Random(seed);
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, "ruleset.json"), """
            { "name": "synthetic", "parameters": { "threshold": 250000, "wards": 2 },
              "attributes": {
                "f0": { "type": "flag" }, "f1": { "type": "flag" }, "f2": { "type": "flag" },
                "n0": { "type": "number" }, "n1": { "type": "number" }, "n2": { "type": "number" } } }
            """);
        var steps = Enumerable.Range(0, 20).Select(i => $$"""    { "id": "s{{i}}", "name": "Step {{i}}", "kind": "{{(i % 4 == 0 ? "Notice" : "SignOff")}}", "role": "officer"{{(i > 0 && i % 5 == 0 ? $", \"after\": [ \"s{i - 1}\" ]" : string.Empty)}} }""");
        File.WriteAllText(Path.Combine(directory, "catalogue.json"), $$"""
            {
              "roles": [ { "id": "officer", "name": "Officer" } ],
              "steps": [
            {{string.Join(",\n", steps)}}
              ]
            }
            """);
        for (var w = 0; w * 50 < rules; w++)
        {
            var text = new StringBuilder();
            text.Append("{\n  \"WorkflowName\": \"w").Append(w).Append("\",\n");
            text.Append("  \"GlobalParams\": [ { \"Name\": \"isBig\", \"Expression\": \"proposal.SpendOrSaving >= parameters.threshold\" }, { \"Name\": \"wide\", \"Expression\": \"proposal.AllWards || proposal.WardsAffected >= parameters.wards\" } ],\n");
            text.Append("  \"Rules\": [\n");
            var count = Math.Min(50, rules - (w * 50));
            for (var r = 0; r < count; r++)
            {
                text.Append(r == 0 ? string.Empty : ",\n").Append("    ").Append(plain ? PlainRule(random, $"R{w}_{r}") : Rule(random, $"R{w}_{r}"));
            }

            text.Append("\n  ]\n}\n");
            File.WriteAllText(Path.Combine(directory, $"w{w}.rules.json"), text.ToString());
        }
    }

    private static string Rule(Random random, string name)
    {
        var properties = $"\"Properties\": {{ \"steps\": [ \"s{random.Next(20)}\" ], \"source\": \"synthetic\" }}";
        switch (random.Next(12))
        {
            case 0:
                // Nested operator: children combine with And or Or.
                var op = random.Next(2) == 0 ? "And" : "Or";
                return $"{{ \"RuleName\": \"{name}\", \"Operator\": \"{op}\", \"Rules\": [ {{ \"RuleName\": \"{name}a\", \"Expression\": \"{Condition(random)}\" }}, {{ \"RuleName\": \"{name}b\", \"Expression\": \"{Condition(random)}\" }} ], {properties} }}";
            case 1:
                return $"{{ \"RuleName\": \"{name}\", \"LocalParams\": [ {{ \"Name\": \"local\", \"Expression\": \"proposal.StaffAffected * 2\" }} ], \"Expression\": \"local > {random.Next(40)} && {Condition(random)}\", {properties} }}";
            default:
                var parts = Enumerable.Range(0, 1 + random.Next(3)).Select(_ => Condition(random));
                var joined = string.Join(random.Next(2) == 0 ? " && " : " || ", parts);
                return $"{{ \"RuleName\": \"{name}\", \"Expression\": \"{joined}\", {properties} }}";
        }
    }

    private static string PlainRule(Random random, string name)
    {
        string Plain()
        {
            // Conditions 0–10 and 14–15: proposal fields only, no named parameters, nothing that throws.
            var pick = random.Next(13);
            return Condition(random, pick > 10 ? pick + 3 : pick);
        }

        var joined = string.Join(random.Next(2) == 0 ? " && " : " || ", Enumerable.Range(0, 1 + random.Next(3)).Select(_ => Plain()));
        return $"{{ \"RuleName\": \"{name}\", \"Expression\": \"{joined}\", \"Properties\": {{ \"steps\": [ \"s{random.Next(20)}\" ], \"source\": \"synthetic\" }} }}";
    }

    private static string Condition(Random random) => Condition(random, random.Next(16));

    private static string Condition(Random random, int which) => which switch
    {
        0 => $"proposal.FinancialCommitment >= {random.Next(1_000_000)}",
        1 => $"proposal.Savings < {random.Next(1_000_000)}",
        2 => $"proposal.WardsAffected >= {random.Next(10)}",
        3 => $"proposal.StaffAffected > {random.Next(50)}",
        4 => $"proposal.Has(ProposalKind.{Kinds[random.Next(Kinds.Length)]})",
        5 => $"proposal.DecisionMaker == DecisionMaker.{Makers[random.Next(Makers.Length)]}",
        6 => $"proposal.IntendedDecisionDate >= LocalDate({2010 + random.Next(15)}, {1 + random.Next(12)}, {1 + random.Next(28)})",
        7 => "proposal.Urgent",
        8 => "!proposal.AllWards",
        9 => $"proposal.Attributes.Flag(\\\"f{random.Next(3)}\\\")",
        10 => $"proposal.Attributes.Number(\\\"n{random.Next(3)}\\\") > {random.Next(10)}",
        11 => "isBig",
        12 => "wide && !proposal.Urgent",
        13 => "proposal.Organisation.StartsWith(\\\"L\\\")", // throws when the organisation is not given
        14 => $"proposal.Partners.Count >= {random.Next(4)}",
        _ => $"proposal.ExemptParagraphs.Contains({1 + random.Next(7)})",
    };

    /// <summary>A random but valid proposal.</summary>
    public static Proposal Proposal(Random random, int index)
    {
        var kinds = Enumerable.Range(0, 1 + random.Next(3)).Select(_ => Enum.Parse<ProposalKind>(Kinds[random.Next(Kinds.Length)])).Distinct().ToList();
        var staff = random.Next(60);
        var attributes = new Dictionary<string, object>();
        for (var i = 0; i < 3; i++)
        {
            if (random.Next(2) == 0)
            {
                attributes[$"f{i}"] = random.Next(2) == 0;
            }

            if (random.Next(2) == 0)
            {
                attributes[$"n{i}"] = (decimal)random.Next(20);
            }
        }

        return new Proposal
        {
            Id = $"synthetic-{index}",
            Title = $"Synthetic proposal {index}",
            Organisation = random.Next(3) == 0 ? null : (random.Next(2) == 0 ? "London Borough" : "Durham County Council"),
            Partners = Enumerable.Range(0, random.Next(4)).Select(i => $"Partner {i}").ToList(),
            DecisionMaker = Enum.Parse<DecisionMaker>(Makers[random.Next(Makers.Length)]),
            IntendedDecisionDate = new LocalDate(2009, 1, 1).PlusDays(random.Next(18 * 365)),
            Kinds = kinds,
            FinancialCommitment = random.Next(4) == 0 ? 0 : random.Next(2_000_000),
            Savings = random.Next(3) == 0 ? random.Next(2_000_000) : 0,
            WardsAffected = random.Next(8),
            AllWards = random.Next(5) == 0,
            SignificantEffectOnCommunities = random.Next(2) == 0,
            StaffAffected = staff,
            ProposedRedundancies = staff == 0 ? 0 : random.Next(Math.Min(staff, 150) + 1),
            TupeTransfer = random.Next(6) == 0,
            ExemptParagraphs = random.Next(5) == 0 ? new[] { 1 + random.Next(7) } : Array.Empty<int>(),
            Urgent = random.Next(8) == 0,
            AffectsBudgetAndPolicyFramework = random.Next(6) == 0,
            SubstantialVariationOfHealthServices = random.Next(6) == 0,
            LegallyBinding = random.Next(2) == 0,
            Attributes = new ProposalAttributes(attributes),
        };
    }
}
