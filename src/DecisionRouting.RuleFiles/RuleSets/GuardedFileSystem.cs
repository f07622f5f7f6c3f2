using System.Collections.Generic;
using DecisionRouting.Diagnostics;
using DecisionRouting.Text;

namespace DecisionRouting.RuleSets
{
    /// <summary>
    /// The one place a refused file becomes a diagnostic: the reader reads every file through this, so a file the file
    /// system will not read (DR0062) is reported once, as a root cause, and then read as absent.
    /// </summary>
    internal sealed class GuardedFileSystem : IRuleSetFileSystem
    {
        private readonly IRuleSetFileSystem _inner;
        private readonly DiagnosticBag _diagnostics;
        private readonly HashSet<string> _refused = new(System.StringComparer.Ordinal);

        public GuardedFileSystem(IRuleSetFileSystem inner, DiagnosticBag diagnostics)
        {
            _inner = inner;
            _diagnostics = diagnostics;
        }

        public bool DirectoryExists(string path) => _inner.DirectoryExists(path);

        public IEnumerable<string> EnumerateFiles(string directory) => _inner.EnumerateFiles(directory);

        public string? ReadAllText(string path)
        {
            if (_refused.Contains(path))
            {
                return null;
            }

            try
            {
                return _inner.ReadAllText(path);
            }
            catch (RuleFileRefusedException e)
            {
                _refused.Add(path);
                _diagnostics.Report(DiagnosticDescriptors.FileRefused, SourceLocation.ForPath(path), RulePaths.FileName(path), e.Reason);
                return null;
            }
        }

        /// <summary>Whether a file was refused, so a refused manifest is not mistaken for a folder without one.</summary>
        public bool WasRefused(string path) => _refused.Contains(path);
    }
}
