using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using DecisionRouting.Hosting;
using DecisionRouting.Lifecycle;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using NodaTime;

namespace DecisionRouting.Server.Endpoints
{
    /// <summary><c>GET /api/audit/verify</c> and <c>GET /api/audit/head</c>, as <c>decision-routing audit verify|head</c>.</summary>
    internal static class AuditEndpoints
    {
        public static void MapAudit(this IEndpointRouteBuilder app)
        {
            app.MapGet("/api/audit/verify", VerifyAsync)
                .WithName("AuditVerify")
                .WithSummary("Check the whole audit trail: every hash, every chain, every case against its trail. 200 with intact true or false and each problem.")
                .Produces<AuditReport>();

            app.MapGet("/api/audit/head", HeadAsync)
                .WithName("AuditHead")
                .WithSummary("Verify the trail, then give its head (sequence, entries, cases, root hash, time) to publish outside the database. 409 when the trail does not verify: no head is taken.")
                .Produces<HeadView>()
                .ProducesProblem(StatusCodes.Status409Conflict);
        }

        private static async Task<IResult> VerifyAsync(HttpContext context, IProposalStore store, IOptions<DecisionRoutingOptions> options) =>
            TypedResults.Ok(AuditReport.From(await AuditChain.VerifyAsync(store, new AuditVerifyOptions { Key = options.Value.AuditKey }, context.RequestAborted).ConfigureAwait(false)));

        private static async Task<IResult> HeadAsync(HttpContext context, IProposalStore store, IOptions<DecisionRoutingOptions> options)
        {
            // Never vouch for a trail that is already wrong.
            var result = await AuditChain.VerifyAsync(store, new AuditVerifyOptions { Key = options.Value.AuditKey }, context.RequestAborted).ConfigureAwait(false);
            if (!result.IsIntact)
            {
                return Problems.Of(context, StatusCodes.Status409Conflict, "tampered", "The audit trail does not verify; no head taken", string.Join("; ", result.Problems), new Dictionary<string, object?> { ["problems"] = result.Problems });
            }

            var head = await AuditChain.HeadAsync(store, options.Value.TimeProvider, context.RequestAborted).ConfigureAwait(false);
            return TypedResults.Ok(new HeadView(AuditHead.TextPrefix, head.Sequence, head.Entries, head.Cases, head.Root, head.At, head.ToString()));
        }
    }

    /// <summary>What <c>GET /api/audit/verify</c> answers.</summary>
    /// <param name="Intact">No problem found.</param>
    /// <param name="Entries">How many entries were checked.</param>
    /// <param name="Problems">Each problem, in words.</param>
    /// <param name="CasesNotCovered">Cases whose entries all predate audit format 2.</param>
    /// <param name="Voids">Sequence numbers recorded as void, each described.</param>
    internal sealed record AuditReport(bool Intact, long Entries, IReadOnlyList<string> Problems, long CasesNotCovered, IReadOnlyList<string> Voids)
    {
        public static AuditReport From(AuditVerification v) =>
            new(v.IsIntact, v.Entries, v.Problems, v.CasesNotCovered, v.Voids.Select(x => $"{x.Sequence}: {x.Describe()}").ToList());
    }

    /// <summary>An audit head: its fields, and its one-line text for <c>audit verify --anchor</c>.</summary>
    internal sealed record HeadView(string Format, long Sequence, long Entries, long Cases, string Root, Instant At, string Text);
}
