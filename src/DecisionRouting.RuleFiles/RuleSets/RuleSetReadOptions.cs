using System;

namespace DecisionRouting.RuleSets
{
    /// <summary>
    /// Where a rule set's files may come from. The defaults keep a rule set inside its own tree: <c>extends</c> is
    /// resolved inside <see cref="ExtendsRoot"/> and must be relative, symbolic links are not followed out of the root,
    /// and no file over <see cref="MaxFileBytes"/> is read.
    /// </summary>
    public sealed class RuleSetReadOptions
    {
        /// <summary>The most a rule file, proposal or bank-holiday file may hold: 4 MiB, a hundred times the largest shipped file.</summary>
        public const long DefaultMaxFileBytes = 4L * 1024 * 1024;

        /// <summary>The defaults.</summary>
        public static RuleSetReadOptions Default { get; } = new();

        /// <summary>
        /// The folder every file of the rule set, and every rule set it extends, must be inside. Default (null): the
        /// nearest enclosing folder named <c>rules</c> (the convention the package's build props follow), or, when
        /// there is none, the folder that contains the rule set. An <c>extends</c> leading outside it is DR0063, and a
        /// file whose real path (symbolic links followed) is outside it is DR0062.
        /// </summary>
        public string? ExtendsRoot { get; init; }

        /// <summary>Whether <c>extends</c> may be an absolute path (still inside <see cref="ExtendsRoot"/>). Default false: DR0063.</summary>
        public bool AllowAbsoluteExtends { get; init; }

        /// <summary>
        /// Whether a rule file with more than one hard link may be read. Default false: DR0062. A hard link inside the
        /// tree can be the very file of another name outside it (a server's configuration), and unlike a symbolic link
        /// nothing in its path shows that; allow it only where the tree is built with hard links on purpose (some
        /// deployment and backup tools do) and nobody else can add files to it.
        /// </summary>
        public bool AllowHardLinks { get; init; }

        /// <summary>The largest file read, in bytes; checked before reading, and reading stops there. Default <see cref="DefaultMaxFileBytes"/>.</summary>
        public long MaxFileBytes { get; init; } = DefaultMaxFileBytes;

        /// <summary>The root for a rule set in <paramref name="directory"/>, as a full path with '/' separators.</summary>
        internal string RootFor(string directory)
        {
            if (ExtendsRoot is { } root)
            {
                return FullPath(root);
            }

            var full = FullPath(directory);
            for (var folder = full; folder.Length > 0; folder = Parent(folder))
            {
                if (string.Equals(RulePaths.FileName(folder), "rules", StringComparison.Ordinal))
                {
                    return folder;
                }

                if (Parent(folder) == folder)
                {
                    break;
                }
            }

            var parent = Parent(full);
            return parent.Length == 0 ? full : parent;
        }

        /// <summary>Whether <paramref name="path"/> is <paramref name="root"/> or inside it (both full, '/'-separated).</summary>
        internal static bool IsInside(string path, string root) =>
            string.Equals(path, root, StringComparison.Ordinal)
            || path.StartsWith(root.EndsWith("/", StringComparison.Ordinal) ? root : root + "/", StringComparison.Ordinal);

        /// <summary>The full path, '/'-separated and without a trailing separator (except for the file-system root).</summary>
        internal static string FullPath(string path)
        {
            var full = System.IO.Path.GetFullPath(path).Replace('\\', '/');
            return full.Length > 1 && full.EndsWith("/", StringComparison.Ordinal) && !full.EndsWith(":/", StringComparison.Ordinal) ? full.TrimEnd('/') : full;
        }

        private static string Parent(string folder)
        {
            var slash = folder.TrimEnd('/').LastIndexOf('/');
            return slash <= 0 ? (folder.StartsWith("/", StringComparison.Ordinal) ? "/" : folder) : folder.Substring(0, slash);
        }
    }
}
