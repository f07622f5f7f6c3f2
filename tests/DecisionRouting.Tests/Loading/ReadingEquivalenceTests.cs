using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using DecisionRouting.Diagnostics;
using DecisionRouting.Json;
using DecisionRouting.RuleSets;
using DecisionRouting.Text;

namespace DecisionRouting.Tests.Loading;

/// <summary>
/// The load reads files, hashes them and checks JSON objects with less memory than it did (issue 17, round 7); each
/// cheaper path is held here to what the path it replaced gives, on inputs chosen to find a difference.
/// </summary>
public sealed class ReadingEquivalenceTests
{
    private static readonly byte[][] Marks =
    {
        Array.Empty<byte>(),
        new byte[] { 0xEF, 0xBB, 0xBF },
        new byte[] { 0xFF, 0xFE },
        new byte[] { 0xFE, 0xFF },
        new byte[] { 0xFF, 0xFE, 0x00, 0x00 },
        new byte[] { 0x00, 0x00, 0xFE, 0xFF },
        new byte[] { 0xEF, 0xBB },
        new byte[] { 0xEF },
        new byte[] { 0x00 },
    };

    [Fact]
    public void Decoding_a_file_gives_what_a_stream_reader_gives_for_any_bytes_and_mark()
    {
        var random = new Random(17);
        var samples = new List<byte[]>
        {
            Array.Empty<byte>(),
            Encoding.UTF8.GetBytes("{ \"WorkflowName\": \"wf\" }"),
            Encoding.UTF8.GetBytes("naïve – 🙂 ünïcödé"),
            new byte[] { 0xC3 },
            new byte[] { 0xF0, 0x9F, 0x99 },
            new byte[] { 0xED, 0xA0, 0x80, 0x41 },
            new byte[] { 0xC0, 0xAF, 0xFF, 0x41 },
        };
        for (var i = 0; i < 400; i++)
        {
            // Mostly text, with stray and truncated sequences, some long enough to cross the reader's own buffers.
            var bytes = new List<byte>();
            var length = random.Next(4) == 0 ? random.Next(5_000, 40_000) : random.Next(0, 64);
            while (bytes.Count < length)
            {
                switch (random.Next(6))
                {
                    case 0: bytes.Add((byte)random.Next(256)); break;
                    case 1: bytes.AddRange(Encoding.UTF8.GetBytes("é🙂ж")); break;
                    default: bytes.Add((byte)random.Next(0x20, 0x7F)); break;
                }
            }

            samples.Add(bytes.ToArray());
        }

        var checkedCount = 0;
        foreach (var mark in Marks)
        {
            foreach (var sample in samples)
            {
                var bytes = mark.Concat(sample).ToArray();

                // The buffer is read with one spare byte, as SafeFile reads it.
                var buffer = new byte[bytes.Length + 1];
                bytes.CopyTo(buffer, 0);
                using var reader = new StreamReader(new MemoryStream(bytes), new UTF8Encoding(false), detectEncodingFromByteOrderMarks: true);
                Assert.Equal(reader.ReadToEnd(), SafeFile.Decode(buffer, bytes.Length));
                checkedCount++;
            }
        }

        Assert.Equal(Marks.Length * samples.Count, checkedCount);
    }

    [Fact]
    public void The_incremental_hash_is_the_hash_of_the_pieces_joined()
    {
        var random = new Random(7);
        string Piece()
        {
            var text = new StringBuilder();
            var length = random.Next(3) == 0 ? random.Next(4_000, 13_000) : random.Next(0, 20);
            while (text.Length < length)
            {
                switch (random.Next(8))
                {
                    case 0: text.Append("🙂"); break;
                    case 1: text.Append('\uD83D'); break; // a lone high surrogate
                    case 2: text.Append('\uDE42'); break; // a lone low surrogate
                    case 3: text.Append('é'); break;
                    case 4: text.Append('\0'); break;
                    default: text.Append((char)random.Next(0x20, 0x7F)); break;
                }
            }

            return text.ToString();
        }

        for (var round = 0; round < 60; round++)
        {
            var pieces = Enumerable.Range(0, random.Next(1, 8)).Select(_ => Piece()).ToList();

            // A surrogate pair split between two pieces, and one split at the 4,096-character chunk boundary.
            if (round % 3 == 0)
            {
                pieces.Add("x\uD83D");
                pieces.Add("\uDE42y");
                pieces.Add(new string('a', 4095) + "🙂" + new string('b', 10));
            }

            using var hash = new ContentHash();
            foreach (var piece in pieces)
            {
                if (piece.Length == 1)
                {
                    hash.Append(piece[0]);
                }
                else
                {
                    hash.Append(piece);
                }
            }

            var expected = string.Concat(SHA256.HashData(Encoding.UTF8.GetBytes(string.Concat(pieces))).Select(b => b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture)));
            Assert.Equal(expected, hash.Finish());
        }
    }

    [Theory]
    [InlineData(3)]
    [InlineData(16)]
    [InlineData(17)]
    [InlineData(40)]
    public void Repeated_properties_are_reported_at_each_repeat_against_the_first_in_small_and_large_objects(int properties)
    {
        // Names drawn from a few, so most repeat, some three times; objects up to 16 properties compare pairwise, larger
        // ones use a dictionary: both must report each repeat once, in order, against the name's first occurrence.
        var random = new Random(properties);
        var names = Enumerable.Range(0, properties).Select(_ => $"p{random.Next(Math.Max(2, properties / 3))}").ToList();
        var json = "{ " + string.Join(", ", names.Select((n, i) => $"\"{n}\": {i}")) + " }";
        var document = new SourceDocument("t.json", json);
        var diagnostics = new DiagnosticBag();
        ObjectReader.For(JsonParser.Parse(document), "object", "object", diagnostics);

        var nameStarts = new List<int>();
        var at = 0;
        foreach (var name in names)
        {
            at = json.IndexOf($"\"{name}\"", at, StringComparison.Ordinal);
            nameStarts.Add(at);
            at += name.Length + 2;
        }

        // Each repeat: its name, where it is, and where the name first appeared, as the message gives it.
        var expected = Enumerable.Range(0, names.Count)
            .Where(i => names.IndexOf(names[i]) < i)
            .Select(i => (Name: names[i], Start: nameStarts[i], First: document.Locate(nameStarts[names.IndexOf(names[i])], names[i].Length + 2).ToString()))
            .ToList();
        Assert.NotEmpty(expected);

        var reported = diagnostics.Items.ToList();
        Assert.Equal(expected.Count, reported.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.Equal("DR0021", reported[i].Id);
            Assert.Equal(expected[i].Start, reported[i].Location.Start);
            Assert.Equal($"Property '{expected[i].Name}' appears more than once in this object (first at {expected[i].First})", reported[i].Message);
        }
    }

    [Fact]
    public void A_reused_property_name_is_the_same_text_whether_or_not_it_was_escaped()
    {
        // The parser keeps each name's first spelling and reuses it: an escaped first spelling decodes to the same text.
        var json = "[ { \"R\\u0075leName\": 1, \"RuleName\": 2 }, { \"RuleName\": 3, \"Rule\\\"Name\": 4, \"Rule\\\"Name\": 5 } ]";
        var root = (JsonArray)JsonParser.Parse(new SourceDocument("t.json", json));
        var names = root.Items.Cast<JsonObject>().SelectMany(o => o.Properties).Select(p => p.Name).ToList();
        Assert.Equal(new[] { "RuleName", "RuleName", "RuleName", "Rule\"Name", "Rule\"Name" }, names);
    }
}
