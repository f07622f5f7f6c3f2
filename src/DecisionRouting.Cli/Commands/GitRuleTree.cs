using System;
using System.ComponentModel;
using System.Diagnostics;
using System.Formats.Tar;
using System.IO;
using System.Linq;

namespace DecisionRouting.Cli.Commands
{
    /// <summary>
    /// A rule set as it was at a git revision (<c>diff --old git:&lt;rev&gt;</c>): the rule tree holding it is copied out
    /// of the repository with <c>git archive</c> into a temporary folder, so its <c>extends</c> between rule sets in the
    /// tree resolve as they did at that revision (<c>baseline:england</c> is built in and needs nothing).
    /// </summary>
    internal sealed class GitRuleTree : IDisposable
    {
        /// <summary>The prefix that marks a rule-set argument as a git revision.</summary>
        public const string Prefix = "git:";

        private readonly string _temporary;

        private GitRuleTree(string temporary, string ruleSet, string root, string commit)
        {
            _temporary = temporary;
            RuleSet = ruleSet;
            Root = root;
            Commit = commit;
        }

        /// <summary>The rule-set folder inside the copy.</summary>
        public string RuleSet { get; }

        /// <summary>The copied rule tree: the root every <c>extends</c> must stay inside.</summary>
        public string Root { get; }

        /// <summary>The full commit id the revision named.</summary>
        public string Commit { get; }

        /// <summary>Whether <paramref name="value"/> names a git revision (<c>git:&lt;rev&gt;</c> or <c>git:&lt;rev&gt;:&lt;path&gt;</c>).</summary>
        public static bool Names(string value) => value.StartsWith(Prefix, StringComparison.Ordinal);

        /// <summary>
        /// Copies the rule set <paramref name="path"/> (a folder path as it is, or was, on disk) at revision
        /// <paramref name="revision"/> of the repository holding it. The copy holds the nearest enclosing folder named
        /// <c>rules</c> (or <paramref name="rulesRoot"/> when given), else the rule-set folder alone.
        /// </summary>
        /// <exception cref="GitRuleTreeException">No git, no repository, an unknown revision, a path outside the repository or not in the tree at that revision.</exception>
        public static GitRuleTree Extract(string option, string revision, string path, string? rulesRoot)
        {
            if (revision.Length == 0 || revision.StartsWith('-') || revision.Any(char.IsControl))
            {
                throw new GitRuleTreeException($"{option}: '{revision}' is not a git revision (give a commit, branch or tag, e.g. git:HEAD~1 or git:main)");
            }

            var (repository, relative) = InRepository(option, path);
            var rootRelative = rulesRoot is null ? EnclosingRules(relative) : InRepository(option, rulesRoot).Relative;
            if (!Within(rootRelative, relative))
            {
                throw new GitRuleTreeException($"{option}: the rule set '{relative}' is not inside --rules-root '{rootRelative}'");
            }

            var commit = Git(option, repository, "rev-parse", "--verify", "--quiet", "--end-of-options", revision + "^{commit}");
            if (commit.Exit != 0)
            {
                throw new GitRuleTreeException($"{option}: no commit '{revision}' in the git repository at {repository}");
            }

            var id = commit.Text.Trim();
            var temporary = Directory.CreateTempSubdirectory("decision-routing-git-").FullName;
            try
            {
                var root = Path.Combine(temporary, "tree");
                Directory.CreateDirectory(root);
                Unpack(option, repository, id, rootRelative, root);
                var ruleSet = Path.Combine(root, Path.GetRelativePath(rootRelative.Length == 0 ? "." : rootRelative, relative.Length == 0 ? "." : relative));
                if (!Directory.Exists(ruleSet))
                {
                    throw new GitRuleTreeException($"{option}: '{relative}' is not a folder at revision {revision} ({id[..12]})");
                }

                return new GitRuleTree(temporary, Path.GetFullPath(ruleSet), root, id);
            }
            catch
            {
                Directory.Delete(temporary, recursive: true);
                throw;
            }
        }

        /// <summary>Removes the copy.</summary>
        public void Dispose()
        {
            try
            {
                Directory.Delete(_temporary, recursive: true);
            }
            catch (IOException)
            {
                // A temporary folder left behind is named decision-routing-git-*; the report is what matters.
            }
        }

        /// <summary>The repository's top folder and <paramref name="path"/> relative to it ('/'-separated, "" for the top).</summary>
        private static (string Repository, string Relative) InRepository(string option, string path)
        {
            // The path may no longer exist on disk (a rule set deleted since): git is asked from its nearest existing
            // folder, and the rest of the path is appended as written.
            var full = Path.GetFullPath(path);
            var existing = full;
            var missing = string.Empty;
            while (!Directory.Exists(existing))
            {
                var parent = Path.GetDirectoryName(existing);
                if (parent is null)
                {
                    break;
                }

                missing = missing.Length == 0 ? Path.GetFileName(existing) : Path.GetFileName(existing) + "/" + missing;
                existing = parent;
            }

            var top = Git(option, existing, "rev-parse", "--show-toplevel");
            if (top.Exit != 0)
            {
                throw new GitRuleTreeException($"{option}: {path} is not inside a git repository, so there is no revision to read it at");
            }

            // --show-prefix is relative to the real top folder, so symbolic links on the way (/tmp, /var) do not matter.
            var prefix = Git(option, existing, "rev-parse", "--show-prefix").Text.Trim().TrimEnd('/');
            var relative = string.Join('/', new[] { prefix, missing }.Where(p => p.Length > 0));
            if (relative.Split('/').Contains(".."))
            {
                throw new GitRuleTreeException($"{option}: {path} is outside the git repository at {top.Text.Trim()}");
            }

            return (top.Text.Trim(), relative);
        }

        private static string EnclosingRules(string relative)
        {
            var parts = relative.Split('/', StringSplitOptions.RemoveEmptyEntries);
            for (var i = parts.Length - 1; i >= 0; i--)
            {
                if (parts[i] == "rules")
                {
                    return string.Join('/', parts.Take(i + 1));
                }
            }

            return relative;
        }

        private static bool Within(string root, string path) =>
            root.Length == 0 || path == root || path.StartsWith(root + "/", StringComparison.Ordinal);

        /// <summary>Writes the regular files and folders under <paramref name="from"/> at <paramref name="commit"/> into <paramref name="to"/>.</summary>
        private static void Unpack(string option, string repository, string commit, string from, string to)
        {
            var start = Start(repository, "archive", "--format=tar", commit, "--", from.Length == 0 ? "." : from);
            using var process = StartProcess(option, start);
            var error = process.StandardError.ReadToEndAsync();
            var prefix = from.Length == 0 ? string.Empty : from + "/";
            try
            {
                using var reader = new TarReader(process.StandardOutput.BaseStream);
                while (reader.GetNextEntry() is { } entry)
                {
                    var name = entry.Name.StartsWith(prefix, StringComparison.Ordinal) ? entry.Name[prefix.Length..] : entry.Name;
                    if (name.Length == 0 || name == "pax_global_header" || entry.EntryType is TarEntryType.GlobalExtendedAttributes)
                    {
                        continue;
                    }

                    // git archive writes only names inside the tree; a name that would leave the copy is refused anyway.
                    var target = Path.GetFullPath(Path.Combine(to, name));
                    if (!target.StartsWith(Path.GetFullPath(to) + Path.DirectorySeparatorChar, StringComparison.Ordinal))
                    {
                        throw new GitRuleTreeException($"{option}: the archive of {commit[..12]} names '{name}', outside the rule tree");
                    }

                    if (entry.EntryType == TarEntryType.Directory)
                    {
                        Directory.CreateDirectory(target);
                    }
                    else if (entry.EntryType is TarEntryType.RegularFile or TarEntryType.V7RegularFile)
                    {
                        // Symbolic links are not copied: the loader reads only regular files inside the tree anyway, and
                        // a link in the copy would lead out of it.
                        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                        entry.ExtractToFile(target, overwrite: false);
                    }
                }
            }
            catch (Exception e) when (e is InvalidDataException or EndOfStreamException)
            {
                // git wrote no archive (its message below says why).
            }

            process.WaitForExit();
            if (process.ExitCode != 0)
            {
                var message = error.Result.Trim();
                throw new GitRuleTreeException(message.Contains("did not match any files", StringComparison.Ordinal)
                    ? $"{option}: '{(from.Length == 0 ? "." : from)}' is not in the tree at {commit[..12]}"
                    : $"{option}: git archive failed: {Fields.OneLine(message)}");
            }
        }

        private static (int Exit, string Text) Git(string option, string directory, params string[] args)
        {
            using var process = StartProcess(option, Start(directory, args));
            var error = process.StandardError.ReadToEndAsync();
            var text = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            _ = error.Result;
            return (process.ExitCode, text);
        }

        private static ProcessStartInfo Start(string directory, params string[] args)
        {
            var start = new ProcessStartInfo("git") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            start.ArgumentList.Add("-C");
            start.ArgumentList.Add(directory);
            foreach (var arg in args)
            {
                start.ArgumentList.Add(arg);
            }

            // Never wait on a prompt, and never let the user's pager or a replaced object change what is read.
            start.Environment["GIT_TERMINAL_PROMPT"] = "0";
            start.Environment["GIT_NO_REPLACE_OBJECTS"] = "1";
            return start;
        }

        private static Process StartProcess(string option, ProcessStartInfo start)
        {
            try
            {
                return Process.Start(start) ?? throw new GitRuleTreeException($"{option}: git could not be started");
            }
            catch (Win32Exception)
            {
                throw new GitRuleTreeException($"{option}: reading a rule set at a git revision needs the 'git' command, which is not installed (not found on PATH); install git or give a folder");
            }
        }
    }

    /// <summary>A git revision could not be read; the message names the option and why (exit 2).</summary>
    internal sealed class GitRuleTreeException : Exception
    {
        public GitRuleTreeException(string message)
            : base(message)
        {
        }
    }
}
