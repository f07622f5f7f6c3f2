using System.IO;
using DecisionRouting.RuleSets;

namespace DecisionRouting.Cli.Commands
{
    /// <summary>Whether a <c>--rules</c> or <c>validate</c> argument is worth handing to the loader.</summary>
    internal static class RuleSetFolder
    {
        /// <summary>
        /// True for a folder on disk and for anything written as a reference (<c>baseline:england</c>, or a misspelt
        /// <c>basline:england</c>), which is not on disk: the loader resolves it, or reports DR0093/DR0094 for it, as it
        /// does for an <c>extends</c>. Only a plain path that is not there is "not found" here.
        /// </summary>
        public static bool Exists(string path) =>
            Directory.Exists(path) || RuleSetBaselines.IsReference(path) || !RuleSetReference.IsResolvable(RulePaths.Normalize(path));
    }
}
