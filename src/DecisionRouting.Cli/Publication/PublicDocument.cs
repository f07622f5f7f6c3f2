using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Text;

namespace DecisionRouting.Cli.Publication
{
    /// <summary>
    /// A document a council publishes (the notice of key decisions, a decision record), as statutory contents rather
    /// than as text: each item says which content it is (<see cref="DocumentItem.Content"/>), which provision requires it
    /// (<see cref="DocumentItem.Citation"/>), and either its values or why it is missing. Markdown and HTML are both
    /// written from this one model, so the two formats cannot disagree about what is there or what is missing.
    /// </summary>
    /// <param name="Title">The document's heading.</param>
    /// <param name="Preamble">Paragraphs before the sections (what the document is, under which provision).</param>
    /// <param name="Sections">The sections: one per entry, and the document-wide contents.</param>
    internal sealed record PublicDocument(string Title, IReadOnlyList<string> Preamble, IReadOnlyList<DocumentSection> Sections)
    {
        /// <summary>Every item missing a content, with its section: what stderr and the exit code report.</summary>
        public IEnumerable<(DocumentSection Section, DocumentItem Item)> Gaps =>
            Sections.SelectMany(s => s.Items.Where(i => i.Missing is not null).Select(i => (s, i)))
                .Concat(Sections.Where(s => s.Flag is not null).Select(s => (s, new DocumentItem("entry", "Entry", "the whole entry", [], s.Flag))));
    }

    /// <summary>A section: an entry of the notice, or the document-wide contents.</summary>
    /// <param name="Heading">Its heading.</param>
    /// <param name="Kind">A stable class for the section (<c>entry</c>, <c>general-exception</c>, <c>publication</c> …), for HTML and tests.</param>
    /// <param name="Key">The proposal id or case id it is about, or null for document-wide sections.</param>
    /// <param name="Items">Its contents, in statutory order.</param>
    /// <param name="Notes">Plain paragraphs after the items (what the law says about this kind of entry).</param>
    /// <param name="Flag">Why the whole section cannot be relied on (an incomplete plan), or null.</param>
    internal sealed record DocumentSection(string Heading, string Kind, string? Key, IReadOnlyList<DocumentItem> Items, IReadOnlyList<string> Notes, string? Flag = null);

    /// <summary>One statutory content.</summary>
    /// <param name="Content">A stable key (<c>matter</c>, <c>decision-maker</c>, <c>documents</c> …), for HTML and tests.</param>
    /// <param name="Label">What a reader sees.</param>
    /// <param name="Citation">The provision that requires it, e.g. <c>SI 2012/2089 reg 9(1)(b)</c>.</param>
    /// <param name="Values">Its value (one paragraph, or a list).</param>
    /// <param name="Missing">Why it is missing and where to give it, or null when it is there.</param>
    internal sealed record DocumentItem(string Content, string Label, string Citation, IReadOnlyList<string> Values, string? Missing = null)
    {
        /// <summary>A present content with one value.</summary>
        public static DocumentItem Of(string content, string label, string citation, string value) => new(content, label, citation, [value]);

        /// <summary>A content that is missing, saying why and where it comes from.</summary>
        public static DocumentItem Lacking(string content, string label, string citation, string why) => new(content, label, citation, [], why);
    }

    /// <summary>Writes a <see cref="PublicDocument"/> as Markdown or as HTML, escaping every value for its format.</summary>
    internal static class PublicDocumentWriter
    {
        /// <summary>The words a missing content is shown with, in both formats, so nobody mistakes a gap for "none".</summary>
        public const string MissingMark = "MISSING";

        /// <summary>Markdown (CommonMark): values are made one line and their Markdown and HTML characters escaped.</summary>
        public static string Markdown(PublicDocument document)
        {
            var text = new StringBuilder();
            text.Append("# ").Append(Md(document.Title)).Append("\n\n");
            foreach (var paragraph in document.Preamble)
            {
                text.Append(Md(paragraph)).Append("\n\n");
            }

            foreach (var section in document.Sections)
            {
                text.Append("## ").Append(Md(section.Heading)).Append("\n\n");
                if (section.Flag is { } flag)
                {
                    text.Append("> **").Append(MissingMark).Append(": ").Append(Md(flag)).Append("**\n\n");
                }

                foreach (var item in section.Items)
                {
                    text.Append("- **").Append(Md(item.Label)).Append("** (").Append(Md(item.Citation)).Append("):");
                    if (item.Missing is { } why)
                    {
                        text.Append(" **").Append(MissingMark).Append(": ").Append(Md(why)).Append("**\n");
                    }
                    else if (item.Values.Count == 1)
                    {
                        text.Append(' ').Append(Md(item.Values[0])).Append('\n');
                    }
                    else
                    {
                        text.Append('\n');
                        foreach (var value in item.Values)
                        {
                            text.Append("  - ").Append(Md(value)).Append('\n');
                        }
                    }
                }

                if (section.Items.Count > 0)
                {
                    text.Append('\n');
                }

                foreach (var note in section.Notes)
                {
                    text.Append(Md(note)).Append("\n\n");
                }
            }

            return text.ToString().TrimEnd('\n') + "\n";
        }

        /// <summary>
        /// HTML that is also well-formed XML (every element closed, every value encoded), so it can be checked with an
        /// XML parser: one <c>section</c> per section with <c>data-kind</c> and <c>data-key</c>, a <c>dl</c> of its
        /// items, each <c>dt</c>/<c>dd</c> pair carrying <c>data-content</c>, and a missing content as
        /// <c>dd class="missing"</c>.
        /// </summary>
        public static string Html(PublicDocument document)
        {
            var html = new StringBuilder();
            html.Append("<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\" />\n<title>").Append(H(document.Title)).Append("</title>\n")
                .Append("<style>.missing{color:#b00;font-weight:bold}cite{font-style:normal;color:#555}</style>\n</head>\n<body>\n");
            html.Append("<h1>").Append(H(document.Title)).Append("</h1>\n");
            foreach (var paragraph in document.Preamble)
            {
                html.Append("<p>").Append(H(paragraph)).Append("</p>\n");
            }

            foreach (var section in document.Sections)
            {
                html.Append("<section data-kind=\"").Append(H(section.Kind)).Append('"');
                if (section.Key is { } key)
                {
                    html.Append(" data-key=\"").Append(H(key)).Append('"');
                }

                html.Append(">\n<h2>").Append(H(section.Heading)).Append("</h2>\n");
                if (section.Flag is { } flag)
                {
                    html.Append("<p class=\"missing\">").Append(MissingMark).Append(": ").Append(H(flag)).Append("</p>\n");
                }

                if (section.Items.Count > 0)
                {
                    html.Append("<dl>\n");
                    foreach (var item in section.Items)
                    {
                        var content = H(item.Content);
                        html.Append("<dt data-content=\"").Append(content).Append("\">").Append(H(item.Label)).Append(" <cite>").Append(H(item.Citation)).Append("</cite></dt>\n");
                        if (item.Missing is { } why)
                        {
                            html.Append("<dd data-content=\"").Append(content).Append("\" class=\"missing\">").Append(MissingMark).Append(": ").Append(H(why)).Append("</dd>\n");
                        }
                        else if (item.Values.Count == 1)
                        {
                            html.Append("<dd data-content=\"").Append(content).Append("\">").Append(H(item.Values[0])).Append("</dd>\n");
                        }
                        else
                        {
                            html.Append("<dd data-content=\"").Append(content).Append("\"><ul>");
                            foreach (var value in item.Values)
                            {
                                html.Append("<li>").Append(H(value)).Append("</li>");
                            }

                            html.Append("</ul></dd>\n");
                        }
                    }

                    html.Append("</dl>\n");
                }

                foreach (var note in section.Notes)
                {
                    html.Append("<p>").Append(H(note)).Append("</p>\n");
                }

                html.Append("</section>\n");
            }

            return html.Append("</body>\n</html>\n").ToString();
        }

        /// <summary>HTML-encodes a value (<c>&lt; &gt; &amp; " '</c> and every non-ASCII character as a reference).</summary>
        private static string H(string value) => WebUtility.HtmlEncode(OneLine(value));

        /// <summary>
        /// A value as inline Markdown text: one line, and every character Markdown or inline HTML would read as syntax
        /// escaped with a backslash, so a title cannot become a heading, a link, emphasis or a <c>&lt;script&gt;</c>.
        /// </summary>
        private static string Md(string value)
        {
            var line = OneLine(value);
            var text = new StringBuilder(line.Length + 8);
            for (var i = 0; i < line.Length; i++)
            {
                var c = line[i];
                // Inline syntax anywhere; block syntax (a list, heading, quote or numbered item) only where a line starts.
                if (c is '\\' or '`' or '*' or '_' or '[' or ']' or '|' or '<' or '>' or '&' or '~'
                    || (i == 0 && c is '#' or '+' or '-' or '=')
                    || (c is '.' or ')' && i > 0 && IsDigitsBefore(line, i)))
                {
                    text.Append('\\');
                }

                text.Append(c);
            }

            return text.ToString();
        }

        /// <summary>Whether everything before <paramref name="index"/> is digits: "2013." would start a numbered list.</summary>
        private static bool IsDigitsBefore(string line, int index)
        {
            for (var i = 0; i < index; i++)
            {
                if (!char.IsAsciiDigit(line[i]))
                {
                    return false;
                }
            }

            return true;
        }

        /// <summary>Line breaks and tabs inside a value become spaces: a value is one paragraph, never new structure.</summary>
        private static string OneLine(string value) =>
            string.Join(' ', value.Split(['\r', '\n', '\t', '\u2028', '\u2029'], System.StringSplitOptions.RemoveEmptyEntries | System.StringSplitOptions.TrimEntries));
    }
}
