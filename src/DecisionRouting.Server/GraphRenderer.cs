using System;
using System.Threading.Tasks;
using DecisionRouting.Graph;
using Microsoft.AspNetCore.Http;

namespace DecisionRouting.Server
{
    /// <summary>
    /// The service's diagrams: Mermaid and DOT text from the library, and SVG drawn by the machine's Graphviz
    /// (<see cref="Graphviz"/>, found once, at start). Without Graphviz an SVG request is a 501 problem naming what to
    /// install, and <c>GET /api/server</c> says diagrams are text, rather than failing or drawing nothing.
    /// </summary>
    internal sealed class GraphRenderer
    {
        private readonly Graphviz? _graphviz = Graphviz.Find();

        public bool Available => _graphviz is not null;

        public string Description => _graphviz is null
            ? Graphviz.NotInstalled
            : $"Graphviz ({_graphviz.ExecutablePath}), rendered on the server as SVG";

        /// <summary>The diagram <paramref name="draw"/> gives, as a response in <paramref name="format"/> (mermaid, dot or svg).</summary>
        public async Task<IResult> DrawAsync(HttpContext context, string format, Func<GraphFormat, Task<string>> draw)
        {
            switch (format)
            {
                case "mermaid":
                case "dot":
                    return TypedResults.Text(await draw(format == "dot" ? GraphFormat.Dot : GraphFormat.Mermaid).ConfigureAwait(false), "text/plain; charset=utf-8");
                case "svg" when _graphviz is null:
                    return Problems.Of(context, StatusCodes.Status501NotImplemented, "no-renderer", "No SVG renderer", Graphviz.NotInstalled);
                case "svg":
                    try
                    {
                        var svg = await _graphviz.RenderSvgAsync(await draw(GraphFormat.Dot).ConfigureAwait(false), context.RequestAborted).ConfigureAwait(false);
                        return TypedResults.Text(svg, "image/svg+xml; charset=utf-8");
                    }
                    catch (GraphvizException e)
                    {
                        return Problems.Of(context, StatusCodes.Status502BadGateway, "render-failed", "Graphviz could not draw the diagram", e.Message + "; ask for format=dot or format=mermaid.");
                    }

                default:
                    throw new ArgumentOutOfRangeException(nameof(format), format, "Draw as mermaid, dot or svg.");
            }
        }
    }
}
