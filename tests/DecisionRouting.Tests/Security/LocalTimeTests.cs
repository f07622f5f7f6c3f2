using System;
using System.IO;
using System.Linq;
using DecisionRouting.Calendar;
using DecisionRouting.Tests.Support;
using NodaTime;
using NodaTime.Text;

namespace DecisionRouting.Tests.Security;

/// <summary>
/// BREAKER14e N5: a London wall-clock time the clocks skip was recorded an hour later, and one they show twice was
/// resolved silently. Every local time given (the CLI's <c>--at</c>, the library's <see cref="LondonTime"/>, a period's
/// cut-off in <see cref="GovernanceCalendar.Closes"/>) now goes through <see cref="LondonTime"/>: refused with the
/// change named, or, for a cut-off already in a plan, read by one documented rule.
/// </summary>
public sealed class LocalTimeTests : IDisposable
{
    private const string Id = "croydon-2013-integrated-commissioning-unit";
    private readonly TempCaseStore _store = new("dr-local-");

    public void Dispose() => _store.Dispose();

    // The last Sundays of March (clocks forward 01:00 -> 02:00) and October (back 02:00 -> 01:00), two years each.
    [Theory]
    [InlineData("2014-03-30T01:30", "2014-03-30T02:30+01:00")]
    [InlineData("2015-03-29T01:00", "2015-03-29T02:00+01:00")]
    [InlineData("2015-03-29T01:59:30", "2015-03-29T02:59:30+01:00")]
    public void Fire_at_a_time_the_clocks_skipped_is_exit_2_naming_the_gap_and_nothing_is_audited(string at, string suggested)
    {
        Create();

        var fired = Fire("start", "--actor", "Dem", "--role", "democratic-services", "--at", at);
        var history = Run("proposal", "history", Id, "--db", _store.Db, "--format", "json");

        Assert.Equal(2, fired.Exit);
        Assert.Contains($"--at {at} does not exist in Europe/London: the clocks went forward from 01:00 to 02:00 that day; give an offset, e.g. {suggested}", fired.Error);
        Assert.DoesNotContain("\"Start\"", history.Out, StringComparison.Ordinal);
        Assert.Contains("State: Draft", Run("proposal", "status", Id, "--db", _store.Db).Out);
    }

    [Theory]
    [InlineData("2013-10-27T01:30")]
    [InlineData("2014-10-26T01:00")]
    [InlineData("2014-10-26T01:59")]
    public void Fire_at_a_time_the_clocks_showed_twice_is_exit_2_naming_both_instants(string at)
    {
        Create();

        var fired = Fire("start", "--actor", "Dem", "--role", "democratic-services", "--at", at);

        Assert.Equal(2, fired.Exit);
        Assert.Contains($"--at {at} happens twice in Europe/London: the clocks went back from 02:00 to 01:00 that day, so it is {at}+01:00 or, an hour later, {at}+00:00; give the offset meant", fired.Error);
        Assert.Contains("State: Draft", Run("proposal", "status", Id, "--db", _store.Db).Out);
    }

    [Theory]
    [InlineData("2014-03-30T01:30")]
    [InlineData("2013-10-27T01:30")]
    public void Status_at_a_time_that_is_not_unique_is_exit_2(string at)
    {
        Create();

        var status = Run("proposal", "status", Id, "--db", _store.Db, "--at", at);

        Assert.Equal(2, status.Exit);
        Assert.Contains($"--at {at} ", status.Error);
        Assert.Contains("give an offset", status.Error.Replace("give the offset meant", "give an offset", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("2014-03-30T01:30+00:00", "2014-03-30T01:30:00Z")]
    [InlineData("2014-03-30T02:30+01:00", "2014-03-30T01:30:00Z")]
    [InlineData("2013-10-27T01:30+01:00", "2013-10-27T00:30:00Z")]
    [InlineData("2013-10-27T01:30+00:00", "2013-10-27T01:30:00Z")]
    [InlineData("2013-10-27T01:30Z", "2013-10-27T01:30:00Z")]
    [InlineData("2013-10-27T02:30", "2013-10-27T02:30:00Z")]
    [InlineData("2014-03-30T02:30", "2014-03-30T01:30:00Z")]
    public void A_time_with_an_offset_or_a_unique_local_time_is_taken_as_given(string at, string recorded)
    {
        Create();

        var fired = Fire("start", "--actor", "Dem", "--role", "democratic-services", "--at", at);
        var history = Run("proposal", "history", Id, "--db", _store.Db, "--format", "json");

        Assert.True(fired.Exit == 0, fired.Error);
        Assert.Contains($"\"{recorded}\"", history.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(2010, 3, 28)]
    [InlineData(2026, 3, 29)]
    public void The_library_refuses_a_skipped_time_with_no_candidates(int year, int month, int day)
    {
        var local = new LocalDateTime(year, month, day, 1, 30);

        var refused = Assert.Throws<LocalTimeNotUniqueException>(() => LondonTime.Resolve(local));

        Assert.Equal(local, refused.Local);
        Assert.Empty(refused.Candidates);
        Assert.Equal($"{year:D4}-{month:D2}-{day:D2}T01:30 does not exist in Europe/London: the clocks went forward from 01:00 to 02:00 that day; give an offset, e.g. {year:D4}-{month:D2}-{day:D2}T02:30+01:00", refused.Message);
        Assert.IsAssignableFrom<ArgumentException>(refused);
    }

    [Theory]
    [InlineData(2010, 10, 31)]
    [InlineData(2026, 10, 25)]
    public void The_library_refuses_a_repeated_time_naming_both_instants(int year, int month, int day)
    {
        var local = new LocalDateTime(year, month, day, 1, 30);

        var refused = Assert.Throws<LocalTimeNotUniqueException>(() => LondonTime.Resolve(local));

        Assert.Equal([Instant.FromUtc(year, month, day, 0, 30), Instant.FromUtc(year, month, day, 1, 30)], refused.Candidates);
        Assert.Contains("happens twice in Europe/London", refused.Message, StringComparison.Ordinal);
        Assert.False(LondonTime.TryResolve(local, out _, out var problem));
        Assert.Equal(refused.Message, problem!.Message);
    }

    [Theory]
    [InlineData("2010-03-28T00:59", "2010-03-28T00:59:00Z")]
    [InlineData("2010-03-28T02:00", "2010-03-28T01:00:00Z")]
    [InlineData("2010-10-31T00:59", "2010-10-30T23:59:00Z")]
    [InlineData("2010-10-31T02:00", "2010-10-31T02:00:00Z")]
    [InlineData("2026-07-01T12:00", "2026-07-01T11:00:00Z")]
    public void The_library_resolves_a_unique_time(string local, string instant)
    {
        var resolved = LondonTime.Resolve(LocalDateTimePattern.GeneralIso.Parse(local + ":00").Value);

        Assert.Equal(InstantPattern.General.Parse(instant).Value, resolved);
    }

    // A cut-off is a deadline already in a plan or a case, so it is read, not refused: the first instant the clocks
    // show the cut-off or later. Lenient resolution closed a skipped 01:30 at 02:30 BST, half an hour late.
    [Theory]
    [InlineData(2014, 3, 30, "2014-03-30T01:00:00Z")]
    [InlineData(2026, 3, 29, "2026-03-29T01:00:00Z")]
    [InlineData(2013, 10, 27, "2013-10-27T00:30:00Z")]
    [InlineData(2026, 10, 25, "2026-10-25T00:30:00Z")]
    [InlineData(2026, 6, 1, "2026-06-01T00:30:00Z")]
    public void A_cut_off_the_clocks_skip_or_repeat_closes_the_first_moment_the_clocks_reach_it(int year, int month, int day, string closes)
    {
        var closed = GovernanceCalendar.Closes(new LocalDate(year, month, day), new LocalTime(1, 30));

        Assert.Equal(InstantPattern.General.Parse(closes).Value, closed.ToInstant());
    }

    private static (int Exit, string Out, string Error) Run(params string[] args) => InProcessCli.Run(args);

    private void Create()
    {
        var result = Run("proposal", "create", Repository.PathOf($"samples/proposals/{Id}.json"), "--rules", Repository.PathOf("rules/partnerships/croydon"), "--today", "2013-06-01", "--db", _store.Db, "--actor", "Test");
        Assert.True(result.Exit == 0, result.Error);
    }

    private (int Exit, string Out, string Error) Fire(string trigger, params string[] options) =>
        Run(new[] { "proposal", "fire", Id, trigger, "--db", _store.Db }.Concat(options).ToArray());
}
