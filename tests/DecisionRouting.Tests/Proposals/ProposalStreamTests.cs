using System;
using System.IO;
using System.IO.Pipelines;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using DecisionRouting.Proposals;
using DecisionRouting.Tests.Support;

namespace DecisionRouting.Tests.Proposals;

/// <summary><see cref="ProposalReader.ReadAsync"/>: a request body read like a file, with the same diagnostics, cancellable.</summary>
public sealed class ProposalStreamTests
{
    private static MemoryStream Utf8(string text, bool bom = false) =>
        new((bom ? Encoding.UTF8.GetPreamble() : Array.Empty<byte>()).Concat(Encoding.UTF8.GetBytes(text)).ToArray());

    [Fact]
    public async Task A_sample_read_from_a_stream_is_the_proposal_read_from_its_file()
    {
        var path = Repository.PathOf("samples/proposals/croydon-2013-integrated-commissioning-unit.json");
        var fromFile = ProposalReader.ReadFile(path).Proposal!;

        await using var stream = Utf8(File.ReadAllText(path), bom: true);
        var fromStream = await ProposalReader.ReadAsync(stream, "request");

        Assert.True(fromStream.Succeeded, string.Join("\n", fromStream.Diagnostics));
        Assert.Equal(fromFile.Id, fromStream.Proposal!.Id);
        Assert.Equal(fromFile.IntendedDecisionDate, fromStream.Proposal.IntendedDecisionDate);
        Assert.Equal(fromFile.FinancialCommitment, fromStream.Proposal.FinancialCommitment);
        Assert.Equal(fromFile.Kinds, fromStream.Proposal.Kinds);
    }

    [Theory]
    [InlineData("{\n  \"id\": \"p1\"\n  \"title\": \"x\"\n}", "\"title\"")]
    [InlineData("{\n  \"id\": \"p1\",\n  \"title\": \"x\",\n  \"decisionMaker\": \"Cabnet\",\n  \"intendedDecisionDate\": \"2013-07-15\",\n  \"kinds\": [ \"Mou\" ]\n}", "\"Cabnet\"")]
    [InlineData("{\n  \"id\": \"p1\",\n  \"title\": \"x\",\n  \"decisionMaker\": \"Cabinet\",\n  \"intendedDecisionDate\": \"15/07/2013\",\n  \"kinds\": [ \"Mou\" ]\n}", "\"15/07/2013\"")]
    public async Task A_malformed_stream_gets_the_same_diagnostics_with_file_line_and_column_as_text(string json, string marker)
    {
        await using var stream = Utf8(json);
        var read = await ProposalReader.ReadAsync(stream, "upload.json");

        Assert.Null(read.Proposal);
        Assert.Equal(ProposalReader.Read("upload.json", json).Diagnostics.Select(d => d.ToString()), read.Diagnostics.Select(d => d.ToString()));
        var (line, column) = Position.Of(json, marker);
        Assert.Contains(read.Diagnostics, d => d.Location.ToString() == $"upload.json({line},{column})");
    }

    [Fact]
    public async Task Reading_a_stream_that_never_ends_stops_when_cancelled()
    {
        var pipe = new Pipe();
        await pipe.Writer.WriteAsync(Encoding.UTF8.GetBytes("{ \"id\": "));
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => ProposalReader.ReadAsync(pipe.Reader.AsStream(), "request", cancel.Token));
    }

    [Fact]
    public async Task An_already_cancelled_read_reads_nothing()
    {
        await using var stream = Utf8("{}");
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => ProposalReader.ReadAsync(stream, "request", new CancellationToken(canceled: true)));
        Assert.Equal(0, stream.Position);
    }

    [Fact]
    public async Task A_stream_over_the_limit_is_refused_with_DR0062_after_one_byte_more()
    {
        await using var stream = Utf8(new string(' ', 200) + "{}");
        var read = await ProposalReader.ReadAsync(stream, "request", maxBytes: 100, CancellationToken.None);

        var refused = Assert.Single(read.Diagnostics);
        Assert.Equal("DR0062", refused.Id);
        Assert.Contains("limit of 100 bytes", refused.Message, StringComparison.Ordinal);
        Assert.Equal(101, stream.Position);
    }

    [Fact]
    public async Task A_stream_that_fails_is_DR0079_not_an_exception()
    {
        var read = await ProposalReader.ReadAsync(new FailingStream(), "request");

        var unreadable = Assert.Single(read.Diagnostics);
        Assert.Equal("DR0079", unreadable.Id);
        Assert.Contains("connection reset", unreadable.Message, StringComparison.Ordinal);
    }

    private sealed class FailingStream : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => 0; set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new IOException("connection reset");

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
