using System;
using DecisionRouting.Lifecycle;
using DecisionRouting.Tests.Support;

namespace DecisionRouting.Tests.Lifecycle;

/// <summary><see cref="CaseTriggers.Parse"/>: names and their hyphenated forms, case ignored; nothing looser.</summary>
public sealed class CaseTriggersTests
{
    [Theory]
    [InlineData("CompleteStep", CaseTrigger.CompleteStep)]
    [InlineData("completestep", CaseTrigger.CompleteStep)]
    [InlineData("complete-step", CaseTrigger.CompleteStep)]
    [InlineData("COMPLETE_STEP", CaseTrigger.CompleteStep)]
    [InlineData("end-call-in-period", CaseTrigger.EndCallInPeriod)]
    [InlineData("start", CaseTrigger.Start)]
    [InlineData("StartStep", CaseTrigger.StartStep)]
    public void Names_and_hyphenated_forms_parse_ignoring_case(string text, CaseTrigger expected)
    {
        Assert.Equal(expected, CaseTriggers.Parse(text));
        Assert.True(CaseTriggers.TryParse(text, out var parsed));
        Assert.Equal(expected, parsed);
    }

    [Fact]
    public void Every_trigger_round_trips_through_its_hyphenated_name()
    {
        foreach (var trigger in Enum.GetValues<CaseTrigger>())
        {
            Assert.Equal(trigger, CaseTriggers.Parse(trigger.Hyphenated()));
            Assert.Equal(trigger, CaseTriggers.Parse(trigger.ToString()));
        }

        Assert.Equal(Enum.GetValues<CaseTrigger>().Length, CaseTriggers.Names.Count);
    }

    /// <summary>
    /// Enum.TryParse, which the CLI used, reads "start,defer" as Start|Defer = Defer and " start" as Start; a number
    /// names whatever trigger has that value today.
    /// </summary>
    [Theory]
    [InlineData("start,defer")]
    [InlineData("Start, Defer")]
    [InlineData("2")]
    [InlineData(" start")]
    [InlineData("start ")]
    [InlineData("complete step")]
    [InlineData("c-omplete-step")]
    [InlineData("complete--step")]
    [InlineData("")]
    [InlineData("Create")]
    public void Anything_looser_is_refused(string text)
    {
        Assert.False(CaseTriggers.TryParse(text, out _));
        var error = Assert.Throws<FormatException>(() => CaseTriggers.Parse(text));
        Assert.StartsWith($"'{text}' is not a trigger", error.Message, StringComparison.Ordinal);
        Assert.EndsWith("(triggers: start, complete-step, defer, resume, reject, withdraw, call-in, end-call-in-period, no-further-action, refer-back, refer-to-full-council, confirm-decision, start-step)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_near_miss_is_told_the_nearest_name()
    {
        var error = Assert.Throws<FormatException>(() => CaseTriggers.Parse("complet-step"));
        Assert.Contains("did you mean 'complete-step'?", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentNullException>(() => CaseTriggers.Parse(null!));
        Assert.False(CaseTriggers.TryParse(null, out _));
    }

    [Theory]
    [InlineData("start,defer")]
    [InlineData("2")]
    public void The_cli_refuses_what_the_helper_refuses_before_touching_the_store(string trigger)
    {
        var result = InProcessCli.Run("proposal", "fire", "no-such-case", trigger, "--actor", "Dem", "--role", "democratic-services", "--db", "/nonexistent/cases.db");

        Assert.Equal(2, result.Exit);
        Assert.Contains($"'{trigger}' is not a trigger", result.Error, StringComparison.Ordinal);
        Assert.Contains("(triggers: start, complete-step,", result.Error, StringComparison.Ordinal);
    }
}
