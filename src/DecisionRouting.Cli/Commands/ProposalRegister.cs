using System;
using System.IO;
using System.Linq;
using DecisionRouting.Proposals;
using DecisionRouting.RuleSets;

namespace DecisionRouting.Cli.Commands
{
    /// <summary>
    /// A register: a folder of proposal JSON files, every <c>*.json</c> directly inside it in ordinal order, read as
    /// <c>route-batch</c> and <c>diff</c> read it. The folder is its own root: a symbolic link in it is followed only to a
    /// file inside it, and pipes, devices and oversized files are refused (DR0062) like any invalid proposal.
    /// </summary>
    internal sealed class ProposalRegister
    {
        private readonly ResolvedFolder _folder;

        private ProposalRegister(ResolvedFolder folder, string[] files)
        {
            _folder = folder;
            Files = files;
        }

        /// <summary>The proposal files, in ordinal order of their paths.</summary>
        public string[] Files { get; }

        /// <summary>Opens the register, or writes why not (exit 2) and returns null.</summary>
        public static ProposalRegister? Open(string folder, CliOutput output, out int exitCode)
        {
            exitCode = ExitCodes.Success;
            if (TryOpen(folder, out var refusal) is { } register)
            {
                return register;
            }

            exitCode = output.BadInput(refusal!);
            return null;
        }

        /// <summary>
        /// Opens the register, or returns null and the one line that says why not, without writing it: <c>route-batch</c>
        /// opens the register while the rule set loads and reports a refusal only once the rule set has loaded.
        /// </summary>
        public static ProposalRegister? TryOpen(string folder, out string? refusal)
        {
            refusal = null;
            if (!Directory.Exists(folder))
            {
                refusal = $"{folder}: proposals folder not found";
                return null;
            }

            // The folder's real path is resolved once, not per file.
            ResolvedFolder resolved;
            try
            {
                resolved = new ResolvedFolder(folder);
            }
            catch (RuleFileRefusedException e)
            {
                refusal = $"{folder}: proposals folder refused: {e.Reason}";
                return null;
            }

            return new ProposalRegister(resolved, Directory.GetFiles(folder, "*.json").OrderBy(f => f, StringComparer.Ordinal).ToArray());
        }

        /// <summary>Reads one of <see cref="Files"/>; thread-safe.</summary>
        public ProposalReadResult Read(string file) => ProposalReader.ReadFile(file, _folder);
    }
}
