using System;
using System.Collections.Generic;

namespace DecisionRouting.Text
{
    /// <summary>
    /// The text of one input file together with its path, able to turn character offsets into 1-based line and
    /// column numbers for diagnostics.
    /// </summary>
    internal sealed class SourceDocument
    {
        private int[]? _lineStarts;

        /// <summary>Creates a document from its path (as it should appear in diagnostics) and its full text.</summary>
        public SourceDocument(string path, string text)
        {
            Path = path ?? throw new ArgumentNullException(nameof(path));
            Text = text ?? throw new ArgumentNullException(nameof(text));
        }

        /// <summary>The path shown in diagnostics.</summary>
        public string Path { get; }

        /// <summary>The full text.</summary>
        public string Text { get; }

        /// <summary>The location of a span of this document.</summary>
        public SourceLocation Locate(int start, int length)
        {
            start = Math.Max(0, Math.Min(start, Text.Length));
            length = Math.Max(0, Math.Min(length, Text.Length - start));
            var (line, column) = LineAndColumn(start);
            var (endLine, endColumn) = LineAndColumn(start + length);
            return new SourceLocation(Path, start, length, line, column, endLine, endColumn);
        }

        /// <summary>The location of a span of this document.</summary>
        public SourceLocation Locate(TextSpan span) => Locate(span.Start, span.Length);

        private (int Line, int Column) LineAndColumn(int offset)
        {
            var starts = _lineStarts ??= ComputeLineStarts(Text);
            var index = Array.BinarySearch(starts, offset);
            if (index < 0)
            {
                index = ~index - 1;
            }

            return (index + 1, offset - starts[index] + 1);
        }

        private static int[] ComputeLineStarts(string text)
        {
            var starts = new List<int> { 0 };
            for (var i = 0; i < text.Length; i++)
            {
                var c = text[i];
                if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
                {
                    i++;
                    starts.Add(i + 1);
                }
                else if (c == '\n' || c == '\r')
                {
                    starts.Add(i + 1);
                }
            }

            return starts.ToArray();
        }
    }
}
