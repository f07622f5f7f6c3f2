using System;
using System.Diagnostics;
using System.IO;
using DecisionRouting.Tests.Support;

namespace DecisionRouting.Tests.Security;

/// <summary>
/// Breaker round 2, minor findings: DR0062 says what is actually wrong when the root does not contain the rule set,
/// and a syntax error (DR0001) in a file read with --allow-hard-links quotes no word of its content.
/// </summary>
public sealed class RefusalWordingTests : IDisposable
{
    private readonly RuleTreeSandbox _sandbox = new("dr-word-");

    private string Outside => _sandbox.Outside;

    private string Rules => _sandbox.Rules;

    public void Dispose() => _sandbox.Dispose();

    [Fact]
    public void A_rules_root_that_does_not_contain_the_rule_set_is_not_called_a_symbolic_link()
    {
        File.WriteAllText(Path.Combine(Rules, "ruleset.json"), """{ "name": "local" }""");

        var validated = InProcessCli.Run("validate", Rules, "--rules-root", Outside);
        var routed = InProcessCli.Run("route", Repository.PathOf("samples/proposals/croydon-2013-integrated-commissioning-unit.json"), "--rules", Rules, "--rules-root", Outside);

        Assert.Equal(1, validated.Exit);
        Assert.Contains($"/ruleset.json: error DR0062: 'ruleset.json' is not read: it is outside the rule tree '{Outside}', and every file read must be inside it", validated.Out, StringComparison.Ordinal);
        Assert.Equal(2, routed.Exit);
        foreach (var text in new[] { validated.Out, validated.Error, routed.Out, routed.Error })
        {
            Assert.DoesNotContain("symbolic link", text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_syntax_error_in_a_hard_linked_file_read_on_purpose_quotes_no_word_of_it()
    {
        var secret = Path.Combine(Outside, "credentials");
        File.WriteAllText(secret, "SECRETTOKEN hunter2\n");
        HardLink(secret, Path.Combine(Rules, "ruleset.json"));

        var validated = InProcessCli.Run("validate", Rules, "--allow-hard-links");

        Assert.Equal(1, validated.Exit);
        Assert.Contains("/ruleset.json(1,1): error DR0001: Malformed JSON: unexpected bare word", validated.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("SECRETTOKEN", validated.Out + validated.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", validated.Out + validated.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_mistyped_literal_is_still_quoted_and_a_property_name_is_not()
    {
        File.WriteAllText(Path.Combine(Rules, "ruleset.json"), """{ "name": True }""");
        var literal = InProcessCli.Run("validate", Rules);
        File.WriteAllText(Path.Combine(Rules, "ruleset.json"), """{ "PrivateKey" 1 }""");
        var property = InProcessCli.Run("validate", Rules);

        Assert.Contains("error DR0001: Malformed JSON: unexpected 'True'", literal.Out, StringComparison.Ordinal);
        Assert.Contains("error DR0001: Malformed JSON: unexpected character '1'; expected ':' after the property name", property.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("PrivateKey", property.Out, StringComparison.Ordinal);
    }

    private static void HardLink(string existing, string link)
    {
        using var ln = Process.Start(new ProcessStartInfo("ln", new[] { existing, link }) { RedirectStandardError = true })!;
        ln.WaitForExit();
        Assert.True(ln.ExitCode == 0, ln.StandardError.ReadToEnd());
    }
}
