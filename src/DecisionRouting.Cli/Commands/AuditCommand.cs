using System.CommandLine;
using DecisionRouting.Lifecycle;

namespace DecisionRouting.Cli.Commands
{
    /// <summary><c>audit verify</c>: recompute the audit trail's hash chain and report any entry changed, removed or reordered.</summary>
    internal static class AuditCommand
    {
        public static Command Create(CliOutput output)
        {
            var store = new CaseStoreOptions();
            var verify = new Command("verify", "Check the audit trail's hash chain: exit 0 when intact, 1 with each problem when it was tampered with.");
            store.AddTo(verify);
            verify.SetAction(parse => store.Run(parse, output, async s =>
            {
                var result = await AuditChain.VerifyAsync(s).ConfigureAwait(false);
                if (result.IsIntact)
                {
                    output.Out.WriteLine($"Audit trail intact: {result.Entries} entries, hash chain verified.");
                    return ExitCodes.Success;
                }

                output.Out.WriteLine($"Audit trail TAMPERED: {result.Problems.Count} problem(s) in {result.Entries} entries:");
                foreach (var problem in result.Problems)
                {
                    output.Out.WriteLine($"  - {problem}");
                }

                return ExitCodes.ValidationErrors;
            }, mustExist: true));
            var command = new Command("audit", "Work with the audit trail of a case store.");
            command.Subcommands.Add(verify);
            return command;
        }
    }
}
