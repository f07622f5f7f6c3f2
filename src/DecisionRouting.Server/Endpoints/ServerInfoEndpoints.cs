using System;
using DecisionRouting.LiveReload;
using DecisionRouting.Server.Identity;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace DecisionRouting.Server.Endpoints
{
    /// <summary><c>GET /api/server</c>: what the page needs to know about this service.</summary>
    internal static class ServerInfoEndpoints
    {
        public static void MapServerInfo(this IEndpointRouteBuilder app)
        {
            app.MapGet("/api/server", (IRuleSetProvider rules, GraphRenderer graphs, IServiceProvider services) =>
            {
                var ruleSet = rules.Current;
                return TypedResults.Ok(new ServerInfo(
                    new RuleSetInfo(ruleSet.Name, ruleSet.Hash),
                    graphs.Available ? "svg" : "text",
                    graphs.Description,
                    services.GetService(typeof(DevelopmentRoleHeaderEnabled)) is not null));
            })
            .WithName("ServerInfo")
            .WithSummary("The rule set in use, how diagrams are drawn, and whether the development role header is on.");
        }
    }

    /// <summary>What <c>GET /api/server</c> answers.</summary>
    /// <param name="RuleSet">The rule set in use (name and SHA-256 of its files).</param>
    /// <param name="Diagrams"><c>svg</c> when Graphviz <c>dot</c> renders diagrams here, else <c>text</c> (DOT and Mermaid source).</param>
    /// <param name="Renderer">Which renderer, or why there is none.</param>
    /// <param name="DevelopmentRoleHeader">Whether <c>X-DecisionRouting-Role</c> is believed (Development only).</param>
    internal sealed record ServerInfo(RuleSetInfo RuleSet, string Diagrams, string Renderer, bool DevelopmentRoleHeader);

    /// <summary>A rule set's name and hash.</summary>
    internal sealed record RuleSetInfo(string Name, string Hash);
}
