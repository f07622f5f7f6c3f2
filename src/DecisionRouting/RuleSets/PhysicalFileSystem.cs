using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace DecisionRouting.RuleSets
{
    /// <summary>Rule-set files on disk.</summary>
    internal sealed class PhysicalFileSystem : IRuleSetFileSystem
    {
        public static PhysicalFileSystem Instance { get; } = new();

        public bool DirectoryExists(string path) => Directory.Exists(path);

        public IEnumerable<string> EnumerateFiles(string directory) =>
            Directory.Exists(directory)
                ? Directory.EnumerateFiles(directory).Select(f => RulePaths.Combine(directory, Path.GetFileName(f)))
                : Enumerable.Empty<string>();

        public string? ReadAllText(string path) => File.Exists(path) ? File.ReadAllText(path) : null;
    }
}
