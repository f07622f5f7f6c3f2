using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using DecisionRouting.Lifecycle;
using DecisionRouting.Server.Identity;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using NodaTime;
using NodaTime.Text;

namespace DecisionRouting.Server.Endpoints
{
    /// <summary>Cases: create, status, fire, history, graph. Acting (create, fire) needs an authenticated identity.</summary>
    internal static class CaseEndpoints
    {
        public static void MapCases(this IEndpointRouteBuilder app)
        {
            app.MapPost("/api/cases", CreateAsync)
                .WithName("CreateCase")
                .WithSummary("Route the proposal in the body and open a case for its plan (201, the case's status).")
                .WithDescription("Query: id (the case id; default the proposal's id), acceptIncomplete (a reason: create from an incomplete plan anyway, recorded in the audit trail). 401 without an identity; 400 bad proposal (DR diagnostics with positions); 409 the case exists; 422 the plan is incomplete and not accepted.")
                .Accepts<object>("application/json")
                .Produces<CaseStatus>(StatusCodes.Status201Created)
                .ProducesProblem(StatusCodes.Status400BadRequest)
                .ProducesProblem(StatusCodes.Status401Unauthorized)
                .ProducesProblem(StatusCodes.Status409Conflict)
                .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

            app.MapGet("/api/cases/{id}", StatusAsync)
                .WithName("CaseStatus")
                .WithSummary("The case's status (schemas/case-status.schema.json): what may be fired now and by whom, what is blocked and why.")
                .WithDescription("Query: at (an ISO instant, e.g. 2013-07-23T09:00:00Z) to ask about another moment. 404 no such case.")
                .Produces<CaseStatus>()
                .ProducesProblem(StatusCodes.Status404NotFound);

            app.MapPost("/api/cases/{id}/fire", FireAsync)
                .WithName("Fire")
                .WithSummary("Fire a trigger as the authenticated identity: 200 accepted (schemas/fire-outcome.schema.json), 422 refused by the rules (audited, with the reasons).")
                .WithDescription("Body: {\"trigger\": \"complete-step\", \"step\": \"finance-sign-off\", \"role\": \"s151-officer\", \"at\": \"…Z\", \"newDecisionDate\": \"2013-08-01\", \"expectedVersion\": 3}; only trigger is always needed. role picks one of the identity's roles (default: all of them). expectedVersion: the version you read; if the case has moved on, 409. 400 malformed (not audited); 401 no identity; 403 the identity holds no role, or not the one named; 404 no such case; 409 someone else changed the case (Retry-After; re-read the status and fire again).")
                .Accepts<FireRequest>("application/json")
                .Produces<FireOutcome>()
                .ProducesProblem(StatusCodes.Status400BadRequest)
                .ProducesProblem(StatusCodes.Status401Unauthorized)
                .ProducesProblem(StatusCodes.Status403Forbidden)
                .ProducesProblem(StatusCodes.Status404NotFound)
                .ProducesProblem(StatusCodes.Status409Conflict)
                .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

            app.MapGet("/api/cases/{id}/history", HistoryAsync)
                .WithName("CaseHistory")
                .WithSummary("The case's audit entries, oldest first (schemas/history.schema.json).")
                .Produces<IReadOnlyList<AuditEntry>>()
                .ProducesProblem(StatusCodes.Status404NotFound);

            app.MapGet("/api/cases/{id}/graph", GraphAsync)
                .WithName("CaseGraph")
                .WithSummary("The case's state machine from where it is now: format=mermaid or dot (text), or svg (Graphviz on the server; 501 when it is not installed).")
                .Produces<string>(contentType: "text/plain")
                .ProducesProblem(StatusCodes.Status404NotFound)
                .ProducesProblem(StatusCodes.Status501NotImplemented);
        }

        private static async Task<IResult> CreateAsync(HttpContext context, Routing.Router router, ProposalLifecycle cases, IRoleResolver roles, string? id = null, string? acceptIncomplete = null)
        {
            if (roles.Resolve(context.User) is not { } actor)
            {
                return NoIdentity(context);
            }

            var (proposal, problem) = await RoutingEndpoints.ReadProposalAsync(context).ConfigureAwait(false);
            if (problem is not null)
            {
                return problem;
            }

            var plan = router.Route(proposal!);
            var who = new Actor(actor.Name, actor.Roles);
            var created = acceptIncomplete is { } reason
                ? await cases.CreateAsync(plan, who, new IncompletePlanAcceptance(reason), id, context.RequestAborted).ConfigureAwait(false)
                : await cases.CreateAsync(plan, who, id, context.RequestAborted).ConfigureAwait(false);
            var status = await cases.StatusAsync(created.Id, cancellationToken: context.RequestAborted).ConfigureAwait(false);
            return TypedResults.Created($"/api/cases/{Uri.EscapeDataString(created.Id)}", status);
        }

        private static async Task<IResult> StatusAsync(HttpContext context, string id, ProposalLifecycle cases, string? at = null)
        {
            Instant? when = null;
            if (at is not null)
            {
                var parsed = InstantPattern.ExtendedIso.Parse(at);
                // A NUL ends the text for NodaTime's parser, which would drop what follows it without a word.
                if (!parsed.Success || at.Contains('\0', StringComparison.Ordinal))
                {
                    return Problems.Of(context, StatusCodes.Status400BadRequest, "bad-instant", "Not an instant", $"at '{at}' is not an ISO instant in UTC such as 2013-07-23T09:00:00Z.");
                }

                when = parsed.Value;
            }

            return TypedResults.Ok(await cases.StatusAsync(id, when, context.RequestAborted).ConfigureAwait(false));
        }

        private static async Task<IResult> FireAsync(HttpContext context, string id, ProposalLifecycle cases, IRoleResolver roles, IOptions<JsonOptions> json)
        {
            FireRequest? body;
            try
            {
                body = await JsonSerializer.DeserializeAsync<FireRequest>(context.Request.Body, json.Value.SerializerOptions, context.RequestAborted).ConfigureAwait(false);
            }
            catch (JsonException e)
            {
                return Problems.BadJson(context, e, "The fire request");
            }

            if (body?.ExpectedVersion is < 0)
            {
                return Problems.Of(context, StatusCodes.Status400BadRequest, "bad-expected-version", "Not a version", $"expectedVersion is {body.ExpectedVersion}: a case version is a whole number from 0 (the 'version' of the status you read).");
            }

            if (body?.Trigger is not { Length: > 0 } triggerText)
            {
                return Problems.Of(context, StatusCodes.Status400BadRequest, "invalid-trigger", "No trigger", $"Name the trigger: {{\"trigger\": \"complete-step\", \"step\": \"…\"}}; triggers: {string.Join(", ", CaseTriggers.Names)}.");
            }

            if (!CaseTriggers.TryParse(triggerText, out var trigger))
            {
                string message;
                try
                {
                    CaseTriggers.Parse(triggerText);
                    message = $"'{triggerText}' is not a trigger";
                }
                catch (FormatException e)
                {
                    message = e.Message;
                }

                return Problems.Of(context, StatusCodes.Status400BadRequest, "invalid-trigger", "Unknown trigger", message);
            }

            if (roles.Resolve(context.User) is not { } actor)
            {
                return NoIdentity(context);
            }

            if (actor.Roles.Count == 0)
            {
                return Problems.Of(context, StatusCodes.Status403Forbidden, "no-role", "No DecisionRouting role", $"{actor.Name} is signed in but holds no DecisionRouting role, so cannot act on cases. The roles come from the identity's role claims (see docs/embedding.md, \"Roles\").");
            }

            var acting = actor.Roles;
            if (body.Role is { } asked)
            {
                if (!actor.Roles.Contains(asked, StringComparer.Ordinal))
                {
                    return Problems.Of(context, StatusCodes.Status403Forbidden, "role-not-held", "Role not held", $"{actor.Name} asked to act as {asked} but holds {string.Join(", ", actor.Roles)}.");
                }

                acting = new[] { asked };
            }

            var request = new TriggerRequest(trigger, new Actor(actor.Name, acting))
            {
                Step = body.Step,
                At = body.At,
                NewDecisionDate = body.NewDecisionDate,
                ExpectedVersion = body.ExpectedVersion,
            };
            var outcome = await cases.FireAsync(id, request, context.RequestAborted).ConfigureAwait(false);

            if (outcome.Accepted)
            {
                return TypedResults.Ok(outcome);
            }

            // A refusal is an answer the rules gave (and audited), not a malformed request: 422 with the reasons and the entry.
            return Problems.Of(context, StatusCodes.Status422UnprocessableEntity, "refused", "The rules refuse this trigger now", string.Join("; ", outcome.Reasons), new Dictionary<string, object?>
            {
                ["reasons"] = outcome.Reasons,
                ["state"] = outcome.Case.State.ToString(),
                ["version"] = outcome.Case.Version,
                ["audit"] = outcome.Audit.Sequence,
                ["entry"] = outcome.Audit,
            });
        }

        private static async Task<IResult> HistoryAsync(HttpContext context, string id, ProposalLifecycle cases) =>
            TypedResults.Ok(await cases.HistoryAsync(id, context.RequestAborted).ConfigureAwait(false));

        private static async Task<IResult> GraphAsync(HttpContext context, string id, ProposalLifecycle cases, GraphRenderer renderer, string? format = null) =>
            format is null or "mermaid" or "dot" or "svg"
                ? await renderer.DrawAsync(context, format ?? "mermaid", kind => cases.GraphAsync(id, kind, context.RequestAborted)).ConfigureAwait(false)
                : Problems.Of(context, StatusCodes.Status400BadRequest, "bad-format", "Unknown format", $"format '{format}' is not one of mermaid, dot, svg.");

        private static IResult NoIdentity(HttpContext context) =>
            Problems.Of(context, StatusCodes.Status401Unauthorized, "no-identity", "Sign in to act on cases", "Acting on a case needs an authenticated identity: the audit trail records who acted and in which role. This service takes roles from the identity's role claims (docs/embedding.md, \"Roles\").");
    }

    /// <summary>The body of <c>POST /api/cases/{id}/fire</c>.</summary>
    /// <param name="Trigger">A trigger by name (<c>complete-step</c>, <c>CompleteStep</c>).</param>
    /// <param name="Step">The step, for complete-step and start-step.</param>
    /// <param name="Role">Which of the identity's roles to act in; default all of them.</param>
    /// <param name="At">When it happened (a meeting held earlier), as an ISO instant; default now.</param>
    /// <param name="NewDecisionDate">For defer: the new intended decision date.</param>
    /// <param name="ExpectedVersion">The case version the caller read; the fire is refused with 409 if the case has moved on.</param>
    internal sealed record FireRequest(string? Trigger, string? Step, string? Role, Instant? At, LocalDate? NewDecisionDate, long? ExpectedVersion);
}
