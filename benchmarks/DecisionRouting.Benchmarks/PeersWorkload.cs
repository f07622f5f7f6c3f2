using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace DecisionRouting.Benchmarks;

/// <summary>
/// The peers' workload (<c>/work/shared/peers/gen.py</c> then <c>gen_dr.py</c>), ported so a benchmark can build it at
/// set-up without Python. The port draws from <see cref="PythonRandom"/>, CPython's generator, in the same order as the
/// scripts, so seed 42 gives the same rules and proposals; the peers' README gives the check: 200 rules over 10,000
/// proposals match 364,101 times in every engine.
/// </summary>
public sealed class PeersWorkload
{
    private static readonly string[] Kinds = ["S75Agreement", "PooledBudget", "ChiefOfficerStructure", "ServiceChange", "Procurement", "Mou", "JointPost", "Strategy", "BcfPlan", "RiskShare"];
    private static readonly string[] Organisations = ["darlington", "durham", "croydon", "barking-dagenham", "doncaster"];

    private PeersWorkload(IReadOnlyList<PeerRule> rules, IReadOnlyList<PeerProposal> proposals)
    {
        Rules = rules;
        Proposals = proposals;
    }

    /// <summary>The rules in RulesEngine form over <see cref="PeerProposal"/> (gen.py's <c>workflow.json</c>).</summary>
    public IReadOnlyList<PeerRule> Rules { get; }

    /// <summary>The proposals (gen.py's <c>proposals.json</c>), in order.</summary>
    public IReadOnlyList<PeerProposal> Proposals { get; }

    /// <summary>gen.py <paramref name="rules"/> <paramref name="proposals"/>, always seed 42 as the script is.</summary>
    public static PeersWorkload Generate(int rules, int proposals)
    {
        var random = new PythonRandom(42);
        var generated = new List<PeerRule>(rules);
        for (var i = 0; i < rules; i++)
        {
            var count = random.RandInt(1, 3);
            var atoms = new List<string>(count);
            for (var a = 0; a < count; a++)
            {
                atoms.Add(Atom(random));
            }

            generated.Add(new PeerRule($"R{i:D4}", $"step-{i % 17}", string.Join(" && ", atoms)));
        }

        int[] values = [0, 50000, 300000, 800000, 2000000, 9000000];
        int[] staff = [0, 5, 30, 150];
        var props = new List<PeerProposal>(proposals);
        for (var i = 0; i < proposals; i++)
        {
            // Python evaluates keyword arguments left to right: the order of the draws below is the script's.
            var kind = random.Choice(Kinds);
            var value = random.Choice(values);
            var wards = random.RandInt(0, 6);
            var affectsStaff = random.Random() < 0.4;
            var staffAffected = random.Choice(staff);
            var organisation = random.Choice(Organisations);
            props.Add(new PeerProposal { Kind = kind, FinancialValue = value, WardsAffected = wards, AffectsStaff = affectsStaff, StaffAffected = staffAffected, Organisation = organisation });
        }

        return new PeersWorkload(generated, props);
    }

    private static string Atom(PythonRandom random)
    {
        switch (random.RandBelow(6))
        {
            case 0:
                return $"input1.Kind == \"{random.Choice(Kinds)}\"";
            case 1:
                return $"input1.FinancialValue >= {random.Choice(new[] { 100000, 250000, 500000, 1000000, 5000000 })}";
            case 2:
                return $"input1.WardsAffected >= {random.Choice(new[] { 2, 3, 5 })}";
            case 3:
                return "input1.AffectsStaff == true";
            case 4:
                return $"input1.Organisation == \"{random.Choice(Organisations)}\"";
            default:
                return $"input1.StaffAffected >= {random.Choice(new[] { 20, 100 })}";
        }
    }

    /// <summary>gen.py's <c>workflow.json</c>: one workflow, <c>bench</c>, for RulesEngine over <see cref="PeerProposal"/>.</summary>
    public string RulesEngineWorkflowJson()
    {
        var rules = new JsonArray(Rules.Select(r => (JsonNode)new JsonObject
        {
            ["RuleName"] = r.Name,
            ["SuccessEvent"] = r.Step,
            ["Expression"] = r.Expression,
            ["RuleExpressionType"] = "LambdaExpression",
        }).ToArray());
        return new JsonArray(new JsonObject { ["WorkflowName"] = "bench", ["Rules"] = rules }).ToJsonString();
    }

    /// <summary>
    /// gen_dr.py: writes <c>dr-meta/</c> (the rules over DecisionRouting's proposal, each requiring its step, with a
    /// catalogue of the 17 steps) and <c>dr-plain/</c> (the bare RulesEngine file) under <paramref name="directory"/>,
    /// and returns the proposals as DecisionRouting proposal JSON, in order.
    /// </summary>
    public IReadOnlyList<string> WriteDecisionRouting(string directory)
    {
        var steps = Rules.Select(r => r.Step).Distinct().OrderBy(s => int.Parse(s.Split('-')[1], System.Globalization.CultureInfo.InvariantCulture)).ToList();
        foreach (var (name, meta) in new[] { ("dr-meta", true), ("dr-plain", false) })
        {
            var folder = Path.Combine(directory, name);
            Directory.CreateDirectory(folder);
            var rules = new JsonArray(Rules.Select(r =>
            {
                var rule = new JsonObject
                {
                    ["RuleName"] = r.Name,
                    ["SuccessEvent"] = r.Step,
                    ["Expression"] = string.Join(" && ", r.Expression.Split(" && ").Select(MapAtom)),
                    ["RuleExpressionType"] = "LambdaExpression",
                };
                if (meta)
                {
                    rule["Properties"] = new JsonObject { ["steps"] = new JsonArray(r.Step), ["source"] = "synthetic" };
                }

                return (JsonNode)rule;
            }).ToArray());
            File.WriteAllText(Path.Combine(folder, "bench.rules.json"), new JsonObject { ["WorkflowName"] = "bench", ["Rules"] = rules }.ToJsonString());
            if (meta)
            {
                File.WriteAllText(Path.Combine(folder, "ruleset.json"), new JsonObject { ["name"] = "peers-synthetic" }.ToJsonString());
                var catalogue = new JsonObject
                {
                    ["roles"] = new JsonArray(new JsonObject { ["id"] = "officer", ["name"] = "Officer" }),
                    ["steps"] = new JsonArray(steps.Select(s => (JsonNode)new JsonObject { ["id"] = s, ["name"] = $"Step {s}", ["kind"] = "SignOff", ["role"] = "officer" }).ToArray()),
                };
                File.WriteAllText(Path.Combine(folder, "catalogue.json"), catalogue.ToJsonString());
            }
        }

        return Proposals.Select((p, i) => new JsonObject
        {
            ["id"] = $"p{i:D5}",
            ["title"] = $"Synthetic {i}",
            ["organisation"] = p.Organisation,
            ["decisionMaker"] = "Cabinet",
            ["intendedDecisionDate"] = "2027-06-15",
            ["kinds"] = new JsonArray(MapKind(p.Kind)),
            ["financialCommitment"] = p.FinancialValue,
            ["wardsAffected"] = p.WardsAffected,
            ["tupeTransfer"] = p.AffectsStaff,
            ["staffAffected"] = p.StaffAffected,
        }.ToJsonString()).ToList();
    }

    private static string MapKind(string kind) => kind == "JointPost" ? "Appointment" : kind;

    /// <summary>gen_dr.py's exact mapping of one comparison onto DecisionRouting's <c>Proposal</c>.</summary>
    private static string MapAtom(string atom)
    {
        var parts = atom.Split(' ', 3);
        var (field, op, value) = (parts[0]["input1.".Length..], parts[1], parts[2]);
        return field switch
        {
            "Kind" => $"input1.Has(ProposalKind.{MapKind(JsonSerializer.Deserialize<string>(value)!)})",
            "FinancialValue" => $"input1.FinancialCommitment {op} {value}",
            "AffectsStaff" => $"input1.TupeTransfer {op} {value}",
            _ => $"input1.{field} {op} {value}",
        };
    }
}

/// <summary>One generated rule: its name, the step it requires (its SuccessEvent) and its expression over <see cref="PeerProposal"/>.</summary>
public sealed record PeerRule(string Name, string Step, string Expression);

/// <summary>
/// CPython's <c>random</c> module, as far as gen.py uses it: MT19937 seeded from an integer by <c>init_by_array</c>,
/// <c>_randbelow</c> by rejection over <c>getrandbits</c>, and <c>random()</c> from 53 bits.
/// </summary>
public sealed class PythonRandom
{
    private const int N = 624;
    private const int M = 397;
    private readonly uint[] _mt = new uint[N];
    private int _index = N + 1;

    /// <summary>As <c>random.seed(seed)</c> for a non-negative integer below 2^32.</summary>
    public PythonRandom(uint seed)
    {
        InitByArray([seed]);
    }

    /// <summary><c>random.randint(low, high)</c>: both ends included.</summary>
    public int RandInt(int low, int high) => low + RandBelow(high - low + 1);

    /// <summary><c>random.choice(items)</c>.</summary>
    public T Choice<T>(IReadOnlyList<T> items) => items[RandBelow(items.Count)];

    /// <summary><c>random.random()</c>: a double in [0, 1) from 53 random bits.</summary>
    public double Random()
    {
        var a = NextUInt32() >> 5;
        var b = NextUInt32() >> 6;
        return ((a * 67108864.0) + b) * (1.0 / 9007199254740992.0);
    }

    /// <summary><c>random._randbelow(n)</c> (also <c>randrange(n)</c>): draws <c>n.bit_length()</c> bits until below n.</summary>
    public int RandBelow(int n)
    {
        var bits = 32 - System.Numerics.BitOperations.LeadingZeroCount((uint)n);
        int r;
        do
        {
            r = (int)(NextUInt32() >> (32 - bits));
        }
        while (r >= n);
        return r;
    }

    private void InitGenRand(uint seed)
    {
        _mt[0] = seed;
        for (var i = 1; i < N; i++)
        {
            _mt[i] = (uint)((1812433253u * (_mt[i - 1] ^ (_mt[i - 1] >> 30))) + (uint)i);
        }

        _index = N;
    }

    private void InitByArray(uint[] key)
    {
        InitGenRand(19650218u);
        int i = 1, j = 0;
        for (var k = Math.Max(N, key.Length); k > 0; k--)
        {
            _mt[i] = (uint)((_mt[i] ^ ((_mt[i - 1] ^ (_mt[i - 1] >> 30)) * 1664525u)) + key[j] + (uint)j);
            i++;
            j++;
            if (i >= N)
            {
                _mt[0] = _mt[N - 1];
                i = 1;
            }

            if (j >= key.Length)
            {
                j = 0;
            }
        }

        for (var k = N - 1; k > 0; k--)
        {
            _mt[i] = (uint)((_mt[i] ^ ((_mt[i - 1] ^ (_mt[i - 1] >> 30)) * 1566083941u)) - (uint)i);
            i++;
            if (i >= N)
            {
                _mt[0] = _mt[N - 1];
                i = 1;
            }
        }

        _mt[0] = 0x80000000u;
    }

    private uint NextUInt32()
    {
        if (_index >= N)
        {
            for (var k = 0; k < N; k++)
            {
                var y = (_mt[k] & 0x80000000u) | (_mt[(k + 1) % N] & 0x7fffffffu);
                _mt[k] = _mt[(k + M) % N] ^ (y >> 1) ^ ((y & 1u) != 0 ? 0x9908b0dfu : 0u);
            }

            _index = 0;
        }

        var x = _mt[_index++];
        x ^= x >> 11;
        x ^= (x << 7) & 0x9d2c5680u;
        x ^= (x << 15) & 0xefc60000u;
        x ^= x >> 18;
        return x;
    }
}
