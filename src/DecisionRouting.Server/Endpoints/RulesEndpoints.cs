using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using DecisionRouting.RuleSets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace DecisionRouting.Server.Endpoints
{
    /// <summary><c>POST /api/validate</c>: checks a rule set sent in the body, as <c>decision-routing validate</c> does.</summary>
    internal static class RulesEndpoints
    {
        /// <summary>Where a posted rule set lives in the checked namespace; diagnostics name its files under it.</summary>
        public const string PostedFolder = "rules/partnerships/posted";

        public static void MapRules(this IEndpointRouteBuilder app)
        {
            app.MapPost("/api/validate", ValidateAsync)
                .WithName("Validate")
                .WithSummary("Check a rule set: every diagnostic with its file, line and column.")
                .WithDescription("The body is {\"files\": {\"ruleset.json\": \"…\", \"catalogue.json\": \"…\", \"x.rules.json\": \"…\"}}: the rule set's files by name, as text. They are checked as the folder rules/partnerships/posted, beside the shipped partnerships, so 'extends': '../../england' reaches the service's shipped England baseline (read-only). Answers 200 with valid true or false and the diagnostics; 400 when the body itself is not that shape.")
                .Accepts<ValidateRequest>("application/json")
                .Produces<ValidateResponse>()
                .ProducesProblem(StatusCodes.Status400BadRequest);
        }

        private static async Task<IResult> ValidateAsync(HttpContext context, ServerSettings settings, IOptions<JsonOptions> json)
        {
            ValidateRequest? request;
            try
            {
                request = await JsonSerializer.DeserializeAsync<ValidateRequest>(context.Request.Body, json.Value.SerializerOptions, context.RequestAborted).ConfigureAwait(false);
            }
            catch (JsonException e)
            {
                return Problems.BadJson(context, e, "The validate request");
            }

            if (request?.Files is not { Count: > 0 } files)
            {
                return Problems.Of(context, StatusCodes.Status400BadRequest, "no-files", "No rule files", "Send {\"files\": {\"ruleset.json\": \"…\", \"x.rules.json\": \"…\"}}: the rule set's files by name, as text.");
            }

            if (files.Keys.FirstOrDefault(name => name.Length == 0 || name.Contains('/', StringComparison.Ordinal) || name.Contains('\\', StringComparison.Ordinal) || name is "." or "..") is { } bad)
            {
                return Problems.Of(context, StatusCodes.Status400BadRequest, "bad-file-name", "A file name is not a plain name", $"'{bad}' is not a plain file name: give each file by its name alone (ruleset.json, x.rules.json), without folders.");
            }

            var options = new RuleSetReadOptions { ExtendsRoot = "rules" };
            var system = new PostedRuleSet(files, settings.RulesRoot, options.MaxFileBytes);
            var result = RuleSet.TryLoad(PostedFolder, system, options);
            var diagnostics = result.Diagnostics.Select(Problems.Describe).ToList();
            return TypedResults.Ok(new ValidateResponse(
                result.RuleSet is not null,
                result.RuleSet?.Name,
                result.RuleSet?.Hash,
                diagnostics.Count(d => d.Severity == "Error"),
                diagnostics.Count(d => d.Severity != "Error"),
                diagnostics));
        }

        /// <summary>
        /// The posted files as the folder <see cref="PostedFolder"/>; any other folder under <c>rules/</c> is the service's
        /// shipped rules on disk (read-only), so a partner rule set's <c>extends</c> finds the baseline. Nothing outside
        /// <c>rules/</c> is reachable: the reader's <c>ExtendsRoot</c> refuses it (DR0063) before asking.
        /// </summary>
        private sealed class PostedRuleSet : IRuleSetFileSystem
        {
            private readonly IReadOnlyDictionary<string, string> _files;
            private readonly string _shipped;
            private readonly long _maxBytes;

            public PostedRuleSet(IReadOnlyDictionary<string, string> files, string shipped, long maxBytes)
            {
                _files = files;
                _shipped = Path.GetFullPath(shipped);
                _maxBytes = maxBytes;
            }

            public bool DirectoryExists(string path) => Normal(path) is var p && (p == PostedFolder || (Disk(p) is { } disk && Directory.Exists(disk)));

            public IEnumerable<string> EnumerateFiles(string directory)
            {
                var p = Normal(directory);
                if (p == PostedFolder)
                {
                    return _files.Keys.Select(name => $"{PostedFolder}/{name}").ToList();
                }

                return Disk(p) is { } disk && Directory.Exists(disk)
                    ? Directory.EnumerateFiles(disk).Select(f => $"{p}/{Path.GetFileName(f)}").ToList()
                    : Array.Empty<string>();
            }

            public string? ReadAllText(string path)
            {
                var p = Normal(path);
                var slash = p.LastIndexOf('/');
                if (slash > 0 && p[..slash] == PostedFolder)
                {
                    if (!_files.TryGetValue(p[(slash + 1)..], out var text))
                    {
                        return null;
                    }

                    // The limit the disk reader applies (DR0062), counted in the same UTF-8 bytes, so what validates here
                    // loads when the same files are deployed, and what is refused there is refused here in the same words.
                    var bytes = Encoding.UTF8.GetByteCount(text);
                    return bytes <= _maxBytes ? text : throw new RuleFileRefusedException(path, $"it is {bytes:N0} bytes, over the limit of {_maxBytes:N0} bytes");
                }

                return Disk(p) is { } disk && File.Exists(disk) ? File.ReadAllText(disk) : null;
            }

            private static string Normal(string path) => path.Replace('\\', '/').TrimEnd('/');

            /// <summary>The disk path for <c>rules/…</c> inside the shipped folder, or null for anything else.</summary>
            private string? Disk(string path)
            {
                if (!path.StartsWith("rules/", StringComparison.Ordinal) || path.StartsWith(PostedFolder + "/", StringComparison.Ordinal))
                {
                    return null;
                }

                var full = Path.GetFullPath(Path.Combine(_shipped, path["rules/".Length..]));
                return full.StartsWith(_shipped + Path.DirectorySeparatorChar, StringComparison.Ordinal) ? full : null;
            }
        }
    }

    /// <summary>The body of <c>POST /api/validate</c>.</summary>
    /// <param name="Files">The rule set's files by plain name (ruleset.json, catalogue.json, *.rules.json), as text.</param>
    internal sealed record ValidateRequest(IReadOnlyDictionary<string, string>? Files);

    /// <summary>What <c>POST /api/validate</c> answers.</summary>
    /// <param name="Valid">True when the rule set has no errors (it may have warnings).</param>
    /// <param name="Name">The rule set's name, when it loaded.</param>
    /// <param name="Hash">The SHA-256 of its files, when it loaded.</param>
    /// <param name="Errors">How many diagnostics are errors.</param>
    /// <param name="Warnings">How many are warnings or information.</param>
    /// <param name="Diagnostics">Every diagnostic, with its file, line and column.</param>
    internal sealed record ValidateResponse(bool Valid, string? Name, string? Hash, int Errors, int Warnings, IReadOnlyList<DiagnosticView> Diagnostics);
}
