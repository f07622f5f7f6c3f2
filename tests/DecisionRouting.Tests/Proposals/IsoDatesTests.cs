using System;
using System.Collections.Generic;
using System.Linq;
using DecisionRouting.Proposals;
using DecisionRouting.Text;
using NodaTime;
using NodaTime.Text;

namespace DecisionRouting.Tests.Proposals;

/// <summary>
/// <see cref="IsoDates.TryParseExact"/>, the cold start's reading of a plain ISO date, against NodaTime's
/// <see cref="LocalDatePattern.Iso"/>, which reads everything it declines: whatever it accepts, NodaTime accepts as
/// the same date; whatever plain date NodaTime accepts (year 0 aside), it accepts too; and the proposal reader's
/// answer for every text is what NodaTime alone would make it.
/// </summary>
public sealed class IsoDatesTests
{
    private static void AssertAgrees(string text)
    {
        var noda = LocalDatePattern.Iso.Parse(text);
        if (IsoDates.TryParseExact(text, out var fast))
        {
            Assert.True(noda.Success, $"ours read \"{text}\" as {fast}, NodaTime refused it");
            Assert.Equal(noda.Value, fast);
            Assert.Equal(CalendarSystem.Iso, fast.Calendar);
        }
        else if (noda.Success && PlainShape(text))
        {
            // The only plain-shaped text ours leaves to NodaTime that NodaTime reads: year 0000.
            Assert.Equal(0, noda.Value.Year);
        }
    }

    private static bool PlainShape(string text) =>
        text.Length == 10 && text[4] == '-' && text[7] == '-' && text.Where((c, i) => i != 4 && i != 7).All(c => c is >= '0' and <= '9');

    [Fact]
    public void Every_day_from_1800_to_2250_reads_as_NodaTime_reads_it()
    {
        for (var day = new LocalDate(1800, 1, 1); day <= new LocalDate(2250, 12, 31); day = day.PlusDays(1))
        {
            var text = LocalDatePattern.Iso.Format(day);
            Assert.True(IsoDates.TryParseExact(text, out var read), text);
            Assert.Equal(day, read);
        }
    }

    [Fact]
    public void Every_month_and_day_number_in_leap_plain_and_edge_years_agrees_with_NodaTime()
    {
        // 0000 and 0004 and 2000 are leap years (proleptic Gregorian), 1900, 2100 and 2023 are not; 0001 and 9999 are the ends.
        foreach (var year in new[] { "0000", "0001", "0004", "0100", "0999", "1000", "1900", "1999", "2000", "2023", "2024", "2100", "2199", "2200", "9999" })
        {
            for (var month = 0; month <= 99; month++)
            {
                for (var day = 0; day <= 99; day++)
                {
                    AssertAgrees(FormattableString.Invariant($"{year}-{month:00}-{day:00}"));
                }
            }
        }
    }

    [Theory]
    [InlineData("2023-02-29")]
    [InlineData("2024-02-30")]
    [InlineData("1900-02-29")]
    [InlineData("2023-04-31")]
    [InlineData("2023-00-10")]
    [InlineData("2023-13-01")]
    [InlineData("2023-01-00")]
    [InlineData("2023-01-32")]
    [InlineData("0000-01-01")]
    [InlineData("-0001-01-01")]
    [InlineData("-2023-01-01")]
    [InlineData("+2023-01-01")]
    [InlineData("12023-01-01")]
    [InlineData("02023-01-01")]
    [InlineData("2023-1-01")]
    [InlineData("2023-01-1")]
    [InlineData("23-01-01")]
    [InlineData("2023/01/01")]
    [InlineData("2023-01-01 ")]
    [InlineData(" 2023-01-01")]
    [InlineData("2023-01-01T00:00")]
    [InlineData("2023-01-01Z")]
    [InlineData("２０２３-01-01")]
    [InlineData("202٣-01-01")]
    [InlineData("2023–01–01")]
    [InlineData("")]
    public void A_text_ours_declines_is_NodaTimes_to_judge(string text)
    {
        Assert.False(IsoDates.TryParseExact(text, out _));
        AssertAgrees(text);
    }

    [Fact]
    public void Random_texts_near_the_shape_agree_with_NodaTime()
    {
        var random = new Random(17);
        const string alphabet = "0123456789-+ T/:.Z";
        var valid = new LocalDate(2013, 7, 15);
        var seen = 0;
        for (var i = 0; i < 40_000; i++)
        {
            string text;
            if (i % 2 == 0)
            {
                // A real date with one character replaced, inserted or removed.
                var chars = LocalDatePattern.Iso.Format(valid.PlusDays(random.Next(-60_000, 60_000))).ToList();
                var at = random.Next(chars.Count);
                switch (random.Next(3))
                {
                    case 0: chars[at] = alphabet[random.Next(alphabet.Length)]; break;
                    case 1: chars.Insert(at, alphabet[random.Next(alphabet.Length)]); break;
                    default: chars.RemoveAt(at); break;
                }

                text = new string(chars.ToArray());
            }
            else
            {
                text = new string(Enumerable.Range(0, random.Next(8, 12)).Select(_ => random.Next(4) == 0 ? '-' : (char)('0' + random.Next(10))).ToArray());
            }

            if (IsoDates.TryParseExact(text, out _))
            {
                seen++;
            }

            AssertAgrees(text);
        }

        // The generator must reach both sides, or the comparison proves little.
        Assert.InRange(seen, 1_000, 39_000);
    }

    public static IEnumerable<object[]> ReaderCases() =>
        new[] { "2013-07-15", "1900-01-01", "2199-12-31", "1899-12-31", "2200-01-01", "0000-01-01", "0001-01-01", "2013-02-29", "2012-02-29", "2013-7-15", "-2013-07-15", "2013-07-15T00:00", "+2013-07-15" }
            .Select(t => new object[] { t });

    [Theory]
    [MemberData(nameof(ReaderCases))]
    public void The_proposal_reader_gives_the_date_or_the_diagnostic_NodaTime_alone_would(string text)
    {
        var json = $$"""
            { "id": "p1", "title": "A proposal", "decisionMaker": "Cabinet", "intendedDecisionDate": "{{text}}", "kinds": [ "S75Agreement" ] }
            """;
        var result = ProposalReader.Read("p.json", json);
        var noda = LocalDatePattern.Iso.Parse(text);
        if (!noda.Success)
        {
            var diagnostic = Assert.Single(result.Diagnostics);
            Assert.Equal("DR0072", diagnostic.Id);
            Assert.Equal($"'intendedDecisionDate' must be a date written yyyy-MM-dd, not \"{text}\"", diagnostic.Message);
        }
        else if (!SupportedDates.Contains(noda.Value))
        {
            var diagnostic = Assert.Single(result.Diagnostics);
            Assert.Equal("DR0067", diagnostic.Id);
            Assert.Equal($"'intendedDecisionDate' {text} is outside the supported range of dates, 1900-01-01 to 2199-12-31", diagnostic.Message);
        }
        else
        {
            Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
            Assert.Equal(noda.Value, result.Proposal!.IntendedDecisionDate);
        }
    }

    [Theory]
    [InlineData("2013-07-15\0x")]
    [InlineData("2013-07-15\0")]
    [InlineData("2013-07-15\0\0")]
    [InlineData("2013-07-15\0T00:00")]
    [InlineData("\02013-07-15")]
    [InlineData("2013-07\0-15")]
    public void A_date_holding_a_NUL_is_refused_wherever_dates_are_read(string text)
    {
        // NodaTime's parser stops at a NUL as at the text's end, so "2013-07-15\0x" read as 15 July 2013 and the rest
        // was dropped without a word. IsoDates.Parse is every reader's way in: proposal and file dates, attribute
        // dates, stored cases and the CLI's date options.
        var parsed = IsoDates.Parse(text);
        Assert.False(parsed.Success);
        Assert.IsType<UnparsableValueException>(parsed.Exception);

        var escaped = text.Replace("\0", "\\u0000", StringComparison.Ordinal);
        var json = $$"""
            { "id": "p1", "title": "A proposal", "decisionMaker": "Cabinet", "intendedDecisionDate": "{{escaped}}", "kinds": [ "S75Agreement" ] }
            """;
        var result = ProposalReader.Read("p.json", json);
        Assert.False(result.Succeeded);
        Assert.Equal("DR0072", Assert.Single(result.Diagnostics).Id);

        Assert.False(ProposalAttributes.TryDate(text, out _));
    }

    [Fact]
    public void Instants_and_times_holding_a_NUL_are_refused_too()
    {
        Assert.True(NodaText.Parse(InstantPattern.ExtendedIso, "2026-11-30T09:00:00Z").Success);
        Assert.False(NodaText.Parse(InstantPattern.ExtendedIso, "2026-11-30T09:00:00Z\0junk").Success);
        Assert.False(NodaText.Parse(InstantPattern.General, "2026-11-30T09:00:00Z\0").Success);
        Assert.True(NodaText.Parse(LocalTimePattern.ExtendedIso, "13:00:00").Success);
        Assert.False(NodaText.Parse(LocalTimePattern.ExtendedIso, "13:00:00\0x").Success);

        // A period's cut-off in plan and case JSON reads through it.
        Assert.Equal(new LocalTime(13, 0), ReadCutOff("\"13:00\""));
        Assert.Throws<System.Text.Json.JsonException>(() => ReadCutOff("\"13:00\\u0000x\""));
    }

    private static LocalTime ReadCutOff(string json)
    {
        var reader = new System.Text.Json.Utf8JsonReader(System.Text.Encoding.UTF8.GetBytes(json));
        reader.Read();
        return new DecisionRouting.Serialization.HourMinuteConverter().Read(ref reader, typeof(LocalTime), DecisionRouting.Serialization.DecisionRoutingJson.Options);
    }

    [Fact]
    public void Parse_gives_what_NodaTime_gives_for_every_text_without_a_NUL()
    {
        foreach (var text in new[] { "2013-07-15", "0000-01-01", "2013-02-29", "+2013-07-15", "2013-7-15", " 2013-07-15", "" })
        {
            var ours = IsoDates.Parse(text);
            var noda = LocalDatePattern.Iso.Parse(text);
            Assert.Equal(noda.Success, ours.Success);
            if (noda.Success)
            {
                Assert.Equal(noda.Value, ours.Value);
            }
        }
    }

    [Fact]
    public void The_supported_range_is_written_as_NodaTime_writes_it()
    {
        Assert.Equal(LocalDatePattern.Iso.Format(SupportedDates.Earliest) + " to " + LocalDatePattern.Iso.Format(SupportedDates.Latest), SupportedDates.Range);
        Assert.Equal("1900-01-01 to 2199-12-31", SupportedDates.Range);
    }
}
