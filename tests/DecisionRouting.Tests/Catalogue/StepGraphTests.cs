using System;
using System.Collections.Generic;
using System.Linq;

namespace DecisionRouting.Tests.Catalogue;

/// <summary>
/// <see cref="StepGraph"/>, the one home of ancestors, descendants and cycles for the loader, the planner, the plan
/// checks and the lifecycle: exact paths for cycles, and every answer in the graph's own order.
/// </summary>
public sealed class StepGraphTests
{
    /// <summary>A diamond: d after b and c, both after a; a after x, which no step declares.</summary>
    private static StepGraph Diamond(IEnumerable<string>? order = null)
    {
        var before = new Dictionary<string, IReadOnlyList<string>>
        {
            ["d"] = new[] { "b", "c" },
            ["c"] = new[] { "a" },
            ["b"] = new[] { "a" },
            ["a"] = new[] { "x" },
        };
        return new StepGraph(before, order ?? new[] { "a", "c", "b", "d" });
    }

    [Fact]
    public void Ancestors_are_every_step_before_in_the_graphs_order_with_undeclared_ones_last()
    {
        var graph = Diamond();

        Assert.Equal(new[] { "a", "c", "b", "x" }, graph.Ancestors("d"));
        Assert.Equal(new[] { "a", "x" }, graph.Ancestors("b"));
        Assert.Empty(graph.Ancestors("x"));
        Assert.Empty(graph.Ancestors("unknown"));
    }

    [Fact]
    public void Descendants_are_every_step_after_in_the_graphs_order()
    {
        var graph = Diamond();

        Assert.Equal(new[] { "a", "c", "b", "d" }, graph.Descendants("x"));
        Assert.Equal(new[] { "c", "b", "d" }, graph.Descendants("a"));
        Assert.Empty(graph.Descendants("d"));
    }

    [Fact]
    public void The_order_is_the_one_given_not_the_dictionarys()
    {
        // Same edges, other order: the answers follow the order, whatever order the map was filled in.
        var graph = Diamond(new[] { "d", "b", "c", "a" });

        Assert.Equal(new[] { "b", "c", "a", "x" }, graph.Ancestors("d"));
        Assert.Equal(new[] { "d", "b", "c" }, graph.Descendants("a"));
        Assert.Equal(graph.Ancestors("d"), Diamond(new[] { "d", "b", "c", "a" }).Ancestors("d"));
    }

    [Fact]
    public void Of_takes_the_steps_order()
    {
        var steps = new[] { ("notice", Array.Empty<string>()), ("decision", new[] { "notice" }), ("call-in", new[] { "decision" }) };
        var graph = StepGraph.Of(steps, s => s.Item1, s => s.Item2);

        Assert.Equal(new[] { "notice", "decision" }, graph.Ancestors("call-in"));
        Assert.Equal(new[] { "decision", "call-in" }, graph.Descendants("notice"));
    }

    [Fact]
    public void A_cycle_is_found_with_its_path_once()
    {
        var before = new Dictionary<string, IReadOnlyList<string>>
        {
            ["a"] = new[] { "b" },
            ["b"] = new[] { "c" },
            ["c"] = new[] { "a" },
            ["d"] = new[] { "d" },
            ["e"] = new[] { "a" },
        };
        var graph = new StepGraph(before);

        var cycles = graph.FindCycles();

        Assert.Equal(new[] { "a → b → c → a", "d → d" }, cycles.Select(c => string.Join(" → ", c)));
        // A node on a cycle is its own ancestor and descendant; the others are not.
        Assert.Contains("a", graph.Ancestors("a"));
        Assert.Contains("a", graph.Descendants("a"));
        Assert.DoesNotContain("e", graph.Ancestors("e"));
    }

    [Fact]
    public void A_cycle_closing_a_chain_too_long_to_recurse_is_found_with_its_whole_path()
    {
        // s0 after s1, …, s(n-1) after s0. The search used to recurse once per step and overflowed the stack, which
        // ends the process (the CLI, or the compiler running the analyzer) rather than reporting DR0015.
        const int length = 200_000;
        var before = new Dictionary<string, IReadOnlyList<string>>();
        for (var i = 0; i < length; i++)
        {
            before[$"s{i}"] = new[] { $"s{(i + 1) % length}" };
        }

        var cycle = Assert.Single(new StepGraph(before).FindCycles());

        Assert.Equal(length + 1, cycle.Count);
        Assert.Equal(new[] { "s0", "s1", "s2" }, cycle.Take(3));
        Assert.Equal(new[] { $"s{length - 1}", "s0" }, cycle.Skip(length - 1));
    }

    [Fact]
    public void Reachability_follows_edges_to_predecessors()
    {
        var reach = Diamond().Reachability();

        Assert.True(reach.Reaches("d", "x"));
        Assert.True(reach.Reaches("b", "a"));
        Assert.False(reach.Reaches("b", "c"));
        Assert.False(reach.Reaches("a", "d"));
    }

    [Fact]
    public void AncestorsFirst_lists_each_step_after_its_predecessors_even_on_a_chain_too_long_to_recurse()
    {
        const int length = 200_000;
        var before = new Dictionary<string, IReadOnlyList<string>>();
        for (var i = 1; i < length; i++)
        {
            before[$"s{i}"] = new[] { $"s{i - 1}" };
        }

        var order = new StepGraph(before).AncestorsFirst(new[] { $"s{length - 1}" });

        Assert.Equal(length, order.Count);
        Assert.Equal("s0", order[0]);
        Assert.Equal($"s{length - 1}", order[^1]);
        Assert.Equal(new[] { "x", "a", "b", "c", "d" }, Diamond().AncestorsFirst(new[] { "d" }));
    }
}
