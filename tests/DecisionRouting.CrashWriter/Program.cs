using System;
using System.Linq;
using System.Threading.Tasks;
using DecisionRouting.Lifecycle;
using DecisionRouting.Stores;

// Usage: crash-writer sqlite <file> <case-prefix> <cases> | postgres <connection> <case-prefix> <cases>
// Completes every step of cases <prefix>-0 … <prefix>-(n-1), printing "committed <sequence>" after each commit.
if (args.Length != 4)
{
    Console.Error.WriteLine("usage: crash-writer sqlite|postgres <file-or-connection> <case-prefix> <cases>");
    return 2;
}

IProposalStore store = args[0] == "postgres" ? new PostgreSqlProposalStore(args[1]) : new SqliteProposalStore(args[1]);
var lifecycle = new ProposalLifecycle(store);
var cases = int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture);
for (var c = 0; c < cases; c++)
{
    var id = $"{args[2]}-{c}";
    var current = await lifecycle.StatusAsync(id);
    foreach (var step in current.Case.Plan.Steps)
    {
        var actor = new Actor("writer", step.Roles);
        var outcome = await lifecycle.FireAsync(id, TriggerRequest.Complete(step.Id, actor));
        if (!outcome.Accepted)
        {
            Console.Error.WriteLine(string.Join("; ", outcome.Reasons));
            return 1;
        }

        Console.Out.WriteLine($"committed {outcome.Audit.Sequence}");
        Console.Out.Flush();
    }
}

await Task.CompletedTask;
return 0;
