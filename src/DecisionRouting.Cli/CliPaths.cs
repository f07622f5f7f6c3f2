using System;
using System.Collections.Generic;
using System.CommandLine;
using System.IO;
using System.Text;

namespace DecisionRouting.Cli
{
    /// <summary>
    /// The one home for how the CLI treats the files and folders a user names, and the output it writes: a path value
    /// is checked when the command line is parsed, and a failure to read or write one is the user's input or
    /// environment (exit 2, one line naming the option or output), never "internal error" (exit 3).
    /// </summary>
    internal static class CliPaths
    {
        /// <summary>
        /// Every option and argument, in any command, whose value names a file or folder. Checked by name so a new
        /// command that reuses one of these names is covered without remembering to opt in.
        /// </summary>
        private static readonly HashSet<string> PathSymbols = new(StringComparer.Ordinal)
        {
            "--rules-root", "--rules", "--holidays", "--db", "--output", "--anchor-file",
            "--old", "--new", "--proposals", "ruleset-dir",
            "rules", "rules-dir", "proposal", "proposals",
        };

        /// <summary>
        /// Adds the path check to every path-valued option and argument under <paramref name="command"/>: an empty
        /// value (which the file APIs reject with <see cref="ArgumentException"/>) or one containing NUL is a bad
        /// option value, reported by the parser like any other.
        /// </summary>
        public static void ValidatePathValues(Command command)
        {
            foreach (var option in command.Options)
            {
                if (PathSymbols.Contains(option.Name))
                {
                    var name = option.Name;
                    option.Validators.Add(result => Check(result, name));
                }
            }

            foreach (var argument in command.Arguments)
            {
                if (PathSymbols.Contains(argument.Name))
                {
                    var name = $"<{argument.Name}>";
                    argument.Validators.Add(result => Check(result, name));
                }
            }

            foreach (var sub in command.Subcommands)
            {
                ValidatePathValues(sub);
            }
        }

        private static void Check(System.CommandLine.Parsing.SymbolResult result, string name)
        {
            foreach (var token in result.Tokens)
            {
                if (token.Value.Length == 0)
                {
                    result.AddError($"{name}: the value is empty; give the path of a file or folder");
                }
                else if (token.Value.Contains('\0', StringComparison.Ordinal))
                {
                    result.AddError($"{name}: the path contains a NUL character");
                }
            }
        }

        /// <summary>
        /// Runs a file-system action on a path the user gave, turning the ways it fails because of that path or the
        /// file system (missing folder, a directory or device where a file was wanted, no permission, disk full, name
        /// too long, invalid path) into <see cref="UserIOException"/> naming <paramref name="concerning"/>.
        /// </summary>
        public static void Guard(string concerning, Action action)
        {
            try
            {
                action();
            }
            catch (Exception e) when (IsPathFailure(e))
            {
                throw new UserIOException(concerning, e);
            }
        }

        /// <summary>Whether an exception is a failure of a user-named path or of the file system, not a fault in our code.</summary>
        public static bool IsPathFailure(Exception e) =>
            e is IOException or UnauthorizedAccessException or NotSupportedException or System.Security.SecurityException
            || (e is ArgumentException && e is not ArgumentNullException);
    }

    /// <summary>A user-named file, folder or output could not be read or written; the message names which (exit 2).</summary>
    internal sealed class UserIOException : IOException
    {
        public UserIOException(string concerning, Exception inner)
            : base($"{concerning}: {inner.Message}", inner)
        {
        }
    }

    /// <summary>
    /// Forwards to a console stream, turning a failed write (a closed pipe aside, a full disk, a device that refuses)
    /// into <see cref="UserIOException"/> naming the stream, so the CLI reports it as exit 2 instead of a crash.
    /// </summary>
    internal sealed class NamedOutput : TextWriter
    {
        private readonly TextWriter _inner;
        private readonly string _name;

        public NamedOutput(TextWriter inner, string name)
        {
            _inner = inner;
            _name = name;
            NewLine = inner.NewLine;
        }

        /// <summary>Set once a write has failed: later writes are dropped, so the one failure is reported once.</summary>
        public bool Failed { get; private set; }

        public override Encoding Encoding => _inner.Encoding;

        public override void Write(char value) => Do(() => _inner.Write(value));

        public override void Write(string? value) => Do(() => _inner.Write(value));

        public override void Write(char[] buffer, int index, int count) => Do(() => _inner.Write(buffer, index, count));

        public override void Flush() => Do(_inner.Flush);

        private void Do(Action write)
        {
            if (Failed)
            {
                return;
            }

            try
            {
                write();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ObjectDisposedException)
            {
                Failed = true;
                throw new UserIOException($"cannot write to {_name}", e);
            }
        }
    }
}
