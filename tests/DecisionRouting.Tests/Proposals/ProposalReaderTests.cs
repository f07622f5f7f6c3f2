using System.Linq;
using DecisionRouting.Proposals;
using DecisionRouting.Tests.Support;

namespace DecisionRouting.Tests.Proposals;

public sealed class ProposalReaderTests
{
    private const string Valid = """
        {
          "id": "p1",
          "title": "A proposal",
          "decisionMaker": "Cabinet",
          "intendedDecisionDate": "2013-07-15",
          "kinds": [ "S75Agreement" ],
          "financialCommitment": 600000,
          "attributes": { "payPolicyStatement": true, "localBand": "B" }
        }
        """;

    private static void AssertRejected(string json, string id, string marker, string messagePart)
    {
        var result = ProposalReader.Read("p.json", json);
        Assert.Null(result.Proposal);
        var diagnostic = Assert.Single(result.Diagnostics, d => d.Id == id);
        var (line, column) = Position.Of(json, marker);
        Assert.Equal($"p.json({line},{column})", diagnostic.Location.ToString());
        Assert.Contains(messagePart, diagnostic.Message);
    }

    [Fact]
    public void An_attribute_too_large_for_a_number_is_out_of_range_not_not_a_number()
    {
        AssertRejected(Valid.Replace("\"localBand\": \"B\"", "\"localBand\": 1e400"), "DR0003", "1e400", "'localBand' must be a number, string or boolean, not 1e400, which is out of range");
    }

    [Fact]
    public void Valid_proposal_is_read_with_every_field()
    {
        var result = ProposalReader.Read("p.json", Valid);
        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        var p = result.Proposal!;
        Assert.Equal("p1", p.Id);
        Assert.Equal(new NodaTime.LocalDate(2013, 7, 15), p.IntendedDecisionDate);
        Assert.Equal(new[] { ProposalKind.S75Agreement }, p.Kinds);
        Assert.Equal(600000m, p.FinancialCommitment);
        Assert.True(p.IsExecutiveDecision);
        Assert.True(p.Attributes.Flag("payPolicyStatement"));
        Assert.Equal("B", p.Attributes.Text("localBand"));
        Assert.Equal("attribute 'absent'", Assert.Throws<ProposalValueMissingException>(() => p.Attributes.Number("absent")).Value);
    }

    [Fact]
    public void Unknown_field_is_rejected_with_a_suggestion() =>
        AssertRejected(Valid.Replace("\"financialCommitment\"", "\"financialComitment\""), "DR0002", "\"financialComitment\"", "did you mean 'financialCommitment'?");

    [Fact]
    public void Wrong_type_is_rejected() =>
        AssertRejected(Valid.Replace("600000", "\"600k\""), "DR0003", "\"600k\"", "'financialCommitment' must be a number of pounds");

    [Fact]
    public void Missing_required_field_is_rejected() =>
        AssertRejected(Valid.Replace("\"decisionMaker\": \"Cabinet\",", string.Empty), "DR0004", "{", "'decisionMaker'");

    [Fact]
    public void Negative_money_is_rejected() =>
        AssertRejected(Valid.Replace("600000", "-5"), "DR0073", "-5", "must not be negative");

    [Fact]
    public void Impossible_date_is_rejected() =>
        AssertRejected(Valid.Replace("2013-07-15", "2013-02-30"), "DR0072", "\"2013-02-30\"", "yyyy-MM-dd");

    [Fact]
    public void Required_field_given_as_null_is_rejected() =>
        AssertRejected(Valid.Replace("\"2013-07-15\"", "null"), "DR0003", "null", "'intendedDecisionDate' must be a string, not null");

    [Fact]
    public void Schedule_is_read_by_step_id()
    {
        var result = ProposalReader.Read("p.json", Valid.Replace("\"attributes\"", "\"schedule\": { \"staff-consultation\": { \"start\": \"2013-07-23\", \"end\": \"2013-09-08\" } },\n  \"attributes\""));
        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        Assert.Equal(new StepDates(new NodaTime.LocalDate(2013, 7, 23), new NodaTime.LocalDate(2013, 9, 8)), result.Proposal!.Schedule["staff-consultation"]);
    }

    [Fact]
    public void Schedule_ending_before_it_starts_is_rejected() =>
        AssertRejected(Valid.Replace("\"attributes\"", "\"schedule\": { \"x\": { \"start\": \"2013-07-23\", \"end\": \"2013-07-01\" } },\n  \"attributes\""), "DR0074", "\"2013-07-01\"", "ends (2013-07-01) before it starts (2013-07-23)");

    [Fact]
    public void Schedule_entry_with_a_misspelt_date_is_rejected() =>
        AssertRejected(Valid.Replace("\"attributes\"", "\"schedule\": { \"x\": { \"begin\": \"2013-07-23\" } },\n  \"attributes\""), "DR0002", "\"begin\"", "Unknown property 'begin'");

    [Fact]
    public void Unknown_kind_is_rejected_with_a_suggestion() =>
        AssertRejected(Valid.Replace("\"S75Agreement\"", "\"S75agreement\""), "DR0056", "\"S75agreement\"", "did you mean 'S75Agreement'?");

    [Fact]
    public void Exempt_paragraph_outside_schedule_12A_is_rejected() =>
        AssertRejected(Valid.Replace("\"kinds\"", "\"exemptParagraphs\": [ 9 ], \"kinds\""), "DR0073", "9 ]", "from 1 to 7");

    [Fact]
    public void More_redundancies_than_staff_is_rejected() =>
        AssertRejected(Valid.Replace("\"kinds\"", "\"staffAffected\": 3, \"proposedRedundancies\": 30, \"kinds\""), "DR0026", "30,", "cannot exceed");

    [Fact]
    public void Malformed_json_is_a_diagnostic_not_an_exception()
    {
        var result = ProposalReader.Read("p.json", "{ \"id\": 'x' }");
        Assert.Equal("DR0001", Assert.Single(result.Diagnostics).Id);
        Assert.Contains("single quote", result.Diagnostics[0].Message);
    }

    [Fact]
    public void Missing_file_is_a_diagnostic_not_an_exception()
    {
        var result = ProposalReader.ReadFile("/nonexistent/p.json");
        Assert.Equal("DR0079", Assert.Single(result.Diagnostics).Id);
    }

    [Fact]
    public void Every_sample_reads_cleanly()
    {
        var files = System.IO.Directory.GetFiles(Repository.PathOf("samples/proposals"), "*.json");
        Assert.True(files.Length >= 5);
        foreach (var file in files)
        {
            var result = ProposalReader.ReadFile(file);
            Assert.True(result.Succeeded, file + ": " + string.Join("\n", result.Diagnostics));
            Assert.Empty(result.Diagnostics);
        }
    }
}
