using System;
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using DecisionRouting.Tests.Support;
using Snapshooter;
using Snapshooter.Xunit;

namespace DecisionRouting.Tests.Cli;

/// <summary>
/// <c>forward-plan</c>: the notice of key decisions checked item by item against SI 2012/2089 reg 9(1)(a)–(h), with
/// reg 5 (private meetings), reg 10 (general exception) and reg 11 (special urgency), in Markdown and in HTML parsed as XML.
/// </summary>
public sealed class ForwardPlanTests : IDisposable
{
    private const string Croydon = "croydon-2013-integrated-commissioning-unit";
    private readonly string _root = Directory.CreateTempSubdirectory("dr-forward-").FullName;
    private readonly string _register;
    private readonly string _publication = Repository.PathOf("samples/publication/croydon-2013.publication.json");

    public ForwardPlanTests()
    {
        _register = Path.Combine(_root, "register");
        Directory.CreateDirectory(_register);
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    /// <summary>The five seeds, each with its partnership's rules and a period holding its decision.</summary>
    public static TheoryData<string, string, string, string> Seeds() => new()
    {
        { Croydon, "croydon", "2013-06-01", "entry" },
        { "doncaster-2018-joint-commissioner-agreement", "doncaster", "2018-01-01", "entry" },
        { "darlington-2014-proof-of-concept", "darlington", "2014-05-01", "entry" },
        // Durham's report calls it an "Ordinary Decision" with no cost implications, and Barking and Dagenham's 2010
        // endorsement has no financial implications: neither plan requires a key-decision notice.
        { "durham-2019-integrated-strategic-commissioning", "durham", "2019-08-01", "not-listed" },
        { "barking-dagenham-2010-integrated-leadership", "barking-dagenham", "2010-05-01", "not-listed" },
    };

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Each_seed_is_listed_as_the_law_says(string sample, string partnership, string from, string kind)
    {
        Copy(sample);

        // The publication file is Croydon's: the other seeds are drafted without one, so everything it gives is MISSING.
        string[] publication = sample == Croydon ? ["--publication", _publication] : [];
        var (exit, output, error) = Run(["--rules", Repository.PathOf($"rules/partnerships/{partnership}"), "--from", from, "--format", "html", .. publication]);

        var sections = Html(output).Descendants("section").ToList();
        if (kind == "entry")
        {
            var entry = Assert.Single(sections, s => (string?)s.Attribute("data-kind") == "entry");
            Assert.Equal(sample, (string?)entry.Attribute("data-key"));
        }
        else
        {
            Assert.DoesNotContain(sections, s => (string?)s.Attribute("data-kind") == "entry");
            Assert.Contains(sample, sections.Single(s => (string?)s.Attribute("data-kind") == "not-listed").Value);
        }

        Assert.Equal(sample == Croydon ? 0 : 5, exit);
        Assert.Equal(sample != Croydon, error.Contains("MISSING in 'Documents, further documents and representations': Where copies", StringComparison.Ordinal));
        Snapshot.Match(Run(["--rules", Repository.PathOf($"rules/partnerships/{partnership}"), "--from", from, .. publication]).Out, SnapshotNameExtension.Create(sample));
    }

    [Fact]
    public void Every_reg_9_content_is_in_the_Markdown_and_the_HTML()
    {
        Copy(Croydon);

        var html = Run("--rules", Repository.PathOf("rules/partnerships/croydon"), "--from", "2013-06-01", "--publication", _publication, "--format", "html");
        var markdown = Run("--rules", Repository.PathOf("rules/partnerships/croydon"), "--from", "2013-06-01", "--publication", _publication);

        Assert.Equal((0, string.Empty), (html.Exit, html.Error));
        Assert.Equal((0, string.Empty), (markdown.Exit, markdown.Error));
        var document = Html(html.Out);
        var entry = Section(document, "entry", Croydon);
        Assert.Equal("A key decision is to be made on behalf of London Borough of Croydon.", Content(entry, "key-decision", "reg 9(1)(a)"));
        Assert.Equal("Integrated Commissioning Unit for Health and Social Care (reference croydon-2013-integrated-commissioning-unit)", Content(entry, "matter", "reg 9(1)(b)"));
        Assert.Equal(
            ["Cabinet; its members:", "Councillor A (Leader, chair)", "Councillor B (Deputy Leader)", "Councillor C (Cabinet Member for Adult Social Care)"],
            Dd(entry, "decision-maker", "reg 9(1)(c)").Descendants("li").Select(li => li.Value));
        Assert.Equal("On 15 July 2013.", Content(entry, "date", "reg 9(1)(d)"));
        Assert.Equal(2, Dd(entry, "documents", "reg 9(1)(e)").Descendants("li").Count());
        Assert.StartsWith("In public", Content(entry, "private", "reg 5(2)–(3)"), StringComparison.Ordinal);
        var publication = Section(document, "publication", null);
        Assert.Equal("London Borough of Croydon", Content(publication, "authority", "reg 9(1)(a)"));
        Assert.StartsWith("Democratic Services, Town Hall", Content(publication, "address", "reg 9(1)(f)"), StringComparison.Ordinal);
        Assert.Equal("Other documents relevant to these matters may be submitted to the decision-maker.", Content(publication, "other-documents", "reg 9(1)(g)"));
        Assert.StartsWith("Ask Democratic Services", Content(publication, "request-details", "reg 9(1)(h)"), StringComparison.Ordinal);
        Assert.StartsWith("Write to Democratic Services", Content(publication, "representations", "reg 5(5)(b)"), StringComparison.Ordinal);
        Assert.DoesNotContain(document.Descendants(), e => (string?)e.Attribute("class") == "missing");

        // The Markdown carries the same contents, each with its citation.
        foreach (var citation in new[] { "reg 9(1)(a)", "reg 9(1)(b)", "reg 9(1)(c)", "reg 9(1)(d)", "reg 9(1)(e)", "reg 9(1)(f)", "reg 9(1)(g)", "reg 9(1)(h)", "reg 5(2)–(3)" })
        {
            Assert.Contains($"(SI 2012/2089 {citation}", markdown.Out, StringComparison.Ordinal);
        }

        Assert.Contains("\n  - Councillor B (Deputy Leader)\n", markdown.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("**MISSING", markdown.Out, StringComparison.Ordinal);
    }

    /// <summary>Each content the publication file can leave out, and where the notice then says it is missing.</summary>
    public static TheoryData<string, string, string> Omissions() => new()
    {
        { "authority", "authority", "reg 9(1)(a)" },
        { "documentsAddress", "address", "reg 9(1)(f)" },
        { "requestDetails", "request-details", "reg 9(1)(h)" },
        { "representations", "representations", "reg 5(5)(b)" },
        { "decisionMakers.Cabinet.members", "decision-maker", "reg 9(1)(c)" },
        { "decisionMakers.Cabinet", "decision-maker", "reg 9(1)(c)" },
        { "entries.croydon-2013-integrated-commissioning-unit.documents", "documents", "reg 9(1)(e)" },
    };

    [Theory]
    [MemberData(nameof(Omissions))]
    public void A_missing_content_is_flagged_in_the_notice_on_stderr_and_in_the_exit_code(string property, string content, string citation)
    {
        Copy(Croydon);
        var publication = JsonNode.Parse(File.ReadAllText(_publication))!.AsObject();
        var path = property.Split('.');
        var parent = path[..^1].Aggregate(publication, (node, name) => node[name]!.AsObject());
        Assert.True(parent.Remove(path[^1]));
        var file = Path.Combine(_root, "publication.json");
        File.WriteAllText(file, publication.ToJsonString());

        var (exit, output, error) = Run("--rules", Repository.PathOf("rules/partnerships/croydon"), "--from", "2013-06-01", "--publication", file, "--format", "html");

        Assert.Equal(5, exit);
        var missing = Assert.Single(Html(output).Descendants("dd"), dd => (string?)dd.Attribute("class") == "missing");
        Assert.Equal(content, (string?)missing.Attribute("data-content"));
        Assert.StartsWith("MISSING: ", missing.Value, StringComparison.Ordinal);
        Assert.Contains($"forward-plan: MISSING in '", error, StringComparison.Ordinal);
        Assert.Contains(citation, error, StringComparison.Ordinal);
        Assert.EndsWith("forward-plan: 1 statutory content(s) missing; the document says MISSING where each belongs.\n", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_a_publication_file_every_content_it_would_give_is_missing_never_blank()
    {
        Copy(Croydon);

        var (exit, output, error) = Run("--rules", Repository.PathOf("rules/partnerships/croydon"), "--from", "2013-06-01");

        Assert.Equal(5, exit);
        Assert.Equal(6, output.Split('\n').Count(l => l.Contains("**MISSING: ", StringComparison.Ordinal)));
        Assert.Equal(6, error.Split('\n').Count(l => l.StartsWith("forward-plan: MISSING in", StringComparison.Ordinal)));
    }

    [Fact]
    public void A_script_in_a_title_is_text_in_HTML_and_escaped_in_Markdown()
    {
        Copy(Croydon, p => p["title"] = "<script>alert('x')</script> & [link](http://x) *bold*\n# heading");

        var html = Run("--rules", Repository.PathOf("rules/partnerships/croydon"), "--from", "2013-06-01", "--publication", _publication, "--format", "html");
        var markdown = Run("--rules", Repository.PathOf("rules/partnerships/croydon"), "--from", "2013-06-01", "--publication", _publication);

        var document = Html(html.Out);
        Assert.Empty(document.Descendants("script"));
        Assert.Contains("&lt;script&gt;", html.Out, StringComparison.Ordinal);
        Assert.StartsWith("<script>alert('x')</script> & [link](http://x) *bold* # heading (reference", Content(Section(document, "entry", Croydon), "matter", "reg 9(1)(b)"), StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", markdown.Out, StringComparison.Ordinal);
        Assert.Contains("\\<script\\>alert('x')\\</script\\> \\& \\[link\\](http://x) \\*bold\\* # heading", markdown.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("\n# heading", markdown.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void A_decision_whose_notice_is_impracticable_is_listed_under_the_general_exception_with_its_reasons()
    {
        Copy(Croydon, p =>
        {
            p["noticeImpracticable"] = true;
            p["urgencyReason"] = "The CCG's board meets before 28 clear days could run.";
        });

        var (exit, output, _) = Run("--rules", Repository.PathOf("rules/partnerships/croydon"), "--from", "2013-06-01", "--publication", _publication, "--format", "html");

        Assert.Equal(0, exit);
        var document = Html(output);
        Assert.DoesNotContain(document.Descendants("section"), s => (string?)s.Attribute("data-kind") == "entry");
        var entry = Section(document, "general-exception", Croydon);
        Assert.Equal("The CCG's board meets before 28 clear days could run.", Content(entry, "urgency-reasons", "reg 10(1)–(3)"));
        Assert.Contains("regulation 9 need not be complied with (reg 10(2))", entry.Value, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2013-07-01", "general-exception", "reg 10(1)–(3)")]
    [InlineData("2013-07-12", "special-urgency", "reg 11(1)–(2)")]
    public void A_decision_too_close_to_publication_for_its_notice_takes_the_urgency_route_the_plan_chooses(string from, string kind, string citation)
    {
        // Published 14 days before the meeting, 28 clear days' notice cannot be given; 3 days before, not even 5.
        Copy(Croydon);

        var (exit, output, error) = Run("--rules", Repository.PathOf("rules/partnerships/croydon"), "--from", from, "--months", "1", "--publication", _publication, "--format", "html");

        Assert.Equal(5, exit);
        var entry = Section(Html(output), kind, Croydon);
        var missing = Dd(entry, "urgency-reasons", citation);
        Assert.Equal("missing", (string?)missing.Attribute("class"));
        Assert.Contains("the proposal gives no urgencyReason", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_private_meeting_gives_its_reasons_and_a_private_decision_that_is_not_key_is_listed_under_regulation_5()
    {
        Copy(Croydon, p => p["exemptParagraphs"] = new JsonArray(3));
        Copy(Croydon, p =>
        {
            p["id"] = "croydon-private-not-key";
            p["savings"] = 0;
            p["exemptParagraphs"] = new JsonArray(1, 4);
        }, "not-key.json");

        var (exit, output, _) = Run("--rules", Repository.PathOf("rules/partnerships/croydon"), "--from", "2013-06-01", "--publication", _publication, "--format", "html");

        var document = Html(output);
        Assert.Equal(
            "To be taken at a meeting held in private, in whole or in part, because the report is expected to contain exempt information under LGA 1972 Sch 12A Part 1: paragraph 3 (information relating to the financial or business affairs of any particular person (including the authority holding it)).",
            Content(Section(document, "entry", Croydon), "private", "reg 5(2)–(3)"));
        var notKey = Section(document, "private-meeting", "croydon-private-not-key");
        Assert.Contains("paragraph 1 (information relating to any individual); paragraph 4", Content(notKey, "private", "reg 5(2)–(3)"), StringComparison.Ordinal);
        Assert.Contains("Not a key decision", notKey.Value, StringComparison.Ordinal);
        Assert.Equal(0, exit); // reg 5 asks no list of documents, and the Cabinet's members are in the publication file
    }

    [Fact]
    public void A_key_decision_before_September_2012_is_flagged_not_dressed_as_a_2012_notice()
    {
        Copy("barking-dagenham-2010-integrated-leadership", p => p["financialCommitment"] = 5_000_000);

        var (exit, output, error) = Run("--rules", Repository.PathOf("rules/partnerships/barking-dagenham"), "--from", "2010-05-01", "--format", "html");

        Assert.Equal(5, exit);
        var section = Section(Html(output), "before-2012", "barking-dagenham-2010-integrated-leadership");
        Assert.Contains("SI 2000/3272", section.Elements("p").First().Value, StringComparison.Ordinal);
        Assert.Contains("MISSING in 'barking-dagenham-2010-integrated-leadership': Entry", error, StringComparison.Ordinal);
    }

    [Fact]
    public void An_incomplete_plan_is_listed_and_flagged_whatever_its_route()
    {
        // The Darlington director appointment leaves the chief-officer facts out on purpose: its plan is incomplete, so
        // whether it is a key decision is not known. Dropping it as "not key" would be the silent failure.
        Copy("darlington-2014-director-appointment");

        var (exit, output, error) = Run("--rules", Repository.PathOf("rules/partnerships/darlington"), "--from", "2014-05-01", "--publication", _publication, "--format", "html");

        Assert.Equal(5, exit);
        var section = Section(Html(output), "undecided", "darlington-2014-director-appointment");
        Assert.StartsWith("MISSING: the plan for this proposal is incomplete (ChiefOfficerAppointment;", section.Elements("p").First().Value, StringComparison.Ordinal);
        Assert.Contains("MISSING in 'darlington-2014-director-appointment': Entry (the whole entry): the plan for this proposal is incomplete", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{ \"authority\": \"  \" }", "(1,16): error DR0075")]
    [InlineData("{ \"entries\": { \"x\": { \"documents\": [ \"\" ] } } }", "(1,38): error DR0075")]
    public void A_blank_text_in_the_publication_file_is_refused_not_published_as_a_blank(string json, string expected)
    {
        Copy(Croydon);
        var file = Path.Combine(_root, "blank.json");
        File.WriteAllText(file, json);

        var (exit, output, error) = Run("--rules", Repository.PathOf("rules/partnerships/croydon"), "--from", "2013-06-01", "--publication", file);

        Assert.Equal((2, string.Empty), (exit, output));
        Assert.Contains(file + expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void The_period_includes_its_first_day_and_excludes_the_day_months_later()
    {
        Copy(Croydon, p => p["intendedDecisionDate"] = "2013-06-01", "first.json");
        Copy(Croydon, p =>
        {
            p["id"] = "after";
            p["intendedDecisionDate"] = "2013-10-01";
        }, "after.json");

        var (_, output, _) = Run("--rules", Repository.PathOf("rules/partnerships/croydon"), "--from", "2013-06-01", "--format", "html");

        var keys = Html(output).Descendants("section").Select(s => (string?)s.Attribute("data-key")).Where(k => k is not null).ToList();
        Assert.Contains(Croydon, keys);
        Assert.DoesNotContain("after", keys);
        Assert.Contains("1 June 2013 to 30 September 2013", output, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unreadable_proposal_means_no_notice_at_all()
    {
        Copy(Croydon);
        File.WriteAllText(Path.Combine(_register, "broken.json"), "{ \"id\": \"broken\", \"titel\": \"x\" }");

        var (exit, output, error) = Run("--rules", Repository.PathOf("rules/partnerships/croydon"), "--from", "2013-06-01", "--publication", _publication);

        Assert.Equal(2, exit);
        Assert.Equal(string.Empty, output);
        Assert.Contains("broken.json(1,19): error DR0002", error, StringComparison.Ordinal);
        Assert.Contains("no notice written", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_mistake_in_the_publication_file_is_reported_at_its_position_and_an_unknown_entry_is_warned_about()
    {
        Copy(Croydon);
        var typo = Path.Combine(_root, "typo.json");
        File.WriteAllText(typo, "{\n  \"authority\": \"X\",\n  \"documentAddress\": \"Y\"\n}");
        var stray = Path.Combine(_root, "stray.json");
        File.WriteAllText(stray, "{ \"entries\": { \"croydon-2031\": { \"documents\": [ \"Report\" ] } } }");

        var wrong = Run("--rules", Repository.PathOf("rules/partnerships/croydon"), "--from", "2013-06-01", "--publication", typo);
        var unknown = Run("--rules", Repository.PathOf("rules/partnerships/croydon"), "--from", "2013-06-01", "--publication", stray);

        Assert.Equal(2, wrong.Exit);
        Assert.Contains("typo.json(3,3): error DR0002: Unknown property 'documentAddress' in the publication file", wrong.Error, StringComparison.Ordinal);
        Assert.Contains("warning: entries.\"croydon-2031\" names no proposal", unknown.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void DR0092_a_publication_file_that_is_not_there_is_reported_against_its_path_and_writes_nothing()
    {
        Copy(Croydon);
        var missing = Path.Combine(_root, "publicaton.json");

        var (exit, output, error) = Run("--rules", Repository.PathOf("rules/partnerships/croydon"), "--from", "2013-06-01", "--publication", missing);
        var folder = Run("--rules", Repository.PathOf("rules/partnerships/croydon"), "--from", "2013-06-01", "--publication", _root);

        Assert.Equal((2, string.Empty), (exit, output));
        Assert.Equal($"{missing}: error DR0092: Publication file '{missing}' does not exist\n", error);
        Assert.Equal($"{_root}: error DR0092: Publication file '{_root}' is a folder, not a file\n", folder.Error);
    }

    [Fact]
    public void The_built_CLI_writes_the_notice_to_a_file()
    {
        Copy(Croydon);
        var target = Path.Combine(_root, "notice.html");

        var (exit, output, error) = CliProcess.Run(TimeSpan.FromMinutes(2), null, "forward-plan", "--proposals", _register, "--rules", Repository.PathOf("rules/partnerships/croydon"), "--from", "2013-06-01", "--publication", _publication, "--format", "html", "--output", target);

        Assert.Equal((0, string.Empty, string.Empty), (exit, output, error));
        Assert.Equal(Croydon, (string?)Section(Html(File.ReadAllText(target)), "entry", Croydon).Attribute("data-key"));
    }

    private (int Exit, string Out, string Error) Run(params string[] args) =>
        InProcessCli.Run(["forward-plan", "--proposals", _register, .. args]);

    private void Copy(string sample, Action<JsonObject>? change = null, string? name = null)
    {
        var proposal = JsonNode.Parse(File.ReadAllText(Repository.PathOf($"samples/proposals/{sample}.json")))!.AsObject();
        proposal.Remove("$schema");
        change?.Invoke(proposal);
        File.WriteAllText(Path.Combine(_register, name ?? sample + ".json"), proposal.ToJsonString());
    }

    private static XDocument Html(string html) => XDocument.Parse(html);

    private static XElement Section(XDocument document, string kind, string? key) =>
        Assert.Single(document.Descendants("section"), s => (string?)s.Attribute("data-kind") == kind && (string?)s.Attribute("data-key") == key);

    /// <summary>The <c>dd</c> of a content, after checking its <c>dt</c> cites the provision.</summary>
    private static XElement Dd(XElement section, string content, string citation)
    {
        var dt = Assert.Single(section.Descendants("dt"), e => (string?)e.Attribute("data-content") == content);
        Assert.Contains(citation, dt.Element("cite")!.Value, StringComparison.Ordinal);
        return Assert.Single(section.Descendants("dd"), e => (string?)e.Attribute("data-content") == content);
    }

    private static string Content(XElement section, string content, string citation)
    {
        var dd = Dd(section, content, citation);
        Assert.Null(dd.Attribute("class"));
        return dd.Value;
    }
}
