namespace DecisionRouting.Text
{
    /// <summary>Where a diagnostic points: a file and a span in it, with 1-based line and column numbers.</summary>
    /// <param name="Path">The file, as given to the loader.</param>
    /// <param name="Start">Character offset of the span.</param>
    /// <param name="Length">Length of the span in characters.</param>
    /// <param name="Line">1-based line of the span's start.</param>
    /// <param name="Column">1-based column of the span's start.</param>
    /// <param name="EndLine">1-based line of the span's end.</param>
    /// <param name="EndColumn">1-based column of the span's end.</param>
    public sealed record SourceLocation(string Path, int Start, int Length, int Line, int Column, int EndLine, int EndColumn)
    {
        /// <summary>A location for a whole file or folder, when there is no position (a missing file, say).</summary>
        internal static SourceLocation ForPath(string path) => new(path, 0, 0, 0, 0, 0, 0);

        /// <summary>Whether the location has a line and column.</summary>
        public bool HasPosition => Line > 0;

        /// <summary>The MSBuild-style form: <c>path(line,col)</c>, or just the path when there is no position.</summary>
        public override string ToString() => HasPosition ? $"{Path}({Line},{Column})" : Path;
    }
}
