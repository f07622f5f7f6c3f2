using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Text;

namespace DecisionRouting.RuleSets
{
    /// <summary>
    /// The one way DecisionRouting reads a file from disk (rule files, proposals, bank holidays, batch folders): only a
    /// regular file, only inside a root when one is given (symbolic links followed to their real path first), and only
    /// up to a size checked before reading. Anything else is a <see cref="RuleFileRefusedException"/> that names the file
    /// and says why, without a byte of its content.
    /// </summary>
    internal static class SafeFile
    {
        /// <summary>Kernel file systems whose "files" are not files: reading them discloses the host or never ends.</summary>
        private static readonly string[] SpecialTrees = { "/proc", "/sys", "/dev" };

        /// <summary>Symbolic links followed in one path before giving up (Linux's own limit).</summary>
        private const int MaxLinks = 40;

        /// <summary>
        /// The text of <paramref name="path"/>, or null when nothing is there.
        /// </summary>
        /// <param name="path">The file, as the user or a rule file gave it.</param>
        /// <param name="root">A full path the file's real path must be inside, or null for none.</param>
        /// <param name="maxBytes">The largest file read.</param>
        /// <param name="allowHardLinks">
        /// Whether a file with more than one hard link may be read inside a root. Default false: a hard link is the same
        /// file under another name, possibly outside the root, and no path check can see that.
        /// </param>
        /// <exception cref="RuleFileRefusedException">The file is outside the root, not a regular file, has other hard links, or is too large.</exception>
        public static string? ReadText(string path, string? root, long maxBytes, bool allowHardLinks = false) =>
            ReadText(path, root, maxBytes, allowHardLinks, folder: null);

        /// <summary>
        /// <see cref="ReadText(string, string?, long, bool)"/> for a file listed in <paramref name="folder"/>, whose
        /// real path was resolved once for the whole folder: only the file's own name is looked at (one readlink(2)),
        /// and a name that is a symbolic link is resolved in full, as before. <paramref name="folder"/>'s full path is
        /// the root.
        /// </summary>
        internal static string? ReadText(string path, ResolvedFolder folder, long maxBytes) =>
            ReadText(path, folder.Root, maxBytes, allowHardLinks: false, folder);

        private static string? ReadText(string path, string? root, long maxBytes, bool allowHardLinks, ResolvedFolder? folder)
        {
            var real = folder?.RealPathOf(path) ?? RealPath(path);
            if (real is null)
            {
                return null;
            }

            if (root is not null && !RuleSetReadOptions.IsInside(real, folder?.Real ?? RealPath(root) ?? root))
            {
                // Say what is actually wrong: a file named outside the root is a root that does not contain the rule
                // set (a wrong --rules-root, or an extends leading out); only a file named inside it can be a link out.
                var named = Path.GetFullPath(path);
                var namedInside = RuleSetReadOptions.IsInside(named, root) || RuleSetReadOptions.IsInside(named, RealPath(root) ?? root);
                throw new RuleFileRefusedException(path, namedInside
                    ? $"it is a symbolic link (or inside one) leading outside the rule tree '{root}'"
                    : $"it is outside the rule tree '{root}', and every file read must be inside it (give a --rules-root, or RuleSetReadOptions.ExtendsRoot, that contains the rule set and everything it extends)");
            }

            if (SpecialTrees.Any(t => RuleSetReadOptions.IsInside(real, t)))
            {
                throw new RuleFileRefusedException(path, $"it is in {SpecialTrees.First(t => RuleSetReadOptions.IsInside(real, t))}, which holds devices and kernel state, not files");
            }

            // One statx(2) tells the kind, the names and the size; where it cannot, three separate looks tell the same.
            long length;
            if (TryStatus(real, followLinks: true, out var status))
            {
                if (status is null || status.Type == FileStatus.Directory)
                {
                    return null;
                }

                if (KindName(status.Type) is { } kind)
                {
                    throw new RuleFileRefusedException(path, $"it is {kind}, not a regular file");
                }

                if (root is not null && !allowHardLinks && status.Links > 1)
                {
                    throw HardLinked(path, root, status.Links);
                }

                length = status.Length;
            }
            else
            {
                if (KindOf(real) is { } kind)
                {
                    throw new RuleFileRefusedException(path, $"it is {kind}, not a regular file");
                }

                var info = new FileInfo(real);
                if (!info.Exists)
                {
                    return null;
                }

                // A symbolic link shows where it leads; a hard link does not: "rules/x.rules.json" and "/etc/secret" can be
                // one file with two names, and only the count of names gives it away.
                if (root is not null && !allowHardLinks && LinkCount(real) is > 1 and var links)
                {
                    throw HardLinked(path, root, links);
                }

                length = info.Length;
            }

            if (length > maxBytes)
            {
                throw new RuleFileRefusedException(path, $"it is {length:N0} bytes, over the limit of {maxBytes:N0} bytes");
            }

            // A length of zero is what pipes and devices report when their kind cannot be told: never open them.
            if (length == 0)
            {
                return string.Empty;
            }

            // Read no more than the limit even if the file grows meanwhile.
            using var stream = new FileStream(real, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 4096, FileOptions.SequentialScan);
            var buffer = new byte[Math.Min(length, maxBytes) + 1];
            var read = 0;
            int n;
            while (read < buffer.Length && (n = stream.Read(buffer, read, buffer.Length - read)) > 0)
            {
                read += n;
            }

            if (read > maxBytes)
            {
                throw new RuleFileRefusedException(path, $"it grew past the limit of {maxBytes:N0} bytes while it was read");
            }

            return Decode(buffer, read);
        }

        /// <summary>
        /// The text of <paramref name="count"/> bytes as a <see cref="StreamReader"/> reads them (UTF-8 unless a byte-order
        /// mark says otherwise; a UTF-8 mark is dropped; malformed bytes become U+FFFD). UTF-8 with or without its mark is
        /// decoded in one call: the reader's buffers and builder cost twice the text again (about 0.8 MB for a 240 KB rule
        /// file). Anything that may start with another mark (UTF-16, UTF-32) still goes through the reader.
        /// </summary>
        internal static string Decode(byte[] buffer, int count)
        {
            var utf8 = new UTF8Encoding(false);
            if (count >= 3 && buffer[0] == 0xEF && buffer[1] == 0xBB && buffer[2] == 0xBF)
            {
                return utf8.GetString(buffer, 3, count - 3);
            }

            if (count == 0 || buffer[0] is not (0xEF or 0xFE or 0xFF or 0x00))
            {
                return utf8.GetString(buffer, 0, count);
            }

            using var reader = new StreamReader(new MemoryStream(buffer, 0, count), utf8, detectEncodingFromByteOrderMarks: true);
            return reader.ReadToEnd();
        }

        /// <summary>
        /// The path with every symbolic link resolved, component by component (a link to a folder included), or null
        /// when it does not exist.
        /// </summary>
        public static string? RealPath(string path)
        {
            var full = RuleSetReadOptions.FullPath(path);
            if (OperatingSystem.IsWindows())
            {
                var target = File.Exists(full) ? File.ResolveLinkTarget(full, returnFinalTarget: true)?.FullName ?? full : full;
                return File.Exists(target) || Directory.Exists(target) ? target.Replace('\\', '/') : null;
            }

            var pending = new Stack<string>(full.Split('/', StringSplitOptions.RemoveEmptyEntries).Reverse());
            var resolved = new List<string>();
            var links = 0;
            while (pending.Count > 0)
            {
                var part = pending.Pop();
                if (part == ".")
                {
                    continue;
                }

                if (part == "..")
                {
                    if (resolved.Count > 0)
                    {
                        resolved.RemoveAt(resolved.Count - 1);
                    }

                    continue;
                }

                var candidate = "/" + string.Join("/", resolved.Append(part));
                var info = new FileInfo(candidate);
                if (!info.Exists && !Directory.Exists(candidate) && info.LinkTarget is null)
                {
                    return null;
                }

                if (info.LinkTarget is { } linkTarget)
                {
                    if (++links > MaxLinks)
                    {
                        throw new RuleFileRefusedException(path, $"it passes through more than {MaxLinks} symbolic links");
                    }

                    if (linkTarget.StartsWith('/'))
                    {
                        resolved.Clear();
                    }

                    foreach (var t in linkTarget.Split('/', StringSplitOptions.RemoveEmptyEntries).Reverse())
                    {
                        pending.Push(t);
                    }

                    continue;
                }

                resolved.Add(part);
            }

            return "/" + string.Join("/", resolved);
        }

        /// <summary>
        /// What a path that is not a regular file is ("a named pipe (FIFO)", "a character device" …), or null for a
        /// regular file or a folder. .NET does not expose the file type, so this asks the runtime's own native shim for
        /// stat(2)'s mode (its FileStatus starts with two 32-bit fields, Flags then Mode). Where the shim is missing, the
        /// zero-length rule and the special trees above still keep pipes and devices from being opened.
        /// </summary>
        internal static string? KindOf(string real)
        {
            if (OperatingSystem.IsWindows())
            {
                return null;
            }

            var status = new byte[512];
            int result;
            try
            {
                result = NativeStat(real, status);
            }
            catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
            {
                return null;
            }

            if (result != 0)
            {
                return null;
            }

            return KindName(BitConverter.ToInt32(status, 4) & 0xF000);
        }

        /// <summary>What a file of stat(2) type <paramref name="type"/> (mode &amp; S_IFMT) is, or null for a regular file or a folder.</summary>
        internal static string? KindName(int type) => type switch
        {
            FileStatus.Regular or FileStatus.Directory => null,
            0x1000 => "a named pipe (FIFO)",
            0x2000 => "a character device",
            0x6000 => "a block device",
            0xA000 => "a symbolic link",
            0xC000 => "a socket",
            _ => "a special file",
        };

        private static RuleFileRefusedException HardLinked(string path, string root, long links) =>
            new(path, $"it has {links} hard links, so it is also reachable under another name, perhaps outside the rule tree '{root}', which no path check can see (allow hard links with RuleSetReadOptions.AllowHardLinks or --allow-hard-links)");

        /// <summary>
        /// One statx(2) of <paramref name="path"/> (of the name itself when <paramref name="followLinks"/> is false):
        /// its type, permission bits, number of names and size, or null in <paramref name="status"/> when nothing is
        /// there. False when statx cannot tell (not Linux, a C library without it, or an error other than "no such
        /// file"): the caller then asks the portable way. Each file a batch reads or writes is looked at once, not three
        /// to six times (issue 17: route-batch spent most of its time in system calls).
        /// </summary>
        internal static bool TryStatus(string path, bool followLinks, out FileStatus? status)
        {
            status = null;
            if (!OperatingSystem.IsLinux())
            {
                return false;
            }

            Span<byte> buffer = stackalloc byte[256];
            int result;
            try
            {
                result = StatxWithError(AtCurrentDirectory, path, followLinks ? 0 : AtSymlinkNoFollow, StatxType | StatxMode | StatxNlink | StatxSize, ref MemoryMarshal.GetReference(buffer));
            }
            catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
            {
                return false;
            }

            if (result != 0)
            {
                // ENOENT, ENOTDIR: nothing there, which is an answer; anything else is for the portable way to report.
                var error = Marshal.GetLastPInvokeError();
                return error is NoSuchFile or NotADirectory;
            }

            var mask = BitConverter.ToUInt32(buffer);
            const uint needed = StatxType | StatxMode | StatxNlink | StatxSize;
            if ((mask & needed) != needed)
            {
                return false;
            }

            var mode = BitConverter.ToUInt16(buffer.Slice(28));
            status = new FileStatus(mode & 0xF000, (UnixFileMode)(mode & 0xFFF), BitConverter.ToUInt32(buffer.Slice(16)), (long)BitConverter.ToUInt64(buffer.Slice(40)));
            return true;
        }

        /// <summary>
        /// How many names (hard links) the file at <paramref name="real"/> has, or null when that cannot be told. .NET
        /// does not expose it and the runtime's stat shim leaves it out, so this asks the C library's statx(2), whose
        /// buffer layout, unlike stat's, is the same on every Linux architecture (stx_nlink is the 32-bit field at
        /// offset 16). Without statx (Windows, macOS, a C library older than glibc 2.28) the count is unknown and the
        /// file is read as before; README Security says so.
        /// </summary>
        internal static long? LinkCount(string real)
        {
            if (!OperatingSystem.IsLinux())
            {
                return null;
            }

            var buffer = new byte[256];
            try
            {
                if (Statx(AtCurrentDirectory, real, 0, StatxNlink, buffer) != 0)
                {
                    return null;
                }
            }
            catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
            {
                return null;
            }

            var mask = BitConverter.ToUInt32(buffer, 0);
            return (mask & StatxNlink) == 0 ? null : BitConverter.ToUInt32(buffer, 16);
        }

        private const int AtCurrentDirectory = -100;

        private const uint StatxNlink = 0x4;

        private const uint StatxType = 0x1;

        private const uint StatxMode = 0x2;

        private const uint StatxSize = 0x200;

        private const int AtSymlinkNoFollow = 0x100;

        private const int NoSuchFile = 2;

        private const int NotADirectory = 20;

        [DllImport("libc", EntryPoint = "statx", CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true, SetLastError = true)]
        private static extern int StatxWithError(int directory, string path, int flags, uint mask, ref byte buffer);

        [DllImport("libc", EntryPoint = "statx", CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
        private static extern int Statx(int directory, string path, int flags, uint mask, byte[] buffer);

        [DllImport("libSystem.Native", EntryPoint = "SystemNative_Stat", CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
        private static extern int NativeStat(string path, byte[] status);
    }

    /// <summary>What <see cref="SafeFile.TryStatus"/> tells of one file.</summary>
    /// <param name="Type">stat(2)'s type bits (mode &amp; S_IFMT).</param>
    /// <param name="Permissions">The permission bits (mode &amp; 07777).</param>
    /// <param name="Links">How many names (hard links) the file has.</param>
    /// <param name="Length">The size in bytes.</param>
    internal sealed record FileStatus(int Type, UnixFileMode Permissions, long Links, long Length)
    {
        public const int Regular = 0x8000;

        public const int Directory = 0x4000;

        public const int SymbolicLink = 0xA000;
    }

    /// <summary>
    /// A folder whose real path (every symbolic link on the way resolved) is worked out once, for reading many files
    /// listed in it: <c>route-batch</c> re-resolved its folder, component by component, for every proposal (about 25
    /// system calls each).
    /// </summary>
    internal sealed class ResolvedFolder
    {
        private readonly string _given;

        /// <summary>Resolves <paramref name="folder"/> (as the user gave it) once.</summary>
        public ResolvedFolder(string folder)
        {
            _given = Path.GetDirectoryName(Path.Join(folder, "x")) ?? folder;
            Root = RuleSetReadOptions.FullPath(folder);
            Real = SafeFile.RealPath(Root) ?? Root;
        }

        /// <summary>The folder's full path, as given (links not resolved): the root files must really be inside.</summary>
        public string Root { get; }

        /// <summary>The folder's real path.</summary>
        public string Real { get; }

        /// <summary>
        /// The real path of <paramref name="path"/> when it names a file directly in this folder (as
        /// <see cref="Directory.GetFiles(string)"/> lists them) and that name is not a symbolic link; otherwise null, and
        /// the caller resolves the path in full.
        /// </summary>
        public string? RealPathOf(string path)
        {
            if (!string.Equals(Path.GetDirectoryName(path), _given, StringComparison.Ordinal) || OperatingSystem.IsWindows())
            {
                return null;
            }

            var name = Path.GetFileName(path);
            if (name.Length == 0 || name is "." or ".." || new FileInfo(Path.Join(Root, name)).LinkTarget is not null)
            {
                return null;
            }

            return Real == "/" ? "/" + name : Real + "/" + name;
        }
    }
}
