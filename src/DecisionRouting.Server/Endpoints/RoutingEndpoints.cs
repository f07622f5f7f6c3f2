using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using DecisionRouting.Explanations;
using DecisionRouting.Graph;
using DecisionRouting.Proposals;
using DecisionRouting.Routing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace DecisionRouting.Server.Endpoints
{
    /// <summary><c>POST /api/route</c> and <c>POST /api/explain</c>: a proposal in the body, as the CLI reads a file.</summary>
    internal static class RoutingEndpoints
    {
        /// <summary>The name a proposal body has in diagnostics: <c>proposal.json(3,14): error DR…</c>.</summary>
        public const string BodyName = "proposal.json";

        public static void MapRouting(this IEndpointRouteBuilder app)
        {
            app.MapPost("/api/route", RouteAsync)
                .WithName("Route")
                .WithSummary("Route a proposal: its dated plan (schemas/plan.schema.json), or its diagram with one column per stage: format=mermaid or dot (text), or svg (Graphviz on the server; 501 when it is not installed).")
                .WithDescription("The body is a proposal (schemas/proposal.schema.json). 400: the body is not a proposal (DR diagnostics with line and column in proposal.json). 422: the rule set refuses it (a mistyped or missing required attribute). Check isComplete before acting on a plan.")
                .Accepts<object>("application/json")
                .Produces<RoutingPlan>()
                .ProducesProblem(StatusCodes.Status400BadRequest)
                .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

            app.MapPost("/api/explain", ExplainAsync)
                .WithName("Explain")
                .WithSummary("Why a step is (step=…) or is not (whyNot=…) on a proposal's route: each rule naming it, its conditions and the values read.")
                .Accepts<object>("application/json")
                .Produces<ExplanationView>()
                .ProducesProblem(StatusCodes.Status400BadRequest);
        }

        /// <summary>Reads the request body as a proposal, or the problem to answer with.</summary>
        internal static async Task<(Proposal? Proposal, IResult? Problem)> ReadProposalAsync(HttpContext context)
        {
            var read = await ProposalReader.ReadAsync(context.Request.Body, BodyName, context.RequestAborted).ConfigureAwait(false);
            return read.Proposal is { } proposal
                ? (proposal, null)
                : (null, Problems.Diagnostics(context, StatusCodes.Status400BadRequest, "The body is not a valid proposal", read.Diagnostics));
        }

        private static async Task<IResult> RouteAsync(HttpContext context, Router router, GraphRenderer renderer, string? format = null)
        {
            if (format is not (null or "json" or "mermaid" or "dot" or "svg"))
            {
                return Problems.Of(context, StatusCodes.Status400BadRequest, "bad-format", "Unknown format", $"format '{format}' is not one of json, mermaid, dot, svg.");
            }

            var (proposal, problem) = await ReadProposalAsync(context).ConfigureAwait(false);
            if (problem is not null)
            {
                return problem;
            }

            var plan = router.Route(proposal!);
            return format is null or "json"
                ? TypedResults.Ok(plan)
                : await renderer.DrawAsync(context, format, kind => Task.FromResult(PlanGraph.Format(plan, kind))).ConfigureAwait(false);
        }

        private static async Task<IResult> ExplainAsync(HttpContext context, Explainer explainer, string? step = null, string? whyNot = null)
        {
            if ((step is null) == (whyNot is null))
            {
                return Problems.Of(context, StatusCodes.Status400BadRequest, "explain-needs-one-step", "Name one step", "Give exactly one of ?step=<id> (why it is required) or ?whyNot=<id> (why it is not).");
            }

            var (proposal, problem) = await ReadProposalAsync(context).ConfigureAwait(false);
            if (problem is not null)
            {
                return problem;
            }

            StepExplanation explanation;
            try
            {
                explanation = explainer.Explain(proposal!, step ?? whyNot!);
            }
            catch (System.ArgumentException e) when (e is not System.ArgumentNullException)
            {
                // An unknown step: the library's message suggests the nearest id.
                return Problems.Of(context, StatusCodes.Status400BadRequest, "unknown-step", "Unknown step", e.Message.Split(" (Parameter")[0]);
            }

            return TypedResults.Ok(ExplanationView.From(explanation, proposal!.Id));
        }
    }

    /// <summary>An explanation as JSON: the step, the verdict, and each rule that names it.</summary>
    /// <param name="Proposal">The proposal's id.</param>
    /// <param name="Step">The step's id.</param>
    /// <param name="Name">The step's name.</param>
    /// <param name="Required">Whether the plan requires it.</param>
    /// <param name="Undecided">Neither required nor not: a rule naming it is undecided or failed.</param>
    /// <param name="Rules">Each rule naming the step, with its conditions.</param>
    /// <param name="Terms">GlobalParams the rules read, each defined once.</param>
    /// <param name="TermValues">The values those terms read.</param>
    internal sealed record ExplanationView(string Proposal, string Step, string Name, bool Required, bool Undecided, IReadOnlyList<RuleView> Rules, IReadOnlyList<ConditionExplanation> Terms, IReadOnlyList<Fact> TermValues)
    {
        public static ExplanationView From(StepExplanation e, string proposal) => new(
            proposal,
            e.Step.Id,
            e.Step.Name,
            e.Required,
            e.Undecided,
            e.Rules.Select(r => new RuleView(r.Workflow, r.Rule, r.Source, r.Reason, r.Matched, r.Joiner, r.Conditions, r.Facts, r.Incomplete, r.Terms)).ToList(),
            e.Terms,
            e.TermValues);
    }

    /// <summary>One rule of an explanation (see <see cref="RuleExplanation"/>).</summary>
    internal sealed record RuleView(string Workflow, string Rule, string? Source, string? Reason, bool Matched, string Joiner, IReadOnlyList<ConditionExplanation> Conditions, IReadOnlyList<Fact> Facts, IncompleteRule? Incomplete, IReadOnlyList<ConditionExplanation> Terms);
}
