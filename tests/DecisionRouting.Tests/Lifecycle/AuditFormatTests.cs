using System;
using System.Text;
using DecisionRouting.Lifecycle;
using NodaTime;

namespace DecisionRouting.Tests.Lifecycle;

/// <summary>The audit entry's canonical form, keyed hashing and the head's published forms.</summary>
public sealed class AuditFormatTests
{
    private static readonly AuditEntry Entry = new()
    {
        CaseId = "c",
        At = Instant.FromUtc(2026, 11, 29, 10, 0),
        RecordedAt = Instant.FromUtc(2026, 11, 29, 10, 1),
        Actor = "Ann",
        Roles = "s151-officer",
        Trigger = "CompleteStep",
        Step = "finance-sign-off",
        From = CaseState.InProgress,
        To = CaseState.InProgress,
        Accepted = true,
        RuleSetHash = new string('a', 64),
    };

    [Fact]
    public void Moving_a_separator_between_fields_changes_a_format_2_hash_though_it_left_format_1_unchanged()
    {
        // Format 1 joined fields with U+001F, so text moved across that boundary gave the same hash: a sibling of
        // editing an entry undetected. Format 2 prefixes every field with its length.
        var one = Entry with { Actor = "Ann\u001fs151-officer", Roles = "x" };
        var other = Entry with { Actor = "Ann", Roles = "s151-officer\u001fx" };

        Assert.Equal(one.ChainedAfter(1, AuditEntry.Genesis).Hash, other.ChainedAfter(1, AuditEntry.Genesis).Hash);
        Assert.NotEqual(
            one.ChainedInCase(1, 1, AuditEntry.Genesis, new string('d', 64), null).Hash,
            other.ChainedInCase(1, 1, AuditEntry.Genesis, new string('d', 64), null).Hash);
    }

    [Fact]
    public void A_missing_step_and_an_empty_one_hash_differently()
    {
        var none = Entry with { Step = null };
        var empty = Entry with { Step = string.Empty };

        Assert.NotEqual(
            none.ChainedInCase(1, 1, AuditEntry.Genesis, new string('d', 64), null).Hash,
            empty.ChainedInCase(1, 1, AuditEntry.Genesis, new string('d', 64), null).Hash);
    }

    [Fact]
    public void A_keyed_hash_needs_the_key_and_records_only_its_fingerprint()
    {
        var key = new AuditKey(Encoding.UTF8.GetBytes("0123456789abcdef0123456789abcdef"));
        var keyed = Entry.ChainedInCase(3, 2, AuditEntry.Genesis, new string('d', 64), key);
        var plain = Entry.ChainedInCase(3, 2, AuditEntry.Genesis, new string('d', 64), null);

        Assert.Equal(key.Id, keyed.KeyId);
        Assert.Equal(16, key.Id.Length);
        Assert.NotEqual(plain.Hash, keyed.Hash);
        Assert.Equal(keyed.Hash, keyed.ComputeHash(key));
        Assert.NotEqual(keyed.Hash, keyed.ComputeHash(null));
        Assert.DoesNotContain("0123456789abcdef", key.Id, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("c2hvcnQ=", "decodes to 5 bytes; it needs at least 32")]
    [InlineData("not base64!", "is not base64 text")]
    public void A_weak_or_malformed_key_is_refused(string text, string expected)
    {
        var e = Assert.Throws<FormatException>(() => AuditKey.FromBase64(text));
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void A_head_round_trips_through_its_text_and_json_forms()
    {
        var head = new AuditHead(1234, 1200, 30, new string('e', 64), Instant.FromUtc(2026, 11, 29, 21, 30));

        Assert.Equal($"decision-routing-audit-head/2 seq=1234 entries=1200 cases=30 root={new string('e', 64)} at=2026-11-29T21:30:00Z", head.ToString());
        Assert.Equal(head, AuditHead.Parse(head.ToString()));
        Assert.Equal(head, AuditHead.Parse(head.ToJson()));
        Assert.Equal(head, AuditHead.Parse("  " + head + "\n"));
    }

    [Theory]
    [InlineData("seq=1 root=x", "starts with 'decision-routing-audit-head/2'")]
    [InlineData("decision-routing-audit-head/2 seq=1 entries=1 cases=1 root=abc at=2026-11-29T21:30:00Z", "root must be 64 hex digits")]
    [InlineData("decision-routing-audit-head/2 seq=-1 entries=1 cases=1 root=eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee at=2026-11-29T21:30:00Z", "'seq' must be a whole number of 0 or more, written in digits only")]
    [InlineData("decision-routing-audit-head/2 entries=1 cases=1 root=eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee at=2026-11-29T21:30:00Z", "has no 'seq'")]
    [InlineData("{\"format\":\"other\"}", "\"format\" must be")]
    [InlineData("{\"format\":", "not valid JSON")]
    public void A_malformed_head_says_what_is_wrong(string text, string expected)
    {
        var e = Assert.Throws<FormatException>(() => AuditHead.Parse(text));
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void The_root_depends_on_every_case_head_but_not_on_their_order()
    {
        var a = ("a", 2L, new string('1', 64));
        var b = ("b", 5L, new string('2', 64));

        Assert.Equal(AuditHead.ComputeRoot(7, 7, new[] { a, b }), AuditHead.ComputeRoot(7, 7, new[] { b, a }));
        Assert.NotEqual(AuditHead.ComputeRoot(7, 7, new[] { a, b }), AuditHead.ComputeRoot(7, 7, new[] { a }));
        Assert.NotEqual(AuditHead.ComputeRoot(7, 7, new[] { a, b }), AuditHead.ComputeRoot(7, 7, new[] { a, ("b", 4L, new string('2', 64)) }));
        Assert.NotEqual(AuditHead.ComputeRoot(7, 7, new[] { a, b }), AuditHead.ComputeRoot(8, 7, new[] { a, b }));
    }
}
