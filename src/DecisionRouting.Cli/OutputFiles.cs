using System;
using System.IO;
using System.Runtime.InteropServices;
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
    /// that name is not followed either) and renamed over the final name (on Linux, exchanged with it and the old
    /// entry unlinked: see <see cref="Replace"/>). A rename replaces the directory entry, never writes through it, so
    /// even a link planted between the check and the rename only loses its own name; and a process stopped part-way
    /// leaves the old file or the new one, never a truncated mix. There is no fsync: the write is atomic against
    /// interruption of the process, not against loss of power.
    /// </para>
    /// </remarks>
    internal static class OutputFiles
    {
        private const int AtCurrentDirectory = -100;

        private const uint RenameNoReplace = 1;

        private const uint RenameExchange = 2;

        private const int NoSuchFile = 2;

        private const int FileExists = 17;

        private const int InvalidArgument = 22;

        private const int NoSystemCall = 38;

        private const int NotSupported = 95;

        /// <summary>UTF-8 without a byte-order mark, as <see cref="File.WriteAllText(string, string?)"/> writes.</summary>
        private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

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
        public static void WriteAllText(string path, string text, string concerning) =>
            WriteAllBytes(path, Utf8.GetBytes(text), concerning);

        /// <summary>
        /// <see cref="WriteAllText"/> for content already encoded: writes <paramref name="bytes"/> exactly, with the same
        /// refusals and the same replace-whole guarantee. <c>route-batch</c> serialises each plan straight to UTF-8 in a
        /// buffer its worker reuses, so a plan is not also a string and a copy of its bytes.
        /// </summary>
        /// <param name="path">The file to write, as the user gave it or as built from the folder they gave.</param>
        /// <param name="bytes">The whole content.</param>
        /// <param name="concerning">What the user knows the file as: the message's prefix.</param>
        /// <exception cref="UserIOException">As <see cref="WriteAllText"/>.</exception>
        public static void WriteAllBytes(string path, ReadOnlySpan<byte> bytes, string concerning)
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
                // CreateNew is O_CREAT|O_EXCL: it fails on any existing name, a dangling symbolic link included. One
                // write of the whole content, with no FileStream buffer (it was 64 KB a plan). FileShare.None costs one
                // flock(2) pair; any other share for writing costs an fstatfs(2) as well before the same pair.
                using (var handle = File.OpenHandle(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
                {
                    RandomAccess.Write(handle, bytes, 0);
                }

                if (existingMode is { } mode && !OperatingSystem.IsWindows())
                {
                    File.SetUnixFileMode(temporary, mode);
                }

                Replace(temporary, full, existingMode is not null, concerning);
            }
            catch (Exception e) when (CliPaths.IsPathFailure(e))
            {
                TryDelete(temporary);
                throw e as UserIOException ?? new UserIOException(concerning, e);
            }
        }

        /// <summary>
        /// Puts the written <paramref name="temporary"/> file at <paramref name="full"/> in one step, so the name always
        /// holds the old file or the new one.
        /// </summary>
        /// <remarks>
        /// Where the name is taken (as the check found it), the two names are exchanged (<c>renameat2(RENAME_EXCHANGE)</c>) and the old entry,
        /// now under the temporary name, is unlinked: a symbolic link or a hard link that was planted there loses only
        /// that name, exactly as a rename over it. A plain <c>rename(2)</c> over an existing file costs more on ext4:
        /// its <c>auto_da_alloc</c> heuristic starts writing the new file's data back inside the rename, while it holds
        /// the output folder's lock, so two workers writing plans queue on that folder (issue 17: 42% of route-batch's
        /// kernel time on two cores). The exchange skips that heuristic: like the rename, and as the class says, this
        /// is atomic against the process stopping, not against loss of power. Where the name is free, the rename must
        /// not replace anything (<c>RENAME_NOREPLACE</c>): an entry planted since the check is exchanged and checked
        /// in turn. Without <c>renameat2</c> (not Linux, an old C library, a file system without these flags) this is
        /// <see cref="File.Move(string, string, bool)"/> as before.
        /// </remarks>
        private static void Replace(string temporary, string full, bool existed, string concerning)
        {
            if (OperatingSystem.IsLinux())
            {
                try
                {
                    // The check saw a file (one call on a rerun) or nothing (one call on a first run); whichever was
                    // wrong by now, the other is tried once.
                    var error = 0;
                    for (var attempt = 0; attempt < 2; attempt++, existed = !existed)
                    {
                        if (RenameAt2(AtCurrentDirectory, temporary, AtCurrentDirectory, full, existed ? RenameExchange : RenameNoReplace) == 0)
                        {
                            if (existed)
                            {
                                RemoveExchanged(temporary, full, concerning);
                            }

                            return;
                        }

                        error = Marshal.GetLastPInvokeError();
                        if (error != (existed ? NoSuchFile : FileExists))
                        {
                            break;
                        }
                    }

                    if (error is not (InvalidArgument or NotSupported or NoSystemCall))
                    {
                        // A real failure (read-only, full, permission): let File.Move report it in .NET's words.
                        File.Move(temporary, full, overwrite: true);
                        return;
                    }
                }
                catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
                {
                    // No renameat2 in this C library: the portable way below.
                }
            }

            File.Move(temporary, full, overwrite: true);
        }

        /// <summary>
        /// After an exchange, <paramref name="temporary"/> names what was at the plan's name. A rename would have refused
        /// a folder planted there since the check: put it back and refuse as the check does. Anything else loses that
        /// name, as a rename over it would.
        /// </summary>
        private static void RemoveExchanged(string temporary, string full, string concerning)
        {
            try
            {
                File.Delete(temporary);
            }
            catch (Exception e) when (CliPaths.IsPathFailure(e) && Directory.Exists(temporary))
            {
                // unlink(2) refuses a folder: no extra look at the common case, a plan replacing a plan.
                if (RenameAt2(AtCurrentDirectory, temporary, AtCurrentDirectory, full, RenameExchange) == 0)
                {
                    File.Delete(temporary);
                    throw Refused(concerning, "it is a folder; give the path of a file");
                }

                throw;
            }
        }

        /// <summary>
        /// Throws when the existing entry at <paramref name="full"/> must not be replaced; returns the permission bits of
        /// a regular file there (kept on the new file), or null when nothing is there.
        /// </summary>
        private static UnixFileMode? Refuse(string full, string concerning)
        {
            // One statx(2) of the name itself answers every question below; where it cannot, each is asked on its own.
            if (SafeFile.TryStatus(full, followLinks: false, out var status))
            {
                if (status is null)
                {
                    return null;
                }

                if (status.Type == FileStatus.SymbolicLink)
                {
                    throw Refused(concerning, $"it is a symbolic link (to {new FileInfo(full).LinkTarget}), and writing through it would overwrite the file it leads to; remove the link or write elsewhere");
                }

                if (status.Type == FileStatus.Directory)
                {
                    throw Refused(concerning, "it is a folder; give the path of a file");
                }

                if (SafeFile.KindName(status.Type) is { } special)
                {
                    throw Refused(concerning, $"it is {special}, not a regular file; remove it or write elsewhere");
                }

                if (status.Links > 1)
                {
                    throw Refused(concerning, $"it has {status.Links} hard links, so it is also reachable under another name that writing it would change; remove it (the other names keep their content) or write elsewhere");
                }

                return status.Permissions;
            }

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

        [DllImport("libc", EntryPoint = "renameat2", CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true, SetLastError = true)]
        private static extern int RenameAt2(int fromDirectory, string from, int toDirectory, string to, uint flags);

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
