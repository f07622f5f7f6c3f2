using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using DecisionRouting.Cli;
using DecisionRouting.Graph;
using DecisionRouting.Lifecycle;
using DecisionRouting.Routing;
using DecisionRouting.Stores;
using DecisionRouting.Tests.Support;
using Microsoft.Data.Sqlite;

namespace DecisionRouting.Tests.Security;

/// <summary>
/// Breaker finding D7: line feeds, carriage returns and tabs inside values printed raw could forge plan and history
/// lines, because the terminal-safe writer lets line breaks through for the renderers' own lines. Every renderer is
/// given values that try to start a line of their own ("FORGED …"); no line of its text output may begin with one,
/// and JSON keeps the exact value.
/// </summary>
public sealed class LineForgeryTests : IDisposable
{
    private const string Id = "croydon-2013-integrated-commissioning-unit";

    /// <summary>A value that tries to end its line and print one of its own: line feed, CR LF, CR, tab, U+2028, NEL.</summary>
    private static readonly string[] Breaks = { "\n", "\r\n", "\r", "\t", "\u2028", "\u0085" };

    private readonly string _directory = Directory.CreateTempSubdirectory("dr-forge-").FullName;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    private static string Hostile(string what, int i = 0) => $"{what}{Breaks[i % Breaks.Length]}FORGED {what}";

    /// <summary>
    /// No line of <paramref name="text"/>, split the way a terminal or an editor would, begins with forged content; and
    /// no tab from a value starts a forged column (the renderers write no tabs of their own in text output).
    /// </summary>
    private static void NoForgedLine(string text)
    {
        foreach (var line in text.Split(new[] { "\r\n", "\n", "\r", "\u2028", "\u2029", "\u0085" }, StringSplitOptions.None))
        {
            Assert.False(line.TrimStart(' ', '\t', '#', '|', '-', '!', '?', '>').StartsWith("FORGED", StringComparison.Ordinal), $"forged line: [{line}] in\n{text}");
        }

        Assert.DoesNotContain("\tFORGED", text, StringComparison.Ordinal);
    }

    private static TempRuleSet HostileRules() => TempRuleSet.With(rules: """
        {
          "WorkflowName": "main",
          "Rules": [
            { "RuleName": "Big", "Expression": "true", "Properties": { "steps": [ "notice", "decision" ], "source": "s\nFORGED source", "reason": "r\r\nFORGED reason", "warning": "w\rFORGED warning" } }
          ]
        }
        """);

    private string HostileProposal()
    {
        var text = File.ReadAllText(Repository.PathOf($"samples/proposals/{Id}.json"))
            .Replace("Integrated Commissioning Unit for Health and Social Care", "ICU\\nFORGED title\\tx", StringComparison.Ordinal);
        var path = Path.Combine(_directory, "proposal.json");
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void Route_text_keeps_a_hostile_title_reason_source_and_warning_on_their_lines_and_json_keeps_them_exact()
    {
        using var rules = HostileRules();
        var proposal = HostileProposal();

        var text = InProcessCli.Run("route", proposal, "--rules", rules.Directory, "--today", "2013-06-01");
        var json = InProcessCli.Run("route", proposal, "--rules", rules.Directory, "--today", "2013-06-01", "--format", "json");
        var mermaid = InProcessCli.Run("route", proposal, "--rules", rules.Directory, "--today", "2013-06-01", "--format", "mermaid");

        Assert.Contains("Routing plan: ICU<U+000A>FORGED title<U+0009>x\n", text.Out);
        Assert.Contains("because: r<U+000D><U+000A>FORGED reason\n", text.Out);
        Assert.Contains("source: s<U+000A>FORGED source", text.Out);
        Assert.Contains("! w<U+000D>FORGED warning", text.Out);
        NoForgedLine(text.Out);
        NoForgedLine(mermaid.Out);
        Assert.Contains("\"title\": \"ICU\\nFORGED title\\tx\"", json.Out);
        Assert.Contains("r\\r\\nFORGED reason", json.Out);
    }

    [Fact]
    public void Explain_keeps_a_hostile_reason_and_source_on_their_lines()
    {
        using var rules = HostileRules();

        var explained = InProcessCli.Run("explain", HostileProposal(), "--rules", rules.Directory, "--today", "2013-06-01", "--step", "notice");

        Assert.Contains("  reason: r<U+000D><U+000A>FORGED reason\n", explained.Out);
        Assert.Contains("  source: s<U+000A>FORGED source\n", explained.Out);
        NoForgedLine(explained.Out);
    }

    [Fact]
    public void Plan_text_and_mermaid_keep_hostile_names_from_any_source_on_their_lines()
    {
        // Names with line breaks are refused at load (DR0068); a plan built in code is not loaded, so the renderers
        // must hold on their own. Every name, id and message the plan carries is made hostile.
        var routed = Plans.Seed("doncaster-2018-joint-commissioner-agreement", "doncaster", "2018-01-02");
        var n = 0;
        var steps = routed.Steps.Select(s => s with
        {
            Step = s.Step with { Name = Hostile("step name", n++) },
            Body = s.Body is null ? null : s.Body with { Name = Hostile("body name", n++) },
            Role = s.Role is null ? null : s.Role with { Name = Hostile("role name", n++) },
            RequiredBy = s.RequiredBy.Select(r => r with { Rule = Hostile("rule", n++), Reason = null }).ToList(),
        }).ToList();
        var plan = new RoutingPlan(
            routed.Proposal with { Title = Hostile("title", 1), Id = Hostile("id", 2) },
            Hostile("rule set", 3),
            routed.RuleSetHash,
            routed.MatchedRules.Select(r => r with { Workflow = Hostile("workflow", 4), Rule = Hostile("rule", 5) }).ToList(),
            steps,
            new[] { new PlanWarning(PlanWarningKind.RuleWarning, Hostile("warning", 0)) })
        {
            AsOf = routed.AsOf,
            Incomplete = new[] { new IncompleteRule(Hostile("workflow", 1), Hostile("rule", 2), IncompleteRuleKind.Undecided, Hostile("value", 5), Hostile("message", 3), new[] { Hostile("step", 4) }) },
        };

        var text = PlanText.Write(plan);
        var mermaid = PlanGraph.Format(plan, GraphFormat.Mermaid);
        var dot = PlanGraph.Format(plan, GraphFormat.Dot);

        Assert.Contains("Routing plan: title<U+000D><U+000A>FORGED title\n", text);
        Assert.Contains("step name<U+000A>FORGED step name", text);
        NoForgedLine(text);
        NoForgedLine(mermaid);
        NoForgedLine(dot);
        Assert.DoesNotContain('\t', text + mermaid + dot);
    }

    [Fact]
    public async Task Status_history_and_graphs_keep_hostile_step_ids_titles_and_reasons_on_their_lines()
    {
        // A plan the app froze itself (not loaded from rule files), and a reason typed by a person: both reach the store.
        var db = Path.Combine(_directory, "cases.db");
        var plan = Plans.Parallel(1, 2) with { Title = Hostile("title", 0), RuleSetName = Hostile("rule set", 1) };
        plan = plan with { Steps = plan.Steps.Select((s, i) => s with { Id = Hostile("step" + i, i) }).ToList() };
        {
            var store = new SqliteProposalStore(db);
            var lifecycle = new ProposalLifecycle(store);
            await lifecycle.CreateAsync(plan, new Actor("clerk", Array.Empty<string>()), "case-1");
            var refused = await lifecycle.FireAsync("case-1", new TriggerRequest(CaseTrigger.Withdraw, new Actor("clerk", "role-0")));
            Assert.False(refused.Accepted);
        }

        var status = InProcessCli.Run("proposal", "status", "case-1", "--db", db);
        var history = InProcessCli.Run("proposal", "history", "case-1", "--db", db);
        var mermaid = InProcessCli.Run("proposal", "graph", "case-1", "--db", db);
        var dot = InProcessCli.Run("proposal", "graph", "case-1", "--db", db, "--format", "dot");
        var json = InProcessCli.Run("proposal", "history", "case-1", "--db", db, "--format", "json");

        Assert.Contains("Case case-1: title<U+000A>FORGED title\n", status.Out);
        Assert.Contains("Rule set: rule set<U+000D><U+000A>FORGED rule set", status.Out);
        Assert.Contains("rule set<U+000D><U+000A>FORGED rule set", history.Out);
        Assert.Contains("step1<U+000D><U+000A>FORGED step1", mermaid.Out);
        foreach (var output in new[] { status.Out, history.Out, mermaid.Out, dot.Out })
        {
            NoForgedLine(output);
        }

        Assert.Contains("rule set\\r\\nFORGED rule set", json.Out);
    }

    [Fact]
    public void A_hostile_reason_for_accepting_an_incomplete_plan_stays_on_its_line_in_create_and_history()
    {
        // A rule reading an attribute the proposal does not give: the plan is incomplete, and accepting it needs a reason.
        using var rules = TempRuleSet.With(rules: Incomplete.UndecidedRuleTests.OneRule("proposal.Attributes.Number(\"localSpendCap\") < 50000", "UnderLocalCap"), manifest: Incomplete.UndecidedRuleTests.Manifest);
        var db = Path.Combine(_directory, "cases.db");
        var proposal = Path.Combine(_directory, "pooled.json");
        File.WriteAllText(proposal, """{ "id": "pooled", "title": "Pooled budget", "decisionMaker": "Cabinet", "intendedDecisionDate": "2024-06-03", "kinds": [ "PooledBudget" ], "financialCommitment": 1000 }""");

        var created = InProcessCli.Run("proposal", "create", proposal, "--rules", rules.Directory, "--today", "2024-01-02", "--db", db, "--actor", "clerk", "--accept-incomplete", "--reason", "cap set later\nFORGED reason");
        var history = InProcessCli.Run("proposal", "history", "pooled", "--db", db);
        var json = InProcessCli.Run("proposal", "history", "pooled", "--db", db, "--format", "json");

        Assert.Equal(0, created.Exit);
        Assert.Contains("cap set later<U+000A>FORGED reason", created.Out);
        Assert.Contains("cap set later<U+000A>FORGED reason", history.Out);
        NoForgedLine(created.Out + history.Out);
        Assert.Contains("cap set later\\nFORGED reason", json.Out);
    }

    [Fact]
    public void Diagnostics_quoting_a_hostile_reference_stay_on_one_line_in_the_cli_and_in_their_messages()
    {
        using var rules = TempRuleSet.With(rules: TempRuleSet.Rules.Replace("\"decision\" ]", "\"decision\", \"nope\\nFORGED step\", \"x\\r\\nFORGED y\" ]", StringComparison.Ordinal));

        var validated = InProcessCli.Run("validate", rules.Directory);
        var definition = DecisionRouting.RuleSets.RuleSet.Validate(rules.Directory);

        Assert.Equal(1, validated.Exit);
        Assert.Contains("nope<U+000A>FORGED step", validated.Out);
        NoForgedLine(validated.Out);
        Assert.All(definition.Diagnostics, d => Assert.DoesNotContain(d.Message, c => c is '\n' or '\r' or '\t'));
    }

    [Fact]
    public void The_markdown_catalogue_keeps_a_hostile_source_inside_its_table_cell()
    {
        using var root = new TempRuleSet();
        var set = Path.Combine(root.Directory, "local");
        Directory.CreateDirectory(set);
        File.WriteAllText(Path.Combine(set, "ruleset.json"), """{ "name": "local" }""");
        File.WriteAllText(Path.Combine(set, "catalogue.json"), TempRuleSet.Catalogue.Replace("\"kind\": \"Notice\",", "\"kind\": \"Notice\", \"source\": \"a\\r# FORGED heading\\u2028FORGED b\",", StringComparison.Ordinal));
        File.WriteAllText(Path.Combine(set, "main.rules.json"), TempRuleSet.Rules.Replace("test source", "s\\r\\n| FORGED | row |", StringComparison.Ordinal));

        var catalogue = InProcessCli.Run("catalogue", root.Directory);
        var law = InProcessCli.Run("catalogue", root.Directory, "--law-status");

        Assert.Equal(0, catalogue.Exit);
        Assert.Contains("FORGED", catalogue.Out);
        NoForgedLine(catalogue.Out);
        NoForgedLine(law.Out);
    }

    [Theory]
    [InlineData("\n")]
    [InlineData("\r")]
    [InlineData("\t")]
    [InlineData("\u001b[2K")]
    [InlineData("\u2028")]
    [InlineData("\u0085")]
    public void An_actor_with_a_control_character_is_refused_with_exit_2_before_anything_is_stored(string control)
    {
        var db = Path.Combine(_directory, "cases.db");
        var proposal = Repository.PathOf($"samples/proposals/{Id}.json");

        var created = InProcessCli.Run("proposal", "create", proposal, "--rules", Repository.PathOf("rules/partnerships/croydon"), "--today", "2013-06-01", "--db", db, "--actor", "Mal" + control + "FORGED line");
        var withId = InProcessCli.Run("proposal", "create", proposal, "--rules", Repository.PathOf("rules/partnerships/croydon"), "--today", "2013-06-01", "--db", db, "--id", "case" + control + "FORGED");
        var fired = InProcessCli.Run("proposal", "fire", Id, "withdraw", "--actor", "a" + control + "FORGED", "--role", "monitoring-officer", "--db", db);

        Assert.Equal((2, 2, 2), (created.Exit, withId.Exit, fired.Exit));
        Assert.Contains("decision-routing: --actor 'Mal<U+", created.Error);
        Assert.Contains("names are recorded in the audit trail and shown on one line", created.Error);
        Assert.Contains("decision-routing: --id 'case<U+", withId.Error);
        Assert.False(File.Exists(db), "nothing may be stored for a refused name");
        NoForgedLine(created.Error + withId.Error + fired.Error);
    }

    [Fact]
    public async Task The_lifecycle_refuses_actor_names_and_case_ids_with_control_characters_whoever_calls_it()
    {
        var store = new SqliteProposalStore(Path.Combine(_directory, "cases.db"));
        var lifecycle = new ProposalLifecycle(store);
        var plan = Plans.Parallel(1, 1);

        var badActor = await Assert.ThrowsAsync<InvalidTriggerException>(() => lifecycle.CreateAsync(plan, new Actor("a\u2028b", Array.Empty<string>())));
        var badId = await Assert.ThrowsAsync<InvalidTriggerException>(() => lifecycle.CreateAsync(plan, new Actor("clerk", Array.Empty<string>()), "x\ny"));
        await lifecycle.CreateAsync(plan, new Actor("clerk", Array.Empty<string>()), "ok");
        var badFire = await Assert.ThrowsAsync<InvalidTriggerException>(() => lifecycle.FireAsync("ok", new TriggerRequest(CaseTrigger.Withdraw, new Actor("a\rb", "role-0"))));

        Assert.Equal("The actor's name 'a<U+2028>b' contains a line separator (U+2028): names are recorded in the audit trail and shown on one line, so they may not hold control characters or line breaks", badActor.Problem);
        Assert.StartsWith("The case id 'x<U+000A>y' contains a line feed (U+000A)", badId.Problem);
        Assert.StartsWith("The actor's name 'a<U+000D>b' contains a carriage return (U+000D)", badFire.Problem);
        Assert.Single(await lifecycle.HistoryAsync("ok"));
    }

    /// <summary>The check the tests rely on catches a forged line however it is broken, and passes an escaped one.</summary>
    [Fact]
    public void The_check_itself_catches_a_forged_line_of_each_kind()
    {
        foreach (var hostile in Breaks.Select(b => "ok" + b + "FORGED"))
        {
            Assert.ThrowsAny<Exception>(() => NoForgedLine(hostile));
        }

        NoForgedLine("ok<U+000A>FORGED");
    }
}
