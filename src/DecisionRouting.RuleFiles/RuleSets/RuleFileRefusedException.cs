using System;

namespace DecisionRouting.RuleSets
{
    /// <summary>
    /// Thrown by an <see cref="IRuleSetFileSystem"/> for a file it will not read: a symbolic link leading outside the
    /// rule tree, a device, pipe or other special file, or a file over the size limit. The reader reports it as DR0062
    /// at the file and reads on; nothing of the file's content is shown.
    /// </summary>
    public sealed class RuleFileRefusedException : Exception
    {
        /// <summary>Creates the exception for <paramref name="path"/> (as given) with the reason, in words.</summary>
        public RuleFileRefusedException(string path, string reason)
            : base($"'{path}' is not read: {reason}")
        {
            Path = path;
            Reason = reason;
        }

        /// <summary>The file, as it was asked for.</summary>
        public string Path { get; }

        /// <summary>Why it is not read: "it is a named pipe (FIFO), not a regular file", ….</summary>
        public string Reason { get; }
    }
}
