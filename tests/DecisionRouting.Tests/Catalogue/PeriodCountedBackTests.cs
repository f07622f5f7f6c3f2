using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using DecisionRouting.Analyzers;
using DecisionRouting.Diagnostics;
using DecisionRouting.Proposals;
using DecisionRouting.Routing;
using DecisionRouting.RuleSets;
using DecisionRouting.Tests.Support;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using NodaTime;
using RuleSet = DecisionRouting.RuleSets.RuleSet;

namespace DecisionRouting.Tests.Catalogue;

/// <summary>
/// <c>periodEndsBeforeDate</c>: a period counted back from a date the proposal gives (DR0047–DR0049 at the name, the
/// same in the loader and the analyzer), and the dates a plan then gives, recomputed by the plan's own check.
/// </summary>
public sealed class PeriodCountedBackTests
{
    private const string Manifest = """
        {
          "name": "local",
          "attributes": {
            "firstDismissalDate": { "type": "date", "description": "First dismissal takes effect", "source": "TULRCA 1992 s188(1A)" },
            "dismissals": { "type": "number", "description": "How many", "source": "TULRCA 1992 s188" }
          }
        }
        """;

    private const string Rules = """{ "WorkflowName": "w", "Rules": [ { "RuleName": "R", "Expression": "true", "Properties": { "steps": [ "hr1", "decide" ], "source": "s" } } ] }""";

    private static string Catalogue(string hr1Extra) => $$"""
        { "roles": [ { "id": "hr", "name": "HR" } ], "bodies": [ { "id": "cabinet", "name": "Cabinet", "kind": "Executive" } ], "steps": [
          { "id": "hr1", "name": "HR1", "kind": "Notice", "role": "hr", {{hr1Extra}} },
          { "id": "decide", "name": "Decide", "kind": "Approval", "body": "cabinet" }
        ] }
        """;

    private static (RuleDiagnostic Diagnostic, string Expected) One(string hr1Extra, string id, string marker, string manifest = Manifest)
    {
        var catalogue = Catalogue(hr1Extra);
        using var set = TempRuleSet.With(catalogue: catalogue, rules: Rules, manifest: manifest);
        var found = Assert.Single(RuleSet.Validate(set.Directory).Diagnostics, d => d.Id == id);
        var (line, column) = Position.Of(catalogue, marker);
        return (found, $"{set.PathOf("catalogue.json")}({line},{column})");
    }

    private const string Counted = "\"duration\": { \"days\": 45, \"counting\": \"CalendarDays\", \"anchor\": \"FromStart\" }, \"periodEndsBefore\": \"the first dismissal\"";

    [Fact]
    public void DR0047_an_undeclared_attribute_is_reported_at_its_name_with_did_you_mean()
    {
        var (diagnostic, at) = One(Counted + ", \"periodEndsBeforeDate\": \"firstDismisalDate\"", "DR0047", "\"firstDismisalDate\"");
        Assert.Equal(at, diagnostic.Location.ToString());
        Assert.Contains("Step 'hr1' counts its period back from attribute 'firstDismisalDate'", diagnostic.Message);
        Assert.Contains("did you mean 'firstDismissalDate'?", diagnostic.Message);
        Assert.True(diagnostic.IsError);
    }

    [Fact]
    public void DR0048_an_attribute_that_is_not_a_date_is_reported_with_its_declared_type()
    {
        var (diagnostic, at) = One(Counted + ", \"periodEndsBeforeDate\": \"dismissals\"", "DR0048", "\"dismissals\"");
        Assert.Equal(at, diagnostic.Location.ToString());
        Assert.Contains("which 'local' declares as a number", diagnostic.Message);
    }

    [Theory]
    [InlineData("\"periodEndsBeforeDate\": \"firstDismissalDate\"", "has no duration")]
    [InlineData("\"duration\": { \"days\": 45, \"counting\": \"CalendarDays\" }, \"periodEndsBeforeDate\": \"firstDismissalDate\"", "anchor BeforeDecision")]
    public void DR0049_a_step_with_no_period_from_its_start_cannot_be_counted_back(string extra, string problem)
    {
        var (diagnostic, at) = One(extra, "DR0049", "\"firstDismissalDate\"");
        Assert.Equal(at, diagnostic.Location.ToString());
        Assert.Contains(problem, diagnostic.Message);
    }

    [Fact]
    public void An_extending_set_inherits_the_base_declaration_and_the_step_and_the_shipped_sets_are_clean()
    {
        Assert.DoesNotContain(RuleSet.Validate(Repository.PathOf("rules/england")).Diagnostics, d => d.Id is "DR0047" or "DR0048" or "DR0049");
        Assert.DoesNotContain(RuleSet.Validate(Repository.PathOf("rules/partnerships/durham")).Diagnostics, d => d.Id is "DR0047" or "DR0048" or "DR0049");
        Assert.Equal("firstDismissalDate", RuleSet.Load(Repository.PathOf("rules/partnerships/doncaster")).Steps["hr1-notification-45"].PeriodEndsBeforeDate);
    }

    [Fact]
    public async Task The_analyzer_reports_DR0047_at_the_same_file_line_and_column_as_the_loader()
    {
        var catalogue = Catalogue(Counted + ", \"periodEndsBeforeDate\": \"firstDismisalDate\"");
        using var set = TempRuleSet.With(catalogue: catalogue, rules: Rules, manifest: Manifest);
        var expected = RuleSet.Validate(set.Directory).Diagnostics.Where(d => d.Id == "DR0047").Select(d => d.ToString()).ToList();
        var compilation = CSharpCompilation.Create("Partner", new[] { CSharpSyntaxTree.ParseText("class C { }") }, DecisionRouting.Tests.Analyzers.AnalyzerHarness.References(withLibrary: false), new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        var files = Directory.GetFiles(set.Directory).Select(f => f.Replace('\\', '/')).ToArray();
        var actual = await compilation.WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(new RuleFileAnalyzer()), new AnalyzerOptions(DecisionRouting.Tests.Analyzers.AnalyzerHarness.AdditionalFiles(files))).GetAnalyzerDiagnosticsAsync();
        var formatted = actual.Where(d => d.Id == "DR0047").Select(d =>
        {
            var span = d.Location.GetLineSpan();
            return $"{span.Path}({span.StartLinePosition.Line + 1},{span.StartLinePosition.Character + 1}): error {d.Id}: {d.GetMessage()}";
        }).ToList();
        Assert.Single(expected);
        Assert.Equal(expected, formatted);
    }

    [Theory]
    [InlineData("2026-05-01", "2026-03-17")]
    [InlineData("2024-03-31", "2024-02-15")] // across February in a leap year
    public void A_plan_gives_the_latest_day_the_period_before_the_proposal_date_and_its_check_agrees(string firstDismissal, string latest)
    {
        using var set = TempRuleSet.With(catalogue: Catalogue(Counted + ", \"periodEndsBeforeDate\": \"firstDismissalDate\""), rules: Rules, manifest: Manifest);
        var proposal = new Proposal
        {
            Id = "p", Title = "p", DecisionMaker = DecisionMaker.Cabinet, IntendedDecisionDate = new LocalDate(2023, 1, 9),
            Kinds = new System.Collections.Generic.List<ProposalKind> { ProposalKind.Restructure },
            Attributes = new ProposalAttributes(new System.Collections.Generic.Dictionary<string, object> { ["firstDismissalDate"] = NodaTime.Text.LocalDatePattern.Iso.Parse(firstDismissal).Value }),
        };
        var plan = new Router(RuleSet.Load(set.Directory)).Route(proposal);
        Assert.Equal(NodaTime.Text.LocalDatePattern.Iso.Parse(latest).Value, plan.Find("hr1")!.Timing!.LatestDate);
        Assert.Empty(plan.Contradictions);
    }
}
