using System.Collections.Generic;
using System.Linq;

namespace DecisionRouting.RuleSets
{
    /// <summary>
    /// Serves the built-in baselines' files under their reference (<c>baseline:england/ruleset.json</c>) and passes every
    /// other path to the rule set's own file system. The reader wraps every file system in this, so the library, the CLI
    /// and the analyzer see the same baseline whatever their own source of files.
    /// </summary>
    internal sealed class BaselineFileSystem : IRuleSetFileSystem
    {
        private readonly IRuleSetFileSystem _inner;

        public BaselineFileSystem(IRuleSetFileSystem inner) => _inner = inner;

        public bool DirectoryExists(string path) =>
            RuleSetBaselines.Split(path) is { } split
                ? split.File is null && RuleSetBaselines.Files(split.Name) is not null
                : _inner.DirectoryExists(path);

        public IEnumerable<string> EnumerateFiles(string directory)
        {
            if (RuleSetBaselines.Split(directory) is not { } split)
            {
                return _inner.EnumerateFiles(directory);
            }

            return split.File is null && RuleSetBaselines.Files(split.Name) is { } files
                ? files.Keys.Select(f => RuleSetBaselines.Scheme + split.Name + "/" + f).ToList()
                : Enumerable.Empty<string>();
        }

        public string? ReadAllText(string path)
        {
            if (RuleSetBaselines.Split(path) is not { } split)
            {
                return _inner.ReadAllText(path);
            }

            return split.File is { } file && RuleSetBaselines.Files(split.Name) is { } files && files.TryGetValue(file, out var text) ? text : null;
        }
    }
}
