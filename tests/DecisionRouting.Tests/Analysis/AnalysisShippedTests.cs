using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using DecisionRouting.Analysis;
using DecisionRouting.RuleSets;
using DecisionRouting.Tests.Support;

namespace DecisionRouting.Tests.Analysis;

/// <summary>
/// Rule-set analysis on the shipped rule sets finds exactly what docs/analysis.md ("The shipped rule sets") lists and
/// explains, and the England properties in samples/ hold; a rule change that adds a finding fails here until the doc
/// says why.
/// </summary>
public sealed class AnalysisShippedTests
{
    private static readonly string[] CommitteeSystemRules = { "OfficerDecidesUnderCommitteeSystem", "NoExecutiveUnderCommitteeSystem", "OfficerEmploymentUnderCommitteeSystem", "OfficerDecisionRecordUnderCommitteeSystem" };
    private static readonly string[] MayorRules = { "ElectedMayorDecides", "HeadOfPaidServiceAppointmentMayorAndCabinet", "ChiefOfficerAppointmentMayorAndCabinet" };
    private static readonly string[] LeaderRules = { "LeaderDecides", "HeadOfPaidServiceAppointment", "ChiefOfficerAppointment" };

    [Theory]
    [MemberData(nameof(Repository.ShippedRuleSets), MemberType = typeof(Repository))]
    public void The_shipped_rule_sets_have_only_the_documented_findings(string folder)
    {
        var report = RuleSetAnalysis.Analyse(RuleSet.Validate(Repository.PathOf(folder)), new RuleSetAnalysisOptions { TimePerQuestion = TimeSpan.FromSeconds(60) });
        var found = report.Findings.Select(f => f.Id + " " + Subject(f.Message)).Order(StringComparer.Ordinal).ToList();

        var dead = Path.GetFileName(folder) switch
        {
            "croydon" => CommitteeSystemRules,
            "doncaster" => CommitteeSystemRules.Concat(LeaderRules),
            _ => CommitteeSystemRules.Concat(MayorRules),
        };
        var expected = dead.Select(r => "DR0097 " + r)
            .Concat(new[] { "DR0096 Committee", "DR0096 NhsBoard", "DR0101 WelshBodyOutsideTheEnglandBaseline", "DR0101 WelshPartnerAcrossTheBorder" })
            .Order(StringComparer.Ordinal).ToList();
        Assert.Equal(expected, found);
        Assert.All(report.Findings.Where(f => f.Id == "DR0097"), f => Assert.Contains("this is because of the rule set's executiveModel", f.Message));
    }

    [Fact]
    public void The_sample_properties_hold_on_the_England_baseline()
    {
        var report = RuleSetAnalysis.Analyse(RuleSet.Validate(Repository.PathOf("rules/england")), new RuleSetAnalysisOptions { PropertiesFile = Repository.PathOf("samples/properties/england.properties.json"), TimePerQuestion = TimeSpan.FromSeconds(60) });
        Assert.Equal(2, report.Properties);
        Assert.DoesNotContain(report.Findings, f => f.Id is "DR0099" or "DR0012" || f.IsError);
    }

    private static string Subject(string message) =>
        Regex.Match(message, "^Rule '([^']+)'|decision-maker is ([A-Za-z]+)") is { Success: true } m
            ? (m.Groups[1].Success ? m.Groups[1].Value : m.Groups[2].Value)
            : message;
}
