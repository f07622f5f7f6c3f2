using System;
using System.IO;
using System.Text;
using DecisionRouting.RuleSets;

namespace DecisionRouting.Cli
{
    /// <summary>
    /// The one way the CLI writes a file (<c>route-batch --output</c> plans, <c>catalogue --output</c>): never through
    /// a symbolic link, a pipe or a device, never into a file that has other names, and never half-written.
    /// </summary>
    /// <remarks>
    /// <para>
    /// Folders on the way are followed as given: a user who names <c>--output plans</c> where <c>plans</c> is a link
    /// to a folder means that folder. The final name is different: in a shared output folder anyone who can write the
    /// folder can plant <c>a.plan.json -&gt; ~/.bashrc</c>, and an ordinary open would overwrite the link's target. So
    /// an existing final name that is a symbolic link, not a regular file, or a file with more than one hard link
    /// (whose other names an open-and-write would change too, and a rename would silently not) is refused, loudly.
    /// </para>
    /// <para>
    /// The text is written to a new temporary file in the same folder (created exclusively, so a link planted at
    /// that name is not followed either) and renamed over the final name. A rename replaces the directory entry, never
    /// writes through it, so even a link planted between the check and the rename only loses its own name; and a
    /// process stopped part-way leaves the old file or the new one, never a truncated mix. There is no fsync: the
    /// write is atomic against interruption of the process, not against loss of power.
    /// </para>
    /// </remarks>
    internal static class OutputFiles
    {
        /// <summary>UTF-8 without a byte-order mark, as <see cref="File.WriteAllText(string, string?)"/> writes.</summary>
        private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

        /// <summary>Buffer for the one write stream per file: a plan or catalogue is usually written in one or two calls.</summary>
        private const int BufferBytes = 64 * 1024;

        /// <summary>
        /// Writes <paramref name="text"/> (UTF-8, no byte-order mark) to <paramref name="path"/>, replacing a regular file
        /// already there (keeping its permission bits) or creating it.
        /// </summary>
        /// <param name="path">The file to write, as the user gave it or as built from the folder they gave.</param>
        /// <param name="text">The whole content.</param>
        /// <param name="concerning">What the user knows the file as (<c>--output docs/x.md</c>, or the plan's path): the message's prefix.</param>
        /// <exception cref="UserIOException">
        /// The final name is a symbolic link, a folder, a pipe, a device or a file with other hard links (nothing is
        /// written and the existing entry is unchanged), or the folder cannot be written (missing, read-only, full).
        /// </exception>
        public static void WriteAllText(string path, string text, string concerning)
        {
            string full;
            try
            {
                full = Path.GetFullPath(path);
            }
            catch (Exception e) when (CliPaths.IsPathFailure(e))
            {
                throw new UserIOException(concerning, e);
            }

            var folder = Path.GetDirectoryName(full) ?? full;
            UnixFileMode? existingMode;
            try
            {
                existingMode = Refuse(full, concerning);
            }
            catch (Exception e) when (e is not UserIOException && CliPaths.IsPathFailure(e))
            {
                throw new UserIOException(concerning, e);
            }

            var temporary = Path.Combine(folder, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
            try
            {
                // CreateNew is O_CREAT|O_EXCL: it fails on any existing name, a dangling symbolic link included.
                using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, BufferBytes))
                {
                    var bytes = Utf8.GetBytes(text);
                    stream.Write(bytes, 0, bytes.Length);
                }

                if (existingMode is { } mode && !OperatingSystem.IsWindows())
                {
                    File.SetUnixFileMode(temporary, mode);
                }

                File.Move(temporary, full, overwrite: true);
            }
            catch (Exception e) when (CliPaths.IsPathFailure(e))
            {
                TryDelete(temporary);
                throw new UserIOException(concerning, e);
            }
        }

        /// <summary>
        /// Throws when the existing entry at <paramref name="full"/> must not be replaced; returns the permission bits of
        /// a regular file there (kept on the new file), or null when nothing is there.
        /// </summary>
        private static UnixFileMode? Refuse(string full, string concerning)
        {
            // FileInfo looks at the name itself (lstat): LinkTarget is set for a link, dangling or not.
            var info = new FileInfo(full);
            if (info.LinkTarget is { } target)
            {
                throw Refused(concerning, $"it is a symbolic link (to {target}), and writing through it would overwrite the file it leads to; remove the link or write elsewhere");
            }

            if (Directory.Exists(full))
            {
                throw Refused(concerning, "it is a folder; give the path of a file");
            }

            if (!info.Exists)
            {
                return null;
            }

            if (SafeFile.KindOf(full) is { } kind)
            {
                throw Refused(concerning, $"it is {kind}, not a regular file; remove it or write elsewhere");
            }

            if (SafeFile.LinkCount(full) is > 1 and var links)
            {
                throw Refused(concerning, $"it has {links} hard links, so it is also reachable under another name that writing it would change; remove it (the other names keep their content) or write elsewhere");
            }

            return OperatingSystem.IsWindows() ? null : File.GetUnixFileMode(full);
        }

        private static UserIOException Refused(string concerning, string why) =>
            new(concerning, new IOException($"not written: {why}"));

        private static void TryDelete(string temporary)
        {
            try
            {
                File.Delete(temporary);
            }
            catch (Exception e) when (CliPaths.IsPathFailure(e))
            {
                // The original failure is the one to report; a leftover temporary file is named by its ".tmp" ending.
            }
        }
    }
}
