using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace DecisionRouting.RuleSets
{
    /// <summary>
    /// Rule-set files on disk, read only through <see cref="SafeFile"/>: regular files whose real path is inside the
    /// rule tree's root, up to the size limit.
    /// </summary>
    internal sealed class PhysicalFileSystem : IRuleSetFileSystem
    {
        private readonly string? _root;
        private readonly long _maxBytes;
        private readonly bool _allowHardLinks;

        public PhysicalFileSystem(string? root, long maxBytes, bool allowHardLinks = false)
        {
            _root = root;
            _maxBytes = maxBytes;
            _allowHardLinks = allowHardLinks;
        }

        /// <summary>A file system for the rule set in <paramref name="directory"/> under <paramref name="options"/>.</summary>
        public static PhysicalFileSystem For(string directory, RuleSetReadOptions options) => new(options.RootFor(directory), options.MaxFileBytes, options.AllowHardLinks);

        public bool DirectoryExists(string path) => Directory.Exists(path);

        public IEnumerable<string> EnumerateFiles(string directory) =>
            Directory.Exists(directory)
                ? Directory.EnumerateFiles(directory).Select(f => RulePaths.Combine(directory, Path.GetFileName(f)))
                : Enumerable.Empty<string>();

        public string? ReadAllText(string path) => SafeFile.ReadText(path, _root, _maxBytes, _allowHardLinks);
    }
}
