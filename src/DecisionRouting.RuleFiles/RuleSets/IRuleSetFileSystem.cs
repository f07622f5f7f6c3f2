using System.Collections.Generic;

namespace DecisionRouting.RuleSets
{
    /// <summary>
    /// Where rule-set files come from. The library reads the disk; the analyzer reads the compilation's
    /// AdditionalFiles. Paths use '/' or the platform separator and are returned as given.
    /// </summary>
    public interface IRuleSetFileSystem
    {
        /// <summary>Whether a rule-set folder exists.</summary>
        bool DirectoryExists(string path);

        /// <summary>The files directly inside a folder (not its subfolders).</summary>
        IEnumerable<string> EnumerateFiles(string directory);

        /// <summary>The text of a file, or null if it does not exist.</summary>
        string? ReadAllText(string path);
    }
}
