using System;
using System.Linq;
using System.Threading.Tasks;
using DecisionRouting.Lifecycle;
using DecisionRouting.Tests.Support;

namespace DecisionRouting.Tests.Stores;

/// <summary>
/// The decision record given with the decision (issue 18 §3): kept with the case, named by hash in the audit entry, and
/// covered by <see cref="AuditChain"/>, on every store, including a store written before records were kept.
/// </summary>
public abstract partial class ProposalStoreContract
{
    private const string RecordText = """{"caseId":"decided","decision":"Approve the pooled budget.","reasons":"It saves money.","alternatives":[],"interests":[]}""";

    private static readonly Actor Cabinet = new("Cabinet clerk", "cabinet");

    [Fact]
    public async Task A_decision_record_given_with_the_decision_is_kept_with_the_case_and_named_in_its_audit_entry()
    {
        var store = NewStore();
        var lifecycle = await ReadyToDecideAsync(store);

        var outcome = await lifecycle.FireAsync("decided", TriggerRequest.Complete("decide", Cabinet) with { DecisionRecord = RecordText });
        var reopened = Reopen(store);
        var kept = Assert.Single((await reopened.FindAsync("decided"))!.DecisionRecords);

        Assert.True(outcome.Accepted);
        Assert.Equal((RecordText, "CompleteStep", "Cabinet clerk"), (kept.Text, kept.Trigger, kept.By));
        Assert.Equal(AuditEntry.HashDocument(RecordText), kept.Sha256);
        Assert.Equal($"Decision record SHA-256 {kept.Sha256}", outcome.Audit.Detail);
        Assert.True(kept.IsRecordedBy((await reopened.HistoryAsync("decided"))[^1]));
        Assert.True((await AuditChain.VerifyAsync(reopened)).IsIntact);
    }

    [Theory]
    [InlineData("It saves money.", "It costs nothing.")]
    [InlineData("Approve the pooled budget.", "Refuse the pooled budget.")]
    public async Task A_decision_record_changed_in_the_store_fails_verify(string from, string to)
    {
        var store = NewStore();
        var lifecycle = await ReadyToDecideAsync(store);
        await lifecycle.FireAsync("decided", TriggerRequest.Complete("decide", Cabinet) with { DecisionRecord = RecordText });

        // Only an UPDATE of the case row: the record's text, its stored hash left as it was.
        await ExecuteAsync(store, $"UPDATE cases SET document = REPLACE(document, '{from}', '{to}') WHERE id = 'decided'");
        var result = await AuditChain.VerifyAsync(store);

        Assert.Contains(result.Problems, p => p.Contains("Case 'decided' was changed outside the lifecycle", StringComparison.Ordinal));

        // Nor is the changed record ever read back as the case's: the store refuses the row.
        var refused = await Assert.ThrowsAsync<CorruptCaseException>(() => store.FindAsync("decided"));
        Assert.Contains("its document is not the one its newest audit entry records", refused.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("start", "A decision record goes with the trigger that makes the decision")]
    [InlineData("other-step", "A decision record goes with the trigger that makes the decision")]
    [InlineData("not json", "The decision record is not JSON")]
    [InlineData("array", "The decision record must be a JSON object")]
    public async Task A_decision_record_with_the_wrong_trigger_or_not_an_object_is_refused_unaudited(string what, string expected)
    {
        var store = NewStore();
        var lifecycle = new ProposalLifecycle(store);
        await lifecycle.CreateAsync(DecidablePlan(), Clerk, "decided");
        var before = (await store.HistoryAsync("decided")).Count;
        var request = what switch
        {
            "start" => new TriggerRequest(CaseTrigger.Start, Clerk) { DecisionRecord = RecordText },
            "other-step" => TriggerRequest.Complete("sign-off", new Actor("Ann", "finance")) with { DecisionRecord = RecordText },
            "not json" => TriggerRequest.Complete("decide", Cabinet) with { DecisionRecord = "{\"decision\":" },
            _ => TriggerRequest.Complete("decide", Cabinet) with { DecisionRecord = "[]" },
        };

        var refused = await Assert.ThrowsAsync<InvalidTriggerException>(() => lifecycle.FireAsync("decided", request));

        Assert.StartsWith(expected, refused.Message, StringComparison.Ordinal);
        Assert.Equal(before, (await store.HistoryAsync("decided")).Count);
    }

    [Fact]
    public async Task A_store_written_before_records_were_kept_takes_a_record_and_verifies()
    {
        // The fixture written by the old CLI: format 1 entries, case documents without decisionRecords.
        var store = await FormatOneStoreAsync();
        var old = (await store.FindAsync(FixtureCase))!;
        Assert.Empty(old.DecisionRecords);
        Assert.True((await AuditChain.VerifyAsync(store)).IsIntact);

        // A new case in the old store is decided with a record; the old case still reads and verifies.
        var lifecycle = new ProposalLifecycle(store);
        await lifecycle.CreateAsync(DecidablePlan(), Clerk, "decided");
        await lifecycle.FireAsync("decided", new TriggerRequest(CaseTrigger.Start, Clerk));
        await lifecycle.FireAsync("decided", TriggerRequest.Complete("sign-off", new Actor("Ann", "finance")));
        var decided = await lifecycle.FireAsync("decided", TriggerRequest.Complete("decide", Cabinet) with { DecisionRecord = RecordText });

        Assert.True(decided.Accepted, string.Join("; ", decided.Reasons));
        Assert.Single((await Reopen(store).FindAsync("decided"))!.DecisionRecords);
        var verified = await AuditChain.VerifyAsync(Reopen(store));
        Assert.True(verified.IsIntact, string.Join("\n", verified.Problems));
    }

    /// <summary>A sign-off, then the decision (by the cabinet), with nothing else to wait for.</summary>
    private static CasePlan DecidablePlan() => new()
    {
        ProposalId = "decided",
        Title = "A decision with a record",
        RuleSetName = "synthetic",
        RuleSetHash = new string('b', 64),
        IntendedDecisionDate = new NodaTime.LocalDate(2026, 12, 1),
        DecisionStep = "decide",
        Steps =
        [
            new CaseStep { Id = "sign-off", Name = "Finance sign-off", Kind = StepKind.SignOff, Roles = ["finance"] },
            new CaseStep { Id = "decide", Name = "Cabinet decision", Kind = StepKind.Approval, Roles = ["cabinet"], After = ["sign-off"] },
        ],
    };

    private static async Task<ProposalLifecycle> ReadyToDecideAsync(IProposalStore store)
    {
        var lifecycle = new ProposalLifecycle(store);
        await lifecycle.CreateAsync(DecidablePlan(), Clerk, "decided");
        await lifecycle.FireAsync("decided", new TriggerRequest(CaseTrigger.Start, Clerk));
        Assert.True((await lifecycle.FireAsync("decided", TriggerRequest.Complete("sign-off", new Actor("Ann", "finance")))).Accepted);
        return lifecycle;
    }
}
