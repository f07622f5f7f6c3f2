namespace DecisionRouting.Text
{
    /// <summary>A range of characters in a <see cref="SourceDocument"/>.</summary>
    /// <param name="Start">Offset of the first character.</param>
    /// <param name="Length">Number of characters.</param>
    internal readonly record struct TextSpan(int Start, int Length)
    {
        /// <summary>Offset just past the last character.</summary>
        public int End => Start + Length;
    }
}
