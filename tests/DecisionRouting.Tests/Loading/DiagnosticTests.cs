using System.Linq;
using DecisionRouting.Diagnostics;
using DecisionRouting.RuleSets;
using DecisionRouting.Tests.Support;

namespace DecisionRouting.Tests.Loading;

/// <summary>One test per diagnostic ID, each asserting the exact file, line and column reported.</summary>
public sealed class DiagnosticTests
{
    private static RuleDiagnostic Single(TempRuleSet set, string id)
    {
        var diagnostics = RuleSet.Validate(set.Directory).Diagnostics;
        var matching = diagnostics.Where(d => d.Id == id).ToList();
        Assert.True(matching.Count == 1, $"Expected one {id}, got:\n{string.Join("\n", diagnostics)}");
        return matching[0];
    }

    private static void AssertAt(TempRuleSet set, string id, string file, string text, string marker, int occurrence = 1, int columnOffset = 0)
    {
        var diagnostic = Single(set, id);
        var (line, column) = Position.Of(text, marker, occurrence);
        Assert.Equal($"{set.PathOf(file)}({line},{column + columnOffset})", diagnostic.Location.ToString());
        Assert.StartsWith($"{set.PathOf(file)}({line},{column + columnOffset}): {(diagnostic.IsError ? "error" : "warning")} {id}: ", diagnostic.ToString());
        Assert.DoesNotContain("Exception", diagnostic.Message);
    }

    private static string RulesWith(string rule) => $$"""
        {
          "WorkflowName": "main",
          "Rules": [
            {{rule}}
          ]
        }
        """;

    [Fact]
    public void DR0001_malformed_json_points_at_the_bad_character()
    {
        var rules = """
            {
              "WorkflowName": "main",
              "Rules": [ { "RuleName": "A", "Expression": "true" }, ]
            }
            """;
        using var set = TempRuleSet.With(rules: rules);
        AssertAt(set, "DR0001", "main.rules.json", rules, "]");
        Assert.Contains("trailing comma", Single(set, "DR0001").Message);
    }

    [Fact]
    public void DR0001_an_unterminated_file_is_reported_not_thrown()
    {
        var rules = "{ \"WorkflowName\": \"main\", \"Rules\": [";
        using var set = TempRuleSet.With(rules: rules);
        var diagnostic = Single(set, "DR0001");
        Assert.Equal(1, diagnostic.Location.Line);
        Assert.Equal(rules.Length + 1, diagnostic.Location.Column);
    }

    [Fact]
    public void DR0002_misspelt_property_is_reported_with_a_suggestion()
    {
        var rules = RulesWith("""{ "RuleName": "A", "Expresion": "true" }""");
        using var set = TempRuleSet.With(rules: rules);
        AssertAt(set, "DR0002", "main.rules.json", rules, "\"Expresion\"");
        Assert.Contains("did you mean 'Expression'?", Single(set, "DR0002").Message);
    }

    [Fact]
    public void DR0002_case_slip_in_a_rulesengine_property_is_reported()
    {
        var rules = RulesWith("""{ "ruleName": "A", "Expression": "true" }""");
        using var set = TempRuleSet.With(rules: rules);
        AssertAt(set, "DR0002", "main.rules.json", rules, "\"ruleName\"");
        Assert.Contains("did you mean 'RuleName'?", Single(set, "DR0002").Message);
    }

    [Fact]
    public void DR0003_wrong_value_type_points_at_the_value()
    {
        var rules = RulesWith("""{ "RuleName": "A", "Expression": "true", "Enabled": "yes" }""");
        using var set = TempRuleSet.With(rules: rules);
        AssertAt(set, "DR0003", "main.rules.json", rules, "\"yes\"");
        Assert.Contains("'Enabled' must be true or false, not a string", Single(set, "DR0003").Message);
    }

    [Fact]
    public void DR0004_missing_required_property_points_at_the_object()
    {
        var rules = RulesWith("""{ "Expression": "true" }""");
        using var set = TempRuleSet.With(rules: rules);
        AssertAt(set, "DR0004", "main.rules.json", rules, "{ \"Expression\"");
        Assert.Contains("'RuleName'", Single(set, "DR0004").Message);
    }

    [Fact]
    public void DR0005_duplicate_rule_name_points_at_the_second()
    {
        var rules = RulesWith("""
            { "RuleName": "Same", "Expression": "true" },
                { "RuleName": "Same", "Expression": "false" }
            """);
        using var set = TempRuleSet.With(rules: rules);
        AssertAt(set, "DR0005", "main.rules.json", rules, "\"Same\"", occurrence: 2);
    }

    [Fact]
    public void DR0005_rule_name_repeated_in_an_injected_workflow_points_at_the_injected_rule()
    {
        var rules = """
            [
              { "WorkflowName": "main", "WorkflowsToInject": [ "extra" ], "Rules": [ { "RuleName": "Shared", "Expression": "true" } ] },
              { "WorkflowName": "extra", "Rules": [ { "RuleName": "Shared", "Expression": "false" } ] }
            ]
            """;
        using var set = TempRuleSet.With(rules: rules);
        AssertAt(set, "DR0005", "main.rules.json", rules, "\"Shared\"", occurrence: 2);
        Assert.Contains("'main (with the workflows it injects)'", Single(set, "DR0005").Message);
    }

    [Fact]
    public void DR0006_duplicate_step_id_points_at_the_second()
    {
        var catalogue = TempRuleSet.Catalogue.Replace(
            "\"steps\": [",
            "\"steps\": [\n    { \"id\": \"decision\", \"name\": \"Again\", \"kind\": \"Approval\" },");
        using var set = TempRuleSet.With(catalogue: catalogue);
        AssertAt(set, "DR0006", "catalogue.json", catalogue, "\"decision\"", occurrence: 2);
    }

    [Fact]
    public void DR0007_duplicate_body_id_points_at_the_second()
    {
        var catalogue = TempRuleSet.Catalogue.Replace(
            "\"bodies\": [",
            "\"bodies\": [ { \"id\": \"cabinet\", \"name\": \"Cabinet again\", \"kind\": \"Executive\" },");
        using var set = TempRuleSet.With(catalogue: catalogue);
        AssertAt(set, "DR0007", "catalogue.json", catalogue, "\"cabinet\"", occurrence: 2);
    }

    [Fact]
    public void DR0008_duplicate_workflow_name_across_files()
    {
        using var set = TempRuleSet.With();
        var second = """{ "WorkflowName": "main", "Rules": [ { "RuleName": "X", "Expression": "true" } ] }""";
        set.Write("second.rules.json", second);
        AssertAt(set, "DR0008", "second.rules.json", second, "\"main\"");
    }

    [Fact]
    public void DR0009_syntax_error_is_reported_inside_the_expression()
    {
        var rules = RulesWith("""{ "RuleName": "A", "Expression": "proposal.Urgent && && proposal.TupeTransfer" }""");
        using var set = TempRuleSet.With(rules: rules);
        AssertAt(set, "DR0009", "main.rules.json", rules, "&& proposal.Tupe");
    }

    [Fact]
    public void DR0010_unknown_proposal_member_points_at_the_member_with_a_suggestion()
    {
        var rules = RulesWith("""{ "RuleName": "A", "Expression": "proposal.Urgent || proposal.FinancialCommitmnet > 5" }""");
        using var set = TempRuleSet.With(rules: rules);
        AssertAt(set, "DR0010", "main.rules.json", rules, "FinancialCommitmnet");
        Assert.Contains("did you mean 'FinancialCommitment'?", Single(set, "DR0010").Message);
    }

    [Fact]
    public void DR0010_position_accounts_for_escapes_earlier_in_the_string()
    {
        var rules = RulesWith("""{ "RuleName": "A", "Expression": "proposal.Title == \"a\\\"b\" && proposal.Titel == \"x\"" }""");
        using var set = TempRuleSet.With(rules: rules);
        AssertAt(set, "DR0010", "main.rules.json", rules, "Titel");
    }

    [Fact]
    public void DR0010_unknown_parameter_is_reported_with_a_suggestion()
    {
        var manifest = """{ "name": "t", "parameters": { "threshold": 500000 } }""";
        var rules = RulesWith("""{ "RuleName": "A", "Expression": "proposal.Savings > parameters.treshold" }""");
        using var set = TempRuleSet.With(rules: rules, manifest: manifest);
        AssertAt(set, "DR0010", "main.rules.json", rules, "treshold");
        Assert.Contains("did you mean 'threshold'?", Single(set, "DR0010").Message);
    }

    [Fact]
    public void DR0011_non_boolean_expression_points_at_the_expression()
    {
        var rules = RulesWith("""{ "RuleName": "A", "Expression": "proposal.WardsAffected + 1" }""");
        using var set = TempRuleSet.With(rules: rules);
        AssertAt(set, "DR0011", "main.rules.json", rules, "proposal.WardsAffected");
    }

    [Fact]
    public void DR0012_unknown_step_in_a_rule_points_at_the_step_with_a_suggestion()
    {
        var rules = RulesWith("""{ "RuleName": "A", "Expression": "true", "Properties": { "steps": [ "notise" ], "source": "s" } }""");
        using var set = TempRuleSet.With(rules: rules);
        AssertAt(set, "DR0012", "main.rules.json", rules, "\"notise\"");
        Assert.Contains("did you mean 'notice'?", Single(set, "DR0012").Message);
    }

    [Fact]
    public void DR0013_unknown_body_points_at_the_reference()
    {
        var catalogue = TempRuleSet.Catalogue.Replace("\"body\": \"cabinet\"", "\"body\": \"cabinett\"");
        using var set = TempRuleSet.With(catalogue: catalogue);
        AssertAt(set, "DR0013", "catalogue.json", catalogue, "\"cabinett\"");
        Assert.Contains("did you mean 'cabinet'?", Single(set, "DR0013").Message);
    }

    [Fact]
    public void DR0014_unknown_injected_workflow_points_at_the_reference()
    {
        var rules = """
            {
              "WorkflowName": "main",
              "WorkflowsToInject": [ "nowhere" ],
              "Rules": [ { "RuleName": "A", "Expression": "true" } ]
            }
            """;
        using var set = TempRuleSet.With(rules: rules);
        AssertAt(set, "DR0014", "main.rules.json", rules, "\"nowhere\"");
    }

    [Fact]
    public void DR0015_cycle_in_step_ordering_points_at_the_closing_edge()
    {
        var catalogue = TempRuleSet.Catalogue.Replace(
            "\"role\": \"s151-officer\",",
            "\"role\": \"s151-officer\", \"after\": [ \"decision\" ],");
        using var set = TempRuleSet.With(catalogue: catalogue);
        AssertAt(set, "DR0015", "catalogue.json", catalogue, "\"notice\" ]");
        Assert.Contains("'notice' → 'decision' → 'notice'", Single(set, "DR0015").Message);
    }

    [Fact]
    public void DR0016_cycle_in_workflow_injection_points_at_the_closing_edge()
    {
        var rules = """
            [
              { "WorkflowName": "a", "WorkflowsToInject": [ "b" ], "Rules": [ { "RuleName": "A", "Expression": "true" } ] },
              { "WorkflowName": "b", "WorkflowsToInject": [ "a" ], "Rules": [ { "RuleName": "B", "Expression": "true" } ] }
            ]
            """;
        using var set = TempRuleSet.With(rules: rules);
        AssertAt(set, "DR0016", "main.rules.json", rules, "[ \"a\" ]", columnOffset: 2);
    }

    [Fact]
    public void DR0017_local_rule_set_may_not_shorten_an_inherited_period()
    {
        using var baseline = TempRuleSet.With();
        using var local = new TempRuleSet(baseline.Directory + "-local");
        local.Write("ruleset.json", $$"""{ "name": "local", "extends": "../{{System.IO.Path.GetFileName(baseline.Directory)}}" }""");
        var catalogue = """
            {
              "steps": [
                { "id": "notice", "name": "Notice", "kind": "Notice", "replaces": true, "duration": { "days": 14, "counting": "ClearCalendarDays" } }
              ]
            }
            """;
        local.Write("catalogue.json", catalogue);
        local.Write("local.rules.json", """{ "WorkflowName": "local", "Rules": [ { "RuleName": "L", "Expression": "true" } ] }""");
        AssertAt(local, "DR0017", "catalogue.json", catalogue, "{ \"days\": 14");
        Assert.Contains("14 clear calendar days before the decision here but 28 clear calendar days before the decision", Single(local, "DR0017").Message);
    }

    [Fact]
    public void DR0017_lengthening_an_inherited_period_is_allowed()
    {
        using var baseline = TempRuleSet.With();
        using var local = new TempRuleSet(baseline.Directory + "-local");
        local.Write("ruleset.json", $$"""{ "name": "local", "extends": "../{{System.IO.Path.GetFileName(baseline.Directory)}}" }""");
        local.Write("catalogue.json", """{ "steps": [ { "id": "notice", "name": "Notice", "kind": "Notice", "replaces": true, "duration": { "days": 28, "counting": "ClearWorkingDays" } } ] }""");
        local.Write("local.rules.json", """{ "WorkflowName": "local", "Rules": [ { "RuleName": "L", "Expression": "true" } ] }""");
        var result = RuleSet.TryLoad(local.Directory);
        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        Assert.Equal(new StepPeriod(28, DayCounting.ClearWorkingDays) { Anchor = PeriodAnchor.BeforeDecision }, result.RuleSet!.Steps["notice"].Duration);
    }

    [Theory]
    [InlineData("""{ "days": 28, "counting": "ClearCalendarDays", "cutOff": "13:00" }""", "ending at 13:00")]
    [InlineData("""{ "days": 40, "counting": "ClearCalendarDays", "anchor": "FromStart" }""", "40 clear calendar days here")]
    public void DR0017_an_earlier_cut_off_or_another_anchor_also_shortens(string duration, string expected)
    {
        using var baseline = TempRuleSet.With();
        using var local = new TempRuleSet(baseline.Directory + "-local");
        local.Write("ruleset.json", $$"""{ "name": "local", "extends": "../{{System.IO.Path.GetFileName(baseline.Directory)}}" }""");
        var catalogue = $$"""{ "steps": [ { "id": "notice", "name": "Notice", "kind": "Notice", "replaces": true, "duration": {{duration}} } ] }""";
        local.Write("catalogue.json", catalogue);
        local.Write("local.rules.json", """{ "WorkflowName": "local", "Rules": [ { "RuleName": "L", "Expression": "true" } ] }""");
        AssertAt(local, "DR0017", "catalogue.json", catalogue, "{ \"days\"");
        Assert.Contains(expected, Single(local, "DR0017").Message);
    }

    [Fact]
    public void DR0012_unknown_urgency_alternative_points_at_it()
    {
        var catalogue = """{ "steps": [ { "id": "notice", "name": "Notice", "kind": "Notice", "ifImpracticable": "general-exeption" }, { "id": "general-exception", "name": "GE", "kind": "Notice" }, { "id": "decision", "name": "Decision", "kind": "Approval" } ] }""";
        using var set = TempRuleSet.With(catalogue: catalogue);
        AssertAt(set, "DR0012", "catalogue.json", catalogue, "\"general-exeption\"");
        Assert.Contains("did you mean 'general-exception'?", Single(set, "DR0012").Message);
    }

    [Fact]
    public void DR0015_urgency_alternatives_may_not_lead_back()
    {
        var catalogue = """{ "steps": [ { "id": "notice", "name": "A", "kind": "Notice", "ifImpracticable": "decision" }, { "id": "decision", "name": "B", "kind": "Notice", "ifImpracticable": "notice" } ] }""";
        using var set = TempRuleSet.With(catalogue: catalogue);
        AssertAt(set, "DR0015", "catalogue.json", catalogue, "\"decision\" }");
        Assert.Contains("'notice' → 'decision' → 'notice' (ifImpracticable)", Single(set, "DR0015").Message);
    }

    [Fact]
    public void DR0072_cut_off_must_be_a_24_hour_time()
    {
        var catalogue = """{ "steps": [ { "id": "notice", "name": "Call-in", "kind": "CallIn", "duration": { "days": 5, "counting": "WorkingDays", "cutOff": "1pm" } }, { "id": "decision", "name": "Decision", "kind": "Approval" } ] }""";
        using var set = TempRuleSet.With(catalogue: catalogue);
        AssertAt(set, "DR0072", "catalogue.json", catalogue, "\"1pm\"");
    }

    /// <summary>BREAKER14e N5 for rule files: a cut-off London's clocks skip or repeat is a warning at the time, naming the day.</summary>
    [Theory]
    [InlineData("01:30", "on 2000-03-26 the clocks went forward from 01:00 to 02:00, so 01:30 did not happen")]
    [InlineData("01:00", "on 2000-03-26 the clocks went forward from 01:00 to 02:00, so 01:00 did not happen")]
    [InlineData("02:30", "on 1980-10-26 the clocks went back from 03:00 to 02:00, so 02:30 happened twice")]
    public void DR0090_a_cut_off_in_a_clock_change_is_a_warning_at_the_time(string cutOff, string change)
    {
        var catalogue = "{ \"steps\": [ { \"id\": \"notice\", \"name\": \"Call-in\", \"kind\": \"CallIn\", \"duration\": { \"days\": 5, \"counting\": \"WorkingDays\", \"cutOff\": \"" + cutOff + "\" } }, { \"id\": \"decision\", \"name\": \"Decision\", \"kind\": \"Approval\" } ] }";
        using var set = TempRuleSet.With(catalogue: catalogue);
        AssertAt(set, "DR0090", "catalogue.json", catalogue, $"\"{cutOff}\"");
        var warning = Single(set, "DR0090");
        Assert.False(warning.IsError);
        Assert.StartsWith($"'cutOff' {cutOff} is not a single moment every day: {change}; ", warning.Message, System.StringComparison.Ordinal);
        Assert.EndsWith("Choose a time outside 01:00 to 03:00, when London's clocks change", warning.Message, System.StringComparison.Ordinal);
        Assert.Contains($"closes the first moment the clocks show {cutOff} or later", warning.Message, System.StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("00:59")]
    [InlineData("13:00")]
    [InlineData("23:59")]
    public void A_cut_off_outside_every_clock_change_has_no_DR0090(string cutOff)
    {
        var catalogue = "{ \"steps\": [ { \"id\": \"notice\", \"name\": \"Call-in\", \"kind\": \"CallIn\", \"duration\": { \"days\": 5, \"counting\": \"WorkingDays\", \"cutOff\": \"" + cutOff + "\" } }, { \"id\": \"decision\", \"name\": \"Decision\", \"kind\": \"Approval\" } ] }";
        using var set = TempRuleSet.With(catalogue: catalogue);
        Assert.DoesNotContain(RuleSet.Validate(set.Directory).Diagnostics, d => d.Id == "DR0090");
    }

    [Theory]
    [InlineData("input1.GetType().Assembly.Location != \"\"", "GetType", "Object.GetType")]
    [InlineData("proposal.GetType().Name == \"Proposal\"", "GetType", "Object.GetType")]
    [InlineData("Enumerable.Range(0, 100000000).Count() > 0", "Range", "Enumerable.Range")]
    [InlineData("Enumerable.Repeat(1, 100000000).Count() > 0", "Repeat", "Enumerable.Repeat")]
    [InlineData("proposal.Title.PadLeft(100000000).Length > 0", "PadLeft", "String.PadLeft")]
    [InlineData("DateTime.Now.Year > 2000", "Now", "DateTime.Now")]
    [InlineData("Guid.NewGuid() != Guid.Empty", "NewGuid", "Guid.NewGuid")]
    [InlineData("Convert.ToInt32(proposal.Title) > 0", "ToInt32", "Convert.ToInt32")]
    public void DR0029_expression_outside_the_allow_list_points_at_the_name(string expression, string marker, string what)
    {
        var rules = RulesWith($$"""{ "RuleName": "Hostile", "Expression": "{{expression.Replace("\"", "\\\"")}}" }""");
        using var set = TempRuleSet.With(rules: rules);
        AssertAt(set, "DR0029", "main.rules.json", rules, marker);
        Assert.Contains($"'{what}' is not allowed", Single(set, "DR0029").Message);
    }

    [Theory]
    [InlineData("proposal.Partners.Any(p => p.StartsWith(\"NHS\")) && proposal.Kinds.Count > 1")]
    [InlineData("proposal.Title.ToLower().Trim().Contains(\"pooled\") || proposal.Partners.Count >= 2")]
    [InlineData("proposal.IntendedDecisionDate.PlusDays(28) < LocalDate(2020, 1, 1) && Math.Abs(proposal.Savings) > 0")]
    [InlineData("new[] { 1, 2, 3 }.Contains(proposal.WardsAffected) && proposal.ExemptParagraphs.Count < 10")]
    public void DR0029_ordinary_expressions_are_allowed(string expression)
    {
        var rules = RulesWith($$"""{ "RuleName": "Fine", "Expression": "{{expression.Replace("\"", "\\\"")}}" }""");
        using var set = TempRuleSet.With(rules: rules);
        Assert.Empty(RuleSet.Validate(set.Directory).Diagnostics);
    }

    [Fact]
    public void DR0030_a_20000_deep_expression_is_a_diagnostic_not_a_stack_overflow()
    {
        var deep = new string('(', 20000) + "true" + new string(')', 20000);
        var rules = RulesWith($$"""{ "RuleName": "Deep", "Expression": "{{deep}}" }""");
        using var set = TempRuleSet.With(rules: rules);
        Assert.Contains("limit is 4000", Single(set, "DR0030").Message);
    }

    [Fact]
    public void DR0030_nesting_past_the_limit_points_at_the_bracket()
    {
        var nested = new string('(', 40) + "true" + new string(')', 40);
        var rules = RulesWith($$"""{ "RuleName": "Nested", "Expression": "{{nested}}" }""");
        using var set = TempRuleSet.With(rules: rules);
        AssertAt(set, "DR0030", "main.rules.json", rules, "(", columnOffset: 32);
    }

    [Fact]
    public void DR0030_applies_to_named_parameters_without_a_cascade()
    {
        var nested = new string('(', 40) + "true" + new string(')', 40);
        var rules = $$"""{ "WorkflowName": "main", "GlobalParams": [ { "Name": "deep", "Expression": "{{nested}}" } ], "Rules": [ { "RuleName": "R", "Expression": "deep && true" } ] }""";
        using var set = TempRuleSet.With(rules: rules);
        var diagnostics = RuleSet.Validate(set.Directory).Diagnostics;
        Assert.Equal("DR0030", Assert.Single(diagnostics).Id);
    }

    [Fact]
    public void DR0057_lower_case_operator_is_rejected_with_a_suggestion()
    {
        var rules = RulesWith("""{ "RuleName": "A", "Operator": "and", "Rules": [ { "RuleName": "B", "Expression": "true" } ] }""");
        using var set = TempRuleSet.With(rules: rules);
        AssertAt(set, "DR0057", "main.rules.json", rules, "\"and\"");
        Assert.Contains("did you mean 'And'?", Single(set, "DR0057").Message);
    }

    [Fact]
    public void DR0082_extending_a_missing_rule_set_points_at_extends()
    {
        var manifest = """{ "name": "t", "extends": "../does-not-exist" }""";
        using var set = TempRuleSet.With(manifest: manifest);
        AssertAt(set, "DR0082", "ruleset.json", manifest, "\"../does-not-exist\"");
    }

    [Fact]
    public void DR0019_an_empty_extends_says_it_must_name_a_folder_not_that_it_extends_itself()
    {
        var manifest = """{ "name": "t", "extends": "" }""";
        using var set = TempRuleSet.With(manifest: manifest);
        AssertAt(set, "DR0019", "ruleset.json", manifest, "\"\" }");
        Assert.Contains("\"extends\" is empty: it must name the folder", Single(set, "DR0019").Message);
        Assert.DoesNotContain(RuleSet.Validate(set.Directory).Diagnostics, d => d.Id == "DR0025");
    }

    [Fact]
    public void DR0082_extends_naming_a_file_says_it_is_a_file_not_a_folder()
    {
        var manifest = """{ "name": "t", "extends": "main.rules.json" }""";
        using var set = TempRuleSet.With(manifest: manifest);
        AssertAt(set, "DR0082", "ruleset.json", manifest, "\"main.rules.json\"");
        var message = Single(set, "DR0082").Message;
        Assert.Contains("which is a file, not a folder", message);
        Assert.DoesNotContain("does not exist", message);
    }

    [Fact]
    public void DR0003_a_parameter_too_large_for_a_number_says_it_is_out_of_range()
    {
        var manifest = """{ "name": "t", "parameters": { "cap": 1e400 } }""";
        using var set = TempRuleSet.With(manifest: manifest);
        AssertAt(set, "DR0003", "ruleset.json", manifest, "1e400");
        var message = Single(set, "DR0003").Message;
        Assert.Contains("1e400, which is out of range", message);
        Assert.DoesNotContain("not a number", message);
    }

    [Fact]
    public void DR0020_rule_with_no_condition_points_at_its_name()
    {
        var rules = RulesWith("""{ "RuleName": "Empty" }""");
        using var set = TempRuleSet.With(rules: rules);
        AssertAt(set, "DR0020", "main.rules.json", rules, "\"Empty\"");
    }

    [Fact]
    public void DR0021_duplicate_json_property_points_at_the_second()
    {
        var rules = RulesWith("""{ "RuleName": "A", "Expression": "true", "Expression": "false" }""");
        using var set = TempRuleSet.With(rules: rules);
        AssertAt(set, "DR0021", "main.rules.json", rules, "\"Expression\"", occurrence: 2);
    }

    [Fact]
    public void DR0022_rule_without_source_is_a_warning_that_does_not_stop_loading()
    {
        var rules = RulesWith("""{ "RuleName": "Unsourced", "Expression": "true", "Properties": { "steps": [ "notice" ] } }""");
        using var set = TempRuleSet.With(rules: rules);
        AssertAt(set, "DR0022", "main.rules.json", rules, "\"Unsourced\"");
        Assert.True(RuleSet.TryLoad(set.Directory).Succeeded);
    }

    [Fact]
    public void DR0023_steps_of_one_parallel_group_may_not_be_ordered()
    {
        var catalogue = TempRuleSet.Catalogue
            .Replace("\"role\": \"s151-officer\",", "\"role\": \"s151-officer\", \"parallelGroup\": \"g\",")
            .Replace("\"body\": \"cabinet\",", "\"body\": \"cabinet\", \"parallelGroup\": \"g\",");
        using var set = TempRuleSet.With(catalogue: catalogue);
        AssertAt(set, "DR0023", "catalogue.json", catalogue, "\"decision\"");
    }

    [Fact]
    public void DR0024_rule_set_without_rule_files_names_the_folder()
    {
        using var set = TempRuleSet.With(rules: null);
        var diagnostic = Single(set, "DR0024");
        Assert.False(diagnostic.Location.HasPosition);
        Assert.Equal(set.Directory.Replace('\\', '/'), diagnostic.Location.Path);
    }

    [Fact]
    public void DR0025_rule_sets_extending_each_other_are_reported()
    {
        using var a = TempRuleSet.With();
        using var b = new TempRuleSet(a.Directory + "-b");
        var aManifest = $$"""{ "name": "a", "extends": "../{{System.IO.Path.GetFileName(b.Directory)}}" }""";
        a.Write("ruleset.json", aManifest);
        var bManifest = $$"""{ "name": "b", "extends": "../{{System.IO.Path.GetFileName(a.Directory)}}" }""";
        b.Write("ruleset.json", bManifest);
        b.Write("b.rules.json", """{ "WorkflowName": "b", "Rules": [ { "RuleName": "B", "Expression": "true" } ] }""");

        // The circle closes at b's "extends", which leads back to a, where reading began.
        var diagnostic = Single(a, "DR0025");
        var (line, column) = Position.Of(bManifest, "\"../");
        Assert.Equal($"{b.PathOf("ruleset.json")}({line},{column})", diagnostic.Location.ToString());
        Assert.Contains(" → ", diagnostic.Message);
    }

    [Theory]
    [InlineData("key-decisions.json", "rename it 'key-decisions.rules.json'")]
    [InlineData("catalog.json", "did you mean 'catalogue.json'?")]
    public void DR0027_a_misnamed_json_file_is_a_warning_naming_the_file(string file, string hint)
    {
        using var set = TempRuleSet.With();
        set.Write(file, "{}");
        set.Write("notes.txt", "not json, not reported");
        var diagnostic = Single(set, "DR0027");
        Assert.Equal(set.PathOf(file), diagnostic.Location.Path);
        Assert.False(diagnostic.IsError);
        Assert.Contains(hint, diagnostic.Message);
        Assert.True(RuleSet.TryLoad(set.Directory).Succeeded);
    }

    [Fact]
    public void DR0042_a_consultation_period_nothing_ties_to_a_decision_is_a_warning_at_the_step()
    {
        var catalogue = TempRuleSet.Catalogue.Replace(
            "\"steps\": [",
            "\"steps\": [\n    { \"id\": \"consult\", \"name\": \"Consult\", \"kind\": \"Consultation\", \"duration\": { \"days\": 42, \"counting\": \"CalendarDays\" } },");
        using var set = TempRuleSet.With(catalogue: catalogue);
        AssertAt(set, "DR0042", "catalogue.json", catalogue, "\"consult\"");
        Assert.True(RuleSet.TryLoad(set.Directory).Succeeded);
    }

    [Fact]
    public void DR0043_a_replacement_that_leaves_out_an_inherited_predecessor_points_at_its_after()
    {
        using var baseline = TempRuleSet.With();
        using var local = new TempRuleSet(baseline.Directory + "-local");
        local.Write("ruleset.json", $$"""{ "name": "local", "extends": "../{{System.IO.Path.GetFileName(baseline.Directory)}}" }""");
        var catalogue = """
            {
              "steps": [
                { "id": "review", "name": "Review", "kind": "Record" },
                { "id": "decision", "name": "Decision", "kind": "Approval", "replaces": true, "after": [ "review" ] }
              ]
            }
            """;
        local.Write("catalogue.json", catalogue);
        local.Write("local.rules.json", """{ "WorkflowName": "local", "Rules": [ { "RuleName": "L", "Expression": "true" } ] }""");
        AssertAt(local, "DR0043", "catalogue.json", catalogue, "[ \"review\" ]");
        Assert.Contains("'after' leaves out the inherited 'notice'", Single(local, "DR0043").Message);
    }

    [Fact]
    public void DR0044_a_comparison_with_a_value_that_is_not_an_executive_model_points_at_the_literal()
    {
        var rules = RulesWith("""{ "RuleName": "Mayoral", "Expression": "parameters.executiveModel == \"MayorAndCabinett\" || \"leader\" != parameters.executiveModel", "Properties": { "steps": [ "notice" ], "source": "s" } }""");
        using var set = TempRuleSet.With(rules: rules, manifest: """{ "name": "t", "executiveModel": "MayorAndCabinet" }""");

        var found = RuleSet.Validate(set.Directory).Diagnostics.Where(d => d.Id == "DR0044").ToList();

        Assert.Equal(2, found.Count);
        var (line, column) = Position.Of(rules, "\\\"MayorAndCabinett");
        Assert.Equal($"{set.PathOf("main.rules.json")}({line},{column})", found[0].Location.ToString());
        Assert.Contains("did you mean 'MayorAndCabinet'", found[0].Message);
        (line, column) = Position.Of(rules, "\\\"leader");
        Assert.Equal($"{set.PathOf("main.rules.json")}({line},{column})", found[1].Location.ToString());
        Assert.False(RuleSet.TryLoad(set.Directory).Succeeded);
    }

    [Fact]
    public void DR0044_valid_models_load_and_the_model_is_inherited_and_overridden()
    {
        var rules = RulesWith("""{ "RuleName": "Mayoral", "Expression": "parameters.executiveModel == \"MayorAndCabinet\"", "Properties": { "steps": [ "notice" ], "source": "s" } }""");
        using var baseline = TempRuleSet.With(rules: rules, manifest: """{ "name": "base", "executiveModel": "LeaderAndCabinet" }""");
        using var local = new TempRuleSet(baseline.Directory + "-local");
        local.Write("ruleset.json", $$"""{ "name": "local", "extends": "../{{System.IO.Path.GetFileName(baseline.Directory)}}", "executiveModel": { "value": "MayorAndCabinet", "source": "LGA 2000 s9C(2)" } }""");
        local.Write("local.rules.json", """{ "WorkflowName": "local", "Rules": [ { "RuleName": "L", "Expression": "true" } ] }""");

        Assert.Equal("LeaderAndCabinet", RuleSet.Load(baseline.Directory).Definition.Parameters["executiveModel"].Value);
        var model = RuleSet.Load(local.Directory).Definition.Parameters["executiveModel"];
        Assert.Equal(("MayorAndCabinet", "local", "LGA 2000 s9C(2)"), ((string)model.Value, model.RuleSet, model.Source));
    }

    [Theory]
    [InlineData("\"Mayoral\"", "\"Mayoral\"", "'Mayoral' is not an executive model; expected one of LeaderAndCabinet, MayorAndCabinet")]
    [InlineData("{ \"value\": \"LeaderAndCabinett\" }", "\"LeaderAndCabinett\"", "did you mean 'LeaderAndCabinet'?")]
    [InlineData("3", "3", "must be a string")]
    public void An_executive_model_that_is_not_one_is_an_error_at_its_value(string value, string marker, string message)
    {
        var manifest = "{ \"name\": \"t\",\n  \"executiveModel\": " + value + " }";
        using var set = TempRuleSet.With(manifest: manifest);

        var diagnostic = RuleSet.Validate(set.Directory).Diagnostics.Single(d => d.IsError);

        var (line, column) = Position.Of(manifest, marker);
        Assert.Equal($"{set.PathOf("ruleset.json")}({line},{column})", diagnostic.Location.ToString());
        Assert.Contains(message, diagnostic.ToString());
    }

    [Fact]
    public void The_executive_model_cannot_also_be_set_as_a_parameter()
    {
        var manifest = "{ \"name\": \"t\", \"executiveModel\": \"LeaderAndCabinet\",\n  \"parameters\": { \"executiveModel\": \"MayorAndCabinet\" } }";
        using var set = TempRuleSet.With(manifest: manifest);

        var diagnostic = Single(set, "DR0018");

        var (line, column) = Position.Of(manifest, "\"executiveModel\": \"MayorAndCabinet\"");
        Assert.Equal($"{set.PathOf("ruleset.json")}({line},{column})", diagnostic.Location.ToString());
        Assert.Contains("set by the top-level \"executiveModel\"", diagnostic.Message);
    }

    [Fact]
    public void Every_problem_is_reported_at_once_across_files()
    {
        var catalogue = TempRuleSet.Catalogue.Replace("\"body\": \"cabinet\"", "\"body\": \"cabinett\"");
        var rules = RulesWith("""{ "RuleName": "A", "Expression": "proposal.Urgnt", "Enabeld": true }""");
        using var set = TempRuleSet.With(catalogue: catalogue, rules: rules);
        set.Write("broken.rules.json", "{ not json");
        var ids = RuleSet.Validate(set.Directory).Diagnostics.Select(d => d.Id).OrderBy(i => i).ToList();
        Assert.Equal(new[] { "DR0001", "DR0002", "DR0010", "DR0013" }, ids);
    }

    [Fact]
    public void Every_descriptor_has_a_unique_id_and_a_help_page()
    {
        var ids = DiagnosticDescriptors.All.Select(d => d.Id).ToList();
        Assert.Equal(ids.Distinct().Count(), ids.Count);
        foreach (var descriptor in DiagnosticDescriptors.All)
        {
            Assert.Matches("^DR[0-9]{4}$", descriptor.Id);
            Assert.True(System.IO.File.Exists(Repository.PathOf($"docs/rules/{descriptor.Id}.md")), $"docs/rules/{descriptor.Id}.md is missing");
            Assert.EndsWith($"docs/rules/{descriptor.Id}.md", descriptor.HelpLink);
        }
    }
}
