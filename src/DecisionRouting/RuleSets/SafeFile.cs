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
        public static string? ReadText(string path, string? root, long maxBytes, bool allowHardLinks = false)
        {
            var real = RealPath(path);
            if (real is null)
            {
                return null;
            }

            if (root is not null && !RuleSetReadOptions.IsInside(real, RealPath(root) ?? root))
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
                throw new RuleFileRefusedException(path, $"it has {links} hard links, so it is also reachable under another name, perhaps outside the rule tree '{root}', which no path check can see (allow hard links with RuleSetReadOptions.AllowHardLinks or --allow-hard-links)");
            }

            if (info.Length > maxBytes)
            {
                throw new RuleFileRefusedException(path, $"it is {info.Length:N0} bytes, over the limit of {maxBytes:N0} bytes");
            }

            // A length of zero is what pipes and devices report when their kind cannot be told: never open them.
            if (info.Length == 0)
            {
                return string.Empty;
            }

            // Read no more than the limit even if the file grows meanwhile.
            using var stream = new FileStream(real, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 4096, FileOptions.SequentialScan);
            var buffer = new byte[Math.Min(info.Length, maxBytes) + 1];
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

            using var reader = new StreamReader(new MemoryStream(buffer, 0, read), new UTF8Encoding(false), detectEncodingFromByteOrderMarks: true);
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

            var mode = BitConverter.ToInt32(status, 4) & 0xF000;
            return mode switch
            {
                0x8000 or 0x4000 => null,
                0x1000 => "a named pipe (FIFO)",
                0x2000 => "a character device",
                0x6000 => "a block device",
                0xC000 => "a socket",
                _ => "a special file",
            };
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

        [DllImport("libc", EntryPoint = "statx", CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
        private static extern int Statx(int directory, string path, int flags, uint mask, byte[] buffer);

        [DllImport("libSystem.Native", EntryPoint = "SystemNative_Stat", CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
        private static extern int NativeStat(string path, byte[] status);
    }
}
