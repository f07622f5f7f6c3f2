using System;
using System.IO;
using DecisionRouting.RuleSets;
using System.Security.Cryptography;
using System.Text;

namespace DecisionRouting.Lifecycle
{
    /// <summary>
    /// A secret key for keyed audit hashing (HMAC-SHA256). The app supplies it to the store that writes entries and to
    /// <see cref="AuditChain.VerifyAsync(IProposalStore, AuditVerifyOptions?, System.Threading.CancellationToken)"/>; the
    /// database never holds it. Entries record only <see cref="Id"/>, a fingerprint derived from the key that does not
    /// reveal it, so someone with only the database cannot recompute a keyed chain after changing it.
    /// </summary>
    public sealed class AuditKey
    {
        /// <summary>The fewest key bytes accepted: 32, the output size of SHA-256.</summary>
        public const int MinimumBytes = 32;

        private readonly byte[] _key;

        /// <summary>A key from raw bytes (at least <see cref="MinimumBytes"/>; copied).</summary>
        /// <exception cref="ArgumentException">Fewer than <see cref="MinimumBytes"/> bytes.</exception>
        public AuditKey(ReadOnlySpan<byte> key)
        {
            if (key.Length < MinimumBytes)
            {
                throw new ArgumentException($"An audit key needs at least {MinimumBytes} bytes of random data; this one has {key.Length}. Make one with: openssl rand -base64 32", nameof(key));
            }

            _key = key.ToArray();
            Id = Convert.ToHexString(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes("decision-routing audit key id")))[..16].ToLowerInvariant();
        }

        /// <summary>
        /// The key's fingerprint, 16 lower-case hex digits (an HMAC of a fixed label, so it does not reveal the key),
        /// recorded in each keyed entry so that verifying with the wrong key says so.
        /// </summary>
        public string Id { get; }

        /// <summary>A key from its base64 text (as <c>openssl rand -base64 32</c> prints it; surrounding white space ignored).</summary>
        /// <exception cref="FormatException">The text is not base64, or decodes to fewer than <see cref="MinimumBytes"/> bytes.</exception>
        public static AuditKey FromBase64(string text)
        {
            ArgumentNullException.ThrowIfNull(text);
            byte[] bytes;
            try
            {
                bytes = Convert.FromBase64String(text.Trim());
            }
            catch (FormatException e)
            {
                throw new FormatException("The audit key is not base64 text; make one with: openssl rand -base64 32", e);
            }

            if (bytes.Length < MinimumBytes)
            {
                throw new FormatException($"The audit key decodes to {bytes.Length} bytes; it needs at least {MinimumBytes} (openssl rand -base64 32)");
            }

            return new AuditKey(bytes);
        }

        /// <summary>The largest audit key file read, in bytes: a key is one line of base64 (44 characters for 32 bytes).</summary>
        public const int MaxFileBytes = 4096;

        /// <summary>
        /// A key from a file holding its base64 text (<c>openssl rand -base64 32 &gt; audit.key</c>). The file is read as every
        /// file DecisionRouting reads is: a pipe, a device or anything but a regular file is refused before it is opened,
        /// and no more than <see cref="MaxFileBytes"/> bytes are read, so a mistaken path cannot hang or exhaust the host.
        /// </summary>
        /// <param name="path">The key file.</param>
        /// <exception cref="FileNotFoundException">There is no such file.</exception>
        /// <exception cref="FormatException">
        /// Not a regular file, larger than <see cref="MaxFileBytes"/>, not base64, or fewer than <see cref="MinimumBytes"/>
        /// bytes; the message says which and how to make a key (callers name the file, as they know where it came from).
        /// </exception>
        /// <exception cref="IOException">The file could not be read.</exception>
        /// <exception cref="UnauthorizedAccessException">The file may not be read.</exception>
        public static AuditKey FromFile(string path)
        {
            ArgumentNullException.ThrowIfNull(path);
            string? text;
            try
            {
                text = SafeFile.ReadText(path, root: null, maxBytes: MaxFileBytes);
            }
            catch (RuleFileRefusedException e)
            {
                throw new FormatException($"{e.Reason}; an audit key file is a line of base64 (from: openssl rand -base64 32)", e);
            }

            if (text is null)
            {
                throw new FileNotFoundException("no such file", path);
            }

            return FromBase64(text);
        }

        /// <summary>HMAC-SHA256 of <paramref name="data"/> under this key, as lower-case hex.</summary>
        internal string Hash(byte[] data) => Convert.ToHexString(HMACSHA256.HashData(_key, data)).ToLowerInvariant();
    }
}
