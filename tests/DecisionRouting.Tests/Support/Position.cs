using System;

namespace DecisionRouting.Tests.Support;

/// <summary>Finds where a marker is in a text, independently of the parser under test.</summary>
public static class Position
{
    /// <summary>1-based line and column of the <paramref name="occurrence"/>th occurrence of <paramref name="marker"/>.</summary>
    public static (int Line, int Column) Of(string text, string marker, int occurrence = 1)
    {
        var index = -1;
        for (var i = 0; i < occurrence; i++)
        {
            index = text.IndexOf(marker, index + 1, StringComparison.Ordinal);
            if (index < 0)
            {
                throw new ArgumentException($"Marker '{marker}' (occurrence {occurrence}) is not in the text.");
            }
        }

        var line = 1;
        var lineStart = 0;
        for (var i = 0; i < index; i++)
        {
            if (text[i] == '\n')
            {
                line++;
                lineStart = i + 1;
            }
        }

        return (line, index - lineStart + 1);
    }
}
