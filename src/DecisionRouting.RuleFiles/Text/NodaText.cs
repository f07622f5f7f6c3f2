using NodaTime.Text;

namespace DecisionRouting.Text
{
    /// <summary>
    /// Reading text with a NodaTime pattern, refusing what the pattern would read wrongly: text holding a NUL character
    /// (U+0000). Every date, time and instant the project reads with a pattern goes through <see cref="Parse{T}"/>.
    /// </summary>
    /// <remarks>
    /// Why: NodaTime's parser treats a NUL as the end of the text, so <c>"2013-07-15\u0000x"</c> (a JSON escape) read
    /// as 15 July 2013 and <c>"2026-11-30T09:00:00Z\u0000junk"</c> as that instant, with the rest dropped without a word.
    /// A value with anything after it is not that value.
    /// </remarks>
    internal static class NodaText
    {
        /// <summary>
        /// <paramref name="pattern"/>'s reading of <paramref name="text"/>, or a failure (an
        /// <see cref="UnparsableValueException"/> with the NUL's index) when the text holds a NUL.
        /// </summary>
        public static ParseResult<T> Parse<T>(IPattern<T> pattern, string text)
        {
            var nul = text.IndexOf('\0');
            return nul < 0
                ? pattern.Parse(text)
                : ParseResult<T>.ForException(() => new UnparsableValueException("The text holds a NUL character (U+0000).", text, nul));
        }
    }
}
