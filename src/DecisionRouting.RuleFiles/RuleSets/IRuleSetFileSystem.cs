using System.Collections.Generic;

namespace DecisionRouting.RuleSets
{
    /// <summary>
    /// Where rule-set files come from: the seam for keeping rules somewhere other than a folder on disk, such as a
    /// database table or embedded resources, and loading them with <c>RuleSet.TryLoad(directory, files)</c>. The
    /// library reads the disk through its own implementation, and the analyzer reads the compilation's AdditionalFiles
    /// through another; both go through the same reader and checks.
    /// </summary>
    /// <remarks>
    /// Paths are '/'-separated (the platform separator is accepted too). A folder holds <c>ruleset.json</c>,
    /// <c>catalogue.json</c> and <c>*.rules.json</c> files, exactly as on disk; <c>extends</c> is resolved lexically
    /// ("..", relative to the extending folder), so a base rule set is the folder that path names. The reader asks for
    /// folders and files by the paths it builds from the starting folder; an implementation answers for those names
    /// and may hold its files under any key it likes. Implementations are called from one thread per load.
    /// </remarks>
    public interface IRuleSetFileSystem
    {
        /// <summary>Whether a rule-set folder exists (holds at least one file, for a source without real folders).</summary>
        bool DirectoryExists(string path);

        /// <summary>
        /// The files directly inside a folder (not its subfolders), as full paths (<c>folder/name</c>); none when the
        /// folder does not exist. The order does not matter: the reader sorts them.
        /// </summary>
        IEnumerable<string> EnumerateFiles(string directory);

        /// <summary>
        /// The text of a file, or null if it does not exist. Throw <see cref="RuleFileRefusedException"/> to refuse a
        /// file (too large, not allowed): it is reported as DR0062 and read as absent.
        /// </summary>
        string? ReadAllText(string path);
    }
}
