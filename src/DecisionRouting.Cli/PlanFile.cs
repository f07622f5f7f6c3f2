using System;
using System.Buffers;
using System.IO;
using System.Text;

namespace DecisionRouting.Cli
{
    /// <summary>
    /// Writes one plan file for <c>route-batch</c> with as few system calls, and as little file-system work, as the
    /// content allows: the bytes are written in place over any earlier plan, and the file is cut only when the new plan
    /// is shorter.
    /// </summary>
    /// <remarks>
    /// <see cref="File.WriteAllText(string, string?)"/> truncates the file to zero and then preallocates it
    /// (ftruncate(2) then fallocate(2)). Re-running a batch over its own output freed and reallocated every block of
    /// every plan, and on a file system mounted with <c>discard</c> each freed extent waited for the device: most of the
    /// batch's system time, and time its threads spent asleep instead of on the second core. A rerun plan is almost
    /// always the same length, so writing over it leaves its blocks where they are.
    /// The bytes and the final length are exactly what <see cref="File.WriteAllText(string, string?)"/> wrote: the
    /// JSON in UTF-8 without a byte-order mark, then one line feed.
    /// </remarks>
    internal static class PlanFile
    {
        private static readonly UTF8Encoding Utf8NoMark = new(encoderShouldEmitUTF8Identifier: false);

        /// <summary>Writes <paramref name="json"/> and a line feed to <paramref name="path"/> (a full path), replacing what was there.</summary>
        /// <exception cref="IOException">The file cannot be opened or written.</exception>
        /// <exception cref="UnauthorizedAccessException">The file may not be written.</exception>
        public static void Write(string path, string json)
        {
            var length = Utf8NoMark.GetByteCount(json) + 1;
            var buffer = ArrayPool<byte>.Shared.Rent(length);
            try
            {
                var written = Utf8NoMark.GetBytes(json, buffer);
                buffer[written] = (byte)'\n';

                // FileShare.None takes an exclusive advisory lock, as File.WriteAllText's writer did with FileShare.Read,
                // without the statfs(2) .NET makes before a shared lock on a file opened for writing.
                using var handle = File.OpenHandle(path, FileMode.OpenOrCreate, FileAccess.Write, FileShare.None);
                RandomAccess.Write(handle, buffer.AsSpan(0, length), fileOffset: 0);
                if (RandomAccess.GetLength(handle) != length)
                {
                    RandomAccess.SetLength(handle, length);
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }
}
