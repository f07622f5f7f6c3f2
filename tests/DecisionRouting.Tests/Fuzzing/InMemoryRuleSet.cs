using System;
using System.Collections.Generic;
using System.Linq;
using DecisionRouting.RuleSets;

namespace DecisionRouting.Tests.Fuzzing;

/// <summary>A rule-set folder held in memory, so thousands of mutated sets can be checked without touching the disk.</summary>
internal sealed class InMemoryRuleSet : IRuleSetFileSystem
{
    public const string Directory = "/fuzz/rules";

    private readonly Dictionary<string, string> _files;

    public InMemoryRuleSet(IReadOnlyDictionary<string, string> files) =>
        _files = files.ToDictionary(f => $"{Directory}/{f.Key}", f => f.Value, StringComparer.Ordinal);

    public bool DirectoryExists(string path) => path.TrimEnd('/') == Directory;

    public IEnumerable<string> EnumerateFiles(string directory) => DirectoryExists(directory) ? _files.Keys.ToList() : Enumerable.Empty<string>();

    public string? ReadAllText(string path) => _files.TryGetValue(path, out var text) ? text : null;
}
