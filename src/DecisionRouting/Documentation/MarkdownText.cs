using System.Text;

namespace DecisionRouting.Documentation
{
    /// <summary>
    /// The one place text from rule files is made inert before it goes into the generated Markdown (the rules
    /// catalogue and the law-status document). Names, titles and sources are written by rule authors, so a value must
    /// never add a table column, end a row, open a code span or pass HTML through to the reviewer.
    /// </summary>
    internal static class MarkdownText
    {
        /// <summary>
        /// A value for one table cell (or a line of prose): single-line, terminal controls shown as <c>&lt;U+001B&gt;</c>,
        /// a backslash and pipe backslash-escaped (so <c>\|</c> in a name stays text and cannot become <c>\\|</c>: an
        /// escaped backslash followed by a real column break), and <c>&lt;</c>, <c>&gt;</c>, <c>&amp;</c> written as
        /// entities (so no HTML tag or entity survives). Backticks are kept: the generated text uses code spans on
        /// purpose, and in a GFM table the cell is split at unescaped pipes before code spans are parsed, so a stray
        /// backtick cannot add a column, and HTML inside a code span is shown as text.
        /// </summary>
        public static string Cell(string value)
        {
            var single = Text.UnsafeCharacters.Field(value.Replace("\r\n", " ").Replace('\n', ' ').Replace('\r', ' '));
            var text = new StringBuilder(single.Length + 8);
            foreach (var c in single)
            {
                switch (c)
                {
                    case '\\': text.Append("\\\\"); break;
                    case '|': text.Append("\\|"); break;
                    case '<': text.Append("&lt;"); break;
                    case '>': text.Append("&gt;"); break;
                    case '&': text.Append("&amp;"); break;
                    default: text.Append(c); break;
                }
            }

            return text.ToString();
        }
    }
}
