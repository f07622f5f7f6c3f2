using System;
using System.Linq;
using System.Security.Cryptography;
using System.Text;

namespace DecisionRouting.RuleSets
{
    /// <summary>
    /// SHA-256 of text appended piece by piece, equal to the hash of the UTF-8 bytes of all the pieces concatenated:
    /// one encoder runs across the pieces (a surrogate pair split between two pieces is encoded as a pair, a lone one
    /// as U+FFFD, exactly as <see cref="Encoding.UTF8"/> encodes the whole string). The rule set's hash used to be
    /// taken over one string built of every file; that string, its builder and its bytes were about three times the
    /// rule files' size in memory, thrown away at once.
    /// </summary>
    internal sealed class ContentHash : IDisposable
    {
        private const int ChunkChars = 4096;
        private readonly IncrementalHash _sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        private readonly Encoder _encoder = new UTF8Encoding(false).GetEncoder();
        private readonly char[] _chars = new char[ChunkChars];
        private readonly byte[] _bytes = new byte[Encoding.UTF8.GetMaxByteCount(ChunkChars)];

        /// <summary>Appends <paramref name="text"/>.</summary>
        public ContentHash Append(string text)
        {
            for (var start = 0; start < text.Length; start += ChunkChars)
            {
                var count = Math.Min(ChunkChars, text.Length - start);
                text.CopyTo(start, _chars, 0, count);
                Encode(count, flush: false);
            }

            return this;
        }

        /// <summary>Appends <paramref name="c"/>.</summary>
        public ContentHash Append(char c)
        {
            _chars[0] = c;
            Encode(1, flush: false);
            return this;
        }

        /// <summary>The hash of everything appended, in lower-case hexadecimal.</summary>
        public string Finish()
        {
            Encode(0, flush: true);
            return string.Concat(_sha.GetHashAndReset().Select(b => b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture)));
        }

        /// <inheritdoc/>
        public void Dispose() => _sha.Dispose();

        private void Encode(int count, bool flush)
        {
            var bytes = _encoder.GetBytes(_chars, 0, count, _bytes, 0, flush);
            if (bytes > 0)
            {
                _sha.AppendData(_bytes, 0, bytes);
            }
        }
    }
}
