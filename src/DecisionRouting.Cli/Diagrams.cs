using System;
using System.Threading.Tasks;
using DecisionRouting.Graph;

namespace DecisionRouting.Cli
{
    /// <summary>
    /// The diagram formats every drawing command offers (<c>route</c>, <c>proposal graph</c>): the Mermaid and DOT text
    /// the library writes, and SVG drawn from the DOT by the machine's Graphviz.
    /// </summary>
    internal static class Diagrams
    {
        /// <summary>Whether <paramref name="format"/> names a diagram rather than a text or JSON rendering.</summary>
        public static bool IsDiagram(string? format) => format is "mermaid" or "dot" or "svg";

        /// <summary>
        /// Writes the diagram <paramref name="draw"/> gives in <paramref name="format"/> to standard output and returns
        /// <paramref name="success"/>; for SVG without Graphviz, or when Graphviz fails, writes nothing there, says why on
        /// standard error and returns <see cref="ExitCodes.BadInput"/>.
        /// </summary>
        public static async Task<int> WriteAsync(CliOutput output, string format, Func<GraphFormat, Task<string>> draw, int success = ExitCodes.Success)
        {
            if (format != "svg")
            {
                output.Out.Write(await draw(format == "dot" ? GraphFormat.Dot : GraphFormat.Mermaid).ConfigureAwait(false));
                return success;
            }

            // Found before anything is drawn, so a missing Graphviz costs nothing and says what to install.
            if (Graphviz.Find() is not { } graphviz)
            {
                return output.BadInput(Graphviz.NotInstalled);
            }

            try
            {
                output.Out.Write(await graphviz.RenderSvgAsync(await draw(GraphFormat.Dot).ConfigureAwait(false)).ConfigureAwait(false));
                return success;
            }
            catch (GraphvizException e)
            {
                return output.BadInput(e.Message);
            }
        }
    }
}
