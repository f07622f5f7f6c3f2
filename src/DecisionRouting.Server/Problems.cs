using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Text.Json;
using DecisionRouting.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace DecisionRouting.Server
{
    /// <summary>
    /// The one place that shapes an error response: RFC 9457 ProblemDetails, with the DR diagnostics and their
    /// positions when there are any, and the trace id to find the log line. Never an exception's stack or type.
    /// </summary>
    internal static class Problems
    {
        /// <summary>The <c>type</c> of a problem that is a DR diagnostic: one URN per id, documented in docs/rules/DRxxxx.md.</summary>
        public const string DiagnosticType = "urn:decision-routing:diagnostic:";

        /// <summary>The <c>type</c> of problems that are not DR diagnostics.</summary>
        public const string ServiceType = "urn:decision-routing:problem:";

        public static IResult Of(HttpContext context, int status, string kind, string title, string detail, IDictionary<string, object?>? extensions = null)
        {
            var problem = new ProblemDetails
            {
                Type = ServiceType + kind,
                Title = title,
                Status = status,
                Detail = detail,
                Instance = context.Request.Path,
            };
            foreach (var (key, value) in extensions ?? new Dictionary<string, object?>())
            {
                problem.Extensions[key] = value;
            }

            problem.Extensions["traceId"] = Activity.Current?.Id ?? context.TraceIdentifier;
            return Results.Problem(problem);
        }

        /// <summary>Diagnostics as a problem: the first error's id is the type, every diagnostic is listed with its position.</summary>
        public static IResult Diagnostics(HttpContext context, int status, string title, IReadOnlyList<RuleDiagnostic> diagnostics)
        {
            var first = diagnostics.FirstOrDefault(d => d.IsError) ?? diagnostics.FirstOrDefault();
            var result = Of(context, status, "diagnostics", title, first?.ToString() ?? title, new Dictionary<string, object?>
            {
                ["diagnostics"] = diagnostics.Select(Describe).ToList(),
            });
            if (first is not null && result is Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult problem)
            {
                problem.ProblemDetails.Type = DiagnosticType + first.Id;
            }

            return result;
        }

        /// <summary>A request body that is not JSON: where it broke, as the JSON reader found it (line and column from 1).</summary>
        public static IResult BadJson(HttpContext context, JsonException e, string what) =>
            Of(context, StatusCodes.Status400BadRequest, "bad-json", "The request body is not valid JSON", $"{what}: {Words(e)}", new Dictionary<string, object?>
            {
                ["line"] = e.LineNumber + 1,
                ["column"] = e.BytePositionInLine + 1,
                ["path"] = e.Path,
            });

        public static DiagnosticView Describe(RuleDiagnostic d) => new(
            d.Id,
            d.Severity.ToString(),
            d.Message,
            d.Location.Path,
            d.Location.HasPosition ? d.Location.Line : null,
            d.Location.HasPosition ? d.Location.Column : null,
            d.Location.HasPosition ? d.Location.EndLine : null,
            d.Location.HasPosition ? d.Location.EndColumn : null,
            d.ToString());

        /// <summary>The reader's own words, without the line and position it appends (given as fields instead).</summary>
        private static string Words(JsonException e)
        {
            var message = e.Message;
            var cut = message.IndexOf(" Path:", System.StringComparison.Ordinal);
            return cut > 0 ? message[..cut] : message;
        }
    }

    /// <summary>A DR diagnostic in a response: the id, severity, message and where (line and column from 1).</summary>
    /// <param name="Id">DRxxxx, documented in docs/rules/DRxxxx.md.</param>
    /// <param name="Severity">Error, Warning or Info.</param>
    /// <param name="Message">What is wrong.</param>
    /// <param name="File">The file (or request body name) it is in.</param>
    /// <param name="Line">The line, from 1; null when the diagnostic has no position.</param>
    /// <param name="Column">The column, from 1.</param>
    /// <param name="EndLine">Where the span ends.</param>
    /// <param name="EndColumn">Where the span ends.</param>
    /// <param name="Text">The diagnostic as the CLI prints it: <c>file(line,col): error DRxxxx: message</c>.</param>
    internal sealed record DiagnosticView(string Id, string Severity, string Message, string File, int? Line, int? Column, int? EndLine, int? EndColumn, string Text);
}
