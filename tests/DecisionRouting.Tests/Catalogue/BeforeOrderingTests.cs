using System;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using DecisionRouting.Lifecycle;
using DecisionRouting.Proposals;
using DecisionRouting.Routing;
using DecisionRouting.RuleSets;
using DecisionRouting.Stores;
using DecisionRouting.Tests.Support;
using Microsoft.Data.Sqlite;
using NodaTime;
using NodaTime.Text;

namespace DecisionRouting.Tests.Catalogue;

/// <summary>
/// <c>before</c>, the mirror of <c>after</c>: a step written as "before the decision" is staged, dated and guarded
/// exactly as if the decision had named it in <c>after</c>.
/// </summary>
public sealed class BeforeOrderingTests : IDisposable
{
    /// <summary>These temporary partnerships extend the shipped rules by absolute path, from outside their tree: allowed explicitly.</summary>
    private static readonly RuleSetReadOptions ExtendsShippedRules = new() { ExtendsRoot = "/", AllowAbsoluteExtends = true };

    private const string Sample = "croydon-2013-integrated-commissioning-unit";
    private static readonly Actor Clerk = new("Dem Services", "democratic-services");
    private readonly string _directory = Directory.CreateTempSubdirectory("dr-before-").FullName;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    /// <summary>Croydon plus a 42-day consultation on spending over £2m; <paramref name="ordering"/> is spliced into the step.</summary>
    private static TempRuleSet SpendingConsultation(string ordering)
    {
        var set = new TempRuleSet();
        set.Write("ruleset.json", $$"""{ "name": "croydon-spending", "extends": "{{Repository.PathOf("rules/partnerships/croydon").Replace('\\', '/')}}" }""");
        set.Write("catalogue.json", $$"""
            { "steps": [
              { "id": "spending-consultation", "name": "Consult residents on spending over £2m", "kind": "Consultation", "role": "commissioning-lead",
                "duration": { "days": 42, "counting": "CalendarDays" }{{ordering}}, "source": "test constitution 4.7" }
            ] }
            """);
        set.Write("spending.rules.json", """
            { "WorkflowName": "spending", "Rules": [
              { "RuleName": "SpendingOverTwoMillion", "Expression": "proposal.FinancialCommitment > 2000000",
                "Properties": { "steps": [ "spending-consultation" ], "source": "test constitution 4.7", "reason": "Spending over £2m needs six weeks' consultation before Cabinet decides." } }
            ] }
            """);
        return set;
    }

    private static RoutingPlan Route(TempRuleSet set)
    {
        var proposal = ProposalReader.ReadFile(Repository.PathOf($"samples/proposals/{Sample}.json")).Proposal! with { FinancialCommitment = 2_500_000m };
        var clock = new ManualClock(Instant.FromUtc(2013, 6, 1, 12, 0));
        return new Router(RuleSet.Load(set.Directory, ExtendsShippedRules), new RoutingOptions { Clock = clock }).Route(proposal);
    }

    [Fact]
    public void A_consultation_before_cabinet_is_staged_before_it_and_dated_to_end_by_the_decision()
    {
        using var set = SpendingConsultation(""", "before": [ "cabinet-decision" ]""");
        var plan = Route(set);

        var consultation = plan.Find("spending-consultation")!;
        var cabinet = plan.Find("cabinet-decision")!;
        Assert.Equal("cabinet-decision", plan.DecisionStep);
        Assert.True(consultation.Stage < cabinet.Stage, $"consultation stage {consultation.Stage}, cabinet {cabinet.Stage}");
        Assert.Contains("spending-consultation", cabinet.After);

        // Latest start: 42 calendar days, counting the first, from Tue 4 Jun 2013 end on Mon 15 Jul 2013, the decision.
        Assert.Equal(new LocalDate(2013, 7, 15), consultation.Timing!.LatestDate);
        Assert.Equal(new LocalDate(2013, 6, 4), consultation.Timing.LatestStart);
        Assert.DoesNotContain(RuleSet.Validate(set.Directory, ExtendsShippedRules).Diagnostics, d => d.Id == "DR0042");
    }

    [Fact]
    public void Without_before_the_consultation_is_in_stage_one_undated_unordered_and_warned_about()
    {
        using var set = SpendingConsultation(string.Empty);
        var plan = Route(set);

        var consultation = plan.Find("spending-consultation")!;
        Assert.Equal(1, consultation.Stage);
        Assert.Null(consultation.Timing!.LatestDate);
        Assert.DoesNotContain("spending-consultation", plan.Find("cabinet-decision")!.After);
        var warning = Assert.Single(RuleSet.Validate(set.Directory, ExtendsShippedRules).Diagnostics, d => d.Id == "DR0042");
        Assert.Contains("'spending-consultation' runs for 42 calendar days", warning.Message);
    }

    [Fact]
    public async Task The_case_refuses_the_cabinet_decision_until_the_before_consultation_is_complete()
    {
        using var set = SpendingConsultation(""", "before": [ "cabinet-decision" ]""");
        var plan = Route(set);
        var store = new SqliteProposalStore(Path.Combine(_directory, "cases.db"));
        var clock = new ManualClock(At("2013-06-01T09:00"));
        var lifecycle = new ProposalLifecycle(store, new LifecycleOptions { Clock = clock });
        var created = await lifecycle.CreateAsync(plan, Clerk);
        await Fire(new TriggerRequest(CaseTrigger.Start, Clerk), "2013-06-01T09:00", accepted: true);

        // Everything else the decision waits for, done in good time, each once its own predecessors are.
        var others = created.Plan.Ancestors("cabinet-decision").Where(a => a != "spending-consultation").ToHashSet();
        for (var round = 0; round < others.Count; round++)
        {
            var status = await lifecycle.StatusAsync(created.Id, At("2013-06-03T10:00"));
            if (status.Permitted.FirstOrDefault(p => p.Step is { } st && others.Contains(st)) is not { } next)
            {
                break;
            }

            await Fire(TriggerRequest.Complete(next.Step!, new Actor("Officer", next.Roles)), "2013-06-03T10:00", accepted: true);
        }

        var ready = (await lifecycle.StatusAsync(created.Id)).Case;
        Assert.All(others, id => Assert.True(ready.IsComplete(id), id));

        // The consultation runs for 42 days from its start, so its start is recorded (by its latest start, Tue 4 Jun).
        var lead = new Actor("Lead", "commissioning-lead");
        await Fire(new TriggerRequest(CaseTrigger.StartStep, lead) { Step = "spending-consultation" }, "2013-06-03T10:00", accepted: true);

        var cabinetClerk = new Actor("Cabinet Clerk", "clerk-to-cabinet");
        var refused = await Fire(TriggerRequest.Complete("cabinet-decision", cabinetClerk), "2013-07-15T19:00", accepted: false);
        Assert.Contains(refused.Reasons, r => r.Contains("(spending-consultation) must be completed first", StringComparison.Ordinal));
        Assert.DoesNotContain(refused.Reasons, r => r.Contains("has not happened yet", StringComparison.Ordinal));

        await Fire(TriggerRequest.Complete("spending-consultation", lead), "2013-07-15T09:00", accepted: true);
        await Fire(TriggerRequest.Complete("cabinet-decision", cabinetClerk), "2013-07-15T19:00", accepted: true);

        // Each trigger is recorded once it has happened: the clock is never behind the trigger's time, so a refusal is
        // for the ordering, not because the trigger is dated in the future.
        async Task<FireOutcome> Fire(TriggerRequest request, string at, bool accepted)
        {
            if (At(at) > clock.Now)
            {
                clock.Now = At(at).Plus(NodaTime.Duration.FromHours(1));
            }

            var outcome = await lifecycle.FireAsync(created.Id, request with { At = At(at) });
            Assert.True(outcome.Accepted == accepted, $"{request.Trigger} {request.Step}: {string.Join("; ", outcome.Reasons)}");
            return outcome;
        }
    }

    [Fact]
    public void Before_orders_through_steps_that_are_not_required_as_after_does()
    {
        var catalogue = """
            { "steps": [
              { "id": "consult", "name": "Consult", "kind": "Consultation", "duration": { "days": 10, "counting": "CalendarDays" }, "before": [ "review" ] },
              { "id": "review", "name": "Review", "kind": "Record" },
              { "id": "decide", "name": "Decide", "kind": "Approval", "after": [ "review" ] }
            ] }
            """;
        var rules = """{ "WorkflowName": "w", "Rules": [ { "RuleName": "R", "Expression": "true", "Properties": { "steps": [ "decide", "consult" ], "source": "s" } } ] }""";
        using var set = TempRuleSet.With(catalogue: catalogue, rules: rules);
        var definition = RuleSet.Validate(set.Directory, ExtendsShippedRules);
        Assert.Empty(definition.Diagnostics);
        Assert.Equal(new[] { "review" }, definition.Predecessors["decide"]);
        Assert.Equal(new[] { "consult" }, definition.Predecessors["review"]);

        var plan = new Router(RuleSet.Load(set.Directory, ExtendsShippedRules)).Route(new Proposal
        {
            Id = "p", Title = "t", DecisionMaker = DecisionMaker.Cabinet, IntendedDecisionDate = new LocalDate(2020, 1, 1), Kinds = new[] { ProposalKind.Mou },
        });
        Assert.Equal(new[] { "consult", "decide" }, plan.Steps.Select(s => s.Id));
        Assert.Equal(new[] { "consult" }, plan.Find("decide")!.After);
        Assert.Equal(2, plan.Find("decide")!.Stage);
    }

    [Fact]
    public void A_circle_closed_by_before_is_the_ordering_cycle_error_at_the_before_entry()
    {
        var catalogue = """
            { "steps": [
              { "id": "a", "name": "A", "kind": "SignOff", "after": [ "b" ], "before": [ "c" ] },
              { "id": "b", "name": "B", "kind": "Approval" },
              { "id": "c", "name": "C", "kind": "Record", "before": [ "b" ] }
            ] }
            """;
        using var set = TempRuleSet.With(catalogue: catalogue, rules: """{ "WorkflowName": "w", "Rules": [ { "RuleName": "R", "Expression": "true" } ] }""");
        var cycle = Assert.Single(RuleSet.Validate(set.Directory, ExtendsShippedRules).Diagnostics, d => d.Id == "DR0015");
        // a waits for b, b for c (c is before b), c for a (a is before c): the circle closes at a's "before".
        var (line, column) = Position.Of(catalogue, "[ \"c\" ]", 1);
        Assert.Equal($"{set.PathOf("catalogue.json")}({line},{column + 2})", cycle.Location.ToString());
        Assert.Contains("'a' → 'b' → 'c' → 'a'", cycle.Message);
    }

    [Fact]
    public void An_unknown_step_in_before_is_reported_with_did_you_mean()
    {
        var catalogue = TempRuleSet.Catalogue.Replace("\"role\": \"s151-officer\",", "\"role\": \"s151-officer\", \"before\": [ \"decisoin\" ],");
        using var set = TempRuleSet.With(catalogue: catalogue);
        var unknown = Assert.Single(RuleSet.Validate(set.Directory, ExtendsShippedRules).Diagnostics, d => d.Id == "DR0012");
        var (line, column) = Position.Of(catalogue, "\"decisoin\"");
        Assert.Equal($"{set.PathOf("catalogue.json")}({line},{column})", unknown.Location.ToString());
        Assert.Contains("did you mean 'decision'?", unknown.Message);
    }

    [Fact]
    public void A_step_before_another_in_its_parallel_group_is_reported()
    {
        var catalogue = """
            { "steps": [
              { "id": "finance", "name": "Finance", "kind": "SignOff", "parallelGroup": "implications", "before": [ "legal" ] },
              { "id": "legal", "name": "Legal", "kind": "SignOff", "parallelGroup": "implications" },
              { "id": "decide", "name": "Decide", "kind": "Approval", "after": [ "finance", "legal" ] }
            ] }
            """;
        using var set = TempRuleSet.With(catalogue: catalogue, rules: """{ "WorkflowName": "w", "Rules": [ { "RuleName": "R", "Expression": "true" } ] }""");
        var ordered = Assert.Single(RuleSet.Validate(set.Directory, ExtendsShippedRules).Diagnostics, d => d.Id == "DR0023");
        var (line, column) = Position.Of(catalogue, "\"legal\"", 2);
        Assert.Equal($"{set.PathOf("catalogue.json")}({line},{column})", ordered.Location.ToString());
        Assert.Contains("must come after it", ordered.Message);
    }

    private static Instant At(string london) =>
        LocalDateTimePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd'T'HH':'mm").Parse(london).Value.InZoneLeniently(DateTimeZoneProviders.Tzdb["Europe/London"]).ToInstant();
}
